/*
 * test_pdf_gen.c -- PDF fixtures drawn with cairo (see test_pdf_gen.h).
 */
#include <config.h>

#include "test_pdf_gen.h"

#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>

#define PAGE_W 420.0 /* A5, points */
#define PAGE_H 595.0
#define FONT_PT 13.0
#define MARGIN 40.0
#define LEADING 1.6
#define SCAN_DPI 300.0

/* TCVN3 (ABC, TCVN 5712:1993) byte of each Vietnamese letter outside ASCII.
 * Upper-case accented letters have no code of their own: ".VnTimeH" fonts
 * draw the lower-case codes in capitals, so they map like lower case. */
static const struct {
    const char *letter;
    unsigned char code;
} tcvn3[] = {
    {"ă", 0xA8}, {"â", 0xA9}, {"ê", 0xAA}, {"ô", 0xAB}, {"ơ", 0xAC}, {"ư", 0xAD}, {"đ", 0xAE},
    {"Ă", 0xA1}, {"Â", 0xA2}, {"Ê", 0xA3}, {"Ô", 0xA4}, {"Ơ", 0xA5}, {"Ư", 0xA6}, {"Đ", 0xA7},
    {"à", 0xB5}, {"ả", 0xB6}, {"ã", 0xB7}, {"á", 0xB8}, {"ạ", 0xB9},
    {"ằ", 0xBB}, {"ẳ", 0xBC}, {"ẵ", 0xBD}, {"ắ", 0xBE}, {"ặ", 0xC6},
    {"ầ", 0xC7}, {"ẩ", 0xC8}, {"ẫ", 0xC9}, {"ấ", 0xCA}, {"ậ", 0xCB},
    {"è", 0xCC}, {"ẻ", 0xCE}, {"ẽ", 0xCF}, {"é", 0xD0}, {"ẹ", 0xD1},
    {"ề", 0xD2}, {"ể", 0xD3}, {"ễ", 0xD4}, {"ế", 0xD5}, {"ệ", 0xD6},
    {"ì", 0xD7}, {"ỉ", 0xD8}, {"ĩ", 0xDC}, {"í", 0xDD}, {"ị", 0xDE},
    {"ò", 0xDF}, {"ỏ", 0xE1}, {"õ", 0xE2}, {"ó", 0xE3}, {"ọ", 0xE4},
    {"ồ", 0xE5}, {"ổ", 0xE6}, {"ỗ", 0xE7}, {"ố", 0xE8}, {"ộ", 0xE9},
    {"ờ", 0xEA}, {"ở", 0xEB}, {"ỡ", 0xEC}, {"ớ", 0xED}, {"ợ", 0xEE},
    {"ù", 0xEF}, {"ủ", 0xF1}, {"ũ", 0xF2}, {"ú", 0xF3}, {"ụ", 0xF4},
    {"ừ", 0xF5}, {"ử", 0xF6}, {"ữ", 0xF7}, {"ứ", 0xF8}, {"ự", 0xF9},
    {"ỳ", 0xFA}, {"ỷ", 0xFB}, {"ỹ", 0xFC}, {"ý", 0xFD}, {"ỵ", 0xFE},
};

/* Appends the mojibake of one character (UTF-8 at p, `n` bytes). */
static void moji_char(GString *out, const char *p, size_t n)
{
    if (n == 1) {
        g_string_append_c(out, *p);
        return;
    }
    char *low = g_utf8_strdown(p, (gssize)n);
    for (size_t i = 0; i < G_N_ELEMENTS(tcvn3); i++)
        if ((strlen(tcvn3[i].letter) == n && !memcmp(tcvn3[i].letter, p, n)) ||
            !strcmp(tcvn3[i].letter, low)) {
            g_string_append_unichar(out, tcvn3[i].code); /* Latin-1 reading */
            g_free(low);
            return;
        }
    g_free(low);
    g_string_append_len(out, p, (gssize)n);
}

char *pdfgen_tcvn3_mojibake(const char *utf8)
{
    char *nfc = g_utf8_normalize(utf8, -1, G_NORMALIZE_NFC);
    GString *out = g_string_new(NULL);
    for (const char *p = nfc; *p; p = g_utf8_next_char(p))
        moji_char(out, p, (size_t)(g_utf8_next_char(p) - p));
    g_free(nfc);
    char *s = strdup(out->str);
    g_string_free(out, TRUE);
    return s;
}

