# plugins/photo: the "photo" plugin (issue 5): captions from XMP (libxml2),
# IPTC (libiptcdata), EXIF (libexif) and sidecars; pages of text found with
# leptonica and handed to the "ocr" plugin.  encoding.c is shared with the
# text plugin (legacy Vietnamese encodings in metadata); core/links.c with
# the index (the credit inside a caption).
pkglib_LTLIBRARIES += plugins/photo/photo.la
plugins_photo_photo_la_SOURCES = plugins/photo/photo.c plugins/photo/photo.h \
	plugins/photo/photo_caption.c plugins/photo/photo_exif.c \
	plugins/photo/photo_xmp.c plugins/photo/photo_page.c plugins/photo/photo_comment.c \
	plugins/text/encoding.c plugins/text/encoding.h \
	core/links.c core/links.h core/textnorm.c core/textnorm.h
plugins_photo_photo_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/text
plugins_photo_photo_la_CFLAGS = $(AM_CFLAGS) $(LIBEXIF_CFLAGS) $(IPTCDATA_CFLAGS) \
	$(LIBXML_CFLAGS) $(LEPT_CFLAGS) $(UTF8PROC_CFLAGS)
plugins_photo_photo_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_photo_photo_la_LIBADD = $(LIBEXIF_LIBS) $(IPTCDATA_LIBS) $(LIBXML_LIBS) \
	$(LEPT_LIBS) $(UTF8PROC_LIBS)
PLUGIN_NAMES += photo

check_PROGRAMS += tests/test_photo
TESTS += tests/test_photo
tests_test_photo_SOURCES = tests/test_photo.c tests/plugin_harness.c tests/plugin_harness.h
tests_test_photo_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_test_photo_LDADD = $(CUNIT_LIBS) -ldl

# With the OCR plugin behind it (exits 77 without OCR language data).
check_PROGRAMS += tests/test_photo_ocr
TESTS += tests/test_photo_ocr
tests_test_photo_ocr_SOURCES = tests/test_photo_ocr.c tests/plugin_harness.c \
	tests/plugin_harness.h core/textnorm.c core/textnorm.h
tests_test_photo_ocr_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(UTF8PROC_CFLAGS)
tests_test_photo_ocr_LDADD = $(CUNIT_LIBS) $(UTF8PROC_LIBS) -ldl

# bench/captions/page_rule.sh: the features behind the picture/page rule.
check_PROGRAMS += bench/captions/photo-page
bench_captions_photo_page_SOURCES = bench/captions/photo-page.c plugins/photo/photo_page.c \
	plugins/photo/photo.h
bench_captions_photo_page_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/photo
bench_captions_photo_page_CFLAGS = $(AM_CFLAGS) $(LEPT_CFLAGS)
bench_captions_photo_page_LDADD = $(LEPT_LIBS)
EXTRA_DIST += bench/captions/page_rule.sh bench/captions/RESULTS.md

# Fixtures of the photo, article, text and office tests (make-fixtures.sh
# regenerates them).
EXTRA_DIST += \
	fixtures/captions/article-columns.html \
	fixtures/captions/article-cp1258.html \
	fixtures/captions/article-inline.html \
	fixtures/captions/article.html \
	fixtures/captions/article.md \
	fixtures/captions/article.txt \
	fixtures/captions/make-fixtures.sh \
	fixtures/captions/make-office.py \
	fixtures/captions/not-article.txt \
	fixtures/captions/page-album.jpg \
	fixtures/captions/page-document.png \
	fixtures/captions/page-notice.png \
	fixtures/captions/page-photographed.jpg \
	fixtures/captions/photo-banner.jpg \
	fixtures/captions/pledge-heading.txt \
	fixtures/captions/photo-conflict.jpg \
	fixtures/captions/photo-exif.jpg \
	fixtures/captions/photo-exif.tif \
	fixtures/captions/photo-iptc-legacy.jpg \
	fixtures/captions/photo-iptc.jpg \
	fixtures/captions/photo-none.jpg \
	fixtures/captions/photo-sidecar.jpg \
	fixtures/captions/photo-sidecar.txt \
	fixtures/captions/photo-sidecarx.jpg \
	fixtures/captions/photo-sidecarx.xmp \
	fixtures/captions/photo-usercomment.jpg \
	fixtures/captions/photo-xmp.jpg \
	fixtures/captions/photo-xmp.png \
	fixtures/captions/photo-xp.jpg \
	fixtures/captions/pledge.docx \
	fixtures/captions/pledge.odt \
	fixtures/captions/text-badutf8.txt \
	fixtures/captions/text-cp1258.txt \
	fixtures/captions/text-tcvn3.txt \
	fixtures/captions/text-utf16-bom.txt \
	fixtures/captions/text-utf16be.txt \
	fixtures/captions/text-utf16le.txt \
	fixtures/captions/text-utf8.txt \
	fixtures/captions/text-viscii.txt \
	fixtures/captions/text-vni.txt \
	fixtures/captions/vni.py

# The real pipeline: articles, photos and sidecars linked in the index.
check_PROGRAMS += tests/test_captions_pipeline
TESTS += tests/test_captions_pipeline
tests_test_captions_pipeline_SOURCES = tests/test_captions_pipeline.c tests/testutil.c \
	tests/testutil.h
tests_test_captions_pipeline_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_captions_pipeline_LDADD = core/libpledgex_core.la $(CUNIT_LIBS) $(SQLITE_LIBS)

# core/links.c: file-name keys, typo tolerance, credits, sidecar folders.
check_PROGRAMS += tests/test_links
TESTS += tests/test_links
tests_test_links_SOURCES = tests/test_links.c tests/testutil.c tests/testutil.h
tests_test_links_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_test_links_LDADD = core/libpledgex_core.la $(CUNIT_LIBS) $(SQLITE_LIBS)
