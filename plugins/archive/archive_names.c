/*
 * archive_names.c -- member names: valid UTF-8 for the index, decoded from
 * the legacy code page of the Windows machine that made the archive when the
 * archive does not say UTF-8, and stripped of anything that would climb out
 * of the archive (the host never uses them as paths; addresses should not
 * lie about where a member sits either).
 *
 * The decoding heuristic: a ZIP without the UTF-8 flag stores names in the
 * OEM code page of the machine that zipped it: CP437 on Western Windows,
 * CP1258 on Vietnamese Windows (which writes tones as combining marks after
 * the vowel), CP1252 from some tools.  (CP850 is left out: it maps almost
 * every byte to a letter, so it "explains" CP1252 names too well.)  Bytes that are valid UTF-8 are
 * taken as UTF-8 (legacy text almost never is).  Otherwise every candidate
 * is decoded with iconv and scored character by character: letters of the
 * Vietnamese alphabet score high, toned letters beyond Latin-1 (which only
 * a successful CP1258 composition yields) highest, Latin-1 letters a
 * little, symbols, box drawing, Greek, C1 controls and combining marks that
 * found no base score negative; a capital inside a lower-case word and an
 * "ă" before a vowel (impossible in Vietnamese: "Săo" is São in CP1252)
 * cost extra.  The best score wins; ties go to the
 * earlier candidate (CP1258 first: this is a Vietnamese archive tool).
 */
#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "archive_int.h"

int pledgex__arc_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2, cp = c & 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3, cp = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (len - i < n)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n;
    }
    return 1;
}

/* Next code point of valid UTF-8 at *p (advanced). */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t cp;
    size_t n;
    if (s[0] < 0x80)
        cp = s[0], n = 1;
    else if (s[0] < 0xE0)
        cp = s[0] & 0x1F, n = 2;
    else if (s[0] < 0xF0)
        cp = s[0] & 0x0F, n = 3;
    else
        cp = s[0] & 0x07, n = 4;
    for (size_t k = 1; k < n; k++)
        cp = (cp << 6) | (s[k] & 0x3F);
    *p = s + n;
    return cp;
}

/* Letters of the Vietnamese alphabet that Latin-1 also has. */
static int viet_latin1(uint32_t c)
{
    static const char set[] = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý";
    const unsigned char *p = (const unsigned char *)set;
    while (*p)
        if (next_cp(&p) == c)
            return 1;
    return 0;
}

/* Vietnamese letters outside Latin-1: ă đ ĩ ũ ơ ư and the toned vowels of
 * Latin Extended Additional (U+1EA0..U+1EF9). */
static int viet_extended(uint32_t c)
{
    switch (c) {
    case 0x102: case 0x103: case 0x110: case 0x111: case 0x128: case 0x129:
    case 0x168: case 0x169: case 0x1A0: case 0x1A1: case 0x1AF: case 0x1B0:
        return 1;
    default:
        return c >= 0x1EA0 && c <= 0x1EF9;
    }
}

static int is_upper(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return 1;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return 1;
    if ((c >= 0x100 && c <= 0x17F) || (c >= 0x1EA0 && c <= 0x1EF9))
        return (c & 1) == 0; /* these blocks alternate upper, lower */
    return c == 0x1A0 || c == 0x1AF;
}

static int is_lower(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) ||
           (((c >= 0x100 && c <= 0x17F) || (c >= 0x1EA0 && c <= 0x1EF9)) && (c & 1)) ||
           c == 0x1A1 || c == 0x1B0;
}

static int is_vowel(uint32_t c)
{
    if (c < 0x80)
        return c && strchr("aeiouyAEIOUY", (int)c) != NULL;
    return viet_latin1(c) || (viet_extended(c) && c != 0x110 && c != 0x111);
}

/* a-breve, plain or toned: in Vietnamese always followed by a consonant. */
static int is_breve_a(uint32_t c)
{
    return c == 0x102 || c == 0x103 || (c >= 0x1EAE && c <= 0x1EB7);
}

/* Plausibility of one decoded character in a file name, given the one
 * before it. */
