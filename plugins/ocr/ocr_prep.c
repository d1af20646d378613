/*
 * ocr_prep.c -- turning a decoded page into the image tesseract reads best:
 * upright (OSD), coloured ink (seals, signatures) faded out, straightened,
 * even background, text at a size tesseract's models were trained on.
 * The decoded page is never modified; every step returns a new Pix.
 * Which steps stay on is decided by bench/ocr (see RESULTS.md there).
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr.h"

/* Below this median height of letters (pixels) a page is scaled up;
 * the target is what a 300 dpi scan of 10-12 pt text gives. */
#define PREP_MIN_TEXT_PX 12.0f
#define PREP_TARGET_TEXT_PX 24.0f
#define PREP_MAX_UPSCALE 3.0f
/* Skew search range (degrees each side) and the confidence a found
 * angle needs before the page is rotated. */
#define PREP_SKEW_RANGE 15.0f
#define PREP_SKEW_MIN_CONF 2.0f
#define PREP_SKEW_MIN_DEG 0.1f
/* Max - min of R, G, B above which a pixel counts as coloured ink, and
 * the brightest channel above which it is ink alone (below: black text
 * printed under the ink, which stays). */
#define PREP_INK_CHROMA 40
#define PREP_INK_LIGHT 100

void pledgex__ocr_prep_defaults(ocr_prep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->osd = 1;
    o->deskew = 1;
    o->bgnorm = 1;
    o->ink = 1;
    o->upscale = 1;
    o->tidy = 1;
}

/* Gray from RGB.  With `ink`, strongly coloured pixels become paper, so
 * red seals and blue signatures disappear, while black text printed under
 * a seal stays dark: there all channels are low, and the pixel keeps its
 * brightest channel. */
static PIX *to_gray(PIX *rgb, int ink, int *had_ink)
{
    *had_ink = 0;
    if (!ink)
        return pixConvertRGBToLuminance(rgb);
    int w = pixGetWidth(rgb), h = pixGetHeight(rgb);
    PIX *g = pixCreate(w, h, 8);
    if (!g)
        return NULL;
    pixCopyResolution(g, rgb);
    l_uint32 *src = pixGetData(rgb), *dst = pixGetData(g);
    int wpls = pixGetWpl(rgb), wpld = pixGetWpl(g);
    long coloured = 0;
    for (int y = 0; y < h; y++) {
        l_uint32 *ls = src + (size_t)y * wpls, *ld = dst + (size_t)y * wpld;
        for (int x = 0; x < w; x++) {
            int r, gg, b;
            extractRGBValues(ls[x], &r, &gg, &b);
            int mx = r > gg ? (r > b ? r : b) : (gg > b ? gg : b);
            int mn = r < gg ? (r < b ? r : b) : (gg < b ? gg : b);
            int v;
            if (mx - mn > PREP_INK_CHROMA) {
                v = mx > PREP_INK_LIGHT ? 255 : mx;
                coloured++;
            } else
                v = (int)(0.299 * r + 0.587 * gg + 0.114 * b + 0.5);
            SET_DATA_BYTE(ld, x, v);
        }
    }
    /* Count it as ink only above noise level (JPEG fringes). */
    *had_ink = coloured > (long)w * h / 1000;
    return g;
}

/* Binary image for measuring (skew, letter size): local Otsu copes with
 * uneven light. */
static PIX *binarise(PIX *gray)
{
    PIX *bin = NULL;
    int tile = pixGetWidth(gray) / 8 > 100 ? pixGetWidth(gray) / 8 : 100;
    if (pixOtsuAdaptiveThreshold(gray, tile, tile, 2, 2, 0.1f, NULL, &bin) != 0)
        return NULL;
    return bin;
}

