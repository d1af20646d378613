/*
 * ocr_engine.c -- the one TessBaseAPI of a worker process.  It is created on
 * the first page (so loading the plugin stays cheap) and kept for the whole
 * batch; a change of language re-initialises the same handle.  Recognition
 * runs under a monitor that stops it at the page time limit or when the
 * host cancels.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ocr.h"
#include "strbuf.h"

struct ocr_engine {
    TessBaseAPI *api;
    char lang[OCR_LANG_MAX]; /* language the api runs, "" before init */
    char datadir[1024];
    int osd_state;           /* 0 unknown, 1 osd.traineddata present, -1 absent */
    /* Re-reading of doubtful lines (NULL: one pass): api reads the page
     * with the quick first-pass language, api2 re-reads with `lang2`
     * the lines where a word came out with low confidence. */
    TessBaseAPI *api2;
    char lang2[OCR_LANG_MAX];
};

ocr_engine *pledgex__ocr_engine_new(void)
{
    return calloc(1, sizeof(ocr_engine));
}

void pledgex__ocr_engine_free(ocr_engine **eng)
{
    if (!eng || !*eng)
        return;
    if ((*eng)->api) {
        TessBaseAPIEnd((*eng)->api);
        TessBaseAPIDelete((*eng)->api);
    }
    if ((*eng)->api2) {
        TessBaseAPIEnd((*eng)->api2);
        TessBaseAPIDelete((*eng)->api2);
    }
    free(*eng);
    *eng = NULL;
}

TessBaseAPI *pledgex__ocr_engine_api(ocr_engine *eng)
{
    return eng->lang[0] ? eng->api : NULL;
}

const char *pledgex__ocr_engine_datadir(ocr_engine *eng)
{
    return eng->datadir[0] ? eng->datadir : NULL;
}

/* Starts (or re-initialises) *api with `lang` from `dir`. */
static int start_api(TessBaseAPI **api, const char *dir, const char *lang, char *err,
                     size_t errlen)
{
    if (!*api && !(*api = TessBaseAPICreate())) {
        snprintf(err, errlen, "cannot create the tesseract engine");
        return PLEDGEX_FATAL;
    }
    /* tesseract's own messages (tprintf) go to debug_file; a plugin never
     * writes to the terminal. */
    TessBaseAPISetVariable(*api, "debug_file", "/dev/null");
    char *configs[] = {NULL};
    if (TessBaseAPIInit4(*api, dir, lang, OEM_LSTM_ONLY, configs, 0, NULL, NULL, 0, 0) != 0) {
        snprintf(err, errlen,
                 "tesseract cannot load language \"%s\" from %s (damaged or "
                 "incompatible traineddata?)",
                 lang, dir);
        return PLEDGEX_FAILED;
    }
    TessBaseAPISetVariable(*api, "debug_file", "/dev/null");
    /* No fixed-pitch (typewriter) analysis of every text row: the line
     * recogniser finds the words itself (bench/ocr: same text, ~3% less
     * CPU). */
    TessBaseAPISetVariable(*api, "textord_all_prop", "1");
    return PLEDGEX_OK;
}

