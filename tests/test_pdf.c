/*
 * test_pdf.c -- the "pdf" plugin through the recording host: born-digital
 * pages read from their text layer, junk layers judged, scanned and
 * mojibake pages OCR'd page by page, encryption, damage, limits, and the
 * searchable PDF output.
 *
 * Fixtures are drawn at test time with cairo (test_pdf_gen.c); encrypted
 * ones are made with qpdf.  Tests that need OCR run only when tesseract's
 * vie, eng and osd data are installed; without them the program exits 77
 * after the other tests pass.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <glib.h>
#include <poppler.h>

#include "../plugins/pdf/pdf.h"
#include "plugin_harness.h"
#include "test_pdf_gen.h"

static char tmp[1024];
static const pledgex_plugin *plugin;

/* Page texts: lines short enough for an A5 page at 13 pt. */
static const char *P1 = "BẢN GIAO ƯỚC THI ĐUA NĂM 2024\n"
                        "Căn cứ kế hoạch phát động phong trào\n"
                        "thi đua yêu nước, các đơn vị cùng nhau\n"
                        "ký kết giao ước thi đua.";
static const char *P2 = "Điều 1. Thực hiện tốt nhiệm vụ chính trị\n"
                        "được giao, phấn đấu hoàn thành vượt mức\n"
                        "các chỉ tiêu kế hoạch.";
static const char *P3 = "Điều 2. Đẩy mạnh cải cách hành chính,\n"
                        "ứng dụng công nghệ thông tin trong\n"
                        "quản lý và điều hành.";
static const char *P4 = "Hội nghị ký kết giao ước thi đua của\n"
                        "Khối thi đua các cơ quan Đảng tỉnh\n"
                        "Nghệ An, ngày 19 tháng 3 năm 2024.\n"
                        "Các đơn vị thống nhất đăng ký danh hiệu\n"
                        "thi đua và ký giao ước.";

static const char *path_of(const char *name)
{
    static char buf[4][2048];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmp, name);
    return buf[k];
}

static harness_result *run_pdf(const char *name)
{
    return harness_run(plugin, path_of(name), "application/pdf");
}

static int make(const char *name, const pdfgen_page *pages, int n)
{
    return pdfgen_write(path_of(name), pages, n);
}

/* Share of the words of `expected` found in `text` (case-folded). */
static double word_share(const char *text, const char *expected)
{
    char *t = g_utf8_casefold(text, -1);
    char *tn = g_utf8_normalize(t, -1, G_NORMALIZE_NFC);
    char *e = g_utf8_casefold(expected, -1);
    char *en = g_utf8_normalize(e, -1, G_NORMALIZE_NFC);
    char **words = g_strsplit_set(en, " \n,.", -1);
    int n = 0, found = 0;
    for (int i = 0; words[i]; i++) {
        if (!*words[i])
            continue;
        n++;
        if (strstr(tn, words[i]))
            found++;
    }
    g_strfreev(words);
    g_free(t);
    g_free(tn);
    g_free(e);
    g_free(en);
    return n ? (double)found / n : 0;
}

static int has_warning(const harness_result *r, const char *needle)
{
    for (size_t i = 0; i < r->nwarnings; i++)
        if (r->warnings[i] && strstr(r->warnings[i], needle))
            return 1;
    return 0;
}

static char *nfc(const char *s)
{
    return g_utf8_normalize(s, -1, G_NORMALIZE_NFC);
}

/* ---- descriptor, syllables, judge -------------------------------------- */

static void test_pdf_descriptor_claims_pdf(void)
{
    CU_ASSERT_STRING_EQUAL(plugin->name, "pdf");
    int found = 0;
    for (const pledgex_claim *c = plugin->claims; c->mime; c++)
        if (!strcmp(c->mime, "application/pdf") && c->priority == 60)
            found = 1;
    CU_ASSERT(found);
    CU_ASSERT_PTR_NOT_NULL(plugin->process);
}

