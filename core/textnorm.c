/*
 * textnorm.c -- NFC, tone-placement canonicalisation and accent folding.
 *
 * utf8proc does the Unicode work (decomposition, composition, case folding);
 * what is ours is the Vietnamese part: where a tone mark sits in a syllable
 * ("hòa" vs "hoà") and the letter đ, which has no decomposition and so
 * survives every stock diacritic stripper.
 */
#include <config.h>

#include "textnorm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "utf8_next.h"

/* Tone marks, as combining characters after NFD. */
static int is_tone(utf8proc_int32_t c)
{
    return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

/* Vowel-shape marks: circumflex, breve, horn. */
static int is_shape(utf8proc_int32_t c)
{
    return c == 0x0302 || c == 0x0306 || c == 0x031B;
}

static int is_combining(utf8proc_int32_t c)
{
    return c >= 0x0300 && c <= 0x036F;
}

static int lower_ascii(utf8proc_int32_t c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int is_vowel_base(utf8proc_int32_t c)
{
    switch (lower_ascii(c)) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
        return 1;
    default:
        return 0;
    }
}

static int is_letter(utf8proc_int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) || is_combining(c);
}

/* Decomposes s into a malloc'd array of code points (NFD), invalid bytes
 * replaced by U+FFFD and NULs dropped.  Returns the count or -1. */
static utf8proc_ssize_t decompose(const char *s, size_t len, utf8proc_int32_t **out,
                                  size_t *nbad, int casefold)
{
    /* First make the input valid: copy with replacements. */
    size_t cap = len * 3 + 1, n = 0, bad = 0;
    char *clean = malloc(cap);
    if (!clean)
        return -1;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = pledgex__utf8_next((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(len - i), &c);
        if (k < 0) {
            memcpy(clean + n, "\xEF\xBF\xBD", 3);
            n += 3;
            bad++;
            i++;
            continue;
        }
        if (c != 0) {
            memcpy(clean + n, s + i, (size_t)k);
            n += (size_t)k;
        }
        i += (size_t)k;
    }
    clean[n] = 0;
    if (nbad)
        *nbad = bad;
    utf8proc_option_t opt = UTF8PROC_DECOMPOSE | UTF8PROC_STABLE;
    if (casefold)
        opt |= UTF8PROC_CASEFOLD;
    utf8proc_ssize_t need = utf8proc_decompose((const utf8proc_uint8_t *)clean,
                                               (utf8proc_ssize_t)n, NULL, 0, opt);
    if (need < 0) {
        free(clean);
        return -1;
    }
    /* +1: utf8proc_reencode writes a terminator into the buffer. */
    utf8proc_int32_t *buf = malloc(sizeof *buf * ((size_t)need + 1));
    if (!buf) {
        free(clean);
        return -1;
    }
    need = utf8proc_decompose((const utf8proc_uint8_t *)clean, (utf8proc_ssize_t)n, buf,
                              need, opt);
    free(clean);
    if (need < 0) {
        free(buf);
        return -1;
    }
    *out = buf;
    return need;
}

