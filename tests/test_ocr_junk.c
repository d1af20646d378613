/*
 * test_ocr_junk.c -- junk in a page's reading (plugins/ocr/ocr_junk.c):
 * words made of specks taken out of the first reading's lines, on word
 * boxes made up to the shapes tesseract reported for a noisy photographed
 * page (a line of specks ending in a real word, a line of specks only,
 * small punctuation and small confident words left alone, a page with too
 * few words to judge); and which reading of a re-read line stands.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "ocr.h"
#include "testutil.h"

#define MAXW 32

typedef struct page {
    ocr_line lines[8];
    ocr_word_box words[MAXW];
    int first[9];
    int nlines, nwords;
} page;

/* Starts a line on page p (its box and confidences as tesseract gives
 * them: the union of its words', set by end_line). */
static void begin_line(page *p)
{
    memset(&p->lines[p->nlines], 0, sizeof p->lines[0]);
    p->first[p->nlines] = p->nwords;
}

static void word(page *p, const char *text, int l, int t, int w, int h, float conf)
{
    p->words[p->nwords++] = (ocr_word_box){l, t, l + w, t + h, conf, (char *)text};
}

static void end_line(page *p, const char *text)
{
    ocr_line *li = &p->lines[p->nlines];
    li->text = strdup(text);
    li->weakest = 100.0f;
    for (int i = p->first[p->nlines]; i < p->nwords; i++) {
        const ocr_word_box *w = &p->words[i];
        int firstw = i == p->first[p->nlines];
        li->l = firstw || w->l < li->l ? w->l : li->l;
        li->t = firstw || w->t < li->t ? w->t : li->t;
        li->r = firstw || w->r > li->r ? w->r : li->r;
        li->b = firstw || w->b > li->b ? w->b : li->b;
        li->sum += w->conf;
        li->n++;
        if (w->conf < li->weakest)
            li->weakest = w->conf;
    }
    p->nlines++;
    p->first[p->nlines] = p->nwords;
}

