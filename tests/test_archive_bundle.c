/*
 * test_archive_bundle.c -- `pack` and `verify` (core/bundle) on inputs
 * generated at test time: text files (one with a comma and quotes in its
 * name), a JPEG made with ImageMagick, and the nested 7z/ZIP/tar.gz of
 * fixtures/archive/make_fixtures.py.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>
#include <zip.h>

#include "pledgex-bundle.h"
#include "engine.h"

static char dir[1024], in[1100], out[1100], fix[1100];
static int have_convert;

static const char *odd_name = "Biên bản \"ký kết\", 2024.txt";

static int write_file(const char *path, const char *text, time_t mtime)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    fclose(f);
    struct utimbuf t = {mtime, mtime};
    return utime(path, &t);
}

static pledgex_engine *engine(void)
{
    pledgex_engine *e = NULL;
    if (pledgex_engine_new(&e) != PLEDGEX_OK)
        return NULL;
    pledgex_engine_load_plugins(e, NULL);
    return e;
}

static int pack(const char *bundle, const char *password, int metadata)
{
    pledgex_engine *e = engine();
    if (!e)
        return PLEDGEX_FATAL;
    const char *paths[] = {in};
    pledgex_pack_options o = {.password = password, .jobs = 0, .no_metadata = !metadata};
    pledgex_pack_stats st;
    int rc = pledgex_pack(e, paths, 1, bundle, &o, NULL, NULL, &st);
    if (rc != PLEDGEX_OK)
        fprintf(stderr, "\npack: %d %s\n", rc, pledgex_engine_errmsg(e));
    pledgex_engine_free(&e);
    return rc;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = (size_t)n;
    }
    return buf;
}

/* A member's bytes (NUL-terminated) or NULL. */
static char *member(const char *bundle, const char *name, const char *password)
{
    zip_t *za = zip_open(bundle, ZIP_RDONLY, NULL);
    if (!za)
        return NULL;
    if (password)
        zip_set_default_password(za, password);
    zip_stat_t st;
    char *buf = NULL;
    if (zip_stat(za, name, 0, &st) == 0 && (buf = calloc(1, st.size + 1))) {
        zip_file_t *zf = zip_fopen(za, name, 0);
        if (!zf || zip_fread(zf, buf, st.size) != (zip_int64_t)st.size) {
            free(buf);
            buf = NULL;
        }
        if (zf)
            zip_fclose(zf);
    }
    zip_discard(za);
    return buf;
}

typedef struct problems {
    int changed, missing, added;
    char last[2048];
} problems;

static void on_problem(void *user, const char *kind, const char *path, const char *detail)
{
    problems *p = user;
    (void)detail;
    if (!strcmp(kind, "changed"))
        p->changed++;
    else if (!strcmp(kind, "missing"))
        p->missing++;
    else if (!strcmp(kind, "added"))
        p->added++;
    snprintf(p->last, sizeof p->last, "%s", path);
}

static int verify(const char *bundle, const char *password, problems *p)
{
    memset(p, 0, sizeof *p);
    char err[1024];
    size_t n;
    return pledgex_verify(bundle, password, on_problem, p, &n, err, sizeof err);
}

