/*
 * test_extract_people.c -- people with rank or role, in captions ("Name -
 * Role Unit"), after titles ("Đại tá", "Ông", "Đồng chí"), and in signature
 * blocks laid out in columns or joined by OCR; signatories.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_extract.h"
#include "testutil.h"

static void expect_person(const pledgex_doc *doc, const char *name, const char *role,
                          const char *unit)
{
    const pledgex_doc_entity *e = tx_find(doc, "person", name, 0);
    if (!e || (role && (!e->role || strcmp(e->role, role))) ||
        (unit && (!e->value || strcmp(e->value, unit)))) {
        fprintf(stderr, "\n  want %s (%s, %s), got:", name, role ? role : "-", unit ? unit : "-");
        for (size_t i = 0; i < doc->nentities; i++)
            if (!strcmp(doc->entities[i].type, "person"))
                fprintf(stderr, " [%s|%s|%s]", doc->entities[i].text,
                        doc->entities[i].role ? doc->entities[i].role : "-",
                        doc->entities[i].value ? doc->entities[i].value : "-");
        fprintf(stderr, "\n");
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    if (role) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(e->role);
        CU_ASSERT_STRING_EQUAL(e->role, role);
    }
    if (unit) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(e->value);
        CU_ASSERT_STRING_EQUAL(e->value, unit);
    }
}

static void test_people_caption_name_role_unit(void)
{
    pledgex_doc *doc = tx_run("Các đồng chí Uỷ viên BCH Đảng bộ tỉnh: Hoàng Thị Thu Trang - Giám "
                              "đốc Sở Tư pháp; Chu Thế Huyền - Chánh Thanh tra tỉnh chủ trì Hội "
                              "nghị. Ảnh: KL", NULL, NULL);
    expect_person(doc, "Hoàng Thị Thu Trang", "Giám đốc", "Sở Tư pháp");
    expect_person(doc, "Chu Thế Huyền", "Chánh Thanh tra", "Thanh tra tỉnh");
    CU_ASSERT_EQUAL(tx_count(doc, "person", NULL), 2);
    pledgex__doc_free(&doc);
}

static void test_people_rank_and_title(void)
{
    pledgex_doc *doc = tx_run(
        "Đại tá Nguyễn Kỳ Hồng - Chính uỷ Bộ Chỉ huy Quân sự tỉnh phát biểu. "
        "Thượng tá Lê Văn Hùng phát biểu. Ông Nguyễn Công Hoan - Phó Giám đốc Sở Tư pháp "
        "thông qua nội dung. Đồng chí Nguyễn Thanh Nhàn, Phó Giám đốc Sở Nội vụ đề nghị. "
        "Bà Trịnh Thị Hồng Nhung - Chánh án Tòa án nhân dân tỉnh ký.", NULL, NULL);
    expect_person(doc, "Nguyễn Kỳ Hồng", "Chính uỷ", "Bộ Chỉ huy Quân sự tỉnh");
    expect_person(doc, "Lê Văn Hùng", "Thượng tá", NULL);
    expect_person(doc, "Nguyễn Công Hoan", "Phó Giám đốc", "Sở Tư pháp");
    expect_person(doc, "Nguyễn Thanh Nhàn", "Phó Giám đốc", "Sở Nội vụ");
    expect_person(doc, "Trịnh Thị Hồng Nhung", "Chánh án", "Tòa án nhân dân tỉnh");
    CU_ASSERT_EQUAL(tx_count(doc, "person", NULL), 5);
    pledgex__doc_free(&doc);
}

static void test_people_places_are_not_people(void)
{
    pledgex_doc *doc = tx_run("Công an tỉnh Bà Rịa - Vũng Tàu và Hội đồng Thi đua - Khen thưởng "
                              "tỉnh Nghệ An. Khánh Ly 19/03/2024 17:01", NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "person", NULL), 0);
    pledgex__doc_free(&doc);
}

static void test_signatories_columns(void)
{
    const char *text = "8. Tăng cường quan hệ phối hợp giữa các đơn vị trong Khối.\n"
                       "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC\n"
                       "THANH TRA TỈNH (Cụm trưởng)          SỞ TƯ PHÁP (Cụm phó)\n"
                       "Chánh Thanh tra                      Giám đốc\n"
                       "Chu Thế Huyền                        Hoàng Thị Thu Trang\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    const pledgex_doc_entity *e = tx_find(doc, "signatory", "Thanh tra tỉnh", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->role, "Cụm trưởng");
    e = tx_find(doc, "signatory", "Sở Tư pháp", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->role, "Cụm phó");
    CU_ASSERT_EQUAL(tx_count(doc, "signatory", NULL), 2);
    expect_person(doc, "Chu Thế Huyền", "Chánh Thanh tra", "Thanh tra tỉnh");
    expect_person(doc, "Hoàng Thị Thu Trang", "Giám đốc", "Sở Tư pháp");
    CU_ASSERT_EQUAL(tx_count(doc, "person", NULL), 2);
    pledgex__doc_free(&doc);
}

static void test_signatories_columns_joined_by_ocr(void)
{
    const char *text = "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC\n\n"
                       "THANH TRA TỈNH (Cụm trưởng) SỞ TƯ PHÁP (Cụm phó)\n\n"
                       "Chánh Thanh tra Giám đốc\n\n"
                       "Chu Thế Huyền Hoàng Thị Thu Trang\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "signatory", NULL), 2);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "signatory", "Thanh tra tỉnh", 1));
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "signatory", "Sở Tư pháp", 1));
    expect_person(doc, "Chu Thế Huyền", "Chánh Thanh tra", "Thanh tra tỉnh");
    expect_person(doc, "Hoàng Thị Thu Trang", "Giám đốc", "Sở Tư pháp");
    pledgex__doc_free(&doc);
}

static void test_signatories_tm_blocks_in_capitals(void)
{
    const char *text = "TM. UBND XÃ HOÀN TRẠCH                    TM. UBND THỊ TRẤN HOÀN LÃO\n"
                       "CHỦ TỊCH                                   PHÓ CHỦ TỊCH\n"
                       "PHAN VĂN DŨNG                              Hoàng Minh Tuấn\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "signatory", "Ủy ban nhân dân xã Hoàn Trạch", 1));
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "signatory", "Ủy ban nhân dân thị trấn Hoàn Lão", 1));
    expect_person(doc, "Phan Văn Dũng", "Chủ tịch", "Ủy ban nhân dân xã Hoàn Trạch");
    expect_person(doc, "Hoàng Minh Tuấn", "Phó Chủ tịch", "Ủy ban nhân dân thị trấn Hoàn Lão");
    pledgex__doc_free(&doc);
}

static void test_signatories_two_rows(void)
{
    const char *text = "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC\n"
                       "SỞ NỘI VỤ                SỞ TÀI CHÍNH              SỞ Y TẾ\n"
                       "GIÁM ĐỐC                 GIÁM ĐỐC                  GIÁM ĐỐC\n\n\n"
                       "Lê Văn An                Trần Thị Bình             Phạm Minh Châu\n\n"
                       "       CÔNG AN TỈNH                    THANH TRA TỈNH\n"
                       "       GIÁM ĐỐC                        CHÁNH THANH TRA\n\n\n"
                       "       Đại tá Võ Văn Dũng              Nguyễn Thị Hoa\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "signatory", NULL), 5);
    expect_person(doc, "Phạm Minh Châu", "Giám đốc", "Sở Y tế");
    expect_person(doc, "Nguyễn Thị Hoa", "Chánh Thanh tra", "Thanh tra tỉnh");
    expect_person(doc, "Võ Văn Dũng", "Giám đốc", "Công an tỉnh");
    pledgex__doc_free(&doc);
}

/* No header line; each cell reads "ROLE UNIT" in capitals, the name below
 * with or without a rank; two rows of three; a unit written as the role's
 * tail ("CHÁNH THANH TRA TỈNH"); a name never inherits the unit of the
 * row above. */
