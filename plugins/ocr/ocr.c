/*
 * ocr.c -- the "ocr" plugin: images of document pages to text blocks, one
 * per page, through tesseract and leptonica.
 *
 * Called by the pipeline for image files, and by other plugins through
 * host->delegate (a photo that is really a document page, PDF pages
 * rendered to a multi-page TIFF).  The state holds the worker's single
 * tesseract handle, started on the first page.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ocr.h"

/* A page is flagged for review below this mean word confidence, or when
 * more than this share of its words are in no dictionary. */
#define OCR_REVIEW_CONFIDENCE 0.70
#define OCR_REVIEW_UNKNOWN_SHARE 0.40
#define OCR_REVIEW_MIN_WORDS 5
/* Below this confidence, or above this share of unknown words, a page may
 * be turned and OSD is asked. */
#define OCR_UPRIGHT_CONFIDENCE 0.85
#define OCR_UPRIGHT_UNKNOWN_SHARE 0.25

typedef struct ocr_state {
    ocr_engine *eng;
    ocr_words *words; /* opened with the engine; NULL when hunspell fails */
} ocr_state;

static int ocr_init(const pledgex_host *host, void **state, char *err, size_t errlen)
{
    (void)host;
    pledgex__ocr_lept_quiet();
    ocr_state *s = calloc(1, sizeof *s);
    if (!s || !(s->eng = pledgex__ocr_engine_new())) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    *state = s;
    return PLEDGEX_OK;
}

static void ocr_fini(void *state)
{
    ocr_state *s = state;
    if (!s)
        return;
    pledgex__ocr_engine_free(&s->eng);
    pledgex__ocr_words_free(&s->words);
    free(s);
}

/* "+osd,-deskew": switches preprocessing steps on and off. */
static void parse_prep(const char *spec, ocr_prep_opts *o)
{
    static const struct {
        const char *name;
        size_t off;
    } steps[] = {
        {"osd", offsetof(ocr_prep_opts, osd)},
        {"deskew", offsetof(ocr_prep_opts, deskew)},
        {"dewarp", offsetof(ocr_prep_opts, dewarp)},
        {"bgnorm", offsetof(ocr_prep_opts, bgnorm)},
        {"ink", offsetof(ocr_prep_opts, ink)},
        {"upscale", offsetof(ocr_prep_opts, upscale)},
        {"marks", offsetof(ocr_prep_opts, marks)},
        {"tidy", offsetof(ocr_prep_opts, tidy)},
        {"phrases", offsetof(ocr_prep_opts, phrases)},
    };
    if (!spec)
        return;
    const char *p = spec;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        int on = 1;
        if (*p == '+' || *p == '-')
            on = *p++ == '+';
        size_t n = strcspn(p, ", ");
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
            if (strlen(steps[i].name) == n && !strncmp(p, steps[i].name, n))
                *(int *)((char *)o + steps[i].off) = on;
        p += n;
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Drops trailing white space and form feeds tesseract appends. */
static void rstrip(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\f' ||
                     s[n - 1] == '\r' || s[n - 1] == '\t'))
        s[--n] = 0;
}

/* Everything one page needs that stays the same across pages. */
typedef struct job {
    ocr_state *s;
    const pledgex_host *host;
    pledgex_ctx *ctx;
    ocr_prep_opts opts;
    int timeout_s;
    ocr_pdf *pdf;
    ocr_prep_cache cache; /* of the page being read */
} job;

/* One reading of a page: prepared image, text and word checks. */
typedef struct attempt {
    PIX *ready, *display;
    ocr_prep_info info;
    ocr_page_result res;
    double unknown; /* share of words no dictionary knows */
    int nchecked;   /* words looked up */
} attempt;

static void attempt_free(attempt *a)
{
    pixDestroy(&a->ready);
    pixDestroy(&a->display);
    free(a->res.text);
    a->res.text = NULL;
}

/* Prepares `page` turned `quarter` times and recognises it within what is
 * left of the page's time (started at t0). */
