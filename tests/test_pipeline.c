/*
 * test_pipeline.c -- the batch: addressing of members, stable order,
 * crash/hang/memory isolation of worker processes, in-process mode,
 * re-ingest idempotence, changed-file replacement, nesting limits.  Uses
 * the "torture" test plugin (tests/plugins/torture.c).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "pledgex.h"
#include "testutil.h"

static const char *torture_so(void)
{
    static char buf[4096];
    const char *d = getenv("PLEDGEX_TEST_PLUGINS");
    snprintf(buf, sizeof buf, "%s/torture.so", d ? d : "tests/plugins/.libs");
    return buf;
}

static pledgex_engine *new_engine(void)
{
    pledgex_engine *e;
    if (pledgex_engine_new(&e) != PLEDGEX_OK)
        return NULL;
    if (pledgex_engine_load_plugin_file(e, torture_so()) != PLEDGEX_OK) {
        fprintf(stderr, "cannot load %s: %s\n", torture_so(), pledgex_engine_errmsg(e));
        pledgex_engine_free(&e);
    }
    return e;
}

/* Export lines collected in one buffer, one JSON object per line. */
typedef struct lines {
    char *buf;
    size_t len;
    int n;
} lines;

static int collect(void *user, const char *json, size_t len)
{
    lines *l = user;
    l->buf = realloc(l->buf, l->len + len + 2);
    memcpy(l->buf + l->len, json, len);
    l->len += len;
    l->buf[l->len++] = '\n';
    l->buf[l->len] = 0;
    l->n++;
    return 0;
}

/* The JSON line of `address` (copy, caller frees), or NULL. */
static char *doc_line(const lines *l, const char *address)
{
    char needle[4200];
    snprintf(needle, sizeof needle, "{\"address\":\"%s\"", address);
    char *at = l->buf ? strstr(l->buf, needle) : NULL;
    if (!at)
        return NULL;
    char *end = strchr(at, '\n');
    return strndup(at, (size_t)(end - at));
}

static char *field(const lines *l, const char *address, const char *path)
{
    char *line = doc_line(l, address);
    if (!line)
        return NULL;
    char *v = tu_json_get(line, path);
    free(line);
    return v;
}

static void export_all(pledgex_index *ix, lines *l)
{
    memset(l, 0, sizeof *l);
    CU_ASSERT_EQUAL(pledgex_export(ix, collect, l), PLEDGEX_OK);
}

static void test_pipeline_member_addresses_and_order(void)
{
    pledgex_engine *e = new_engine();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tu_write_str(tu_path("addr/b.txt"), "second file\n");
    tu_write_str(tu_path("addr/sub/a.txt"),
                 "outer text\nCHILD inner.tar CHILD deep.txt thi đua\\nmiddle text\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("addr.db"), err, sizeof err),
                          PLEDGEX_OK);
    const char *in[] = {tu_path("addr")};
    pledgex_ingest_stats st;
    CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, 2, NULL, NULL, &st), PLEDGEX_OK);
    CU_ASSERT_EQUAL(st.ok, 4);
    lines l;
    export_all(ix, &l);
    CU_ASSERT_EQUAL(l.n, 4);
    char a[4096], b[4096], c[4096], d[4096];
    snprintf(a, sizeof a, "%s/b.txt", in[0]);
    snprintf(b, sizeof b, "%s/sub/a.txt", in[0]);
    snprintf(c, sizeof c, "%s/sub/a.txt!inner.tar", in[0]);
    snprintf(d, sizeof d, "%s/sub/a.txt!inner.tar!deep.txt", in[0]);
    char *v = field(&l, d, "$.text");
    CU_ASSERT_PTR_NOT_NULL(v);
    CU_ASSERT(v && strstr(v, "thi đua"));
    free(v);
    v = field(&l, d, "$.parent");
    CU_ASSERT_PTR_NOT_NULL(v);
    CU_ASSERT_STRING_EQUAL(v ? v : "", c);
    free(v);
    /* address order: b.txt < sub/a.txt < sub/a.txt!... */
    char *pa = strstr(l.buf, a), *pb = strstr(l.buf, b), *pd = strstr(l.buf, d);
    CU_ASSERT_TRUE(pa && pb && pd && pa < pb && pb < pd);
    free(l.buf);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

