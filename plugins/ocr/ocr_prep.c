/*
 * ocr_prep.c -- turning a decoded page into the image tesseract reads best:
 * upright (OSD, when asked), coloured ink (seals, signatures) faded out and the
 * letter strokes it cut drawn back, straightened,
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
/* Above this median letter height a page is scaled down to
 * PREP_DOWN_TEXT_PX (less would lose marks: bench/ocr, eurotext at 18). */
#define PREP_MAX_TEXT_PX 24.0f
#define PREP_DOWN_TEXT_PX 20.0f
/* Skew search range (degrees each side), its sweep step (a binary search
 * refines the best), and the confidence a found angle needs before the
 * page is rotated.  A page slanted more than PREP_SLANT_DEG (a phone held
 * askew) is straightened before the orientation test, which a slant of
 * 25-30 degrees misled into a quarter turn; the confidence asked is
 * higher, as a sideways page has no horizontal lines to find. */
#define PREP_SKEW_RANGE 47.0f
#define PREP_SKEW_SWEEP_DEG 1.0f
#define PREP_SKEW_MIN_CONF 2.0f
#define PREP_SKEW_MIN_DEG 0.1f
#define PREP_SLANT_DEG 8.0f
#define PREP_SLANT_MIN_CONF 5.0f
/* A phone photo in perspective has lines of different slopes (top and
 * bottom lean by a few degrees more or less), which lowers the sweep's
 * confidence below PREP_SKEW_MIN_CONF even when the page is turned 3-5
 * degrees (bench/ocr: confidence 1.1-1.9).  Such an angle, of at least
 * PREP_SKEW_LOW_DEG and confidence PREP_SKEW_LOW_CONF, is taken when the
 * top and the bottom halves of the page, measured apart, both lean the
 * same way by at least half of it. */
#define PREP_SKEW_LOW_CONF 1.0f
#define PREP_SKEW_LOW_DEG 1.0f
/* Below this confidence the halves are measured (scans: 10-20). */
#define PREP_HALVES_CONF 5.0f
/* Halves leaning this many degrees apart: the page is dewarped (bench/ocr:
 * 1.1-7.8 on photos in perspective, at most 0.6 on the others). */
#define PREP_DEWARP_FAN_DEG 1.0f
/* Dewarping (leptonica's page model: the slope and curvature of each
 * text line) is tried on a page whose halves lean PREP_DEWARP_FAN_DEG
 * apart, when it has at least PREP_DEWARP_MIN_LINES long lines of text
 * (leptonica's default is 15; a pledge has many short lines).
 * Disparities sampled every PREP_DEWARP_SAMPLING pixels. */
#define PREP_DEWARP_MIN_LINES 8
#define PREP_DEWARP_SAMPLING 30
/* Pages wider than this are measured (skew, letters) at half size. */
#define PREP_MEASURE_WIDTH 1800
/* Max - min of R, G, B above which a pixel counts as coloured ink, and
 * the brightest channel above which it is ink alone (below: black text
 * printed under the ink, which stays). */
#define PREP_INK_CHROMA 30
#define PREP_INK_LIGHT 100
/* Growth of the ink mask (pixels), the brightest channel at or below
 * which a pixel in it is kept as text, and the window that finds the paper
 * level. */
#define PREP_INK_GROW 9
#define PREP_INK_DARK 90
#define PREP_INK_DARK_CHROMA 50
#define PREP_PAPER_SIZE 25
/* Strokes drawn back across the painted ink (pledgex__ocr_mend_strokes):
 * the text must continue PREP_MEND_NEED stroke widths on both sides, the
 * zone be at most PREP_MEND_REACH stroke widths and PREP_MEND_MARGIN
 * pixels across; drawn in PREP_MEND_GRAY. */
#define PREP_MEND_NEED 1.5f
#define PREP_MEND_REACH 6
#define PREP_MEND_MARGIN 12
#define PREP_MEND_GRAY 40
/* A letter height under PREP_CHECK_LETTER_PX (page pixels) is measured
 * again on a Sauvola binary of the same copy (PREP_SAUVOLA_HALF: half
 * the window, PREP_SAUVOLA_K its factor), and that height is taken when it
 * is PREP_CHECK_RATIO times larger.  The measuring binary is thresholded
 * by Otsu in tiles: a tile of bare paper with scanner grain is split in
 * two, and its thousands of specks outnumber the letters, which then
 * look 8-12 pixels tall instead of 24 (the page would be scaled up
 * 2-3 times: 4x tesseract's time, worse text).  Sauvola leaves bare paper
 * white, and agrees within 2 pixels on every clean page of bench/ocr. */
#define PREP_CHECK_LETTER_PX 15.0f
#define PREP_CHECK_RATIO 1.5f
#define PREP_SAUVOLA_HALF 12
#define PREP_SAUVOLA_K 0.34f
#define PREP_CHECK_MAX_PIXELS 6e6
/* Width of the reduced copy OSD looks at. */
#define PREP_OSD_WIDTH 1000
/* Leptonica's orientation test (ascenders against descenders) is trusted
 * when its confidence for one axis reaches PREP_FLIP_MIN_CONF and is
 * PREP_FLIP_MIN_RATIO times the other axis's: bench/ocr measured 9 to 24
 * on turned pages, at most 5 on the wrong axis. */