/* Median height of letter-sized connected components, 0 when unknown. */
static float letter_height(PIX *bin)
{
    BOXA *boxa = pixConnCompBB(bin, 8);
    if (!boxa)
        return 0;
    NUMA *na = numaCreate(0);
    int n = boxaGetCount(boxa);
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        /* Skip specks, rules and pictures. */
        if (h >= 4 && h <= 200 && w <= 3 * h && w >= 2)
            numaAddNumber(na, (float)h);
    }
    float med = 0;
    if (numaGetCount(na) >= 20)
        numaGetMedian(na, &med);
    numaDestroy(&na);
    boxaDestroy(&boxa);
    return med;
}

/* Replaces *pix by f(*pix) when f succeeded. */
static void replace(PIX **pix, PIX *next)
{
    if (next) {
        pixDestroy(pix);
        *pix = next;
    }
}

PIX *pledgex__ocr_prepare(ocr_engine *eng, PIX *page, const ocr_prep_opts *o,
                          ocr_prep_info *info, PIX **display, char *err, size_t errlen)
{
    PIX *disp = display ? pixClone(page) : NULL;
    if (display)
        *display = NULL;
    memset(info, 0, sizeof *info);
    info->scale = 1.0f;
    int xres = pixGetXRes(page);

    /* 1. Gray, with coloured ink faded out. */
    PIX *gray;
    if (pixGetDepth(page) == 32)
        gray = to_gray(page, o->ink, &info->ink_removed);
    else
        gray = pixClone(page);
    if (!gray) {
        pixDestroy(&disp);
        snprintf(err, errlen, "out of memory preparing the page");
        return NULL;
    }

    /* 2. Upright: OSD on a copy at most ~1500 px wide (as fast, as good). */
    if (o->osd && eng) {
        float f = pixGetWidth(gray) > 1500 ? 1500.0f / pixGetWidth(gray) : 1.0f;
        PIX *small = f < 1.0f ? pixScaleAreaMap(gray, f, f) : pixClone(gray);
        int q = small ? pledgex__ocr_engine_orientation(eng, small) : -1;
        pixDestroy(&small);
        if (q > 0) {
            replace(&gray, pixRotateOrth(gray, q));
            if (disp)
                replace(&disp, pixRotateOrth(disp, q));
            info->rotated = q;
        }
    }

    /* 3. Straight: leptonica's sweep over +-15 degrees. */
    if (o->deskew) {
        PIX *bin = binarise(gray);
        float angle = 0, conf = 0;
        if (bin && pixFindSkewSweepAndSearch(bin, &angle, &conf, 4, 2, PREP_SKEW_RANGE, 0.5f,
                                             0.01f) == 0 &&
            conf >= PREP_SKEW_MIN_CONF && fabsf(angle) >= PREP_SKEW_MIN_DEG) {
            float rad = angle * (float)(M_PI / 180.0);
            replace(&gray, pixRotate(gray, rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
            if (disp)
                replace(&disp, pixRotate(disp, rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
            info->skew_deg = angle;
        }
        pixDestroy(&bin);
    }

    /* 4. Even light: divide out the background (phone photos). */
    if (o->bgnorm)
        replace(&gray, pixBackgroundNormSimple(gray, NULL, NULL));

    /* 5. Big enough letters. */
    if (o->upscale) {
        PIX *bin = binarise(gray);
        float h = bin ? letter_height(bin) : 0;
        pixDestroy(&bin);
        if (h > 0 && h < PREP_MIN_TEXT_PX) {
            float s = PREP_TARGET_TEXT_PX / h;
            if (s > PREP_MAX_UPSCALE)
                s = PREP_MAX_UPSCALE;
            replace(&gray, pixScaleGrayLI(gray, s, s));
            if (disp)
                replace(&disp, pixScale(disp, s, s));
            info->scale = s;
        }
    }

    /* Resolution for tesseract: the file's, scaled; none when absent
     * (tesseract then estimates it from the letter size). */
    if (xres >= 70)
        info->resolution = (int)(xres * info->scale + 0.5f);
    pixSetResolution(gray, info->resolution, info->resolution);
    if (disp) {
        pixSetResolution(disp, info->resolution, info->resolution);
        *display = disp;
    }
    return gray;
}