static void test_pdf_syllable_check(void)
{
    static const char *valid[] = {"nghiệp", "quyết", "Nguyễn", "giữa", "gìn", "khuỷu", "được",
                                  "thuở", "Đảng", "ĐỒNG", "yêu", "hoàng", "tuyển", "ngoài",
                                  "giếng", "rượu", "khuấy", "thuế", "oanh", "ước"};
    static const char *invalid[] = {"nghÞ", "®ua", "cña", "n¨m", "c«ng", "viÖc", "lµ",
                                    "càt", "hóả", "José", "Müller", "tØnh", "­íc", "ñy"};
    for (size_t i = 0; i < G_N_ELEMENTS(valid); i++) {
        int ok = pledgex__pdf_viet_syllable(valid[i], strlen(valid[i]));
        if (!ok)
            fprintf(stderr, "\n  rejected valid syllable %s\n", valid[i]);
        CU_ASSERT(ok);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(invalid); i++) {
        int ok = pledgex__pdf_viet_syllable(invalid[i], strlen(invalid[i]));
        if (ok)
            fprintf(stderr, "\n  accepted invalid syllable %s\n", invalid[i]);
        CU_ASSERT(!ok);
    }
    /* Decomposed input is the same syllable. */
    char *nfd = g_utf8_normalize("nghiệp", -1, G_NORMALIZE_NFD);
    CU_ASSERT(pledgex__pdf_viet_syllable(nfd, strlen(nfd)));
    g_free(nfd);
}

static void test_pdf_judge_layers(void)
{
    pdf_layer_stats st;
    char *all = g_strjoin("\n", P1, P2, P3, P4, NULL);
    CU_ASSERT_EQUAL(pledgex__pdf_judge(all, 0, 0, &st), PDF_LAYER_REAL);
    CU_ASSERT(st.judged > 20);
    CU_ASSERT_EQUAL(st.invalid, 0);
    /* The same text with a full-page picture behind it is still text. */
    CU_ASSERT_EQUAL(pledgex__pdf_judge(all, 1.0, 0.0, NULL), PDF_LAYER_REAL);

    char *moji = pdfgen_tcvn3_mojibake(all);
    CU_ASSERT_EQUAL(pledgex__pdf_judge(moji, 0, 0, &st), PDF_LAYER_MOJIBAKE);
    CU_ASSERT(st.invalid > st.judged / 2);
    free(moji);
    g_free(all);

    /* A short heading is enough. */
    char *heading = pdfgen_tcvn3_mojibake("UBND TỈNH NGHỆ AN\nBẢN GIAO ƯỚC THI ĐUA");
    CU_ASSERT_EQUAL(pledgex__pdf_judge(heading, 0, 0, NULL), PDF_LAYER_MOJIBAKE);
    free(heading);
    CU_ASSERT_EQUAL(pledgex__pdf_judge("UBND TỈNH NGHỆ AN\nBẢN GIAO ƯỚC THI ĐUA", 0, 0, NULL),
                    PDF_LAYER_REAL);

    /* A few French or German words are not mojibake. */
    CU_ASSERT_EQUAL(pledgex__pdf_judge("Der Ausschuss traf sich in München. Les élèves ont "
                                       "signé à Genève le règlement.",
                                       0, 0, NULL),
                    PDF_LAYER_REAL);

    /* VNI-Times, the other legacy encoding: marks as separate Latin-1 bytes. */
    const char *vni = "Hoäi nghò kyù keát giao öôùc thi ñua cuûa Khoái thi ñua caùc cô "
                      "quan Ñaûng tænh Ngheä An naêm 2024, caùc ñôn vò thoáng nhaát.";
    CU_ASSERT_EQUAL(pledgex__pdf_judge(vni, 0, 0, NULL), PDF_LAYER_MOJIBAKE);

    /* Vietnamese without marks: over a scan, a foreign OCR layer; typed. */
    char *plain = g_strjoin(" ", P1, P2, P3, P4, NULL);
    char *folded = g_utf8_normalize(plain, -1, G_NORMALIZE_NFD);
    GString *ascii = g_string_new(NULL);
    for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x80)
            g_string_append_c(ascii, (char)c);
        else if (c == 0x111 || c == 0x110)
            g_string_append_c(ascii, c == 0x111 ? 'd' : 'D');
    }
    CU_ASSERT_EQUAL(pledgex__pdf_judge(ascii->str, 1.0, 0.05, &st), PDF_LAYER_UNMARKED);
    CU_ASSERT_EQUAL(pledgex__pdf_judge(ascii->str, 0.0, 0.05, NULL), PDF_LAYER_REAL);
    g_string_free(ascii, TRUE);
    g_free(folded);
    g_free(plain);

    const char *english = "The committee signed the emulation pledge on 19 March 2024. "
                          "Every unit agreed to report its progress each quarter.";
    CU_ASSERT_EQUAL(pledgex__pdf_judge(english, 0, 0, NULL), PDF_LAYER_REAL);
    /* English OCR over a scan is not mistaken for unmarked Vietnamese. */
    const char *english_long =
        "The committee signed the emulation pledge on 19 March 2024. Every unit agreed "
        "to report its progress each quarter, to train its staff, to reduce paperwork "
        "and to publish the results of the movement on the provincial portal before "
        "the end of the year, as the plan of the council requires.";
    CU_ASSERT_EQUAL(pledgex__pdf_judge(english_long, 1.0, 0.05, &st), PDF_LAYER_REAL);
    const char *russian = "Соглашение о соревновании подписано всеми подразделениями.";
    CU_ASSERT_EQUAL(pledgex__pdf_judge(russian, 0, 0, NULL), PDF_LAYER_REAL);
    CU_ASSERT_EQUAL(pledgex__pdf_judge("", 0, 0, NULL), PDF_LAYER_EMPTY);
    CU_ASSERT_EQUAL(pledgex__pdf_judge(" \n\t ", 0, 0, NULL), PDF_LAYER_EMPTY);
    CU_ASSERT_EQUAL(pledgex__pdf_judge(NULL, 0, 0, NULL), PDF_LAYER_EMPTY);
    /* A scanner's stamp over a page-sized picture, or alone on a page. */
    CU_ASSERT_EQUAL(pledgex__pdf_judge("Scanned by CamScanner", 0.95, 0.001, NULL),
                    PDF_LAYER_STRAY);
    CU_ASSERT_EQUAL(pledgex__pdf_judge("Scanned by CamScanner", 0.0, 0, NULL), PDF_LAYER_REAL);
    /* The same few words spread like a page's OCR layer are its text. */
    CU_ASSERT_EQUAL(pledgex__pdf_judge("Scanned by CamScanner", 0.95, 0.05, NULL),
                    PDF_LAYER_REAL);
    CU_ASSERT_EQUAL(pledgex__pdf_judge("\x01\x02\x03\x04 \x05\x06 abc", 0, 0, NULL),
                    PDF_LAYER_UNDECODABLE);
    CU_ASSERT_EQUAL(pledgex__pdf_judge("\xee\x80\x81\xee\x80\x82\xee\x80\x83", 0, 0, NULL),
                    PDF_LAYER_UNDECODABLE);
    CU_ASSERT_EQUAL(pledgex__pdf_judge("\xff\xfe broken", 0, 0, NULL), PDF_LAYER_UNDECODABLE);
}

