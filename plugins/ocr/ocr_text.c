/*
 * ocr_text.c -- tidying tesseract's page text:
 *   - lines with no word in them (no run of two letters or digits, no
 *     digit) are what signatures, seals and specks turn into ("——`—"),
 *     never text: they are dropped, and so are such tokens of two or more
 *     symbols inside a line ("¬.", "-~"), except an ellipsis;
 *   - a line ending in a hyphen glued to a word ("45/KH-") continues on
 *     the next line: Vietnamese does not hyphenate syllables, so this is a
 *     code or compound cut by the line end and is joined back.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ocr.h"

static int is_alnum_cp(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) ||
           k == UTF8PROC_CATEGORY_ND;
}

/* 1 when the line [s, s+len) holds a word: two letters/digits in a row,
 * or any digit. */
static int has_word(const char *s, size_t len)
{
    int run = 0;
    utf8proc_ssize_t i = 0;
    while ((size_t)i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)len - i, &c);
        if (n <= 0) {
            i++;
            run = 0;
            continue;
        }
        if (c >= '0' && c <= '9')
            return 1;
        if (is_alnum_cp(c)) {
            if (++run >= 2)
                return 1;
        } else
            run = 0;
        i += n;
    }
    return 0;
}

/* Number of code points in [s, s+len) and whether one is a letter/digit. */
static size_t scan_token(const char *s, size_t len, int *alnum)
{
    size_t n = 0;
    *alnum = 0;
    utf8proc_ssize_t i = 0;
    while ((size_t)i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)len - i, &c);
        if (k <= 0) {
            i++;
            n++;
            continue;
        }
        if (is_alnum_cp(c))
            *alnum = 1;
        n++;
        i += k;
    }
    return n;
}

/* Copies the line [s, s+len) to out without symbol-only debris tokens;
 * returns the bytes written. */
static size_t copy_line(char *out, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    while (i < len) {
        size_t b = i;
        while (i < len && s[i] == ' ')
            i++;
        size_t t = i;
        while (i < len && s[i] != ' ')
            i++;
        int alnum;
        size_t n = scan_token(s + t, i - t, &alnum);
        int ellipsis = (i - t == 3 && !memcmp(s + t, "...", 3)) ||
                       (i - t == 3 && !memcmp(s + t, "\xE2\x80\xA6", 3));
        if (i > t && !alnum && n >= 2 && !ellipsis)
            continue; /* debris: drop it and the spaces before it */
        memcpy(out + o, s + b, i - b);
        o += i - b;
    }
    /* Leading spaces left by a dropped first token. */
    size_t lead = 0;
    while (lead < o && out[lead] == ' ')
        lead++;
    if (lead) {
        memmove(out, out + lead, o - lead);
        o -= lead;
    }
    return o;
}

char *pledgex__ocr_text_tidy(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = text;
    int blank_pending = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n == 0 || !has_word(p, n)) {
            /* Keep paragraph breaks, not the garbage. */
            if (n == 0 && o > 0)
                blank_pending = 1;
        } else {
            if (o > 0) {
                int joined = o >= 2 && out[o - 1] == '-' && out[o - 2] != ' ' && !blank_pending;
                if (!joined) {
                    out[o++] = '\n';
                    if (blank_pending)
                        out[o++] = '\n';
                }
            }
            blank_pending = 0;
            o += copy_line(out + o, p, n);
        }
        p += n;
        if (*p == '\n')
            p++;
    }
    out[o] = 0;
    return out;
}
