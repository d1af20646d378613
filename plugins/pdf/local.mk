# plugins/pdf: the "pdf" plugin (issue 10): PDF pages to text blocks.  A page
# with a real text layer is read by poppler; a scanned page, or one whose
# layer is junk (legacy-font mojibake, stray glyphs), is rendered through
# cairo (brought by poppler-glib) and handed to the "ocr" plugin.
pkglib_LTLIBRARIES += plugins/pdf/pdf.la
plugins_pdf_pdf_la_SOURCES = plugins/pdf/pdf.c plugins/pdf/pdf.h \
	plugins/pdf/pdf_judge.c plugins/pdf/pdf_open.c plugins/pdf/pdf_render.c \
	plugins/pdf/pdf_attach.c
plugins_pdf_pdf_la_CFLAGS = $(AM_CFLAGS) $(POPPLER_CFLAGS) $(LEPT_CFLAGS)
plugins_pdf_pdf_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_pdf_pdf_la_LIBADD = $(POPPLER_LIBS) $(LEPT_LIBS) -lm
PLUGIN_NAMES += pdf

# Tests: fixtures are drawn at test time with cairo (tests/test_pdf_gen.c);
# the judge and the renderer are also linked in to be tested directly.
check_PROGRAMS += tests/test_pdf
TESTS += tests/test_pdf
tests_test_pdf_SOURCES = tests/test_pdf.c tests/test_pdf_gen.c tests/test_pdf_gen.h \
	tests/plugin_harness.c tests/plugin_harness.h \
	plugins/pdf/pdf_judge.c plugins/pdf/pdf_render.c plugins/pdf/pdf.h
tests_test_pdf_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(POPPLER_CFLAGS) $(LEPT_CFLAGS)
tests_test_pdf_LDADD = $(CUNIT_LIBS) $(POPPLER_LIBS) $(LEPT_LIBS) -lm -ldl

# Benchmark driver (bench/pdf/run.py): the plugin on PDF files through the
# harness, as one worker process of the pipeline would run it.
check_PROGRAMS += bench/pdf/pdf-bench
bench_pdf_pdf_bench_SOURCES = bench/pdf/pdf-bench.c tests/plugin_harness.c \
	tests/plugin_harness.h
bench_pdf_pdf_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
bench_pdf_pdf_bench_LDADD = -ldl

EXTRA_DIST += bench/pdf/run.py bench/pdf/RESULTS.md
