/*
 * test_archive.c -- the "archive" plugin through the recording harness, one
 * archive level at a time (the nesting through the real pipeline is in
 * test_archive_pipeline.c), plus the member-name functions directly.
 *
 * Fixtures are generated at test time by fixtures/archive/make_fixtures.py
 * into $PLEDGEX_TEST_TMP/archive: every format, a bomb, zip slip, link
 * escapes, truncated and encrypted archives, legacy code-page names.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../plugins/archive/archive_int.h"
#include "plugin_harness.h"

static char fix[1024];  /* generated fixtures            */
static char jail[1024]; /* TMPDIR of the harness runs    */
static const pledgex_plugin *plugin;

static const char *hello = "Xin chào: bản giao ước thi đua năm 2024.\n";

static harness_result *run_on(const char *name, const char *mime)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", fix, name);
    return harness_run(plugin, path, mime);
}

static long child_index(const harness_result *r, const char *name)
{
    for (size_t i = 0; i < r->nchildren; i++)
        if (!strcmp(r->child_names[i], name))
            return (long)i;
    return -1;
}

static long record_index(const harness_result *r, const char *name)
{
    for (size_t i = 0; i < r->nrecords; i++)
        if (!strcmp(r->record_names[i], name))
            return (long)i;
    return -1;
}

static void test_archive_every_format(void)
{
    static const struct {
        const char *file, *mime, *member;
    } cases[] = {
        {"simple.zip", "application/zip", "hello.txt"},
        {"zip64.zip", "application/zip", "hello.txt"},
        {"simple.tar", "application/x-tar", "hello.txt"},
        {"simple.tar.gz", "application/gzip", "hello.txt"},
        {"simple.tar.bz2", "application/x-bzip2", "hello.txt"},
        {"simple.tar.xz", "application/x-xz", "hello.txt"},
        {"simple.tar.zst", "application/zstd", "hello.txt"},
        {"simple.7z", "application/x-7z-compressed", "hello.txt"},
        {"simple.cpio", "application/x-cpio", "hello.txt"},
        {"simple.a", "application/x-archive", "hello.txt"},
        {"simple.iso", "application/x-iso9660-image", "hello.txt"},
        {"simple.rar", "application/x-rar", "hello.txt"},
        {"simple5.rar", "application/vnd.rar", "hello.txt"},
        {"hello.txt.gz", "application/gzip", "hello.txt"},
        {"hello.txt.xz", "application/x-xz", "hello.txt"},
        {"hello.txt.bz2", "application/x-bzip2", "hello.txt"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        harness_result *r = run_on(cases[i].file, cases[i].mime);
        if (r->rc != PLEDGEX_OK || r->nchildren != 1)
            fprintf(stderr, "\n%s: rc %d (%s), %zu children\n", cases[i].file, r->rc, r->err,
                    r->nchildren);
        CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
        CU_ASSERT_EQUAL_FATAL(r->nchildren, 1);
        CU_ASSERT_STRING_EQUAL(r->child_names[0], cases[i].member);
        CU_ASSERT_STRING_EQUAL(r->child_data[0], hello);
        harness_result_free(r);
    }
}

static void test_archive_nested_one_level(void)
{
    harness_result *r = run_on("outer.7z", "application/x-7z-compressed");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nchildren, 1);
    CU_ASSERT_STRING_EQUAL(r->child_names[0], "level1/middle.zip");
    /* The member is handed back whole, still a ZIP: the host recurses. */
    CU_ASSERT(r->child_sizes[0] > 30 && !memcmp(r->child_data[0], "PK\x03\x04", 4));
    harness_result_free(r);
}

/* Names without the UTF-8 flag, in CP1258 (Vietnamese Windows) and CP437
 * (Western Windows), and UTF-8 bytes without the flag: all come back as the
 * names the user typed.  names.txt holds them in NFC, the contents hold the
 * original names too. */
