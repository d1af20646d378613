/*
 * test_photo.c -- the "photo" plugin through the test harness: each caption
 * route (EXIF ImageDescription, UserComment, XPComment, IPTC with and
 * without CodedCharacterSet, XMP language alternatives, sidecar .txt and
 * .xmp, PNG and TIFF), conflicting captions, a photo with no caption, the
 * picture/page rule both ways, and bad input.  OCR itself is exercised in
 * test_photo_ocr.c (skipped without language data).
 *
 * Fixtures: fixtures/captions (regenerate with make-fixtures.sh there).
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin_harness.h"

#define CAP_EXIF "Các đồng chí Uỷ viên BCH Đảng bộ tỉnh chủ trì Hội nghị. Ảnh: KL"
#define CAP_IPTC "Ông Nguyễn Công Hoan phát biểu tại Hội nghị. Ảnh: Thu Hà"
#define CAP_XMP "Đại tá Nguyễn Kỳ Hồng phát biểu ý kiến. (Ảnh: Minh Châu)"
#define CAP_XP "Đồng chí Nguyễn Thanh Nhàn trao cờ thi đua cho các đơn vị. Ảnh: KL"
#define CAP_UC "Lãnh đạo các đơn vị ký giao ước thi đua năm 2024"
#define CAP_SIDE "Đại diện các đơn vị trong Khối ký giao ước thi đua. Ảnh: KL"

static const pledgex_plugin *photo;

static const char *fixture(const char *name)
{
    static char buf[4][4096];
    static int k;
    const char *dir = getenv("PLEDGEX_FIXTURES");
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/captions/%s", dir ? dir : "fixtures", name);
    return buf[k];
}

static harness_result *run(const char *name, const char *mime)
{
    harness_reset_settings();
    /* no OCR in this program: a page is still classified, delegation is
     * answered by the harness ("no plugin") */
    return harness_run(photo, fixture(name), mime);
}

#define ASSERT_ATTR(r, key, want)                                                             \
    do {                                                                                      \
        const char *got_ = harness_attr(r, key);                                              \
        CU_ASSERT_PTR_NOT_NULL(got_);                                                         \
        if (got_ && strcmp(got_, want)) {                                                     \
            fprintf(stderr, "\n  %s: got \"%s\", want \"%s\"\n", key, got_, want);            \
            CU_FAIL(key);                                                                     \
        }                                                                                     \
    } while (0)

/* The caption is also a searchable block of kind "caption". */
static void assert_caption_block(harness_result *r, const char *text)
{
    CU_ASSERT_EQUAL(r->nblocks, 1);
    if (r->nblocks >= 1) {
        CU_ASSERT_STRING_EQUAL(r->blocks[0].kind, "caption");
        CU_ASSERT_STRING_EQUAL(r->blocks[0].text, text);
    }
}

