/*
 * test_extract.c -- extraction: dates in every written form and the
 * numbers that are not dates, commitments (items joined across wrapped
 * lines, sections, movements, stated count), robustness.  Units and people
 * are in test_extract_units.c and test_extract_people.c.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/xphrase.h"
#include "test_extract.h"
#include "testutil.h"

pledgex_doc *tx_run(const char *text, const pledgex_gazetteer *gz, const char *const *attrs)
{
    pledgex_doc *doc = pledgex__doc_new("test.txt");
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL_FATAL(pledgex__doc_add_block(doc, "text", 1, text, 1.0, 0), PLEDGEX_OK);
    for (size_t i = 0; attrs && attrs[i]; i++) {
        const char *eq = strchr(attrs[i], '=');
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(eq - attrs[i]), attrs[i]);
        pledgex__doc_add_attr(doc, key, eq + 1);
    }
    char err[256] = "";
    int rc = pledgex__extract_doc(doc, gz, err, sizeof err);
    if (rc != PLEDGEX_OK)
        fprintf(stderr, "\n  extraction: %d %s\n", rc, err);
    CU_ASSERT_EQUAL(rc, PLEDGEX_OK);
    return doc;
}

const pledgex_doc_entity *tx_find(const pledgex_doc *doc, const char *type, const char *s,
                                  int by_value)
{
    for (size_t i = 0; i < doc->nentities; i++) {
        const pledgex_doc_entity *e = &doc->entities[i];
        const char *f = by_value ? e->value : e->text;
        if (!strcmp(e->type, type) && f && !strcmp(f, s))
            return e;
    }
    return NULL;
}

size_t tx_count(const pledgex_doc *doc, const char *type, const char *role)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nentities; i++) {
        const pledgex_doc_entity *e = &doc->entities[i];
        if (!strcmp(e->type, type) && (!role || (e->role && !strcmp(e->role, role))))
            n++;
    }
    return n;
}

static void dump(const pledgex_doc *doc, const char *type)
{
    for (size_t i = 0; i < doc->nentities; i++) {
        const pledgex_doc_entity *e = &doc->entities[i];
        if (!type || !strcmp(e->type, type))
            fprintf(stderr, "    %s: '%s' = '%s' (%s)\n", e->type, e->text ? e->text : "",
                    e->value ? e->value : "", e->role ? e->role : "-");
    }
}

static void expect_date_in(pledgex_doc *doc, const char *text, const char *value,
                           const char *role)
{
    const pledgex_doc_entity *e = tx_find(doc, "date", value, 1);
    if (!e || (role && (!e->role || strcmp(e->role, role)))) {
        fprintf(stderr, "\n  in '%s' want %s (%s), got:\n", text, value, role ? role : "any");
        dump(doc, "date");
    }
    CU_ASSERT_PTR_NOT_NULL(e);
    if (e && role) {
        CU_ASSERT_PTR_NOT_NULL(e->role);
        if (e->role)
            CU_ASSERT_STRING_EQUAL(e->role, role);
    }
}

void tx_expect_date(const char *text, const char *value, const char *role)
{
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    expect_date_in(doc, text, value, role);
    pledgex__doc_free(&doc);
}

void tx_expect_no_date(const char *text)
{
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    size_t n = tx_count(doc, "date", NULL);
    if (n) {
        fprintf(stderr, "\n  '%s' is not a date, got:\n", text);
        dump(doc, "date");
    }
    CU_ASSERT_EQUAL(n, 0);
    pledgex__doc_free(&doc);
}

const pledgex_gazetteer *tx_gazetteer(void)
{
    static pledgex_gazetteer *gz;
    static int tried;
    if (!tried) {
        char err[256];
        tried = 1;
        if (pledgex__gazetteer_load(&gz, NULL, err, sizeof err) != PLEDGEX_OK)
            fprintf(stderr, "\n  gazetteer: %s\n", err);
    }
    return gz;
}

/* ---- dates ---------------------------------------------------------- */

static void test_dates_numeric_with_time(void)
{
    tx_expect_date("Khánh Ly 19/03/2024 17:01", "2024-03-19T17:01", "published");
    tx_expect_date("Kế hoạch ban hành ngày 15/01/2024 của Hội đồng", "2024-01-15", NULL);
    tx_expect_date("Thứ Ba, 19/03/2024 - 17:01 (GMT+7)", "2024-03-19T17:01", "published");
    tx_expect_date("Khánh Ly 17:01 19/03/2024", "2024-03-19T17:01", "published");
}