#define PREP_FLIP_MIN_CONF 6.0f
#define PREP_FLIP_MIN_RATIO 2.0f
#define PREP_FLIP_MIN_LETTER 12.0f
#define PREP_FLIP_SURE_UP 10.0f
#define PREP_FLIP_MIN_PART 3
/* A turn the test found is kept only when the page, so turned, has its
 * marks above its letters: of the marks (components under
 * PREP_MARK_HEIGHT letters tall) with a letter right above or right
 * below them (within PREP_MARK_REACH letters), at least PREP_MARK_RATIO
 * times more above, once PREP_MARK_MIN are found (on a page with grain,
 * whose specks sit above and below letters alike, the turn is undone
 * only when PREP_MARK_RATIO times more are below).  Vietnamese puts most
 * of its tone marks above the letters (and the dots of i and j are
 * there): 2.2-9x on the turned pages of bench/ocr made upright, under
 * 0.2 on the clean upright pages the test was sure were upside down. */
#define PREP_MARK_HEIGHT 0.4f
#define PREP_MARK_REACH 0.35f
#define PREP_MARK_RATIO 1.5f
#define PREP_MARK_MIN 20
#define PREP_MARK_MAX_PAIRS 1e8

void pledgex__ocr_prep_defaults(ocr_prep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->osd = 1;
    o->deskew = 1;
    o->dewarp = 1;
    o->bgnorm = 1;
    o->ink = 1;
    o->upscale = 1;
    o->tidy = 1;
    o->phrases = 1;
}

/* Paints the pixels of `mask` in g with the paper around them (a gray
 * closing wide enough to close over strokes).  The closing, the costly
 * part, runs only on the boxes around the ink (seals and signatures are
 * a small part of a page), each with a margin wider than the closing's
 * reach, so the result is the same as closing the whole page. */
static void paint_paper(PIX *g, PIX *mask)
{
    /* Boxes of the ink at 1/8 size (any pixel counts), nearby strokes
     * merged. */
    PIX *small = pixReduceRankBinaryCascade(mask, 1, 1, 1, 0);
    PIX *joined = small ? pixDilateBrick(NULL, small, 5, 5) : NULL;
    BOXA *boxa = joined ? pixConnCompBB(joined, 8) : NULL;
    pixDestroy(&small);
    pixDestroy(&joined);
    if (!boxa)
        return;
    int w = pixGetWidth(g), h = pixGetHeight(g), n = boxaGetCount(boxa);
    int margin = 2 * PREP_PAPER_SIZE;
    BOXA *grown = boxaCreate(n);
    for (int i = 0; grown && i < n; i++) {
        int x, y, bw, bh;
        boxaGetBoxGeometry(boxa, i, &x, &y, &bw, &bh);
        int x0 = x * 8 - margin, y0 = y * 8 - margin;
        int x1 = (x + bw) * 8 + margin, y1 = (y + bh) * 8 + margin;
        x0 = x0 < 0 ? 0 : x0;
        y0 = y0 < 0 ? 0 : y0;
        x1 = x1 > w ? w : x1;
        y1 = y1 > h ? h : y1;
        BOX *b = x1 > x0 && y1 > y0 ? boxCreate(x0, y0, x1 - x0, y1 - y0) : NULL;
        if (b)
            boxaAddBox(grown, b, L_INSERT);
    }
    boxaDestroy(&boxa);
    /* Overlapping boxes become one: every box is closed from the
     * untouched page. */
    BOXA *parts = grown ? boxaCombineOverlaps(grown, NULL) : NULL;
    boxaDestroy(&grown);
    n = parts ? boxaGetCount(parts) : 0;
    for (int i = 0; i < n; i++) {
        BOX *b = boxaGetBox(parts, i, L_CLONE);
        int x, y, bw, bh;
        boxGetGeometry(b, &x, &y, &bw, &bh);
        PIX *sub = pixClipRectangle(g, b, NULL);
        PIX *msub = pixClipRectangle(mask, b, NULL);
        PIX *paper = sub ? pixCloseGray(sub, PREP_PAPER_SIZE, PREP_PAPER_SIZE) : NULL;
        if (sub && msub && paper) {
            pixCombineMasked(sub, paper, msub);
            pixRasterop(g, x, y, bw, bh, PIX_SRC, sub, 0, 0);
        }
        pixDestroy(&sub);
        pixDestroy(&msub);
        pixDestroy(&paper);
        boxDestroy(&b);
    }
    boxaDestroy(&parts);
}

/* Median length of the horizontal runs of `dark` (the text's stroke
 * width), at least 1. */
static int stroke_width(PIX *dark)
{
    int w = pixGetWidth(dark), h = pixGetHeight(dark), wpl = pixGetWpl(dark);
    l_uint32 *d = pixGetData(dark);
    long hist[64] = {0}, n = 0;
    for (int y = 0; y < h; y += 2) {
        l_uint32 *l = d + (size_t)y * wpl;
        int run = 0;
        for (int x = 0; x <= w; x++) {
            if (x < w && GET_DATA_BIT(l, x)) {
                run++;
            } else if (run) {
                hist[run < 63 ? run : 63]++;
                n++;
                run = 0;
            }
        }
    }
    long half = n / 2, acc = 0;
    for (int i = 1; i < 64; i++)
        if ((acc += hist[i]) > half)
            return i;
    return 1;
}