int pledgex__ocr_engine_ready(ocr_engine *eng, const char *lang, const char *first,
                              char *err, size_t errlen)
{
    if (first && (!*first || !strcmp(first, lang)))
        first = NULL;
    const char *main_lang = first ? first : lang;
    if (eng->lang[0] && !strcmp(eng->lang, main_lang) &&
        (first ? eng->api2 && !strcmp(eng->lang2, lang) : !eng->lang2[0]))
        return PLEDGEX_OK;
    char dir[1024], dir2[1024];
    int rc = pledgex__ocr_lang_check(main_lang, dir, sizeof dir, err, errlen);
    if (rc == PLEDGEX_OK && first)
        rc = pledgex__ocr_lang_check(lang, dir2, sizeof dir2, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;
    /* The first handle is kept when only the re-reading changes. */
    int keep = eng->lang[0] && !strcmp(eng->lang, main_lang);
    eng->lang[0] = 0;
    eng->lang2[0] = 0;
    if (!keep) {
        rc = start_api(&eng->api, dir, main_lang, err, errlen);
        if (rc != PLEDGEX_OK)
            return rc;
    }
    if (first) {
        rc = start_api(&eng->api2, dir2, lang, err, errlen);
        if (rc != PLEDGEX_OK)
            return rc;
        snprintf(eng->lang2, sizeof eng->lang2, "%s", lang);
    } else if (eng->api2) {
        TessBaseAPIEnd(eng->api2);
        TessBaseAPIDelete(eng->api2);
        eng->api2 = NULL;
    }
    snprintf(eng->lang, sizeof eng->lang, "%s", main_lang);
    snprintf(eng->datadir, sizeof eng->datadir, "%s", dir);
    char osd[1200];
    snprintf(osd, sizeof osd, "%s/osd.traineddata", dir);
    FILE *f = fopen(osd, "rb");
    eng->osd_state = f ? 1 : -1;
    if (f)
        fclose(f);
    return PLEDGEX_OK;
}

int pledgex__ocr_engine_orientation(ocr_engine *eng, PIX *pix)
{
    if (!eng->api || !eng->lang[0] || eng->osd_state != 1)
        return -1;
    /* Layout analysis in PSM_AUTO_OSD runs tesseract's orientation
     * detection with osd.traineddata inside the same handle. */
    TessBaseAPISetPageSegMode(eng->api, PSM_AUTO_OSD);
    TessBaseAPISetImage2(eng->api, pix);
    int quarter = -1;
    TessPageIterator *it = TessBaseAPIAnalyseLayout(eng->api);
    if (it) {
        TessOrientation o;
        TessWritingDirection wd;
        TessTextlineOrder order;
        float deskew = 0;
        TessPageIteratorOrientation(it, &o, &wd, &order, &deskew);
        /* PAGE_RIGHT: the top of the page points right, a quarter turn
         * anticlockwise makes it upright. */
        switch (o) {
        case ORIENTATION_PAGE_UP: quarter = 0; break;
        case ORIENTATION_PAGE_RIGHT: quarter = 3; break;
        case ORIENTATION_PAGE_DOWN: quarter = 2; break;
        case ORIENTATION_PAGE_LEFT: quarter = 1; break;
        }
        TessPageIteratorDelete(it);
    }
    TessBaseAPIClear(eng->api);
    TessBaseAPISetPageSegMode(eng->api, PSM_AUTO);
    return quarter;
}

/* What the monitor's cancel callback needs. */
typedef struct watch {
    const pledgex_host *host;
    pledgex_ctx *ctx;
    struct timespec deadline;
    int timed_out, cancelled;
} watch;

static bool watch_cancel(void *arg, int words)
{
    (void)words;
    watch *w = arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > w->deadline.tv_sec ||
        (now.tv_sec == w->deadline.tv_sec && now.tv_nsec >= w->deadline.tv_nsec))
        w->timed_out = 1;
    if (w->host && w->host->cancelled && w->host->cancelled(w->ctx))
        w->cancelled = 1;
    return w->timed_out || w->cancelled;
}

/* Text and word confidences of the whole page as the first handle read
 * it.  Returns 0, or -1 when out of memory. */
static int whole_page(ocr_engine *eng, ocr_page_result *res)
{
    char *text = TessBaseAPIGetUTF8Text(eng->api);
    res->text = strdup(text ? text : "");
    if (text)
        TessDeleteText(text);
    int *confs = TessBaseAPIAllWordConfidences(eng->api);
    double sum = 0;
    int n = 0;
    for (int i = 0; confs && confs[i] != -1; i++) {
        sum += confs[i];
        n++;
    }
    if (confs)
        TessDeleteIntArray(confs);
    res->nwords = n;
    res->confidence = n ? sum / n / 100.0 : 0.0;
    return res->text ? 0 : -1;
}

