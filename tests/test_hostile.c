/*
 * test_hostile.c -- a corpus of hostile and broken inputs, generated at
 * test time, ingested in one batch beside good files with the real
 * plugins: each bad input gets a clear reason, the good ones are indexed,
 * the batch exits 1 with a summary, nothing crashes, and nothing is written
 * outside the database.
 */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static int have(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return tu_run(cmd, NULL);
}

static char *export_all;
static int ingest_rc;
static char *ingest_out;

/* The export line of the document whose address ends with `suffix`. */
static char *line_of(const char *suffix)
{
    for (char *p = export_all; p && *p;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, n);
        char *addr = tu_json_get(line, "$.address");
        int match = addr && strlen(addr) >= strlen(suffix) &&
                    !strcmp(addr + strlen(addr) - strlen(suffix), suffix);
        free(addr);
        if (match)
            return line;
        free(line);
        p = nl ? nl + 1 : p + n;
    }
    return NULL;
}

static char *field_of(const char *suffix, const char *path)
{
    char *line = line_of(suffix);
    if (!line)
        return NULL;
    char *v = tu_json_get(line, path);
    free(line);
    return v;
}

/* The document exists, its status is one of `statuses` (|-separated) and
 * its error mentions `reason` (case-insensitive substring; NULL: any
 * non-empty error). */
static void expect_refused(const char *suffix, const char *statuses, const char *reason)
{
    char *st = field_of(suffix, "$.status");
    char *err = field_of(suffix, "$.error");
    int ok_status = st && strstr(statuses, st) != NULL;
    int ok_reason = err && *err && (!reason || strcasestr(err, reason));
    if (!ok_status || !ok_reason)
        fprintf(stderr, "\n  %s: status %s, error %s (want %s / %s)\n", suffix,
                st ? st : "(none)", err ? err : "(none)", statuses, reason ? reason : "any");
    CU_ASSERT_TRUE(ok_status);
    CU_ASSERT_TRUE(ok_reason);
    free(st);
    free(err);
}

static void expect_ok(const char *suffix)
{
    char *st = field_of(suffix, "$.status");
    if (!st || strcmp(st, "ok"))
        fprintf(stderr, "\n  %s: status %s, want ok\n", suffix, st ? st : "(none)");
    CU_ASSERT_STRING_EQUAL(st ? st : "", "ok");
    free(st);
}

static int build_corpus(const char *d)
{
    if (!have("convert") || !have("zip") || !have("python3"))
        return -1;
    mkdir(d, 0700);
    /* good files */
    tu_write_str(tu_path("corpus/good-pledge.txt"),
                 "BẢN GIAO ƯỚC THI ĐUA NĂM 2024\nSở Tư pháp và Công an tỉnh ký giao ước.\n");
    sh("cd '%s' && convert -size 200x80 xc:white -fill black -pointsize 20 "
       "-annotate +10+40 'Giao uoc' good-page.png",
       d);
    /* empty, random, lying extension, invalid UTF-8, UTF-16 */
    tu_write_str(tu_path("corpus/empty.txt"), "");
    sh("cd '%s' && head -c 4096 /dev/urandom > random.bin && cp random.bin random.jpg", d);
    sh("cd '%s' && cp good-page.png png-named.txt", d);
    static const char invalid[] = "Tòa án \xff\xfe nhân dân\n";
    tu_write(tu_path("corpus/invalid-utf8.txt"), invalid, sizeof invalid - 1);
    sh("cd '%s' && printf 'Ủy ban nhân dân tỉnh\\n' | iconv -f UTF-8 -t UTF-16 > utf16.txt", d);
    /* truncated images */
    sh("cd '%s' && convert -size 400x300 plasma:fractal -quality 80 whole.jpg && "
       "head -c 3000 whole.jpg > truncated.jpg && rm whole.jpg && "
       "convert -size 400x300 xc:white whole.png && head -c 200 whole.png > truncated.png && "
       "rm whole.png && convert -size 400x300 xc:white -compress lzw whole.tif && "
       "head -c 300 whole.tif > truncated.tif && rm whole.tif",
       d);
    /* a PNG header claiming 60000 x 60000 pixels */
    sh("cd '%s' && python3 -c \"import struct,zlib,sys\n"
       "def c(k,b): return struct.pack('>I',len(b))+k+b+struct.pack('>I',zlib.crc32(k+b))\n"
       "sys.stdout.buffer.write(b'\\x89PNG\\r\\n\\x1a\\n'+c(b'IHDR',struct.pack('>IIBBBBB',"
       "60000,60000,8,2,0,0,0))+c(b'IDAT',zlib.compress(b'\\x00'*64))+c(b'IEND',b''))\" "
       "> huge.png",
       d);
    /* a bomb: 300 MB of zeros in a small ZIP */
    sh("cd '%s' && head -c 300000000 /dev/zero > zeros.txt && zip -q -9 bomb.zip zeros.txt && "
       "rm zeros.txt",
       d);
    /* 30-deep nesting */
    sh("cd '%s' && mkdir -p nest && cd nest && echo 'tầng sâu nhất' > n0.txt && "
       "i=0; while [ $i -lt 30 ]; do zip -q n$((i+1)).zip n$i.*; rm n$i.*; i=$((i+1)); done && "
       "mv n30.zip ../deep.zip && cd .. && rmdir nest",
       d);
    /* zip slip and absolute names, links in a tar */
    sh("cd '%s' && python3 -c \"import zipfile\n"
       "z=zipfile.ZipFile('slip.zip','w')\n"
       "z.writestr('../../escaped.txt','thoát ra ngoài')\n"
       "z.writestr('/abs/escaped.txt','tuyệt đối')\n"
       "z.close()\"",
       d);
    sh("cd '%s' && mkdir -p lk && cd lk && echo 'nội dung' > real.txt && ln -s /etc/passwd "
       "evil-link && ln real.txt hard.txt && tar cf ../links.tar real.txt evil-link hard.txt && "
       "cd .. && rm -rf lk",
       d);
    /* an encrypted ZIP */
    sh("cd '%s' && echo 'bí mật' > secret.txt && zip -q -P matkhau encrypted.zip secret.txt && "
       "rm secret.txt",
       d);
    /* a directory with a symlink loop */
    sh("cd '%s' && mkdir -p loop/sub && ln -s .. loop/sub/up && echo 'vòng lặp' > "
       "loop/sub/a.txt",
       d);
    return 0;
}

