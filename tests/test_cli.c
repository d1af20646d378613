/*
 * test_cli.c -- the pledgex command as a user runs it: exit codes, error
 * messages naming the file, quiet output without a terminal, search and
 * export formats.
 */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static const char *fixture(const char *name)
{
    static char bufs[4][4096]; /* several may appear in one call */
    static int k;
    char *buf = bufs[k++ % 4];
    const char *dir = getenv("PLEDGEX_FIXTURES");
    snprintf(buf, sizeof bufs[0], "%s/core/%s", dir ? dir : "fixtures", name);
    return buf;
}

static int run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int run(char **out, const char *fmt, ...)
{
    char args[4096], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' %s </dev/null", tu_cli(), args);
    return tu_run(cmd, out);
}

/* The summary groups the skipped files by reason, with an example each,
 * as it does the failed ones: the user sees what was left out and why. */
static void test_cli_summary_groups_skipped_files(void)
{
    char *out;
    const char *noise = tu_path("noise.bin");
    FILE *f = fopen(noise, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (int i = 0; i < 4096; i++)
        fputc((i * 7919 + 13) % 251, f); /* no type any plugin reads */
    fclose(f);
    const char *db = tu_path("skips.db");
    CU_ASSERT_EQUAL(run(&out, "ingest --db '%s' '%s' '%s'", db, fixture("pledge-vi.txt"), noise),
                    0);
    const char *skipped = strstr(out, "skipped ");
    CU_ASSERT_PTR_NOT_NULL(skipped);
    const char *why = skipped ? strstr(skipped, "no plugin reads") : NULL;
    CU_ASSERT_PTR_NOT_NULL(why);
    CU_ASSERT(why && strstr(why, "(e.g. ") && strstr(why, "noise.bin"));
    free(out);
}

static void test_cli_version_and_usage(void)
{
    char *out;
    CU_ASSERT_EQUAL(run(&out, "--version"), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "pledgex " PACKAGE_VERSION));
    free(out);
    CU_ASSERT_EQUAL(run(&out, "no-such-command"), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown command"));
    free(out);
    CU_ASSERT_EQUAL(run(&out, "ingest"), 2);
    free(out);
    CU_ASSERT_EQUAL(run(&out, "ingest --no-such-option x"), 2);
    free(out);
    const char *cmds[] = {"ingest", "search", "show", "export", "units", "plugins", "detect"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        CU_ASSERT_EQUAL(run(&out, "%s --help", cmds[i]), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: pledgex"));
        free(out);
    }
}

static void test_cli_missing_input_exits_1_naming_it(void)
{
    char *out;
    const char *db = tu_path("missing.db");
    int rc = run(&out, "ingest --db '%s' '%s' missing.jpg", db, fixture("pledge-vi.txt"));
    CU_ASSERT_EQUAL(rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "missing.jpg"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "No such file"));
    /* no progress noise without a terminal: no carriage returns */
    CU_ASSERT_PTR_NULL(strchr(out, '\r'));
    free(out);
    /* the good file beside it was indexed */
    CU_ASSERT_EQUAL(run(&out, "search --db '%s' giao uoc", db), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "pledge-vi.txt"));
    free(out);
}

static void test_cli_search_json_and_export(void)
{
    char *out;
    const char *db = tu_path("s.db");
    CU_ASSERT_EQUAL(run(&out, "ingest -q --db '%s' '%s'", db, fixture("pledge-vi.txt")), 0);
    free(out);
    CU_ASSERT_EQUAL(run(&out, "search --db '%s' --json thi dua", db), 0);
    char *nl = strchr(out, '\n');
    if (nl)
        *nl = 0;
    CU_ASSERT_TRUE(tu_json_valid(out));
    char *snippet = tu_json_get(out, "$.snippet");
    CU_ASSERT(snippet && strstr(snippet, "<b>"));
    free(snippet);
    char *addr = tu_json_get(out, "$.address");
    CU_ASSERT(addr && strstr(addr, "pledge-vi.txt"));
    free(addr);
    free(out);
    CU_ASSERT_EQUAL(run(&out, "export --db '%s'", db), 0);
    nl = strchr(out, '\n');
    if (nl)
        *nl = 0;
    CU_ASSERT_TRUE(tu_json_valid(out));
    char *st = tu_json_get(out, "$.status");
    CU_ASSERT_STRING_EQUAL(st ? st : "", "ok");
    free(st);
    free(out);
    /* a query the parser cannot take: a message and exit 2 */
    CU_ASSERT_EQUAL(run(&out, "search --db '%s' '\"thi dua'", db), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "unbalanced quote"));
    free(out);
    /* filters alone list what they pass, without a score */
    CU_ASSERT_EQUAL(run(&out, "search --db '%s' --kind text", db), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "pledge-vi.txt"));
    CU_ASSERT_PTR_NULL(strstr(out, "score"));
    free(out);
    CU_ASSERT_EQUAL(run(&out, "search --db '%s'", db), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "no filter"));
    free(out);
}