/* Letter strokes cut by a seal's ring or a signature's line are drawn back
 * across it.  For each pixel of the painted zone the shortest way across
 * the zone is taken among three directions: up, and the two diagonals; the
 * pixel is a stroke when dark text continues on both sides of the zone
 * along that way for a stroke width and a half (a stem that enters a ring
 * leaves it on the other side; the edges of two letters either side of a
 * ring are as thin as a stroke).  Not across: horizontally the round tops
 * of neighbouring letters continue far enough to be joined, and words
 * were read with dashes between them ("12%-so", "— CỤC": bench/ocr/
 * RESULTS.md).  A zone wider than PREP_MEND_REACH stroke widths (plus a
 * margin) is not crossed.  Drawn dark, after the search, which reads the
 * zone as it was. */
void pledgex__ocr_mend_strokes(PIX *g, PIX *zone, PIX *dark)
{
    int sw = stroke_width(dark);
    int need = (int)(PREP_MEND_NEED * (float)sw + 0.5f);
    int reach = PREP_MEND_REACH * sw + PREP_MEND_MARGIN;
    int w = pixGetWidth(g), h = pixGetHeight(g);
    int wpl = pixGetWpl(zone), wplg = pixGetWpl(g);
    l_uint32 *dz = pixGetData(zone), *dd = pixGetData(dark), *dg = pixGetData(g);
    static const int dx[3] = {0, 1, 1}, dy[3] = {1, 1, -1};
    PIX *mark = pixCreate(w, h, 1);
    if (!mark)
        return;
    l_uint32 *dm = pixGetData(mark);
#define INSIDE(x, y) ((x) >= 0 && (y) >= 0 && (x) < w && (y) < h)
#define ZONE(x, y) (INSIDE(x, y) && GET_DATA_BIT(dz + (size_t)(y) * wpl, x))
#define DARK(x, y) (INSIDE(x, y) && GET_DATA_BIT(dd + (size_t)(y) * wpl, x))
    for (int y = 0; y < h; y++) {
        l_uint32 *lz = dz + (size_t)y * wpl;
        for (int x = 0; x < w; x++) {
            if (!GET_DATA_BIT(lz, x))
                continue;
            int best = -1, best_len = reach + 1, end[2] = {0, 0};
            for (int k = 0; k < 3; k++) {
                int a = 0, b = 0;
                while (a <= reach && ZONE(x + (a + 1) * dx[k], y + (a + 1) * dy[k]))
                    a++;
                while (b <= reach && ZONE(x - (b + 1) * dx[k], y - (b + 1) * dy[k]))
                    b++;
                if (a + b + 1 < best_len) {
                    best_len = a + b + 1;
                    best = k;
                    end[0] = a + 1;
                    end[1] = b + 1;
                }
            }
            int ok = best >= 0;
            for (int side = 0; side < 2 && ok; side++) {
                int sx = side ? -dx[best] : dx[best], sy = side ? -dy[best] : dy[best];
                int c = 0, px = x + end[side] * sx, py = y + end[side] * sy;
                while (c < need && DARK(px, py)) {
                    c++;
                    px += sx;
                    py += sy;
                }
                ok = c >= need;
            }
            if (ok)
                SET_DATA_BIT(dm + (size_t)y * wpl, x);
        }
    }
    for (int y = 0; y < h; y++) {
        l_uint32 *lm = dm + (size_t)y * wpl, *lg = dg + (size_t)y * wplg;
        for (int x = 0; x < w; x++)
            if (GET_DATA_BIT(lm, x))
                SET_DATA_BYTE(lg, x, PREP_MEND_GRAY);
    }
#undef ZONE
#undef DARK
#undef INSIDE
    pixDestroy(&mark);
}

/* Gray from RGB.  With `ink`, strongly coloured pixels (red seals, blue
 * signatures) are painted over with the paper around them, while black text
 * printed under a seal stays: there all channels are low.  Painting with
 * the local paper level rather than white matters on photographs, where
 * white rings on gray paper would read as strokes; the mask is grown a
 * little to take the darker fringes JPEG leaves around coloured lines. */