static void test_hostile_corpus_batch(void)
{
    const char *d = tu_path("corpus");
    if (build_corpus(d) != 0) {
        fprintf(stderr, "\n  convert/zip/python3 missing: corpus not built\n");
        return;
    }
    const char *db = tu_path("hostile.db");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' ingest -j 2 --db '%s' '%s' </dev/null",
             tu_scratch(), tu_cli(), db, d);
    ingest_rc = tu_run(cmd, &ingest_out);
    snprintf(cmd, sizeof cmd, "'%s' export --db '%s'", tu_cli(), db);
    tu_run(cmd, &export_all);

    CU_ASSERT_EQUAL(ingest_rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(ingest_out, "ingest summary"));
    CU_ASSERT_PTR_NULL(strstr(export_all, "crashed:"));
    CU_ASSERT_PTR_NULL(strstr(export_all, "timed out"));
    expect_ok("good-pledge.txt");
    expect_ok("good-page.png");
    expect_refused("empty.txt", "failed", "empty");
    expect_refused("random.bin", "failed|skipped", NULL);
    expect_refused("random.jpg", "failed|skipped", NULL);
    char *mime = field_of("png-named.txt", "$.mime");
    CU_ASSERT_STRING_EQUAL(mime ? mime : "", "image/png");
    free(mime);
    /* invalid UTF-8: read with replacements and a warning */
    expect_ok("invalid-utf8.txt");
    char *warn = field_of("invalid-utf8.txt", "$.warnings[0]");
    CU_ASSERT_PTR_NOT_NULL(warn);
    free(warn);
    expect_refused("truncated.jpg", "failed", NULL);
    expect_refused("truncated.png", "failed", NULL);
    expect_refused("truncated.tif", "failed", NULL);
    expect_refused("huge.png", "failed", "pixel");
    expect_refused("bomb.zip!zeros.txt", "failed|skipped", NULL);
    /* nesting stops at the default depth of 10 with a reason */
    CU_ASSERT_PTR_NOT_NULL(strstr(export_all, "nested deeper than 10"));
    expect_refused("encrypted.zip!secret.txt", "failed|skipped", "encrypt");
    expect_refused("links.tar!evil-link", "failed|skipped", "link");
    expect_ok("links.tar!real.txt");
    expect_refused("loop/sub/up", "skipped", "symbolic link");
    expect_ok("loop/sub/a.txt");
    /* nothing escaped the temporary directory */
    char path[4096];
    snprintf(path, sizeof path, "%s/../../escaped.txt", d);
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
    CU_ASSERT_NOT_EQUAL(access("/abs/escaped.txt", F_OK), 0);
    CU_ASSERT_NOT_EQUAL(access(tu_path("escaped.txt"), F_OK), 0);
    /* every failure printed names its input */
    CU_ASSERT_PTR_NOT_NULL(strstr(ingest_out, "empty.txt: empty file"));
}

static void test_hostile_missing_and_deleted_files(void)
{
    const char *db = tu_path("gone.db");
    tu_write_str(tu_path("gone/keep.txt"), "còn lại\n");
    char cmd[8192];
    char *out = NULL;
    /* a dangling symlink given on the command line: the file is gone */
    sh("ln -sf '%s' '%s'", tu_path("gone/never-existed.txt"), tu_path("gone-link.txt"));
    snprintf(cmd, sizeof cmd, "'%s' ingest --db '%s' '%s' '%s' </dev/null", tu_cli(), db,
             tu_path("gone/keep.txt"), tu_path("gone-link.txt"));
    CU_ASSERT_EQUAL(tu_run(cmd, &out), 1);
    CU_ASSERT(out && strstr(out, "gone-link.txt: cannot read"));
    free(out);
}

static void cleanup(void)
{
    free(export_all);
    free(ingest_out);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("hostile", NULL, NULL);
    TU_TEST(s, test_hostile_corpus_batch);
    TU_TEST(s, test_hostile_missing_and_deleted_files);
    int rc = tu_main();
    cleanup();
    return rc;
}
