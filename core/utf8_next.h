/*
 * utf8_next.h -- (internal) utf8proc_iterate() with the common cases of
 * Vietnamese text inline.
 *
 * Each pass over a text (the UTF-8 check, the NFC checks, the shadow of
 * extraction) called utf8proc_iterate() for every non-ASCII character, a
 * call across libraries for two or three bytes.  Here a well-formed two-
 * or three-byte sequence, which every UTF-8 decoder reads the same way, is
 * decoded in place; anything else (four bytes, a bad or cut sequence, an
 * overlong form, a surrogate) goes to utf8proc_iterate() itself, so the
 * result is always utf8proc's.
 */
#ifndef PLEDGEX_UTF8_NEXT_H
#define PLEDGEX_UTF8_NEXT_H

#include <utf8proc.h>

/* As utf8proc_iterate(s, n, cp) for n >= 1. */
static inline utf8proc_ssize_t pledgex__utf8_next(const utf8proc_uint8_t *s, utf8proc_ssize_t n,
                                                  utf8proc_int32_t *cp)
{
    utf8proc_uint8_t c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((utf8proc_int32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        utf8proc_int32_t v = ((utf8proc_int32_t)(c & 0x0F) << 12) |
                             ((utf8proc_int32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
            *cp = v;
            return 3;
        }
    }
    return utf8proc_iterate(s, n, cp);
}

#endif