static PIX *to_gray(PIX *rgb, int ink, int *had_ink)
{
    *had_ink = 0;
    if (!ink)
        return pixConvertRGBToLuminance(rgb);
    int w = pixGetWidth(rgb), h = pixGetHeight(rgb);
    /* The gray page is made in the same pass that looks for ink. */
    PIX *g = pixCreate(w, h, 8);
    PIX *mask = pixCreate(w, h, 1), *dark = pixCreate(w, h, 1);
    if (!g || !mask || !dark) {
        pixDestroy(&g);
        pixDestroy(&mask);
        pixDestroy(&dark);
        return pixConvertRGBToLuminance(rgb);
    }
    pixCopyResolution(g, rgb);
    pixCopyInputFormat(g, rgb);
    l_uint32 *src = pixGetData(rgb), *dm = pixGetData(mask), *dd = pixGetData(dark);
    l_uint32 *dg = pixGetData(g);
    int wpls = pixGetWpl(rgb), wplm = pixGetWpl(mask), wplg = pixGetWpl(g);
    /* pixConvertRGBToLuminance's weights and rounding (same gray). */
    const l_float32 rw = L_RED_WEIGHT, gw = L_GREEN_WEIGHT, bw = L_BLUE_WEIGHT;
    /* Colour is judged against the paper: a warm or cold light would
     * otherwise make every pixel look coloured.  The paper's colour is the
     * bright end of each channel (most of a page is paper). */
    int pr = 255, pg = 255, pb = 255;
    l_uint32 paper_px = 0;
    if (pixGetRankValue(rgb, 4, 0.9f, &paper_px) == 0) {
        extractRGBValues(paper_px, &pr, &pg, &pb);
        if (pr < 64 || pg < 64 || pb < 64) /* a dark page: no correction */
            pr = pg = pb = 255;
    }
    int fr = 255 * 256 / pr, fg = 255 * 256 / pg, fb = 255 * 256 / pb;
    long coloured = 0;
    for (int y = 0; y < h; y++) {
        l_uint32 *ls = src + (size_t)y * wpls, *lm = dm + (size_t)y * wplm,
                 *ld = dd + (size_t)y * wplm, *lg = dg + (size_t)y * wplg;
        for (int x = 0; x < w; x++) {
            l_uint32 v = ls[x];
            int r = (int)((v >> L_RED_SHIFT) & 0xff), gg = (int)((v >> L_GREEN_SHIFT) & 0xff),
                b = (int)((v >> L_BLUE_SHIFT) & 0xff);
            SET_DATA_BYTE(lg, x, (int)(rw * r + gw * gg + bw * b + 0.5));
            r = (r * fr) >> 8;
            gg = (gg * fg) >> 8;
            b = (b * fb) >> 8;
            int mx = r > gg ? (r > b ? r : b) : (gg > b ? gg : b);
            int mn = r < gg ? (r < b ? r : b) : (gg < b ? gg : b);
            if (mx - mn > PREP_INK_CHROMA && mx > PREP_INK_LIGHT) {
                SET_DATA_BIT(lm, x);
                coloured++;
            }
            /* Dark in every channel and not strongly coloured: black text,
             * under ink or not (the dark core of a blue stroke is not). */
            if (mx <= PREP_INK_DARK && mx - mn <= PREP_INK_DARK_CHROMA)
                SET_DATA_BIT(ld, x);
        }
    }
    /* Count it as ink only above noise level (JPEG fringes). */
    *had_ink = coloured > (long)w * h / 1000;
    if (*had_ink) {
        PIX *grown = pixDilateBrick(NULL, mask, PREP_INK_GROW, PREP_INK_GROW);
        /* Keep dark (text) pixels inside the grown zone: only what is not
         * black becomes paper. */
        if (grown)
            pixSubtract(grown, grown, dark);
        if (grown)
            paint_paper(g, grown);
        if (grown && dark)
            pledgex__ocr_mend_strokes(g, grown, dark);
        pixDestroy(&grown);
        pixDestroy(&dark);
    }
    pixDestroy(&dark);
    pixDestroy(&mask);
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

/* Median height of letter-sized connected components (at least min_h
 * pixels: smaller ones are specks), 0 when unknown. */
static float letter_height(PIX *bin, int min_h)
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
        if (h >= min_h && h <= 200 && w <= 3 * h && w >= 2)
            numaAddNumber(na, (float)h);
    }
    float med = 0;
    if (numaGetCount(na) >= 20)
        numaGetMedian(na, &med);
    numaDestroy(&na);
    boxaDestroy(&boxa);
    return med;
}

/* Median letter height of the page (in the pixels of bin, its measuring
 * copy; half: bin is at half size), checked when small: see
 * PREP_CHECK_LETTER_PX. */
static float page_letter(PIX *gray, PIX *bin, int half)
{
    int min_h = half ? 3 : 6;
    float letter = letter_height(bin, min_h);
    if (letter * (half ? 2.0f : 1.0f) >= PREP_CHECK_LETTER_PX)
        return letter;
    PIX *m = half ? pixScaleAreaMap2(gray) : pixClone(gray);
    /* Sauvola's sums take 12 bytes a pixel: a huge page is measured
     * smaller still (shrink: bin's pixels per pixel of m). */
    int shrink = 1;
    while (m && (double)pixGetWidth(m) * pixGetHeight(m) > PREP_CHECK_MAX_PIXELS) {
        PIX *smaller = pixScaleAreaMap2(m);
        pixDestroy(&m);
        m = smaller;
        shrink *= 2;
    }
    PIX *sauvola = NULL;
    if (m && pixSauvolaBinarize(m, PREP_SAUVOLA_HALF, PREP_SAUVOLA_K, 1, NULL, NULL, NULL,
                                &sauvola) == 0 && sauvola) {
        int min_m = min_h / shrink > 2 ? min_h / shrink : 2;
        float again = letter_height(sauvola, min_m) * (float)shrink;
        if (again > PREP_CHECK_RATIO * letter)
            letter = again;
    }
    pixDestroy(&sauvola);
    pixDestroy(&m);
    return letter;
}

/* Replaces *pix by f(*pix) when f succeeded. */
static void replace(PIX **pix, PIX *next)
{
    if (next) {
        pixDestroy(pix);
        *pix = next;
    }
}

