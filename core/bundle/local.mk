# core/bundle: `pledgex pack` and `pledgex verify` (libzip).  Archive members
# are named by the archive plugin's own naming code, compiled in here too, so
# the originals' addresses match the index.
# A convenience library of its own, in the shared libpledgex but not in the
# pledgex command (whose start-up it would slow: core/cli/bundle_exec.c).
include_HEADERS += core/pledgex-bundle.h
noinst_LTLIBRARIES += core/libpledgex_bundle.la
core_libpledgex_bundle_la_SOURCES = core/pledgex-bundle.h core/bundle/bundle_int.h \
	core/bundle/bundle_json.c core/bundle/pack_collect.c core/bundle/pack.c \
	core/bundle/pack_manifest.c \
	core/bundle/verify.c \
	plugins/archive/archive_names.c plugins/archive/archive_int.h
core_libpledgex_bundle_la_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS) $(LIBARCHIVE_CFLAGS) \
	$(SQLITE_CFLAGS)
core_libpledgex_bundle_la_LIBADD = $(LIBZIP_LIBS) $(LIBARCHIVE_LIBS)
core_libpledgex_la_LIBADD += core/libpledgex_bundle.la

pkglibexec_PROGRAMS = core/pledgex-bundle
core_pledgex_bundle_SOURCES = core/cli/bundle_main.c core/cli/cli.h core/cli/common.c \
	core/cli/cmd_pack.c
core_pledgex_bundle_LDADD = core/libpledgex.la
