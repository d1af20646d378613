/*
 * test_ocr_prep.c -- the OCR plugin's page preparation
 * (plugins/ocr/ocr_prep.c) on pages made with ImageMagick, without
 * tesseract: a scan with heavy grain is not mistaken for small print (and
 * scaled up), small print still is scaled up, and the quick orientation
 * test turns a grainy page upside down and a page of marked Vietnamese
 * text turned a quarter or a half; pages slanted up to 45 degrees are
 * straightened before that test; photos in perspective are turned back
 * and their lines flattened; letter strokes cut by a seal's ring are
 * drawn back.
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
 * and contents) instead of one line repeated; `copies` times (1 or 2: a
 * full page). */
static int make_text_pages(const char *name, const char *font, const char *extra, int copies)
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
    for (int i = 0; copies > 1 && i < n && n + i < 40; i++)
        lines[n + i] = buf[i];
    if (copies > 1)
        n = 2 * n > 40 ? 40 : 2 * n;
    return render_page(name, font, lines, n, extra);
}

static int make_text_page(const char *name, const char *font, const char *extra)
{
    return make_text_pages(name, font, extra, 1);
}

/* Prepares scratch/name with the default steps and the quick orientation
 * test; fills *info, and *out (may be NULL) with the prepared page.  1
 * when it went through. */
static int prepare_pix(PIX *page, ocr_prep_info *info, PIX **out)
{
    PIX *gray = pixConvertTo8(page, 0);
    ocr_prep_opts o;
    pledgex__ocr_prep_defaults(&o);
    char err[256];
    PIX *ready = gray ? pledgex__ocr_prepare(gray, OCR_QUARTER_DETECT, &o, NULL, info, NULL, err,
                                             sizeof err)
                      : NULL;
    CU_ASSERT_PTR_NOT_NULL(ready);
    int ok = ready != NULL;
    if (out)
        *out = ready;
    else
        pixDestroy(&ready);
    pixDestroy(&gray);
    return ok;
}

static int prepare_to(const char *name, ocr_prep_info *info, PIX **out)
{
    PIX *page = pixRead(tu_path(name));
    CU_ASSERT_PTR_NOT_NULL(page);
    int ok = page && prepare_pix(page, info, out);
    pixDestroy(&page);
    return ok;
}