static void test_pdf_render_dpi_limits(void)
{
    double dpi = 0;
    char err[300];
    CU_ASSERT_EQUAL(pledgex__pdf_render_dpi(595, 842, 100000000, &dpi, err, sizeof err),
                    PLEDGEX_OK);
    CU_ASSERT_DOUBLE_EQUAL(dpi, 300.0, 0.01);
    /* A0 at 300 dpi is 140 megapixels: rendered lower, within the limit. */
    CU_ASSERT_EQUAL(pledgex__pdf_render_dpi(2384, 3370, 100000000, &dpi, err, sizeof err),
                    PLEDGEX_OK);
    CU_ASSERT(dpi < 300 && dpi >= 150);
    CU_ASSERT((2384 / 72.0 * dpi) * (3370 / 72.0 * dpi) <= 100000000.0);
    /* Too big even at 150 dpi: refused, naming the option. */
    CU_ASSERT_EQUAL(pledgex__pdf_render_dpi(595, 842, 1000000, &dpi, err, sizeof err),
                    PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "--max-pixels"));
    CU_ASSERT_EQUAL(pledgex__pdf_render_dpi(0, 842, 1000000, &dpi, err, sizeof err),
                    PLEDGEX_FAILED);
    /* A 200-inch page never asks cairo for more than 32767 pixels a side. */
    CU_ASSERT_EQUAL(pledgex__pdf_render_dpi(14400, 14400, INT64_C(1) << 40, &dpi, err,
                                            sizeof err),
                    PLEDGEX_OK);
    CU_ASSERT(14400 / 72.0 * dpi <= 32767.0);
    CU_ASSERT_EQUAL(pledgex__pdf_render_dpi(14400, 14400, 100000000, &dpi, err, sizeof err),
                    PLEDGEX_FAILED);
}

