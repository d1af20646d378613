/*
 * photo_page.c -- is an image a picture, a page of text, or an album page
 * (a picture with a printed caption)?
 *
 * The rule looks for printed text the way a reader would: rows of glyph-
 * sized marks sitting on one baseline, on paper.  On an image reduced to
 * PAGE_SIDE pixels (cheap: a JPEG is decoded at 1/2..1/8 scale):
 *   - paper: the share of bright, colourless pixels;
 *   - text rows: Sauvola-binarised connected components of glyph size,
 *     chained left to right when they share a baseline and are close; a
 *     chain of PAGE_MIN_GLYPHS or more is a row.  Both orientations are
 *     tried (a page photographed sideways);
 *   - picture: the largest region of non-paper pixels after closing.
 * A page of text has many rows on paper; an album page has a picture with a
 * few rows beside it on paper; a photo has at most a few rows (a banner, a
 * name card) and little paper.  The thresholds were measured on the
 * samples and on generated pages and photos (tests/test_photo.c,
 * bench/captions/page_rule.sh) -- see pledgex__photo_page_classify.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "photo.h"

#define PAGE_SIDE 1200        /* analysed size (longer side, pixels)     */
#define PAGE_MIN_GLYPHS 5     /* marks in a chain to call it a text row  */
#define PAGE_MAX_COMPONENTS 60000
#define SAUVOLA_HALF_WINDOW 12 /* local threshold window, half side      */

typedef struct glyph {
    int x, y, w, h;
    int next; /* chain link (index of right neighbour), -1 */
    int prev;
} glyph;

