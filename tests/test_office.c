/*
 * test_office.c -- the "office" plugin through the test harness: DOCX and
 * ODT text in order (runs joined, tables cell by cell, tabs kept, deleted
 * revisions dropped), the title from the document properties, and damaged
 * packages refused with the reason.
 *
 * Fixtures: fixtures/captions/pledge.{docx,odt} (make-office.py there).
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin_harness.h"

#define MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define MIME_ODT "application/vnd.oasis.opendocument.text"

static const pledgex_plugin *office;

static const char *fixture(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("PLEDGEX_FIXTURES");
    snprintf(buf, sizeof buf, "%s/captions/%s", dir ? dir : "fixtures", name);
    return buf;
}

static void check_pledge(harness_result *r)
{
    static const char *const want[] = {
        "BẢN GIAO ƯỚC THI ĐUA NĂM 2024",
        "Căn cứ Luật Thi đua, khen thưởng năm 2022;",
        "1. Thi đua thực hiện thắng lợi nhiệm vụ chính trị.",
        "Thanh tra tỉnh",
        "Sở Tư pháp",
        "Chánh Thanh tra\tGiám đốc",
    };
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r->nblocks && i < sizeof want / sizeof want[0]; i++) {
        CU_ASSERT_STRING_EQUAL(r->blocks[i].kind, "text");
        if (strcmp(r->blocks[i].text, want[i]))
            fprintf(stderr, "\n  block %zu: got \"%s\"\n", i, r->blocks[i].text);
        CU_ASSERT_STRING_EQUAL(r->blocks[i].text, want[i]);
    }
    CU_ASSERT_PTR_NULL(strstr(harness_text(r), "XOÁ")); /* a deleted revision */
    const char *title = harness_attr(r, "title");
    CU_ASSERT(title && !strcmp(title, "Giao ước thi đua 2024"));
}

static void test_office_docx_text_in_order(void)
{
    harness_result *r = harness_run(office, fixture("pledge.docx"), MIME_DOCX);
    check_pledge(r);
    harness_result_free(r);
}

static void test_office_odt_text_in_order(void)
{
    harness_result *r = harness_run(office, fixture("pledge.odt"), MIME_ODT);
    check_pledge(r);
    harness_result_free(r);
}

static void test_office_damaged_refused(void)
{
    char dir[4096], path[4200];
    const char *tmp = getenv("PLEDGEX_TEST_TMP") ? getenv("PLEDGEX_TEST_TMP") : "/tmp";
    mkdir(tmp, 0755);
    snprintf(dir, sizeof dir, "%s/test_office", tmp);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/broken.docx", dir);
    /* the first half of a real DOCX: the central directory is missing */
    FILE *in = fopen(fixture("pledge.docx"), "rb"), *out = fopen(path, "wb");
    CU_ASSERT_FATAL(in && out);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, in);
    fwrite(buf, 1, n / 2, out);
    fclose(in);
    fclose(out);
    harness_result *r = harness_run(office, path, MIME_DOCX);
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "ZIP"));
    CU_ASSERT_EQUAL(r->nblocks, 0);
    harness_result_free(r);
    /* an ODT handed in as DOCX: a ZIP without word/document.xml */
    r = harness_run(office, fixture("pledge.odt"), MIME_DOCX);
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK); /* content.xml says ODT: read as such */
    harness_result_free(r);
    remove(path);
    rmdir(dir);
}

int main(void)
{
    const char *why = NULL;
    office = harness_load("office", &why);
    if (!office) {
        fprintf(stderr, "cannot load the office plugin: %s\n", why);
        return 99;
    }
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("office", NULL, NULL);
    CU_add_test(s, "test_office_docx_text_in_order", test_office_docx_text_in_order);
    CU_add_test(s, "test_office_odt_text_in_order", test_office_odt_text_in_order);
    CU_add_test(s, "test_office_damaged_refused", test_office_damaged_refused);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    int err = CU_get_error();
    CU_cleanup_registry();
    return err ? 99 : failed ? 1 : 0;
}
