/*
 * ocr_junk.c -- junk in a page's reading: "words" tesseract made of
 * specks and stray words, taken out of the lines of the first reading
 * (pledgex__ocr_tidy_lines), and which reading of a re-read line to keep,
 * dropping a line both readings found to be garbage
 * (pledgex__ocr_reread_verdict); see ocr.h.
 *
 * Specks.
 * On a noisy photographed page tesseract's layout analysis can take a few
 * specks of noise (3 x 3, 11 x 5, 84 x 6 pixels on a page of 30-pixel
 * letters) as words and join them to the end of a tilted row of the other
 * column into one "line" that runs across the page: `Đh bê, ST NA`, where
 * the row was `... VIỆT NAM`.  The words read are garbage, and the line's
 * box, which the second reading cuts from the page, now spans both
 * columns and half of the row above: read again, it came back as `SỐ | |
 * CỘNG HÒA XÃ Hội CHỦ NGHĨA VIỆT NẠI`, the row above written twice.  A word
 * with letters or digits that stands less than OCR_SPECK_HEIGHT of the
 * page's usual word height is no word at this size of print; it is
 * dropped, and the line's text and box are those of its other words.
 *
 * Far words.  The same tilted row lent its last letter (`M`, read `:` at
 * 21) to the row below in the other column, 40 word heights away:
 * `HUYỆN BÁT XÁT :`, whose re-read cut both columns and came back as
 * `HUYỆN BẤT XÁT CỐ Ca pu b`.  A doubtful word at either end of a line,
 * OCR_SPLIT_GAP word heights of blank away from the rest (more than any
 * gap between words of one column), becomes a line of its own, read again
 * alone; the rest is read as a line, and the reading order (ocr_rows.c)
 * can put the row's other column beside it.  Only a doubtful word: cutting
 * every line at such gaps (the columns of signature rows and headers, which
 * tesseract reads as one line) made 12 of 122 pages worse, one 2% -> 14%,
 * their columns then read one after the other (bench/ocr/RESULTS.md).
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ocr.h"
#include "strbuf.h"

/* 1 when text holds a letter or a digit (a dash, a dot or a comma is
 * small in print and is not a speck for being small). */
static int has_alnum(const char *text)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(text);
    while (left > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
        if (k <= 0)
            return 0;
        switch (utf8proc_category(c)) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_ND:
            return 1;
        default:
            break;
        }
        p += k;
        left -= k;
    }
    return 0;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int pledgex__ocr_median(int *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, by_int);
    return v[n / 2];
}

/* The median height of the words with letters or digits read with at
 * least OCR_REREAD_CONFIDENCE, or 0 with fewer than OCR_SPECK_MIN_WORDS. */
static int usual_height(const ocr_word_box *words, int nwords)
{
    int *h = malloc(sizeof(int) * (size_t)(nwords + 1));
    if (!h)
        return 0;
    int n = 0;
    for (int i = 0; i < nwords; i++)
        if (words[i].text && words[i].conf >= OCR_REREAD_CONFIDENCE && has_alnum(words[i].text))
            h[n++] = words[i].b - words[i].t;
    int med = n >= OCR_SPECK_MIN_WORDS ? pledgex__ocr_median(h, n) : 0;
    free(h);
    return med;
}

static int is_speck(const ocr_word_box *w, int height)
{
    return w->text && w->conf < OCR_REREAD_CONFIDENCE &&
           (double)(w->b - w->t) < OCR_SPECK_HEIGHT * height && has_alnum(w->text);
}

/* 1 when word w, one of the neighbours a (left) and b (right), is a
 * stray: read under OCR_REREAD_CONFIDENCE, OCR_SPLIT_GAP usual word
 * heights of blank between a and b. */
static int stray(const ocr_word_box *a, const ocr_word_box *b, const ocr_word_box *w, int height)
{
    return height > 0 && w->conf < OCR_REREAD_CONFIDENCE && b->l - a->r > OCR_SPLIT_GAP * height;
}

/* A part of line `li` made of words w[0 .. n) (not specks), into *part:
 * its text, box and confidences, its baseline where the line's runs under
 * it; the last part of the line ends the paragraph when the line does.
 * Returns 0, or -1 when out of memory. */