/* Recognises the rectangle with api2 in page segmentation mode psm: its
 * text (trailing line end dropped, caller frees with TessDeleteText) and
 * word confidences, or NULL. */
static char *read_rect(ocr_engine *eng, ETEXT_DESC *monitor, TessPageSegMode psm, int x, int y,
                       int w, int h, double *sum, int *n)
{
    TessBaseAPISetPageSegMode(eng->api2, psm);
    TessBaseAPISetRectangle(eng->api2, x, y, w, h);
    if (TessBaseAPIRecognize(eng->api2, monitor) != 0)
        return NULL;
    char *text = TessBaseAPIGetUTF8Text(eng->api2);
    if (!text)
        return NULL;
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        text[--len] = 0;
    int *confs = TessBaseAPIAllWordConfidences(eng->api2);
    *sum = 0;
    *n = 0;
    for (int i = 0; confs && confs[i] != -1; i++) {
        *sum += confs[i];
        (*n)++;
    }
    if (confs)
        TessDeleteIntArray(confs);
    if (len == 0 || *n == 0) {
        TessDeleteText(text);
        return NULL;
    }
    return text;
}

/* The rows a re-read cuts for line li: from the page's usual rise above
 * the baseline to its usual drop below it, or the letters' own box when
 * they reach further. */
static void line_span(const ocr_line *li, int rise, int drop, int *top, int *bottom)
{
    *top = li->base - rise < li->t ? li->base - rise : li->t;
    *bottom = li->base + drop > li->b ? li->base + drop : li->b;
}

/* That span with x from `left` to `right`, OCR_REREAD_PAD pixels of
 * margin around, clipped to the page.  Returns 0 when nothing is left. */
static int line_rect(PIX *pix, const ocr_line *li, int rise, int drop, int left, int right,
                     int *x0, int *y0, int *x1, int *y1)
{
    int w = pixGetWidth(pix), h = pixGetHeight(pix), pad = OCR_REREAD_PAD, top, bottom;
    line_span(li, rise, drop, &top, &bottom);
    *x0 = left - pad > 0 ? left - pad : 0;
    *y0 = top - pad > 0 ? top - pad : 0;
    *x1 = right + pad < w ? right + pad : w;
    *y1 = bottom + pad < h ? bottom + pad : h;
    return *x1 > *x0 && *y1 > *y0;
}

/* 1 when the line starts with a lone ".", ")", ":" or "," -- "1. Thi đua"
 * with its number lost: tesseract's page layout can split a column of list
 * numbers from the text (DejaVu Sans at 200 dpi: every number of a
 * six-item list gone, the periods kept or read as ":"), and the item then
 * no longer reads as one.  No Vietnamese line starts so otherwise. */
static int lost_list_number(const char *text)
{
    return text && text[0] && strchr(".):,", text[0]) && (text[1] == ' ' || text[1] == '\t');
}

/* Reads the list number left of a line that lost it: the strip from
 * about two digits' width left of the line's box to its first period, as
 * one line.  Writes the number with its period or parenthesis ("1." ..
 * "99)") to num and returns 1 when that is what it finds, else 0 (the
 * line is kept as read). */
static int read_list_number(ocr_engine *eng, PIX *pix, ETEXT_DESC *monitor,
                            const ocr_line *li, int rise, int drop, char num[4])
{
    int top, bottom, x0, y0, x1, y1;
    line_span(li, rise, drop, &top, &bottom);
    int height = bottom - top;
    /* (line_rect adds its margin on both sides: none on the right here,
     * which stops inside the line's first word) */
    if (height <= 0 || !line_rect(pix, li, rise, drop, li->l - 2 * height,
                                  li->l + height / 2 - OCR_REREAD_PAD, &x0, &y0, &x1, &y1))
        return 0;
    double sum;
    int n;
    char *text = read_rect(eng, monitor, PSM_SINGLE_LINE, x0, y0, x1 - x0, y1 - y0, &sum, &n);
    if (!text)
        return 0;
    size_t d = 0;
    while (d < 2 && text[d] >= '0' && text[d] <= '9')
        d++;
    int ok = d > 0 && text[0] != '0' && (text[d] == '.' || text[d] == ')');
    if (ok) {
        memcpy(num, text, d + 1);
        num[d + 1] = 0;
    }
    TessDeleteText(text);
    return ok;
}

