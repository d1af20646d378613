# plugins/office: the "office" plugin (issue 5): DOCX and ODT text with
# libzip + libxml2.
pkglib_LTLIBRARIES += plugins/office/office.la
plugins_office_office_la_SOURCES = core/strbuf.c core/strbuf.h plugins/office/office.c
plugins_office_office_la_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS) $(LIBXML_CFLAGS)
plugins_office_office_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_office_office_la_LIBADD = $(LIBZIP_LIBS) $(LIBXML_LIBS)
PLUGIN_NAMES += office

check_PROGRAMS += tests/test_office
TESTS += tests/test_office
tests_test_office_SOURCES = tests/test_office.c tests/plugin_harness.c tests/plugin_harness.h
tests_test_office_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_office_LDADD = $(CUNIT_LIBS) -ldl
