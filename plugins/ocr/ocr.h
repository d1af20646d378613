/*
 * ocr.h -- (internal) pieces of the "ocr" plugin: reading page images,
 * preparing them for recognition, driving tesseract, checking words.
 *
 * Every function that can fail returns a graded PLEDGEX_* code and writes a
 * reason into err[errlen]; none prints or exits.
 */
#ifndef PLEDGEX_OCR_H
#define PLEDGEX_OCR_H

#include <stddef.h>
#include <stdint.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "pledgex-plugin.h"

/* Named limits with their documented defaults (overridable through
 * host->limit, i.e. --max-pixels and --page-timeout). */
#define OCR_DEFAULT_MAX_PIXELS INT64_C(100000000) /* 100 megapixels        */
#define OCR_DEFAULT_PAGE_TIMEOUT_S 120            /* seconds per page      */
/* Default languages: tesseract's Vietnamese script model first, the vie
 * language model second (bench/ocr: lowest CER on every page type, English
 * pages included; adding eng loses the marks of Vietnamese capitals).
 * Without the script model the default falls back to vie. */
#define OCR_DEFAULT_LANG "Vietnamese+vie"
#define OCR_FALLBACK_LANG "vie"
/* With the default languages a page is first read with the quicker `vie`
 * model alone; every line with a word under OCR_REREAD_CONFIDENCE (0..100)
 * is read again, alone, with the default languages, and that reading
 * replaces it (bench/ocr: every page keeps its CER target, for about
 * 20% less CPU in recognition).  OCR_REREAD_PAD pixels of margin are cut
 * around a re-read line, as tesseract pads the lines it cuts from a page.
 * Not for a searchable PDF (pdf_out), whose text layer is the reading of
 * the whole page.  The option "ocr_first" names another first-pass
 * language; "" or the --lang value itself reads the page once, with
 * --lang. */
#define OCR_FIRST_LANG "vie"
#define OCR_REREAD_CONFIDENCE 80.0f
#define OCR_REREAD_PAD 8
/* A re-reading whose words average under OCR_REREAD_GARBAGE (0..100), and
 * under the first reading's average, is garbage ("(Khối trưởng) (Khối
 * phó)" read again as "¿4 .285122 C li a1!)" at 7): the first reading is
 * kept.  bench/ocr (RESULTS.md, 2026-11-27 22:00 UTC): 10 of 122 pages
 * better, none worse; 45 or 60 changed more lines, for better and worse. */
#define OCR_REREAD_GARBAGE 30.0
/* A first reading (of OCR_EARLY_DOUBT_WORDS words or more) averaging
 * under OCR_EARLY_DOUBT (0..100) is a page read turned: when the caller
 * will ask OSD about doubtful pages (stop_if_turned), the page is given
 * back unread (skipped) at once, before its weak lines are re-read.
 * bench/ocr (RESULTS.md, 2026-11-28 01:00 UTC): first readings of 122
 * upright pages averaged 86.6-95.5, of the pages leptonica's quick test
 * left or turned upside down 47.9-53.6. */
#define OCR_EARLY_DOUBT 70.0
#define OCR_EARLY_DOUBT_WORDS 10
/* Parts of one row read as two blocks (ocr_rows.c). */
#define OCR_ROW_OVERLAP 0.6
#define OCR_ROW_BASE_SHIFT 0.3
#define OCR_ROW_GAP 0.5
#define OCR_ROW_LONG 10
#define OCR_ROW_MAX_PAIRS 2
#define OCR_ROW_MAX_WIDE 4
#define OCR_ROW_MAX_RUN 5
#define OCR_ROW_AFTER_SHIFT 0.5
#define OCR_ROW_MAX_AFTER 8
#define OCR_LANG_MAX 128                          /* "vie+eng+..." length  */

/* ---- ocr_rows.c: reading order of a page's lines ------------------------ */