static void test_pipeline_isolates_crash_hang_and_memory(void)
{
    pledgex_engine *e = new_engine();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    pledgex_engine_set_limit(e, "input_timeout_s", 2);
    pledgex_engine_set_limit(e, "max_memory_mb", 300);
    tu_write_str(tu_path("iso/1-crash.txt"), "before\nCRASH\n");
    tu_write_str(tu_path("iso/2-good.txt"), "Sở Tư pháp ký giao ước\n");
    tu_write_str(tu_path("iso/3-hang.txt"), "HANG\n");
    tu_write_str(tu_path("iso/4-alloc.txt"), "ALLOC\n");
    tu_write_str(tu_path("iso/5-fail.txt"), "FAIL the input is damaged\n");
    tu_write_str(tu_path("iso/6-good.txt"), "Công an tỉnh\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("iso.db"), err, sizeof err),
                          PLEDGEX_OK);
    const char *in[] = {tu_path("iso")};
    pledgex_ingest_stats st;
    CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, 2, NULL, NULL, &st), PLEDGEX_WARN);
    CU_ASSERT_EQUAL(st.ok, 2);
    CU_ASSERT_EQUAL(st.failed, 4);
    lines l;
    export_all(ix, &l);
    char addr[4096];
    snprintf(addr, sizeof addr, "%s/1-crash.txt", in[0]);
    char *v = field(&l, addr, "$.error");
    CU_ASSERT(v && strstr(v, "crashed: SIGSEGV in plugin torture"));
    free(v);
    snprintf(addr, sizeof addr, "%s/3-hang.txt", in[0]);
    v = field(&l, addr, "$.error");
    CU_ASSERT(v && strstr(v, "timed out after 2 s"));
    free(v);
    snprintf(addr, sizeof addr, "%s/4-alloc.txt", in[0]);
    v = field(&l, addr, "$.error");
    CU_ASSERT(v && strstr(v, "crashed: SIGABRT"));
    free(v);
    snprintf(addr, sizeof addr, "%s/5-fail.txt", in[0]);
    v = field(&l, addr, "$.error");
    CU_ASSERT(v && strstr(v, "the input is damaged"));
    free(v);
    snprintf(addr, sizeof addr, "%s/6-good.txt", in[0]);
    v = field(&l, addr, "$.status");
    CU_ASSERT_STRING_EQUAL(v ? v : "", "ok");
    free(v);
    free(l.buf);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

static void test_pipeline_in_process_mode(void)
{
    pledgex_engine *e = new_engine();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tu_write_str(tu_path("inproc/a.txt"), "Tòa án nhân dân tỉnh\nCHILD m.txt member\n");
    tu_write_str(tu_path("inproc/b.txt"), "FAIL broken on purpose\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("inproc.db"), err, sizeof err),
                          PLEDGEX_OK);
    const char *in[] = {tu_path("inproc")};
    pledgex_ingest_stats st;
    CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, 0, NULL, NULL, &st), PLEDGEX_WARN);
    CU_ASSERT_EQUAL(st.ok, 2);
    CU_ASSERT_EQUAL(st.failed, 1);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

static void test_pipeline_reingest_unchanged_and_changed(void)
{
    pledgex_engine *e = new_engine();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    const char *f = tu_path("re/doc.txt");
    tu_write_str(f, "alpha words\nCHILD old.txt oldmember\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("re.db"), err, sizeof err),
                          PLEDGEX_OK);
    const char *in[] = {f};
    pledgex_ingest_stats st;
    CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, 1, NULL, NULL, &st), PLEDGEX_OK);
    CU_ASSERT_EQUAL(st.ok, 2);
    CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, 1, NULL, NULL, &st), PLEDGEX_OK);
    CU_ASSERT_EQUAL(st.unchanged, 1);
    CU_ASSERT_EQUAL(st.ok, 0);
    /* changed: new text, the old member is gone */
    tu_write_str(f, "beta words\nCHILD new.txt newmember\n");
    CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, 1, NULL, NULL, &st), PLEDGEX_OK);
    CU_ASSERT_EQUAL(st.ok, 2);
    lines l;
    export_all(ix, &l);
    CU_ASSERT_EQUAL(l.n, 2);
    CU_ASSERT_PTR_NULL(strstr(l.buf, "old.txt"));
    CU_ASSERT_PTR_NOT_NULL(strstr(l.buf, "new.txt"));
    pledgex_query q = {0};
    q.text = "alpha";
    size_t n = 99;
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, NULL, NULL, &n), PLEDGEX_OK);
    CU_ASSERT_EQUAL(n, 0);
    q.text = "beta";
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, NULL, NULL, &n), PLEDGEX_OK);
    CU_ASSERT_EQUAL(n, 1);
    free(l.buf);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