static void test_signatories_role_and_unit_cells_without_header(void)
{
    pledgex_doc *doc =
        tx_run("3. Tổ chức sơ kết phong trào thi đua vào Quý II/2025.\n\n"
               "GIÁM ĐỐC CÔNG AN TỈNH            VIỆN TRƯỞNG VKSND TỈNH            CHÁNH ÁN "
               "TAND TỈNH\n"
               "Đại tá Nguyễn Văn Hùng           Trần Thị Mai                      Lê Quang Vinh\n"
               "\n"
               "GIÁM ĐỐC SỞ TƯ PHÁP              CHÁNH THANH TRA TỈNH              CỤC TRƯỞNG "
               "CỤC THADS\n"
               "Phạm Minh Tuấn                   Hoàng Văn Nam                     Đỗ Thị Hương\n",
               tx_gazetteer(), NULL); /* THADS: the gazetteer's abbreviation */
    expect_person(doc, "Nguyễn Văn Hùng", "Giám đốc", "Công an tỉnh");
    expect_person(doc, "Trần Thị Mai", "Viện trưởng", "Viện Kiểm sát nhân dân tỉnh");
    expect_person(doc, "Lê Quang Vinh", "Chánh án", "Tòa án nhân dân tỉnh");
    expect_person(doc, "Phạm Minh Tuấn", "Giám đốc", "Sở Tư pháp");
    expect_person(doc, "Hoàng Văn Nam", "Chánh Thanh tra", "Thanh tra tỉnh");
    expect_person(doc, "Đỗ Thị Hương", "Cục trưởng", "Cục Thi hành án dân sự");
    CU_ASSERT_EQUAL(tx_count(doc, "person", NULL), 6);
    CU_ASSERT_EQUAL(tx_count(doc, "signatory", NULL), 6);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "signatory", "Thanh tra tỉnh", 1));
    pledgex__doc_free(&doc);
}

void tx_add_people_tests(CU_pSuite s)
{
    TU_TEST(s, test_people_caption_name_role_unit);
    TU_TEST(s, test_people_rank_and_title);
    TU_TEST(s, test_people_places_are_not_people);
    TU_TEST(s, test_signatories_columns);
    TU_TEST(s, test_signatories_columns_joined_by_ocr);
    TU_TEST(s, test_signatories_tm_blocks_in_capitals);
    TU_TEST(s, test_signatories_two_rows);
    TU_TEST(s, test_signatories_role_and_unit_cells_without_header);
}
