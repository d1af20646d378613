/*
 * encoding.c -- see encoding.h.
 *
 * Choosing between legacy encodings: every candidate decodes almost any byte
 * string, so each decoding is scored by how many of its non-ASCII words are
 * well-formed Vietnamese syllables (an initial consonant, a vowel nucleus
 * carrying at most one tone mark and only the vowel marks Vietnamese uses, a
 * final consonant) against words that are not, and stray symbols or control
 * characters.  The right decoding turns nearly every accented word into a
 * syllable; a wrong one turns them into symbols, mixed case or stacked marks.
 */
#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "utf8_next.h"

#include "encoding.h"

int pledgex__is_utf8(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = pledgex__utf8_next(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

int pledgex__read_file(const char *path, size_t max, unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 65536, n = 0;
    unsigned char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return -1;
    }
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n > max) {
            free(buf);
            fclose(f);
            return -2;
        }
        if (n == cap) {
            unsigned char *g = realloc(buf, cap * 2 + 1);
            if (!g) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return -1;
            }
            buf = g;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return -1;
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return 0;
}

/* ---- VNI-Windows ------------------------------------------------------- */

/* VNI writes a Vietnamese letter as its base letter followed by one byte
 * naming the marks (the byte looks like a Latin-1 letter: "Vieät Nam").  A
 * few letters are single bytes.  Each entry gives the Unicode text of a byte
 * from 0xC0 up; marks are combining characters, composed by NFC later. */
static const char *const vni_high[64] = {
    /* C0 */ "\xCC\x82\xCC\x80", "\xCC\x82\xCC\x81", "\xCC\x82", "\xCC\x82\xCC\x83",
    /* C4 */ "\xCC\x82\xCC\xA3", "\xCC\x82\xCC\x89", "\xE1\xBB\x88", NULL,
    /* C8 */ "\xCC\x86\xCC\x80", "\xCC\x86\xCC\x81", "\xCC\x86", "\xCC\x86\xCC\xA3",
    /* CC */ "\xC3\x8C", "\xC3\x8D", "\xCC\xA3", "\xCC\xA3",
    /* D0 */ NULL, "\xC4\x90", "\xE1\xBB\x8A", "\xC4\xA8",
    /* D4 */ "\xC6\xA0", "\xCC\x83", "\xC6\xAF", NULL,
    /* D8 */ "\xCC\x80", "\xCC\x81", "\xCC\x86\xCC\x89", "\xCC\x89",
    /* DC */ "\xCC\x86\xCC\x83", NULL, NULL, NULL,
    /* E0 */ "\xCC\x82\xCC\x80", "\xCC\x82\xCC\x81", "\xCC\x82", "\xCC\x82\xCC\x83",
    /* E4 */ "\xCC\x82\xCC\xA3", "\xCC\x82\xCC\x89", "\xE1\xBB\x89", NULL,
    /* E8 */ "\xCC\x86\xCC\x80", "\xCC\x86\xCC\x81", "\xCC\x86", "\xCC\x86\xCC\xA3",
    /* EC */ "\xC3\xAC", "\xC3\xAD", "\xCC\xA3", "\xCC\xA3",
    /* F0 */ NULL, "\xC4\x91", "\xE1\xBB\x8B", "\xC4\xA9",
    /* F4 */ "\xC6\xA1", "\xCC\x83", "\xC6\xB0", NULL,
    /* F8 */ "\xCC\x80", "\xCC\x81", "\xCC\x86\xCC\x89", "\xCC\x89",
    /* FC */ "\xCC\x86\xCC\x83", NULL, NULL, NULL,
};

static char *decode_vni(const unsigned char *raw, size_t len)
{
    char *out = malloc(len * 6 + 1);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = raw[i];
        if (c < 0x80) {
            out[w++] = (char)c;
            continue;
        }
        const char *s = c >= 0xC0 ? vni_high[c - 0xC0] : NULL;
        if (!s) {
            /* Bytes VNI leaves to Windows-1252 punctuation: keep them as
             * Latin-1 so they at least survive. */
            out[w++] = (char)(0xC0 | (c >> 6));
            out[w++] = (char)(0x80 | (c & 0x3F));
            continue;
        }
        size_t n = strlen(s);
        memcpy(out + w, s, n);
        w += n;
    }
    out[w] = 0;
    return out;
}

/* ---- iconv ------------------------------------------------------------- */