static void test_archive_bundle_pack_twice_identical(void)
{
    char b1[1200], b2[1200];
    snprintf(b1, sizeof b1, "%s/one.zip", out);
    snprintf(b2, sizeof b2, "%s/two.zip", out);
    CU_ASSERT_EQUAL_FATAL(pack(b1, NULL, 1), PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(pack(b2, NULL, 1), PLEDGEX_OK);
    size_t l1 = 0, l2 = 0;
    char *d1 = slurp(b1, &l1), *d2 = slurp(b2, &l2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
    CU_ASSERT(l1 > 1000);
    CU_ASSERT(l1 == l2 && !memcmp(d1, d2, l1));
    free(d1);
    free(d2);
    /* No temporary file is left beside the bundles. */
    DIR *d = opendir(out);
    struct dirent *e;
    int others = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            others++;
    closedir(d);
    CU_ASSERT_EQUAL(others, 0);
}

static void test_archive_bundle_manifest_and_csv(void)
{
    char b[1200];
    snprintf(b, sizeof b, "%s/m.zip", out);
    CU_ASSERT_EQUAL_FATAL(pack(b, NULL, 1), PLEDGEX_OK);
    char *m = member(b, "manifest.json", NULL);
    char *csv = member(b, "captions.csv", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    /* Originals are listed with their addresses and real hashes. */
    char path[1300], sha[65], err[256];
    snprintf(path, sizeof path, "%s/notes/plain.txt", in);
    CU_ASSERT_EQUAL(pledgex__sha256_file(path, sha, err, sizeof err), PLEDGEX_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(m, sha));
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "\"path\":\"originals/notes/plain.txt\""));
    /* A member three archives deep: its address is the index's (the status
     * comes from the metadata pass, so the addresses matched). */
    const char *deep = "outer.7z!level1/middle.zip!level2/inner.tar.gz!docs/note.txt";
    char *at = strstr(m, deep);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    char *line_end = strchr(at, '\n');
    CU_ASSERT(line_end && memmem(at, (size_t)(line_end - at), "\"status\":\"ok\"", 13));
    char *stored = member(b, "originals/outer.7z!/level1/middle.zip!/level2/inner.tar.gz!/"
                             "docs/note.txt", NULL);
    CU_ASSERT(stored && strstr(stored, "giao ước"));
    free(stored);
    /* Legacy names are decoded like the plugin does. */
    CU_ASSERT_PTR_NOT_NULL(strstr(m, "cp1258.zip!Lễ ký kết giao ước thi đua.jpg"));
    /* CSV: BOM, RFC 4180 quoting of a name with quotes and a comma, CRLF. */
    CU_ASSERT(!memcmp(csv, "\xEF\xBB\xBF\"path\",", 10));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\"originals/notes/Biên bản \"\"ký kết\"\", 2024.txt\","));
    CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\r\n"));
    free(m);
    free(csv);
    /* JPEG stored as it is, text deflated, dates from the files. */
    zip_t *za = zip_open(b, ZIP_RDONLY, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(za);
    zip_stat_t st;
    if (have_convert) {
        CU_ASSERT_EQUAL(zip_stat(za, "originals/photos/le-ky.jpg", 0, &st), 0);
        CU_ASSERT_EQUAL(st.comp_method, ZIP_CM_STORE);
    }
    CU_ASSERT_EQUAL(zip_stat(za, "originals/notes/plain.txt", 0, &st), 0);
    CU_ASSERT_EQUAL(st.comp_method, ZIP_CM_DEFLATE);
    CU_ASSERT(st.mtime >= 1710835200 - 86400 && st.mtime <= 1710835200 + 86400);
    zip_discard(za);
}

static void test_archive_bundle_verify_intact(void)
{
    char b[1200];
    snprintf(b, sizeof b, "%s/one.zip", out);
    problems p;
    CU_ASSERT_EQUAL(verify(b, NULL, &p), PLEDGEX_OK);
    CU_ASSERT_EQUAL(p.changed + p.missing + p.added, 0);
}

/* Copies the bundle to a new name for tampering. */
static void copy(const char *from, const char *to)
{
    size_t n;
    char *d = slurp(from, &n);
    FILE *f = fopen(to, "wb");
    if (d && f)
        fwrite(d, 1, n, f);
    if (f)
        fclose(f);
    free(d);
}

