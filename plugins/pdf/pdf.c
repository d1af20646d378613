/*
 * pdf.c -- the "pdf" plugin: PDF documents to text blocks, one per page.
 *
 * Each page is judged on its own (pdf_judge.c): a real text layer is taken
 * as it is (kind "pdf-text", reading order, no OCR); a page without one, or
 * with a junk layer, is rendered at 300 dpi and handed to the "ocr" plugin
 * through host->delegate, so scanned pages get the same preprocessing,
 * workers and limits as image files (kind "ocr").
 *
 * Searchable output (option pdf_out): the OCR plugin writes one searchable
 * PDF per input it is given.  So that a scanned PDF yields ONE searchable
 * PDF with all its pages, consecutive pages that need OCR are rendered into
 * one multi-page TIFF and delegated once.  A mixed PDF gives one searchable
 * PDF per run of scanned pages (its born-digital pages are searchable
 * already).  Without pdf_out every page is delegated on its own, so the temp
 * dir never holds more than one rendered page.
 *
 * Files embedded in the PDF (attachments, portfolios) go back to the
 * pipeline as members of the PDF (pdf_attach.c).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf.h"

#define N_VERDICTS (PDF_LAYER_UNMARKED + 1)

/* One run of consecutive pages rendered into one TIFF for OCR. */
typedef struct ocr_run {
    int first;  /* 0-based index of its first page */
    int count;  /* pages in the TIFF               */
    char path[4200];
} ocr_run;

typedef struct pdf_job {
    const pledgex_host *host;
    pledgex_ctx *ctx;
    int one_file;      /* pdf_out: keep consecutive OCR pages in one TIFF */
    int64_t max_pixels;
    ocr_run run;
    int nruns;
    int text_pages, ocr_pages, blank_pages, failed, partial;
    int ocr_missing;     /* pages not sent: no "ocr" plugin is loaded */
    char ocr_why[300];
    char first_err[700];
    int verdicts[N_VERDICTS];
    int verdict_first[N_VERDICTS];
} pdf_job;

static void warn(pdf_job *j, const char *msg)
{
    if (j->host->warn)
        j->host->warn(j->ctx, msg);
}

static void note_failure(pdf_job *j, int npages, const char *what)
{
    j->failed += npages;
    warn(j, what);
    if (!j->first_err[0])
        snprintf(j->first_err, sizeof j->first_err, "%s", what);
}

static void page_failed(pdf_job *j, int index, const char *why)
{
    char w[700];
    snprintf(w, sizeof w, "page %d: %s", index + 1, why);
    note_failure(j, 1, w);
}

/* Hands the pending run to the OCR plugin and forgets it. */
static void flush_run(pdf_job *j)
{
    ocr_run *r = &j->run;
    if (r->count == 0)
        return;
    char err[600] = "";
    if (j->ocr_missing) {
        /* Said once at the end, not once per page. */
        unlink(r->path);
        j->ocr_missing += r->count;
        j->failed += r->count;
        r->count = 0;
        return;
    }
    int rc = j->host->delegate(j->ctx, "ocr", r->path, "image/tiff", r->first, err, sizeof err);
    unlink(r->path);
    if (rc == PLEDGEX_SKIP) {
        /* No OCR plugin: every scanned page of the document will fail alike. */
        snprintf(j->ocr_why, sizeof j->ocr_why, "%s", err[0] ? err : "no OCR plugin");
        j->ocr_missing = r->count;
        j->failed += r->count;
        if (!j->first_err[0])
            snprintf(j->first_err, sizeof j->first_err, "page %d: not OCR'd: %s", r->first + 1,
                     j->ocr_why);
        r->count = 0;
        return;
    }
    if (rc == PLEDGEX_OK || rc == PLEDGEX_WARN) {
        j->ocr_pages += r->count;
        if (rc == PLEDGEX_WARN) {
            char w[700];
            snprintf(w, sizeof w, "pages %d-%d (OCR): %s", r->first + 1, r->first + r->count,
                     err);
            j->partial = 1;
            warn(j, w);
        }
    } else if (r->count == 1) {
        page_failed(j, r->first, err[0] ? err : "OCR failed");
    } else {
        char w[700];
        snprintf(w, sizeof w, "pages %d-%d: %s", r->first + 1, r->first + r->count,
                 err[0] ? err : "OCR failed");
        note_failure(j, r->count, w);
    }
    r->count = 0;
}

