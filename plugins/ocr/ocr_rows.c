/*
 * ocr_rows.c -- reading order of the lines of a page: parts of one row
 * that tesseract's layout analysis read as separate blocks put back
 * together (see pledgex__ocr_row_order in ocr.h).
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ocr.h"

/* A line with words, no taller than two lines and wider than tall
 * (tesseract also reports a column of list numbers, a speck or a rule as
 * a "line"). */
static int row_like(const ocr_line *li, int height)
{
    int chars = 0;
    for (const char *c = li->text; c && *c; c++)
        chars += *c != ' ' && *c != '\n';
    return chars >= 2 && li->b - li->t <= 2 * height && li->r - li->l >= li->b - li->t;
}

/* a is a line of b's column: it overlaps b horizontally and stands
 * within two line heights above or below it. */
static int stacked(const ocr_line *a, const ocr_line *b, int height)
{
    int gap = a->t > b->b ? a->t - b->b : b->t - a->b;
    return row_like(a, height) && a->l < b->r && b->l < a->r && gap <= 2 * height;
}

static double line_slope(const ocr_line *li)
{
    return li->r > li->l ? (double)(li->base_r - li->base_l) / (double)(li->r - li->l) : 0.0;
}

/* For each line, the baseline slope of the long line (OCR_ROW_LONG line
 * heights or more) nearest to it up or down the page, its own when it is
 * long, 0 on a page without any: a short line's own slope (a name, a
 * title of two words) is no measure of how a photographed page slopes
 * there, and across a signature row's gap the slope decides where the
 * row's other half must stand.  The nearest, not the page's: in
 * perspective the lines fan out (up to the right at the top of a page,
 * down at its foot).  Fills slope[0 .. n). */
static void near_slopes(const ocr_line *lines, int n, int height, double *slope)
{
    for (int i = 0; i < n; i++) {
        int best = -1, best_d = 0;
        for (int k = 0; k < n; k++) {
            if (lines[k].r - lines[k].l < OCR_ROW_LONG * height)
                continue;
            int d = abs(lines[k].base - lines[i].base);
            if (best < 0 || d < best_d) {
                best = k;
                best_d = d;
            }
        }
        slope[i] = best >= 0 ? line_slope(&lines[best]) : 0.0;
    }
}

/* How a line continues another across a column gap (wide[]): read
 * before the line it continues, or after it. */
enum { ROW_READ_BEFORE = 1, ROW_READ_AFTER = 2 };