static void test_archive_bundle_verify_flipped_byte(void)
{
    char b[1200], t[1200];
    snprintf(b, sizeof b, "%s/one.zip", out);
    snprintf(t, sizeof t, "%s/flipped.zip", out);
    copy(b, t);
    size_t n;
    char *d = slurp(t, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    /* The stored (not deflated) inner archive holds this text verbatim? No:
     * flip a byte of the JPEG when there is one, else of the deflated text. */
    const char *needle = have_convert ? "JFIF" : "PK\x03\x04";
    char *at = memmem(d, n, needle, strlen(needle));
    if (!have_convert && at)
        at = memmem(at + 4, n - (size_t)(at + 4 - d), needle, 4); /* not the first header */
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    at[have_convert ? 40 : 60] ^= 0x01;
    FILE *f = fopen(t, "wb");
    fwrite(d, 1, n, f);
    fclose(f);
    free(d);
    problems p;
    CU_ASSERT_EQUAL(verify(t, NULL, &p), PLEDGEX_FAILED);
    CU_ASSERT_EQUAL(p.changed, 1);
    CU_ASSERT_EQUAL(p.missing + p.added, 0);
    if (have_convert)
        CU_ASSERT_STRING_EQUAL(p.last, "originals/photos/le-ky.jpg");
}

static void test_archive_bundle_verify_missing_and_added(void)
{
    char b[1200], t[1200];
    snprintf(b, sizeof b, "%s/one.zip", out);
    snprintf(t, sizeof t, "%s/edited.zip", out);
    copy(b, t);
    zip_t *za = zip_open(t, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(za);
    zip_int64_t idx = zip_name_locate(za, "originals/notes/plain.txt", 0);
    CU_ASSERT_FATAL(idx >= 0);
    zip_delete(za, (zip_uint64_t)idx);
    static char extra[] = "not from the pack\n";
    zip_source_t *s = zip_source_buffer(za, extra, sizeof extra - 1, 0);
    zip_file_add(za, "originals/intruder.txt", s, 0);
    CU_ASSERT_EQUAL_FATAL(zip_close(za), 0);
    problems p;
    CU_ASSERT_EQUAL(verify(t, NULL, &p), PLEDGEX_FAILED);
    CU_ASSERT_EQUAL(p.missing, 1);
    CU_ASSERT_EQUAL(p.added, 1);
    CU_ASSERT_EQUAL(p.changed, 0);
}

static void test_archive_bundle_verify_not_a_bundle(void)
{
    char err[512];
    size_t n;
    char path[1200];
    snprintf(path, sizeof path, "%s/notes/plain.txt", in);
    CU_ASSERT_EQUAL(pledgex_verify(path, NULL, on_problem, NULL, &n, err, sizeof err),
                    PLEDGEX_FATAL);
    CU_ASSERT(strlen(err) > 0);
}

static void test_archive_bundle_encrypted(void)
{
    if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
        return;
    char b[1200];
    snprintf(b, sizeof b, "%s/aes.zip", out);
    CU_ASSERT_EQUAL_FATAL(pack(b, "mật khẩu 2024", 0), PLEDGEX_OK);
    zip_t *za = zip_open(b, ZIP_RDONLY, NULL);
    zip_stat_t st;
    CU_ASSERT_EQUAL(zip_stat(za, "originals/notes/plain.txt", 0, &st), 0);
    CU_ASSERT_EQUAL(st.encryption_method, ZIP_EM_AES_256);
    zip_discard(za);
    char *text = member(b, "originals/notes/plain.txt", "mật khẩu 2024");
    CU_ASSERT(text && strstr(text, "giao ước"));
    free(text);
    problems p;
    CU_ASSERT_EQUAL(verify(b, "mật khẩu 2024", &p), PLEDGEX_OK);
    char err[512];
    size_t n;
    /* Without the password the manifest cannot be read. */
    CU_ASSERT_NOT_EQUAL(pledgex_verify(b, NULL, on_problem, &p, &n, err, sizeof err),
                        PLEDGEX_OK);
}

static void test_archive_bundle_failure_leaves_nothing(void)
{
    char b[1200];
    snprintf(b, sizeof b, "%s/no/such/dir/x.zip", out);
    CU_ASSERT_NOT_EQUAL(pack(b, NULL, 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(access(b, F_OK), -1);
    /* Replacing an existing bundle is a rename: a reader holding the old
     * one keeps it whole. */
    char old[1200];
    snprintf(old, sizeof old, "%s/replace.zip", out);
    write_file(old, "old bundle\n", 0);
    struct stat before, after;
    stat(old, &before);
    CU_ASSERT_EQUAL(pack(old, NULL, 0), PLEDGEX_OK);
    stat(old, &after);
    CU_ASSERT_NOT_EQUAL(before.st_ino, after.st_ino);
}

/* pack -o DIR/b.zip DIR, twice: the old bundle is not packed into the new
 * one, and the bytes stay the same. */
static void test_archive_bundle_output_inside_input(void)
{
    char b[1200], copy1[1200];
    snprintf(b, sizeof b, "%s/self.zip", in);
    snprintf(copy1, sizeof copy1, "%s/self-first.zip", out);
    CU_ASSERT_EQUAL_FATAL(pack(b, NULL, 0), PLEDGEX_OK);
    copy(b, copy1);
    CU_ASSERT_EQUAL_FATAL(pack(b, NULL, 0), PLEDGEX_OK);
    char *m = member(b, "manifest.json", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_PTR_NULL(strstr(m, "self.zip"));
    free(m);
    size_t l1 = 0, l2 = 0;
    char *d1 = slurp(copy1, &l1), *d2 = slurp(b, &l2);
    CU_ASSERT(d1 && d2 && l1 == l2 && !memcmp(d1, d2, l1));
    free(d1);
    free(d2);
    unlink(b);
}

int main(void)
{
    const char *base = getenv("PLEDGEX_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/archive-bundle", base ? base : "tests/tmp");
    snprintf(in, sizeof in, "%s/in", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(fix, sizeof fix, "%s/fixtures", dir);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' && mkdir -p '%s/notes' '%s/photos' '%s'", in,
             out, in, in, out);
    if (system(cmd) != 0)
        return 99;
    char done[1200];
    snprintf(done, sizeof done, "%s/.done-5", fix);
    if (access(done, F_OK) != 0) {
        const char *src = getenv("PLEDGEX_FIXTURES");
        snprintf(cmd, sizeof cmd, "python3 '%s/archive/make_fixtures.py' '%s'",
                 src ? src : "fixtures", fix);
        if (system(cmd) != 0)
            return 77;
    }
    snprintf(cmd, sizeof cmd, "cp '%s/outer.7z' '%s/cp1258.zip' '%s/'", fix, fix, in);
    if (system(cmd) != 0)
        return 99;
    char p[2048];
    snprintf(p, sizeof p, "%s/notes/plain.txt", in);
    write_file(p, "Bản giao ước thi đua năm 2024 của Công an tỉnh.\n", 1710835200);
    snprintf(p, sizeof p, "%s/notes/%s", in, odd_name);
    write_file(p, "Biên bản ký kết.\n", 1710835200);
    snprintf(cmd, sizeof cmd,
             "convert -size 64x48 xc:red -quality 90 '%s/photos/le-ky.jpg' >/dev/null 2>&1",
             in);
    have_convert = system(cmd) == 0;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("archive_bundle", NULL, NULL);
    CU_add_test(s, "test_archive_bundle_pack_twice_identical",
                test_archive_bundle_pack_twice_identical);
    CU_add_test(s, "test_archive_bundle_manifest_and_csv", test_archive_bundle_manifest_and_csv);
    CU_add_test(s, "test_archive_bundle_verify_intact", test_archive_bundle_verify_intact);
    CU_add_test(s, "test_archive_bundle_verify_flipped_byte",
                test_archive_bundle_verify_flipped_byte);
    CU_add_test(s, "test_archive_bundle_verify_missing_and_added",
                test_archive_bundle_verify_missing_and_added);
    CU_add_test(s, "test_archive_bundle_verify_not_a_bundle",
                test_archive_bundle_verify_not_a_bundle);
    CU_add_test(s, "test_archive_bundle_encrypted", test_archive_bundle_encrypted);
    CU_add_test(s, "test_archive_bundle_output_inside_input",
                test_archive_bundle_output_inside_input);
    CU_add_test(s, "test_archive_bundle_failure_leaves_nothing",
                test_archive_bundle_failure_leaves_nothing);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
