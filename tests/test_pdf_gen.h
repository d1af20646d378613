/*
 * test_pdf_gen.h -- PDF fixtures made at test time with cairo: born-digital
 * pages, scanned pages (a picture of the text, no text layer), pages whose
 * text layer is TCVN3 mojibake while the page shows correct Vietnamese (what
 * a ".VnTime" document exported to PDF looks like), blank pages.
 */
#ifndef PLEDGEX_TEST_PDF_GEN_H
#define PLEDGEX_TEST_PDF_GEN_H

typedef enum pdfgen_mode {
    PDFGEN_TEXT,     /* real text layer                                  */
    PDFGEN_SCAN,     /* rendered to a 300 dpi picture, no text layer      */
    PDFGEN_MOJIBAKE, /* correct glyphs, text layer in TCVN3 read as Latin-1 */
    PDFGEN_BLANK,    /* nothing on the page                              */
    PDFGEN_STAMPED,  /* a scan with a scanner's short text stamp on top   */
} pdfgen_mode;

typedef struct pdfgen_page {
    pdfgen_mode mode;
    const char *text; /* UTF-8, lines separated by '\n' */
} pdfgen_page;

/* Writes an A5 PDF with one page per entry.  Returns 0 on success. */
int pdfgen_write(const char *path, const pdfgen_page *pages, int npages);

/* The TCVN3 mojibake of a UTF-8 Vietnamese text (each letter replaced by the
 * Latin-1 character of its TCVN3 byte).  Returns a new string (free). */
char *pdfgen_tcvn3_mojibake(const char *utf8);

#endif
