/*
 * test_ocr_phrases.c -- the OCR plugin's repair of common compounds read
 * with wrong marks (plugins/ocr/ocr_phrases.c), on text alone: capitals,
 * title case, d for đ, both tone conventions left alone, no repair across
 * punctuation or of a lone word, a word right in the compound that
 * follows kept, and a list in which no two compounds share their bare
 * letters.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr.h"
#include "textnorm.h"

/* The repaired text equals want, after nfix pairs were repaired. */
static void check(const char *in, const char *want, int nfix)
{
    int n = -1;
    char *got = pledgex__ocr_phrases_fix(in, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(got, want);
    CU_ASSERT_EQUAL(n, nfix);
    if (strcmp(got, want) || n != nfix)
        fprintf(stderr, "\n  in:   %s\n  got:  %s (%d)\n  want: %s (%d)\n", in, got, n, want,
                nfix);
    free(got);
}

static void test_phrases_capitals_repaired(void)
{
    check("KHỐI THỊ ĐUA NỘI CHÍNH - LỰC LƯỢNG VŨ TRANG",
          "KHỐI THI ĐUA NỘI CHÍNH - LỰC LƯỢNG VŨ TRANG", 1);
    check("BẢN GIAO ƯỚC THỊ ĐUA NĂM 2024\n", "BẢN GIAO ƯỚC THI ĐUA NĂM 2024\n", 1);
    /* a marked capital read in lower case: the compound is in capitals */
    check("CÁC ĐƠN Vĩ KÝ", "CÁC ĐƠN VỊ KÝ", 1);
}

static void test_phrases_case_and_d_kept(void)
{
    check("Thị đua yêu nước", "Thi đua yêu nước", 1);
    check("ký giao ươc thi dua năm 2024", "ký giao ước thi đua năm 2024", 2);
    /* a compound cut by a line end is still one */
    check("Ủy ban nhân\ndàn tỉnh", "Ủy ban nhân\ndân tỉnh", 1);
    check("thì hành án", "thi hành án", 1);
}

static void test_phrases_right_readings_untouched(void)
{
    const char *right[] = {
        "Khối thi đua Nội chính", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh",
        "Tòa án nhân dân tỉnh", "Toà án nhân dân tỉnh",
        /* each word valid and no listed compound */
        "thị xã Cửa Lò", "có quan hệ", "công ăn việc làm", "được viết năm 1945",
        /* punctuation or a number between: not a pair */
        "thị, đua", "thị 2 đua", "thi-đua",
        "",
    };
    for (size_t i = 0; i < sizeof right / sizeof right[0]; i++)
        check(right[i], right[i], 0);
}

/* "tòa an" spells "tòa án", but "an ninh" is right as read: left alone
 * ("tòa án ninh" would be a wrong repair). */
static void test_phrases_word_right_in_next_compound_kept(void)
{
    check("tòa an ninh", "tòa an ninh", 0);
    check("TÒA AN NHÂN DÂN", "TÒA ÁN NHÂN DÂN", 1);
}

/* Two compounds with the same bare letters would make a repair a guess. */
static void test_phrases_list_has_no_twins(void)
{
    size_t n = pledgex__ocr_phrases_count();
    CU_ASSERT(n >= 20);
    char **keys = calloc(n, sizeof *keys);
    CU_ASSERT_PTR_NOT_NULL_FATAL(keys);
    for (size_t i = 0; i < n; i++) {
        const char *c = pledgex__ocr_phrases_at(i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        CU_ASSERT_PTR_NOT_NULL(strchr(c, ' ')); /* two words */
        keys[i] = pledgex__fold_ascii(c, strlen(c));
        for (size_t j = 0; j < i; j++)
            if (keys[i] && keys[j] && !strcmp(keys[i], keys[j])) {
                fprintf(stderr, "\n  twins: %s / %s\n", pledgex__ocr_phrases_at(j), c);
                CU_FAIL("two compounds share their bare letters");
            }
    }
    CU_ASSERT_PTR_NULL(pledgex__ocr_phrases_at(n));
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("ocr_phrases", NULL, NULL);
    CU_add_test(s, "test_phrases_capitals_repaired", test_phrases_capitals_repaired);
    CU_add_test(s, "test_phrases_case_and_d_kept", test_phrases_case_and_d_kept);
    CU_add_test(s, "test_phrases_right_readings_untouched",
                test_phrases_right_readings_untouched);
    CU_add_test(s, "test_phrases_word_right_in_next_compound_kept",
                test_phrases_word_right_in_next_compound_kept);
    CU_add_test(s, "test_phrases_list_has_no_twins", test_phrases_list_has_no_twins);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