/* Adds a rendered page to the pending run (starting one if needed). */
static int add_to_run(pdf_job *j, int index, PIX *pix, const char *tmpdir, char *err,
                      size_t errlen)
{
    ocr_run *r = &j->run;
    if (r->count > 0 && r->first + r->count != index)
        flush_run(j);
    if (r->count == 0) {
        r->first = index;
        snprintf(r->path, sizeof r->path, "%s/pages-%d.tif", tmpdir, j->nruns++);
    }
    /* Deflate keeps a long run small on disk; a lone page is written raw. */
    int comp = j->one_file ? IFF_TIFF_ZIP : IFF_TIFF;
    if (pixWriteTiff(r->path, pix, comp, r->count ? "a" : "w") != 0) {
        snprintf(err, errlen, "cannot write the rendered page into the temp dir");
        if (r->count == 0)
            unlink(r->path);
        return PLEDGEX_FAILED;
    }
    r->count++;
    if (!j->one_file)
        flush_run(j);
    return PLEDGEX_OK;
}

/* Trailing white space and form feeds are not text. */
static void rstrip(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\f' ||
                     s[n - 1] == '\r' || s[n - 1] == '\t'))
        s[--n] = 0;
}

/* Reads one page: its text layer, or OCR of its rendering. */
static void do_page(pdf_job *j, PopplerDocument *doc, int index, const char *tmpdir,
                    const pdf_log *log)
{
    int errors_before = log->count;
    PopplerPage *page = poppler_document_get_page(doc, index);
    if (!page) {
        flush_run(j);
        page_failed(j, index, "cannot be read (damaged PDF)");
        return;
    }
    char *text = poppler_page_get_text(page);
    pdf_verdict v = PDF_LAYER_EMPTY;
    if (text && *text) {
        double images = pledgex__pdf_image_cover(page);
        /* Glyph boxes matter only for a little text over a big picture. */
        double glyphs = images >= PDF_SCAN_COVER ? pledgex__pdf_text_cover(page) : 0;
        v = pledgex__pdf_judge(text, images, glyphs, NULL);
    }
    if (v == PDF_LAYER_REAL) {
        flush_run(j);
        rstrip(text);
        pledgex_block b = {.kind = "pdf-text", .page = index + 1, .text = text,
                           .confidence = -1, .flags = 0};
        j->host->emit_block(j->ctx, &b);
        j->text_pages++;
        g_free(text);
        g_object_unref(page);
        return;
    }
    g_free(text);
    if (j->verdicts[v]++ == 0)
        j->verdict_first[v] = index + 1;

    double pw = 0, ph = 0, dpi = 0;
    poppler_page_get_size(page, &pw, &ph);
    char err[600];
    PIX *pix = NULL;
    int blank = 0;
    int rc = pledgex__pdf_render_dpi(pw, ph, j->max_pixels, &dpi, err, sizeof err);
    if (rc == PLEDGEX_OK)
        rc = pledgex__pdf_render(page, dpi, &pix, &blank, err, sizeof err);
    g_object_unref(page);
    if (rc != PLEDGEX_OK) {
        flush_run(j);
        page_failed(j, index, err);
        return;
    }
    if (dpi < PDF_RENDER_DPI - 0.5) {
        char w[200];
        snprintf(w, sizeof w, "page %d rendered at %.0f dpi to stay within --max-pixels",
                 index + 1, dpi);
        warn(j, w);
    }
    if (blank) {
        /* Nothing to read: a blank page, or one whose content was lost. */
        flush_run(j);
        pixDestroy(&pix);
        if (log->count > errors_before) {
            page_failed(j, index, "nothing could be read on it (damaged PDF)");
        } else {
            /* Still a page of the document: an empty block keeps the page
             * numbering whole (kind "pdf-blank", no OCR spent on it). */
            pledgex_block b = {.kind = "pdf-blank", .page = index + 1, .text = "",
                               .confidence = -1, .flags = 0};
            j->host->emit_block(j->ctx, &b);
            j->blank_pages++;
        }
        return;
    }
    rc = add_to_run(j, index, pix, tmpdir, err, sizeof err);
    pixDestroy(&pix);
    if (rc != PLEDGEX_OK)
        page_failed(j, index, err);
}

/* One warning per kind of junk layer, not one per page. */
static void warn_verdicts(pdf_job *j)
{
    if (j->ocr_missing) {
        char w[420];
        snprintf(w, sizeof w, "%d page%s needing OCR not read: %s", j->ocr_missing,
                 j->ocr_missing > 1 ? "s" : "", j->ocr_why);
        warn(j, w);
    }
    for (int v = PDF_LAYER_STRAY; v < N_VERDICTS; v++) {
        if (!j->verdicts[v])
            continue;
        char w[300];
        snprintf(w, sizeof w, "%d page%s (first: page %d) with %s: read by OCR instead",
                 j->verdicts[v], j->verdicts[v] > 1 ? "s" : "", j->verdict_first[v],
                 pledgex__pdf_verdict_name((pdf_verdict)v));
        warn(j, w);
    }
}