static void check_names(const char *zip, int first, int count)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/names.txt", fix);
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[512];
    char expected[64][512];
    int n = 0;
    while (n < 64 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        snprintf(expected[n++], sizeof expected[0], "%s", line);
    }
    fclose(f);
    harness_result *r = run_on(zip, "application/zip");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nchildren, (size_t)count);
    for (int i = first; i < first + count && i < n; i++) {
        long k = child_index(r, expected[i]);
        if (k < 0) {
            fprintf(stderr, "\n%s: no member named '%s'; got:", zip, expected[i]);
            for (size_t j = 0; j < r->nchildren; j++)
                fprintf(stderr, " '%s'", r->child_names[j]);
            fputc('\n', stderr);
        }
        CU_ASSERT(k >= 0);
        CU_ASSERT(k < 0 || pledgex__arc_utf8_valid(r->child_names[k], strlen(r->child_names[k])));
    }
    harness_result_free(r);
}

/* names.txt: 16 Vietnamese names (CP1258), 6 CP437, 4 CP1252. */
static void test_archive_cp1258_names(void)
{
    check_names("cp1258.zip", 0, 16);
}

static void test_archive_cp437_names(void)
{
    check_names("cp437.zip", 16, 6);
}

static void test_archive_cp1252_names(void)
{
    check_names("cp1252.zip", 22, 4);
}

static void test_archive_utf8_names_without_flag(void)
{
    check_names("utf8-noflag.zip", 0, 2);
}

static void test_archive_rar5_utf8_names(void)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/names5.rar", fix);
    harness_result *r = harness_run(plugin, path, "application/x-rar");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r->nchildren, 3);
    CU_ASSERT_STRING_EQUAL(r->child_names[0], "Lễ ký kết giao ước thi đua.jpg");
    /* Each member holds its own name: the right bytes under the right name. */
    for (size_t i = 0; i < r->nchildren; i++)
        CU_ASSERT_STRING_EQUAL(r->child_data[i], r->child_names[i]);
    harness_result_free(r);
}

static void test_archive_name_heuristic_never_invalid(void)
{
    /* Bytes no code page maps (0x81 is undefined in CP1252 and CP1258). */
    const char *charset = NULL;
    char *s = pledgex__arc_name_utf8("\x81\x8d\x8f\x90\x9d.txt", &charset);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT(pledgex__arc_utf8_valid(s, strlen(s)));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, ".txt"));
    free(s);
    s = pledgex__arc_name_utf8("plain ascii", &charset);
    CU_ASSERT_STRING_EQUAL(s, "plain ascii");
    CU_ASSERT_PTR_NULL(charset);
    free(s);
}

static void test_archive_name_sanitise(void)
{
    static const struct {
        const char *in, *out;
        int backslash, climbs;
    } cases[] = {
        {"../../x", "x", 0, 1},
        {"/abs/x", "abs/x", 0, 1},
        {"C:\\win\\x", "win/x", 1, 1},
        {"a/../../../b", "b", 0, 1},
        {"./a/./b", "a/b", 0, 0},
        {"a//b/", "a/b", 0, 0},
        {"a/b/../c", "a/c", 0, 0},
        {"..", "", 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        int c = pledgex__arc_name_sanitise(buf, cases[i].backslash);
        CU_ASSERT_STRING_EQUAL(buf, cases[i].out);
        CU_ASSERT_EQUAL(c, cases[i].climbs);
    }
}

/* Zip slip: names climbing out never climb out in the index, and nothing
 * is written anywhere but the harness's private directory (which is gone
 * afterwards, so the jail stays empty). */
static void test_archive_zip_slip(void)
{
    static const char *const files[] = {"slip.zip", "slip.tar"};
    for (size_t f = 0; f < 2; f++) {
        harness_result *r = run_on(files[f], f ? "application/x-tar" : "application/zip");
        CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
        CU_ASSERT_EQUAL(r->nchildren, 5);
        CU_ASSERT(child_index(r, "good.txt") >= 0);
        CU_ASSERT(child_index(r, "x.txt") >= 0);
        CU_ASSERT(child_index(r, "y.txt") >= 0);
        CU_ASSERT(child_index(r, "abs/x.txt") >= 0);
        for (size_t i = 0; i < r->nchildren; i++) {
            CU_ASSERT(r->child_names[i][0] != '/');
            CU_ASSERT_PTR_NULL(strstr(r->child_names[i], ".."));
        }
        CU_ASSERT(r->nwarnings >= 4); /* each climbing name is reported */
        harness_result_free(r);
    }
    char up[2048];
    snprintf(up, sizeof up, "%s/../x.txt", jail);
    CU_ASSERT_EQUAL(access(up, F_OK), -1);
    snprintf(up, sizeof up, "%s/../../x.txt", jail);
    CU_ASSERT_EQUAL(access(up, F_OK), -1);
    CU_ASSERT_EQUAL(access("/abs/x.txt", F_OK), -1);
    CU_ASSERT_EQUAL(harness_entries_in(jail), 0);
}

static void test_archive_links_never_followed(void)
{
    harness_result *r = run_on("links.tar", "application/x-tar");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    static const char *const skipped[] = {"evil", "up", "hard", "hard2", "dev", "fifo"};
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
        long k = record_index(r, skipped[i]);
        CU_ASSERT(k >= 0);
        if (k >= 0) {
            CU_ASSERT_EQUAL(r->record_status[k], PLEDGEX_SKIP);
            CU_ASSERT(strlen(r->record_reasons[k]) > 5);
        }
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(r->record_reasons[record_index(r, "evil")], "link"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r->record_reasons[record_index(r, "hard")], "hard link"));
    /* The member "behind" the symlink is plain data, not a write through it. */
    long k = child_index(r, "up/escape.txt");
    CU_ASSERT(k >= 0);
    CU_ASSERT(child_index(r, "after.txt") >= 0);
    CU_ASSERT_EQUAL(r->nchildren, 2);
    harness_result_free(r);
    char out[2048];
    snprintf(out, sizeof out, "%s/../escape.txt", jail);
    CU_ASSERT_EQUAL(access(out, F_OK), -1);
    CU_ASSERT_EQUAL(harness_entries_in(jail), 0);
}