static char *decode_iconv(const unsigned char *raw, size_t len, const char *from, size_t *nbad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 4 + 16;
    char *out = malloc(cap);
    if (!out) {
        iconv_close(cd);
        return NULL;
    }
    char *in = (char *)raw, *o = out;
    size_t inleft = len, outleft = cap - 1;
    size_t bad = 0;
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
            break;
        if (errno == EILSEQ || errno == EINVAL) {
            /* undecodable or truncated: U+FFFD and go on */
            if (outleft < 4)
                break;
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            outleft -= 3;
            size_t skip = (!strncmp(from, "UTF-16", 6) && inleft >= 2) ? 2 : 1;
            in += skip;
            inleft -= skip;
            bad++;
        } else {
            break; /* E2BIG cannot happen with 4x room */
        }
    }
    iconv(cd, NULL, NULL, &o, &outleft);
    iconv_close(cd);
    *o = 0;
    /* glibc's UTF-8 decoder lets through sequences for code points above
     * U+10FFFF (its internal form goes to 2^31), so "UTF-8 to UTF-8" can
     * hand back what is not UTF-8.  The promise in encoding.h is ours to
     * keep: an output that fails the check counts as undecodable. */
    if (!pledgex__is_utf8((const unsigned char *)out, (size_t)(o - out)))
        bad++;
    if (nbad)
        *nbad = bad;
    return out;
}

char *pledgex__decode_as(const unsigned char *raw, size_t len, const char *encoding)
{
    if (!encoding)
        return NULL;
    if (!strcmp(encoding, "VNI"))
        return decode_vni(raw, len);
    if (!strcmp(encoding, "TCVN3"))
        encoding = "TCVN";
    size_t bad = 0;
    char *s = decode_iconv(raw, len, encoding, &bad);
    if (s && bad > 0) {
        free(s);
        return NULL;
    }
    return s;
}

/* ---- scoring ------------------------------------------------------------ */

static int is_tone(utf8proc_int32_t c)
{
    return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

static int is_vowel(utf8proc_int32_t c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int prefix_in(const char *s, const char *const *set, size_t *used)
{
    size_t best = 0;
    int found = 0;
    for (size_t i = 0; set[i]; i++) {
        size_t n = strlen(set[i]);
        if (n >= best && !strncmp(s, set[i], n)) {
            best = n;
            found = 1;
        }
    }
    *used = best;
    return found;
}

/* 1 when the decomposed lower-case word (base letters in `base`, marks
 * counted) is a Vietnamese syllable. */
static int syllable_ok(const char *base)
{
    static const char *const initials[] = {"", "b", "c", "ch", "d", "\x01", "g", "gh", "gi",
                                           "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
                                           "p", "ph", "qu", "r", "s", "t", "th", "tr", "v",
                                           "x", NULL};
    static const char *const finals[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t", NULL};
    size_t n;
    prefix_in(base, initials, &n);
    const char *p = base + n;
    size_t nv = 0;
    while (is_vowel((unsigned char)p[nv]))
        nv++;
    if (nv == 0 && n >= 2 && !strncmp(base, "gi", 2)) /* "gì" */
        nv = 0;
    else if (nv == 0 || nv > 3)
        return 0;
    p += nv;
    for (size_t i = 0; finals[i]; i++)
        if (!strcmp(p, finals[i]))
            return 1;
    return 0;
}

/* Score of one word (code points w[0..n)); 0 for plain ASCII words. */
static long score_word(const utf8proc_int32_t *w, size_t n)
{
    int nonascii = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] >= 0x80)
            nonascii = 1;
    if (!nonascii)
        return 0;
    char base[64];
    size_t nb = 0;
    int tones = 0, bad = 0, seen_lower = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        utf8proc_int32_t c = w[i];
        if (c >= 0x300 && c < 0x370) {
            utf8proc_int32_t prev = nb ? (unsigned char)base[nb - 1] : 0;
            if (is_tone(c)) {
                tones++;
                bad |= !is_vowel(prev);
            } else if (c == 0x302) {
                bad |= !(prev == 'a' || prev == 'e' || prev == 'o');
            } else if (c == 0x306) {
                bad |= prev != 'a';
            } else if (c == 0x31B) {
                bad |= !(prev == 'o' || prev == 'u');
            } else {
                bad = 1;
            }
            continue;
        }
        utf8proc_int32_t lc = utf8proc_tolower(c);
        if (lc != c && seen_lower)
            bad = 1; /* "ViÖt": upper case inside a word */
        if (lc == c)
            seen_lower = 1;
        if (lc == 0x111)
            lc = 1; /* đ */
        else if (lc >= 0x80 || !((lc >= 'a' && lc <= 'z') || lc == 1))
            bad = 1;
        if (nb + 1 < sizeof base)
            base[nb++] = (char)lc;
    }
    base[nb] = 0;
    if (bad || tones > 1 || !syllable_ok(base))
        return -4;
    return 3;
}