static int make_part(const ocr_line *li, const ocr_word_box *w, int n, int last, ocr_line *part)
{
    pledgex_strbuf text = {0};
    memset(part, 0, sizeof *part);
    part->weakest = 100.0f;
    for (int i = 0; i < n; i++) {
        if (i)
            pledgex__sb_add(&text, " ", 1);
        pledgex__sb_puts(&text, w[i].text);
        part->l = i && part->l < w[i].l ? part->l : w[i].l;
        part->t = i && part->t < w[i].t ? part->t : w[i].t;
        part->r = i && part->r > w[i].r ? part->r : w[i].r;
        part->b = i && part->b > w[i].b ? part->b : w[i].b;
        part->sum += w[i].conf;
        if (w[i].conf < part->weakest)
            part->weakest = w[i].conf;
    }
    part->n = n;
    pledgex__sb_add(&text, "\n", 1);
    if (text.oom) {
        free(text.s);
        return -1;
    }
    part->text = text.s;
    double slope = li->r > li->l ? (double)(li->base_r - li->base_l) / (li->r - li->l) : 0.0;
    part->base_l = li->base_l + (int)lround(slope * (part->l - li->l));
    part->base_r = li->base_l + (int)lround(slope * (part->r - li->l));
    part->base = (part->base_l + part->base_r) / 2;
    part->para_end = last && li->para_end;
    return 0;
}

int pledgex__ocr_tidy_lines(ocr_line *lines, int nlines, const ocr_word_box *words,
                            const int *first, ocr_line **out)
{
    *out = NULL;
    int nwords = first[nlines], height = usual_height(words, nwords);
    /* at most one part per word, or the line as it is */
    int cap = (nwords > nlines ? nwords : nlines) + 1;
    ocr_line *res = malloc(sizeof *res * (size_t)cap);
    ocr_word_box *kept = malloc(sizeof *kept * (size_t)(nwords + 1));
    unsigned char *moved = calloc((size_t)nlines + 1, 1); /* lines[i] is in res */
    unsigned char *made = calloc((size_t)cap, 1);          /* res[j] is a new part */
    int nres = 0, oom = !res || !kept || !moved || !made;
    for (int i = 0; i < nlines && !oom; i++) {
        const ocr_word_box *w = words + first[i];
        int n = first[i + 1] - first[i], nk = 0;
        for (int k = 0; k < n; k++)
            if (w[k].text && !(height > 0 && is_speck(&w[k], height)))
                kept[nk++] = w[k];
        /* a stray word at either end: its own line */
        int head = nk > 1 && stray(&kept[0], &kept[1], &kept[0], height);
        int tail = nk > 1 + head && stray(&kept[nk - 2], &kept[nk - 1], &kept[nk - 1], height);
        if (nk == n && !head && !tail) { /* the line as tesseract read it */
            res[nres++] = lines[i];
            moved[i] = 1;
            continue;
        }
        int cut[3] = {0, head, nk - tail};
        for (int c = 0; c < 3 && !oom; c++) {
            int from = cut[c], to = c < 2 ? cut[c + 1] : nk;
            if (to <= from)
                continue;
            oom = make_part(&lines[i], kept + from, to - from, to == nk, &res[nres]) < 0;
            if (!oom)
                made[nres++] = 1;
        }
    }
    free(kept);
    if (oom) { /* the parts made so far go; the lines stay as read */
        for (int j = 0; j < nres; j++)
            if (made[j])
                free(res[j].text);
        free(res);
        free(moved);
        free(made);
        return -1;
    }
    for (int i = 0; i < nlines; i++)
        if (!moved[i]) /* split, or nothing left */
            free(lines[i].text);
    free(moved);
    free(made);
    *out = res;
    return nres;
}

/* Which reading of a re-read line stands.  A re-reading that is garbage
 * (OCR_REREAD_GARBAGE) never replaces the first reading; when the first
 * is garbage too, the "line" was specks, a photographed page's edge or
 * ink: a photo's bottom edge read `CC =<5210652000` (words at 0), then
 * `bon iu`, which no page says.  A re-reading that found no word is
 * garbage. */
ocr_verdict pledgex__ocr_reread_verdict(double first_sum, int first_n, double again_sum,
                                        int again_n)
{
    double first = first_n > 0 ? first_sum / first_n : 0.0;
    double again = again_n > 0 ? again_sum / again_n : 0.0;
    if (again >= OCR_REREAD_GARBAGE)
        return OCR_TAKE_REREAD;
    if (first < OCR_REREAD_GARBAGE)
        return OCR_DROP_LINE;
    return again < first ? OCR_KEEP_FIRST : OCR_TAKE_REREAD;
}
