/*
 * xtext.c -- the accent-free shadow of a text, with a map back to the
 * original bytes, and its words and lines.
 */
#include <config.h>

#include "xtext.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "utf8_next.h"

#include "textnorm.h"
#include "xphrase.h"

/* Growable byte buffer with a parallel map and case array. */
typedef struct sbuf {
    char *s;
    size_t *map;
    unsigned char *up;
    size_t n, cap;
} sbuf;

static int sb_put(sbuf *b, char c, size_t orig, int up)
{
    if (b->n + 1 >= b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;
        char *s = realloc(b->s, ncap);
        if (!s)
            return -1;
        b->s = s;
        size_t *m = realloc(b->map, (ncap + 1) * sizeof *m);
        if (!m)
            return -1;
        b->map = m;
        unsigned char *u = realloc(b->up, ncap);
        if (!u)
            return -1;
        b->up = u;
        b->cap = ncap;
    }
    b->s[b->n] = c;
    b->map[b->n] = orig;
    b->up[b->n] = (unsigned char)up;
    b->n++;
    return 0;
}

/* HTML entities that survive in article text and stand for quotes or
 * spaces; they fold to one character so rules see plain punctuation. */
static const struct {
    const char *ent;
    char c;
} entities[] = {
    {"&ldquo;", '"'}, {"&rdquo;", '"'}, {"&quot;", '"'}, {"&#8220;", '"'},
    {"&#8221;", '"'}, {"&nbsp;", ' '}, {"&ndash;", '-'}, {"&mdash;", '-'},
};

/* Punctuation outside ASCII that matters to the rules. */
static char fold_punct(utf8proc_int32_t c)
{
    switch (c) {
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x201F:
        return '"';
    case 0x2018: case 0x2019:
        return '\'';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
        return '-';
    case 0x00A0: case 0x2002: case 0x2003: case 0x2009: case 0x202F: case '\t':
    case '\r': case '\f': case '\v':
        return ' ';
    case 0x2026:
        return '.';
    default:
        return 0;
    }
}

static int fold_into(sbuf *b, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII (most of the bytes, even in Vietnamese) without utf8proc:
         * the same result as the general path below, a fifth of the
         * cost of building the text. */
        unsigned char u = (unsigned char)s[i];
        if (u < 0x80 && u != '&') {
            char ch = (char)u;
            int up = ch >= 'A' && ch <= 'Z';
            if (up)
                ch = (char)(ch + 32);
            else if (ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v')
                ch = ' ';
            if (sb_put(b, ch, i, up))
                return -1;
            i++;
            continue;
        }
        if (s[i] == '&') {
            size_t k;
            for (k = 0; k < sizeof entities / sizeof entities[0]; k++) {
                size_t el = strlen(entities[k].ent);
                if (i + el <= len && !memcmp(s + i, entities[k].ent, el))
                    break;
            }
            if (k < sizeof entities / sizeof entities[0]) {
                if (sb_put(b, entities[k].c, i, 0))
                    return -1;
                i += strlen(entities[k].ent);
                continue;
            }
        }
        utf8proc_int32_t c;
        utf8proc_ssize_t n = pledgex__utf8_next((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) { /* cannot happen after NFC; be safe anyway */
            if (sb_put(b, '?', i, 0))
                return -1;
            i++;
            continue;
        }
        int up = utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
        char p = fold_punct(c);
        if (p) {
            if (sb_put(b, p, i, 0))
                return -1;
        } else if (c == 0x0110 || c == 0x0111 || c == 0x0189) {
            if (sb_put(b, 'd', i, up))
                return -1;
        } else if (c < 0x80) {
            char ch = (char)c;
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch + 32);
            if (sb_put(b, ch, i, up))
                return -1;
        } else if (pledgex__fold_char(c) >= 0 && pledgex__fold_char(c) < 0x80) {
            /* the common case, memoised: a Vietnamese letter to its base */
            if (sb_put(b, (char)pledgex__fold_char(c), i, up))
                return -1;
        } else {
            utf8proc_int32_t d[8];
            int last = 0;
            utf8proc_ssize_t nd = utf8proc_decompose_char(
                c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &last);
            if (nd < 0 || nd > 8) {
                nd = 1;
                d[0] = c;
            }
            for (utf8proc_ssize_t k = 0; k < nd; k++) {
                utf8proc_uint8_t enc[4];
                utf8proc_ssize_t el = utf8proc_encode_char(d[k], enc);
                for (utf8proc_ssize_t e = 0; e < el; e++)
                    if (sb_put(b, (char)enc[e], i, up))
                        return -1;
            }
        }
        i += (size_t)n;
    }
    return 0;
}

