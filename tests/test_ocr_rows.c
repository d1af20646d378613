/*
 * test_ocr_rows.c -- the reading order of a page's lines
 * (plugins/ocr/ocr_rows.c) on line boxes made up to the shapes tesseract
 * reports: a line cut in two by the layout, a signature row whose right
 * half was read first, signature columns and a document header read as
 * blocks after their left parts, columns of running text.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "ocr.h"
#include "testutil.h"

/* Line height of the made-up page (rise + drop). */
#define H 30

/* A line box of text `text` from x l to r, its baseline at `base` on
 * the left and `base + lift` on the right. */
static ocr_line line(const char *text, int l, int r, int base, int lift)
{
    ocr_line li;
    memset(&li, 0, sizeof li);
    li.text = (char *)text;
    li.l = l;
    li.r = r;
    li.t = base - 22;
    li.b = base + 8;
    li.base = base + lift / 2;
    li.base_l = base;
    li.base_r = base + lift;
    return li;
}

/* The text in reading order, rows joined by a space, lines by "|". */
static void read_out(const ocr_line *lines, int n, char *out, size_t outlen)
{
    int order[16];
    unsigned char join[16];
    pledgex__ocr_row_order(lines, n, H, order, join);
    size_t len = 0;
    out[0] = 0;
    for (int k = 0; k < n && len < outlen; k++) {
        const char *sep = k == 0 ? "" : join[order[k]] ? " " : "|";
        len += (size_t)snprintf(out + len, outlen - len, "%s%s", sep, lines[order[k]].text);
    }
}

/* The page read out is `expected` (a macro: a failure names the test's
 * line). */
#define ASSERT_READS(lines, n, expected)                                 \
    do {                                                                 \
        char out_[512];                                                  \
        read_out(lines, n, out_, sizeof out_);                           \
        CU_ASSERT_STRING_EQUAL(out_, expected);                          \
    } while (0)

/* The signature rows of a photographed pledge: the right-hand column
 * (lifted by the perspective: its baselines 8 px higher 500 px further
 * right, the rows sloping up 1 in 70) read as a block before the
 * left-hand one. */
static void test_rows_signature_right_half_read_first(void)
{
    ocr_line lines[] = {
        line("6. Tổng kết", 100, 1100, 400, -10),
        line("Cục trưởng", 800, 1000, 492, -3),
        line("Lê Thị Hoa", 800, 1000, 542, -3),
        line("Giám đốc", 100, 300, 500, -3),
        line("Trần Văn Bình", 100, 320, 550, -3),
    };
    ASSERT_READS(lines, 5, "6. Tổng kết|Giám đốc Cục trưởng|Trần Văn Bình Lê Thị Hoa");
}

/* The same on a page photographed sloping down to the right (1 in 80,
 * measured on its long line), the left column's short lines with flat
 * baselines: across the 1100 px gap the right column's rows stand 14 px
 * (half a line) lower than the left's, which only the page's slope
 * explains (seed 11 page 12 of bench/ocr/random_pages.py). */
static void test_rows_signature_right_half_read_first_sloping(void)
{
    ocr_line lines[] = {
        line("SỞ KẾ HOẠCH VÀ ĐẦU TƯ (Khối trưởng) CỤC THUẾ TỈNH (Khối phó)", 100, 2000, 400, 24),
        line("Cục trưởng", 1400, 1600, 514, 0),
        line("Lê Thị Hoa", 1400, 1600, 564, 0),
        line("Giám đốc", 100, 300, 500, 0),
        line("Trần Văn Bình", 100, 300, 550, 0),
    };
    ASSERT_READS(lines, 5,
                 "SỞ KẾ HOẠCH VÀ ĐẦU TƯ (Khối trưởng) CỤC THUẾ TỈNH (Khối phó)|"
                 "Giám đốc Cục trưởng|Trần Văn Bình Lê Thị Hoa");
}

/* A document's header, agency on the left and the country's motto on
 * the right, read as two blocks: the page reads row by row, as the
 * header is written out ("UBND TỈNH ...      CỘNG HÒA XÃ HỘI ..."). */
static void test_rows_header_columns_joined(void)
{
    ocr_line header[] = {
        line("ỦY BAN NHÂN DÂN", 100, 500, 100, 0),
        line("SỞ TƯ PHÁP", 150, 450, 150, 0),
        line("Số: 12/KH", 150, 400, 200, 0),
        line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 700, 1200, 100, 0),
        line("Độc lập - Tự do - Hạnh phúc", 750, 1150, 150, 0),
    };
    ASSERT_READS(header, 5,
                 "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|"
                 "SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc|Số: 12/KH");
}

/* Three signers, each column read as a block of its own after the one
 * on its left, on a photographed page whose rows slope down 1 in 25 (the
 * third column's row 64 px below the first's: only the row's slope tells
 * which row it is on): each row is put back together, the third column
 * after the second. */