/* One line of tesseract's first reading (ocr_engine.c). */
typedef struct ocr_line {
    char *text;        /* malloc'd; ends in "\n"                           */
    int l, t, r, b;    /* box of its letters                              */
    int base;          /* baseline height in the middle of the line       */
    int base_l, base_r; /* baseline height at its left and right ends      */
    int para_end;      /* last line of a paragraph                        */
    double sum;        /* word confidences (0..100) and their count       */
    int n;
    float weakest;     /* lowest word confidence                          */
} ocr_line;

/* One word of the first reading, as tesseract's iterator gives it. */
typedef struct ocr_word_box {
    int l, t, r, b; /* its box */
    float conf;     /* 0..100 */
    char *text;     /* TessDeleteText; NULL when tesseract gave none */
} ocr_word_box;

/* ---- ocr_junk.c: specks and strays read as words, garbage lines ------- */

/* The median of v[0 .. n) (sorted in place), 0 when n is 0: the page's
 * usual word height, rise and drop. */
int pledgex__ocr_median(int *v, int n);

/* The lines of the first reading tidied (the words of lines[i] are
 * words[first[i] .. first[i + 1])):
 * - a word with letters or digits, read under OCR_REREAD_CONFIDENCE, whose
 *   box is less than OCR_SPECK_HEIGHT times as tall as the page's usual
 *   word (the median of its confident words with letters or digits, when
 *   there are OCR_SPECK_MIN_WORDS of them) is specks of noise read as a
 *   word: it is taken out, and a line left without words dropped;
 * - a word read under OCR_REREAD_CONFIDENCE at either end of a line,
 *   more than OCR_SPLIT_GAP usual word heights away from the rest, becomes
 *   a line of its own.
 * Lines changed get their text, box, confidences and baseline from their
 * words (the baseline: where the line's ran under them).  Returns the
 * number of lines in *out, a new array holding the lines (texts moved from
 * `lines`, or freed there when the line was cut or dropped), or -1 when
 * out of memory: `lines` untouched, *out NULL. */
#define OCR_SPECK_HEIGHT 0.3
#define OCR_SPECK_MIN_WORDS 10
#define OCR_SPLIT_GAP 4.0
int pledgex__ocr_tidy_lines(ocr_line *lines, int nlines, const ocr_word_box *words,
                            const int *first, ocr_line **out);

/* What becomes of a line read again (its words' confidences: sum and
 * count, first reading and re-reading): the re-reading replaces the first
 * unless it averages under OCR_REREAD_GARBAGE and under the first; when
 * both average under it, the line is dropped. */
typedef enum { OCR_TAKE_REREAD, OCR_KEEP_FIRST, OCR_DROP_LINE } ocr_verdict;
ocr_verdict pledgex__ocr_reread_verdict(double first_sum, int first_n, double again_sum,
                                        int again_n);

/* Lines of one row: tesseract's layout analysis may cut a line of a
 * photographed page in two blocks (perspective bends the lines: a word
 * gap lines up with the gap of the lines below and reads as a column
 * edge), and the right part is then read after the whole left column.
 * A line is put back right after the line it continues, on the same
 * row: boxes overlapping by OCR_ROW_OVERLAP of the lower one's height,
 * baselines within OCR_ROW_BASE_SHIFT of the line height, and a gap
 * under OCR_ROW_GAP line heights (the gap between real columns, or
 * between the halves of a signature row, is wider), and at most
 * OCR_ROW_MAX_PAIRS such pairs on the page.  Across a wider gap (a
 * signature row, a document's header: agency left, motto right), the
 * baseline must be where the left part's, extended along its slope,
 * arrives (the slope of the nearest line of OCR_ROW_LONG line heights or
 * more when the left part is shorter), and the boxes overlap once that
 * drift is taken out.  A right part read *before* its left part (a signature row
 * whose right side the perspective lifted: "Cục trưởng" before "Giám
 * đốc") is joined, at most OCR_ROW_MAX_WIDE such rows on the page; right
 * parts read *after* theirs (tesseract made a column of them) are joined
 * when they come as a run of up to OCR_ROW_MAX_RUN consecutive lines on
 * consecutive rows (baselines within OCR_ROW_AFTER_SHIFT line heights,
 * boxes of similar heights), at most OCR_ROW_MAX_AFTER on the page, a lone
 * line only when no line of its column is read just before or after it:
 * longer runs and lines with neighbours above and below are columns of
 * text, read column by column.  The page then reads row by row, as a
 * person types it.  Fills order (the reading
 * order) and join (1: continues the line before it in order). */