static int is_wordch(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int split_words(px_text *t)
{
    size_t cap = 0;
    int line = 0;
    size_t i = 0;
    while (i < t->flen) {
        unsigned char c = (unsigned char)t->fold[i];
        if (c == '\n') {
            line++;
            i++;
            continue;
        }
        if (!is_wordch(c)) {
            i++;
            continue;
        }
        size_t j = i;
        unsigned flags = PX_W_NUM | PX_W_ALPHA;
        int letters = 0, uppers = 0;
        while (j < t->flen && is_wordch((unsigned char)t->fold[j])) {
            unsigned char d = (unsigned char)t->fold[j];
            if (d >= '0' && d <= '9')
                flags &= ~PX_W_ALPHA;
            else {
                flags &= ~PX_W_NUM;
                letters++;
                uppers += t->up[j] != 0;
            }
            j++;
        }
        if (t->up[i])
            flags |= PX_W_CAP;
        if (letters && uppers == letters)
            flags |= PX_W_UPPER;
        if (t->nw == cap) {
            size_t ncap = cap ? cap * 2 : 128;
            px_word *w = realloc(t->w, ncap * sizeof *w);
            if (!w)
                return -1;
            t->w = w;
            cap = ncap;
        }
        px_word *w = &t->w[t->nw++];
        w->fa = i;
        w->fb = j;
        w->oa = t->map[i];
        /* The original end is where the next shadow byte starts, so a word
         * ending in a multi-byte letter keeps all of it. */
        w->ob = t->map[j];
        w->flags = flags;
        w->line = line;
        w->h = pledgex__xphrase_hash(t->fold + i, j - i);
        i = j;
    }
    return 0;
}

static int split_lines(px_text *t)
{
    size_t n = 1;
    for (size_t i = 0; i < t->flen; i++)
        n += t->fold[i] == '\n';
    t->lines = calloc(n, sizeof *t->lines);
    if (!t->lines)
        return -1;
    t->nlines = n;
    size_t start = 0, li = 0;
    for (size_t i = 0; i <= t->flen; i++) {
        if (i == t->flen || t->fold[i] == '\n') {
            t->lines[li].fa = start;
            t->lines[li].fb = i;
            li++;
            start = i + 1;
        }
    }
    size_t wi = 0;
    for (size_t l = 0; l < n; l++) {
        while (wi < t->nw && t->w[wi].line < (int)l)
            wi++;
        t->lines[l].w0 = wi;
        size_t e = wi;
        int letters = 0, uppers = 0;
        while (e < t->nw && t->w[e].line == (int)l) {
            for (size_t k = t->w[e].fa; k < t->w[e].fb; k++) {
                unsigned char d = (unsigned char)t->fold[k];
                if (!(d >= '0' && d <= '9')) {
                    letters++;
                    uppers += t->up[k] != 0;
                }
            }
            e++;
        }
        t->lines[l].w1 = e;
        t->lines[l].upper = letters >= 3 && uppers == letters;
    }
    return 0;
}

int pledgex__xtext_init(px_text *t, const char *s, size_t len)
{
    memset(t, 0, sizeof *t);
    t->orig = pledgex__nfc(s, len, NULL);
    if (!t->orig)
        return -1;
    t->olen = strlen(t->orig);
    sbuf b = {0};
    if (fold_into(&b, t->orig, t->olen) || sb_put(&b, '\0', t->olen, 0)) {
        free(b.s);
        free(b.map);
        free(b.up);
        pledgex__xtext_fini(t);
        return -1;
    }
    t->fold = b.s;
    t->map = b.map;
    t->up = b.up;
    t->flen = b.n - 1; /* the NUL is not text; map[flen] = olen */
    if (split_words(t) || split_lines(t)) {
        pledgex__xtext_fini(t);
        return -1;
    }
    return 0;
}

/* Exact forms of words seen lately, per thread: the rules ask for the
 * exact form of the same few hundred words in every document, and folding
 * one through utf8proc costs far more than a lookup.  Direct-mapped by a
 * hash of the word; a collision just folds again. */
#define EXACT_MEMO 2048
#define EXACT_MEMO_WORD 48

static char *exact_of(const char *w, size_t n)
{
    static _Thread_local struct {
        char word[EXACT_MEMO_WORD];
        size_t n;
        char *exact;
    } memo[EXACT_MEMO];
    if (n >= EXACT_MEMO_WORD)
        return pledgex__fold_exact(w, n);
    size_t slot = pledgex__xphrase_hash(w, n) % EXACT_MEMO;
    if (!memo[slot].exact || memo[slot].n != n || memcmp(memo[slot].word, w, n)) {
        char *e = pledgex__fold_exact(w, n);
        if (!e)
            return NULL;
        free(memo[slot].exact);
        memcpy(memo[slot].word, w, n);
        memo[slot].n = n;
        memo[slot].exact = e;
    }
    return strdup(memo[slot].exact);
}

const char *pledgex__xw_exact(const px_text *t, size_t i)
{
    if (i >= t->nw)
        return NULL;
    px_text *m = (px_text *)t; /* the memo only */
    if (!m->exact && !(m->exact = calloc(t->nw, sizeof *m->exact)))
        return NULL;
    if (!m->exact[i])
        m->exact[i] = exact_of(t->orig + t->w[i].oa, t->w[i].ob - t->w[i].oa);
    return m->exact[i];
}

void pledgex__xtext_fini(px_text *t)
{
    if (t->exact)
        for (size_t i = 0; i < t->nw; i++)
            free(t->exact[i]);
    free(t->exact);
    free(t->orig);
    free(t->fold);
    free(t->map);
    free(t->up);
    free(t->w);
    free(t->lines);
    memset(t, 0, sizeof *t);
}

size_t pledgex__xw_seq_rest(const px_text *t, size_t i, const char *lits, int cross_lines)
{
    /* (the inline part in xtext.h tested the first letter) */
    size_t k = 0;
    const char *p = lits;
    while (*p) {
        size_t wi = i + k;
        if (wi >= t->nw)
            return 0;
        /* The word against the literal's next word, in place: a word's
         * folded bytes are never a space or NUL, so the literal's word
         * must end exactly where the text's word does. */
        const char *w = t->fold + t->w[wi].fa;
        size_t n = t->w[wi].fb - t->w[wi].fa, j = 0;
        while (j < n && p[j] == w[j])
            j++;
        if (j < n || (p[n] != ' ' && p[n] != 0))
            return 0;
        if (k && !cross_lines && t->w[wi].line != t->w[i].line)
            return 0;
        k++;
        p += n;
        while (*p == ' ')
            p++;
    }
    return k;
}

void pledgex__xw_sep(const px_text *t, size_t i, char *buf, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return;
    if (i > 0 && i < t->nw) {
        for (size_t k = t->w[i - 1].fb; k < t->w[i].fa && o + 1 < n; k++)
            if (t->fold[k] != ' ' && t->fold[k] != '\n')
                buf[o++] = t->fold[k];
    }
    buf[o] = '\0';
}

char *pledgex__x_clean(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = 1;
            continue;
        }
        /* U+00A0 */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            space = 1;
            i++;
            continue;
        }
        if (space && o)
            out[o++] = ' ';
        space = 0;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}

