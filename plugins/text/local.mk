# plugins/text: the "text" plugin: plain text in UTF-8, UTF-16 and the
# legacy Vietnamese encodings (encoding.c, also used by the article and
# photo plugins); articles are handed to the article plugin.
pkglib_LTLIBRARIES += plugins/text/text.la
plugins_text_text_la_SOURCES = plugins/text/text.c plugins/text/textfile.c \
	plugins/text/textfile.h plugins/text/encoding.c plugins/text/encoding.h core/utf8_next.h
plugins_text_text_la_CFLAGS = $(AM_CFLAGS) $(UTF8PROC_CFLAGS)
plugins_text_text_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_text_text_la_LIBADD = $(UTF8PROC_LIBS)
PLUGIN_NAMES += text