static char *recompose(utf8proc_int32_t *buf, utf8proc_ssize_t n)
{
    utf8proc_ssize_t k = utf8proc_reencode(buf, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (k < 0) {
        free(buf);
        return NULL;
    }
    /* utf8proc_reencode writes UTF-8 over the code point buffer. */
    char *res = realloc(buf, (size_t)k + 1);
    if (!res)
        res = (char *)buf;
    res[k] = 0;
    return res;
}

/*
 * Moves the tone mark of the syllable buf[a..b) to its canonical vowel.
 * Rules ("new" convention, which is what the 1980s orthography and most
 * current fonts of officialdom use):
 *   - a vowel with a shape mark (ă â ê ô ơ ư) takes the tone (the last one:
 *     ươ -> ơ);
 *   - else in a cluster of three vowels, or two followed by a consonant, the
 *     second vowel;
 *   - else of two vowels, oa/oe/uy take it on the second (hoà, uỷ), others
 *     on the first (mùa, tài);
 * "qu" and "gi" before another vowel are consonants.
 */
static void fix_syllable(utf8proc_int32_t *buf, utf8proc_ssize_t a, utf8proc_ssize_t b)
{
    utf8proc_int32_t tone = 0;
    utf8proc_ssize_t vpos[8];
    int shaped[8];
    int nv = 0, ntone = 0;
    utf8proc_ssize_t last_vowel_end = -1;

    for (utf8proc_ssize_t i = a; i < b; i++) {
        if (is_tone(buf[i])) {
            tone = buf[i];
            ntone++;
        }
    }
    if (ntone != 1)
        return; /* nothing to move, or not a Vietnamese syllable */

    /* Remove the tone. */
    utf8proc_ssize_t w = a;
    for (utf8proc_ssize_t i = a; i < b; i++)
        if (!is_tone(buf[i]))
            buf[w++] = buf[i];
    utf8proc_ssize_t nb = w; /* one slot free at nb (the removed tone's) */

    /* Find the vowel cluster. */
    utf8proc_ssize_t start = a;
    if (nb - a >= 3) {
        utf8proc_int32_t c0 = lower_ascii(buf[a]);
        utf8proc_int32_t c1 = lower_ascii(buf[a + 1]);
        if ((c0 == 'q' && c1 == 'u') || (c0 == 'g' && c1 == 'i' && is_vowel_base(buf[a + 2])))
            start = a + 2;
    }
    int in_cluster = 0, after = 0;
    for (utf8proc_ssize_t i = start; i < nb; i++) {
        if (is_vowel_base(buf[i]) && !after) {
            if (nv < 8) {
                vpos[nv] = i;
                shaped[nv] = (i + 1 < nb && is_shape(buf[i + 1]));
                nv++;
            }
            in_cluster = 1;
            last_vowel_end = i + 1;
        } else if (is_combining(buf[i])) {
            if (in_cluster)
                last_vowel_end = i + 1;
        } else if (in_cluster) {
            after = 1;
        }
    }
    int has_final = (last_vowel_end >= 0 && last_vowel_end < nb);
    int target = -1;
    if (nv == 0) {
        /* "gì": the i of gi is the vowel. */
        if (start > a) {
            vpos[0] = a + 1;
            shaped[0] = 0;
            nv = 1;
            target = 0;
        } else {
            target = -2;
        }
    }
    if (target == -1) {
        for (int k = 0; k < nv; k++)
            if (shaped[k])
                target = k;
    }
    if (target == -1) {
        if (nv == 1)
            target = 0;
        else if (nv >= 3 || has_final)
            target = 1;
        else {
            utf8proc_int32_t v0 = lower_ascii(buf[vpos[0]]), v1 = lower_ascii(buf[vpos[1]]);
            if ((v0 == 'o' && (v1 == 'a' || v1 == 'e')) || (v0 == 'u' && v1 == 'y'))
                target = 1;
            else
                target = 0;
        }
    }
    utf8proc_ssize_t at = target < 0 ? nb : vpos[target] + 1;
    /* After the vowel's other marks: a tone of class 230 after a shape
     * mark of class 230 (ế = e U+0302 U+0301); equal classes keep their
     * order in NFD, so the sort below would not fix it. */
    while (target >= 0 && at < nb && is_combining(buf[at]))
        at++;
    utf8proc_ssize_t first = target < 0 ? at : vpos[target] + 1;
    memmove(buf + at + 1, buf + at, sizeof *buf * (size_t)(nb - at));
    buf[at] = tone;
    /* Canonical order of the marks on that vowel (dot below, class 220,
     * comes before the circumflex, class 230), so composition sees NFD. */
    at = first;
    utf8proc_ssize_t end = at;
    while (end < nb + 1 && is_combining(buf[end]))
        end++;
    for (utf8proc_ssize_t i = at; i < end; i++)
        for (utf8proc_ssize_t j = i + 1; j < end; j++)
            if (utf8proc_get_property(buf[j])->combining_class <
                utf8proc_get_property(buf[i])->combining_class) {
                utf8proc_int32_t t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
    (void)b;
}

static void canonicalise_tones(utf8proc_int32_t *buf, utf8proc_ssize_t n)
{
    utf8proc_ssize_t i = 0;
    while (i < n) {
        if (!is_letter(buf[i]) || is_combining(buf[i])) {
            i++;
            continue;
        }
        utf8proc_ssize_t j = i;
        while (j < n && is_letter(buf[j]))
            j++;
        if (j - i <= 12)
            fix_syllable(buf, i, j);
        i = j;
    }
}

/* Whether s is valid UTF-8 without NULs and already NFC for a reason that
 * needs no tables: every code point is below U+0300 (Latin, no combining
 * marks or singletons there), precomposed Vietnamese (U+1E00..U+1EFF) or
 * typographic punctuation (U+2010..U+206F).  Nearly all real Vietnamese
 * text passes, and then NFC costs one scan instead of a decomposition. */
static int obviously_nfc(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = pledgex__utf8_next((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(len - i), &cp);
        if (k < 0)
            return 0;
        if (!(cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x206F)))
            return 0;
        i += (size_t)k;
    }
    return 1;
}

char *pledgex__nfc(const char *s, size_t len, size_t *nbad)
{
    if (obviously_nfc(s, len)) {
        if (nbad)
            *nbad = 0;
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, s, len);
            copy[len] = 0;
        }
        return copy;
    }
    utf8proc_int32_t *buf;
    utf8proc_ssize_t n = decompose(s, len, &buf, nbad, 0);
    if (n < 0)
        return NULL;
    return recompose(buf, n);
}