static void test_cli_bad_database_exits_2(void)
{
    char *out;
    const char *notdb = tu_path("notes.db");
    tu_write_str(notdb, "plain text, not a database, long enough to be read as one\n");
    CU_ASSERT_EQUAL(run(&out, "ingest --db '%s' '%s'", notdb, fixture("pledge-vi.txt")), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "notes.db"));
    free(out);
}

/* The commands that only read never make an index: a mistyped --db used
 * to be created, empty, and answered "no match"; an empty file given as
 * --db became an index. */
static void test_cli_read_commands_need_an_index(void)
{
    static const char *const cmds[] = {"search --db '%s' thi", "units --db '%s'",
                                       "export --db '%s'", "show --db '%s' x.txt"};
    const char *missing = tu_path("typo.db"), *empty = tu_path("empty.db");
    tu_write_str(empty, "");
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        for (int k = 0; k < 2; k++) {
            char args[1024], *out;
            snprintf(args, sizeof args, cmds[i], k ? empty : missing);
            CU_ASSERT_EQUAL(run(&out, "%s", args), 2);
            CU_ASSERT_PTR_NOT_NULL(
                strstr(out, k ? "empty.db: not a pledgex index" : "typo.db: no index"));
            free(out);
        }
    }
    struct stat st;
    CU_ASSERT_NOT_EQUAL(stat(missing, &st), 0);
    CU_ASSERT(stat(empty, &st) == 0 && st.st_size == 0);
}

static void test_cli_detect_and_plugins(void)
{
    char *out;
    CU_ASSERT_EQUAL(run(&out, "detect '%s' '%s'", fixture("pledge-vi.txt"), fixture("blank.png")),
                    0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "text/plain\ttext"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "image/png"));
    free(out);
    CU_ASSERT_EQUAL(run(&out, "plugins"), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "text/plain"));
    free(out);
}

/* pack and verify run the pledgex-bundle program (bundle_exec.c): through
 * the pledgex command they write and check a bundle, and a missing
 * program is an error that names it. */
static void test_cli_pack_and_verify_through_the_command(void)
{
    char *out;
    const char *bundle = tu_path("cli-pack.zip");
    remove(bundle);
    CU_ASSERT_EQUAL(run(&out, "pack -q -o '%s' '%s'", bundle, fixture("pledge-vi.txt")), 0);
    free(out);
    CU_ASSERT_EQUAL(run(&out, "verify '%s'", bundle), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "every member matches"));
    free(out);
    CU_ASSERT_EQUAL(run(&out, "pack --help"), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: pledgex pack"));
    free(out);
    setenv("PLEDGEX_BUNDLE_PROGRAM", "/nonexistent/pledgex-bundle", 1);
    CU_ASSERT_EQUAL(run(&out, "verify '%s'", bundle), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "cannot run /nonexistent/pledgex-bundle"));
    free(out);
    unsetenv("PLEDGEX_BUNDLE_PROGRAM");
}

/* show finds a document by the path typed, whether ingest was given it
 * absolute or relative: the address is the path as given. */
static void test_cli_show_by_relative_or_absolute_path(void)
{
    char *out;
    const char *dir = tu_path("showrel");
    char doc[4096], db[4096], cmd[12288];
    snprintf(doc, sizeof doc, "%s/doc.txt", dir);
    snprintf(db, sizeof db, "%s/show.db", dir);
    tu_write_str(doc, "Sở Tư pháp ký giao ước thi đua năm 2024.\n");
    CU_ASSERT_EQUAL(run(&out, "ingest -q --db '%s' '%s'", db, doc), 0); /* absolute */
    free(out);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' show --db show.db doc.txt", dir, tu_cli());
    CU_ASSERT_EQUAL(tu_run(cmd, &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Sở Tư pháp"));
    free(out);
    /* and the other way round: ingested relative, shown by its absolute
     * path from the same directory */
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' ingest -q --db rel.db doc.txt", dir, tu_cli());
    CU_ASSERT_EQUAL(tu_run(cmd, &out), 0);
    free(out);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' show --db rel.db '%s'", dir, tu_cli(), doc);
    CU_ASSERT_EQUAL(tu_run(cmd, &out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "Sở Tư pháp"));
    free(out);
    snprintf(db, sizeof db, "%s/rel.db", dir);
    CU_ASSERT_EQUAL(run(&out, "show --db '%s' no-such.txt", db), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "no-such.txt: no such document"));
    free(out);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("cli", NULL, NULL);
    TU_TEST(s, test_cli_version_and_usage);
    TU_TEST(s, test_cli_missing_input_exits_1_naming_it);
    TU_TEST(s, test_cli_search_json_and_export);
    TU_TEST(s, test_cli_bad_database_exits_2);
    TU_TEST(s, test_cli_read_commands_need_an_index);
    TU_TEST(s, test_cli_detect_and_plugins);
    TU_TEST(s, test_cli_pack_and_verify_through_the_command);
    TU_TEST(s, test_cli_show_by_relative_or_absolute_path);
    TU_TEST(s, test_cli_summary_groups_skipped_files);
    return tu_main();
}