void pledgex__ocr_row_order(const ocr_line *lines, int n, int height, int *order,
                            unsigned char *join);

/* ---- ocr_image.c: reading pages ---------------------------------------- */

typedef struct ocr_image ocr_image;

/* Opens `path` for reading page by page.  A single image's size is checked
 * from its header against max_pixels here, a TIFF page's from its own
 * header when it is read, always before decoding.  *out is the caller's
 * (ocr_image_close). */
int pledgex__ocr_image_open(const char *path, int64_t max_pixels, ocr_image **out,
                            char *err, size_t errlen);
/* Gives img the decoding of its single image that another plugin made
 * (the host's handoff, PLEDGEX_HANDOFF_PIX): page 0 is then not decoded
 * again.  img owns pix from then on; one that is not what this reader
 * would decode (a TIFF, another size) is destroyed. */
void pledgex__ocr_image_adopt(ocr_image *img, PIX *pix);
/* Number of pages (1 for single-image formats). */
int pledgex__ocr_image_pages(const ocr_image *img);
/* Decodes page `index` (0-based) into an 8 bpp gray or 32 bpp RGB Pix with
 * the EXIF orientation applied and any alpha flattened on white.  *out is
 * the caller's (pixDestroy).  The file itself is never modified. */
int pledgex__ocr_image_page(ocr_image *img, int index, PIX **out, char *err,
                            size_t errlen);
void pledgex__ocr_image_close(ocr_image **img);

/* Turns any decoded Pix into 8 bpp gray or 32 bpp RGB (no colormap, alpha
 * flattened on white).  Returns a new Pix or NULL. */
PIX *pledgex__ocr_normalise_depth(PIX *pix);

/* Routes leptonica's messages into a buffer instead of stderr; the last one
 * is read back with pledgex__ocr_lept_last() to name the reason of a
 * failure.  Idempotent. */
void pledgex__ocr_lept_quiet(void);
const char *pledgex__ocr_lept_last(void);
void pledgex__ocr_lept_clear(void);

/* ---- ocr_prep.c: preprocessing ----------------------------------------- */

/* Which steps to run.  The defaults are the steps bench/ocr showed to
 * help; the option "ocr_prep" ("+osd,-deskew,...") changes them for the
 * benchmark. */
typedef struct ocr_prep_opts {
    int osd;       /* page orientation 0/90/180/270, checked when a page
                      reads badly upright                                  */
    int deskew;    /* small-angle skew                                     */
    int dewarp;    /* lines of different slopes (a photo in perspective)  */
    int bgnorm;    /* background normalisation (uneven light)              */
    int ink;       /* red / blue ink suppression                           */
    int upscale;   /* letter size: low-resolution pages scaled up, very
                      large letters scaled down                            */
    int marks;     /* hunspell repair of Vietnamese tone/vowel marks        */
    int tidy;      /* drop word-less lines, join codes cut at a line end    */
    int phrases;   /* marks of common administrative compounds (THỊ ĐUA)   */
} ocr_prep_opts;

void pledgex__ocr_prep_defaults(ocr_prep_opts *o);

/* What preprocessing found, for warnings and tests. */
typedef struct ocr_prep_info {
    int rotated;        /* quarter turns clockwise applied (0..3)          */
    float skew_deg;     /* skew angle removed                              */
    int dewarped;       /* 1 when the lines were flattened (dewarp)        */
    float scale;        /* scale factor applied (1 when none)              */
    int ink_removed;    /* 1 when coloured ink was suppressed              */
    int resolution;     /* resolution to tell tesseract (0: leave it)      */
} ocr_prep_info;