static int attempt_run(job *j, PIX *page, int quarter, int stop_if_turned, double t0,
                       attempt *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->ready = pledgex__ocr_prepare(page, quarter, &j->opts, &j->cache, &a->info,
                                    j->pdf ? &a->display : NULL, err, errlen);
    if (!a->ready)
        return PLEDGEX_FAILED;
    /* Preparation counts against the page's time. */
    int left = j->timeout_s - (int)(now_s() - t0);
    if (left <= 0) {
        snprintf(err, errlen, "page ran past the time limit of %d s (--page-timeout)",
                 j->timeout_s);
        return PLEDGEX_FAILED;
    }
    int rc = pledgex__ocr_engine_recognize(j->s->eng, a->ready, a->info.resolution, left,
                                           stop_if_turned, j->host, j->ctx, &a->res, err,
                                           errlen);
    if (rc != PLEDGEX_OK || a->res.skipped)
        return rc;
    rstrip(a->res.text);
    if (j->opts.tidy) {
        char *t = pledgex__ocr_text_tidy(a->res.text);
        if (t) {
            free(a->res.text);
            a->res.text = t;
        }
    }
    if (j->opts.phrases) {
        int nfixed = 0;
        char *fixed = pledgex__ocr_phrases_fix(a->res.text, &nfixed);
        if (fixed) {
            free(a->res.text);
            a->res.text = fixed;
        }
    }
    if (j->opts.marks && j->s->words) {
        int nfixed = 0;
        char *fixed = pledgex__ocr_words_fix_marks(j->s->words, a->res.text, &nfixed);
        if (fixed) {
            free(a->res.text);
            a->res.text = fixed;
        }
    }
    a->unknown = pledgex__ocr_words_unknown_share(j->s->words, j->s->eng, a->res.text,
                                                  &a->nchecked);
    return PLEDGEX_OK;
}

/* Words of a reading that a dictionary knows. */
static double known_words(const attempt *a)
{
    return a->nchecked * (1.0 - a->unknown);
}

/* A page that reads this badly upright may be turned: worth asking OSD.
 * Most pages are upright and read well, and skip OSD's cost. */
static int doubtful(const attempt *a)
{
    return a->res.skipped ||
           (a->res.nwords >= 3 &&
            (a->res.turned_blocks > 0 || a->res.confidence < OCR_UPRIGHT_CONFIDENCE ||
             (a->nchecked >= OCR_REVIEW_MIN_WORDS && a->unknown > OCR_UPRIGHT_UNKNOWN_SHARE)));
}

/* Reads page `index` of img and emits its block.  Returns PLEDGEX_OK or
 * PLEDGEX_FAILED (reason in err). */