/* ---- born-digital ---------------------------------------------------------- */

static void test_pdf_born_digital_read_exactly(void)
{
    pdfgen_page pages[] = {{PDFGEN_TEXT, P4}, {PDFGEN_TEXT, P2}};
    CU_ASSERT_FATAL(make("born.pdf", pages, 2) == 0);
    harness_result *r = run_pdf("born.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nblocks, 2);
    const char *want[] = {P4, P2};
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_STRING_EQUAL(r->blocks[i].kind, "pdf-text");
        CU_ASSERT_EQUAL(r->blocks[i].page, i + 1);
        char *a = nfc(r->blocks[i].text), *b = nfc(want[i]);
        CU_ASSERT_STRING_EQUAL(a, b);
        g_free(a);
        g_free(b);
    }
    CU_ASSERT_STRING_EQUAL(harness_attr(r, "kind"), "text");
    CU_ASSERT_EQUAL(r->nwarnings, 0);
    harness_result_free(r);
}

static void test_pdf_max_pages_limit(void)
{
    pdfgen_page pages[] = {{PDFGEN_TEXT, P1}, {PDFGEN_TEXT, P2}, {PDFGEN_TEXT, P3}};
    CU_ASSERT_FATAL(make("three-text.pdf", pages, 3) == 0);
    harness_set_limit("max_pages", 2);
    harness_result *r = run_pdf("three-text.pdf");
    harness_reset_settings();
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_WARN);
    CU_ASSERT_EQUAL(r->nblocks, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "--max-pages"));
    harness_result_free(r);
}

