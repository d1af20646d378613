/*
 * test_photo_ocr.c -- the photo plugin with the OCR plugin behind it: an
 * album page has its printed caption read (and made the caption), a page of
 * text is read whole, and a photo with text on a banner is still not OCR'd.
 * Exits 77 (skip) when the OCR plugin or its language data is missing.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_harness.h"
#include "textnorm.h"

static const pledgex_plugin *photo, *ocr;

static const char *fixture(const char *name)
{
    static char buf[4096];
    const char *dir = getenv("PLEDGEX_FIXTURES");
    snprintf(buf, sizeof buf, "%s/captions/%s", dir ? dir : "fixtures", name);
    return buf;
}

/* 1 when `text`, accent-folded and with spaces squeezed, contains `words`
 * (OCR may miss a tone mark; the words must be there). */
static int folded_has(const char *text, const char *words)
{
    if (!text)
        return 0;
    char *f = pledgex__fold_ascii(text, strlen(text));
    if (!f)
        return 0;
    size_t w = 0;
    for (size_t i = 0; f[i]; i++)
        if (!(f[i] == ' ' || f[i] == '\n') || (w > 0 && f[w - 1] != ' '))
            f[w++] = f[i] == '\n' ? ' ' : f[i];
    f[w] = 0;
    int r = strstr(f, words) != NULL;
    if (!r)
        fprintf(stderr, "\n  \"%s\" not in \"%s\"\n", words, f);
    free(f);
    return r;
}

static void test_photo_ocr_album_caption(void)
{
    harness_result *r = harness_run(photo, fixture("page-album.jpg"), "image/jpeg");
    CU_ASSERT(r->rc == PLEDGEX_OK || r->rc == PLEDGEX_WARN);
    const char *layout = harness_attr(r, "image.layout");
    CU_ASSERT(layout && !strcmp(layout, "album"));
    /* OCR read the caption rows, not the picture */
    CU_ASSERT(folded_has(harness_text(r), "hoan thanh xuat sac"));
    CU_ASSERT(folded_has(harness_text(r), "anh: kl"));
    const char *src = harness_attr(r, "caption.source");
    if (src) {
        CU_ASSERT_STRING_EQUAL(src, "ocr");
        CU_ASSERT(folded_has(harness_attr(r, "caption.text"),
                             "cac don vi trong khoi quyet tam hoan thanh xuat sac moi nhiem vu"));
        const char *credit = harness_attr(r, "caption.credit");
        CU_ASSERT(credit && !strcmp(credit, "KL"));
    } else {
        /* a host without ABI 1.1 doc_text: said so, not silently lost */
        CU_ASSERT(r->nwarnings >= 1 && strstr(r->warnings[0], "doc_text"));
    }
    harness_result_free(r);
}

static void test_photo_ocr_document_page_read_whole(void)
{
    harness_result *r = harness_run(photo, fixture("page-document.png"), "image/png");
    CU_ASSERT(r->rc == PLEDGEX_OK || r->rc == PLEDGEX_WARN);
    const char *kind = harness_attr(r, "kind");
    CU_ASSERT(kind && !strcmp(kind, "scan"));
    CU_ASSERT(folded_has(harness_text(r), "ban giao uoc thi dua nam 2024"));
    CU_ASSERT(folded_has(harness_text(r), "dai dien cac don vi ky giao uoc"));
    CU_ASSERT_PTR_NULL(harness_attr(r, "caption.text"));
    harness_result_free(r);
}

/* The page the photo plugin decoded to classify is the one OCR reads: it
 * is handed on, not decoded twice; an album page's crop is made from it
 * and nothing is left for the host to release. */
static void test_photo_ocr_page_decoded_once(void)
{
    harness_result *r = harness_run(photo, fixture("page-document.png"), "image/png");
    harness_handoff_counts c = harness_handoffs();
    CU_ASSERT(r->rc == PLEDGEX_OK || r->rc == PLEDGEX_WARN);
    CU_ASSERT_EQUAL(c.put, 1);
    CU_ASSERT_EQUAL(c.taken, 1);
    CU_ASSERT_EQUAL(c.released, 0);
    CU_ASSERT(folded_has(harness_text(r), "ban giao uoc thi dua nam 2024"));
    harness_result_free(r);

    r = harness_run(photo, fixture("page-album.jpg"), "image/jpeg");
    c = harness_handoffs();
    CU_ASSERT(folded_has(harness_text(r), "hoan thanh xuat sac"));
    CU_ASSERT_EQUAL(c.put, c.taken); /* the crop is read; no whole page left over */
    CU_ASSERT_EQUAL(c.released, 0);
    harness_result_free(r);
}

/* Text on a banner in a photo: still a photo, no OCR garbage. */
static void test_photo_ocr_photo_not_ocred(void)
{
    harness_result *r = harness_run(photo, fixture("photo-banner.jpg"), "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 0);
    harness_result_free(r);
    r = harness_run(photo, fixture("photo-exif.jpg"), "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 1); /* its caption, nothing else */
    harness_result_free(r);
}

int main(void)
{
    const char *why = NULL;
    photo = harness_load("photo", &why);
    if (!photo) {
        fprintf(stderr, "cannot load the photo plugin: %s\n", why);
        return 99;
    }
    ocr = harness_load("ocr", &why);
    if (!ocr) {
        fprintf(stderr, "skip: no OCR plugin: %s\n", why);
        return 77;
    }
    /* OCR that cannot read a clean page (no language data) is a skip. */
    harness_result *probe = harness_run(ocr, fixture("page-notice.png"), "image/png");
    int usable = (probe->rc == PLEDGEX_OK || probe->rc == PLEDGEX_WARN) &&
                 folded_has(harness_text(probe), "thong bao");
    if (!usable)
        fprintf(stderr, "skip: OCR unusable here: %s\n", probe->err);
    harness_result_free(probe);
    if (!usable)
        return 77;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("photo_ocr", NULL, NULL);
    CU_add_test(s, "test_photo_ocr_album_caption", test_photo_ocr_album_caption);
    CU_add_test(s, "test_photo_ocr_document_page_read_whole",
                test_photo_ocr_document_page_read_whole);
    CU_add_test(s, "test_photo_ocr_photo_not_ocred", test_photo_ocr_photo_not_ocred);
    CU_add_test(s, "test_photo_ocr_page_decoded_once", test_photo_ocr_page_decoded_once);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    int err = CU_get_error();
    CU_cleanup_registry();
    return err ? 99 : failed ? 1 : 0;
}