/* Re-reads one line with the second handle in raw-line mode, as tesseract
 * cuts lines out of a page for its line recogniser: from the descender
 * line to the ascender line (the page's usual rise and drop around the
 * baseline, or more when the letters reach further), plus a small
 * padding.  The line's own box alone would scale short lines (no
 * ascender, no descender) differently from the page reading.  Appends the
 * text (without line end) to out and sets *sum / *n to its word
 * confidences.  Returns 1 when it read something, 0 when not or when
 * what it read is garbage: the caller keeps the first reading; -1 when
 * both readings are garbage: the caller drops the line
 * (pledgex__ocr_reread_verdict). */
static int reread_line(ocr_engine *eng, PIX *pix, ETEXT_DESC *monitor, const ocr_line *li,
                       int rise, int drop, pledgex_strbuf *out, double *sum, int *n)
{
    int x0, y0, x1, y1;
    if (!line_rect(pix, li, rise, drop, li->l, li->r, &x0, &y0, &x1, &y1))
        return 0;
    char *text = read_rect(eng, monitor, PSM_RAW_LINE, x0, y0, x1 - x0, y1 - y0, sum, n);
    /* Raw-line mode reads marks best but may run words together on a
     * widely spaced line ("GIÁMĐỐC FGIÁMĐỐC CỤCTRƯỞNG" for a signature
     * row): when it finds fewer words than the first reading, the line is
     * read again as a single line, which keeps the gaps, and the reading
     * with more words is kept. */
    if (text && *n < li->n) {
        double s2;
        int n2;
        char *again = read_rect(eng, monitor, PSM_SINGLE_LINE, x0, y0, x1 - x0, y1 - y0, &s2,
                                &n2);
        if (again && n2 > *n) {
            TessDeleteText(text);
            text = again;
            *sum = s2;
            *n = n2;
        } else if (again) {
            TessDeleteText(again);
        }
    }
    if (!text)
        return 0;
    ocr_verdict v = pledgex__ocr_reread_verdict(li->sum, li->n, *sum, *n);
    if (v != OCR_TAKE_REREAD) {
        TessDeleteText(text);
        return v == OCR_DROP_LINE ? -1 : 0;
    }
    pledgex__sb_add(out, text, strlen(text));
    TessDeleteText(text);
    return 1;
}

/* Text of the page line by line from the first reading, each line whose
 * weakest word is under OCR_REREAD_CONFIDENCE replaced by the second
 * handle's reading of it.  Lines end in "\n", paragraphs in an empty
 * line, as GetUTF8Text has it.  Returns 0, or -1 when out of memory. */
