/*
 * test_textnorm.c -- NFC, tone-placement canonicalisation, accent folding.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "textnorm.h"

static void expect(char *(*fn)(const char *, size_t), const char *in, const char *want)
{
    char *got = fn(in, strlen(in));
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    if (strcmp(got, want))
        fprintf(stderr, "\n  '%s' -> '%s', want '%s'\n", in, got, want);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

static char *nfc(const char *s, size_t n)
{
    return pledgex__nfc(s, n, NULL);
}

static void test_textnorm_nfc_composes_decomposed_input(void)
{
    /* "Đảng" with a + combining hook above; "thi đua" with u + grave? no:
     * "ủy" as u + U+0309. */
    expect(nfc, "\xc4\x90" "a\xcc\x89ng", "Đảng");
    expect(nfc, "u\xcc\x89y ban", "ủy ban");
}

static void test_textnorm_tone_conventions_are_one(void)
{
    expect(pledgex__tone_canonical, "Ủy ban", "Uỷ ban");
    expect(pledgex__tone_canonical, "Uỷ ban", "Uỷ ban");
    expect(pledgex__tone_canonical, "Tòa án", "Toà án");
    expect(pledgex__tone_canonical, "hòa bình", "hoà bình");
    expect(pledgex__tone_canonical, "khỏe", "khoẻ");
    /* syllables with one possible place are left alone */
    expect(pledgex__tone_canonical, "người Việt", "người Việt");
    expect(pledgex__tone_canonical, "quả", "quả");
    expect(pledgex__tone_canonical, "giữa", "giữa");
    expect(pledgex__tone_canonical, "hoàng", "hoàng");
    /* tone and shape mark on one vowel stay one precomposed letter */
    expect(pledgex__tone_canonical, "kết quả tổng hợp", "kết quả tổng hợp");
    expect(pledgex__fold_exact, "KẾT", "kết");
    expect(pledgex__fold_exact, "Việt Nam, cầu, lợi, ượt", "việt nam, cầu, lợi, ượt");
}

static void test_textnorm_fold_exact_lowercases_capitals(void)
{
    expect(pledgex__fold_exact, "ỦY BAN NHÂN DÂN", "uỷ ban nhân dân");
    expect(pledgex__fold_exact, "TÒA ÁN", "toà án");
}

static void test_textnorm_fold_ascii_folds_d_stroke(void)
{
    expect(pledgex__fold_ascii, "Đảng bộ", "dang bo");
    expect(pledgex__fold_ascii, "thi đua", "thi dua");
    expect(pledgex__fold_ascii, "thì dưa", "thi dua");
    expect(pledgex__fold_ascii, "ĐẠI DIỆN", "dai dien");
}

static void test_textnorm_invalid_utf8_replaced(void)
{
    size_t bad = 0;
    char *s = pledgex__nfc("a\xff" "b\xc3", 4, &bad);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(bad, 2);
    CU_ASSERT_STRING_EQUAL(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    CU_ASSERT_TRUE(pledgex__utf8_valid(s, strlen(s)));
    CU_ASSERT_FALSE(pledgex__utf8_valid("a\xff", 2));
    free(s);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("textnorm", NULL, NULL);
    TU_TEST(s, test_textnorm_nfc_composes_decomposed_input);
    TU_TEST(s, test_textnorm_tone_conventions_are_one);
    TU_TEST(s, test_textnorm_fold_exact_lowercases_capitals);
    TU_TEST(s, test_textnorm_fold_ascii_folds_d_stroke);
    TU_TEST(s, test_textnorm_invalid_utf8_replaced);
    return tu_main();
}
