# plugins/ocr: the "ocr" plugin (issue 3): page images -> text blocks with
# tesseract + leptonica; hunspell checks words; libexif gives JPEG orientation.
pkglib_LTLIBRARIES += plugins/ocr/ocr.la
plugins_ocr_ocr_la_SOURCES = plugins/ocr/ocr.c plugins/ocr/ocr.h \
	plugins/ocr/ocr_image.c plugins/ocr/ocr_prep.c plugins/ocr/ocr_engine.c \
	plugins/ocr/ocr_lang.c plugins/ocr/ocr_words.c plugins/ocr/ocr_pdf.c \
	plugins/ocr/ocr_text.c plugins/ocr/ocr_phrases.c plugins/ocr/ocr_linepng.c \
	plugins/ocr/ocr_rows.c plugins/ocr/ocr_junk.c \
	core/textnorm.c core/textnorm.h core/strbuf.c core/strbuf.h
plugins_ocr_ocr_la_CFLAGS = $(AM_CFLAGS) $(TESSERACT_CFLAGS) $(LEPT_CFLAGS) \
	$(HUNSPELL_CFLAGS) $(LIBEXIF_CFLAGS) $(UTF8PROC_CFLAGS)
# Besides its entry, the plugin exports pixWriteMem, which tesseract's calls
# bind to (plugins/ocr/ocr_linepng.c).
plugins_ocr_ocr_la_LDFLAGS = -module -avoid-version -no-undefined -shared \
	-export-symbols-regex '^(pledgex_plugin_entry|pixWriteMem)$$'
plugins_ocr_ocr_la_LIBADD = $(TESSERACT_LIBS) $(LEPT_LIBS) $(HUNSPELL_LIBS) \
	$(LIBEXIF_LIBS) $(UTF8PROC_LIBS)
PLUGIN_NAMES += ocr

check_PROGRAMS += tests/test_ocr
TESTS += tests/test_ocr
tests_test_ocr_SOURCES = tests/test_ocr.c tests/plugin_harness.c tests/plugin_harness.h
tests_test_ocr_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(LEPT_CFLAGS)
tests_test_ocr_LDADD = $(CUNIT_LIBS) $(LEPT_LIBS) -ldl

# Benchmark driver (bench/ocr/run.py): runs the plugin through the test
# harness on files, as one worker process of the pipeline would.
check_PROGRAMS += bench/ocr/ocr-bench
bench_ocr_ocr_bench_SOURCES = bench/ocr/ocr-bench.c tests/plugin_harness.c \
	tests/plugin_harness.h
bench_ocr_ocr_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
bench_ocr_ocr_bench_LDADD = -ldl

EXTRA_DIST += bench/ocr/run.py bench/ocr/cer.py bench/ocr/make_variants.py \
	bench/ocr/README.md bench/ocr/RESULTS.md

# The compound repair alone, without tesseract or language data.
check_PROGRAMS += tests/test_ocr_phrases
TESTS += tests/test_ocr_phrases
tests_test_ocr_phrases_SOURCES = tests/test_ocr_phrases.c plugins/ocr/ocr_phrases.c \
	core/textnorm.c core/textnorm.h core/strbuf.c core/strbuf.h
tests_test_ocr_phrases_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/ocr
tests_test_ocr_phrases_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(TESSERACT_CFLAGS) \
	$(LEPT_CFLAGS) $(UTF8PROC_CFLAGS)
tests_test_ocr_phrases_LDADD = $(CUNIT_LIBS) $(UTF8PROC_LIBS)

# Page preparation alone, on generated pages (no tesseract run).
check_PROGRAMS += tests/test_ocr_prep
TESTS += tests/test_ocr_prep
tests_test_ocr_prep_SOURCES = tests/test_ocr_prep.c plugins/ocr/ocr_prep.c tests/testutil.c \
	tests/testutil.h
tests_test_ocr_prep_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/ocr
tests_test_ocr_prep_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(TESSERACT_CFLAGS) $(LEPT_CFLAGS) \
	$(SQLITE_CFLAGS)
tests_test_ocr_prep_LDADD = $(CUNIT_LIBS) $(LEPT_LIBS) $(SQLITE_LIBS) -lm

# The reading order of lines alone, on boxes made up.
check_PROGRAMS += tests/test_ocr_rows
TESTS += tests/test_ocr_rows
tests_test_ocr_rows_SOURCES = tests/test_ocr_rows.c plugins/ocr/ocr_rows.c tests/testutil.c \
	tests/testutil.h
tests_test_ocr_rows_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/ocr
tests_test_ocr_rows_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(TESSERACT_CFLAGS) $(LEPT_CFLAGS) \
	$(SQLITE_CFLAGS)
tests_test_ocr_rows_LDADD = $(CUNIT_LIBS) $(SQLITE_LIBS) -lm

# Junk taken out of the first reading's lines, on word boxes made up, and
# the verdicts on re-read lines.
check_PROGRAMS += tests/test_ocr_junk
TESTS += tests/test_ocr_junk
tests_test_ocr_junk_SOURCES = tests/test_ocr_junk.c plugins/ocr/ocr_junk.c \
	core/strbuf.c core/strbuf.h tests/testutil.c tests/testutil.h
tests_test_ocr_junk_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/ocr
tests_test_ocr_junk_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(TESSERACT_CFLAGS) $(LEPT_CFLAGS) \
	$(SQLITE_CFLAGS) $(UTF8PROC_CFLAGS)
tests_test_ocr_junk_LDADD = $(CUNIT_LIBS) $(SQLITE_LIBS) $(UTF8PROC_LIBS)

# test_ocr_list_numbers_kept renders the demo pledge's text.
EXTRA_DIST += fixtures/demo/pledge-hatinh-2025.txt
# test_ocr_line_cut_by_layout_rejoined renders these lines as a photo.
EXTRA_DIST += fixtures/ocr/photo-lines.txt
# test_ocr_narrow_gutter_columns_not_joined sets these lines in two columns.
EXTRA_DIST += fixtures/ocr/columns.txt
# test_prep_upright_page_test_sure_of_kept_upright reads this page.
EXTRA_DIST += fixtures/ocr/upright-notosans.png
# test_ocr_garbage_reread_keeps_first_reading reads this signature block.
EXTRA_DIST += fixtures/ocr/signature-row-reread.png