static void test_dates_dashed_and_dotted(void)
{
    tx_expect_date("Hội nghị tổ chức vào 19-3-2024 tại Vinh.", "2024-03-19", NULL);
    tx_expect_date("Văn bản ngày 2.9.2023 gửi các đơn vị.", "2023-09-02", NULL);
    tx_expect_date("Cập nhật 2024-03-19 lúc sáng", "2024-03-19", NULL);
}

static void test_dates_day_month_year_in_words(void)
{
    tx_expect_date("Vinh, ngày 19 tháng 3 năm 2024", "2024-03-19", "document");
    /* Capitals and OCR that lost every accent. */
    tx_expect_date("NGÀY 19 THÁNG 3 NĂM 2024 các đơn vị ký", "2024-03-19", NULL);
    tx_expect_date("ngay 19 thang 3 nam 2024 cac don vi", "2024-03-19", NULL);
    /* Only the first date on the place line is the document's. */
    tx_expect_date("Nghệ An, ngày 05 tháng 01 năm 2023", "2023-01-05", "document");
    /* A weekday before the date is no place. */
    pledgex_doc *doc = tx_run("Thứ Tư, 08/01/2025", NULL, NULL);
    const pledgex_doc_entity *e = tx_find(doc, "date", "2025-01-08", 1);
    CU_ASSERT_PTR_NOT_NULL(e);
    if (e)
        CU_ASSERT_PTR_NULL(e->role);
    pledgex__doc_free(&doc);
}

static void test_dates_day_month_takes_year_from_document_date(void)
{
    const char *text = "Hà Tĩnh, ngày 02 tháng 3 năm 2022\n"
                       "Chiều ngày 19/3, tại hội trường, các đơn vị ký giao ước năm 2019.";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    expect_date_in(doc, text, "2022-03-19", "event");
    pledgex__doc_free(&doc);
}

static void test_dates_day_month_takes_year_from_attributes(void)
{
    const char *pub[] = {"published=2023-05-02T08:00:00", NULL};
    const char *taken[] = {"taken=2021:07:01 10:11:12", NULL};
    pledgex_doc *doc = tx_run("Sáng ngày 19/3, tại Hà Nội", NULL, pub);
    expect_date_in(doc, "published", "2023-03-19", "event");
    expect_date_in(doc, "published", "2023-05-02T08:00", "published");
    pledgex__doc_free(&doc);
    doc = tx_run("Sáng ngày 19/3, tại Hà Nội", NULL, taken);
    expect_date_in(doc, "taken", "2021-03-19", NULL);
    expect_date_in(doc, "taken", "2021-07-01T10:11:12", "taken");
    pledgex__doc_free(&doc);
}

static void test_dates_day_month_takes_nearest_year(void)
{
    tx_expect_date("Trong năm 2021, ngày 5/6 các đơn vị tổng kết.", "2021-06-05", NULL);
    /* No year anywhere: month and day only. */
    tx_expect_date("Sáng ngày 19/3 các đơn vị họp.", "--03-19", "event");
}

static void test_dates_month_year(void)
{
    tx_expect_date("sơ kết vào tháng 7/2023", "2023-07", NULL);
    tx_expect_date("tổng kết vào tháng 12 năm 2023", "2023-12", NULL);
    tx_expect_date("tổng kết vào tháng 7-2023", "2023-07", NULL);
}

static void test_dates_quarter(void)
{
    tx_expect_date("hoàn thành trong Quý IV/2023", "2023-Q4", NULL);
    tx_expect_date("hoàn thành trong quý 2 năm 2022", "2022-Q2", NULL);
    tx_expect_date("hoàn thành trước Quý III/2024", "2024-Q3", "deadline");
}

static void test_dates_year(void)
{
    tx_expect_date("BẢN GIAO ƯỚC THI ĐUA NĂM 2024", "2024", NULL);
    tx_expect_date("Luật Thi đua, khen thưởng năm 2022", "2022", NULL);
}

static void test_dates_periods(void)
{
    tx_expect_date("kế hoạch 5 năm (2021-2025) theo Nghị quyết", "2021/2025", "period");
    tx_expect_date("trong giai đoạn 2016 - 2020 đã đạt", "2016/2020", "period");
    tx_expect_date("nhiệm kỳ 2020–2025", "2020/2025", "period");
    tx_expect_date("từ năm 2016 đến năm 2020", "2016/2020", "period");
}