static char *tone_form(const char *s, size_t len, int casefold)
{
    utf8proc_int32_t *buf;
    utf8proc_ssize_t n = decompose(s, len, &buf, NULL, casefold);
    if (n < 0)
        return NULL;
    canonicalise_tones(buf, n);
    return recompose(buf, n);
}

char *pledgex__tone_canonical(const char *s, size_t len)
{
    return tone_form(s, len, 0);
}

char *pledgex__fold_exact(const char *s, size_t len)
{
    return tone_form(s, len, 1);
}

#define FOLD_TABLE 0x2000 /* Latin, Greek, Cyrillic, Vietnamese */

/* fold_ascii for text whose every letter folds, alone, to ASCII (all
 * Vietnamese does): one pass through the memoised pledgex__fold_char, no
 * decomposition.  NULL when some character needs the general path. */
static char *fold_ascii_fast(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        int32_t f = -1;
        utf8proc_ssize_t k = 1;
        if (c >= 0x80) {
            utf8proc_int32_t cp;
            k = pledgex__utf8_next((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i),
                                   &cp);
            if (k > 0 && cp < FOLD_TABLE)
                f = pledgex__fold_char(cp);
        } else if (c != 0) { /* the general path decides what a NUL means */
            f = c >= 'A' && c <= 'Z' ? c + 32 : c;
        }
        if (f < 0 || f >= 0x80) {
            free(out);
            return NULL;
        }
        out[o++] = (char)f;
        i += (size_t)k;
    }
    out[o] = 0;
    return out;
}

char *pledgex__fold_ascii(const char *s, size_t len)
{
    char *fast = fold_ascii_fast(s, len);
    if (fast)
        return fast;
    utf8proc_int32_t *buf;
    utf8proc_ssize_t n = decompose(s, len, &buf, NULL, 1);
    if (n < 0)
        return NULL;
    utf8proc_ssize_t w = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = buf[i];
        if (is_combining(c))
            continue;
        if (c == 0x0111 || c == 0x0110) /* đ Đ: no decomposition */
            c = 'd';
        buf[w++] = c;
    }
    return recompose(buf, w);
}


int32_t pledgex__fold_char(int32_t cp)
{
    /* 0 = not computed yet; otherwise the answer + 2 (so -1 fits). */
    static int32_t table[FOLD_TABLE];
    if (cp >= 0 && cp < FOLD_TABLE && table[cp])
        return table[cp] - 2;
    int32_t r;
    if (cp == 0x0110 || cp == 0x0111) {
        r = 'd';
    } else {
        utf8proc_int32_t d[8];
        int last = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(
            cp, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &last);
        r = n == 1 ? d[0] : -1;
    }
    if (cp >= 0 && cp < FOLD_TABLE)
        table[cp] = r + 2;
    return r;
}

int pledgex__utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = pledgex__utf8_next((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(len - i), &c);
        if (k < 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}
