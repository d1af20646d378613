/*
 * xtext.h -- (internal to core/extract) the text every extractor reads: the
 * NFC original, an accent-free lower-case shadow of it ("Đảng" -> "dang")
 * with a byte map back to the original, and the words of the shadow.
 *
 * Matching on the shadow makes rules tolerant of OCR damage to diacritics
 * and of CAPITALS; the map gives back the text as it was written.
 */
#ifndef PLEDGEX_EXTRACT_XTEXT_H
#define PLEDGEX_EXTRACT_XTEXT_H

#include <stddef.h>
#include <stdint.h>

/* Word flags. */
#define PX_W_CAP 0x1u    /* first letter upper case in the original       */
#define PX_W_UPPER 0x2u  /* every letter upper case (and >= 2 letters, or  */
                         /* one letter on an all-caps line)                */
#define PX_W_NUM 0x4u    /* all digits                                     */
#define PX_W_ALPHA 0x8u  /* all letters                                    */

typedef struct px_word {
    size_t fa, fb;  /* span in the shadow                                */
    size_t oa, ob;  /* span in the original                              */
    unsigned flags;
    int line;       /* 0-based line number                               */
    uint32_t h;     /* hash of the shadow word (xphrase.h)               */
} px_word;

typedef struct px_line {
    size_t fa, fb;  /* span in the shadow, without the newline           */
    size_t w0, w1;  /* its words: [w0, w1)                               */
    int upper;      /* every letter of the line is upper case            */
} px_line;

typedef struct px_text {
    char *orig;     /* NFC, owned                                        */
    size_t olen;
    char *fold;     /* shadow, owned; ASCII for Vietnamese text          */
    size_t flen;
    size_t *map;    /* fold byte i -> original byte; map[flen] = olen    */
    unsigned char *up; /* fold byte i came from an upper-case letter      */
    px_word *w;
    size_t nw;
    px_line *lines;
    size_t nlines;
    char **exact;   /* memo of pledgex__xw_exact, allocated on first use  */
} px_text;

/* Builds the shadow of s[0..len).  Returns 0, or -1 when out of memory. */
int pledgex__xtext_init(px_text *t, const char *s, size_t len);
void pledgex__xtext_fini(px_text *t);

/* Word i of the original, case-folded with one tone placement (what
 * pledgex__fold_exact gives), computed once per word and kept by t; NULL
 * when out of memory.  (t is const to its readers; the memo is not state.) */
const char *pledgex__xw_exact(const px_text *t, size_t i);

/* 1 when word i's shadow equals lit (lower-case ASCII).  Inline, as is the
 * first-letter test of pledgex__xw_seq: the extractors ask both of every
 * word for many literals, almost every call fails on the first byte, and
 * the calls across files cost more than the test (a tenth of extraction). */
static inline int pledgex__xw_is(const px_text *t, size_t i, const char *lit)
{
    if (i >= t->nw)
        return 0;
    /* Byte by byte, no strlen: a word's folded bytes are never NUL, so a
     * shorter lit fails at its terminator. */
    const char *w = t->fold + t->w[i].fa;
    size_t n = t->w[i].fb - t->w[i].fa;
    for (size_t k = 0; k < n; k++)
        if (w[k] != lit[k])
            return 0;
    return lit[n] == 0;
}
/* pledgex__xw_seq once word i's first letter is lits's (xtext.c). */
size_t pledgex__xw_seq_rest(const px_text *t, size_t i, const char *lits, int cross_lines);
/* Matches the space-separated words of lits at word i ("uy ban nhan dan");
 * returns how many words matched, 0 if not all did.  Words on both sides
 * must sit on one line unless cross_lines. */
static inline size_t pledgex__xw_seq(const px_text *t, size_t i, const char *lits,
                                     int cross_lines)
{
    if (i >= t->nw || !*lits || t->w[i].fb == t->w[i].fa || t->fold[t->w[i].fa] != lits[0])
        return 0;
    return pledgex__xw_seq_rest(t, i, lits, cross_lines);
}
/* The shadow characters between word i-1 and word i, spaces dropped, into
 * buf (NUL-terminated, truncated). */
void pledgex__xw_sep(const px_text *t, size_t i, char *buf, size_t n);
/* 1 when a blank line separates word i-1 from word i. */
int pledgex__xw_para(const px_text *t, size_t i);
/* Copy of the original between the start of word a and the end of word b-1,
 * whitespace runs (newlines too) collapsed to one space.  Caller frees. */
char *pledgex__x_span(const px_text *t, size_t a, size_t b);
/* Copy of the original for shadow span [fa, fb), whitespace collapsed. */
char *pledgex__x_fspan(const px_text *t, size_t fa, size_t fb);
/* Whitespace collapsed, trimmed copy of s[0..n).  Caller frees. */
char *pledgex__x_clean(const char *s, size_t n);

#endif
