/*
 * test_ocr_prep.c -- the OCR plugin's page preparation
 * (plugins/ocr/ocr_prep.c) on pages made with ImageMagick, without
 * tesseract: a scan with heavy grain is not mistaken for small print (and
 * scaled up), small print still is scaled up, and the quick orientation
 * test turns a grainy page upside down and a page of marked Vietnamese
 * text turned a quarter or a half; pages slanted up to 45 degrees are
 * straightened before that test.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ocr.h"
#include "testutil.h"

#define SERIF "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
#define SANS "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

/* pledgex__ocr_orientation (OSD) is never asked here: preparation is run
 * with the quick test only.  Its engine needs tesseract and language
 * data, which this program does without. */
int pledgex__ocr_engine_orientation(ocr_engine *eng, PIX *pix)
{
    (void)eng;
    (void)pix;
    return -1;
}

static int have_tools;

/* An A4 page of `lines` (at most 40), 300 dpi, 44 px type in `font`, as
 * scratch/name, with `extra` ImageMagick options before the output. */
static int render_page(const char *name, const char *font, const char *const *lines, int n,
                       const char *extra)
{
    char cmd[16384];
    int len = snprintf(cmd, sizeof cmd,
                       "cd '%s' && convert -size 2480x3508 xc:white -font %s"
                       " -pointsize 44 -fill black",
                       tu_scratch(), font);
    for (int i = 0; i < n && len > 0 && (size_t)len < sizeof cmd; i++)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " -annotate +180+%d '%s'",
                        260 + i * 92, lines[i]);
    if (len > 0 && (size_t)len < sizeof cmd)
        snprintf(cmd + len, sizeof cmd - (size_t)len,
                 " -density 300 -units PixelsPerInch -alpha off %s %s >/dev/null 2>&1",
                 extra ? extra : "", name);
    return system(cmd);
}

/* 22 lines of one line of Vietnamese text, repeated. */
static int make_page(const char *name, const char *font, const char *extra)
{
    const char *lines[22];
    for (int i = 0; i < 22; i++)
        lines[i] = "các đơn vị trong Khối thi đua thống nhất ký giao ước thi đua";
    return render_page(name, font, lines, 22, extra);
}

/* The varied lines of fixtures/ocr/photo-lines.txt (a pledge's opening
 * and contents) instead of one line repeated. */
static int make_text_page(const char *name, const char *font, const char *extra)
{
    char path[4096];
    const char *fx = getenv("PLEDGEX_FIXTURES");
    snprintf(path, sizeof path, "%s/ocr/photo-lines.txt", fx ? fx : "fixtures");
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char buf[40][512];
    const char *lines[40];
    int n = 0;
    while (n < 40 && fgets(buf[n], sizeof buf[n], f)) {
        buf[n][strcspn(buf[n], "\n'")] = 0; /* no quote to break the shell's */
        lines[n] = buf[n];
        n++;
    }
    fclose(f);
    return render_page(name, font, lines, n, extra);
}

/* Prepares scratch/name with the default steps and the quick orientation
 * test; fills *info.  1 when it went through. */
static int prepare(const char *name, ocr_prep_info *info)
{
    PIX *page = pixRead(tu_path(name));
    CU_ASSERT_PTR_NOT_NULL(page);
    if (!page)
        return 0;
    PIX *gray = pixConvertTo8(page, 0);
    pixDestroy(&page);
    ocr_prep_opts o;
    pledgex__ocr_prep_defaults(&o);
    char err[256];
    PIX *ready = gray ? pledgex__ocr_prepare(gray, OCR_QUARTER_DETECT, &o, NULL, info, NULL, err,
                                             sizeof err)
                      : NULL;
    CU_ASSERT_PTR_NOT_NULL(ready);
    int ok = ready != NULL;
    pixDestroy(&ready);
    pixDestroy(&gray);
    return ok;
}

/* Grain as a bad scanner or photocopy leaves it: seeded, so every run
 * sees the same page. */
#define GRAIN "-seed 3 -attenuate 0.5 +noise Gaussian -quality 75"

