/*
 * test_durability.c -- what survives: kill -9 at several moments of an
 * ingest leaves a database that passes integrity_check and holds only whole
 * documents, and running the command again gives the same export as an
 * uninterrupted run; searches while an ingest runs; two ingests on one
 * database; the disk filling up.  Drives the real command of the build tree
 * with the "torture" test plugin (SLEEP makes an ingest last long enough to
 * be killed).
 */
#include <config.h>

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define NFILES 40

static const char *plugin_dir(void)
{
    const char *d = getenv("PLEDGEX_TEST_PLUGINS");
    return d ? d : "tests/plugins/.libs";
}

static void make_batch(const char *dir, int sleep_ms, const char *word)
{
    for (int i = 0; i < NFILES; i++) {
        char path[4096], text[512];
        snprintf(path, sizeof path, "%s/doc-%02d.txt", dir, i);
        snprintf(text, sizeof text,
                 "SLEEP %d\n%s số %d của Khối thi đua\nCHILD m%02d.txt thành viên %d\n", sleep_ms,
                 word, i, i, i);
        tu_write_str(path, text);
    }
}

/* Starts `pledgex ingest` in its own process group; returns its pid. */
static pid_t start_ingest(const char *db, const char *dir, long fsize_limit)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        /* A killed ingest cannot remove its temporary directory: keep it in
         * the scratch area, which the suite removes. */
        setenv("TMPDIR", tu_scratch(), 1);
        if (fsize_limit > 0) {
            struct rlimit rl = {(rlim_t)fsize_limit, (rlim_t)fsize_limit};
            setrlimit(RLIMIT_FSIZE, &rl);
            signal(SIGXFSZ, SIG_IGN);
        }
        int null = open("/dev/null", 1);
        dup2(null, 1);
        dup2(null, 2);
        execl(tu_cli(), "pledgex", "ingest", "-q", "-j", "2", "--plugin-dir", plugin_dir(),
              "--db", db, dir, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    return pid;
}

static int wait_exit(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *export_of(const char *db)
{
    char cmd[4096];
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "'%s' export --db '%s' 2>/dev/null", tu_cli(), db);
    tu_run(cmd, &out);
    return out;
}

/* integrity_check result and the number of documents, blocks and
 * documents without their block ("half documents"). */