/* cpio keeps a hard-linked file's data with its last name: that entry is
 * data read from the archive, the first (empty) one is recorded. */
static void test_archive_cpio_hard_link_data(void)
{
    harness_result *r = run_on("hardlinks.cpio", "application/x-cpio");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    long k = child_index(r, "b.txt");
    CU_ASSERT_FATAL(k >= 0);
    CU_ASSERT_STRING_EQUAL(r->child_data[k], "linked data\n");
    k = record_index(r, "a.txt");
    CU_ASSERT(k >= 0 && r->record_status[k] == PLEDGEX_SKIP);
    CU_ASSERT_EQUAL(r->nchildren, 1);
    harness_result_free(r);
}

static void test_archive_bomb_stopped(void)
{
    static const char *const files[] = {"bomb.tar.gz", "bomb.zip", "bomb.7z"};
    static const char *const mimes[] = {"application/gzip", "application/zip",
                                        "application/x-7z-compressed"};
    for (size_t f = 0; f < 3; f++) {
        harness_result *r = run_on(files[f], mimes[f]);
        CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
        long k = record_index(r, "zeros.bin");
        CU_ASSERT_FATAL(k >= 0);
        CU_ASSERT_EQUAL(r->record_status[k], PLEDGEX_FAILED);
        CU_ASSERT_PTR_NOT_NULL(strstr(r->record_reasons[k], "bomb"));
        CU_ASSERT_EQUAL(child_index(r, "zeros.bin"), -1);
        /* The rest of the archive goes on. */
        if (f < 2)
            CU_ASSERT(child_index(r, "after.txt") >= 0);
        harness_result_free(r);
    }
    /* A higher ratio lets the member through up to the size limit. */
    harness_set_limit("max_ratio", 100000);
    harness_set_limit("max_member_bytes", 8 << 20);
    harness_result *r = run_on("bomb.zip", "application/zip");
    long k = record_index(r, "zeros.bin");
    CU_ASSERT_FATAL(k >= 0);
    CU_ASSERT_EQUAL(r->record_status[k], PLEDGEX_SKIP);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->record_reasons[k], "max-member-bytes"));
    harness_result_free(r);
    harness_reset_settings();
}

/* A solid 7z reads its block ahead: a random (incompressible) member of
 * 6 MB must not look like a bomb. */
static void test_archive_solid_7z_not_a_bomb(void)
{
    harness_result *r = run_on("solid.7z", "application/x-7z-compressed");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r->nrecords, 0);
    long k = child_index(r, "random.bin");
    CU_ASSERT(k >= 0 && r->child_sizes[k] == (6 << 20));
    CU_ASSERT(child_index(r, "note.txt") >= 0);
    harness_result_free(r);
}