static int compose_lines(ocr_engine *eng, PIX *pix, int resolution, ETEXT_DESC *monitor,
                         ocr_page_result *res)
{
    /* 1. The lines as the first handle read them, with their words. */
    ocr_line *lines = NULL;
    ocr_word_box *words = NULL;
    int *first = NULL; /* first[i]: the first word of line i */
    int nlines = 0, cap = 0, nwords = 0, wcap = 0, oom = 0;
    TessResultIterator *ri = TessBaseAPIGetIterator(eng->api);
    /* The result iterator is its own page iterator (not a copy). */
    const TessPageIterator *pi = ri ? TessResultIteratorGetPageIteratorConst(ri) : NULL;
    int more = ri != NULL;
    while (more && !oom) {
        if (nlines + 1 >= cap) {
            int ncap = cap ? cap * 2 : 64;
            ocr_line *nl = realloc(lines, (size_t)ncap * sizeof *nl);
            if (nl)
                lines = nl;
            int *nf = nl ? realloc(first, (size_t)ncap * sizeof *nf) : NULL;
            if (!nf) {
                oom = 1;
                break;
            }
            first = nf;
            cap = ncap;
        }
        ocr_line *li = &lines[nlines];
        memset(li, 0, sizeof *li);
        first[nlines] = nwords;
        TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &li->l, &li->t, &li->r, &li->b);
        int bx1 = 0, by1 = 0, bx2 = 0, by2 = 0;
        if (TessPageIteratorBaseline(pi, RIL_TEXTLINE, &bx1, &by1, &bx2, &by2)) {
            li->base = (by1 + by2) / 2;
            li->base_l = by1;
            li->base_r = by2;
        } else
            li->base = li->base_l = li->base_r = li->b;
        li->para_end = TessPageIteratorIsAtFinalElement(pi, RIL_PARA, RIL_TEXTLINE);
        char *text = TessResultIteratorGetUTF8Text(ri, RIL_TEXTLINE);
        li->text = text ? strdup(text) : NULL;
        if (text && !li->text)
            oom = 1;
        TessDeleteText(text);
        li->weakest = 100.0f;
        for (;;) {
            float c = TessResultIteratorConfidence(ri, RIL_WORD);
            li->sum += c;
            li->n++;
            if (c < li->weakest)
                li->weakest = c;
            if (nwords == wcap) {
                int ncap = wcap ? wcap * 2 : 512;
                ocr_word_box *nw = realloc(words, (size_t)ncap * sizeof *nw);
                if (!nw) {
                    oom = 1;
                    break;
                }
                words = nw;
                wcap = ncap;
            }
            ocr_word_box *w = &words[nwords++];
            TessPageIteratorBoundingBox(pi, RIL_WORD, &w->l, &w->t, &w->r, &w->b);
            w->conf = c;
            w->text = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
            if (TessPageIteratorIsAtFinalElement(pi, RIL_TEXTLINE, RIL_WORD) ||
                !TessResultIteratorNext(ri, RIL_WORD))
                break;
        }
        if (li->text && !oom) {
            nlines++;
        } else { /* a line without text: its words go too */
            free(li->text);
            for (int k = first[nlines]; k < nwords; k++)
                TessDeleteText(words[k].text);
            nwords = first[nlines];
        }
        more = TessResultIteratorNext(ri, RIL_TEXTLINE);
    }
    if (ri)
        TessResultIteratorDelete(ri);
    /* Words of specks out, far words cut apart (ocr_junk.c); out of
     * memory, the lines as read. */
    if (!oom) {
        first[nlines] = nwords;
        ocr_line *tidy;
        int ntidy = pledgex__ocr_tidy_lines(lines, nlines, words, first, &tidy);
        if (ntidy >= 0) {
            free(lines);
            lines = tidy;
            nlines = ntidy;
        }
    }
    for (int i = 0; i < nwords; i++)
        TessDeleteText(words[i].text);
    free(words);
    free(first);

    /* 2. The page's usual rise above and drop below the baseline. */
    int *rises = oom ? NULL : malloc(sizeof(int) * (size_t)(2 * nlines + 1));
    int rise = 0, drop = 0;
    if (rises) {
        for (int i = 0; i < nlines; i++) {
            rises[i] = lines[i].base - lines[i].t;
            rises[nlines + i] = lines[i].b - lines[i].base;
        }
        rise = pledgex__ocr_median(rises, nlines);
        drop = pledgex__ocr_median(rises + nlines, nlines);
        free(rises);
    } else
        oom = 1;

    /* 3. Lines cut in two put back together. */
    int *order = oom ? NULL : malloc(sizeof(int) * (size_t)(nlines + 1));
    unsigned char *join = oom ? NULL : malloc((size_t)nlines + 1);
    if (order && join)
        pledgex__ocr_row_order(lines, nlines, rise + drop, order, join);
    else
        oom = 1;

    /* 4. The text, doubtful lines read again. */
    pledgex_strbuf out = {0};
    pledgex__sb_add(&out, "", 0);
    double sum = 0;
    int n = 0, image_set = 0, para_end = 0;
    for (int k = 0; k < nlines && !oom; k++) {
        ocr_line *li = &lines[order[k]];
        /* the line end (and paragraph end) of the row before */
        size_t mark = out.len;
        if (k > 0 && join[order[k]])
            pledgex__sb_add(&out, " ", 1);
        else if (k > 0) {
            pledgex__sb_add(&out, "\n", 1);
            if (para_end)
                pledgex__sb_add(&out, "\n", 1);
        }
        if (!join[order[k]])
            para_end = li->para_end;
        int replaced = 0;
        int weak = li->n > 0 && li->weakest < OCR_REREAD_CONFIDENCE;
        int lost = lost_list_number(li->text);
        if ((weak || lost) && !image_set) {
            TessBaseAPISetImage2(eng->api2, pix);
            if (resolution > 0)
                TessBaseAPISetSourceResolution(eng->api2, resolution);
            image_set = 1;
        }
        /* A recovered number takes the place of the first reading's lone
         * mark, and that reading is kept (a re-read need not start with
         * the mark). */
        char num[4] = "";
        const char *first = li->text;
        if (lost && read_list_number(eng, pix, monitor, li, rise, drop, num)) {
            pledgex__sb_add(&out, num, strlen(num));
            first++;
        }
        if (weak && !num[0]) {
            double rsum = 0;
            int rn = 0;
            replaced = reread_line(eng, pix, monitor, li, rise, drop, &out, &rsum, &rn);
            if (replaced < 0) { /* garbage twice: the line and its separator go */
                if (out.s) {
                    out.len = mark;
                    out.s[mark] = 0;
                }
                continue;
            }
            if (replaced) {
                sum += rsum;
                n += rn;
            }
        }
        if (!replaced) {
            size_t len = strlen(first);
            while (len > 0 && (first[len - 1] == '\n' || first[len - 1] == ' '))
                len--;
            pledgex__sb_add(&out, first, len);
            sum += li->sum;
            n += li->n;
        }
    }
    if (nlines > 0) {
        pledgex__sb_add(&out, "\n", 1);
        if (para_end)
            pledgex__sb_add(&out, "\n", 1);
    }
    for (int i = 0; i < nlines; i++)
        free(lines[i].text);
    free(lines);
    free(order);
    free(join);
    if (image_set)
        TessBaseAPIClear(eng->api2);
    res->nwords = n;
    res->confidence = n ? sum / n / 100.0 : 0.0;
    if (oom || out.oom) {
        free(out.s);
        return -1;
    }
    res->text = out.s;
    return 0;
}

