/*
 * test_article.c -- the "article" and "text" plugins through the test
 * harness: articles in plain text, Markdown and HTML (title, byline, date,
 * paragraphs in order, photo references, no script/navigation text), plain
 * text that is not an article (and the text plugin handing articles over),
 * and text in CP1258, VISCII, TCVN3, VNI and
 * UTF-16 (with and without BOM) read by both plugins; invalid UTF-8 and
 * binary data.
 *
 * Fixtures: fixtures/captions (regenerate with make-fixtures.sh there).
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin_harness.h"

static const pledgex_plugin *article, *text;

static const char *fixture(const char *name)
{
    static char buf[4][4096];
    static int k;
    const char *dir = getenv("PLEDGEX_FIXTURES");
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/captions/%s", dir ? dir : "fixtures", name);
    return buf[k];
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *d = calloc(1, 1 << 16);
    size_t n = d ? fread(d, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    while (n > 0 && (d[n - 1] == '\n' || d[n - 1] == ' '))
        d[--n] = 0;
    return d;
}

#define ASSERT_ATTR(r, key, want)                                                             \
    do {                                                                                      \
        const char *got_ = harness_attr(r, key);                                              \
        CU_ASSERT_PTR_NOT_NULL(got_);                                                         \
        if (got_ && strcmp(got_, want)) {                                                     \
            fprintf(stderr, "\n  %s: got \"%s\", want \"%s\"\n", key, got_, want);            \
            CU_FAIL(key);                                                                     \
        }                                                                                     \
    } while (0)

/* Block i has this kind and text. */
static void assert_block(const harness_result *r, size_t i, const char *kind, const char *txt)
{
    CU_ASSERT_FATAL(i < r->nblocks);
    CU_ASSERT_STRING_EQUAL(r->blocks[i].kind, kind);
    if (strcmp(r->blocks[i].text, txt))
        fprintf(stderr, "\n  block %zu: got \"%s\", want \"%s\"\n", i, r->blocks[i].text, txt);
    CU_ASSERT_STRING_EQUAL(r->blocks[i].text, txt);
}

static void test_article_plain_text(void)
{
    harness_result *r = harness_run(article, fixture("article.txt"), "text/plain");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "kind", "article");
    ASSERT_ATTR(r, "title", "Ký giao ước thi đua năm 2024 của Khối Nội chính");
    ASSERT_ATTR(r, "byline", "Thu Hà");
    ASSERT_ATTR(r, "published", "2024-03-20T08:30");
    ASSERT_ATTR(r, "encoding", "UTF-8");
    CU_ASSERT(harness_has_attr_value(r, "photo.ref",
                             "IMG_0528.JPG\tCác đồng chí chủ trì Hội nghị. Ảnh: KL"));
    CU_ASSERT(harness_has_attr_value(r, "photo.ref", "Đại diện các đơn vị ksy giao ước.JPG\t"
                                             "Đại diện các đơn vị ký giao ước thi đua. Ảnh: Thu Hà"));
    /* paragraphs and captions in order; file-name lines are not text */
    CU_ASSERT_EQUAL(r->nblocks, 7);
    assert_block(r, 0, "title", "Ký giao ước thi đua năm 2024 của Khối Nội chính");
    assert_block(r, 2, "body",
                 "(Baonghean.vn) - Sáng 20/3, các đơn vị trong Khối đã ký giao ước thi đua.");
    assert_block(r, 3, "caption", "Các đồng chí chủ trì Hội nghị. Ảnh: KL");
    assert_block(r, 4, "body", "Đoạn thứ hai nói về kết quả năm 2023.");
    assert_block(r, 5, "caption", "Đại diện các đơn vị ký giao ước thi đua. Ảnh: Thu Hà");
    assert_block(r, 6, "body", "Đoạn cuối của bài.");
    harness_result_free(r);
}

/* The text plugin owns text/plain and hands articles to the article
 * plugin, whose reading then lands in the same document. */