static int cmp_x(const void *a, const void *b)
{
    const glyph *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* Counts text rows among glyph boxes; *area receives the pixels they
 * cover; rows[] (may be NULL) receives up to maxrows row boxes. */
static int count_rows(glyph *g, int n, long *area, BOX **rows, int maxrows, int *nrows)
{
    qsort(g, (size_t)n, sizeof *g, cmp_x);
    for (int i = 0; i < n; i++)
        g[i].next = g[i].prev = -1;
    for (int i = 0; i < n; i++) {
        int hi = g[i].h, best = -1, best_gap = 0;
        int right = g[i].x + g[i].w;
        int cy = 2 * g[i].y + g[i].h; /* twice the centre */
        int bottom = g[i].y + g[i].h;
        for (int j = i + 1; j < n && g[j].x <= right + 2 * hi; j++) {
            if (g[j].prev >= 0)
                continue;
            int hj = g[j].h;
            if (hj * 2 < hi || hi * 2 < hj)
                continue; /* glyphs of one line have similar sizes */
            int cyj = 2 * g[j].y + hj, bj = g[j].y + hj;
            int mh = hi < hj ? hi : hj;
            /* same centre line or same baseline (ascenders, descenders) */
            if (abs(cyj - cy) > mh && abs(bj - bottom) * 3 > mh)
                continue;
            int gap = g[j].x - right;
            if (gap < -mh / 2)
                continue; /* overlapping: not a neighbour on the line */
            if (best < 0 || gap < best_gap) {
                best = j;
                best_gap = gap;
            }
        }
        if (best >= 0) {
            g[i].next = best;
            g[best].prev = i;
        }
    }
    int lines = 0;
    *area = 0;
    if (nrows)
        *nrows = 0;
    for (int i = 0; i < n; i++) {
        if (g[i].prev >= 0)
            continue;
        int len = 0, x0 = g[i].x, y0 = g[i].y, x1 = g[i].x + g[i].w, y1 = g[i].y + g[i].h;
        for (int k = i; k >= 0; k = g[k].next) {
            len++;
            if (g[k].y < y0)
                y0 = g[k].y;
            if (g[k].x + g[k].w > x1)
                x1 = g[k].x + g[k].w;
            if (g[k].y + g[k].h > y1)
                y1 = g[k].y + g[k].h;
        }
        if (len >= PAGE_MIN_GLYPHS) {
            lines++;
            *area += (long)(x1 - x0) * (y1 - y0);
            if (rows && *nrows < maxrows)
                rows[(*nrows)++] = boxCreate(x0, y0, x1 - x0, y1 - y0);
        }
    }
    return lines;
}

/* Glyph-sized components of the binary image (transposed when `rot`). */
static int glyphs_of(BOXA *ba, int W, int H, int rot, glyph *g)
{
    int n = boxaGetCount(ba), k = 0;
    int minh = H / 400 > 4 ? H / 400 : 4, maxh = H / 12;
    (void)W;
    for (int i = 0; i < n; i++) {
        l_int32 x, y, w, h;
        if (boxaGetBoxGeometry(ba, i, &x, &y, &w, &h))
            continue;
        if (rot) {
            int t = x;
            x = y;
            y = t;
            t = w;
            w = h;
            h = t;
        }
        /* letters and merged short words, not specks, rules or blobs */
        if (h < minh || h > maxh || w > 6 * h || w * 8 < h)
            continue;
        g[k].x = x;
        g[k].y = y;
        g[k].w = w;
        g[k].h = h;
        k++;
    }
    return k;
}

/* The image reduced to PAGE_SIDE pixels, 32 bpp.  When `full` is given and
 * the image was decoded at full scale as OCR would decode it (one pixRead,
 * or pixReadJpeg at scale 1 without a hint; not a TIFF, whose pages OCR
 * reads one by one), *full receives that decoding too. */
static PIX *load_small(const char *path, int64_t max_pixels, PIX **full, char *err,
                       size_t errlen)
{
    l_int32 format, w, h, bps, spp, cmap;
    if (pixReadHeader(path, &format, &w, &h, &bps, &spp, &cmap) != 0) {
        snprintf(err, errlen, "not an image leptonica can read");
        return NULL;
    }
    if (w <= 0 || h <= 0 || (int64_t)w * h > max_pixels) {
        snprintf(err, errlen, "image of %dx%d pixels exceeds the limit of %lld pixels (--max-pixels)",
                 w, h, (long long)max_pixels);
        return NULL;
    }
    int side = w > h ? w : h;
    PIX *pix;
    if (format == IFF_JFIF_JPEG) {
        int red = 1;
        while (red < 8 && side / (red * 2) >= PAGE_SIDE)
            red *= 2;
        l_int32 nwarn = 0;
        pix = pixReadJpeg(path, 0, red, &nwarn, 0);
    } else {
        pix = pixRead(path);
    }
    if (!pix) {
        /* The header was read: the data after it is what is broken. */
        const char *ext = getFormatExtension(format);
        char up[16] = "";
        for (size_t i = 0; ext && ext[i] && i + 1 < sizeof up; i++)
            up[i] = (char)(ext[i] >= 'a' && ext[i] <= 'z' ? ext[i] - 'a' + 'A' : ext[i]);
        snprintf(err, errlen, "cannot decode the image: its %s data is damaged or truncated",
                 up[0] ? up : "image");
        return NULL;
    }
    if (full && !L_FORMAT_IS_TIFF(format) && pixGetWidth(pix) == w && pixGetHeight(pix) == h)
        *full = pixClone(pix);
    /* A gray or colour image is reduced first, by area averaging:
     * pixScale's sharpening of the 32-bit copy cost more than the rest
     * of the rule (bench/captions).  Binary and colour-mapped ones take
     * the path below, which is quicker for them. */
    side = pixGetWidth(pix) > pixGetHeight(pix) ? pixGetWidth(pix) : pixGetHeight(pix);
    if (side > PAGE_SIDE && pixGetDepth(pix) >= 8 && !pixGetColormap(pix)) {
        float s = (float)PAGE_SIDE / (float)side;
        PIX *sc = pixScaleAreaMap(pix, s, s);
        if (sc) {
            pixDestroy(&pix);
            pix = sc;
        }
    }
    PIX *p32 = pixConvertTo32(pix);
    pixDestroy(&pix);
    if (!p32) {
        snprintf(err, errlen, "cannot convert the image");
        return NULL;
    }
    side = pixGetWidth(p32) > pixGetHeight(p32) ? pixGetWidth(p32) : pixGetHeight(p32);
    if (side > PAGE_SIDE) {
        float s = (float)PAGE_SIDE / (float)side;
        PIX *sc = pixScale(p32, s, s);
        pixDestroy(&p32);
        p32 = sc;
    }
    if (!p32)
        snprintf(err, errlen, "cannot scale the image");
    return p32;
}

int pledgex__photo_page_features(const char *path, int64_t max_pixels, photo_page_features *f,
                                 PIX **full, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (full)
        *full = NULL;
    setMsgSeverity(L_SEVERITY_NONE); /* leptonica must not print */
    PIX *rgb = load_small(path, max_pixels, full, err, errlen);
    if (!rgb) {
        if (full)
            pixDestroy(full);
        return PLEDGEX_FAILED;
    }
    int W = pixGetWidth(rgb), H = pixGetHeight(rgb);
    f->width = W;
    f->height = H;

    /* Paper mask: bright and colourless. */
    PIX *paper = pixCreate(W, H, 1);
    PIX *gray = pixCreate(W, H, 8);
    long npaper = 0;
    l_uint32 *rd = pixGetData(rgb), *pd = pixGetData(paper), *gd = pixGetData(gray);
    int rwpl = pixGetWpl(rgb), pwpl = pixGetWpl(paper), gwpl = pixGetWpl(gray);
    for (int y = 0; y < H; y++) {
        l_uint32 *rl = rd + y * rwpl, *pl = pd + y * pwpl, *gl = gd + y * gwpl;
        for (int x = 0; x < W; x++) {
            l_int32 r, g, b;
            extractRGBValues(rl[x], &r, &g, &b);
            int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
            int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
            int lum = (r * 30 + g * 59 + b * 11) / 100;
            SET_DATA_BYTE(gl, x, lum);
            if (lum >= 150 && mx - mn < 45) {
                SET_DATA_BIT(pl, x);
                npaper++;
            }
        }
    }
    f->paper = (double)npaper / ((double)W * H);
    pixDestroy(&rgb);

    /* Glyphs: dark marks on a local background (Sauvola). */
    PIX *bin = NULL;
    int rc = PLEDGEX_OK;
    /* An image smaller than Sauvola's window (a thumbnail, an icon) holds
     * no lines of print: it is a picture, not an error. */
    int too_small = W < 2 * SAUVOLA_HALF_WINDOW + 3 || H < 2 * SAUVOLA_HALF_WINDOW + 3;
    if (!too_small &&
        (pixSauvolaBinarize(gray, SAUVOLA_HALF_WINDOW, 0.34f, 1, NULL, NULL, NULL, &bin) != 0 ||
         !bin)) {
        snprintf(err, errlen, "cannot binarise the image");
        rc = PLEDGEX_FAILED;
    }
    BOXA *ba = bin ? pixConnCompBB(bin, 8) : NULL;
    /* Past PAGE_MAX_COMPONENTS marks the image is texture (foliage, a
     * crowd, noise), not print: no rows are looked for. */
    int nb = ba ? boxaGetCount(ba) : 0;
    glyph *g = ba && nb <= PAGE_MAX_COMPONENTS ? calloc((size_t)nb + 1, sizeof *g) : NULL;
    BOX *rows[64];
    int nrows = 0;
    if (g) {
        long area0 = 0, area1 = 0;
        int n0 = glyphs_of(ba, W, H, 0, g);
        int l0 = count_rows(g, n0, &area0, rows, 64, &nrows);
        int n1 = glyphs_of(ba, H, W, 1, g);
        int l1 = count_rows(g, n1, &area1, NULL, 0, NULL);
        f->text_lines = l0 >= l1 ? l0 : l1;
        f->text_area = (double)(l0 >= l1 ? area0 : area1) / ((double)W * H);
    }

    /* Picture: the largest non-paper region once text is closed away. */
    PIX *notpaper = pixInvert(NULL, paper);
    PIX *opened = notpaper ? pixOpenBrick(NULL, notpaper, 15, 15) : NULL;
    BOXA *pb = opened ? pixConnCompBB(opened, 8) : NULL;
    int best = -1;
    long best_area = 0;
    for (int i = 0; pb && i < boxaGetCount(pb); i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(pb, i, &x, &y, &w, &h);
        if ((long)w * h > best_area) {
            best_area = (long)w * h;
            best = i;
        }
    }
    if (best >= 0) {
        l_int32 px, py, pw, ph;
        boxaGetBoxGeometry(pb, best, &px, &py, &pw, &ph);
        f->picture_frac = (double)best_area / ((double)W * H);
        f->picture = f->picture_frac >= 0.15 && f->picture_frac <= 0.9;
        for (int i = 0; i < nrows; i++) {
            l_int32 x, y, w, h;
            boxGetGeometry(rows[i], &x, &y, &w, &h);
            if (y >= py + ph || y + h <= py) {
                if (f->caption_below++ == 0) {
                    f->cap_x = x;
                    f->cap_y = y;
                    f->cap_w = w;
                    f->cap_h = h;
                } else {
                    int x1 = f->cap_x + f->cap_w > x + w ? f->cap_x + f->cap_w : x + w;
                    int y1 = f->cap_y + f->cap_h > y + h ? f->cap_y + f->cap_h : y + h;
                    f->cap_x = f->cap_x < x ? f->cap_x : x;
                    f->cap_y = f->cap_y < y ? f->cap_y : y;
                    f->cap_w = x1 - f->cap_x;
                    f->cap_h = y1 - f->cap_y;
                }
            }
        }
    }
    for (int i = 0; i < nrows; i++)
        boxDestroy(&rows[i]);
    free(g);
    boxaDestroy(&pb);
    pixDestroy(&opened);
    pixDestroy(&notpaper);
    boxaDestroy(&ba);
    pixDestroy(&bin);
    pixDestroy(&gray);
    pixDestroy(&paper);
    if (rc != PLEDGEX_OK && full) /* a failure hands nothing on */
        pixDestroy(full);
    return rc;
}

photo_page_kind pledgex__photo_page_classify(const photo_page_features *f)
{
    /* A page: many rows of text; on paper unless the rows cover a lot. */
    if (f->text_lines >= 8 && (f->paper >= 0.25 || f->text_area >= 0.15))
        return PHOTO_PAGE_DOCUMENT;
    /* A short page (a notice, a certificate): a few rows, all paper. */
    if (f->text_lines >= 3 && f->paper >= 0.6 && !f->picture)
        return PHOTO_PAGE_DOCUMENT;
    /* An album page: a picture on paper with its caption printed beside. */
    if (f->picture && f->paper >= 0.2 && f->caption_below >= 1 && f->text_lines <= 8)
        return PHOTO_PAGE_ALBUM;
    return PHOTO_PAGE_PICTURE;
}
