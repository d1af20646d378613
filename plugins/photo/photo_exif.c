/*
 * photo_exif.c -- captions in EXIF (libexif) and IPTC (libiptcdata).
 *
 * EXIF strings are nominally ASCII but cameras and editors write UTF-8 or a
 * local code page, so the bytes go through pledgex__photo_field_text.
 * UserComment starts with an 8-byte character code; XPComment is always
 * UTF-16LE.  IPTC says its character set in dataset 1:90 (ESC % G is UTF-8);
 * without it the bytes are guessed like any legacy text.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libexif/exif-data.h>
#include <libiptcdata/iptc-data.h>
#include <libiptcdata/iptc-dataset.h>
#include <libiptcdata/iptc-jpeg.h>

#include "encoding.h"
#include "photo.h"

static ExifEntry *entry(ExifData *ed, ExifIfd ifd, ExifTag tag)
{
    ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);
    return (e && e->data && e->size > 0) ? e : NULL;
}

/* UserComment: 8 bytes naming the code, then the text. */
static char *user_comment(ExifEntry *e, ExifByteOrder order)
{
    if (e->size <= 8)
        return NULL;
    const unsigned char *d = e->data + 8;
    size_t n = e->size - 8;
    if (!memcmp(e->data, "UNICODE\0", 8)) {
        /* UCS-2 in the byte order of the EXIF block, though some writers
         * always use little endian: take the one that decodes to more
         * ASCII letters. */
        size_t lo_zero = 0, hi_zero = 0;
        for (size_t i = 0; i + 1 < n; i += 2) {
            hi_zero += d[i + 1] == 0;
            lo_zero += d[i] == 0;
        }
        const char *enc = order == EXIF_BYTE_ORDER_MOTOROLA ? "UTF-16BE" : "UTF-16LE";
        if (hi_zero > lo_zero)
            enc = "UTF-16LE";
        else if (lo_zero > hi_zero)
            enc = "UTF-16BE";
        while (n >= 2 && d[n - 1] == 0 && d[n - 2] == 0)
            n -= 2;
        return pledgex__photo_field_text(d, n & ~(size_t)1, enc);
    }
    if (!memcmp(e->data, "JIS\0\0\0\0\0", 8))
        return pledgex__photo_field_text(d, n, "SHIFT_JIS");
    /* "ASCII\0\0\0" or undefined (eight NULs): bytes of unknown encoding;
     * blank padding is common. */
    return pledgex__photo_field_text(d, n, NULL);
}

static void read_exif_data(ExifData *ed, photo_meta *m)
{
    ExifByteOrder order = exif_data_get_byte_order(ed);
    ExifEntry *e;
    if ((e = entry(ed, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION)))
        pledgex__photo_add_caption(m, PHOTO_SRC_EXIF,
                                   pledgex__photo_field_text(e->data, e->size, NULL));
    if ((e = entry(ed, EXIF_IFD_EXIF, EXIF_TAG_USER_COMMENT)))
        pledgex__photo_add_caption(m, PHOTO_SRC_EXIF, user_comment(e, order));
    if ((e = entry(ed, EXIF_IFD_0, EXIF_TAG_XP_COMMENT))) {
        size_t n = e->size;
        while (n >= 2 && e->data[n - 1] == 0 && e->data[n - 2] == 0)
            n -= 2;
        pledgex__photo_add_caption(m, PHOTO_SRC_XPCOMMENT,
                                   pledgex__photo_field_text(e->data, n & ~(size_t)1,
                                                             "UTF-16LE"));
    }
    if ((e = entry(ed, EXIF_IFD_0, EXIF_TAG_ARTIST)))
        pledgex__photo_set_credit(m, PHOTO_SRC_EXIF,
                                  pledgex__photo_field_text(e->data, e->size, NULL));
    if ((e = entry(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL))) {
        char *s = pledgex__photo_field_text(e->data, e->size, "ISO-8859-1");
        pledgex__photo_set_taken(m, PHOTO_SRC_EXIF, pledgex__photo_iso_date(s, NULL));
        free(s);
    }
}

void pledgex__photo_png_chunks(const unsigned char *d, size_t n,
                               int (*fn)(const unsigned char *type, const unsigned char *data,
                                         size_t len, void *user),
                               void *user)
{
    size_t i = 8;
    while (i + 12 <= n) {
        size_t clen = ((size_t)d[i] << 24) | ((size_t)d[i + 1] << 16) |
                      ((size_t)d[i + 2] << 8) | d[i + 3];
        if (clen > n - i - 12)
            return;
        if (fn(d + i + 4, d + i + 8, clen, user) || !memcmp(d + i + 4, "IEND", 4))
            return;
        i += clen + 12;
    }
}

typedef struct exif_block {
    unsigned char *data; /* "Exif\0\0" + the chunk, owned */
    size_t len;
} exif_block;

static int exif_chunk(const unsigned char *type, const unsigned char *data, size_t len,
                      void *user)
{
    exif_block *b = user;
    if (memcmp(type, "eXIf", 4))
        return 0;
    if ((b->data = malloc(len + 6))) {
        memcpy(b->data, "Exif\0\0", 6);
        memcpy(b->data + 6, data, len);
        b->len = len + 6;
    }
    return 1;
}

