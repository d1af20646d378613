/*
 * test_extract_units.c -- units: found from head words, grouped across
 * spelling variants (Ủy/Uỷ, Toà/Tòa, UBND, CAPITALS, lost accents, with or
 * without the province), unknown units found without a gazetteer, and the
 * gazetteer file itself.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_extract.h"
#include "testutil.h"

static void expect_units(const char *text, const pledgex_gazetteer *gz, const char *const *want,
                         size_t nwant)
{
    pledgex_doc *doc = tx_run(text, gz, NULL);
    size_t n = tx_count(doc, "unit", NULL);
    int ok = n == nwant;
    for (size_t i = 0; i < nwant; i++)
        if (!tx_find(doc, "unit", want[i], 1))
            ok = 0;
    if (!ok) {
        fprintf(stderr, "\n  in '%s' want %zu units:", text, nwant);
        for (size_t i = 0; i < nwant; i++)
            fprintf(stderr, " [%s]", want[i]);
        fprintf(stderr, "\n  got:");
        for (size_t i = 0; i < doc->nentities; i++)
            if (!strcmp(doc->entities[i].type, "unit"))
                fprintf(stderr, " [%s]", doc->entities[i].value);
        fprintf(stderr, "\n");
    }
    CU_ASSERT_TRUE(ok);
    pledgex__doc_free(&doc);
}

static void test_units_group_spelling_variants(void)
{
    const char *want[] = {"Ủy ban nhân dân tỉnh Nghệ An"};
    expect_units("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\n"
                 "Thực hiện chỉ đạo của Uỷ ban nhân dân tỉnh Nghệ An, UBND tỉnh Nghệ An và "
                 "Ủy ban nhân dân tỉnh Nghệ An đã giao.", NULL, want, 1);
    const char *toa[] = {"Tòa án nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh"};
    expect_units("Toà án nhân dân tỉnh, Tòa án nhân dân tỉnh, TAND tỉnh và VKSND tỉnh, "
                 "Viện Kiểm sát nhân dân tỉnh.", NULL, toa, 2);
}

static void test_units_capitals_become_proper_case(void)
{
    const char *want[] = {"Sở Tư pháp", "Cục Thi hành án dân sự tỉnh", "Thanh tra tỉnh",
                          "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh", "Huyện ủy Bố Trạch",
                          "Sở Kế hoạch và Đầu tư"};
    expect_units("SỞ TƯ PHÁP\nCỤC THI HÀNH ÁN DÂN SỰ TỈNH\nTHANH TRA TỈNH (Cụm trưởng)\n"
                 "BỘ CHỈ HUY QUÂN SỰ TỈNH HÀ TĨNH\nHUYỆN ỦY BỐ TRẠCH\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\n",
                 NULL, want, 6);
    /* CAPITALS and running text name one unit: the running text spells it. */
    const char *khoi[] = {"Khối thi đua Nội chính - Lực lượng vũ trang"};
    expect_units("KHỐI THI ĐUA NỘI CHÍNH - LỰC LƯỢNG VŨ TRANG\n"
                 "các đơn vị trong Khối thi đua Nội chính -\nLực lượng vũ trang gồm 8 đơn vị.\n"
                 "Khối Nội chính - Lực lượng vũ trang đã phát động.", NULL, khoi, 1);
}

/* A bloc named in running text only, in sentence case: its lower-case
 * words belong to it up to the verb ("Kinh tế tổng hợp thống nhất ký"). */
static void test_units_sentence_case_bloc_whole(void)
{
    const char *kt[] = {"Khối thi đua Kinh tế tổng hợp"};
    expect_units("các đơn vị trong Khối thi đua Kinh tế tổng hợp thống nhất ký giao ước thi "
                 "đua năm 2025.", NULL, kt, 1);
    const char *vh[] = {"Khối thi đua Văn hóa - Xã hội"};
    expect_units("Các đơn vị thuộc Khối thi đua Văn hóa - Xã hội cam kết thực hiện.", NULL, vh,
                 1);
}