static int pdf_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                       const pledgex_input *in, char *err, size_t errlen)
{
    (void)state;
    const char *tmpdir = host->tmpdir ? host->tmpdir(ctx) : NULL;
    if (!tmpdir) {
        snprintf(err, errlen, "the host gave no temp dir");
        return PLEDGEX_FAILED;
    }
    char *password = NULL;
    int rc = pledgex__pdf_password(host, ctx, &password, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;

    pdf_log log;
    pledgex__pdf_log_begin(&log);
    PopplerDocument *doc = NULL;
    int repaired = 0;
    rc = pledgex__pdf_open(in->path, password, tmpdir, &doc, &repaired, err, errlen);
    free(password);
    if (rc != PLEDGEX_OK) {
        pledgex__pdf_log_end(&log);
        return rc;
    }

    int total = poppler_document_get_n_pages(doc);
    int64_t max_pages = host->limit ? host->limit(ctx, "max_pages", PDF_DEFAULT_MAX_PAGES)
                                    : PDF_DEFAULT_MAX_PAGES;
    int npages = total;
    if (max_pages > 0 && npages > max_pages)
        npages = (int)max_pages;

    const char *pdf_out = host->option ? host->option(ctx, "pdf_out") : NULL;
    pdf_job j = {
        .host = host,
        .ctx = ctx,
        .one_file = pdf_out && *pdf_out,
        .max_pixels = host->limit ? host->limit(ctx, "max_pixels", PDF_DEFAULT_MAX_PIXELS)
                                  : PDF_DEFAULT_MAX_PIXELS,
    };
    int interrupted = -1;
    for (int i = 0; i < npages; i++) {
        if (host->cancelled && host->cancelled(ctx)) {
            interrupted = i;
            break;
        }
        if (host->progress) {
            char what[64];
            snprintf(what, sizeof what, "PDF page %d/%d", i + 1, npages);
            host->progress(ctx, (double)i / npages, what);
        }
        do_page(&j, doc, i, tmpdir, &log);
    }
    int attached = 0;
    if (interrupted < 0) {
        flush_run(&j);
        pledgex__pdf_attachments(doc, host, ctx, tmpdir, &attached);
    } else if (j.run.count) {
        unlink(j.run.path);
        j.run.count = 0;
    }
    g_object_unref(doc);
    pledgex__pdf_log_end(&log);
    if (host->progress)
        host->progress(ctx, 1.0, "PDF done");

    warn_verdicts(&j);
    if (j.ocr_pages && !j.text_pages)
        host->set_attr(ctx, "kind", "scan");
    else if (j.text_pages && !j.ocr_pages)
        host->set_attr(ctx, "kind", "text");

    if (interrupted >= 0) {
        snprintf(err, errlen, "interrupted at page %d of %d", interrupted + 1, npages);
        return PLEDGEX_FAILED;
    }
    char damage[400] = "";
    if (repaired)
        snprintf(damage, sizeof damage, "damaged PDF (truncated or corrupt%s%s): ",
                 log.first[0] ? ": " : "", log.first);
    if (npages > 0 && j.failed >= npages) {
        if (npages == 1)
            snprintf(err, errlen, "%s%s", damage, j.first_err);
        else
            snprintf(err, errlen, "%sno page could be read; first: %s", damage, j.first_err);
        return PLEDGEX_FAILED;
    }
    if (npages == 0 && !attached) {
        snprintf(err, errlen, "%sthe PDF has no pages", damage);
        return PLEDGEX_FAILED;
    }
    int read = npages - j.failed;
    if (repaired || j.failed) {
        snprintf(err, errlen, "%s%d of %d pages read%s%s", damage, read, total,
                 j.failed ? "; first failure: " : "", j.failed ? j.first_err : "");
        return PLEDGEX_WARN;
    }
    if (npages < total) {
        snprintf(err, errlen, "%d pages, only the first %d read (--max-pages)", total, npages);
        return PLEDGEX_WARN;
    }
    if (j.partial) {
        snprintf(err, errlen, "some pages could not be OCR'd (see warnings)");
        return PLEDGEX_WARN;
    }
    return PLEDGEX_OK;
}

static const pledgex_claim pdf_claims[] = {
    {"application/pdf", 60},
    {"application/x-pdf", 60},
    {NULL, 0},
};

static const pledgex_plugin pdf_plugin = {
    .abi_major = PLEDGEX_PLUGIN_ABI_MAJOR,
    .abi_minor = 0, /* uses only the services of ABI 1.0 */
    .name = "pdf",
    .version = "0.1",
    .description = "PDF pages: text layers judged before they are trusted, OCR otherwise "
                   "(poppler)",
    .claims = pdf_claims,
    .process = pdf_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &pdf_plugin;
}
