# plugins/archive: archives in (libarchive).  Its tests generate their
# hostile fixtures at test time with fixtures/archive/make_fixtures.py.
pkglib_LTLIBRARIES += plugins/archive/archive.la
plugins_archive_archive_la_SOURCES = plugins/archive/archive.h \
	plugins/archive/archive_plugin.c plugins/archive/archive_member.c \
	plugins/archive/archive_names.c
plugins_archive_archive_la_CFLAGS = $(AM_CFLAGS) $(LIBARCHIVE_CFLAGS)
plugins_archive_archive_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_archive_archive_la_LIBADD = $(LIBARCHIVE_LIBS)
PLUGIN_NAMES += archive
