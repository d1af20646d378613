/*
 * test_captions_pipeline.c -- photos, articles and sidecars through the
 * real pipeline (pledgex_ingest + pledgex_export, the plugins found on
 * PLEDGEX_PLUGIN_PATH): an HTML article links to a photo ingested before it
 * and to one ingested after it (named without diacritics, in other case),
 * both ways; a photo and its sidecar caption in one folder are linked and
 * the photo takes the caption; an unrelated photo stays unlinked.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "pledgex.h"
#include "testutil.h"

typedef struct lines {
    char *buf;
    size_t len;
} lines;

static int collect(void *user, const char *json, size_t len)
{
    lines *l = user;
    char *g = realloc(l->buf, l->len + len + 2);
    if (!g)
        return -1;
    l->buf = g;
    memcpy(l->buf + l->len, json, len);
    l->len += len;
    l->buf[l->len++] = '\n';
    l->buf[l->len] = 0;
    return 0;
}

/* The value at `path` of the document whose address ends with `suffix`
 * (caller frees), or NULL. */
static char *field(const lines *l, const char *suffix, const char *path)
{
    for (char *line = l->buf; line && *line;) {
        char *end = strchr(line, '\n');
        char *one = strndup(line, (size_t)(end - line));
        char *addr = tu_json_get(one, "$.address");
        int match = addr && strlen(addr) >= strlen(suffix) &&
                    !strcmp(addr + strlen(addr) - strlen(suffix), suffix);
        free(addr);
        char *v = match ? tu_json_get(one, path) : NULL;
        free(one);
        if (match)
            return v;
        line = end + 1;
    }
    return NULL;
}

static const char *fixture(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("PLEDGEX_FIXTURES");
    snprintf(buf, sizeof buf, "%s/captions/%s", dir ? dir : "fixtures", name);
    return buf;
}

static void copy(const char *from, const char *to)
{
    size_t n = 0;
    char *d = tu_read(from, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    tu_write(to, d, n);
    free(d);
}

static int ingest(pledgex_engine *e, pledgex_index *ix, const char *path)
{
    const char *in[] = {path};
    pledgex_ingest_stats st;
    return pledgex_ingest(e, ix, in, 1, 0, NULL, NULL, &st);
}

static int contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static void test_captions_article_links_photos_before_and_after(void)
{
    pledgex_engine *e = NULL;
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    CU_ASSERT_FATAL(pledgex_engine_load_plugins(e, NULL) != PLEDGEX_FATAL);
    pledgex_index *ix = NULL;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("links.db"), err, sizeof err),
                          PLEDGEX_OK);

    /* before the article: IMG_0528.JPG, and an unrelated photo */
    copy(fixture("photo-exif.jpg"), tu_path("before/IMG_0528.JPG"));
    copy(fixture("photo-xp.jpg"), tu_path("before/IMG_9999.JPG"));
    CU_ASSERT_EQUAL(ingest(e, ix, tu_path("before")), PLEDGEX_OK);
    /* the article names IMG_0528.JPG and "Đại diện các đơn vị.JPG" */
    copy(fixture("article.html"), tu_path("news/article.html"));
    CU_ASSERT_EQUAL(ingest(e, ix, tu_path("news")), PLEDGEX_OK);
    /* after it: the second photo, its name without diacritics */
    copy(fixture("photo-iptc.jpg"), tu_path("after/dai dien cac don vi.jpg"));
    /* and a photo with its sidecar caption beside it */
    copy(fixture("photo-none.jpg"), tu_path("after/IMG_0600.JPG"));
    tu_write_str(tu_path("after/IMG_0600.txt"),
                 "Lễ ký giao ước thi đua của Khối. Ảnh: Thu Hà\n");
    CU_ASSERT_EQUAL(ingest(e, ix, tu_path("after")), PLEDGEX_OK);

    lines l = {NULL, 0};
    CU_ASSERT_EQUAL(pledgex_export(ix, collect, &l), PLEDGEX_OK);
    char *art_links = field(&l, "news/article.html", "$.links");
    char *kind = field(&l, "news/article.html", "$.kind");
    CU_ASSERT(kind && !strcmp(kind, "article"));
    CU_ASSERT(contains(art_links, "before/IMG_0528.JPG"));
    CU_ASSERT(contains(art_links, "after/dai dien cac don vi.jpg"));
    CU_ASSERT(!contains(art_links, "IMG_9999"));
    CU_ASSERT(!contains(art_links, "IMG_0600"));
    char *p1 = field(&l, "before/IMG_0528.JPG", "$.links");
    char *p2 = field(&l, "after/dai dien cac don vi.jpg", "$.links");
    char *p3 = field(&l, "before/IMG_9999.JPG", "$.links");
    CU_ASSERT(contains(p1, "news/article.html"));
    CU_ASSERT(contains(p2, "news/article.html"));
    CU_ASSERT(p3 && !strcmp(p3, "[]"));
    char *src = field(&l, "before/IMG_0528.JPG", "$.caption.source");
    CU_ASSERT(src && !strcmp(src, "exif"));

    /* the sidecar: linked, and its caption is the photo's (the photo plugin
     * reads it beside the file) */
    char *s_links = field(&l, "after/IMG_0600.JPG", "$.links");
    char *s_text = field(&l, "after/IMG_0600.JPG", "$.caption.text");
    char *s_src = field(&l, "after/IMG_0600.JPG", "$.caption.source");
    char *s_credit = field(&l, "after/IMG_0600.JPG", "$.caption.credit");
    CU_ASSERT(contains(s_links, "after/IMG_0600.txt"));
    CU_ASSERT(s_text && !strcmp(s_text, "Lễ ký giao ước thi đua của Khối. Ảnh: Thu Hà"));
    CU_ASSERT(s_src && !strcmp(s_src, "sidecar"));
    CU_ASSERT(s_credit && !strcmp(s_credit, "Thu Hà"));
    char *t_links = field(&l, "after/IMG_0600.txt", "$.links");
    CU_ASSERT(contains(t_links, "after/IMG_0600.JPG"));

    free(art_links);
    free(kind);
    free(p1);
    free(p2);
    free(p3);
    free(src);
    free(s_links);
    free(s_text);
    free(s_src);
    free(s_credit);
    free(t_links);
    free(l.buf);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