static int prepare(const char *name, ocr_prep_info *info)
{
    return prepare_to(name, info, NULL);
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

/* Confidence of leptonica's skew sweep on a page (its lines' agreement:
 * lines of different slopes lower it), on a binary copy at most 1800
 * pixels wide, as preparation measures. */
static float lines_agreement(PIX *page)
{
    PIX *g = pixConvertTo8(page, 0);
    PIX *m = g && pixGetWidth(g) > 1800 ? pixScaleAreaMap2(g) : pixClone(g);
    PIX *bin = NULL;
    float angle = 0, conf = 0;
    if (m && pixOtsuAdaptiveThreshold(m, 200, 200, 2, 2, 0.1f, NULL, &bin) == 0 && bin)
        pixFindSkewSweepAndSearch(bin, &angle, &conf, 2, 1, 10.0f, 1.0f, 0.05f);
    pixDestroy(&bin);
    pixDestroy(&m);
    pixDestroy(&g);
    return conf;
}

/* Phone photos in perspective: lines leaning by different angles lower
 * the skew sweep's confidence under its bar (1.1-1.9 against 2), and such
 * pages were read unturned, at 10-94% CER (bench/ocr).  A page turned 4
 * degrees with its corners pulled in is turned back; a page whose lines
 * fan out (top and bottom leaning opposite ways) is flattened, its lines
 * then parallel; a flat page is left alone.  (Leptonica's model wants
 * lines over the whole page: the fanning page is a full one.) */
static void test_prep_photos_in_perspective_flattened(void)
{
    if (!have_tools)
        return;
    CU_ASSERT_EQUAL_FATAL(
        make_text_pages("tilted.jpg", SERIF,
                        "-virtual-pixel white -distort Perspective '0,0 180,120 2480,0 2300,50 "
                        "0,3508 40,3400 2480,3508 2460,3470' -background white -rotate 4 "
                        "-resize 1600x -quality 70",
                        2),
        0);
    ocr_prep_info info;
    if (prepare("tilted.jpg", &info)) {
        CU_ASSERT(info.skew_deg < -2.5f && info.skew_deg > -5.5f);
        if (!(info.skew_deg < -2.5f && info.skew_deg > -5.5f))
            fprintf(stderr, "\n  tilted.jpg: skew %.2f\n", info.skew_deg);
    }

    CU_ASSERT_EQUAL_FATAL(
        make_text_pages("fan.jpg", SANS,
                        "-virtual-pixel white -distort Perspective '0,0 142,345 2480,0 2352,90 "
                        "0,3508 174,3220 2480,3508 2377,3414' -background white -rotate -2 "
                        "-resize 1300x -quality 72",
                        2),
        0);
    PIX *fan = pixRead(tu_path("fan.jpg")), *flat = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(fan);
    float before = lines_agreement(fan);
    pixDestroy(&fan);
    if (prepare_to("fan.jpg", &info, &flat)) {
        CU_ASSERT_EQUAL(info.dewarped, 1);
        float after = lines_agreement(flat);
        /* from lines of several slopes to lines that agree */
        CU_ASSERT(before < 2.0f && after >= 3.0f);
        if (!(before < 2.0f && after >= 3.0f))
            fprintf(stderr, "\n  fan.jpg: agreement %.2f -> %.2f\n", before, after);
    }
    pixDestroy(&flat);
    /* The same at full size (measured at half size, modelled at full:
     * leptonica refused the half-size model). */
    CU_ASSERT_EQUAL_FATAL(
        make_text_pages("fanwide.jpg", SANS,
                        "-virtual-pixel white -distort Perspective '0,0 142,345 2480,0 2352,90 "
                        "0,3508 174,3220 2480,3508 2377,3414' -background white -rotate -2 "
                        "-quality 72",
                        2),
        0);
    if (prepare("fanwide.jpg", &info))
        CU_ASSERT_EQUAL(info.dewarped, 1);

    CU_ASSERT_EQUAL_FATAL(make_text_page("flat.png", SANS, NULL), 0);
    if (prepare("flat.png", &info)) {
        CU_ASSERT_EQUAL(info.dewarped, 0);
        CU_ASSERT(fabsf(info.skew_deg) < 0.1f);
    }
}

/* An upright page leptonica's quick test is sure is upside down
 * (fixtures/ocr/upright-notosans.png: the top of a pledge in Noto Sans
 * at 36 px, from bench/ocr/random_pages.py --seed 11, page 20, made
 * black and white; the test gives -9.8).  Its marks sit above its
 * letters: it stays upright.  Turned a half, it is turned back. */
static void test_prep_upright_page_test_sure_of_kept_upright(void)
{
    char path[4096];
    const char *fx = getenv("PLEDGEX_FIXTURES");
    snprintf(path, sizeof path, "%s/ocr/upright-notosans.png", fx ? fx : "fixtures");
    PIX *page = pixRead(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(page);
    ocr_prep_info info;
    if (prepare_pix(page, &info, NULL))
        CU_ASSERT_EQUAL(info.rotated, 0);
    PIX *upside = pixRotateOrth(page, 2);
    if (upside && prepare_pix(upside, &info, NULL))
        CU_ASSERT_EQUAL(info.rotated, 2);
    pixDestroy(&upside);
    pixDestroy(&page);
}

/* Sets the pixels of rectangle (x, y, w, h) in a 1 bpp pix. */
static void fill_rect(PIX *pix, int x, int y, int w, int h)
{
    pixRasterop(pix, x, y, w, h, PIX_SET, NULL, 0, 0);
}

/* Strokes cut by the paper painted over a seal's ring are drawn back:
 * a stem 6 px wide crossing a band 16 px high is whole again.  Two
 * stems either side of an upright band, touching it with their edges,
 * are not joined; nor is a horizontal bar cut by that band (round tops of
 * neighbouring letters look like one: words were joined by dashes).  The
 * rest of the band stays paper. */
static void test_prep_strokes_cut_by_ink_drawn_back(void)
{
    PIX *g = pixCreate(200, 200, 8), *dark = pixCreate(200, 200, 1);
    PIX *zone = pixCreate(200, 200, 1);
    CU_ASSERT_FATAL(g && dark && zone);
    pixSetAllArbitrary(g, 255);
    fill_rect(dark, 60, 20, 6, 161);  /* the stem */
    fill_rect(dark, 124, 30, 6, 51);  /* stems beside the upright band */
    fill_rect(dark, 146, 30, 6, 51);
    fill_rect(dark, 100, 120, 30, 6); /* a bar the upright band cuts */
    fill_rect(dark, 146, 120, 30, 6);
    fill_rect(zone, 0, 95, 200, 16);  /* a band across the stem */
    fill_rect(zone, 130, 0, 16, 200); /* an upright band */
    pixSubtract(dark, dark, zone);    /* what the ink hid is not text */
    pixSetMasked(g, dark, 0); /* the page: black text on painted paper */
    pledgex__ocr_mend_strokes(g, zone, dark);
    l_uint32 v;
    pixGetPixel(g, 62, 102, &v);
    CU_ASSERT(v < 128); /* the stem, drawn back across the band */
    pixGetPixel(g, 137, 55, &v);
    CU_ASSERT_EQUAL(v, 255); /* stems beside the upright band: not joined */
    pixGetPixel(g, 137, 122, &v);
    CU_ASSERT_EQUAL(v, 255); /* the cut bar: not drawn across */
    pixGetPixel(g, 100, 102, &v);
    CU_ASSERT_EQUAL(v, 255); /* the band away from the stem */
    long drawn = 0;
    for (int y = 95; y < 111; y++)
        for (int x = 0; x < 200; x++)
            if (pixGetPixel(g, x, y, &v) == 0 && v < 128)
                drawn++;
    CU_ASSERT_EQUAL(drawn, 6 * 16); /* the stem's width, the band's height */
    pixDestroy(&g);
    pixDestroy(&dark);
    pixDestroy(&zone);
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
    TU_TEST(s, test_prep_upright_page_test_sure_of_kept_upright);
    TU_TEST(s, test_prep_slanted_pages_straightened);
    TU_TEST(s, test_prep_photos_in_perspective_flattened);
    TU_TEST(s, test_prep_strokes_cut_by_ink_drawn_back);
    return tu_main();
}