/* Quarter turns clockwise that make the binary page upright by
 * leptonica's morphological test (a few ms): text whose ascenders point
 * down is upside down; the same test on the page turned a quarter finds
 * pages lying on their side.  -1 when unsure. */
static int flip_test(PIX *page, int clean)
{
    /* Marks and specks out first: the tone marks and dots of Vietnamese
     * and the noise of a scan or a photo, under PREP_FLIP_MIN_PART
     * pixels each way, count in the test as ascenders and descenders and
     * drown its signal (bench/ocr: a noisy upside-down scan -2.3 -> -7.2;
     * of 73 pages of four fonts, turned and upright, 36 -> 63 decided,
     * none wrongly).  Not on a page doubled for the test: there the
     * marks are the size of letter parts, and taking them out leaves a
     * sideways 150 dpi page undecided. */
    PIX *bin = clean ? pixSelectBySize(page, PREP_FLIP_MIN_PART, PREP_FLIP_MIN_PART, 8,
                                       L_SELECT_IF_BOTH, L_SELECT_IF_GTE, NULL)
                     : pixClone(page);
    if (!bin)
        return -1;
    float up = 0, left = 0;
    if (pixUpDownDetect(bin, &up, 0, 0, 0) != 0) {
        pixDestroy(&bin);
        return -1;
    }
    /* Clearly upright (most pages): no need to look for a page on its
     * side, whose text gives no such up/down signal. */
    if (up >= PREP_FLIP_SURE_UP) {
        pixDestroy(&bin);
        return 0;
    }
    PIX *turned = pixRotate90(bin, 1);
    pixDestroy(&bin);
    int bad = !turned || pixUpDownDetect(turned, &left, 0, 0, 0) != 0;
    pixDestroy(&turned);
    if (bad)
        return -1;
    float aup = fabsf(up), aleft = fabsf(left);
    if (aup >= PREP_FLIP_MIN_CONF && aup >= PREP_FLIP_MIN_RATIO * aleft)
        return up < 0 ? 2 : 0;
    /* left > 0: the tops of the letters point left. */
    if (aleft >= PREP_FLIP_MIN_CONF && aleft >= PREP_FLIP_MIN_RATIO * aup)
        return left > 0 ? 1 : 3;
    return -1;
}

/* A component's box: left, top, right, bottom. */
typedef struct mark_box {
    int l, t, r, b;
} mark_box;

/* Counts, on binary page bin whose letters are `letter` pixels tall, the
 * marks right above a letter's body and those right below one (see
 * PREP_MARK_RATIO); *specky when small components outnumber letters.  0
 * when the components could not be had, or are so many (a page of
 * specks) that pairing them would cost more than reading the page. */
static int marks_count(PIX *bin, float letter, int *above, int *below, int *specky)
{
    *above = *below = *specky = 0;
    BOXA *boxa = letter > 0 ? pixConnCompBB(bin, 8) : NULL;
    int n = boxa ? boxaGetCount(boxa) : 0;
    mark_box *body = malloc(((size_t)n + 1) * sizeof *body);
    mark_box *mark = malloc(((size_t)n + 1) * sizeof *mark);
    if (!boxa || !body || !mark) {
        free(body);
        free(mark);
        boxaDestroy(&boxa);
        return 0;
    }
    int nb = 0, nm = 0;
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        mark_box box = {x, y, x + w, y + h};
        if (h >= 0.6f * letter && h <= 2.0f * letter && w <= 3 * h)
            body[nb++] = box;
        else if (h <= PREP_MARK_HEIGHT * letter && w <= 0.8f * letter && h >= 2 && w >= 2)
            mark[nm++] = box;
    }
    boxaDestroy(&boxa);
    if ((double)nm * nb > PREP_MARK_MAX_PAIRS) {
        free(body);
        free(mark);
        return 0;
    }
    /* More small components than letters: grain, whose specks fall
     * above and below letters alike. */
    *specky = nm > nb;
    float reach = PREP_MARK_REACH * letter;
    for (int m = 0; m < nm; m++) {
        int cx = (mark[m].l + mark[m].r) / 2;
        int letter_below = 0, letter_above = 0;
        for (int k = 0; k < nb; k++) {
            if (cx < body[k].l || cx > body[k].r)
                continue;
            letter_below |= body[k].t >= mark[m].b && body[k].t - mark[m].b <= reach;
            letter_above |= body[k].b <= mark[m].t && mark[m].t - body[k].b <= reach;
        }
        *above += letter_below && !letter_above;
        *below += letter_above && !letter_below;
    }
    free(body);
    free(mark);
    return 1;
}

/* flip_test, and when it is unsure on letters under PREP_FLIP_MIN_LETTER
 * pixels (its structuring elements need a few pixels of ascender: 100
 * dpi pages give it nothing), once more on the binary page doubled; a
 * turn then checked by where the marks fall (PREP_MARK_RATIO).  0 when
 * upright or unsure. */