static void test_dates_deadline(void)
{
    tx_expect_date("hoàn thành xuất sắc nhiệm vụ được giao trước ngày 15/12/2024.",
                   "2024-12-15", "deadline");
    tx_expect_date("chậm nhất ngày 30 tháng 6 năm 2023", "2023-06-30", "deadline");
}

static void test_dates_month_nam_is_may(void)
{
    tx_expect_date("hoàn thành tuyển quân trong tháng năm 2022", "2022-05", NULL);
    tx_expect_date("Hội nghị tháng Năm năm 2021", "2021-05", NULL);
    /* A blank "ngày ... tháng ... năm 2024" template is the year only. */
    const char *tpl = "Nghệ An, ngày    tháng    năm 2024";
    pledgex_doc *doc = tx_run(tpl, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "date", NULL), 1);
    expect_date_in(doc, tpl, "2024", NULL);
    pledgex__doc_free(&doc);
}

static void test_dates_nam_alone_is_a_year_not_a_date(void)
{
    tx_expect_no_date("thực hiện kế hoạch 5 năm và hằng năm");
    tx_expect_no_date("trong những năm qua, năm nay các đơn vị");
}

static void test_dates_non_dates(void)
{
    tx_expect_no_date("thực hiện Kế hoạch số 45/KH-HĐTĐKT của Hội đồng");
    tx_expect_no_date("giải ngân đạt 95% kế hoạch");
    tx_expect_no_date("thu ngân sách 14.100 tỷ đồng");
    tx_expect_no_date("tỷ lệ 32/13 và ngày 32/13");
    tx_expect_no_date("ngày 31/2 và ngày 30/02/2023");
    tx_expect_no_date("Quyết định 1234/QĐ-UBND, số 12/2023/NĐ-CP");
    tx_expect_no_date("tăng 3,5% so với 12.500");
}

/* ---- commitments ---------------------------------------------------- */

static const char *pledge =
    "các đơn vị thống nhất ký giao ước thi đua với 4 nội dung sau:\n"
    "1. Thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2024 và\n"
    "kế hoạch\n"
    "\n"
    "5 năm (2021-2025) theo Nghị quyết Đại hội.\n"
    "2. Đẩy mạnh phong trào \"Chung sức xây dựng nông thôn mới\".\n"
    "3. Hưởng ứng phong trào “Vì người nghèo - Không để ai bị bỏ lại phía sau”, đạt\n"
    "danh hiệu “Cờ thi đua của Chính phủ”.\n"
    "Trên đây là nội dung giao ước.\n";

static void test_commitments_items_joined_across_wrapped_lines(void)
{
    pledgex_doc *doc = tx_run(pledge, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "item"), 3);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment",
                                   "Thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã "
                                   "hội năm 2024 và kế hoạch 5 năm (2021-2025) theo Nghị quyết "
                                   "Đại hội.", 0));
    /* A line after a finished item is not part of it. */
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment",
                                   "Hưởng ứng phong trào “Vì người nghèo - Không để ai bị bỏ lại "
                                   "phía sau”, đạt danh hiệu “Cờ thi đua của Chính phủ”.", 0));
    pledgex__doc_free(&doc);
}

static void test_commitments_stated_count_checked(void)
{
    pledgex_doc *doc = tx_run(pledge, NULL, NULL);
    const pledgex_doc_entity *e = tx_find(doc, "commitment", "stated 4 found 3", 1);
    CU_ASSERT_PTR_NOT_NULL(e);
    if (e) {
        CU_ASSERT_STRING_EQUAL(e->role, "count");
        CU_ASSERT_STRING_EQUAL(e->text, "với 4 nội dung");
    }
    pledgex__doc_free(&doc);
    /* A count elsewhere in the text; percentages and targets are none. */
    doc = tx_run("Hoàn thành 100% chỉ tiêu và 12 chỉ tiêu kinh tế; các đơn vị cam kết thực "
                 "hiện 3 nội dung thi đua.\n1. Một.\n2. Hai.\n", NULL, NULL);
    e = tx_find(doc, "commitment", "stated 3 found 2", 1);
    CU_ASSERT_PTR_NOT_NULL(e);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "count"), 1);
    pledgex__doc_free(&doc);
    /* When the count agrees nothing is reported. */
    doc = tx_run("gồm 2 nội dung:\n1. Một nội dung\ndài hai dòng.\n2. Nội dung khác.\n", NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "item"), 2);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "count"), 0);
    pledgex__doc_free(&doc);
}