static void test_text_delegates_articles(void)
{
    harness_result *r = harness_run(text, fixture("article.txt"), "text/plain");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "kind", "article");
    ASSERT_ATTR(r, "title", "Ký giao ước thi đua năm 2024 của Khối Nội chính");
    CU_ASSERT(harness_has_attr_value(r, "photo.ref",
                             "IMG_0528.JPG\tCác đồng chí chủ trì Hội nghị. Ảnh: KL"));
    CU_ASSERT_EQUAL(r->nblocks, 7);
    harness_result_free(r);
    /* a list is plain text; so is a pledge whose heading carries a date
     * (no clock time: not a news byline) */
    r = harness_run(text, fixture("not-article.txt"), "text/plain");
    ASSERT_ATTR(r, "kind", "text");
    harness_result_free(r);
    r = harness_run(text, fixture("pledge-heading.txt"), "text/plain");
    ASSERT_ATTR(r, "kind", "text");
    CU_ASSERT_EQUAL(r->nblocks, 1);
    harness_result_free(r);
}

/* Other plain text is stored exactly as the text plugin stores it. */
static void test_article_plain_text_not_article(void)
{
    harness_result *a = harness_run(article, fixture("not-article.txt"), "text/plain");
    harness_result *t = harness_run(text, fixture("not-article.txt"), "text/plain");
    CU_ASSERT_EQUAL(a->rc, PLEDGEX_OK);
    ASSERT_ATTR(a, "kind", "text");
    CU_ASSERT_EQUAL(a->nblocks, 1);
    CU_ASSERT_EQUAL(t->nblocks, 1);
    if (a->nblocks == 1 && t->nblocks == 1) {
        CU_ASSERT_STRING_EQUAL(a->blocks[0].kind, "text");
        CU_ASSERT_STRING_EQUAL(a->blocks[0].text, t->blocks[0].text);
    }
    CU_ASSERT_PTR_NULL(harness_attr(a, "title"));
    harness_result_free(a);
    harness_result_free(t);
}

static void check_html(harness_result *r, const char *encoding)
{
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "kind", "article");
    ASSERT_ATTR(r, "title", "Hội nghị ký giao ước thi đua năm 2024");
    ASSERT_ATTR(r, "published", "2024-03-19T17:01:00+07:00");
    ASSERT_ATTR(r, "byline", "Khánh Ly");
    ASSERT_ATTR(r, "encoding", encoding);
    CU_ASSERT(harness_has_attr_value(r, "photo.ref",
                             "IMG_0528.JPG\tCác đồng chí chủ trì Hội nghị. Ảnh: KL"));
    /* a URL-escaped Vietnamese file name, captioned by the next table row */
    CU_ASSERT(harness_has_attr_value(r, "photo.ref",
                             "Đại diện các đơn vị.JPG\tĐại diện các đơn vị ký giao ước. Ảnh: KL"));
    const char *all = harness_text(r);
    CU_ASSERT_PTR_NULL(strstr(all, "không phải văn bản")); /* script */
    CU_ASSERT_PTR_NULL(strstr(all, "color:red"));          /* style */
    CU_ASSERT_PTR_NULL(strstr(all, "Trang chủ"));          /* nav */
    CU_ASSERT_PTR_NULL(strstr(all, "Tin liên quan"));      /* related */
    CU_ASSERT_PTR_NULL(strstr(all, "Bản quyền"));          /* footer */
    CU_ASSERT_EQUAL(r->nblocks, 6);
    assert_block(r, 0, "title", "Hội nghị ký giao ước thi đua năm 2024");
    assert_block(r, 1, "body", "Chiều ngày 19/3, tại Thanh tra tỉnh, Khối thi đua tổ chức Hội nghị.");
    assert_block(r, 2, "caption", "Các đồng chí chủ trì Hội nghị. Ảnh: KL");
    assert_block(r, 3, "body", "Đoạn thứ hai của bài viết.");
    assert_block(r, 4, "caption", "Đại diện các đơn vị ký giao ước. Ảnh: KL");
    assert_block(r, 5, "body", "Đoạn cuối.");
}