/* Workers yield to the parent, the only writer (pool.c, "scheduling"):
 * a worker reads its input at a lower priority than the process that
 * called pledgex_ingest; in-process mode keeps the caller's. */
static void test_pipeline_workers_run_below_the_writer(void)
{
    pledgex_engine *e = new_engine();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tu_write_str(tu_path("nice/a.txt"), "NICE\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("nice.db"), err, sizeof err),
                          PLEDGEX_OK);
    const char *in[] = {tu_path("nice/a.txt")};
    errno = 0;
    int mine = getpriority(PRIO_PROCESS, 0);
    CU_ASSERT_EQUAL_FATAL(errno, 0);
    char want[64];
    for (int jobs = 1; jobs >= 0; jobs--) {
        pledgex_ingest_stats st;
        CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, jobs, NULL, NULL, &st), PLEDGEX_OK);
        lines l;
        export_all(ix, &l);
        char *v = field(&l, in[0], "$.blocks[0].text");
        int expect = jobs ? (mine + 10 < 19 ? mine + 10 : 19) : mine;
        snprintf(want, sizeof want, "nice %d", expect);
        CU_ASSERT(v && strstr(v, want));
        if (!(v && strstr(v, want)))
            fprintf(stderr, "jobs %d: want \"%s\", got \"%s\"\n", jobs, want, v ? v : "");
        free(v);
        free(l.buf);
        /* the next round reads it again */
        tu_write_str(in[0], jobs ? "NICE\n\n" : "NICE\n");
    }
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

/* What a plugin hands on (ABI 1.2) is taken once; what nobody takes is
 * released when its document is done, and a second put for the same file
 * releases the first. */
static void test_pipeline_handoff_taken_once_released_after(void)
{
    pledgex_engine *e = new_engine();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tu_write_str(tu_path("handoff/a.txt"), "PUT x\nPUT x\nTAKE x\nTAKE x\nPUT y\nRELEASED\n");
    tu_write_str(tu_path("handoff/b.txt"), "RELEASED\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("handoff.db"), err, sizeof err),
                          PLEDGEX_OK);
    const char *in[] = {tu_path("handoff")};
    pledgex_ingest_stats st;
    /* in-process: one plugin instance counts every release */
    CU_ASSERT_EQUAL(pledgex_ingest(e, ix, in, 1, 0, NULL, NULL, &st), PLEDGEX_OK);
    lines l;
    export_all(ix, &l);
    char *a = field(&l, tu_path("handoff/a.txt"), "$.blocks[0].text");
    char *b = field(&l, tu_path("handoff/b.txt"), "$.blocks[0].text");
    CU_ASSERT(a && strstr(a, "took x\nnone x\nreleased 1\n"));
    CU_ASSERT(b && strstr(b, "released 2"));
    if (!(a && b && strstr(b, "released 2")))
        fprintf(stderr, "a: \"%s\"\nb: \"%s\"\n", a ? a : "", b ? b : "");
    free(a);
    free(b);
    free(l.buf);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

static void test_pipeline_nesting_limit_recorded(void)
{
    pledgex_engine *e = new_engine();
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    pledgex_engine_set_limit(e, "max_depth", 1);
    const char *f = tu_path("deep/n.txt");
    tu_write_str(f, "CHILD l1.txt CHILD l2.txt too deep\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("deep.db"), err, sizeof err),
                          PLEDGEX_OK);
    const char *in[] = {f};
    pledgex_ingest_stats st;
    pledgex_ingest(e, ix, in, 1, 1, NULL, NULL, &st);
    CU_ASSERT_EQUAL(st.skipped, 1);
    lines l;
    export_all(ix, &l);
    char addr[4096];
    snprintf(addr, sizeof addr, "%s!l1.txt!l2.txt", f);
    char *v = field(&l, addr, "$.error");
    CU_ASSERT(v && strstr(v, "nested deeper than 1"));
    free(v);
    free(l.buf);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("pipeline", NULL, NULL);
    TU_TEST(s, test_pipeline_member_addresses_and_order);
    TU_TEST(s, test_pipeline_isolates_crash_hang_and_memory);
    TU_TEST(s, test_pipeline_in_process_mode);
    TU_TEST(s, test_pipeline_reingest_unchanged_and_changed);
    TU_TEST(s, test_pipeline_nesting_limit_recorded);
    TU_TEST(s, test_pipeline_workers_run_below_the_writer);
    TU_TEST(s, test_pipeline_handoff_taken_once_released_after);
    return tu_main();
}
