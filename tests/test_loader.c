/*
 * test_loader.c -- the plugin loader: the good plugin loads, each broken
 * one is refused with its reason, and routing picks by priority.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "pledgex.h"
#include "testutil.h"

static const char *test_plugin_dir(void)
{
    const char *d = getenv("PLEDGEX_TEST_PLUGINS");
    return d ? d : "tests/plugins/.libs";
}

/* The refusal reason of a file whose name contains `needle`, or NULL. */
static const char *refusal(pledgex_engine *e, const char *needle)
{
    for (size_t i = 0; i < pledgex_engine_refusal_count(e); i++) {
        const char *file, *reason;
        pledgex_engine_refusal(e, i, &file, &reason);
        if (strstr(file, needle))
            return reason;
    }
    return NULL;
}

static void test_loader_refuses_broken_plugins_with_reasons(void)
{
    pledgex_engine *e;
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    int rc = pledgex_engine_load_plugins(e, test_plugin_dir());
    CU_ASSERT_EQUAL(rc, PLEDGEX_WARN);
    /* the good one loads */
    int found = 0;
    for (size_t i = 0; i < pledgex_engine_plugin_count(e); i++) {
        const char *file;
        const pledgex_plugin *p = pledgex_engine_plugin(e, i, &file);
        if (!strcmp(p->name, "torture")) {
            found = 1;
            CU_ASSERT_PTR_NOT_NULL(strstr(file, "torture.so"));
        }
        CU_ASSERT_STRING_NOT_EQUAL(p->name, "badabi");
        CU_ASSERT_STRING_NOT_EQUAL(p->name, "initfail");
    }
    CU_ASSERT_TRUE(found);
    const char *r = refusal(e, "noentry.so");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "pledgex_plugin_entry"));
    r = refusal(e, "badabi.so");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "ABI"));
    r = refusal(e, "initfail.so");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "the test wants me to fail"));
    pledgex_engine_free(&e);
    CU_ASSERT_PTR_NULL(e);
}

static void test_loader_refuses_non_elf_and_duplicates(void)
{
    pledgex_engine *e;
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    const char *fake = tu_path("fake.so");
    tu_write_str(fake, "this is not a shared object\n");
    CU_ASSERT_EQUAL(pledgex_engine_load_plugin_file(e, fake), PLEDGEX_WARN);
    const char *r = refusal(e, "fake.so");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "ELF"));

    char good[4096];
    snprintf(good, sizeof good, "%s/torture.so", test_plugin_dir());
    CU_ASSERT_EQUAL(pledgex_engine_load_plugin_file(e, good), PLEDGEX_OK);
    /* the same file again (a directory named twice on the path) is no
     * conflict; another file with the same plugin name is */
    CU_ASSERT_EQUAL(pledgex_engine_load_plugin_file(e, good), PLEDGEX_OK);
    CU_ASSERT_PTR_NULL(refusal(e, "torture.so"));
    const char *copy = tu_path("copy/torture.so");
    size_t n;
    char *bytes = tu_read(good, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
    tu_write(copy, bytes, n);
    free(bytes);
    CU_ASSERT_EQUAL(pledgex_engine_load_plugin_file(e, copy), PLEDGEX_WARN);
    r = refusal(e, "copy/torture.so");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(r, "duplicate"));
    CU_ASSERT_EQUAL(pledgex_engine_plugin_count(e), 1);
    pledgex_engine_free(&e);
}

static void test_loader_missing_directory_is_an_error(void)
{
    pledgex_engine *e;
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    CU_ASSERT_EQUAL(pledgex_engine_load_plugins(e, tu_path("no-such-dir")), PLEDGEX_FATAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(pledgex_engine_errmsg(e), "no-such-dir"));
    pledgex_engine_free(&e);
}

static void test_loader_route_prefers_priority_then_specificity(void)
{
    pledgex_engine *e;
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    pledgex_engine_load_plugins(e, test_plugin_dir());
    /* torture claims text/plain at 1000: above the text plugin's 10 */
    const pledgex_loaded_plugin *lp = pledgex__route(e, "text/plain");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lp);
    CU_ASSERT_STRING_EQUAL(lp->desc->name, "torture");
    /* text/html: only the generic text claim of "text" (if built) */
    lp = pledgex__route(e, "application/x-unknown-type");
    CU_ASSERT_PTR_NULL(lp);
    pledgex_engine_free(&e);
}

/* Workers read one input on one core each: loading plugins limits the
 * OpenMP threads of the process (and of the workers it forks) to one,
 * unless the caller chose a limit. */
static void test_loader_limits_openmp_threads_unless_set(void)
{
    const char *before = getenv("OMP_THREAD_LIMIT");
    char *saved = before ? strdup(before) : NULL;
    unsetenv("OMP_THREAD_LIMIT");
    pledgex_engine *e;
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    pledgex_engine_load_plugins(e, test_plugin_dir());
    const char *now = getenv("OMP_THREAD_LIMIT");
    CU_ASSERT_STRING_EQUAL(now ? now : "(unset)", "1");
    pledgex_engine_free(&e);
    setenv("OMP_THREAD_LIMIT", "3", 1);
    CU_ASSERT_EQUAL_FATAL(pledgex_engine_new(&e), PLEDGEX_OK);
    pledgex_engine_load_plugins(e, test_plugin_dir());
    now = getenv("OMP_THREAD_LIMIT");
    CU_ASSERT_STRING_EQUAL(now ? now : "(unset)", "3");
    pledgex_engine_free(&e);
    if (saved)
        setenv("OMP_THREAD_LIMIT", saved, 1);
    else
        unsetenv("OMP_THREAD_LIMIT");
    free(saved);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("loader", NULL, NULL);
    TU_TEST(s, test_loader_refuses_broken_plugins_with_reasons);
    TU_TEST(s, test_loader_refuses_non_elf_and_duplicates);
    TU_TEST(s, test_loader_missing_directory_is_an_error);
    TU_TEST(s, test_loader_route_prefers_priority_then_specificity);
    TU_TEST(s, test_loader_limits_openmp_threads_unless_set);
    return tu_main();
}
