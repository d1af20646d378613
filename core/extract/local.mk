# core/extract: units, dates, commitments, people and signatories from
# Vietnamese text (issue 6).  Part of the core convenience library.
core_libpledgex_core_la_SOURCES += \
	core/extract/xtext.c core/extract/xtext.h core/extract/xctx.h \
	core/extract/xphrase.c core/extract/xphrase.h \
	core/extract/dates.c core/extract/units.c core/extract/ugroup.c \
	core/extract/gazetteer.c core/extract/commit.c core/extract/people.c \
	core/extract/extract.c

# The shipped, editable gazetteer of unit names.
dist_pkgdata_DATA += data/units.tsv

check_PROGRAMS += tests/test_extract bench/extract/extract-dump
TESTS += tests/test_extract
tests_test_extract_SOURCES = tests/test_extract.c tests/test_extract_units.c \
	tests/test_extract_people.c tests/test_extract.h \
	tests/testutil.c tests/testutil.h
tests_test_extract_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_extract_LDADD = core/libpledgex_core.la $(CUNIT_LIBS) $(SQLITE_LIBS)

# Evaluation against gold files: bench/extract/run.sh builds and runs it.
bench_extract_extract_dump_SOURCES = bench/extract/extract-dump.c
bench_extract_extract_dump_LDADD = core/libpledgex_core.la

EXTRA_DIST += fixtures/extract bench/extract/eval.py bench/extract/run.sh \
	bench/extract/RESULTS.md bench/extract/gold