/* A blank page is no OCR work, but still a page: an empty block. */
static void test_pdf_blank_page_skipped(void)
{
    pdfgen_page pages[] = {{PDFGEN_BLANK, NULL}, {PDFGEN_TEXT, P2}};
    CU_ASSERT_FATAL(make("blank.pdf", pages, 2) == 0);
    harness_result *r = run_pdf("blank.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nblocks, 2);
    CU_ASSERT_EQUAL(r->blocks[0].page, 1);
    CU_ASSERT_STRING_EQUAL(r->blocks[0].kind, "pdf-blank");
    CU_ASSERT_STRING_EQUAL(r->blocks[0].text, "");
    CU_ASSERT_EQUAL(r->blocks[1].page, 2);
    CU_ASSERT_STRING_EQUAL(r->blocks[1].kind, "pdf-text");
    harness_result_free(r);
}

/* The mojibake layer never reaches the index, whether or not OCR works. */
static void test_pdf_mojibake_layer_not_trusted(void)
{
    pdfgen_page pages[] = {{PDFGEN_TEXT, P1}, {PDFGEN_MOJIBAKE, P4}};
    CU_ASSERT_FATAL(make("moji-route.pdf", pages, 2) == 0);
    harness_result *r = run_pdf("moji-route.pdf");
    for (size_t i = 0; i < r->nblocks; i++)
        if (r->blocks[i].page == 2)
            CU_ASSERT_STRING_NOT_EQUAL(r->blocks[i].kind, "pdf-text");
    CU_ASSERT(r->nblocks >= 1);
    CU_ASSERT_STRING_EQUAL(r->blocks[0].kind, "pdf-text");
    CU_ASSERT(has_warning(r, "legacy-font"));
    harness_result_free(r);
}

/* A scanner's stamp over a scanned page is not the page's text. */
static void test_pdf_stamp_over_scan_not_trusted(void)
{
    pdfgen_page pages[] = {{PDFGEN_STAMPED, P2}};
    CU_ASSERT_FATAL(make("stamped.pdf", pages, 1) == 0);
    harness_result *r = run_pdf("stamped.pdf");
    for (size_t i = 0; i < r->nblocks; i++)
        CU_ASSERT_STRING_NOT_EQUAL(r->blocks[i].kind, "pdf-text");
    CU_ASSERT(has_warning(r, "a few glyphs"));
    harness_result_free(r);
}

/* ---- encryption, damage, bad input ------------------------------------------ */

static int have_qpdf;

static void test_pdf_encrypted_needs_password(void)
{
    if (!have_qpdf) {
        CU_FAIL("qpdf is not installed (scripts/install-deps.sh)");
        return;
    }
    pdfgen_page pages[] = {{PDFGEN_TEXT, P4}, {PDFGEN_TEXT, P2}};
    CU_ASSERT_FATAL(make("plain.pdf", pages, 2) == 0);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "qpdf --encrypt 'mật khẩu 1' owner-pw 256 -- '%s' '%s' >/dev/null 2>&1",
             path_of("plain.pdf"), path_of("locked.pdf"));
    CU_ASSERT_FATAL(system(cmd) == 0);

    harness_result *r = run_pdf("locked.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_SKIP);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "encrypted"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "password"));
    CU_ASSERT_EQUAL(r->nblocks, 0);
    harness_result_free(r);

    harness_set_option("password", "wrong");
    r = run_pdf("locked.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "password"));
    harness_result_free(r);

    harness_set_option("password", "mật khẩu 1");
    r = run_pdf("locked.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 2);
    if (r->nblocks == 2)
        CU_ASSERT(word_share(r->blocks[0].text, P4) == 1.0);
    harness_result_free(r);
    harness_reset_settings();

    FILE *f = fopen(path_of("pw.txt"), "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("mật khẩu 1\n", f);
    fclose(f);
    harness_set_option("password_file", path_of("pw.txt"));
    r = run_pdf("locked.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 2);
    harness_result_free(r);
    /* An owner password alone (printing restrictions) needs nothing. */
    snprintf(cmd, sizeof cmd, "qpdf --encrypt '' owner-pw 256 -- '%s' '%s' >/dev/null 2>&1",
             path_of("plain.pdf"), path_of("restricted.pdf"));
    CU_ASSERT_FATAL(system(cmd) == 0);
    r = run_pdf("restricted.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 2);
    harness_result_free(r);

    harness_set_option("password_file", path_of("no-such-file"));
    r = run_pdf("locked.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "password file"));
    harness_result_free(r);
    harness_reset_settings();
}

static void test_pdf_attachments_become_members(void)
{
    if (!have_qpdf) {
        CU_FAIL("qpdf is not installed (scripts/install-deps.sh)");
        return;
    }
    pdfgen_page pages[] = {{PDFGEN_TEXT, P4}};
    CU_ASSERT_FATAL(make("host.pdf", pages, 1) == 0);
    const char *note = "Ghi chú: bản gốc của giao ước.\n";
    FILE *f = fopen(path_of("ghi-chu.txt"), "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(note, f);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "qpdf '%s' --add-attachment '%s' --key=ghi-chu.txt -- '%s' >/dev/null 2>&1",
             path_of("host.pdf"), path_of("ghi-chu.txt"), path_of("attached.pdf"));
    CU_ASSERT_FATAL(system(cmd) == 0);
    harness_result *r = run_pdf("attached.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 1);
    CU_ASSERT_EQUAL_FATAL(r->nchildren, 1);
    CU_ASSERT_STRING_EQUAL(r->child_names[0], "ghi-chu.txt");
    CU_ASSERT_STRING_EQUAL(r->child_data[0], note);
    harness_result_free(r);

    /* Over the member size limit: recorded, not extracted. */
    harness_set_limit("max_member_bytes", 10);
    r = run_pdf("attached.pdf");
    harness_reset_settings();
    CU_ASSERT_EQUAL(r->nchildren, 0);
    CU_ASSERT_EQUAL_FATAL(r->nrecords, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->record_reasons[0], "--max-member-bytes"));
    harness_result_free(r);
}

static int truncate_copy(const char *from, const char *to, double share)
{
    struct stat st;
    if (stat(from, &st) != 0)
        return -1;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "head -c %lld '%s' > '%s'", (long long)(st.st_size * share), from,
             to);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_pdf_truncated_keeps_pages(void)
{
    pdfgen_page pages[] = {{PDFGEN_TEXT, P1}, {PDFGEN_TEXT, P2}, {PDFGEN_TEXT, P3},
                           {PDFGEN_TEXT, P4}};
    CU_ASSERT_FATAL(make("four.pdf", pages, 4) == 0);
    /* cairo writes the catalog last: cut, nothing of the document is left. */
    CU_ASSERT_FATAL(truncate_copy(path_of("four.pdf"), path_of("four-cut.pdf"), 0.7) == 0);
    harness_result *r = run_pdf("four-cut.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "damaged"));
    harness_result_free(r);

    if (!have_qpdf) {
        CU_FAIL("qpdf is not installed (scripts/install-deps.sh)");
        return;
    }
    /* Rewritten catalog first (as most producers do): a cut file keeps the
     * pages that were written before the cut. */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "qpdf --object-streams=disable '%s' '%s' >/dev/null 2>&1",
             path_of("four.pdf"), path_of("four-q.pdf"));
    CU_ASSERT_FATAL(system(cmd) == 0);
    CU_ASSERT_FATAL(truncate_copy(path_of("four-q.pdf"), path_of("four-q-cut.pdf"), 0.6) == 0);
    r = run_pdf("four-q-cut.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_WARN);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "damaged"));
    CU_ASSERT(r->nblocks >= 1);
    if (r->nblocks >= 1) {
        CU_ASSERT_EQUAL(r->blocks[0].page, 1);
        CU_ASSERT(word_share(r->blocks[0].text, P1) == 1.0);
    }
    harness_result_free(r);

    /* Only the header left. */
    CU_ASSERT_FATAL(truncate_copy(path_of("four-q.pdf"), path_of("four-head.pdf"), 0.02) == 0);
    r = run_pdf("four-head.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT(strlen(r->err) > 0);
    CU_ASSERT_EQUAL(r->nblocks, 0);
    harness_result_free(r);
}

static void test_pdf_not_a_pdf_fails(void)
{
    FILE *f = fopen(path_of("fake.pdf"), "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("Just text pretending to be a PDF.\n", f);
    fclose(f);
    harness_result *r = run_pdf("fake.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "not a PDF"));
    harness_result_free(r);
    r = harness_run(plugin, path_of("no-such.pdf"), "application/pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    harness_result_free(r);
}

static void test_pdf_scanned_page_over_pixel_limit(void)
{
    pdfgen_page pages[] = {{PDFGEN_SCAN, P1}};
    CU_ASSERT_FATAL(make("scan-one.pdf", pages, 1) == 0);
    harness_set_limit("max_pixels", 500000);
    harness_result *r = run_pdf("scan-one.pdf");
    harness_reset_settings();
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "--max-pixels"));
    CU_ASSERT_EQUAL(r->nblocks, 0);
    harness_result_free(r);
}

/* ---- with OCR ------------------------------------------------------------- */

static void test_pdf_scanned_three_pages_ocr(void)
{
    pdfgen_page pages[] = {{PDFGEN_SCAN, P1}, {PDFGEN_SCAN, P2}, {PDFGEN_SCAN, P3}};
    CU_ASSERT_FATAL(make("scan3.pdf", pages, 3) == 0);
    harness_result *r = run_pdf("scan3.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nblocks, 3);
    const char *want[] = {P1, P2, P3};
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_STRING_EQUAL(r->blocks[i].kind, "ocr");
        CU_ASSERT_EQUAL(r->blocks[i].page, i + 1);
        double s = word_share(r->blocks[i].text, want[i]);
        if (s < 0.9)
            fprintf(stderr, "\n  page %d: %.2f of the words: %s\n", i + 1, s, r->blocks[i].text);
        CU_ASSERT(s >= 0.9);
    }
    CU_ASSERT_STRING_EQUAL(harness_attr(r, "kind"), "scan");
    harness_result_free(r);
}

static void test_pdf_mixed_page_by_page(void)
{
    pdfgen_page pages[] = {{PDFGEN_TEXT, P4}, {PDFGEN_SCAN, P2}, {PDFGEN_TEXT, P3}};
    CU_ASSERT_FATAL(make("mixed.pdf", pages, 3) == 0);
    harness_result *r = run_pdf("mixed.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nblocks, 3);
    const char *kinds[] = {"pdf-text", "ocr", "pdf-text"};
    const char *want[] = {P4, P2, P3};
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(r->blocks[i].page, i + 1);
        CU_ASSERT_STRING_EQUAL(r->blocks[i].kind, kinds[i]);
        CU_ASSERT(word_share(r->blocks[i].text, want[i]) >= 0.9);
    }
    CU_ASSERT_PTR_NULL(harness_attr(r, "kind"));
    harness_result_free(r);
}

static void test_pdf_mojibake_read_by_ocr(void)
{
    pdfgen_page pages[] = {{PDFGEN_MOJIBAKE, P4}};
    CU_ASSERT_FATAL(make("moji.pdf", pages, 1) == 0);
    harness_result *r = run_pdf("moji.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nblocks, 1);
    CU_ASSERT_STRING_EQUAL(r->blocks[0].kind, "ocr");
    double s = word_share(r->blocks[0].text, P4);
    if (s < 0.9)
        fprintf(stderr, "\n  %.2f of the words: %s\n", s, r->blocks[0].text);
    CU_ASSERT(s >= 0.9);
    CU_ASSERT(has_warning(r, "legacy-font"));
    harness_result_free(r);
}

/* A page turned by /Rotate is rendered as a viewer shows it; the OCR
 * plugin turns it upright. */
static void test_pdf_rotated_page_read(void)
{
    if (!have_qpdf) {
        CU_FAIL("qpdf is not installed (scripts/install-deps.sh)");
        return;
    }
    pdfgen_page pages[] = {{PDFGEN_SCAN, P2}};
    CU_ASSERT_FATAL(make("upright.pdf", pages, 1) == 0);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "qpdf --rotate=+90 '%s' '%s' >/dev/null 2>&1",
             path_of("upright.pdf"), path_of("turned.pdf"));
    CU_ASSERT_FATAL(system(cmd) == 0);
    harness_result *r = run_pdf("turned.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nblocks, 1);
    CU_ASSERT_STRING_EQUAL(r->blocks[0].kind, "ocr");
    double s = word_share(r->blocks[0].text, P2);
    if (s < 0.9)
        fprintf(stderr, "\n  %.2f of the words: %s\n", s, r->blocks[0].text);
    CU_ASSERT(s >= 0.9);
    harness_result_free(r);
}

/* Files in dir, counted. */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static void test_pdf_searchable_output(void)
{
    pdfgen_page pages[] = {{PDFGEN_SCAN, P1}, {PDFGEN_SCAN, P2}, {PDFGEN_SCAN, P3}};
    CU_ASSERT_FATAL(make("scan-out.pdf", pages, 3) == 0);
    char out[2048];
    snprintf(out, sizeof out, "%s/searchable.XXXXXX", tmp);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(out));
    harness_set_option("pdf_out", out);
    harness_result *r = run_pdf("scan-out.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 3);
    CU_ASSERT_EQUAL(count_files(out), 1);
    const char *pdf = harness_attr(r, "pdf");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pdf);
    char first[2048];
    snprintf(first, sizeof first, "%s", pdf);
    harness_result_free(r);

    GError *gerr = NULL;
    char *uri = g_filename_to_uri(first, NULL, &gerr);
    PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    g_free(uri);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL(poppler_document_get_n_pages(doc), 3);
    const char *want[] = {P1, P2, P3};
    for (int i = 0; i < poppler_document_get_n_pages(doc) && i < 3; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *text = poppler_page_get_text(page);
        double s = word_share(text, want[i]);
        if (s < 0.8)
            fprintf(stderr, "\n  searchable page %d: %.2f of the words: %s\n", i + 1, s, text);
        CU_ASSERT(s >= 0.8);
        g_free(text);
        g_object_unref(page);
    }
    g_object_unref(doc);

    /* Again: a second file, the first one untouched. */
    struct stat before, after;
    CU_ASSERT_FATAL(stat(first, &before) == 0);
    r = run_pdf("scan-out.pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(count_files(out), 2);
    const char *second = harness_attr(r, "pdf");
    CU_ASSERT_PTR_NOT_NULL(second);
    if (second)
        CU_ASSERT_STRING_NOT_EQUAL(second, first);
    CU_ASSERT_FATAL(stat(first, &after) == 0);
    CU_ASSERT_EQUAL(before.st_size, after.st_size);
    CU_ASSERT_EQUAL(before.st_mtime, after.st_mtime);
    harness_result_free(r);
    harness_reset_settings();

    /* Read back, the searchable PDF's layer is trusted: no second OCR. */
    r = harness_run(plugin, first, "application/pdf");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 3);
    for (size_t i = 0; i < r->nblocks; i++)
        CU_ASSERT_STRING_EQUAL(r->blocks[i].kind, "pdf-text");
    if (r->nblocks == 3)
        CU_ASSERT(word_share(r->blocks[1].text, P2) >= 0.8);
    harness_result_free(r);
    remove_dir(out);
}

/* ---- runner ----------------------------------------------------------------- */

int main(void)
{
    const char *base = getenv("PLEDGEX_TEST_TMP");
    if (!base || !*base)
        base = "tests/tmp"; /* run by hand from the build tree */
    mkdir(base, 0700);
    snprintf(tmp, sizeof tmp, "%s/pdf", base);
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "test_pdf: cannot create %s\n", tmp);
        return 99;
    }
    const char *why = NULL;
    plugin = harness_load("pdf", &why);
    if (!plugin) {
        fprintf(stderr, "test_pdf: cannot load the pdf plugin: %s\n", why);
        return 99;
    }
    have_qpdf = system("qpdf --version >/dev/null 2>&1") == 0;
    const char *why_ocr = NULL;
    int have_ocr = harness_lang_installed("vie") && harness_lang_installed("eng") && harness_lang_installed("osd") &&
                   harness_load("ocr", &why_ocr) != NULL;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("pdf", NULL, NULL);
    CU_add_test(s, "test_pdf_descriptor_claims_pdf", test_pdf_descriptor_claims_pdf);
    CU_add_test(s, "test_pdf_syllable_check", test_pdf_syllable_check);
    CU_add_test(s, "test_pdf_judge_layers", test_pdf_judge_layers);
    CU_add_test(s, "test_pdf_render_dpi_limits", test_pdf_render_dpi_limits);
    CU_add_test(s, "test_pdf_born_digital_read_exactly", test_pdf_born_digital_read_exactly);
    CU_add_test(s, "test_pdf_max_pages_limit", test_pdf_max_pages_limit);
    CU_add_test(s, "test_pdf_blank_page_skipped", test_pdf_blank_page_skipped);
    CU_add_test(s, "test_pdf_mojibake_layer_not_trusted", test_pdf_mojibake_layer_not_trusted);
    CU_add_test(s, "test_pdf_stamp_over_scan_not_trusted", test_pdf_stamp_over_scan_not_trusted);
    CU_add_test(s, "test_pdf_encrypted_needs_password", test_pdf_encrypted_needs_password);
    CU_add_test(s, "test_pdf_truncated_keeps_pages", test_pdf_truncated_keeps_pages);
    CU_add_test(s, "test_pdf_attachments_become_members", test_pdf_attachments_become_members);
    CU_add_test(s, "test_pdf_not_a_pdf_fails", test_pdf_not_a_pdf_fails);
    CU_add_test(s, "test_pdf_scanned_page_over_pixel_limit",
                test_pdf_scanned_page_over_pixel_limit);
    if (have_ocr) {
        CU_pSuite t = CU_add_suite("pdf-ocr", NULL, NULL);
        CU_add_test(t, "test_pdf_scanned_three_pages_ocr", test_pdf_scanned_three_pages_ocr);
        CU_add_test(t, "test_pdf_mixed_page_by_page", test_pdf_mixed_page_by_page);
        CU_add_test(t, "test_pdf_mojibake_read_by_ocr", test_pdf_mojibake_read_by_ocr);
        CU_add_test(t, "test_pdf_rotated_page_read", test_pdf_rotated_page_read);
        CU_add_test(t, "test_pdf_searchable_output", test_pdf_searchable_output);
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    CU_cleanup_registry();
    if (failures)
        return 1;
    if (!have_ocr) {
        fprintf(stderr, "test_pdf: OCR tests skipped: %s\n",
                why_ocr ? why_ocr : "tesseract vie/eng/osd data not installed");
        return 77;
    }
    return 0;
}
