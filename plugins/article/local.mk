# plugins/article: the "article" plugin (issue 5): news articles in HTML
# (libxml2), Markdown and plain text; it also stores other plain text, with
# the encoding recognition shared with plugins/text.
pkglib_LTLIBRARIES += plugins/article/article.la
plugins_article_article_la_SOURCES = core/strbuf.c core/strbuf.h plugins/article/article.c plugins/article/article.h \
	plugins/article/article_text.c plugins/article/article_html.c \
	plugins/text/textfile.c plugins/text/textfile.h \
	plugins/text/encoding.c plugins/text/encoding.h
plugins_article_article_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/text
plugins_article_article_la_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) $(UTF8PROC_CFLAGS)
plugins_article_article_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_article_article_la_LIBADD = $(LIBXML_LIBS) $(UTF8PROC_LIBS)
PLUGIN_NAMES += article

check_PROGRAMS += tests/test_article
TESTS += tests/test_article
tests_test_article_SOURCES = tests/test_article.c tests/plugin_harness.c tests/plugin_harness.h
tests_test_article_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_article_LDADD = $(CUNIT_LIBS) -ldl