static void test_article_html(void)
{
    harness_result *r = harness_run(article, fixture("article.html"), "text/html");
    check_html(r, "UTF-8");
    harness_result_free(r);
}

static void test_article_html_cp1258(void)
{
    harness_result *r = harness_run(article, fixture("article-cp1258.html"), "text/html");
    check_html(r, "CP1258");
    harness_result_free(r);
}

/* Another common layout: the date and author inline, a caption in <em>
 * under a bare <img>, a lazy-loaded image captioned by a classed cell. */
static void test_article_html_inline_layout(void)
{
    harness_result *r = harness_run(article, fixture("article-inline.html"), "text/html");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "title", "Tiêu đề bài");
    ASSERT_ATTR(r, "published", "2024-03-19T17:01");
    ASSERT_ATTR(r, "byline", "Khánh Ly");
    CU_ASSERT(harness_has_attr_value(r, "photo.ref", "IMG_1.jpg\tChú thích ảnh một"));
    CU_ASSERT(harness_has_attr_value(r, "photo.ref", "IMG_2.jpg\tChú thích ảnh hai"));
    assert_block(r, 0, "title", "Tiêu đề bài");
    harness_result_free(r);
}

/* A site that classes its main column "sidebar-1": the column holds the
 * story's <h1> and <article>, so it is read; the real sidebar beside it
 * ("sidebar-2", related news) is not. */
static void test_article_html_main_column_named_like_a_sidebar(void)
{
    harness_result *r = harness_run(article, fixture("article-columns.html"), "text/html");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "title", "Cụm thi đua nội chính ký giao ước năm 2025");
    ASSERT_ATTR(r, "byline", "Đức Hùng");
    CU_ASSERT(harness_has_attr_value(r, "photo.ref", "ky-ket-giao-uoc.jpg\tĐại diện các đơn vị ký "
                                                     "kết giao ước thi đua. Ảnh: Đức Hùng"));
    const char *all = harness_text(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(all, "Sáng 19/2, Cụm thi đua các cơ quan nội chính"));
    CU_ASSERT_PTR_NOT_NULL(strstr(all, "bảy nội dung thi đua"));
    CU_ASSERT_PTR_NULL(strstr(all, "Tin liên quan"));
    CU_ASSERT_PTR_NULL(strstr(all, "Một tin khác"));
    CU_ASSERT_PTR_NULL(strstr(all, "Bản quyền"));
    harness_result_free(r);
}

static void test_article_markdown(void)
{
    harness_result *r = harness_run(article, fixture("article.md"), "text/markdown");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "title", "Phát động thi đua năm 2024");
    ASSERT_ATTR(r, "byline", "Khánh Ly");
    ASSERT_ATTR(r, "published", "2024-03-19T17:01");
    CU_ASSERT(harness_has_attr_value(r, "photo.ref", "4.JPG\tÔng Nguyễn Công Hoan phát biểu. Ảnh: KL"));
    assert_block(r, 0, "title", "Phát động thi đua năm 2024");
    assert_block(r, 1, "body",
                 "Chiều ngày 19/3, Khối thi đua tổ chức Hội nghị ký giao ước tại Thanh tra tỉnh.");
    assert_block(r, 2, "caption", "Ông Nguyễn Công Hoan phát biểu. Ảnh: KL");
    assert_block(r, 3, "body", "Nội dung thứ nhất Nội dung thứ hai");
    harness_result_free(r);
}

/* Every legacy encoding and UTF-16 form decodes to the UTF-8 reference, by
 * both plugins, and says which encoding it was. */