static void test_prep_grainy_scan_not_scaled_up(void)
{
    if (!have_tools)
        return;
    CU_ASSERT_EQUAL_FATAL(make_page("grain.jpg", SERIF, GRAIN), 0);
    ocr_prep_info info;
    if (prepare("grain.jpg", &info)) {
        /* 44 px type: kept or scaled down, never up (it was 2.4x) */
        CU_ASSERT(info.scale <= 1.0f);
        CU_ASSERT_EQUAL(info.rotated, 0);
    }
}

static void test_prep_small_print_scaled_up(void)
{
    if (!have_tools)
        return;
    /* the same page at 100 dpi: letters of ~8 px */
    CU_ASSERT_EQUAL_FATAL(make_page("small.png", SERIF, "-resize 33.3% -density 100"), 0);
    ocr_prep_info info;
    if (prepare("small.png", &info))
        CU_ASSERT(info.scale > 1.5f);
}

static void test_prep_grainy_page_upside_down_turned(void)
{
    if (!have_tools)
        return;
    CU_ASSERT_EQUAL_FATAL(make_page("upside.jpg", SERIF, "-rotate 180 " GRAIN), 0);
    ocr_prep_info info;
    if (prepare("upside.jpg", &info)) {
        CU_ASSERT_EQUAL(info.rotated, 2);
        CU_ASSERT(info.scale <= 1.0f);
    }
}

/* Vietnamese marks (dots below, tone marks) read to leptonica's test as
 * descenders and ascenders: on this page turned a quarter, it found the
 * page upright with confidence 15.7 before they were left out. */
static void test_prep_marked_text_turned_quarter(void)
{
    if (!have_tools)
        return;
    CU_ASSERT_EQUAL_FATAL(make_page("quarter.png", SANS, "-rotate 90"), 0);
    ocr_prep_info info;
    if (prepare("quarter.png", &info))
        CU_ASSERT_EQUAL(info.rotated, 3);
    CU_ASSERT_EQUAL_FATAL(make_page("half.png", SANS, "-rotate 180"), 0);
    if (prepare("half.png", &info))
        CU_ASSERT_EQUAL(info.rotated, 2);
}

/* A page photographed askew: 30 degrees misled the quick orientation test
 * into a quarter turn (and the skew search went to 15 only), and the page
 * was read as nothing; so were sideways pages slanted 20 degrees more or
 * less (70, -70, 250, 290: no line across the page for the skew search,
 * and the quick test got the quarter wrong).  Each page
 * turned clockwise by `angle` must be turned back: quarter turns and skew
 * (both clockwise) add up to -angle, modulo a full turn. */
static void test_prep_slanted_pages_straightened(void)
{
    if (!have_tools)
        return;
    static const int angles[] = {30, -40, 110, 70, -70, 250, 290};
    for (size_t i = 0; i < sizeof angles / sizeof *angles; i++) {
        char name[32], extra[64];
        snprintf(name, sizeof name, "slant%d.png", angles[i]);
        snprintf(extra, sizeof extra, "-background white -rotate %d", angles[i]);
        CU_ASSERT_EQUAL_FATAL(make_text_page(name, SANS, extra), 0);
        ocr_prep_info info;
        if (!prepare(name, &info))
            continue;
        double undo = fmod(info.rotated * 90.0 + info.skew_deg + angles[i] + 720.0, 360.0);
        int straight = undo < 1.0 || undo > 359.0;
        CU_ASSERT_TRUE(straight);
        if (!straight)
            fprintf(stderr, "\n  %s: turned %d, skew %.2f\n", name, info.rotated, info.skew_deg);
    }
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    have_tools = system("command -v convert >/dev/null 2>&1") == 0 && access(SERIF, R_OK) == 0 &&
                 access(SANS, R_OK) == 0;
    if (!have_tools)
        fprintf(stderr, "\nImageMagick or the DejaVu fonts missing: page tests skipped\n");
    CU_pSuite s = CU_add_suite("ocr_prep", NULL, NULL);
    TU_TEST(s, test_prep_grainy_scan_not_scaled_up);
    TU_TEST(s, test_prep_small_print_scaled_up);
    TU_TEST(s, test_prep_grainy_page_upside_down_turned);
    TU_TEST(s, test_prep_marked_text_turned_quarter);
    TU_TEST(s, test_prep_slanted_pages_straightened);
    return tu_main();
}