/* How Vietnamese the UTF-8 text s looks (higher is better). */
static long score_text(const char *s)
{
    utf8proc_int32_t *cps = NULL;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, 0, NULL, 0,
                                            UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE);
    if (n < 0)
        return -1000000;
    cps = malloc(((size_t)n + 1) * sizeof *cps);
    if (!cps)
        return -1000000;
    n = utf8proc_decompose((const utf8proc_uint8_t *)s, 0, cps, n,
                           UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE);
    long score = 0;
    size_t start = 0;
    int inword = 0;
    for (utf8proc_ssize_t i = 0; i <= n; i++) {
        utf8proc_int32_t c = i < n ? cps[i] : ' ';
        utf8proc_category_t cat = utf8proc_category(c);
        int letter = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME);
        if (letter) {
            if (!inword) {
                start = (size_t)i;
                inword = 1;
            }
            continue;
        }
        if (inword) {
            score += score_word(cps + start, (size_t)i - start);
            inword = 0;
        }
        if (c == 0xFFFD)
            score -= 10;
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            score -= 5;
        else if (c >= 0x80 && c < 0xA0)
            score -= 5;
        else if (c >= 0x80 && !(c >= 0x2010 && c <= 0x2026) && c != 0xA0 && c != 0xAB &&
                 c != 0xBB && c != 0xB0)
            score -= 3; /* a symbol where a letter should be */
    }
    free(cps);
    return score;
}

/* ---- detection ---------------------------------------------------------- */

/* UTF-16 without BOM: ASCII and Vietnamese letters all have a high byte of
 * 0x00, 0x01 or 0x1E, so one byte of most pairs is NUL or tiny. */
static const char *utf16_guess(const unsigned char *raw, size_t len)
{
    if (len < 4 || len % 2)
        return NULL;
    size_t pairs = len / 2, zero_even = 0, zero_odd = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        zero_even += raw[i] == 0;
        zero_odd += raw[i + 1] == 0;
    }
    if (zero_odd * 10 >= pairs * 4 && zero_even * 10 < pairs)
        return "UTF-16LE";
    if (zero_even * 10 >= pairs * 4 && zero_odd * 10 < pairs)
        return "UTF-16BE";
    return NULL;
}

static int decode_utf8_replacing(const unsigned char *raw, size_t len, pledgex_decoded *out)
{
    char *o = malloc(len * 3 + 1);
    if (!o)
        return -1;
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        if (raw[i] == 0) {
            out->nnul++;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = raw[i] < 0x80 ? 1
                                           : pledgex__utf8_next(raw + i,
                                                                (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            memcpy(o + w, "\xEF\xBF\xBD", 3);
            w += 3;
            out->nbad++;
            i++;
        } else {
            memcpy(o + w, raw + i, (size_t)n);
            w += (size_t)n;
            i += (size_t)n;
        }
    }
    o[w] = 0;
    out->text = o;
    out->len = w;
    return 0;
}

/* NFC of out->text in place (VNI and CP1258 give combining marks). */
/* 1 when every code point is one NFC leaves alone whatever follows it:
 * below the combining marks (U+0300), precomposed Vietnamese (U+1E00..
 * U+1EFF) or punctuation (U+2010..U+206F).  Nearly all Vietnamese text
 * is, and a scan is much cheaper than utf8proc's decomposition. */
static int stays_nfc(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp = (unsigned char)s[i];
        utf8proc_ssize_t k = 1;
        if (cp >= 0x80)
            k = pledgex__utf8_next((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i),
                                   &cp);
        if (k <= 0 || (cp >= 0x300 && !(cp >= 0x1E00 && cp <= 0x1EFF) &&
                       !(cp >= 0x2010 && cp <= 0x206F)))
            return 0;
        i += (size_t)k;
    }
    return 1;
}