static void test_photo_caption_exif_description(void)
{
    harness_result *r = run("photo-exif.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_EXIF);
    ASSERT_ATTR(r, "caption.source", "exif");
    ASSERT_ATTR(r, "caption.credit", "KL");
    ASSERT_ATTR(r, "taken", "2024-03-19T14:05:10");
    ASSERT_ATTR(r, "kind", "photo");
    ASSERT_ATTR(r, "image.layout", "picture");
    assert_caption_block(r, CAP_EXIF);
    harness_result_free(r);
}

static void test_photo_caption_iptc_utf8(void)
{
    harness_result *r = run("photo-iptc.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_IPTC);
    ASSERT_ATTR(r, "caption.source", "iptc");
    ASSERT_ATTR(r, "caption.credit", "Thu Hà"); /* written in the caption */
    ASSERT_ATTR(r, "taken", "2024-03-19T14:20:41+07:00");
    assert_caption_block(r, CAP_IPTC);
    harness_result_free(r);
}

/* No CodedCharacterSet: the CP1258 bytes are recognised, not mangled. */
static void test_photo_caption_iptc_legacy_charset(void)
{
    harness_result *r = run("photo-iptc-legacy.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_IPTC);
    ASSERT_ATTR(r, "caption.source", "iptc");
    harness_result_free(r);
}

/* x-default wins; the English alternative is kept; the credit in the
 * caption "(Ảnh: Minh Châu)" wins over photoshop:Credit. */
static void test_photo_caption_xmp_language_alternatives(void)
{
    harness_result *r = run("photo-xmp.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_XMP);
    ASSERT_ATTR(r, "caption.source", "xmp");
    ASSERT_ATTR(r, "caption.credit", "Minh Châu");
    ASSERT_ATTR(r, "taken", "2024-03-19T14:41:03+07:00");
    CU_ASSERT(harness_has_attr_value(r, "caption.alt", "xmp\tColonel speaking."));
    harness_result_free(r);
}

static void test_photo_caption_xpcomment_utf16(void)
{
    harness_result *r = run("photo-xp.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_XP);
    ASSERT_ATTR(r, "caption.source", "xpcomment");
    assert_caption_block(r, CAP_XP);
    harness_result_free(r);
}

static void test_photo_caption_usercomment(void)
{
    harness_result *r = run("photo-usercomment.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_UC);
    ASSERT_ATTR(r, "caption.source", "exif");
    CU_ASSERT_PTR_NULL(harness_attr(r, "caption.credit")); /* none anywhere */
    harness_result_free(r);
}

/* XMP, IPTC and EXIF disagree: XMP wins, the others are kept once each (the
 * XPComment repeats ImageDescription and is not repeated). */
static void test_photo_caption_conflict_prefers_xmp(void)
{
    harness_result *r = run("photo-conflict.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_XMP);
    ASSERT_ATTR(r, "caption.source", "xmp");
    CU_ASSERT(harness_has_attr_value(r, "caption.alt", "iptc\t" CAP_IPTC));
    CU_ASSERT(harness_has_attr_value(r, "caption.alt", "exif\t" CAP_EXIF));
    CU_ASSERT_EQUAL(harness_attr_count(r, "caption.alt"), 2);
    assert_caption_block(r, CAP_XMP);
    harness_result_free(r);
}

/* No caption: no text at all (camera boilerplate is not a caption, and a
 * photo is not OCR'd), but still the date and kind. */
static void test_photo_no_caption_gives_no_text(void)
{
    harness_result *r = run("photo-none.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nblocks, 0);
    CU_ASSERT_PTR_NULL(harness_attr(r, "caption.text"));
    ASSERT_ATTR(r, "kind", "photo");
    ASSERT_ATTR(r, "taken", "2024-03-19T15:00:00");
    ASSERT_ATTR(r, "image.layout", "picture");
    harness_result_free(r);
}

/* A sidecar NAME.txt beside the photo (in CP1258). */
static void test_photo_caption_sidecar_txt(void)
{
    harness_result *r = run("photo-sidecar.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_SIDE);
    ASSERT_ATTR(r, "caption.source", "sidecar");
    ASSERT_ATTR(r, "caption.credit", "KL");
    harness_result_free(r);
}

static void test_photo_caption_sidecar_xmp(void)
{
    harness_result *r = run("photo-sidecarx.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_SIDE);
    ASSERT_ATTR(r, "caption.source", "sidecar");
    harness_result_free(r);
    /* the .xmp on its own (an archive member) is a caption document */
    r = run("photo-sidecarx.xmp", "application/rdf+xml");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_SIDE);
    ASSERT_ATTR(r, "caption.credit", "KL");
    harness_result_free(r);
}

static void test_photo_caption_png_and_tiff(void)
{
    harness_result *r = run("photo-xmp.png", "image/png");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_XMP);
    ASSERT_ATTR(r, "caption.source", "xmp");
    harness_result_free(r);
    r = run("photo-exif.tif", "image/tiff");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "caption.text", CAP_EXIF);
    ASSERT_ATTR(r, "caption.source", "exif");
    harness_result_free(r);
}

/* The rule, one way: text on a banner does not make a photo a page. */
static void test_photo_page_rule_banner_is_picture(void)
{
    harness_result *r = run("photo-banner.jpg", "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    ASSERT_ATTR(r, "image.layout", "picture");
    CU_ASSERT_EQUAL(r->nblocks, 0);
    harness_result_free(r);
}

/* The other way: pages of text (scanned, short, photographed on a table)
 * and an album page are sent to OCR.  Without the OCR plugin the harness
 * answers "no plugin", which the photo plugin reports as a warning. */
static void test_photo_page_rule_pages_go_to_ocr(void)
{
    static const struct {
        const char *file, *mime, *layout, *kind;
    } cases[] = {
        {"page-document.png", "image/png", "document", "scan"},
        {"page-notice.png", "image/png", "document", "scan"},
        {"page-photographed.jpg", "image/jpeg", "document", "scan"},
        {"page-album.jpg", "image/jpeg", "album", "photo"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        harness_result *r = run(cases[i].file, cases[i].mime);
        CU_ASSERT(r->rc == PLEDGEX_OK || r->rc == PLEDGEX_WARN);
        ASSERT_ATTR(r, "image.layout", cases[i].layout);
        ASSERT_ATTR(r, "kind", cases[i].kind);
        harness_result_free(r);
    }
}

/* A caption kept as a plain comment: a JPEG COM segment, a PNG
 * Description text chunk.  A comment that names the software is not a
 * caption, and a real caption field wins over a comment. */
static void test_photo_caption_jpeg_and_png_comments(void)
{
    if (system("exiftool -ver >/dev/null 2>&1 && convert -version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "\n(no exiftool or ImageMagick, skipped)\n");
        return;
    }
    char dir[4096], cmd[16384];
    const char *tmp = getenv("PLEDGEX_TEST_TMP") ? getenv("PLEDGEX_TEST_TMP") : "/tmp";
    mkdir(tmp, 0755);
    snprintf(dir, sizeof dir, "%s/test_photo_comment", tmp);
    mkdir(dir, 0700);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && cp '%s' com.jpg && cp '%s' gd.jpg && cp '%s' both.jpg && "
             "convert '%s' desc.png && "
             "exiftool -q -overwrite_original -Comment='Sở Tư pháp ký giao ước. Ảnh: KL' com.jpg && "
             "exiftool -q -overwrite_original "
             "-Comment='CREATOR: gd-jpeg v1.0 (using IJG JPEG v62), quality = 90' gd.jpg && "
             "exiftool -q -overwrite_original -Comment='Ghi chú' both.jpg && "
             "exiftool -q -overwrite_original -PNG:Description='Thanh tra tỉnh phát biểu. Ảnh: "
             "TH' desc.png 2>/dev/null",
             dir, fixture("photo-none.jpg"), fixture("photo-none.jpg"), fixture("photo-exif.jpg"),
             fixture("photo-none.jpg"));
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/com.jpg", dir);
    harness_result *r = harness_run(photo, path, "image/jpeg");
    ASSERT_ATTR(r, "caption.text", "Sở Tư pháp ký giao ước. Ảnh: KL");
    ASSERT_ATTR(r, "caption.source", "comment");
    ASSERT_ATTR(r, "caption.credit", "KL");
    harness_result_free(r);
    snprintf(path, sizeof path, "%s/gd.jpg", dir);
    r = harness_run(photo, path, "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_PTR_NULL(harness_attr(r, "caption.text"));
    harness_result_free(r);
    snprintf(path, sizeof path, "%s/both.jpg", dir);
    r = harness_run(photo, path, "image/jpeg");
    ASSERT_ATTR(r, "caption.text", CAP_EXIF);
    ASSERT_ATTR(r, "caption.source", "exif");
    harness_result_free(r);
    snprintf(path, sizeof path, "%s/desc.png", dir);
    r = harness_run(photo, path, "image/png");
    ASSERT_ATTR(r, "caption.text", "Thanh tra tỉnh phát biểu. Ảnh: TH");
    ASSERT_ATTR(r, "caption.source", "comment");
    harness_result_free(r);
}

/* dir = a fresh private directory under $PLEDGEX_TEST_TMP, path = name in it. */
static void scratch_file(const char *sub, const char *name, char dir[4096], char path[4200])
{
    const char *tmp = getenv("PLEDGEX_TEST_TMP") ? getenv("PLEDGEX_TEST_TMP") : "/tmp";
    mkdir(tmp, 0755);
    snprintf(dir, 4096, "%s/%s", tmp, sub);
    mkdir(dir, 0700);
    snprintf(path, 4200, "%s/%s", dir, name);
}

/* Writes an 8x8 24-bit BMP of one grey, by hand: the smallest honest image. */
static int write_tiny_bmp(const char *path)
{
    unsigned char h[54] = {'B', 'M'};
    const unsigned row = 8 * 3, size = 54 + row * 8;
    h[2] = (unsigned char)size;
    h[10] = 54;             /* pixel data offset */
    h[14] = 40;             /* BITMAPINFOHEADER */
    h[18] = 8;              /* width */
    h[22] = 8;              /* height */
    h[26] = 1;              /* planes */
    h[28] = 24;             /* bits per pixel */
    h[34] = (unsigned char)(row * 8);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fwrite(h, 1, sizeof h, f);
    for (unsigned i = 0; i < row * 8; i++)
        fputc(0x80, f);
    return fclose(f);
}

/* A thumbnail smaller than the page rule's threshold window is a picture,
 * not a failure (it once failed "cannot binarise" and, under ASan, leaked
 * the decoded image meant for OCR). */
static void test_photo_tiny_image_is_a_picture(void)
{
    char dir[4096], path[4200];
    scratch_file("test_photo_tiny", "icon.bmp", dir, path);
    CU_ASSERT_EQUAL_FATAL(write_tiny_bmp(path), 0);
    harness_reset_settings();
    harness_result *r = harness_run(photo, path, "image/bmp");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    if (r->rc != PLEDGEX_OK)
        fprintf(stderr, "\n  reason: %s\n", r->err);
    CU_ASSERT_EQUAL(r->nblocks, 0);
    ASSERT_ATTR(r, "image.layout", "picture");
    harness_result_free(r);
    remove(path);
    rmdir(dir);
}

static void test_photo_bad_input_is_refused(void)
{
    char dir[4096], path[4200];
    scratch_file("test_photo", "broken.jpg", dir, path);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite("\xFF\xD8\xFF\xE0garbage, not a JPEG at all", 1, 30, f);
    fclose(f);
    harness_reset_settings();
    harness_result *r = harness_run(photo, path, "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT(strlen(r->err) > 0);
    harness_result_free(r);
    /* a good header with half its data: the reason says so */
    FILE *in = fopen(fixture("photo-none.jpg"), "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    static char half[1 << 20];
    size_t n = fread(half, 1, sizeof half, in);
    fclose(in);
    f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(half, 1, n / 2, f);
    fclose(f);
    r = harness_run(photo, path, "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "JPG data is damaged or truncated"));
    if (!strstr(r->err, "damaged or truncated"))
        fprintf(stderr, "\n  reason: %s\n", r->err);
    harness_result_free(r);
    remove(path);
    /* over the pixel limit: refused before decoding, with the limit named */
    harness_set_limit("max_pixels", 1000);
    r = harness_run(photo, fixture("photo-none.jpg"), "image/jpeg");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "max-pixels"));
    harness_result_free(r);
    harness_reset_settings();
    rmdir(dir);
}

int main(void)
{
    const char *why = NULL;
    photo = harness_load("photo", &why);
    if (!photo) {
        fprintf(stderr, "cannot load the photo plugin: %s\n", why);
        return 99;
    }
    /* Hide the OCR plugin: this program tests the decisions, not OCR. */
    setenv("PLEDGEX_PLUGIN_PATH", "/nonexistent", 1);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("photo", NULL, NULL);
    CU_add_test(s, "test_photo_caption_exif_description", test_photo_caption_exif_description);
    CU_add_test(s, "test_photo_caption_jpeg_and_png_comments",
                test_photo_caption_jpeg_and_png_comments);
    CU_add_test(s, "test_photo_caption_iptc_utf8", test_photo_caption_iptc_utf8);
    CU_add_test(s, "test_photo_caption_iptc_legacy_charset",
                test_photo_caption_iptc_legacy_charset);
    CU_add_test(s, "test_photo_caption_xmp_language_alternatives",
                test_photo_caption_xmp_language_alternatives);
    CU_add_test(s, "test_photo_caption_xpcomment_utf16", test_photo_caption_xpcomment_utf16);
    CU_add_test(s, "test_photo_caption_usercomment", test_photo_caption_usercomment);
    CU_add_test(s, "test_photo_caption_conflict_prefers_xmp",
                test_photo_caption_conflict_prefers_xmp);
    CU_add_test(s, "test_photo_no_caption_gives_no_text", test_photo_no_caption_gives_no_text);
    CU_add_test(s, "test_photo_caption_sidecar_txt", test_photo_caption_sidecar_txt);
    CU_add_test(s, "test_photo_caption_sidecar_xmp", test_photo_caption_sidecar_xmp);
    CU_add_test(s, "test_photo_caption_png_and_tiff", test_photo_caption_png_and_tiff);
    CU_add_test(s, "test_photo_page_rule_banner_is_picture",
                test_photo_page_rule_banner_is_picture);
    CU_add_test(s, "test_photo_page_rule_pages_go_to_ocr", test_photo_page_rule_pages_go_to_ocr);
    CU_add_test(s, "test_photo_bad_input_is_refused", test_photo_bad_input_is_refused);
    CU_add_test(s, "test_photo_tiny_image_is_a_picture", test_photo_tiny_image_is_a_picture);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    int err = CU_get_error();
    CU_cleanup_registry();
    return err ? 99 : failed ? 1 : 0;
}
