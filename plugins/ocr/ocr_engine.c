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

struct ocr_engine {
    TessBaseAPI *api;
    char lang[OCR_LANG_MAX]; /* language the api runs, "" before init */
    char datadir[1024];
    int osd_state;           /* 0 unknown, 1 osd.traineddata present, -1 absent */
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

int pledgex__ocr_engine_ready(ocr_engine *eng, const char *lang, char *err,
                              size_t errlen)
{
    if (eng->lang[0] && !strcmp(eng->lang, lang))
        return PLEDGEX_OK;
    char dir[1024];
    int rc = pledgex__ocr_lang_check(lang, dir, sizeof dir, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;
    if (!eng->api && !(eng->api = TessBaseAPICreate())) {
        snprintf(err, errlen, "cannot create the tesseract engine");
        return PLEDGEX_FATAL;
    }
    eng->lang[0] = 0;
    /* tesseract's own messages (tprintf) go to debug_file; a plugin never
     * writes to the terminal. */
    TessBaseAPISetVariable(eng->api, "debug_file", "/dev/null");
    char *configs[] = {NULL};
    if (TessBaseAPIInit4(eng->api, dir, lang, OEM_LSTM_ONLY, configs, 0, NULL, NULL, 0,
                         0) != 0) {
        snprintf(err, errlen,
                 "tesseract cannot load language \"%s\" from %s (damaged or "
                 "incompatible traineddata?)",
                 lang, dir);
        return PLEDGEX_FAILED;
    }
    TessBaseAPISetVariable(eng->api, "debug_file", "/dev/null");
    snprintf(eng->lang, sizeof eng->lang, "%s", lang);
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
    TessMonitorDelete(monitor);
    res->timed_out = w.timed_out;
    res->cancelled = w.cancelled;
    if (w.timed_out || w.cancelled) {
        if (w.timed_out)
            snprintf(err, errlen, "page ran past the time limit of %d s (--page-timeout)",
                     timeout_s);
        else
            snprintf(err, errlen, "interrupted");
        TessBaseAPIClear(eng->api);
        return PLEDGEX_FAILED;
    }
    if (rc != 0) {
        snprintf(err, errlen, "tesseract could not recognise this page");
        TessBaseAPIClear(eng->api);
        return PLEDGEX_FAILED;
    }
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
    if (!res->text) {
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FAILED;
    }
    return PLEDGEX_OK;
}

int pledgex__ocr_engine_valid_word(ocr_engine *eng, const char *word)
{
    return eng->api && eng->lang[0] && TessBaseAPIIsValidWord(eng->api, word);
}
