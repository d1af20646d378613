/*
 * photo.h -- (internal) pieces of the "photo" plugin: where a photo keeps
 * its caption (XMP, IPTC, EXIF, a sidecar file), and whether an image is a
 * picture at all or a page of text that belongs to OCR.
 *
 * Every function that can fail returns a graded PLEDGEX_* code and writes a
 * reason into err[errlen]; none prints or exits.
 */
#ifndef PLEDGEX_PHOTO_H
#define PLEDGEX_PHOTO_H

#include <stddef.h>
#include <stdint.h>

#include "pledgex-plugin.h"

/* Named limits with their documented defaults (host->limit overrides). */
#define PHOTO_DEFAULT_MAX_PIXELS INT64_C(100000000) /* max_pixels: 100 Mpx   */
#define PHOTO_MAX_META_BYTES (64u << 20)            /* bytes scanned for XMP */
#define PHOTO_MAX_SIDECAR_BYTES 4096u               /* longer is no caption  */
#define PHOTO_MAX_CAPTIONS 16

/* Where a caption came from, in order of preference when they disagree:
 * XMP is the newest and the one editors write, IPTC the press standard,
 * EXIF fields are often left by cameras; a sidecar is a last resort, and
 * a plain comment (JPEG COM, PNG text) is what is left after that. */
typedef enum photo_source {
    PHOTO_SRC_XMP,
    PHOTO_SRC_IPTC,
    PHOTO_SRC_EXIF,      /* ImageDescription, then UserComment */
    PHOTO_SRC_XPCOMMENT, /* Windows XPComment (UTF-16LE)       */
    PHOTO_SRC_SIDECAR,   /* NAME.txt / NAME.xmp beside it      */
    PHOTO_SRC_COMMENT,   /* JPEG COM, PNG Description/Comment  */
    PHOTO_SRC_N
} photo_source;

const char *pledgex__photo_source_name(photo_source s);

typedef struct photo_caption {
    photo_source source;
    char *text; /* UTF-8, trimmed, owned */
} photo_caption;

/* Everything found about one photo.  Strings are owned (photo_meta_clear). */
typedef struct photo_meta {
    photo_caption captions[PHOTO_MAX_CAPTIONS];
    size_t ncaptions;
    char *credit[PHOTO_SRC_N];  /* explicit credit/by-line per source */
    char *taken[PHOTO_SRC_N];   /* ISO 8601 per source                 */
} photo_meta;

void pledgex__photo_meta_clear(photo_meta *m);
/* Adds a caption (takes `text`; ignores empty or camera boilerplate). */
void pledgex__photo_add_caption(photo_meta *m, photo_source src, char *text);
/* Sets credit/taken of a source unless already set (takes `value`). */
void pledgex__photo_set_credit(photo_meta *m, photo_source src, char *value);
void pledgex__photo_set_taken(photo_meta *m, photo_source src, char *value);

/* Bytes from a metadata field in an unknown single-byte or UTF-8 encoding
 * to a trimmed UTF-8 string (NULL if empty).  `charset` is an iconv name
 * when the file says which (IPTC CodedCharacterSet), else NULL. */
char *pledgex__photo_field_text(const unsigned char *s, size_t len, const char *charset);

/* Calls fn on each chunk of the PNG file d[0..n) (past its signature),
 * up to IEND or a chunk whose length runs past the end; stops early when
 * fn returns nonzero. */
void pledgex__photo_png_chunks(const unsigned char *d, size_t n,
                               int (*fn)(const unsigned char *type, const unsigned char *data,
                                         size_t len, void *user),
                               void *user);

/* Captions from a JPEG's COM segments or a PNG's Description/Comment text
 * chunks (source PHOTO_SRC_COMMENT); notes naming the software are
 * dropped.  Nothing found is not an error. */
void pledgex__photo_read_comments(const char *path, const char *mime, photo_meta *m);

/* "2024:03:19 14:05:10" (EXIF), "2024-03-19T14:05:10+07:00" (XMP),
 * "20240319" + "140510+0700" (IPTC) -> ISO 8601; NULL if not a date. */
char *pledgex__photo_iso_date(const char *date, const char *time);


/* ---- photo_exif.c: EXIF (libexif) and IPTC (libiptcdata) --------------- */
int pledgex__photo_read_exif(const char *path, const char *mime, photo_meta *m,
                             char *err, size_t errlen);
/* EXIF from memory starting with "Exif\0\0" + a TIFF header. */
void pledgex__photo_read_exif_mem(const unsigned char *d, size_t n, photo_meta *m);
int pledgex__photo_read_iptc(const char *path, const char *mime, photo_meta *m,
                             char *err, size_t errlen);

/* ---- photo_xmp.c: XMP packets (libxml2) --------------------------------- */
/* Finds the XMP packet in the file's bytes (JPEG APP1, PNG iTXt, TIFF tag
 * and sidecars all hold it as plain XML) and reads it into m as `src`. */
int pledgex__photo_read_xmp(const char *path, photo_source src, photo_meta *m,
                            char *err, size_t errlen);
/* Same on bytes already read. */
int pledgex__photo_parse_xmp(const char *xml, size_t len, photo_source src, photo_meta *m);

/* ---- photo_page.c: picture or page of text? ----------------------------- */
typedef struct photo_page_features {
    int width, height;      /* of the analysed (downscaled) image        */
    double paper;           /* fraction of bright, colourless pixels     */
    int text_lines;         /* rows of glyph-sized marks (best rotation) */
    double text_area;       /* fraction of the image those rows cover    */
    int picture;            /* a large non-paper region is present       */
    double picture_frac;    /* its share of the image                    */
    int caption_below;      /* text rows under (or over) that region     */
    int cap_x, cap_y, cap_w, cap_h; /* their bounding box (analysed scale) */
} photo_page_features;

typedef enum photo_page_kind {
    PHOTO_PAGE_PICTURE,     /* a photo: no OCR                           */
    PHOTO_PAGE_DOCUMENT,    /* a page of text: OCR all of it             */
    PHOTO_PAGE_ALBUM        /* a picture with printed caption: OCR       */
} photo_page_kind;

struct Pix; /* leptonica's PIX */

/* Measures the image at path.  full (may be NULL) receives the image as
 * decoded at full scale when the measuring decoded it so (the caller owns
 * it; NULL otherwise, and always NULL on failure), for OCR to read
 * without decoding it again. */
int pledgex__photo_page_features(const char *path, int64_t max_pixels,
                                 photo_page_features *f, struct Pix **full, char *err,
                                 size_t errlen);
photo_page_kind pledgex__photo_page_classify(const photo_page_features *f);

#endif