/* What the first preparation of a page leaves for a second one (a turned
 * page): the gray page with the ink faded, which does not depend on the
 * orientation.  The caller's; gray freed with pixDestroy. */
typedef struct ocr_prep_cache {
    PIX *gray;
    int ink_removed;
} ocr_prep_cache;

/* `quarter` of pledgex__ocr_prepare: turn the page as leptonica's quick
 * orientation test finds it, when that test is sure. */
#define OCR_QUARTER_DETECT (-1)

struct ocr_engine;
/* Builds the image tesseract reads from a normalised page (8 or 32 bpp),
 * first turning it `quarter` quarter turns clockwise (from OSD), or as
 * leptonica's test finds it (OCR_QUARTER_DETECT; info->rotated says how
 * much).  Returns
 * a new Pix (the caller's) or NULL with err filled.  When display is not
 * NULL, *display gets the page in its own colours with the same geometry
 * (rotation, deskew, scale) for the searchable PDF.  cache (may be NULL)
 * is filled by the first call for a page and used by the next ones. */
PIX *pledgex__ocr_prepare(PIX *page, int quarter, const ocr_prep_opts *o, ocr_prep_cache *cache,
                          ocr_prep_info *info, PIX **display, char *err, size_t errlen);

/* Quarter turns clockwise that make a prepared page upright, by OSD on a
 * reduced copy; -1 when unknown. */
int pledgex__ocr_orientation(struct ocr_engine *eng, PIX *gray);

/* Draws back, in the 8 bpp page g, the letter strokes that cross `zone`
 * (1 bpp: where coloured ink was painted over with paper), from `dark`
 * (1 bpp: the page's black text).  Part of the preparation; apart for
 * its test. */
void pledgex__ocr_mend_strokes(PIX *g, PIX *zone, PIX *dark);

/* ---- ocr_engine.c: tesseract -------------------------------------------- */

typedef struct ocr_engine ocr_engine;

/* Creates the engine wrapper; cheap: tesseract is started on first use. */
ocr_engine *pledgex__ocr_engine_new(void);
void pledgex__ocr_engine_free(ocr_engine **eng);

/* Makes sure the TessBaseAPI of this process runs `lang`, starting it
 * the first time.  With `first` (not NULL, not "", not lang), pages are
 * read with `first` and the lines it reads with low confidence are read
 * again with `lang` by a second handle.  A missing language names its
 * Debian package. */
int pledgex__ocr_engine_ready(ocr_engine *eng, const char *lang, const char *first,
                              char *err, size_t errlen);

/* Page orientation by tesseract's OSD (osd.traineddata): quarter turns
 * clockwise that make the page upright, or -1 when unsure / unavailable. */
int pledgex__ocr_engine_orientation(ocr_engine *eng, PIX *pix);

/* Result of one page. */
typedef struct ocr_page_result {
    char *text;        /* UTF-8, malloc'd, the caller's                     */
    double confidence; /* mean word confidence 0..1                         */
    int nwords;        /* words recognised                                  */
    int nblocks;       /* text blocks found                                 */
    int turned_blocks; /* blocks tesseract found not upright                */
    int skipped;       /* not recognised: turned blocks, or a first reading
                          under OCR_EARLY_DOUBT (stop_if_turned)            */
    int timed_out;     /* 1 when the time limit stopped recognition         */
    int cancelled;     /* 1 when the host asked to stop                     */
} ocr_page_result;

/* Recognises one prepared page within timeout_s seconds.  `resolution` is
 * passed to tesseract when > 0.  The host's cancelled() is polled.  With
 * stop_if_turned, a page whose layout has turned blocks is not recognised,
 * nor one whose first reading averages under OCR_EARLY_DOUBT (two-pass
 * reading): res->skipped is set and the text is empty (the caller asks
 * OSD and turns it first). */
int pledgex__ocr_engine_recognize(ocr_engine *eng, PIX *pix, int resolution,
                                  int timeout_s, int stop_if_turned, const pledgex_host *host,
                                  pledgex_ctx *ctx, ocr_page_result *res,
                                  char *err, size_t errlen);

