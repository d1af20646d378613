/*
 * pdf_render.c -- pages that need OCR, rendered by poppler through cairo
 * into leptonica images (the OCR plugin's currency), at 300 dpi unless the
 * pixel limit asks for less.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo.h>

#include "pdf.h"

/* A pixel darker than this (0..255, any channel) is ink, not paper. */
#define INK_LEVEL 200
/* A pixel whose channels are further apart than this is coloured ink (a red
 * seal, a blue signature: what the OCR plugin's ink suppression needs); a
 * JPEG scan's chroma noise or a photo's colour cast stays below it. */
#define COLOUR_SPREAD 48
/* A page is kept in colour when more than 1 pixel in this many is coloured;
 * otherwise it goes to OCR as 8 bpp gray (a third of the bytes to write). */
#define COLOUR_RARITY 5000

double pledgex__pdf_image_cover(PopplerPage *page)
{
    double pw = 0, ph = 0;
    poppler_page_get_size(page, &pw, &ph);
    if (pw <= 0 || ph <= 0)
        return 0;
    GList *maps = poppler_page_get_image_mapping(page);
    double area = 0;
    for (GList *l = maps; l; l = l->next) {
        PopplerImageMapping *m = l->data;
        double x1 = fmax(0, fmin(m->area.x1, m->area.x2));
        double x2 = fmin(pw, fmax(m->area.x1, m->area.x2));
        double y1 = fmax(0, fmin(m->area.y1, m->area.y2));
        double y2 = fmin(ph, fmax(m->area.y1, m->area.y2));
        if (x2 > x1 && y2 > y1)
            area += (x2 - x1) * (y2 - y1);
    }
    poppler_page_free_image_mapping(maps);
    double cover = area / (pw * ph);
    return cover > 1 ? 1 : cover;
}

double pledgex__pdf_text_cover(PopplerPage *page)
{
    double pw = 0, ph = 0;
    poppler_page_get_size(page, &pw, &ph);
    PopplerRectangle *rects = NULL;
    guint n = 0;
    if (pw <= 0 || ph <= 0 || !poppler_page_get_text_layout(page, &rects, &n))
        return 0;
    double area = 0;
    for (guint i = 0; i < n; i++) {
        double w = fabs(rects[i].x2 - rects[i].x1), h = fabs(rects[i].y2 - rects[i].y1);
        /* A glyph box larger than the page is a broken font matrix. */
        if (w < pw && h < ph)
            area += w * h;
    }
    g_free(rects);
    double cover = area / (pw * ph);
    return cover > 1 ? 1 : cover;
}

int pledgex__pdf_render_dpi(double w_pt, double h_pt, int64_t max_pixels, double *dpi,
                            char *err, size_t errlen)
{
    if (!(w_pt > 0 && h_pt > 0) || w_pt > 1e6 || h_pt > 1e6) {
        snprintf(err, errlen, "invalid page size %.0f x %.0f pt", w_pt, h_pt);
        return PLEDGEX_FAILED;
    }
    double d = PDF_RENDER_DPI;
    double px = (w_pt / 72.0 * d) * (h_pt / 72.0 * d);
    if (max_pixels > 0 && px > (double)max_pixels)
        d = 72.0 * sqrt((double)max_pixels / (w_pt * h_pt));
    double side = fmax(w_pt, h_pt) / 72.0 * d;
    if (side > PDF_MAX_SIDE)
        d = PDF_MAX_SIDE * 72.0 / fmax(w_pt, h_pt);
    if (d < PDF_MIN_DPI) {
        double need = (w_pt / 72.0 * PDF_MIN_DPI) * (h_pt / 72.0 * PDF_MIN_DPI);
        snprintf(err, errlen,
                 "page of %.0f x %.0f pt needs %.1f megapixels even at %.0f dpi, over the "
                 "limit of %.1f (--max-pixels)",
                 w_pt, h_pt, need / 1e6, PDF_MIN_DPI, (double)max_pixels / 1e6);
        return PLEDGEX_FAILED;
    }
    *dpi = d;
    return PLEDGEX_OK;
}

/* Copies cairo's RGB24 pixels into a Pix: 8 bpp when every pixel is gray. */
static PIX *to_pix(cairo_surface_t *s, int *blank)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int64_t coloured = 0, limit = (int64_t)w * h / COLOUR_RARITY;
    int ink = 0;
    for (int y = 0; y < h && (coloured <= limit || !ink); y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
            int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
            int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
            if (hi - lo > COLOUR_SPREAD)
                coloured++;
            if (lo < INK_LEVEL)
                ink = 1;
        }
    }
    int gray = coloured <= limit;
    *blank = !ink;
    PIX *pix = pixCreate(w, h, gray ? 8 : 32);
    if (!pix)
        return NULL;
    l_uint32 *pd = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        l_uint32 *line = pd + (size_t)y * wpl;
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
            if (gray)
                SET_DATA_BYTE(line, x, (r * 299 + g * 587 + b * 114) / 1000);
            else
                composeRGBPixel(r, g, b, line + x);
        }
    }
    return pix;
}

int pledgex__pdf_render(PopplerPage *page, double dpi, PIX **out, int *blank, char *err,
                        size_t errlen)
{
    *out = NULL;
    *blank = 0;
    double pw = 0, ph = 0;
    poppler_page_get_size(page, &pw, &ph);
    int w = (int)ceil(pw / 72.0 * dpi), h = (int)ceil(ph / 72.0 * dpi);
    if (w < 1 || h < 1 || w > PDF_MAX_SIDE || h > PDF_MAX_SIDE) {
        snprintf(err, errlen, "cannot render a page of %d x %d pixels", w, h);
        return PLEDGEX_FAILED;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot render the page: %s (%d x %d pixels)",
                 cairo_status_to_string(cairo_surface_status(s)), w, h);
        cairo_surface_destroy(s);
        return PLEDGEX_FAILED;
    }
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    /* For printing: annotations that are meant to print (stamps, form
     * fields) are drawn, screen-only ones are not. */
    poppler_page_render_for_printing(page, cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot render the page: %s", cairo_status_to_string(st));
        cairo_surface_destroy(s);
        return PLEDGEX_FAILED;
    }
    PIX *pix = to_pix(s, blank);
    cairo_surface_destroy(s);
    if (!pix) {
        snprintf(err, errlen, "out of memory for a page of %d x %d pixels", w, h);
        return PLEDGEX_FAILED;
    }
    int res = (int)lround(dpi);
    pixSetResolution(pix, res, res);
    *out = pix;
    return PLEDGEX_OK;
}