static int char_score(uint32_t c, uint32_t prev)
{
    if (c < 0x80)
        return is_breve_a(prev) && is_vowel(c) ? -6 : 0;
    if (c < 0xA0)
        return -6; /* C1 control: the wrong table */
    int s;
    if (viet_extended(c))
        s = 4;
    else if (viet_latin1(c))
        s = 1;
    else if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)
        s = 0; /* other Latin letters: possible, not telling */
    else if (c >= 0x300 && c <= 0x36F) /* a mark no letter took */
        return prev >= 0x80 || (prev | 0x20) < 'a' || (prev | 0x20) > 'z' ? -4 : -1;
    else if (c == 0x2013 || c == 0x2014 || c == 0x2018 || c == 0x2019 || c == 0x201C ||
             c == 0x201D || c == 0x2026)
        return 0; /* dashes, curly quotes, ellipsis: Windows names have them */
    else if (c >= 0x2000 && c <= 0x206F)
        return -2;
    else
        return -3; /* symbols, Greek, box drawing, maths */
    if (is_upper(c) && is_lower(prev))
        s -= 2; /* "oÙ": a capital inside a lower-case word */
    if (is_breve_a(prev) && is_vowel(c))
        s -= 6; /* "ăo" is no Vietnamese */
    return s;
}

static long score_utf8(const char *s)
{
    long score = 0;
    uint32_t prev = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = next_cp(&p);
        score += char_score(c, prev);
        prev = c;
    }
    return score;
}

/* raw decoded from `charset` with iconv, or NULL when some byte has no
 * mapping in it (the candidate is out). */
static char *decode(const char *raw, const char *charset)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t inleft = strlen(raw);
    size_t cap = inleft * 4 + 8;
    char *out = malloc(cap);
    if (!out) {
        iconv_close(cd);
        return NULL;
    }
    char *in = (char *)raw, *o = out;
    size_t outleft = cap - 1;
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &o, &outleft); /* flush a pending base letter */
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(out);
        return NULL;
    }
    *o = 0;
    return out;
}

/* Last resort: every byte that is not ASCII becomes U+FFFD. */
static char *replace_invalid(const char *raw)
{
    size_t n = strlen(raw);
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
        if (*p < 0x80) {
            *o++ = (char)*p;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
        }
    }
    *o = 0;
    return out;
}

char *pledgex__arc_name_utf8(const char *raw, const char **charset)
{
    static const char *const candidates[] = {"CP1258", "CP437", "CP1252"};
    if (charset)
        *charset = NULL;
    if (pledgex__arc_utf8_valid(raw, strlen(raw)))
        return strdup(raw);
    char *best = NULL;
    long best_score = 0;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char *s = decode(raw, candidates[i]);
        if (!s)
            continue;
        long sc = score_utf8(s);
        if (!best || sc > best_score) {
            free(best);
            best = s;
            best_score = sc;
            if (charset)
                *charset = candidates[i];
        } else {
            free(s);
        }
    }
    return best ? best : replace_invalid(raw);
}

int pledgex__arc_name_sanitise(char *name, int backslash)
{
    int climbs = 0;
    if (backslash)
        for (char *p = name; *p; p++)
            if (*p == '\\')
                *p = '/';
    char *s = name;
    if (((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') && s[1] == ':') {
        s += 2; /* drive letter */
        climbs = 1;
    }
    if (*s == '/')
        climbs = 1;
    /* Rebuild component by component into name (never longer). */
    size_t out = 0;
    size_t depth = 0;
    char *save = NULL;
    char *work = strdup(s);
    if (!work)
        return 0;
    for (char *c = strtok_r(work, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, "."))
            continue;
        if (!strcmp(c, "..")) {
            if (depth == 0)
                climbs = 1;
            if (depth > 0) { /* drop the last component written */
                while (out > 0 && name[out - 1] != '/')
                    out--;
                if (out > 0)
                    out--;
                depth--;
            }
            continue;
        }
        if (out > 0)
            name[out++] = '/';
        size_t n = strlen(c);
        memmove(name + out, c, n);
        out += n;
        depth++;
    }
    name[out] = 0;
    free(work);
    return climbs;
}

/* The name a bare compressed file's content gets: its own name without the
 * compression suffix ("notes.txt.gz" -> "notes.txt"). */
char *pledgex__arc_raw_name(const char *name)
{
    static const char *const suffixes[] = {".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma",
                                           ".lz4", ".Z", ".z"};
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    size_t n = strlen(base);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && !strcmp(base + n - k, suffixes[i]))
            return strndup(base, n - k);
    }
    return strdup("data");
}

char *pledgex__arc_member_name(const char *raw, int zip, char **climbed, const char **charset)
{
    if (climbed)
        *climbed = NULL;
    char *name = pledgex__arc_name_utf8(raw ? raw : "", charset);
    if (!name)
        return NULL;
    char *before = climbed ? strdup(name) : NULL;
    if (pledgex__arc_name_sanitise(name, zip) && climbed) {
        *climbed = before;
        before = NULL;
    }
    free(before);
    if (!*name) {
        free(name);
        name = strdup("unnamed");
    }
    return name;
}