char *pledgex__x_fspan(const px_text *t, size_t fa, size_t fb)
{
    if (fa > t->flen)
        fa = t->flen;
    if (fb > t->flen)
        fb = t->flen;
    if (fb < fa)
        fb = fa;
    size_t a = t->map[fa], b = t->map[fb];
    return pledgex__x_clean(t->orig + a, b - a);
}

char *pledgex__x_span(const px_text *t, size_t a, size_t b)
{
    if (a >= t->nw || b <= a)
        return pledgex__x_clean("", 0);
    if (b > t->nw)
        b = t->nw;
    return pledgex__x_clean(t->orig + t->w[a].oa, t->w[b - 1].ob - t->w[a].oa);
}

char *pledgex__x_case(const char *s, int title)
{
    size_t len = strlen(s);
    char *out = malloc(len * 2 + 1); /* case mapping may grow a letter */
    if (!out)
        return NULL;
    size_t i = 0, o = 0;
    int first = 1;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = pledgex__utf8_next((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) {
            i++;
            continue;
        }
        utf8proc_int32_t m = (title && first) ? utf8proc_toupper(c) : utf8proc_tolower(c);
        if (utf8proc_category(c) >= UTF8PROC_CATEGORY_LU &&
            utf8proc_category(c) <= UTF8PROC_CATEGORY_LO)
            first = 0;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t el = utf8proc_encode_char(m, enc);
        if (o + (size_t)el > len * 2)
            break;
        memcpy(out + o, enc, (size_t)el);
        o += (size_t)el;
        i += (size_t)n;
    }
    out[o] = '\0';
    return out;
}

int pledgex__xw_para(const px_text *t, size_t i)
{
    if (i == 0 || i >= t->nw)
        return 0;
    int nl = 0;
    for (size_t k = t->w[i - 1].fb; k < t->w[i].fa; k++) {
        if (t->fold[k] == '\n' && ++nl == 2)
            return 1;
        if (t->fold[k] != ' ' && t->fold[k] != '\n')
            nl = 0;
    }
    return 0;
}