static void test_commitments_sections_hold_items(void)
{
    const char *text = "I. THI ĐUA HOÀN THÀNH NHIỆM VỤ CHUYÊN MÔN\n"
                       "a) Tham mưu kịp thời các chủ trương, chính sách phát triển kinh tế -\n"
                       "xã hội của tỉnh.\n"
                       "b) Đẩy mạnh cải cách hành chính.\n"
                       "II. Thi đua xây dựng cơ quan vững mạnh\n"
                       "a) Hưởng ứng các phong trào thi đua.\n"
                       "- Tổ chức tốt các hoạt động;\n"
                       "- Tham gia đầy đủ các hoạt động của Khối.\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "section"), 3);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "item"), 4);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment", "THI ĐUA HOÀN THÀNH NHIỆM VỤ CHUYÊN MÔN", 0));
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment",
                                   "Tham mưu kịp thời các chủ trương, chính sách phát triển kinh "
                                   "tế - xã hội của tỉnh.", 0));
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment", "Tham gia đầy đủ các hoạt động của Khối.", 0));
    pledgex__doc_free(&doc);
}

static void test_commitments_movements_in_quotes(void)
{
    const char *text = "phong trào &ldquo;Toàn dân đoàn kết xây dựng đời sống văn hóa&rdquo; và "
                       "\"Chung sức xây dựng nông thôn mới\", “Thi đua Quyết thắng”; được tặng "
                       "danh hiệu “Cờ thi đua của Chính phủ” và gọi là \"tốt\".";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "movement"), 3);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment", "Toàn dân đoàn kết xây dựng đời sống văn hóa", 0));
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment", "Chung sức xây dựng nông thôn mới", 0));
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment", "Thi đua Quyết thắng", 0));
    CU_ASSERT_PTR_NULL(tx_find(doc, "commitment", "Cờ thi đua của Chính phủ", 0));
    pledgex__doc_free(&doc);
}

static void test_commitments_slash_and_dotted_letter_markers(void)
{
    const char *text = "1/ Thi đua hoàn thành nhiệm vụ:\n"
                       "a. Tham mưu kịp thời cho Tỉnh ủy;\n"
                       "b. Thực hiện tốt cải cách hành chính.\n"
                       "2/ Xây dựng cơ quan vững mạnh.\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "section"), 1);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "item"), 3);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment", "Tham mưu kịp thời cho Tỉnh ủy;", 0));
    pledgex__doc_free(&doc);
}

static void test_commitments_decimal_sub_items(void)
{
    const char *text = "1. Thi đua hoàn thành nhiệm vụ chính trị\n"
                       "1.1. Hoàn thành 100% chỉ tiêu được giao;\n"
                       "1.2 Giải ngân vốn đầu tư công đạt\n"
                       "1.5 tỷ đồng trong năm.\n"
                       "2. Xây dựng cơ quan vững mạnh.\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "section"), 1);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "item"), 3);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment",
                                   "Giải ngân vốn đầu tư công đạt 1.5 tỷ đồng trong năm.", 0));
    pledgex__doc_free(&doc);
}

static void test_commitments_numbers_in_prose_are_not_items(void)
{
    /* A wrapped line that starts with a number out of sequence. */
    const char *text = "1. Giải ngân vốn đầu tư công đạt\n"
                       "95. phần trăm kế hoạch năm.\n"
                       "2. Hoàn thành chuyển đổi số.\n";
    pledgex_doc *doc = tx_run(text, NULL, NULL);
    CU_ASSERT_EQUAL(tx_count(doc, "commitment", "item"), 2);
    CU_ASSERT_PTR_NOT_NULL(tx_find(doc, "commitment",
                                   "Giải ngân vốn đầu tư công đạt 95. phần trăm kế hoạch năm.", 0));
    pledgex__doc_free(&doc);
}

/* ---- robustness ----------------------------------------------------- */

static void test_extract_hostile_input(void)
{
    /* Invalid UTF-8, NULs cut the string, lone markers, unclosed quotes,
     * a flood of digits and slashes. */
    char buf[4096];
    for (size_t i = 0; i < sizeof buf - 1; i++)
        buf[i] = (char)("1/2-3.“\"\n\xff\xc3 Sở UBND tỉnh ngày 31/12/9999 năm (2021-"[i % 47]);
    buf[sizeof buf - 1] = '\0';
    pledgex_doc *doc = tx_run(buf, NULL, NULL);
    pledgex__doc_free(&doc);
    doc = tx_run("", NULL, NULL);
    CU_ASSERT_EQUAL(doc->nentities, 0);
    pledgex__doc_free(&doc);
    doc = tx_run("\"", NULL, NULL);
    pledgex__doc_free(&doc);
}

