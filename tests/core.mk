# Core tests: CUnit programs, one per subsystem, and the test-only plugins.
# (tests/local.mk belongs to the search tests.)
check_LTLIBRARIES += tests/plugins/torture.la tests/plugins/badabi.la \
	tests/plugins/initfail.la tests/plugins/noentry.la
TEST_PLUGIN_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_plugins_torture_la_SOURCES = tests/plugins/torture.c
tests_plugins_torture_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_badabi_la_SOURCES = tests/plugins/badabi.c
tests_plugins_badabi_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_initfail_la_SOURCES = tests/plugins/initfail.c
tests_plugins_initfail_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_noentry_la_SOURCES = tests/plugins/noentry.c
tests_plugins_noentry_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

CORE_TESTS = tests/test_textnorm tests/test_loader tests/test_detect \
	tests/test_index tests/test_text_store tests/test_pipeline tests/test_cli \
	tests/test_durability tests/test_hostile
check_PROGRAMS += $(CORE_TESTS)
TESTS += $(CORE_TESTS)
TESTUTIL = tests/testutil.c tests/testutil.h
CORE_TEST_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(SQLITE_CFLAGS)
CORE_TEST_LDADD = core/libpledgex_core.la $(CUNIT_LIBS) $(SQLITE_LIBS)
tests_test_textnorm_SOURCES = tests/test_textnorm.c $(TESTUTIL)
tests_test_textnorm_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_textnorm_LDADD = $(CORE_TEST_LDADD)
tests_test_loader_SOURCES = tests/test_loader.c $(TESTUTIL)
tests_test_loader_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_loader_LDADD = $(CORE_TEST_LDADD)
tests_test_detect_SOURCES = tests/test_detect.c $(TESTUTIL)
tests_test_detect_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_detect_LDADD = $(CORE_TEST_LDADD)
tests_test_index_SOURCES = tests/test_index.c $(TESTUTIL)
tests_test_index_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_index_LDADD = $(CORE_TEST_LDADD)
tests_test_text_store_SOURCES = tests/test_text_store.c $(TESTUTIL)
tests_test_text_store_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_text_store_LDADD = $(CORE_TEST_LDADD)
tests_test_pipeline_SOURCES = tests/test_pipeline.c $(TESTUTIL)
tests_test_pipeline_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_pipeline_LDADD = $(CORE_TEST_LDADD)
tests_test_cli_SOURCES = tests/test_cli.c $(TESTUTIL)
tests_test_cli_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_cli_LDADD = $(CORE_TEST_LDADD)
tests_test_durability_SOURCES = tests/test_durability.c $(TESTUTIL)
tests_test_durability_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_durability_LDADD = $(CORE_TEST_LDADD)
tests_test_hostile_SOURCES = tests/test_hostile.c $(TESTUTIL)
tests_test_hostile_CFLAGS = $(CORE_TEST_CFLAGS)
tests_test_hostile_LDADD = $(CORE_TEST_LDADD)

EXTRA_DIST += fixtures/core scripts/make-core-fixtures.py