static int finish_nfc(pledgex_decoded *out, int rc)
{
    if (rc != 0 || !out->text)
        return rc;
    if (stays_nfc(out->text, out->len))
        return 0;
    char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)out->text);
    if (!nfc)
        return 0; /* keep the decomposed text: the host normalises again */
    free(out->text);
    out->text = nfc;
    out->len = strlen(nfc);
    return 0;
}

static int decode_text_raw(const unsigned char *raw, size_t len, pledgex_decoded *out);

int pledgex__decode_text(const unsigned char *raw, size_t len, pledgex_decoded *out)
{
    int rc = decode_text_raw(raw, len, out);
    if (rc != 0) {
        free(out->text);
        out->text = NULL;
        return rc;
    }
    return finish_nfc(out, rc);
}

static int decode_text_raw(const unsigned char *raw, size_t len, pledgex_decoded *out)
{
    memset(out, 0, sizeof *out);
    const char *u16 = NULL;
    size_t skip = 0;
    if (len >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF) {
        out->encoding = "UTF-8";
        return decode_utf8_replacing(raw + 3, len - 3, out);
    }
    if (len >= 2 && raw[0] == 0xFF && raw[1] == 0xFE) {
        u16 = "UTF-16LE";
        skip = 2;
    } else if (len >= 2 && raw[0] == 0xFE && raw[1] == 0xFF) {
        u16 = "UTF-16BE";
        skip = 2;
    } else {
        u16 = utf16_guess(raw, len);
    }
    if (u16) {
        out->encoding = u16;
        out->text = decode_iconv(raw + skip, len - skip, u16, &out->nbad);
        if (!out->text)
            return -1;
        out->len = strlen(out->text);
        return 0;
    }
    int has_high = 0;
    for (size_t i = 0; i < len && !has_high; i++)
        has_high = raw[i] >= 0x80;
    if (!has_high || pledgex__is_utf8(raw, len)) {
        out->encoding = "UTF-8";
        /* (ingest speed) Valid UTF-8 without NUL bytes, nearly every text
         * file, is what decode_utf8_replacing would copy byte for byte:
         * copy it without decoding each character again. */
        if (!memchr(raw, 0, len)) {
            out->text = malloc(len + 1);
            if (!out->text)
                return -1;
            memcpy(out->text, raw, len);
            out->text[len] = 0;
            out->len = len;
            return 0;
        }
        return decode_utf8_replacing(raw, len, out);
    }
    /* UTF-8 with some broken bytes stays UTF-8 (with replacements): in a
     * legacy text a valid multi-byte UTF-8 sequence is a rare accident, so
     * as many valid sequences as broken bytes means UTF-8. */
    size_t valid_multi = 0, invalid = 0;
    for (size_t i = 0; i < len;) {
        if (raw[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = pledgex__utf8_next(raw + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n > 1) {
            valid_multi++;
            i += (size_t)n;
        } else {
            invalid++;
            i++;
        }
    }
    if (valid_multi > 0 && valid_multi >= invalid) {
        out->encoding = "UTF-8";
        return decode_utf8_replacing(raw, len, out);
    }
    /* Legacy single-byte text: NUL bytes are dropped (and counted) first,
     * or the C strings below would end at them. */
    unsigned char *clean = malloc(len + 1);
    if (!clean)
        return -1;
    size_t cn = 0;
    for (size_t i = 0; i < len; i++) {
        if (raw[i])
            clean[cn++] = raw[i];
        else
            out->nnul++;
    }
    raw = clean;
    len = cn;
    static const char *const legacy[] = {"CP1258", "VISCII", "TCVN3", "VNI"};
    long best = 0;
    char *best_text = NULL;
    size_t best_bad = 0;
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
        size_t bad = 0;
        char *s = !strcmp(legacy[i], "VNI") ? decode_vni(raw, len)
                                            : decode_iconv(raw, len,
                                                           !strcmp(legacy[i], "TCVN3")
                                                               ? "TCVN"
                                                               : legacy[i],
                                                           &bad);
        if (!s)
            continue;
        long sc = score_text(s) - 10 * (long)bad;
        if (!best_text || sc > best) {
            free(best_text);
            best_text = s;
            best = sc;
            best_bad = bad;
            out->encoding = legacy[i];
        } else {
            free(s);
        }
    }
    if (!best_text) {
        out->encoding = "UTF-8";
        int rc = decode_utf8_replacing(raw, len, out);
        free(clean);
        return rc;
    }
    free(clean);
    out->text = best_text;
    out->len = strlen(best_text);
    out->nbad = best_bad;
    return 0;
}