/* 1 when the first reading of a page (OCR_EARLY_DOUBT_WORDS words or
 * more) averages under OCR_EARLY_DOUBT: read so badly that the page is
 * most likely turned, which the caller then asks OSD before anything
 * else; its weak lines are not re-read (on a page read upside down, all
 * of them). */
static int first_pass_doubtful(TessBaseAPI *api)
{
    int *conf = TessBaseAPIAllWordConfidences(api);
    if (!conf)
        return 0;
    double sum = 0;
    int n = 0;
    for (; conf[n] >= 0; n++)
        sum += conf[n];
    TessDeleteIntArray(conf);
    return n >= OCR_EARLY_DOUBT_WORDS && sum < OCR_EARLY_DOUBT * n;
}

int pledgex__ocr_engine_recognize(ocr_engine *eng, PIX *pix, int resolution,
                                  int timeout_s, int stop_if_turned, const pledgex_host *host,
                                  pledgex_ctx *ctx, ocr_page_result *res,
                                  char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (!eng->api || !eng->lang[0]) {
        snprintf(err, errlen, "tesseract is not initialised");
        return PLEDGEX_FATAL;
    }
    TessBaseAPISetPageSegMode(eng->api, PSM_AUTO);
    TessBaseAPISetImage2(eng->api, pix);
    if (resolution > 0)
        TessBaseAPISetSourceResolution(eng->api, resolution);
    /* Layout first (Recognize reuses it): blocks tesseract finds turned
     * are a sign the page is not upright -- it reads sideways lines as
     * vertical text, confidently but only in part. */
    TessPageIterator *pi = TessBaseAPIAnalyseLayout(eng->api);
    if (pi) {
        do {
            TessOrientation o;
            TessWritingDirection wd;
            TessTextlineOrder order;
            float deskew;
            TessPageIteratorOrientation(pi, &o, &wd, &order, &deskew);
            res->nblocks++;
            if (o != ORIENTATION_PAGE_UP || order != TEXTLINE_ORDER_TOP_TO_BOTTOM)
                res->turned_blocks++;
        } while (TessPageIteratorNext(pi, RIL_BLOCK));
        TessPageIteratorDelete(pi);
    }
    if (stop_if_turned && res->turned_blocks > 0) {
        res->skipped = 1;
        res->text = strdup("");
        TessBaseAPIClear(eng->api);
        if (!res->text) {
            snprintf(err, errlen, "out of memory");
            return PLEDGEX_FAILED;
        }
        return PLEDGEX_OK;
    }
    ETEXT_DESC *monitor = TessMonitorCreate();
    if (!monitor) {
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FAILED;
    }
    watch w = {.host = host, .ctx = ctx};
    clock_gettime(CLOCK_MONOTONIC, &w.deadline);
    w.deadline.tv_sec += timeout_s > 0 ? timeout_s : OCR_DEFAULT_PAGE_TIMEOUT_S;
    TessMonitorSetCancelFunc(monitor, watch_cancel);
    TessMonitorSetCancelThis(monitor, &w);
    int rc = TessBaseAPIRecognize(eng->api, monitor);
    int oom = 0;
    if (rc == 0 && !w.timed_out && !w.cancelled && stop_if_turned && eng->api2 &&
        first_pass_doubtful(eng->api)) {
        TessMonitorDelete(monitor);
        TessBaseAPIClear(eng->api);
        res->skipped = 1;
        res->text = strdup("");
        if (!res->text) {
            snprintf(err, errlen, "out of memory");
            return PLEDGEX_FAILED;
        }
        return PLEDGEX_OK;
    }
    if (rc == 0 && !w.timed_out && !w.cancelled)
        oom = (eng->api2 ? compose_lines(eng, pix, resolution, monitor, res)
                         : whole_page(eng, res)) != 0;
    TessMonitorDelete(monitor);
    res->timed_out = w.timed_out;
    res->cancelled = w.cancelled;
    if (w.timed_out || w.cancelled) {
        if (w.timed_out)
            snprintf(err, errlen, "page ran past the time limit of %d s (--page-timeout)",
                     timeout_s);
        else
            snprintf(err, errlen, "interrupted");
        free(res->text);
        res->text = NULL;
        TessBaseAPIClear(eng->api);
        return PLEDGEX_FAILED;
    }
    if (oom) {
        snprintf(err, errlen, "out of memory");
        TessBaseAPIClear(eng->api);
        return PLEDGEX_FAILED;
    }
    if (rc != 0) {
        snprintf(err, errlen, "tesseract could not recognise this page");
        TessBaseAPIClear(eng->api);
        return PLEDGEX_FAILED;
    }
    return PLEDGEX_OK;
}

int pledgex__ocr_engine_valid_word(ocr_engine *eng, const char *word)
{
    return eng->api && eng->lang[0] && TessBaseAPIIsValidWord(eng->api, word);
}