static void test_archive_total_bytes_limit(void)
{
    harness_set_limit("max_total_bytes", 100);
    harness_result *r = run_on("truncated.zip", "application/zip");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_WARN);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "max-total-bytes"));
    CU_ASSERT_EQUAL(r->nchildren, 0);
    CU_ASSERT(r->nrecords >= 1);
    harness_result_free(r);
    harness_reset_settings();
}

static void test_archive_member_count_limit(void)
{
    harness_set_limit("max_members", 2);
    harness_result *r = run_on("slip.zip", "application/zip");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_WARN);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "max-members"));
    CU_ASSERT_EQUAL(r->nchildren, 2);
    harness_result_free(r);
    harness_reset_settings();
}

static void test_archive_truncated_keeps_members_before(void)
{
    static const char *const files[] = {"truncated.tar.gz", "truncated.zip"};
    for (size_t f = 0; f < 2; f++) {
        harness_result *r = run_on(files[f], f ? "application/zip" : "application/gzip");
        CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
        CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "damaged"));
        CU_ASSERT(child_index(r, "a.txt") >= 0);
        CU_ASSERT(child_index(r, "b.txt") >= 0);
        CU_ASSERT_EQUAL(child_index(r, "c.bin"), -1);
        CU_ASSERT_EQUAL(child_index(r, "d.txt"), -1);
        long k = record_index(r, "c.bin");
        CU_ASSERT(k >= 0 && r->record_status[k] == PLEDGEX_FAILED);
        /* the member's reason says what happened, not only libarchive's
         * "ZIP decompression failed (-5)" */
        CU_ASSERT(k >= 0 && strstr(r->record_reasons[k], "damaged or truncated"));
        harness_result_free(r);
    }
}

/* ZipCrypto checks a password with one byte: 1 wrong password in 256
 * passes it, and the member then decrypts to garbage that only its CRC
 * catches.  That is a wrong password, not data to keep.  The fixture is one
 * such archive ("secret" is right, "wrong" passes the check). */
static void test_archive_wrong_password_passing_the_check_byte(void)
{
    const char *fx = getenv("PLEDGEX_FIXTURES");
    char path[2048];
    snprintf(path, sizeof path, "%s/archive/zipcrypto-wrong-password-passes-check.zip",
             fx ? fx : "fixtures");
    harness_set_option("password", "wrong");
    harness_result *r = harness_run(plugin, path, "application/zip");
    long k = record_index(r, "secret.txt");
    CU_ASSERT_FATAL(k >= 0);
    CU_ASSERT_EQUAL(r->record_status[k], PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->record_reasons[k], "wrong password"));
    CU_ASSERT_EQUAL(child_index(r, "secret.txt"), -1);
    CU_ASSERT(child_index(r, "plain.txt") >= 0);
    harness_result_free(r);
    harness_set_option("password", "secret");
    r = harness_run(plugin, path, "application/zip");
    k = child_index(r, "secret.txt");
    CU_ASSERT_FATAL(k >= 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->child_data[k], "giao ước"));
    harness_result_free(r);
    harness_reset_settings();
}

static void test_archive_encrypted_member(void)
{
    static const char *const files[] = {"zipcrypto.zip", "aes.zip"};
    for (size_t f = 0; f < 2; f++) {
        harness_result *r = run_on(files[f], "application/zip");
        long k = record_index(r, "secret.txt");
        CU_ASSERT_FATAL(k >= 0);
        CU_ASSERT_EQUAL(r->record_status[k], PLEDGEX_FAILED);
        CU_ASSERT_PTR_NOT_NULL(strstr(r->record_reasons[k], "encrypted"));
        CU_ASSERT(child_index(r, "plain.txt") >= 0);
        harness_result_free(r);

        harness_set_option("password", "secret");
        r = run_on(files[f], "application/zip");
        k = child_index(r, "secret.txt");
        CU_ASSERT_FATAL(k >= 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(r->child_data[k], "giao ước"));
        harness_result_free(r);

        harness_set_option("password", "wrong");
        r = run_on(files[f], "application/zip");
        k = record_index(r, "secret.txt");
        CU_ASSERT(k >= 0 && r->record_status[k] == PLEDGEX_FAILED);
        CU_ASSERT(child_index(r, "plain.txt") >= 0);
        harness_result_free(r);
        harness_reset_settings();
    }
    /* 7z with encrypted headers: the whole archive, with the reason. */
    harness_result *r = run_on("enc.7z", "application/x-7z-compressed");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->err, "ncrypt"));
    harness_result_free(r);
}

