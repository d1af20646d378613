# plugins/archive: archives in (libarchive).  Its tests generate their
# hostile fixtures at test time with fixtures/archive/make_fixtures.py.
pkglib_LTLIBRARIES += plugins/archive/archive.la
plugins_archive_archive_la_SOURCES = plugins/archive/archive_int.h \
	plugins/archive/archive_plugin.c plugins/archive/archive_member.c \
	plugins/archive/archive_names.c
plugins_archive_archive_la_CFLAGS = $(AM_CFLAGS) $(LIBARCHIVE_CFLAGS)
plugins_archive_archive_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_archive_archive_la_LIBADD = $(LIBARCHIVE_LIBS)
PLUGIN_NAMES += archive

check_PROGRAMS += tests/test_archive
TESTS += tests/test_archive
tests_test_archive_SOURCES = tests/test_archive.c tests/plugin_harness.c \
	tests/plugin_harness.h plugins/archive/archive_names.c plugins/archive/archive_int.h
tests_test_archive_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(LIBARCHIVE_CFLAGS)
tests_test_archive_LDADD = $(CUNIT_LIBS) -ldl
EXTRA_DIST += fixtures/archive/make_fixtures.py \
	fixtures/archive/zipcrypto-wrong-password-passes-check.zip

check_PROGRAMS += tests/test_archive_pipeline
TESTS += tests/test_archive_pipeline
tests_test_archive_pipeline_SOURCES = tests/test_archive_pipeline.c tests/plugin_harness.c \
	tests/plugin_harness.h
tests_test_archive_pipeline_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_archive_pipeline_LDADD = core/libpledgex_core.la $(CUNIT_LIBS) -ldl

# pack/verify (core/bundle) live in the shared library; their test is here
# with the other archive tests.
check_PROGRAMS += tests/test_archive_bundle
TESTS += tests/test_archive_bundle
tests_test_archive_bundle_SOURCES = tests/test_archive_bundle.c
tests_test_archive_bundle_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(LIBZIP_CFLAGS)
tests_test_archive_bundle_LDADD = core/libpledgex_bundle.la core/libpledgex_core.la \
	$(CUNIT_LIBS) $(LIBZIP_LIBS)
EXTRA_DIST += bench/archive/run.sh bench/archive/RESULTS.md
