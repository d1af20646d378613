/*
 * test_detect.c -- type detection: libmagic first, the extension as a
 * fallback and tie-breaker, never over a contradicting magic.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "testutil.h"

static pledgex_engine *engine;

static const char *fixture(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("PLEDGEX_FIXTURES");
    snprintf(buf, sizeof buf, "%s/core/%s", dir ? dir : "fixtures", name);
    return buf;
}

static void expect_mime(const char *path, const char *name, const char *want)
{
    char *mime = NULL;
    char err[512];
    int rc = pledgex__detect_mime(engine, path, name, &mime, err, sizeof err);
    CU_ASSERT_EQUAL_FATAL(rc, PLEDGEX_OK);
    if (strcmp(mime, want))
        fprintf(stderr, "\n  %s: %s, want %s\n", path, mime, want);
    CU_ASSERT_STRING_EQUAL(mime, want);
    free(mime);
}

static void test_detect_magic_types(void)
{
    expect_mime(fixture("pledge-vi.txt"), NULL, "text/plain");
    expect_mime(fixture("article.html"), NULL, "text/html");
    expect_mime(fixture("blank.png"), NULL, "image/png");
    expect_mime(fixture("bundle.zip"), NULL, "application/zip");
}

static void test_detect_magic_beats_a_lying_extension(void)
{
    expect_mime(fixture("png-named.txt"), NULL, "image/png");
}

static void test_detect_extension_refines_generic_magic(void)
{
    /* A ZIP named .docx is a Word document; text named .md is Markdown. */
    const char *docx = tu_path("pledge.docx");
    size_t n;
    char *zip = tu_read(fixture("bundle.zip"), &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(zip);
    tu_write(docx, zip, n);
    free(zip);
    expect_mime(docx, NULL,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    const char *md = tu_path("notes.md");
    tu_write_str(md, "# Giao ước\n\nthi đua\n");
    expect_mime(md, NULL, "text/markdown");
    /* the member name decides for archive members stored under temp names */
    expect_mime(md, "x/notes.txt", "text/plain");
}

static void test_detect_public_api_names_plugin(void)
{
    char *mime = NULL;
    const pledgex_plugin *p = NULL;
    CU_ASSERT_EQUAL(pledgex_detect(engine, fixture("pledge-vi.txt"), &mime, &p), PLEDGEX_OK);
    CU_ASSERT_PTR_NOT_NULL(p);
    free(mime);
    CU_ASSERT_NOT_EQUAL(pledgex_detect(engine, tu_path("missing.jpg"), &mime, &p), PLEDGEX_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(pledgex_engine_errmsg(engine), "missing.jpg"));
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    if (pledgex_engine_new(&engine) != PLEDGEX_OK)
        return 99;
    pledgex_engine_load_plugins(engine, NULL);
    CU_pSuite s = CU_add_suite("detect", NULL, NULL);
    TU_TEST(s, test_detect_magic_types);
    TU_TEST(s, test_detect_magic_beats_a_lying_extension);
    TU_TEST(s, test_detect_extension_refines_generic_magic);
    TU_TEST(s, test_detect_public_api_names_plugin);
    int rc = tu_main();
    pledgex_engine_free(&engine);
    return rc;
}