void pledgex__ocr_row_order(const ocr_line *lines, int n, int height, int *order,
                            unsigned char *join)
{
    for (int i = 0; i < n; i++) {
        order[i] = i;
        join[i] = 0;
    }
    if (height <= 0)
        return;
    /* Which line each one continues (-1: none), and whether across a
     * wide gap.  Many such pairs are a page in columns with a narrow
     * gutter, read column by column as it should be: then nothing is
     * moved. */
    int *cont = malloc(sizeof(int) * (size_t)n);
    unsigned char *wide = malloc((size_t)n);
    double *near = malloc(sizeof(double) * (size_t)n);
    if (!cont || !wide || !near) {
        free(cont);
        free(wide);
        free(near);
        return;
    }
    near_slopes(lines, n, height, near);
    int pairs = 0, wides = 0;
    for (int j = 0; j < n; j++) {
        cont[j] = -1;
        wide[j] = 0;
        const ocr_line *f = &lines[j];
        if (!row_like(f, height))
            continue;
        int best = -1, best_gap = 0;
        for (int i = 0; i < n; i++) {
            const ocr_line *g = &lines[i];
            if (i == j || !row_like(g, height))
                continue;
            int top = g->t > f->t ? g->t : f->t, bottom = g->b < f->b ? g->b : f->b;
            int lower = (g->b - g->t) < (f->b - f->t) ? g->b - g->t : f->b - f->t;
            int taller = (g->b - g->t) < (f->b - f->t) ? f->b - f->t : g->b - g->t;
            int overlap = bottom - top >= OCR_ROW_OVERLAP * lower;
            int gap = f->l - g->r;
            if (gap < 0)
                continue;
            if (gap > OCR_ROW_GAP * height) {
                /* The right part of a row across a column gap (a
                 * signature row, a document's header): its baseline is
                 * where the left part's, extended along its slope,
                 * arrives (a photographed row slopes).  Read before its
                 * left part (perspective lifted it) or after it (a
                 * column of its own); the second only in short runs
                 * (below), and then with the tolerance a slope measured
                 * on a short line needs across a wide gap. */
                double slope = near[i];
                double drift = slope * gap;
                double miss = fabs(g->base_r + drift - f->base_l);
                /* the boxes overlap once the drift is taken out */
                int dtop = g->t > f->t - drift ? g->t : (int)lround(f->t - drift);
                int dbottom = g->b < f->b - drift ? g->b : (int)lround(f->b - drift);
                int level = dbottom - dtop >= OCR_ROW_OVERLAP * lower;
                if (i < j ? miss > OCR_ROW_AFTER_SHIFT * height || 2 * lower < taller
                          : !level || miss > OCR_ROW_BASE_SHIFT * height)
                    continue;
            } else if (!overlap || abs(g->base_r - f->base_l) > OCR_ROW_BASE_SHIFT * height) {
                /* the baseline goes on where the left part's ends (a
                 * photographed line slopes) */
                continue;
            }
            if (best < 0 || gap < best_gap) {
                best = i;
                best_gap = gap;
            }
        }
        cont[j] = best;
        if (best >= 0 && best_gap > OCR_ROW_GAP * height) {
            wide[j] = best > j ? ROW_READ_BEFORE : ROW_READ_AFTER;
            wides += best > j;
        } else
            pairs += best >= 0;
    }
    /* Right parts read after their rows: the lines of a column of its own
     * (consecutive, each on the row after the last one's).  Up to
     * OCR_ROW_MAX_RUN such lines are the right part of a signature block
     * or a header, put back on their rows as the page shows them; a
     * longer run, a lone line amid its column, or more than
     * OCR_ROW_MAX_AFTER of them on the page, are columns of text (whose
     * rows may line up), left as they were read. */
    int afters = 0;
    for (int j = 0; j < n;) {
        if (wide[j] != ROW_READ_AFTER) {
            j++;
            continue;
        }
        int end = j + 1;
        /* (a line whose row's left part is in the run starts the next
         * column's run: a third column joined to the second) */
        while (end < n && wide[end] == ROW_READ_AFTER && cont[end] > cont[end - 1] &&
               (cont[end] < j || cont[end] >= end))
            end++;
        int len = end - j;
        /* A lone line is taken only when no line read just before or
         * after it stands in its column: in a column of text, a line
         * that happens to share a row with the other column has its
         * neighbours right above and below it. */
        int ok = len <= OCR_ROW_MAX_RUN &&
                 (len > 1 || ((j == 0 || !stacked(&lines[j - 1], &lines[j], height)) &&
                              (j + 1 == n || !stacked(&lines[j + 1], &lines[j], height))));
        for (int k = j; !ok && k < end; k++)
            cont[k] = -1;
        afters += ok ? len : 0;
        j = end;
    }
    for (int j = 0; j < n; j++) {
        int best = cont[j];
        if (best < 0)
            continue;
        if (wide[j] == ROW_READ_AFTER ? afters > OCR_ROW_MAX_AFTER
                         : join[best] || (wide[j] ? wides > OCR_ROW_MAX_WIDE : pairs > OCR_ROW_MAX_PAIRS))
            continue;
        /* Where j and best are in the order; j goes after best and the
         * fragments already joined to it (it may be there already). */
        int pj = 0, pb = 0;
        for (int k = 0; k < n; k++) {
            if (order[k] == j)
                pj = k;
            if (order[k] == best)
                pb = k;
        }
        int after = pb + 1;
        while (after < n && join[order[after]])
            after++;
        if (pj < after) { /* read before its row's start: everything between moves up */
            memmove(order + pj, order + pj + 1, (size_t)(after - 1 - pj) * sizeof *order);
            order[after - 1] = j;
        } else if (pj > after) {
            memmove(order + after + 1, order + after, (size_t)(pj - after) * sizeof *order);
            order[after] = j;
        }
        join[j] = 1;
    }
    free(cont);
    free(wide);
    free(near);
}