/* A sidecar that arrives inside an archive (no file beside the photo for
 * the plugin): the index links the two members and copies the caption. */
static void test_captions_sidecar_member_caption_by_index(void)
{
    pledgex_engine *e = NULL;
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    CU_ASSERT_FATAL(pledgex_engine_load_plugins(e, NULL) != PLEDGEX_FATAL);
    int have_archive = 0;
    for (size_t i = 0; i < pledgex_engine_plugin_count(e); i++)
        have_archive |= !strcmp(pledgex_engine_plugin(e, i, NULL)->name, "archive");
    if (!have_archive) {
        pledgex_engine_free(&e);
        return; /* the archive plugin is another part; nothing to test without it */
    }
    pledgex_index *ix = NULL;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("side.db"), err, sizeof err),
                          PLEDGEX_OK);
    copy(fixture("photo-none.jpg"), tu_path("pack/IMG_0700.JPG"));
    tu_write_str(tu_path("pack/IMG_0700.txt"), "Trao cờ thi đua. Ảnh: KL\n");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && zip -q -r pack.zip pack", tu_scratch());
    char *out = NULL;
    if (tu_run(cmd, &out) != 0) {
        free(out);
        pledgex_index_free(&ix);
        pledgex_engine_free(&e);
        return; /* no zip program */
    }
    free(out);
    CU_ASSERT_EQUAL(ingest(e, ix, tu_path("pack.zip")), PLEDGEX_OK);
    lines l = {NULL, 0};
    CU_ASSERT_EQUAL(pledgex_export(ix, collect, &l), PLEDGEX_OK);
    char *links = field(&l, "pack.zip!pack/IMG_0700.JPG", "$.links");
    char *text = field(&l, "pack.zip!pack/IMG_0700.JPG", "$.caption.text");
    char *src = field(&l, "pack.zip!pack/IMG_0700.JPG", "$.caption.source");
    char *credit = field(&l, "pack.zip!pack/IMG_0700.JPG", "$.caption.credit");
    CU_ASSERT(contains(links, "pack.zip!pack/IMG_0700.txt"));
    CU_ASSERT(text && !strcmp(text, "Trao cờ thi đua. Ảnh: KL"));
    CU_ASSERT(src && !strcmp(src, "sidecar"));
    CU_ASSERT(credit && !strcmp(credit, "KL"));
    free(links);
    free(text);
    free(src);
    free(credit);
    free(l.buf);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("captions_pipeline", NULL, NULL);
    TU_TEST(s, test_captions_article_links_photos_before_and_after);
    TU_TEST(s, test_captions_sidecar_member_caption_by_index);
    return tu_main();
}