static void test_units_with_and_without_province(void)
{
    const char *one[] = {"Công an tỉnh Hà Tĩnh"};
    expect_units("Công an tỉnh đã phối hợp. Công an tỉnh Hà Tĩnh được tặng cờ.", NULL, one, 1);
    /* The province level may be left out; the levels below it may not. */
    const char *ka[] = {"Kho bạc Nhà nước tỉnh Nghệ An", "Công an tỉnh Nghệ An",
                        "Ủy ban nhân dân huyện Hưng Nguyên", "Ủy ban nhân dân thị trấn Hưng Nguyên"};
    expect_units("Kho bạc Nhà nước Nghệ An, Kho bạc Nhà nước tỉnh Nghệ An, Công an Nghệ An, "
                 "Công an tỉnh Nghệ An, UBND huyện Hưng Nguyên và UBND thị trấn Hưng Nguyên.",
                 NULL, ka, 4);
    /* Two provinces: the bare mention stays apart. */
    const char *three[] = {"Công an tỉnh", "Công an tỉnh Hà Tĩnh", "Công an tỉnh Nghệ An"};
    expect_units("Công an tỉnh, Công an tỉnh Hà Tĩnh và Công an tỉnh Nghệ An.", NULL, three, 3);
}

static void test_units_found_without_gazetteer(void)
{
    const char *want[] = {"Chi cục Kiểm lâm huyện Con Cuông", "Trung tâm Y tế huyện Con Cuông",
                          "Hội Liên hiệp Phụ nữ xã Môn Sơn", "Cụm thi đua số 3"};
    expect_units("Chi cục Kiểm lâm huyện Con Cuông phối hợp với Trung tâm Y tế huyện Con "
                 "Cuông và Hội Liên hiệp Phụ nữ xã Môn Sơn trong Cụm thi đua số 3.",
                 NULL, want, 4);
}

static void test_units_party_committee_after_name(void)
{
    const char *want[] = {"Ban Tuyên giáo Tỉnh ủy", "Đài Phát thanh và Truyền hình tỉnh"};
    expect_units("Ban Tuyên giáo Tỉnh ủy phối hợp với Đài Phát thanh và Truyền hình tỉnh.",
                 NULL, want, 2);
}

static void test_units_ocr_without_accents_group(void)
{
    const char *want[] = {"Ủy ban nhân dân tỉnh Nghệ An"};
    expect_units("Uy ban nhan dan tinh Nghe An giao.\nUỷ ban nhân dân tỉnh Nghệ An chủ trì.",
                 NULL, want, 1);
}

static void test_units_ocr_damaged_level_word(void)
{
    /* a seal over the signature block: TỈNH read as TỈNE, TỈNF or TỈN */
    const char *want[] = {"Thanh tra tỉnh", "Cục Thống kê tỉnh", "Sở Tư pháp"};
    expect_units("THANH TRA TỈNE (Cụm trưởng)\nCỤC THỐNG KÊ TỈNF\nSỞ TƯ PHÁP\n", NULL, want,
                 3);
    /* "tỉ" (a billion) is no level */
    const char *none[] = {"Sở Tài chính"};
    expect_units("Sở Tài chính chi 14 tỉ đồng.", NULL, none, 1);
}

static void test_units_not_units(void)
{
    expect_units("BẢN GIAO ƯỚC THI ĐUA NĂM 2024\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                 "Số: 45/KH-HĐTĐKT\nHội nghị ký giao ước; các đơn vị trong Khối; được Đảng, "
                 "Nhà nước tặng thưởng; Cục trưởng và Khối phó ký; cơ quan Hải quan.",
                 NULL, NULL, 0);
    expect_units("HỘI NGHỊ KÝ KẾT GIAO ƯỚC THI ĐUA\nĐOÀN KẾT - DÂN CHỦ - KỶ CƯƠNG\n"
                 "QUYẾT ĐỊNH BAN HÀNH QUY CHẾ\nPhòng, chống tham nhũng; Phòng chống dịch; "
                 "Bộ máy tinh gọn; Đội ngũ cán bộ.", NULL, NULL, 0);
}

static void test_units_gazetteer_names(void)
{
    const pledgex_gazetteer *gz = tx_gazetteer();
    CU_ASSERT_PTR_NOT_NULL_FATAL(gz);
    const char *want[] = {"Sở Văn hóa, Thể thao và Du lịch", "Sở Lao động - Thương binh và Xã hội",
                          "Tòa án nhân dân tối cao", "Kho bạc Nhà nước Hà Nội"};
    expect_units("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSở LĐ-TB&XH phối hợp với Toà án nhân dân "
                 "tối cao và Kho bạc Nhà nước Hà Nội.", gz, want, 4);
}

