# Core tests: CUnit programs, one per subsystem.
# Search: folding tokenizer, ranking, query syntax, filters, facets.
check_PROGRAMS += tests/test_search
TESTS += tests/test_search
tests_test_search_SOURCES = tests/test_search.c tests/testutil.c tests/testutil.h
tests_test_search_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_search_LDADD = core/libpledgex_core.la $(CUNIT_LIBS) $(SQLITE_LIBS)
