/*
 * pdf.h -- (internal) pieces of the "pdf" plugin: opening documents
 * (passwords, repair of a lost trailer), judging a page's text layer, and
 * rendering pages for OCR.
 *
 * Every function that can fail returns a graded PLEDGEX_* code and writes a
 * reason into err[errlen]; none prints or exits.
 */
#ifndef PLEDGEX_PDF_H
#define PLEDGEX_PDF_H

#include <stddef.h>
#include <stdint.h>

#include <leptonica/allheaders.h>
#include <poppler.h>

#include "pledgex-plugin.h"

/* Named limits with their documented defaults (host->limit overrides). */
#define PDF_DEFAULT_MAX_PAGES 2000                /* --max-pages           */
#define PDF_DEFAULT_MAX_PIXELS INT64_C(100000000) /* --max-pixels, as OCR  */
#define PDF_RENDER_DPI 300.0   /* pages sent to OCR are rendered at this     */
#define PDF_MIN_DPI 150.0      /* a page that only fits the pixel limit below
                                  this resolution is refused: OCR needs it   */
#define PDF_MAX_SIDE 32767     /* cairo image surfaces are limited to this   */
#define PDF_SCAN_COVER 0.5     /* pictures covering this share of a page make
                                  it look scanned (see pdf_judge.c)          */

/* ---- pdf_judge.c: is a text layer real? ------------------------------- */

typedef enum pdf_verdict {
    PDF_LAYER_REAL = 0,    /* born-digital text: trust it                     */
    PDF_LAYER_EMPTY,       /* no text at all                                  */
    PDF_LAYER_STRAY,       /* a few glyphs over a page-sized picture (a scan) */
    PDF_LAYER_MOJIBAKE,    /* legacy 8-bit Vietnamese font (TCVN3, VNI...)    */
    PDF_LAYER_UNDECODABLE, /* control characters, U+FFFD, private use         */
    PDF_LAYER_UNMARKED,    /* Vietnamese stripped of its marks over a scan: a
                              poor OCR layer (an English-only engine)        */
} pdf_verdict;

/* What the judge counted, for tests and messages. */
typedef struct pdf_layer_stats {
    int letters;     /* letters in the layer                                 */
    int chars;       /* non-space characters                                 */
    int undecodable; /* U+FFFD, controls, private-use characters             */
    int judged;      /* words with non-ASCII Latin letters or symbols        */
    int invalid;     /* ... of which are not Vietnamese syllables            */
    int legacy;      /* words with a TCVN3 trace: a Latin-1 symbol among
                        letters ("ph¸t"), a capital after a small letter
                        ("nghÞ")                                            */
    int plain;       /* words of ASCII letters only                          */
    int plain_viet;  /* ... shaped like Vietnamese syllables without marks   */
} pdf_layer_stats;

/* A page keeps its text layer when it has text made of Vietnamese syllables
 * (or of words the check cannot judge: ASCII, other scripts).  Thresholds:
 * see pdf_judge.c.  image_cover is the share (0..1) of the page covered by
 * pictures, text_cover the share covered by the glyphs' boxes (a scanner's
 * stamp covers far less of a scanned page than the OCR layer of even a
 * short page).  st may be NULL. */
pdf_verdict pledgex__pdf_judge(const char *utf8, double image_cover, double text_cover,
                               pdf_layer_stats *st);

/* 1 when word[0..len) (UTF-8, any case, NFC or not) is a well-formed
 * Vietnamese syllable: onset, rhyme and at most one tone mark, with the
 * tone rule of stop endings (-c, -ch, -p, -t take only sắc or nặng). */
int pledgex__pdf_viet_syllable(const char *word, size_t len);

/* A short English name of a verdict ("legacy-font mojibake"). */
const char *pledgex__pdf_verdict_name(pdf_verdict v);

/* ---- pdf_open.c: opening ------------------------------------------------ */

/* Collects poppler's messages (routed through GLib's log) instead of letting
 * them reach stderr.  One collector is active at a time (process() is not
 * reentrant); begin/end bracket the use of poppler. */
typedef struct pdf_log {
    unsigned handler;  /* GLib handler id                         */
    int count;         /* messages seen                           */
    char first[256];   /* first error message                     */
} pdf_log;
void pledgex__pdf_log_begin(pdf_log *log);
void pledgex__pdf_log_end(pdf_log *log);

/* Opens `path` with an optional password.  A file whose trailer was lost
 * (a truncated download) is retried from a copy in tmpdir with a trailer
 * pointing at its catalog, so the pages that survive can be read; *repaired
 * is then 1.  Encrypted documents without (or with a wrong) password give
 * PLEDGEX_SKIP (none given) or PLEDGEX_FAILED (wrong) with the reason.
 * *out is the caller's (g_object_unref). */
int pledgex__pdf_open(const char *path, const char *password, const char *tmpdir,
                      PopplerDocument **out, int *repaired, char *err, size_t errlen);

/* Reads the password to use from the host's options: "password", else the
 * first line of the file named by "password_file".  Returns PLEDGEX_OK with
 * *out NULL when neither is set; *out is the caller's (free). */
int pledgex__pdf_password(const pledgex_host *host, pledgex_ctx *ctx, char **out, char *err,
                          size_t errlen);

/* ---- pdf_attach.c: embedded files -------------------------------------- */

/* Hands every file embedded in the document to the host as a member of it
 * (emit_child_file), within the max_member_bytes / max_members limits; a
 * member over a limit or unreadable is recorded with the reason.  *emitted
 * counts the members handed over. */
int pledgex__pdf_attachments(PopplerDocument *doc, const pledgex_host *host, pledgex_ctx *ctx,
                             const char *tmpdir, int *emitted);

/* ---- pdf_render.c: pages for OCR ---------------------------------------- */

/* Share (0..1) of the page covered by pictures. */
double pledgex__pdf_image_cover(PopplerPage *page);
/* Share (0..1) of the page covered by the boxes of its glyphs. */
double pledgex__pdf_text_cover(PopplerPage *page);

/* The resolution to render a page of w x h points at: PDF_RENDER_DPI, or
 * less when that would exceed max_pixels or PDF_MAX_SIDE.  Returns
 * PLEDGEX_FAILED with the reason when even PDF_MIN_DPI is too much. */
int pledgex__pdf_render_dpi(double w_pt, double h_pt, int64_t max_pixels, double *dpi,
                            char *err, size_t errlen);

/* Renders a page on white at `dpi` into an 8 bpp gray Pix (a page with no
 * colour) or a 32 bpp RGB Pix, resolution set.  *blank is 1 when nothing
 * was drawn darker than near-white.  *out is the caller's (pixDestroy). */
int pledgex__pdf_render(PopplerPage *page, double dpi, PIX **out, int *blank, char *err,
                        size_t errlen);

#endif