static int quick_orientation(PIX *bin, float letter)
{
    int q = flip_test(bin, 1);
    if (q < 0 && letter > 0 && letter < PREP_FLIP_MIN_LETTER) {
        PIX *big = pixExpandReplicate(bin, 2);
        q = big ? flip_test(big, 0) : -1;
        pixDestroy(&big);
    }
    if (q > 0) {
        /* Sure is not always right: on upright pages in some fonts (Noto
         * Sans at 36 px) the test finds the page upside down (-11). */
        PIX *turned = pixRotateOrth(bin, q);
        int above = 0, below = 0, specky = 0;
        if (turned && marks_count(turned, letter, &above, &below, &specky) &&
            above + below >= PREP_MARK_MIN &&
            (specky ? below > PREP_MARK_RATIO * above : above < PREP_MARK_RATIO * below))
            q = 0;
        pixDestroy(&turned);
    }
    return q < 0 ? 0 : q;
}

/* The page's skew, by leptonica's sweep and search on the binary copy
 * (half: it is at half size); 0 when not found. */
static int find_skew(PIX *bin, int half, float *angle, float *conf)
{
    *angle = *conf = 0;
    return pixFindSkewSweepAndSearch(bin, angle, conf, half ? 2 : 4, half ? 1 : 2, PREP_SKEW_RANGE,
                                     PREP_SKEW_SWEEP_DEG, 0.01f) == 0;
}

/* The skew of the top and the bottom halves of bin, measured apart
 * (lean[i]); 1 when both were found with some confidence.  A page in
 * perspective has halves leaning by different angles. */
static int halves_skew(PIX *bin, int half, float lean[2])
{
    int w = pixGetWidth(bin), h = pixGetHeight(bin), found = 0;
    for (int i = 0; i < 2; i++) {
        BOX *box = boxCreate(0, i * (h / 2), w, i ? h - h / 2 : h / 2);
        PIX *part = box ? pixClipRectangle(bin, box, NULL) : NULL;
        boxDestroy(&box);
        float a = 0, c = 0;
        if (part && find_skew(part, half, &a, &c) && c >= PREP_SKEW_LOW_CONF)
            found++;
        lean[i] = a;
        pixDestroy(&part);
    }
    return found == 2;
}

/* 1 when both halves lean as angle does, each by at least half of it: a
 * low-confidence angle of a page in perspective (PREP_SKEW_LOW_CONF), not
 * the chance peak of a page with few lines. */
static int halves_agree(const float lean[2], float angle)
{
    for (int i = 0; i < 2; i++)
        if (lean[i] * angle <= 0 || fabsf(lean[i]) < 0.5f * fabsf(angle))
            return 0;
    return 1;
}

/* The number of text lines of bin turned by angle degrees that run at
 * least half as long as the longest (leptonica's line finder, as its
 * dewarping uses it).  A page of random noise has none, though its halves
 * may lean alike: a low-confidence angle is only taken on a page of
 * text. */
static int long_lines(PIX *bin, float angle)
{
    PIX *b = fabsf(angle) > 0 ? pixRotate(bin, angle * (float)(M_PI / 180.0), L_ROTATE_SAMPLING,
                                          L_BRING_IN_WHITE, 0, 0)
                              : pixClone(bin);
    PTAA *lines = b ? dewarpGetTextlineCenters(b, 0) : NULL;
    PTAA *longer = lines ? dewarpRemoveShortLines(b, lines, 0.5f, 0) : NULL;
    int n = longer ? ptaaGetCount(longer) : 0;
    ptaaDestroy(&longer);
    ptaaDestroy(&lines);
    pixDestroy(&b);
    return n;
}

