/*
 * test_links.c -- core/links.c: the file-name keys by which articles and
 * photos (and photos and sidecars) are linked, their tolerance of case,
 * diacritics and typos, and the credit written in a caption.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "links.h"
#include "testutil.h"

static int match(const char *x, const char *y)
{
    char *a = pledgex__photo_key(x), *b = pledgex__photo_key(y);
    int r = pledgex__photo_keys_match(a, b);
    free(a);
    free(b);
    return r;
}

static void test_links_key_folds_case_diacritics_extension(void)
{
    char *k = pledgex__photo_key("2024/Đại diện các đơn vị.JPG");
    CU_ASSERT_STRING_EQUAL(k, "daidiencacdonvi");
    free(k);
    CU_ASSERT(match("IMG_0528.JPG", "img_0528.jpeg"));
    CU_ASSERT(match("Đại diện các đơn vị ký giao ước.JPG", "dai dien cac don vi ky giao uoc.jpg"));
    CU_ASSERT_PTR_NULL(pledgex__photo_key("....jpg"));
}

static void test_links_typos_tolerated_numbers_not(void)
{
    /* the sample's real typos: "tronh", "khói", "ksy" */
    CU_ASSERT(match("Đại diện các đơn vị tronh khói nội chính ksy giao ước thi đua.JPG",
                    "Dai dien cac don vi trong khoi noi chinh ky giao uoc thi dua.jpg"));
    /* camera numbers and numbered series are different photos */
    CU_ASSERT(!match("IMG_0528.JPG", "IMG_0529.JPG"));
    CU_ASSERT(!match("Đại diện các đơn vị ký giao ước thi đua 1.jpg",
                     "Đại diện các đơn vị ký giao ước thi đua 2.jpg"));
    CU_ASSERT(!match("Đại diện các đơn vị ký giao ước thi đua.jpg",
                     "Lãnh đạo tỉnh trao cờ thi đua cho các đơn vị.jpg"));
}

static void test_links_caption_credit(void)
{
    static const struct {
        const char *caption, *credit;
    } cases[] = {
        {"Các đồng chí chủ trì Hội nghị. Ảnh: KL", "KL"},
        {"Đại tá phát biểu. (Ảnh: Thu Hà)", "Thu Hà"},
        {"Trao cờ thi đua. Ảnh - Minh Châu.", "Minh Châu"},
        {"Lễ ký kết. Photo: Reuters", "Reuters"},
        {"Hình ảnh đẹp của hội nghị", NULL},          /* "ảnh" as a word */
        {"Ảnh: KL chụp tại hội trường lớn của tỉnh, nhiều người tham dự, rất đông vui và "
         "trang trọng, kéo dài suốt buổi chiều hôm ấy",
         NULL}, /* not a credit: too long */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *c = pledgex__caption_credit(cases[i].caption);
        if (cases[i].credit) {
            CU_ASSERT(c && !strcmp(c, cases[i].credit));
        } else {
            CU_ASSERT_PTR_NULL(c);
        }
        free(c);
    }
}

static void test_links_address_folder(void)
{
    CU_ASSERT_EQUAL(pledgex__address_folder_len("a.zip!2024/IMG.JPG"), strlen("a.zip!2024/"));
    CU_ASSERT_EQUAL(pledgex__address_folder_len("/x/y/IMG.JPG"), strlen("/x/y/"));
    CU_ASSERT_EQUAL(pledgex__address_folder_len("IMG.JPG"), 0);
    CU_ASSERT(pledgex__sidecar_mime("text/plain"));
    CU_ASSERT(!pledgex__sidecar_mime("image/jpeg"));
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("links", NULL, NULL);
    TU_TEST(s, test_links_key_folds_case_diacritics_extension);
    TU_TEST(s, test_links_typos_tolerated_numbers_not);
    TU_TEST(s, test_links_caption_credit);
    TU_TEST(s, test_links_address_folder);
    return tu_main();
}