static void test_text_encodings_detected(void)
{
    static const struct {
        const char *file, *encoding;
    } cases[] = {
        {"text-utf8.txt", "UTF-8"},       {"text-cp1258.txt", "CP1258"},
        {"text-viscii.txt", "VISCII"},    {"text-tcvn3.txt", "TCVN3"},
        {"text-vni.txt", "VNI"},          {"text-utf16-bom.txt", "UTF-16LE"},
        {"text-utf16le.txt", "UTF-16LE"}, {"text-utf16be.txt", "UTF-16BE"},
    };
    char *want = slurp(fixture("text-utf8.txt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(want);
    const pledgex_plugin *plugins[] = {text, article};
    for (size_t p = 0; p < 2; p++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            harness_result *r = harness_run(plugins[p], fixture(cases[i].file), "text/plain");
            CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
            ASSERT_ATTR(r, "encoding", cases[i].encoding);
            CU_ASSERT_EQUAL(r->nblocks, 1);
            if (r->nblocks == 1) {
                char *got = strdup(r->blocks[0].text);
                size_t n = strlen(got);
                while (n > 0 && got[n - 1] == '\n')
                    got[--n] = 0;
                if (strcmp(got, want))
                    fprintf(stderr, "\n  %s via %s: got \"%s\"\n", cases[i].file,
                            plugins[p]->name, got);
                CU_ASSERT_STRING_EQUAL(got, want);
                free(got);
            }
            harness_result_free(r);
        }
    }
    free(want);
}

static void test_text_invalid_utf8_replaced_with_warning(void)
{
    harness_result *r = harness_run(text, fixture("text-badutf8.txt"), "text/plain");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_WARN);
    CU_ASSERT_EQUAL(r->nwarnings, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(harness_text(r), "Xin chào \xEF\xBF\xBD\xEF\xBF\xBD bạn"));
    harness_result_free(r);
}

static void test_text_binary_refused(void)
{
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/test_article",
             getenv("PLEDGEX_TEST_TMP") ? getenv("PLEDGEX_TEST_TMP") : "/tmp");
    mkdir(getenv("PLEDGEX_TEST_TMP") ? getenv("PLEDGEX_TEST_TMP") : "/tmp", 0755);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/binary.txt", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    unsigned x = 12345;
    for (int i = 0; i < 4096; i++) {
        x = x * 1103515245u + 12345u;
        fputc((int)((x >> 16) & 0xFF), f);
    }
    fclose(f);
    const pledgex_plugin *plugins[] = {text, article};
    for (size_t p = 0; p < 2; p++) {
        harness_result *r = harness_run(plugins[p], path, "text/plain");
        CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
        CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "not text"));
        CU_ASSERT_EQUAL(r->nblocks, 0);
        harness_result_free(r);
    }
    remove(path);
    rmdir(dir);
}

int main(void)
{
    const char *why = NULL;
    article = harness_load("article", &why);
    if (!article) {
        fprintf(stderr, "cannot load the article plugin: %s\n", why);
        return 99;
    }
    text = harness_load("text", &why);
    if (!text) {
        fprintf(stderr, "cannot load the text plugin: %s\n", why);
        return 99;
    }
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("article", NULL, NULL);
    CU_add_test(s, "test_article_plain_text", test_article_plain_text);
    CU_add_test(s, "test_article_plain_text_not_article", test_article_plain_text_not_article);
    CU_add_test(s, "test_text_delegates_articles", test_text_delegates_articles);
    CU_add_test(s, "test_article_html", test_article_html);
    CU_add_test(s, "test_article_html_cp1258", test_article_html_cp1258);
    CU_add_test(s, "test_article_html_inline_layout", test_article_html_inline_layout);
    CU_add_test(s, "test_article_html_main_column_named_like_a_sidebar",
                test_article_html_main_column_named_like_a_sidebar);
    CU_add_test(s, "test_article_markdown", test_article_markdown);
    CU_add_test(s, "test_text_encodings_detected", test_text_encodings_detected);
    CU_add_test(s, "test_text_invalid_utf8_replaced_with_warning",
                test_text_invalid_utf8_replaced_with_warning);
    CU_add_test(s, "test_text_binary_refused", test_text_binary_refused);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    int err = CU_get_error();
    CU_cleanup_registry();
    return err ? 99 : failed ? 1 : 0;
}