/* Turns gray (and the display copy) by angle degrees. */
static void straighten(PIX **gray, PIX **disp, float angle)
{
    float rad = angle * (float)(M_PI / 180.0);
    replace(gray, pixRotate(*gray, rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
    if (*disp)
        replace(disp, pixRotate(*disp, rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
}

/* The rows [*y0, *y1) the text lines of bin span, with a line and a half
 * of margin; 0 when bin has fewer than PREP_DEWARP_MIN_LINES lines. */
static int text_rows(PIX *bin, int *y0, int *y1)
{
    PTAA *lines = dewarpGetTextlineCenters(bin, 0);
    int n = lines ? ptaaGetCount(lines) : 0;
    float top = 1e9f, bottom = -1.0f;
    for (int i = 0; i < n; i++) {
        PTA *pta = ptaaGetPta(lines, i, L_CLONE);
        for (int k = 0; pta && k < ptaGetCount(pta); k++) {
            float x, y;
            ptaGetPt(pta, k, &x, &y);
            top = y < top ? y : top;
            bottom = y > bottom ? y : bottom;
        }
        ptaDestroy(&pta);
    }
    ptaaDestroy(&lines);
    if (n < PREP_DEWARP_MIN_LINES || bottom <= top)
        return 0;
    float margin = 1.5f * (bottom - top) / (float)(n - 1);
    int h = pixGetHeight(bin);
    *y0 = top - margin > 0 ? (int)(top - margin) : 0;
    *y1 = bottom + margin < (float)h ? (int)(bottom + margin) : h;
    return 1;
}

/* Flattens the lines of gray (and of the display copy) by leptonica's
 * page model, built on bin (gray's binary copy, same size); 1 when the
 * page was changed.  The model is built on the rows the text spans and
 * applied to the whole page from there: it wants lines over its image's
 * height, and a pledge of 18 lines fills half a page (bench/ocr: such a
 * photo 15.97% -> 0.19% CER).  Leptonica refuses models with too few
 * lines or implausible curvature; the page is then left as it is. */
static int flatten(PIX **gray, PIX **disp, PIX *bin)
{
    int y0, y1;
    if (!text_rows(bin, &y0, &y1))
        return 0;
    BOX *rows = boxCreate(0, y0, pixGetWidth(bin), y1 - y0);
    PIX *b = rows ? pixClipRectangle(bin, rows, NULL) : NULL;
    boxDestroy(&rows);
    L_DEWARPA *dewa =
        b ? dewarpaCreate(1, PREP_DEWARP_SAMPLING, 1, PREP_DEWARP_MIN_LINES, 0) : NULL;
    int done = 0;
    if (dewa) {
        /* The lines' slopes only: the lean of the margins (horizontal
         * disparity) cost letters on 5 of 16 photos in bench/ocr and
         * helped none; tesseract reads a slanted column. */
        dewarpaUseBothArrays(dewa, 0);
        L_DEWARP *dew = dewarpCreate(b, 0);
        if (dew && dewarpaInsertDewarp(dewa, dew) == 0) {
            /* the dewarpa owns dew now */
            int vsuccess = 0;
            PIX *flat = NULL, *flat_disp = NULL;
            /* White brought in at the edges; on failure leptonica may
             * still hand back a copy, dropped. */
            if (dewarpBuildPageModel(dew, NULL) == 0 &&
                dewarpaModelStatus(dewa, 0, &vsuccess, NULL) == 0 && vsuccess &&
                dewarpaApplyDisparity(dewa, 0, *gray, 255, 0, y0, &flat, NULL) == 0 && flat &&
                (!*disp ||
                 (dewarpaApplyDisparity(dewa, 0, *disp, 255, 0, y0, &flat_disp, NULL) == 0 &&
                  flat_disp))) {
                replace(gray, flat);
                replace(disp, flat_disp);
                done = 1;
            } else {
                /* the display copy keeps the page's geometry: both or none */
                pixDestroy(&flat);
                pixDestroy(&flat_disp);
            }
        } else
            dewarpDestroy(&dew);
        dewarpaDestroy(&dewa);
    }
    pixDestroy(&b);
    return done;
}

/* The binary copy that measures skew, letter size and orientation: pages
 * wider than PREP_MEASURE_WIDTH are measured at half size (as precise,
 * 4x less work).  *half says which. */
static PIX *measure_copy(PIX *gray, int *half)
{
    *half = pixGetWidth(gray) > PREP_MEASURE_WIDTH;
    PIX *m = *half ? pixScaleAreaMap2(gray) : pixClone(gray);
    PIX *bin = m ? binarise(m) : NULL;
    pixDestroy(&m);
    return bin;
}

int pledgex__ocr_orientation(ocr_engine *eng, PIX *gray)
{
    /* OSD needs no more than ~1000 px of width: as good (bench/ocr: every
     * turned page), less work than at 1500. */
    float f = pixGetWidth(gray) > PREP_OSD_WIDTH ? (float)PREP_OSD_WIDTH / pixGetWidth(gray) : 1.0f;
    PIX *small = f < 1.0f ? pixScaleAreaMap(gray, f, f) : pixClone(gray);
    int q = small ? pledgex__ocr_engine_orientation(eng, small) : -1;
    pixDestroy(&small);
    return q;
}

PIX *pledgex__ocr_prepare(PIX *page, int quarter, const ocr_prep_opts *o, ocr_prep_cache *cache,
                          ocr_prep_info *info, PIX **display, char *err, size_t errlen)
{
    PIX *disp = display ? pixClone(page) : NULL;
    if (display)
        *display = NULL;
    memset(info, 0, sizeof *info);
    info->scale = 1.0f;
    int xres = pixGetXRes(page);

    /* 1. Gray, with coloured ink faded out (strokes it cut drawn back). */
    PIX *gray;
    if (cache && cache->gray) {
        /* Second reading of the page (turned): same colours, same gray. */
        gray = pixClone(cache->gray);
        info->ink_removed = cache->ink_removed;
    } else if (pixGetDepth(page) == 32)
        gray = to_gray(page, o->ink, &info->ink_removed);
    else
        gray = pixClone(page);
    if (gray && cache && !cache->gray) {
        cache->gray = pixClone(gray);
        cache->ink_removed = info->ink_removed;
    }
    if (!gray) {
        pixDestroy(&disp);
        snprintf(err, errlen, "out of memory preparing the page");
        return NULL;
    }

    /* 2. Upright: turned as asked, or as leptonica's quick test finds
     * it.  One binary copy measures orientation, skew and letter size. */
    PIX *bin = NULL;
    int half = 0, skew_known = 0, pre = 0; /* pre: quarter turns before the test */
    float letter = -1; /* median letter height in bin's pixels, -1 unknown */
    float angle = 0, conf = 0;
    if (quarter == OCR_QUARTER_DETECT) {
        bin = measure_copy(gray, &half);
        if (bin && o->deskew) {
            skew_known = find_skew(bin, half, &angle, &conf);
            if (!skew_known || conf < PREP_SKEW_MIN_CONF) {
                /* No lines across the page: they may run down it, on a
                 * sideways page slanted too (a quarter turn and 20
                 * degrees misled the test into a half turn).  Turned a
                 * quarter and straightened, the test then only tells
                 * upright from upside down. */
                PIX *t = pixRotateOrth(bin, 1);
                float a2, c2;
                if (t && find_skew(t, half, &a2, &c2) && fabsf(a2) >= PREP_SLANT_DEG &&
                    c2 >= PREP_SLANT_MIN_CONF) {
                    pre = 1;
                    angle = a2;
                    conf = c2;
                    replace(&gray, pixRotateOrth(gray, 1));
                    if (disp)
                        replace(&disp, pixRotateOrth(disp, 1));
                }
                pixDestroy(&t);
            }
            if ((skew_known || pre) && fabsf(angle) >= PREP_SLANT_DEG &&
                conf >= PREP_SLANT_MIN_CONF) {
                straighten(&gray, &disp, angle);
                info->skew_deg = angle;
                pixDestroy(&bin);
                bin = measure_copy(gray, &half);
                skew_known = 0; /* what is left is measured below */
            }
        }
        letter = bin ? page_letter(gray, bin, half) : 0.0f;
        quarter = bin ? quick_orientation(bin, letter) : 0;
    }
    if (quarter > 0 && quarter < 4) {
        replace(&gray, pixRotateOrth(gray, quarter));
        if (disp)
            replace(&disp, pixRotateOrth(disp, quarter));
        info->rotated = quarter;
        /* Measured again on the turned page, as a page that came upright. */
        pixDestroy(&bin);
        letter = -1;
        skew_known = 0;
    }
    info->rotated = (info->rotated + pre) % 4;
    if (!bin && (o->deskew || o->upscale))
        bin = measure_copy(gray, &half);
    if (letter < 0)
        letter = bin && o->upscale ? page_letter(gray, bin, half) : 0.0f;
    else if (!o->upscale)
        letter = 0;
    letter *= half ? 2.0f : 1.0f;

    /* 3. Straight: leptonica's sweep over +-47 degrees (a page at 45 is
     * found at either end), measured above when the page was neither
     * slanted nor turned. */
    int measured = o->deskew && bin && (skew_known || find_skew(bin, half, &angle, &conf));
    /* A page whose lines do not all agree (photos: 1-5; scans 10-20)
     * has its halves measured apart. */
    float lean[2] = {0, 0};
    int halves = measured && conf < PREP_HALVES_CONF;
    if (halves)
        halves = halves_skew(bin, half, lean);
    /* Halves leaning by different angles: a photo in perspective, its
     * lines fanning out; dewarped below, and turned first by the angle
     * that fits its lines best (leptonica models lines near level). */
    int fan = halves && o->dewarp && fabsf(lean[0] - lean[1]) >= PREP_DEWARP_FAN_DEG;
    int low = measured && conf < PREP_SKEW_MIN_CONF && conf >= PREP_SKEW_LOW_CONF &&
              fabsf(angle) >= PREP_SKEW_LOW_DEG && halves && (fan || halves_agree(lean, angle));
    /* Either on a page of text only. */
    if ((fan || low) && long_lines(bin, low ? angle : 0.0f) < PREP_DEWARP_MIN_LINES)
        fan = low = 0;
    int skewed = 0;
    if (measured && fabsf(angle) >= PREP_SKEW_MIN_DEG && (conf >= PREP_SKEW_MIN_CONF || low)) {
        straighten(&gray, &disp, angle);
        info->skew_deg += angle;
        skewed = 1;
    }

    /* 3b. Flat: the lines of a fanning page made parallel.  The model
     * is built at the page's size: built at half size (leptonica's
     * reduction factor 2), it was refused on every wide page tried. */
    if (fan) {
        PIX *b = half     ? binarise(gray)
                 : skewed ? pixRotate(bin, angle * (float)(M_PI / 180.0), L_ROTATE_SAMPLING,
                                      L_BRING_IN_WHITE, 0, 0)
                          : pixClone(bin);
        if (b)
            info->dewarped = flatten(&gray, &disp, b);
        pixDestroy(&b);
    }
    pixDestroy(&bin);

    /* 4. Even light: divide out the background (phone photos). */
    if (o->bgnorm)
        replace(&gray, pixBackgroundNormSimple(gray, NULL, NULL));

    /* 5. Letters much larger than tesseract needs: the page is scaled
     * down, so tesseract's thresholding and layout analysis have fewer
     * pixels to go through; recognition scales each line to its model's
     * height anyway (bench/ocr: the 300 dpi pledge pages, 28 px
     * letters, ~10% less CPU, same or better text).  Not when a PDF is
     * made: its picture keeps the scan's resolution. */
    if (o->upscale && !disp && letter > PREP_MAX_TEXT_PX) {
        float s = PREP_DOWN_TEXT_PX / letter;
        replace(&gray, pixScaleAreaMap(gray, s, s));
        info->scale = s;
    }

    /* 6. Big enough letters. */
    if (o->upscale && letter > 0 && letter < PREP_MIN_TEXT_PX) {
        float s = PREP_TARGET_TEXT_PX / letter;
        if (s > PREP_MAX_UPSCALE)
            s = PREP_MAX_UPSCALE;
        replace(&gray, pixScaleGrayLI(gray, s, s));
        if (disp)
            replace(&disp, pixScale(disp, s, s));
        info->scale = s;
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