static void test_archive_password_file(void)
{
    char pw[2048];
    snprintf(pw, sizeof pw, "%s/../pw.txt", fix);
    FILE *f = fopen(pw, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("secret\n", f);
    fclose(f);
    harness_set_option("password_file", pw);
    harness_result *r = run_on("aes.zip", "application/zip");
    CU_ASSERT(child_index(r, "secret.txt") >= 0);
    harness_result_free(r);
    harness_reset_settings();
    unlink(pw);
}

static void test_archive_not_an_archive(void)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/names.txt", fix);
    harness_result *r = harness_run(plugin, path, "application/zip");
    CU_ASSERT_EQUAL(r->rc, PLEDGEX_FAILED);
    CU_ASSERT(strlen(r->err) > 0);
    CU_ASSERT_EQUAL(r->nchildren, 0);
    harness_result_free(r);
}

int main(void)
{
    const char *base = getenv("PLEDGEX_TEST_TMP");
    char dir[900];
    snprintf(dir, sizeof dir, "%s/archive", base ? base : "tests/tmp");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/jail' && rm -rf '%s/jail/'* ", dir, dir);
    if (system(cmd) != 0)
        return 99;
    snprintf(fix, sizeof fix, "%s/fixtures", dir);
    snprintf(jail, sizeof jail, "%s/jail", dir);
    char done[1100];
    snprintf(done, sizeof done, "%s/.done-5", fix);
    if (access(done, F_OK) != 0) {
        const char *src = getenv("PLEDGEX_FIXTURES");
        snprintf(cmd, sizeof cmd, "python3 '%s/archive/make_fixtures.py' '%s'",
                 src ? src : "fixtures", fix);
        if (system(cmd) != 0) {
            fprintf(stderr, "cannot generate the fixtures (%s)\n", cmd);
            return 77;
        }
    }
    /* Everything the plugin writes goes under the jail. */
    setenv("TMPDIR", jail, 1);
    const char *why = NULL;
    plugin = harness_load("archive", &why);
    if (!plugin) {
        fprintf(stderr, "cannot load the archive plugin: %s\n", why);
        return 99;
    }
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("archive", NULL, NULL);
    CU_add_test(s, "test_archive_every_format", test_archive_every_format);
    CU_add_test(s, "test_archive_nested_one_level", test_archive_nested_one_level);
    CU_add_test(s, "test_archive_cp1258_names", test_archive_cp1258_names);
    CU_add_test(s, "test_archive_cp437_names", test_archive_cp437_names);
    CU_add_test(s, "test_archive_cp1252_names", test_archive_cp1252_names);
    CU_add_test(s, "test_archive_utf8_names_without_flag", test_archive_utf8_names_without_flag);
    CU_add_test(s, "test_archive_rar5_utf8_names", test_archive_rar5_utf8_names);
    CU_add_test(s, "test_archive_name_heuristic_never_invalid",
                test_archive_name_heuristic_never_invalid);
    CU_add_test(s, "test_archive_name_sanitise", test_archive_name_sanitise);
    CU_add_test(s, "test_archive_zip_slip", test_archive_zip_slip);
    CU_add_test(s, "test_archive_links_never_followed", test_archive_links_never_followed);
    CU_add_test(s, "test_archive_cpio_hard_link_data", test_archive_cpio_hard_link_data);
    CU_add_test(s, "test_archive_bomb_stopped", test_archive_bomb_stopped);
    CU_add_test(s, "test_archive_solid_7z_not_a_bomb", test_archive_solid_7z_not_a_bomb);
    CU_add_test(s, "test_archive_total_bytes_limit", test_archive_total_bytes_limit);
    CU_add_test(s, "test_archive_member_count_limit", test_archive_member_count_limit);
    CU_add_test(s, "test_archive_truncated_keeps_members_before",
                test_archive_truncated_keeps_members_before);
    CU_add_test(s, "test_archive_encrypted_member", test_archive_encrypted_member);
    CU_add_test(s, "test_archive_wrong_password_passing_the_check_byte",
                test_archive_wrong_password_passing_the_check_byte);
    CU_add_test(s, "test_archive_password_file", test_archive_password_file);
    CU_add_test(s, "test_archive_not_an_archive", test_archive_not_an_archive);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