/* PNG keeps EXIF in an eXIf chunk (a bare TIFF structure). */
static unsigned char *png_exif(const unsigned char *d, size_t n, size_t *len)
{
    exif_block b = {NULL, 0};
    pledgex__photo_png_chunks(d, n, exif_chunk, &b);
    *len = b.len;
    return b.data;
}

void pledgex__photo_read_exif_mem(const unsigned char *d, size_t n, photo_meta *m)
{
    if (n > 0xffffffffu)
        n = 0xffffffffu;
    ExifData *ed = exif_data_new();
    if (!ed)
        return;
    exif_data_load_data(ed, d, (unsigned int)n);
    read_exif_data(ed, m);
    exif_data_unref(ed);
}

int pledgex__photo_read_exif(const char *path, const char *mime, photo_meta *m, char *err,
                             size_t errlen)
{
    ExifData *ed = NULL;
    if (!strcmp(mime, "image/jpeg")) {
        ed = exif_data_new_from_file(path);
    } else if (!strcmp(mime, "image/png") || !strcmp(mime, "image/tiff")) {
        unsigned char *d = NULL;
        size_t n = 0;
        int rc = pledgex__read_file(path, PHOTO_MAX_META_BYTES, &d, &n);
        if (rc == -1) {
            snprintf(err, errlen, "cannot read: %s", strerror(errno));
            return PLEDGEX_FAILED;
        }
        if (rc == 0) {
            unsigned char *blk = NULL;
            size_t blen = 0;
            if (!strcmp(mime, "image/png") && n > 8) {
                blk = png_exif(d, n, &blen);
            } else if (n > 8) {
                /* A TIFF file is itself the EXIF structure. */
                blk = malloc(n + 6);
                if (blk) {
                    memcpy(blk, "Exif\0\0", 6);
                    memcpy(blk + 6, d, n);
                    blen = n + 6;
                }
            }
            if (blk) {
                pledgex__photo_read_exif_mem(blk, blen, m);
                free(blk);
            }
        }
        free(d);
    }
    if (!ed)
        return PLEDGEX_OK; /* no EXIF is normal */
    read_exif_data(ed, m);
    exif_data_unref(ed);
    return PLEDGEX_OK;
}

/* ---- IPTC --------------------------------------------------------------- */

static IptcDataSet *dataset(IptcData *d, IptcRecord rec, IptcTag tag)
{
    IptcDataSet *ds = iptc_data_get_dataset(d, rec, tag);
    if (ds && (!ds->data || ds->size == 0)) {
        iptc_dataset_unref(ds);
        return NULL;
    }
    return ds;
}

static char *ds_text(IptcData *d, IptcTag tag, const char *charset)
{
    IptcDataSet *ds = dataset(d, IPTC_RECORD_APP_2, tag);
    if (!ds)
        return NULL;
    char *s = pledgex__photo_field_text(ds->data, ds->size, charset);
    iptc_dataset_unref(ds);
    return s;
}

int pledgex__photo_read_iptc(const char *path, const char *mime, photo_meta *m, char *err,
                             size_t errlen)
{
    (void)err;
    (void)errlen;
    if (strcmp(mime, "image/jpeg"))
        return PLEDGEX_OK; /* libiptcdata reads JPEG only */
    IptcData *d = iptc_data_new_from_jpeg(path);
    if (!d)
        return PLEDGEX_OK;
    const char *charset = NULL;
    IptcDataSet *cs = dataset(d, IPTC_RECORD_OBJECT_ENV, IPTC_TAG_CHARACTER_SET);
    if (cs) {
        /* ISO 2022 escape sequences: ESC % G is UTF-8; ESC . A / ESC - A
         * select ISO 8859-1.  Anything else is guessed. */
        if (cs->size >= 3 && !memcmp(cs->data, "\x1b%G", 3))
            charset = "UTF-8";
        else if (cs->size >= 3 && cs->data[0] == 0x1b && (cs->data[1] == '.' ||
                                                           cs->data[1] == '-') &&
                 cs->data[2] == 'A')
            charset = "ISO-8859-1";
        iptc_dataset_unref(cs);
    }
    pledgex__photo_add_caption(m, PHOTO_SRC_IPTC, ds_text(d, IPTC_TAG_CAPTION, charset));
    char *credit = ds_text(d, IPTC_TAG_CREDIT, charset);
    if (!credit)
        credit = ds_text(d, IPTC_TAG_BYLINE, charset);
    pledgex__photo_set_credit(m, PHOTO_SRC_IPTC, credit);
    char *date = ds_text(d, IPTC_TAG_DATE_CREATED, "ISO-8859-1");
    char *time = ds_text(d, IPTC_TAG_TIME_CREATED, "ISO-8859-1");
    pledgex__photo_set_taken(m, PHOTO_SRC_IPTC, pledgex__photo_iso_date(date, time));
    free(date);
    free(time);
    iptc_data_unref(d);
    return PLEDGEX_OK;
}
