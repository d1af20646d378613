# libpledgex: every core source goes into a convenience library, so the
# tests can reach internal (pledgex__) functions; the installed library
# exports only the public pledgex_ API.
noinst_LTLIBRARIES += core/libpledgex_core.la
core_libpledgex_core_la_SOURCES = \
	core/pledgex.h core/pledgex-plugin.h \
	core/doc.c core/doc.h \
	core/engine.c core/engine.h \
	core/plugin_loader.c core/detect.c core/hash.c \
	core/textnorm.c core/textnorm.h core/utf8_next.h \
	core/json.c core/json.h core/report.c core/strbuf.c core/strbuf.h \
	core/links.c core/links.h \
	core/query.c core/query.h \
	core/index.c core/index.h \
	core/index_sqlite.c core/index_sqlite.h core/index_sqlite_schema.h \
	core/index_sqlite_search.c \
	core/fts_tokenizer.c core/fts_tokenizer.h \
	core/text_store.c core/text_store.h \
	core/pipeline.h core/host.c core/process.c core/pool.c core/walk.c core/tmpdir.c \
	core/extract.h
core_libpledgex_core_la_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(MAGIC_CFLAGS) \
	$(UTF8PROC_CFLAGS) $(NETTLE_CFLAGS) $(ZSTD_CFLAGS)
core_libpledgex_core_la_LIBADD = $(SQLITE_LIBS) $(MAGIC_LIBS) $(UTF8PROC_LIBS) \
	$(NETTLE_LIBS) $(ZSTD_LIBS)

lib_LTLIBRARIES += core/libpledgex.la
core_libpledgex_la_SOURCES =
core_libpledgex_la_LIBADD = core/libpledgex_core.la
core_libpledgex_la_LDFLAGS = -version-info 0:0:0 -no-undefined \
	-export-symbols-regex '^pledgex_[a-z]'
include_HEADERS += core/pledgex.h core/pledgex-plugin.h

# The command links the engine in (the convenience library, without the
# bundle code and its libraries: see core/cli/bundle_exec.c); pack and
# verify run pledgex-bundle, which links the whole shared library.
bin_PROGRAMS += core/pledgex
core_pledgex_SOURCES = core/cli/main.c core/cli/cli.h core/cli/common.c \
	core/cli/cmd_ingest.c core/cli/cmd_search.c core/cli/cmd_info.c \
	core/cli/cmd_export.c core/cli/bundle_exec.c
core_pledgex_LDADD = core/libpledgex_core.la

dist_man_MANS = doc/pledgex.1
