/*
 * test_archive_pipeline.c -- archives through the real pipeline
 * (pledgex_ingest into a fresh index, read back with pledgex_export): the
 * addresses of nested members, the depth limit, damaged archives, and the
 * private temporary directories left empty.
 *
 * Uses the fixtures test_archive generates (fixtures/archive/
 * make_fixtures.py), generating them itself when missing.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pledgex.h"
#include "plugin_harness.h"

static char fix[1024], work[1024], jail[1024];

/* The exported documents, one JSON object per line. */
typedef struct docs {
    char **lines;
    size_t n;
} docs;

static int collect(void *user, const char *json, size_t len)
{
    docs *d = user;
    d->lines = realloc(d->lines, (d->n + 1) * sizeof *d->lines);
    d->lines[d->n++] = strndup(json, len);
    return 0;
}

static void docs_free(docs *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->lines[i]);
    free(d->lines);
    d->lines = NULL;
    d->n = 0;
}

/* The JSON of the document at `address`, or NULL. */
static const char *doc_of(const docs *d, const char *address)
{
    char key[4096];
    snprintf(key, sizeof key, "{\"address\":\"%s\",", address);
    for (size_t i = 0; i < d->n; i++)
        if (!strncmp(d->lines[i], key, strlen(key)))
            return d->lines[i];
    return NULL;
}

static int has(const char *json, const char *field)
{
    return json && strstr(json, field) != NULL;
}

/* Set by a test to interrupt the ingest after the first member is done. */
static pledgex_engine *to_cancel;

static void on_event(void *user, const pledgex_event *ev)
{
    (void)user;
    if (to_cancel && ev->type == PLEDGEX_EVENT_DONE && ev->address && strchr(ev->address, '!'))
        pledgex_engine_cancel(to_cancel);
}

/* Ingests one fixture (as its bare name, so addresses are short) into a
 * fresh index with `jobs` workers and exports every document into d. */
static int ingest_ex(const char *name, int jobs, docs *d, const char *limit, int64_t value,
                     int cancel)
{
    char db[2048];
    snprintf(db, sizeof db, "%s/%s.db", work, name);
    unlink(db);
    pledgex_engine *e = NULL;
    pledgex_index *ix = NULL;
    char err[1024];
    if (pledgex_engine_new(&e) != PLEDGEX_OK)
        return -1;
    if (pledgex_engine_load_plugins(e, NULL) == PLEDGEX_FATAL ||
        pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK) {
        pledgex_engine_free(&e);
        return -1;
    }
    pledgex_engine_set_option(e, "tmpdir", jail);
    if (limit)
        pledgex_engine_set_limit(e, limit, value);
    if (chdir(fix) != 0)
        return -1;
    const char *paths[] = {name};
    pledgex_ingest_stats st;
    to_cancel = cancel ? e : NULL;
    int rc = pledgex_ingest(e, ix, paths, 1, jobs, on_event, NULL, &st);
    to_cancel = NULL;
    /* Also after an interruption (PLEDGEX_FATAL): what was committed stays. */
    pledgex_export(ix, collect, d);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
    return rc;
}

static int ingest(const char *name, int jobs, docs *d, const char *limit, int64_t value)
{
    return ingest_ex(name, jobs, d, limit, value, 0);
}

static void test_archive_pipeline_nested_addresses(void)
{
    for (int jobs = 0; jobs <= 1; jobs++) {
        docs d = {0};
        int rc = ingest("outer.7z", jobs, &d, NULL, 0);
        CU_ASSERT_EQUAL(rc, PLEDGEX_OK);
        const char *top = doc_of(&d, "outer.7z");
        const char *l1 = doc_of(&d, "outer.7z!level1/middle.zip");
        const char *l2 = doc_of(&d, "outer.7z!level1/middle.zip!level2/inner.tar.gz");
        const char *l3 =
            doc_of(&d, "outer.7z!level1/middle.zip!level2/inner.tar.gz!docs/note.txt");
        CU_ASSERT(has(top, "\"status\":\"ok\"") && has(top, "\"plugin\":\"archive\""));
        CU_ASSERT(has(l1, "\"status\":\"ok\"") && has(l1, "\"parent\":\"outer.7z\""));
        CU_ASSERT(has(l2, "\"status\":\"ok\"") &&
                  has(l2, "\"parent\":\"outer.7z!level1/middle.zip\""));
        CU_ASSERT(has(l3, "\"status\":\"ok\""));
        CU_ASSERT(has(l3, "giao ước thi đua khối nội chính"));
        CU_ASSERT_EQUAL(d.n, 4);
        docs_free(&d);
    }
    CU_ASSERT_EQUAL(harness_entries_in(jail), 0);
}