/* A line of seven confident capitals words, 30 pixels tall, at y. */
static void motto(page *p, int y)
{
    static const char *const w[] = {"CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT"};
    begin_line(p);
    for (int i = 0; i < 7; i++)
        word(p, w[i], 1013 + 75 * i, y, 70, 30, 96.0f);
    end_line(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\n");
}

/* Tidies the lines of p, which then holds the result. */
static int run(page *p)
{
    ocr_line *out = NULL;
    int n = pledgex__ocr_tidy_lines(p->lines, p->nlines, p->words, p->first, &out);
    CU_ASSERT_TRUE_FATAL(n >= 0 && n <= 8 && out);
    memcpy(p->lines, out, sizeof *out * (size_t)n);
    free(out);
    return n;
}

static void free_page(page *p, int n)
{
    for (int i = 0; i < n; i++)
        free(p->lines[i].text);
}

/* The line tesseract made of three specks and the end of the row above
 * keeps that end alone, with its box and confidence. */
static void test_specks_taken_out_of_a_line(void)
{
    page p = {0};
    motto(&p, 231);
    motto(&p, 400);
    begin_line(&p);
    word(&p, "Đh", 228, 277, 11, 5, 0.0f);
    word(&p, "bê,", 314, 280, 84, 6, 7.4f);
    word(&p, "ST", 1558, 283, 3, 3, 52.3f);
    word(&p, "NA", 1601, 258, 43, 26, 94.3f);
    end_line(&p, "Đh bê, ST NA\n");
    int n = run(&p);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    const ocr_line *li = &p.lines[2];
    CU_ASSERT_STRING_EQUAL(li->text, "NA\n");
    CU_ASSERT_EQUAL(li->l, 1601);
    CU_ASSERT_EQUAL(li->r, 1644);
    CU_ASSERT_EQUAL(li->t, 258);
    CU_ASSERT_EQUAL(li->b, 284);
    CU_ASSERT_EQUAL(li->n, 1);
    CU_ASSERT_DOUBLE_EQUAL(li->sum, 94.3, 0.01);
    CU_ASSERT_DOUBLE_EQUAL(li->weakest, 94.3, 0.01);
    /* the lines of real words as they were */
    CU_ASSERT_STRING_EQUAL(p.lines[0].text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\n");
    CU_ASSERT_EQUAL(p.lines[1].t, 400);
    free_page(&p, n);
}

/* A line of specks only is dropped, the lines after it move up. */
static void test_specks_only_line_dropped(void)
{
    page p = {0};
    motto(&p, 231);
    begin_line(&p);
    word(&p, "Đh", 228, 277, 11, 5, 0.0f);
    word(&p, "8", 400, 280, 4, 4, 31.0f);
    end_line(&p, "Đh 8\n");
    motto(&p, 400);
    int n = run(&p);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(p.lines[1].t, 400);
    CU_ASSERT_STRING_EQUAL(p.lines[1].text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\n");
    free_page(&p, n);
}

/* Small marks that are no letters (a dash, a comma), and a small word read
 * with confidence, are words of the line. */
static void test_small_punctuation_and_confident_words_kept(void)
{
    page p = {0};
    motto(&p, 231);
    begin_line(&p);
    word(&p, "Độc", 1012, 309, 59, 31, 95.0f);
    word(&p, "lập", 1080, 309, 50, 31, 95.0f);
    word(&p, "-", 1140, 322, 12, 3, 40.0f);
    word(&p, ",", 1160, 330, 4, 6, 20.0f);
    word(&p, "m2", 1170, 305, 20, 8, 91.0f);
    end_line(&p, "Độc lập - , m2\n");
    int n = run(&p);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(p.lines[1].text, "Độc lập - , m2\n");
    CU_ASSERT_EQUAL(p.lines[1].n, 5);
    free_page(&p, n);
}

/* A doubtful word 40 word heights right of its line (the end of a tilted
 * row of the other column) becomes a line of its own, on the baseline the
 * line had under it; so does one as far left of its line.  The columns of
 * a signature row read as one line (5 heights apart, confident) stay one
 * line, as does a doubtful word 2 heights from the rest. */
static void test_stray_words_cut_apart(void)
{
    page p = {0};
    motto(&p, 100);
    begin_line(&p);
    word(&p, "HUYỆN", 148, 281, 120, 34, 93.0f);
    word(&p, "BÁT", 283, 285, 66, 27, 93.0f);
    word(&p, "XÁT", 360, 287, 66, 28, 91.0f);
    word(&p, ":", 1646, 259, 22, 26, 21.0f);
    end_line(&p, "HUYỆN BÁT XÁT :\n");
    ocr_line *li = &p.lines[1];
    li->base_l = 310;
    li->base_r = 290; /* rising to the right: 20 px over 1520 */
    li->base = 300;
    li->para_end = 1;
    begin_line(&p);
    word(&p, "Chánh", 100, 500, 90, 30, 95.0f);
    word(&p, "Thanh", 200, 500, 90, 30, 95.0f);
    word(&p, "tra", 350, 500, 50, 30, 95.0f);
    word(&p, "Giám", 560, 500, 70, 30, 95.0f); /* 160 px: 5 heights */
    word(&p, "đốc", 640, 500, 50, 30, 62.0f);
    end_line(&p, "Chánh Thanh tra Giám đốc\n");
    begin_line(&p);
    word(&p, "1", 20, 600, 20, 30, 40.0f); /* 260 px left of the rest */
    word(&p, "Thi", 300, 600, 50, 30, 95.0f);
    word(&p, "đua", 360, 600, 50, 30, 95.0f);
    word(&p, "X", 470, 600, 20, 30, 40.0f); /* 60 px: 2 heights */
    end_line(&p, "1 Thi đua X\n");
    int n = run(&p);
    CU_ASSERT_EQUAL_FATAL(n, 6);
    CU_ASSERT_STRING_EQUAL(p.lines[1].text, "HUYỆN BÁT XÁT\n");
    CU_ASSERT_EQUAL(p.lines[1].l, 148);
    CU_ASSERT_EQUAL(p.lines[1].r, 426);
    CU_ASSERT_EQUAL(p.lines[1].n, 3);
    CU_ASSERT_DOUBLE_EQUAL(p.lines[1].weakest, 91.0, 0.01);
    CU_ASSERT_EQUAL(p.lines[1].para_end, 0);
    CU_ASSERT_EQUAL(p.lines[1].base_l, 310);
    CU_ASSERT_STRING_EQUAL(p.lines[2].text, ":\n");
    CU_ASSERT_EQUAL(p.lines[2].l, 1646);
    CU_ASSERT_EQUAL(p.lines[2].n, 1);
    CU_ASSERT_DOUBLE_EQUAL(p.lines[2].weakest, 21.0, 0.01);
    CU_ASSERT_EQUAL(p.lines[2].para_end, 1);
    /* the baseline under x 1646..1668 of the line from (148, 310) to
     * (1668, 290) */
    CU_ASSERT_EQUAL(p.lines[2].base_l, 290);
    CU_ASSERT_EQUAL(p.lines[2].base_r, 290);
    CU_ASSERT_STRING_EQUAL(p.lines[3].text, "Chánh Thanh tra Giám đốc\n");
    CU_ASSERT_STRING_EQUAL(p.lines[4].text, "1\n");
    CU_ASSERT_STRING_EQUAL(p.lines[5].text, "Thi đua X\n");
    CU_ASSERT_EQUAL(p.lines[5].l, 300);
    free_page(&p, n);
}

/* Under OCR_SPECK_MIN_WORDS confident words, the page's usual height is
 * not known: nothing is taken out, nothing cut. */
static void test_few_words_left_alone(void)
{
    page p = {0};
    begin_line(&p);
    word(&p, "VIỆT", 1013, 231, 70, 30, 96.0f);
    word(&p, "ST", 1558, 283, 3, 3, 52.3f);
    end_line(&p, "VIỆT ST\n");
    int n = run(&p);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_STRING_EQUAL(p.lines[0].text, "VIỆT ST\n");
    CU_ASSERT_EQUAL(p.lines[0].r, 1561);
    free_page(&p, n);
}

/* The readings of a re-read line: the re-reading unless it is garbage and
 * worse than the first; nothing when both are garbage. */
static void test_reread_verdicts(void)
{
    /* three words at 60 first, then 90: the re-reading */
    CU_ASSERT_EQUAL(pledgex__ocr_reread_verdict(180, 3, 270, 3), OCR_TAKE_REREAD);
    /* a worse re-reading that is no garbage still replaces (it reads the
     * marks of Vietnamese capitals better at lower confidence) */
    CU_ASSERT_EQUAL(pledgex__ocr_reread_verdict(270, 3, 120, 3), OCR_TAKE_REREAD);
    /* garbage (7) after a good first reading (78): the first */
    CU_ASSERT_EQUAL(pledgex__ocr_reread_verdict(156, 2, 35, 5), OCR_KEEP_FIRST);
    /* nothing read again after a good first reading: the first */
    CU_ASSERT_EQUAL(pledgex__ocr_reread_verdict(156, 2, 0, 0), OCR_KEEP_FIRST);
    /* garbage twice (0, then 20): dropped; so is garbage then nothing */
    CU_ASSERT_EQUAL(pledgex__ocr_reread_verdict(0, 2, 40, 2), OCR_DROP_LINE);
    CU_ASSERT_EQUAL(pledgex__ocr_reread_verdict(20, 1, 0, 0), OCR_DROP_LINE);
    /* a garbage first reading read well again: the re-reading */
    CU_ASSERT_EQUAL(pledgex__ocr_reread_verdict(20, 1, 85, 1), OCR_TAKE_REREAD);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("ocr_junk", NULL, NULL);
    TU_TEST(s, test_specks_taken_out_of_a_line);
    TU_TEST(s, test_specks_only_line_dropped);
    TU_TEST(s, test_small_punctuation_and_confident_words_kept);
    TU_TEST(s, test_stray_words_cut_apart);
    TU_TEST(s, test_few_words_left_alone);
    TU_TEST(s, test_reread_verdicts);
    return tu_main();
}
