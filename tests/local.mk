# Core tests: CUnit programs, one per subsystem.
# Search: folding tokenizer, ranking, query syntax, filters, facets.
check_PROGRAMS += tests/test_search
TESTS += tests/test_search
tests_test_search_SOURCES = tests/test_search.c tests/testutil.c tests/testutil.h
tests_test_search_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_search_LDADD = core/libpledgex_core.la $(CUNIT_LIBS) $(SQLITE_LIBS)
# bench/search/run.sh: the in-process driver and the benchmark's files.
check_PROGRAMS += bench/search/search-bench
bench_search_search_bench_SOURCES = bench/search/search-bench.c
bench_search_search_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_search_search_bench_LDADD = core/libpledgex_core.la $(SQLITE_LIBS)
EXTRA_DIST += bench/search/run.sh bench/search/gen_corpus.py bench/search/fts5_baseline.py \
	bench/search/queries.tsv bench/search/RESULTS.md