/* The live TessBaseAPI (for the PDF renderer), or NULL before ready(). */
TessBaseAPI *pledgex__ocr_engine_api(ocr_engine *eng);
/* Tesseract's data directory in use (borrowed), or NULL. */
const char *pledgex__ocr_engine_datadir(ocr_engine *eng);
/* 1 when tesseract's own dictionaries accept the word. */
int pledgex__ocr_engine_valid_word(ocr_engine *eng, const char *word);

/* ---- ocr_lang.c: language data ----------------------------------------- */

/* Checks that `lang` ("vie+eng") is well formed and that every component
 * has its traineddata in a tessdata directory; fills datadir (the directory
 * found, or "" to let tesseract decide).  A missing component is a clear
 * error naming the Debian package that provides it. */
int pledgex__ocr_lang_check(const char *lang, char *datadir, size_t dirlen,
                            char *err, size_t errlen);
/* The Debian package providing the traineddata of one component. */
void pledgex__ocr_lang_package(const char *component, char *out, size_t outlen);

/* ---- ocr_words.c: word checks and Vietnamese marks ----------------------- */

typedef struct ocr_words ocr_words;

/* Opens the hunspell Vietnamese and English dictionaries if installed;
 * NULL dictionaries are tolerated (checks then rely on tesseract's). */
ocr_words *pledgex__ocr_words_new(void);
void pledgex__ocr_words_free(ocr_words **w);

/* Share (0..1) of the words of `text` with letters that neither dictionary
 * nor tesseract accepts; *nwords gets how many words were looked at. */
double pledgex__ocr_words_unknown_share(ocr_words *w, ocr_engine *eng,
                                        const char *text, int *nwords);

/* Rewrites words that are not Vietnamese into the one Vietnamese syllable
 * that differs only in tone or vowel marks (or d/đ), when exactly one such
 * candidate exists.  Words valid as read are never changed.  Returns a new
 * string (the caller's) or NULL when out of memory; *nfixed counts fixes. */
char *pledgex__ocr_words_fix_marks(ocr_words *w, const char *text, int *nfixed);

/* ---- ocr_phrases.c: marks of common compounds --------------------------- */

/* Rewrites each pair of neighbouring words (only white space between) whose
 * bare letters spell a listed compound but whose marks differ from it
 * ("THỊ ĐUA" -> "THI ĐUA"), in the case it was read in.  Returns a new
 * string (the caller's) or NULL when out of memory; *nfixed counts pairs. */
char *pledgex__ocr_phrases_fix(const char *text, int *nfixed);

/* The compound list, for tests: its size and entry i (NULL past the end). */
size_t pledgex__ocr_phrases_count(void);
const char *pledgex__ocr_phrases_at(size_t i);

/* ---- ocr_text.c: tidying recognised text ------------------------------- */

/* Drops lines without any word (signature and seal debris) and joins a
 * line ending in a hyphen glued to a word with the next one.  Returns a
 * new string (the caller's) or NULL when out of memory. */
char *pledgex__ocr_text_tidy(const char *text);

/* ---- ocr_pdf.c: searchable PDF ----------------------------------------- */

typedef struct ocr_pdf ocr_pdf;

/* Starts a searchable PDF for `address` in directory `dir`: the name is
 * derived from the address (sanitised), never overwriting a file. */
int pledgex__ocr_pdf_begin(ocr_engine *eng, const char *dir, const char *address,
                           ocr_pdf **out, char *err, size_t errlen);
/* Adds the page just recognised (image + invisible text). */
int pledgex__ocr_pdf_add(ocr_pdf *pdf, char *err, size_t errlen);
/* Finishes the file; *path (borrowed from pdf) is its name.  Returns
 * PLEDGEX_OK or PLEDGEX_FAILED. */
int pledgex__ocr_pdf_end(ocr_pdf *pdf, const char **path, char *err, size_t errlen);
/* Frees; removes an unfinished file. */
void pledgex__ocr_pdf_free(ocr_pdf **pdf);

#endif
