# core/bundle: `pledgex pack` and `pledgex verify` (libzip).  Archive members
# are named by the archive plugin's own naming code, compiled in here too, so
# the originals' addresses match the index.
include_HEADERS += core/pledgex-bundle.h
core_libpledgex_core_la_SOURCES += core/pledgex-bundle.h core/bundle/bundle_int.h \
	core/bundle/bundle_json.c core/bundle/pack_collect.c core/bundle/pack.c \
	core/bundle/pack_manifest.c \
	core/bundle/verify.c \
	plugins/archive/archive_names.c plugins/archive/archive_int.h
core_libpledgex_core_la_CFLAGS += $(LIBZIP_CFLAGS) $(LIBARCHIVE_CFLAGS)
core_libpledgex_core_la_LIBADD += $(LIBZIP_LIBS) $(LIBARCHIVE_LIBS)
core_pledgex_SOURCES += core/cli/cmd_pack.c