static void test_archive_pipeline_depth_limit(void)
{
    docs d = {0};
    ingest("nest30.zip", 0, &d, NULL, 0);
    /* Depth 10 is the default: n11.zip (depth 10) is read, n12.zip (depth
     * 11) is recorded with the reason, nothing below it exists. */
    char addr[4096] = "nest30.zip";
    for (int i = 2; i <= 11; i++) {
        char part[16];
        snprintf(part, sizeof part, "!n%02d.zip", i);
        strcat(addr, part);
        CU_ASSERT(has(doc_of(&d, addr), "\"status\":\"ok\""));
    }
    strcat(addr, "!n12.zip");
    const char *deep = doc_of(&d, addr);
    CU_ASSERT(has(deep, "\"status\":\"skipped\""));
    CU_ASSERT(has(deep, "max-depth"));
    CU_ASSERT_EQUAL(d.n, 12);
    docs_free(&d);

    /* The limit is the user's to change. */
    ingest("nest30.zip", 0, &d, "max_depth", 3);
    CU_ASSERT_EQUAL(d.n, 5);
    docs_free(&d);
    CU_ASSERT_EQUAL(harness_entries_in(jail), 0);
}

static void test_archive_pipeline_truncated(void)
{
    docs d = {0};
    int rc = ingest("truncated.tar.gz", 1, &d, NULL, 0);
    CU_ASSERT_EQUAL(rc, PLEDGEX_WARN);
    const char *top = doc_of(&d, "truncated.tar.gz");
    CU_ASSERT(has(top, "\"status\":\"failed\"") && has(top, "damaged"));
    CU_ASSERT(has(doc_of(&d, "truncated.tar.gz!a.txt"), "\"status\":\"ok\""));
    CU_ASSERT(has(doc_of(&d, "truncated.tar.gz!b.txt"), "\"status\":\"ok\""));
    CU_ASSERT(has(doc_of(&d, "truncated.tar.gz!c.bin"), "\"status\":\"failed\""));
    CU_ASSERT_PTR_NULL(doc_of(&d, "truncated.tar.gz!d.txt"));
    docs_free(&d);
    CU_ASSERT_EQUAL(harness_entries_in(jail), 0);
}

static void test_archive_pipeline_bomb_and_links(void)
{
    docs d = {0};
    ingest("bomb.tar.gz", 1, &d, NULL, 0);
    CU_ASSERT(has(doc_of(&d, "bomb.tar.gz!zeros.bin"), "bomb"));
    CU_ASSERT(has(doc_of(&d, "bomb.tar.gz!after.txt"), "\"status\":\"ok\""));
    docs_free(&d);
    ingest("links.tar", 0, &d, NULL, 0);
    CU_ASSERT(has(doc_of(&d, "links.tar!evil"), "\"status\":\"skipped\""));
    CU_ASSERT(has(doc_of(&d, "links.tar!up/escape.txt"), "\"status\":\"ok\""));
    docs_free(&d);
    CU_ASSERT_EQUAL(harness_entries_in(jail), 0);
}

/* Interrupted after the first member: the archive stops between members,
 * says so, and its temporary files are gone. */
static void test_archive_pipeline_interrupted(void)
{
    docs d = {0};
    ingest_ex("slip.zip", 0, &d, NULL, 0, 1);
    size_t members = 0;
    for (size_t i = 0; i < d.n; i++)
        members += strstr(d.lines[i], "{\"address\":\"slip.zip!") == d.lines[i];
    CU_ASSERT(members >= 1 && members < 5);
    const char *top = doc_of(&d, "slip.zip");
    CU_ASSERT(has(top, "\"status\":\"failed\"") && has(top, "interrupted"));
    docs_free(&d);
    CU_ASSERT_EQUAL(harness_entries_in(jail), 0);
}

int main(void)
{
    const char *base = getenv("PLEDGEX_TEST_TMP");
    char dir[900];
    snprintf(dir, sizeof dir, "%s/archive-pipeline", base ? base : "tests/tmp");
    snprintf(fix, sizeof fix, "%s/fixtures", dir);
    snprintf(work, sizeof work, "%s/work", dir);
    snprintf(jail, sizeof jail, "%s/jail", dir);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s' && rm -rf '%s/'*", work, jail, jail);
    if (system(cmd) != 0)
        return 99;
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
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("archive_pipeline", NULL, NULL);
    CU_add_test(s, "test_archive_pipeline_nested_addresses",
                test_archive_pipeline_nested_addresses);
    CU_add_test(s, "test_archive_pipeline_depth_limit", test_archive_pipeline_depth_limit);
    CU_add_test(s, "test_archive_pipeline_truncated", test_archive_pipeline_truncated);
    CU_add_test(s, "test_archive_pipeline_bomb_and_links", test_archive_pipeline_bomb_and_links);
    CU_add_test(s, "test_archive_pipeline_interrupted", test_archive_pipeline_interrupted);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
