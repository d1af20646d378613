pkglib_LTLIBRARIES += plugins/text/text.la
plugins_text_text_la_SOURCES = plugins/text/text.c
plugins_text_text_la_LDFLAGS = $(PLUGIN_LDFLAGS)
PLUGIN_NAMES += text
