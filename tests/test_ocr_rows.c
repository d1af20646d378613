/*
 * test_ocr_rows.c -- the reading order of a page's lines
 * (plugins/ocr/ocr_rows.c) on line boxes made up to the shapes tesseract
 * reports: a line cut in two by the layout, a signature row whose right
 * half was read first, two columns, a document header in two columns.
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
    char out[512];
    read_out(lines, 5, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "6. Tổng kết|Giám đốc Cục trưởng|Trần Văn Bình Lê Thị Hoa");
}

/* Halves read in order across a wide gap stay lines of their own: the
 * two columns of a page, the header of a document (agency on the left,
 * the country's motto on the right, read as two blocks). */
static void test_rows_columns_read_in_order_kept(void)
{
    ocr_line header[] = {
        line("ỦY BAN NHÂN DÂN", 100, 500, 100, 0),
        line("SỞ TƯ PHÁP", 150, 450, 150, 0),
        line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 700, 1200, 100, 0),
        line("Độc lập - Tự do - Hạnh phúc", 750, 1150, 150, 0),
    };
    char out[512];
    read_out(header, 4, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "ỦY BAN NHÂN DÂN|SỞ TƯ PHÁP|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|"
                                "Độc lập - Tự do - Hạnh phúc");
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
    char out[512];
    read_out(lines, 12, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "r1|r2|r3|r4|r5|r6|l1|l2|l3|l4|l5|l6");
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
    TU_TEST(s, test_rows_columns_read_in_order_kept);
    TU_TEST(s, test_rows_many_swapped_rows_left_alone);
    TU_TEST(s, test_rows_cut_line_rejoined);
    return tu_main();
}