static void test_extract_huge_text_is_capped(void)
{
    /* Generated at test time: 6 MB of repeated pledge text. */
    size_t unit = strlen(pledge), n = (6u << 20) / unit + 1;
    char *big = malloc(n * unit + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    for (size_t i = 0; i < n; i++)
        memcpy(big + i * unit, pledge, unit);
    big[n * unit] = '\0';
    pledgex_doc *doc = pledgex__doc_new("big.txt");
    CU_ASSERT_EQUAL_FATAL(pledgex__doc_add_block(doc, "text", 1, big, 1.0, 0), PLEDGEX_OK);
    free(big);
    char err[256] = "";
    CU_ASSERT_EQUAL(pledgex__extract_doc(doc, NULL, err, sizeof err), PLEDGEX_WARN);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "only the start"));
    CU_ASSERT_TRUE(tx_count(doc, "commitment", "item") > 0);
    pledgex__doc_free(&doc);
}

/* The phrase index gives, at a word, the entries starting with that word
 * and only those, in table order (rules rely on "first match wins"). */
static void test_extract_phrase_index_keeps_table_order(void)
{
    static const char *const table[] = {"uy ban nhan dan", "so tu phap", "uy ban", "uy",
                                        "cong an"};
    px_phrase_index *x = pledgex__xphrase_new(table, 5, sizeof table[0], 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    px_text t;
    const char *text = "ỦY BAN nhân dân, Công an và Sở";
    CU_ASSERT_EQUAL_FATAL(pledgex__xtext_init(&t, text, strlen(text)), 0);
    size_t got[8] = {0}, n = 0;
    for (size_t k = pledgex__xphrase_first(x, &t, 0); k != PX_PHRASE_END && n < 8;
         k = pledgex__xphrase_next(x, k))
        got[n++] = k;
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_TRUE(n == 3 && got[0] == 0 && got[1] == 2 && got[2] == 3);
    CU_ASSERT_EQUAL(pledgex__xw_seq(&t, 0, table[got[0]], 0), 4);
    /* "nhân" starts no entry; "Công" starts one; "Sở" starts "so tu phap" */
    CU_ASSERT_EQUAL(pledgex__xphrase_first(x, &t, 2), PX_PHRASE_END);
    CU_ASSERT_EQUAL(pledgex__xphrase_first(x, &t, 4), 4);
    size_t k = pledgex__xphrase_first(x, &t, 7);
    CU_ASSERT_EQUAL(k, 1);
    CU_ASSERT_EQUAL(pledgex__xw_seq(&t, 7, table[1], 0), 0); /* only a candidate */
    CU_ASSERT_EQUAL(pledgex__xphrase_first(x, &t, t.nw), PX_PHRASE_END);
    pledgex__xtext_fini(&t);
    pledgex__xphrase_free(x);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("extract", NULL, NULL);
    if (!s)
        return 99;
    TU_TEST(s, test_dates_numeric_with_time);
    TU_TEST(s, test_dates_dashed_and_dotted);
    TU_TEST(s, test_dates_day_month_year_in_words);
    TU_TEST(s, test_dates_day_month_takes_year_from_document_date);
    TU_TEST(s, test_dates_day_month_takes_year_from_attributes);
    TU_TEST(s, test_dates_day_month_takes_nearest_year);
    TU_TEST(s, test_dates_month_year);
    TU_TEST(s, test_dates_quarter);
    TU_TEST(s, test_dates_year);
    TU_TEST(s, test_dates_periods);
    TU_TEST(s, test_dates_deadline);
    TU_TEST(s, test_dates_month_nam_is_may);
    TU_TEST(s, test_dates_nam_alone_is_a_year_not_a_date);
    TU_TEST(s, test_dates_non_dates);
    TU_TEST(s, test_commitments_items_joined_across_wrapped_lines);
    TU_TEST(s, test_commitments_stated_count_checked);
    TU_TEST(s, test_commitments_sections_hold_items);
    TU_TEST(s, test_commitments_movements_in_quotes);
    TU_TEST(s, test_commitments_slash_and_dotted_letter_markers);
    TU_TEST(s, test_commitments_decimal_sub_items);
    TU_TEST(s, test_commitments_numbers_in_prose_are_not_items);
    TU_TEST(s, test_extract_phrase_index_keeps_table_order);
    TU_TEST(s, test_extract_hostile_input);
    TU_TEST(s, test_extract_huge_text_is_capped);
    tx_add_unit_tests(s);
    tx_add_people_tests(s);
    return tu_main();
}