/* Shows one line whose glyphs are those of `line` but whose text (what a
 * PDF reader extracts) is its TCVN3 mojibake, cluster by cluster. */
static void show_mojibake_line(cairo_t *cr, const char *line, double x, double y)
{
    cairo_scaled_font_t *sf = cairo_get_scaled_font(cr);
    cairo_glyph_t *glyphs = NULL;
    int nglyphs = 0, nclusters = 0;
    cairo_text_cluster_t *clusters = NULL;
    cairo_text_cluster_flags_t flags = 0;
    if (cairo_scaled_font_text_to_glyphs(sf, x, y, line, (int)strlen(line), &glyphs, &nglyphs,
                                         &clusters, &nclusters, &flags) != CAIRO_STATUS_SUCCESS)
        return;
    GString *moji = g_string_new(NULL);
    const char *p = line;
    for (int c = 0; c < nclusters; c++) {
        size_t before = moji->len;
        const char *end = p + clusters[c].num_bytes;
        for (const char *q = p; q < end; q = g_utf8_next_char(q))
            moji_char(moji, q, (size_t)(g_utf8_next_char(q) - q));
        clusters[c].num_bytes = (int)(moji->len - before);
        p = end;
    }
    cairo_show_text_glyphs(cr, moji->str, (int)moji->len, glyphs, nglyphs, clusters, nclusters,
                           flags);
    g_string_free(moji, TRUE);
    cairo_glyph_free(glyphs);
    cairo_text_cluster_free(clusters);
}

/* Draws the text of a page on cr, in points (cr may be scaled). */
static void draw_text(cairo_t *cr, const char *text, int mojibake)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, FONT_PT);
    char *nfc = g_utf8_normalize(text, -1, G_NORMALIZE_NFC);
    char **lines = g_strsplit(nfc, "\n", -1);
    double y = MARGIN + FONT_PT;
    for (int i = 0; lines[i]; i++, y += FONT_PT * LEADING) {
        if (mojibake)
            show_mojibake_line(cr, lines[i], MARGIN, y);
        else {
            cairo_move_to(cr, MARGIN, y);
            cairo_show_text(cr, lines[i]);
        }
    }
    g_strfreev(lines);
    g_free(nfc);
}

/* A picture of the page at SCAN_DPI, painted on the PDF page. */
static int draw_scan(cairo_t *cr, const char *text)
{
    int w = (int)(PAGE_W / 72.0 * SCAN_DPI), h = (int)(PAGE_H / 72.0 * SCAN_DPI);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS)
        return -1;
    cairo_t *ic = cairo_create(img);
    cairo_set_source_rgb(ic, 1, 1, 1);
    cairo_paint(ic);
    cairo_scale(ic, SCAN_DPI / 72.0, SCAN_DPI / 72.0);
    draw_text(ic, text, 0);
    cairo_destroy(ic);
    cairo_save(cr);
    cairo_scale(cr, 72.0 / SCAN_DPI, 72.0 / SCAN_DPI);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return 0;
}

int pdfgen_write(const char *path, const pdfgen_page *pages, int npages)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_t *cr = cairo_create(s);
    int rc = 0;
    for (int i = 0; i < npages && rc == 0; i++) {
        switch (pages[i].mode) {
        case PDFGEN_TEXT: draw_text(cr, pages[i].text, 0); break;
        case PDFGEN_MOJIBAKE: draw_text(cr, pages[i].text, 1); break;
        case PDFGEN_SCAN: rc = draw_scan(cr, pages[i].text); break;
        case PDFGEN_BLANK: break;
        case PDFGEN_STAMPED:
            rc = draw_scan(cr, pages[i].text);
            cairo_set_font_size(cr, 7);
            cairo_move_to(cr, MARGIN, PAGE_H - 12);
            cairo_show_text(cr, "Scanned by CamScanner");
            break;
        }
        cairo_show_page(cr);
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        rc = -1;
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        rc = -1;
    cairo_surface_destroy(s);
    return rc;
}