static void inspect(const char *db, char *integrity, size_t n, long *docs, long *halves)
{
    sqlite3 *h;
    if (access(db, F_OK) != 0) { /* killed before the index was created */
        snprintf(integrity, n, "ok");
        *docs = *halves = 0;
        return;
    }
    *docs = *halves = -1;
    snprintf(integrity, n, "cannot open");
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        snprintf(integrity, n, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(h, "SELECT count(*) FROM docs", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *docs = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(h,
                           "SELECT count(*) FROM docs d WHERE status='ok' AND NOT EXISTS "
                           "(SELECT 1 FROM blocks b WHERE b.doc_id=d.id)",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *halves = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static void test_durability_kill9_then_rerun_matches_uninterrupted(void)
{
    const char *dir = tu_path("k9-input");
    make_batch(dir, 80, "Giao ước");
    const char *ref = tu_path("k9-ref.db");
    CU_ASSERT_EQUAL_FATAL(wait_exit(start_ingest(ref, dir, 0)), 0);
    char *want = export_of(ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(want);
    const int kill_ms[] = {150, 450, 900};
    for (size_t k = 0; k < sizeof kill_ms / sizeof kill_ms[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "k9-%zu.db", k);
        const char *db = tu_path(name);
        pid_t pid = start_ingest(db, dir, 0);
        usleep((useconds_t)kill_ms[k] * 1000u);
        kill(-pid, SIGKILL);
        wait_exit(pid);
        char integrity[256];
        long docs, halves;
        inspect(db, integrity, sizeof integrity, &docs, &halves);
        CU_ASSERT_STRING_EQUAL(integrity, "ok");
        CU_ASSERT_EQUAL(halves, 0);
        CU_ASSERT_TRUE(docs >= 0 && docs < 2 * NFILES); /* it really was interrupted */
        CU_ASSERT_EQUAL(wait_exit(start_ingest(db, dir, 0)), 0);
        char *got = export_of(db);
        CU_ASSERT_PTR_NOT_NULL(got);
        CU_ASSERT_STRING_EQUAL(got ? got : "", want);
        free(got);
    }
    free(want);
}

static void test_durability_search_during_ingest_and_two_writers(void)
{
    const char *a = tu_path("two-a"), *b = tu_path("two-b");
    make_batch(a, 20, "Alpha");
    make_batch(b, 20, "Beta");
    const char *db = tu_path("two.db");
    /* create the schema first so both writers find it */
    CU_ASSERT_EQUAL_FATAL(wait_exit(start_ingest(db, tu_path("two-a/doc-00.txt"), 0)), 0);
    pid_t pa = start_ingest(db, a, 0), pb = start_ingest(db, b, 0);
    int searches = 0, search_failures = 0;
    for (int i = 0; i < 20; i++) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "'%s' search --db '%s' khoi thi dua >/dev/null 2>&1",
                 tu_cli(), db);
        if (tu_run(cmd, NULL) != 0)
            search_failures++;
        searches++;
        usleep(50000);
    }
    CU_ASSERT_EQUAL(wait_exit(pa), 0);
    CU_ASSERT_EQUAL(wait_exit(pb), 0);
    CU_ASSERT_EQUAL(search_failures, 0);
    CU_ASSERT_TRUE(searches > 0);
    char integrity[256];
    long docs, halves;
    inspect(db, integrity, sizeof integrity, &docs, &halves);
    CU_ASSERT_STRING_EQUAL(integrity, "ok");
    CU_ASSERT_EQUAL(docs, 4 * NFILES);
    CU_ASSERT_EQUAL(halves, 0);
}

static void test_durability_disk_full_keeps_what_was_indexed(void)
{
    const char *first = tu_path("full-a");
    make_batch(first, 0, "Trước");
    const char *db = tu_path("full.db");
    CU_ASSERT_EQUAL_FATAL(wait_exit(start_ingest(db, first, 0)), 0);
    /* a second batch of large texts under a file-size limit */
    const char *second = tu_path("full-b");
    char *big = malloc(200000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    for (int i = 0; i < 30; i++) {
        size_t n = 0;
        while (n < 199000) {
            int k = snprintf(big + n, 200000 - n, "dòng %d của văn bản lớn số %d. ", (int)n, i);
            n += (size_t)k;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/big-%02d.txt", second, i);
        tu_write(path, big, n);
    }
    free(big);
    int rc = wait_exit(start_ingest(db, second, 1L << 20));
    CU_ASSERT_EQUAL(rc, 2);
    char integrity[256];
    long docs, halves;
    inspect(db, integrity, sizeof integrity, &docs, &halves);
    CU_ASSERT_STRING_EQUAL(integrity, "ok");
    CU_ASSERT_TRUE(docs >= 2 * NFILES);
    CU_ASSERT_EQUAL(halves, 0);
    char cmd[4096];
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "'%s' search --db '%s' --limit 100 --json truoc", tu_cli(), db);
    CU_ASSERT_EQUAL(tu_run(cmd, &out), 0);
    int hits = 0;
    for (char *p = out; p && (p = strstr(p, "\"address\"")); p++)
        hits++;
    CU_ASSERT_EQUAL(hits, NFILES);
    free(out);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("durability", NULL, NULL);
    TU_TEST(s, test_durability_kill9_then_rerun_matches_uninterrupted);
    TU_TEST(s, test_durability_search_during_ingest_and_two_writers);
    TU_TEST(s, test_durability_disk_full_keeps_what_was_indexed);
    return tu_main();
}