static void test_units_canonical_function(void)
{
    char *c = pledgex__unit_canonical("UBND TỈNH NGHỆ AN", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(c, "Ủy ban nhân dân tỉnh Nghệ An");
    free(c);
    c = pledgex__unit_canonical("Toà án nhân dân tỉnh", NULL);
    CU_ASSERT_STRING_EQUAL(c, "Tòa án nhân dân tỉnh");
    free(c);
    c = pledgex__unit_canonical("  không phải  đơn vị ", NULL);
    CU_ASSERT_STRING_EQUAL(c, "không phải đơn vị");
    free(c);
}

static void test_gazetteer_load_errors(void)
{
    pledgex_gazetteer *gz = NULL;
    char err[512];
    CU_ASSERT_EQUAL(pledgex__gazetteer_load(&gz, tu_path("missing.tsv"), err, sizeof err),
                    PLEDGEX_FAILED);
    CU_ASSERT_PTR_NULL(gz);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "missing.tsv"));
    tu_write_str(tu_path("bad-utf8.tsv"), "S\xff\xfe\tx\ttỉnh\n");
    CU_ASSERT_EQUAL(pledgex__gazetteer_load(&gz, tu_path("bad-utf8.tsv"), err, sizeof err),
                    PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "UTF-8"));
    tu_write_str(tu_path("empty-name.tsv"), "# comment\nSở Tư pháp\t\ttỉnh\n\tSTP\ttỉnh\n");
    CU_ASSERT_EQUAL(pledgex__gazetteer_load(&gz, tu_path("empty-name.tsv"), err, sizeof err),
                    PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ":3:"));
    /* A good file: an alias names its canonical unit. */
    tu_write_str(tu_path("ok.tsv"), "Sở Giáo dục và Đào tạo\tSở GD&ĐT|Sở GDĐT\ttỉnh\r\n");
    CU_ASSERT_EQUAL_FATAL(pledgex__gazetteer_load(&gz, tu_path("ok.tsv"), err, sizeof err),
                          PLEDGEX_OK);
    pledgex_doc *doc = tx_run("SỞ GD&ĐT tỉnh Hà Tĩnh", gz, NULL);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "unit", "Sở Giáo dục và Đào tạo tỉnh Hà Tĩnh", 1));
    pledgex__doc_free(&doc);
    pledgex__gazetteer_free(&gz);
    CU_ASSERT_PTR_NULL(gz);
    pledgex__gazetteer_free(&gz); /* NULL is fine */
}

/* In running text a name stops at its first lower-case word; the
 * CAPITALS heading of the same page has it whole, and the short reading
 * becomes a mention of the whole name. */
static void test_units_truncated_in_prose_take_the_heading_name(void)
{
    pledgex_doc *doc = tx_run("UBND TỈNH HÀ TĨNH\nKHỐI THI ĐUA KINH TẾ TỔNG HỢP\n\n"
                              "Các đơn vị trong Khối thi đua Kinh tế tổng hợp thống nhất ký giao "
                              "ước thi đua năm 2025.",
                              NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "unit", "Khối thi đua Kinh tế tổng hợp", 1));
    CU_ASSERT_PTR_NULL(tx_find(doc, "unit", "Khối thi đua Kinh", 1));
    CU_ASSERT_EQUAL(tx_count(doc, "unit", NULL), 2);
    pledgex__doc_free(&doc);
}

void tx_add_unit_tests(CU_pSuite s)
{
    TU_TEST(s, test_units_group_spelling_variants);
    TU_TEST(s, test_units_truncated_in_prose_take_the_heading_name);
    TU_TEST(s, test_units_capitals_become_proper_case);
    TU_TEST(s, test_units_sentence_case_bloc_whole);
    TU_TEST(s, test_units_with_and_without_province);
    TU_TEST(s, test_units_found_without_gazetteer);
    TU_TEST(s, test_units_party_committee_after_name);
    TU_TEST(s, test_units_ocr_without_accents_group);
    TU_TEST(s, test_units_ocr_damaged_level_word);
    TU_TEST(s, test_units_not_units);
    TU_TEST(s, test_units_gazetteer_names);
    TU_TEST(s, test_units_canonical_function);
    TU_TEST(s, test_gazetteer_load_errors);
}