static void test_rows_signature_columns_read_after_joined(void)
{
    ocr_line lines[] = {
        line("4) Tổng kết vào Quý IV/2025.", 100, 1200, 100, 44),
        line("TM. UBND XÃ Y TÝ", 100, 400, 160, 12),
        line("CHỦ TỊCH", 100, 400, 210, 12),
        line("Sần Văn Sơn", 100, 400, 260, 12),
        line("TM. UBND XÃ TRỊNH TƯỜNG", 900, 1200, 192, 12),
        line("PHÓ CHỦ TỊCH", 900, 1200, 242, 12),
        line("Lý Thị Mai", 900, 1200, 292, 12),
        line("TM. UBND XÃ MƯỜNG HUM", 1700, 2000, 224, 12),
        line("CHỦ TỊCH", 1700, 2000, 274, 12),
        line("Phùng A Phử", 1700, 2000, 324, 12),
    };
    ASSERT_READS(lines, 10,
                 "4) Tổng kết vào Quý IV/2025.|"
                 "TM. UBND XÃ Y TÝ TM. UBND XÃ TRỊNH TƯỜNG TM. UBND XÃ MƯỜNG HUM|"
                 "CHỦ TỊCH PHÓ CHỦ TỊCH CHỦ TỊCH|Sần Văn Sơn Lý Thị Mai Phùng A Phử");
}

/* The right part of one row read after the rows below it, alone (the
 * rest of its column joined its rows already): no line of its column
 * just before or after it in the reading, so it is no column of text. */
static void test_rows_lone_right_part_joined(void)
{
    ocr_line lines[] = {
        line("SỞ KẾ HOẠCH VÀ ĐẦU TƯ (Khối trưởng)", 100, 700, 100, 0),
        line("Giám đốc Cục trưởng", 150, 1150, 150, 0),
        line("Trần Văn Bình Lê Thị Hoa", 120, 1170, 200, 0),
        line("CỤC THUẾ TỈNH (Khối phó)", 900, 1300, 100, 0),
    };
    ASSERT_READS(lines, 4,
                 "SỞ KẾ HOẠCH VÀ ĐẦU TƯ (Khối trưởng) CỤC THUẾ TỈNH (Khối phó)|"
                 "Giám đốc Cục trưởng|Trần Văn Bình Lê Thị Hoa");
}

/* Two columns of running text whose rows line up, read column by
 * column: more rows than a signature block has, left as read. */
static void test_rows_text_columns_read_in_order_kept(void)
{
    ocr_line lines[16];
    static const char *const left[] = {"l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8"};
    static const char *const right[] = {"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"};
    for (int i = 0; i < 8; i++) {
        lines[i] = line(left[i], 100, 600, 100 + 50 * i, 0);
        lines[8 + i] = line(right[i], 700, 1200, 100 + 50 * i, 0);
    }
    ASSERT_READS(lines, 16, "l1|l2|l3|l4|l5|l6|l7|l8|r1|r2|r3|r4|r5|r6|r7|r8");
}

/* Two columns of text in different line spacings: now and then a row
 * of one lines up with a row of the other.  A lone line is no signature
 * block: nothing moves. */
static void test_rows_lone_aligned_line_kept(void)
{
    ocr_line lines[] = {
        line("l1", 100, 600, 100, 0), line("l2", 100, 600, 150, 0),
        line("l3", 100, 600, 200, 0), line("l4", 100, 600, 250, 0),
        line("r1", 700, 1200, 100, 0), line("r2", 700, 1200, 170, 0),
        line("r3", 700, 1200, 240, 0),
    };
    ASSERT_READS(lines, 7, "l1|l2|l3|l4|r1|r2|r3");
}

/* A right column read first over more rows than a signature block has:
 * a page in columns, left as tesseract ordered it. */
static void test_rows_many_swapped_rows_left_alone(void)
{
    ocr_line lines[12];
    static const char *const right[] = {"r1", "r2", "r3", "r4", "r5", "r6"};
    static const char *const left[] = {"l1", "l2", "l3", "l4", "l5", "l6"};
    for (int i = 0; i < 6; i++) {
        lines[i] = line(right[i], 700, 1200, 100 + 50 * i, 0);
        lines[6 + i] = line(left[i], 100, 600, 100 + 50 * i, 0);
    }
    ASSERT_READS(lines, 12, "r1|r2|r3|r4|r5|r6|l1|l2|l3|l4|l5|l6");
}

/* A line cut by the layout (a word gap, narrow) and read after the
 * whole left block is put back on its row, as before. */
static void test_rows_cut_line_rejoined(void)
{
    ocr_line lines[] = {
        line("2. Đẩy mạnh phong trào", 100, 600, 100, 2),
        line("3. Thực hiện tốt", 100, 500, 150, 2),
        line("\"Cả nước chung tay", 610, 1000, 102, 2),
    };
    char out[512];
    read_out(lines, 3, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "2. Đẩy mạnh phong trào \"Cả nước chung tay|3. Thực hiện tốt");
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("ocr_rows", NULL, NULL);
    TU_TEST(s, test_rows_signature_right_half_read_first);
    TU_TEST(s, test_rows_signature_right_half_read_first_sloping);
    TU_TEST(s, test_rows_header_columns_joined);
    TU_TEST(s, test_rows_signature_columns_read_after_joined);
    TU_TEST(s, test_rows_text_columns_read_in_order_kept);
    TU_TEST(s, test_rows_lone_aligned_line_kept);
    TU_TEST(s, test_rows_lone_right_part_joined);
    TU_TEST(s, test_rows_many_swapped_rows_left_alone);
    TU_TEST(s, test_rows_cut_line_rejoined);
    return tu_main();
}