static int do_page(job *j, ocr_image *img, int index, char *err, size_t errlen)
{
    double t0 = now_s();
    PIX *page = NULL;
    int rc = pledgex__ocr_image_page(img, index, &page, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;
    /* The page is first turned as leptonica's quick test finds it, when
     * that test is sure: an upside-down page is then read once, not
     * upright first.  A page whose layout still shows turned blocks is
     * not read at all: OSD first saves a whole recognition. */
    attempt a;
    rc = attempt_run(j, page, j->opts.osd ? OCR_QUARTER_DETECT : 0, j->opts.osd, t0, &a, err,
                     errlen);
    if (rc != PLEDGEX_OK) {
        attempt_free(&a);
        pixDestroy(&page);
        pixDestroy(&j->cache.gray);
        return rc;
    }
    int q0 = a.info.rotated;
    if (j->opts.osd && doubtful(&a)) {
        /* OSD looks at the page as the first reading saw it: its answer
         * adds to the quick test's turn.  When OSD cannot tell and the
         * quick test did turn the page, the page as it came is the other
         * candidate. */
        int q = pledgex__ocr_orientation(j->s->eng, a.ready);
        int other = q > 0 ? (q0 + q) % 4 : q < 0 && q0 > 0 ? 0 : -1;
        int keep_a = 1;
        if (other >= 0) {
            attempt b;
            char berr[256];
            /* The turned reading wins when it finds at least as many
             * dictionary words: a partial reading of a sideways page can
             * have the higher mean confidence. */
            if (attempt_run(j, page, other, 0, t0, &b, berr, sizeof berr) == PLEDGEX_OK &&
                (a.res.skipped || known_words(&b) >= known_words(&a))) {
                attempt_free(&a);
                a = b;
                keep_a = 0;
            } else
                attempt_free(&b);
        }
        /* Turned blocks but OSD finds the page upright (or the turned
         * reading failed): read it as it is after all. */
        if (keep_a && a.res.skipped) {
            attempt_free(&a);
            rc = attempt_run(j, page, q0, 0, t0, &a, err, errlen);
            if (rc != PLEDGEX_OK) {
                attempt_free(&a);
                pixDestroy(&page);
                pixDestroy(&j->cache.gray);
                return rc;
            }
        } else if (keep_a && j->pdf) {
            /* OSD cleared tesseract's results: the PDF needs them back. */
            ocr_page_result again;
            char aerr[256];
            if (pledgex__ocr_engine_recognize(j->s->eng, a.ready, a.info.resolution,
                                              j->timeout_s, 0, j->host, j->ctx, &again, aerr,
                                              sizeof aerr) == PLEDGEX_OK)
                free(again.text);
        }
    }
    pixDestroy(&page);
    pixDestroy(&j->cache.gray);

    unsigned flags = 0;
    if (a.res.confidence < OCR_REVIEW_CONFIDENCE || a.res.nwords == 0 ||
        (a.nchecked >= OCR_REVIEW_MIN_WORDS && a.unknown > OCR_REVIEW_UNKNOWN_SHARE))
        flags |= PLEDGEX_BLOCK_NEEDS_REVIEW;
    pledgex_block b = {
        .kind = "ocr",
        .page = index + 1,
        .text = a.res.text,
        .confidence = a.res.confidence,
        .flags = flags,
    };
    j->host->emit_block(j->ctx, &b);
    if (j->pdf) {
        TessBaseAPI *api = pledgex__ocr_engine_api(j->s->eng);
        /* Tesseract takes ownership of the input image it is given. */
        if (api && a.display)
            TessBaseAPISetInputImage(api, pixClone(a.display));
        char perr[256];
        if (pledgex__ocr_pdf_add(j->pdf, perr, sizeof perr) != PLEDGEX_OK && j->host->warn)
            j->host->warn(j->ctx, perr);
    }
    attempt_free(&a);
    return PLEDGEX_OK;
}

static int ocr_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                       const pledgex_input *in, char *err, size_t errlen)
{
    ocr_state *s = state;
    if (!s) {
        snprintf(err, errlen, "ocr plugin used without init");
        return PLEDGEX_FATAL;
    }
    static const char default_lang[] = OCR_DEFAULT_LANG;
    const char *lang = host->option ? host->option(ctx, "lang") : NULL;
    if (!lang || !*lang)
        lang = default_lang;
    int64_t max_pixels =
        host->limit ? host->limit(ctx, "max_pixels", OCR_DEFAULT_MAX_PIXELS) : OCR_DEFAULT_MAX_PIXELS;
    int64_t timeout = host->limit ? host->limit(ctx, "page_timeout_s", OCR_DEFAULT_PAGE_TIMEOUT_S)
                                  : OCR_DEFAULT_PAGE_TIMEOUT_S;
    int64_t max_pages = host->limit ? host->limit(ctx, "max_pages", 0) : 0;

    /* Cheap checks first: a refused header never starts tesseract. */
    ocr_image *img = NULL;
    int rc = pledgex__ocr_image_open(in->path, max_pixels, &img, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;
    /* The photo plugin decoded this page to find it is one. */
    if (PLEDGEX_HOST_HAS(host, handoff_take))
        pledgex__ocr_image_adopt(img, host->handoff_take(ctx, in->path, PLEDGEX_HANDOFF_PIX));
    /* The quick first pass only serves the default languages, unless
     * asked for; not for a searchable PDF either, whose text layer comes
     * from the handle that read the whole page. */
    const char *pdf_dir = host->option ? host->option(ctx, "pdf_out") : NULL;
    const char *first = host->option ? host->option(ctx, "ocr_first") : NULL;
    if (!first)
        first = lang == default_lang && !(pdf_dir && *pdf_dir) ? OCR_FIRST_LANG : NULL;
    rc = pledgex__ocr_engine_ready(s->eng, lang, first, err, errlen);
    if (rc != PLEDGEX_OK && lang == default_lang) {
        /* Without the script model the plain language model still reads
         * Vietnamese, less well: say so rather than fail every page. */
        char why[512];
        snprintf(why, sizeof why, "%s; reading with \"%s\" only", err, OCR_FALLBACK_LANG);
        rc = pledgex__ocr_engine_ready(s->eng, OCR_FALLBACK_LANG, NULL, err, errlen);
        if (rc == PLEDGEX_OK) {
            err[0] = 0;
            if (host->warn)
                host->warn(ctx, why);
        }
    }
    if (rc != PLEDGEX_OK) {
        pledgex__ocr_image_close(&img);
        return rc;
    }
    if (!s->words)
        s->words = pledgex__ocr_words_new();

    job j = {.s = s, .host = host, .ctx = ctx};
    pledgex__ocr_prep_defaults(&j.opts);
    parse_prep(host->option ? host->option(ctx, "ocr_prep") : NULL, &j.opts);
    j.timeout_s = timeout > 0 && timeout < 1000000 ? (int)timeout : OCR_DEFAULT_PAGE_TIMEOUT_S;

    int npages = pledgex__ocr_image_pages(img);
    if (max_pages > 0 && npages > max_pages) {
        char w[160];
        snprintf(w, sizeof w, "%d pages, only the first %lld read (--max-pages)", npages,
                 (long long)max_pages);
        if (host->warn)
            host->warn(ctx, w);
        npages = (int)max_pages;
    }

    if (pdf_dir && *pdf_dir) {
        char perr[512];
        if (pledgex__ocr_pdf_begin(s->eng, pdf_dir, in->address ? in->address : in->name,
                                   &j.pdf, perr, sizeof perr) != PLEDGEX_OK &&
            host->warn)
            host->warn(ctx, perr);
    }

    int failed = 0;
    char first_err[700] = "";
    for (int i = 0; i < npages; i++) {
        if (host->cancelled && host->cancelled(ctx)) {
            snprintf(err, errlen, "interrupted at page %d of %d", i + 1, npages);
            pledgex__ocr_pdf_free(&j.pdf);
            pledgex__ocr_image_close(&img);
            return PLEDGEX_FAILED;
        }
        if (host->progress) {
            char what[64];
            snprintf(what, sizeof what, "OCR page %d/%d", i + 1, npages);
            host->progress(ctx, (double)i / npages, what);
        }
        char perr[512] = "";
        if (do_page(&j, img, i, perr, sizeof perr) != PLEDGEX_OK) {
            failed++;
            if (npages > 1) {
                char w[600];
                snprintf(w, sizeof w, "page %d: %s", i + 1, perr);
                if (host->warn)
                    host->warn(ctx, w);
                if (!first_err[0])
                    snprintf(first_err, sizeof first_err, "%s", w);
            } else
                snprintf(first_err, sizeof first_err, "%s", perr);
        }
    }
    pledgex__ocr_image_close(&img);

    if (j.pdf) {
        const char *path = NULL;
        char perr[512];
        if (pledgex__ocr_pdf_end(j.pdf, &path, perr, sizeof perr) == PLEDGEX_OK)
            host->set_attr(ctx, "pdf", path);
        else if (host->warn)
            host->warn(ctx, perr);
        pledgex__ocr_pdf_free(&j.pdf);
    }
    if (host->progress)
        host->progress(ctx, 1.0, "OCR done");
    if (failed == npages) {
        snprintf(err, errlen, "%s", first_err);
        return PLEDGEX_FAILED;
    }
    if (failed) {
        snprintf(err, errlen, "%d of %d pages failed; first: %s", failed, npages, first_err);
        return PLEDGEX_WARN;
    }
    return PLEDGEX_OK;
}

static const pledgex_claim ocr_claims[] = {
    {"image/png", 50},
    {"image/jpeg", 50},
    {"image/tiff", 50},
    {"image/x-portable-anymap", 50},
    {"image/x-portable-bitmap", 50},
    {"image/x-portable-graymap", 50},
    {"image/x-portable-greymap", 50}, /* libmagic's spelling (file 5.44) */
    {"image/x-portable-pixmap", 50},
    {"image/bmp", 50},
    {"image/x-ms-bmp", 50},
    {"image/gif", 50},
    {"image/webp", 50},
    {"image/jp2", 50},
    {"image/jpx", 50},
    {NULL, 0},
};

static const pledgex_plugin ocr_plugin = {
    .abi_major = PLEDGEX_PLUGIN_ABI_MAJOR,
    .abi_minor = PLEDGEX_PLUGIN_ABI_MINOR,
    .name = "ocr",
    .version = "0.1",
    .description = "text of document page images (tesseract + leptonica)",
    .claims = ocr_claims,
    .init = ocr_init,
    .fini = ocr_fini,
    .process = ocr_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &ocr_plugin;
}
