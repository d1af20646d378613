/*
 * encoding.h -- (internal, shared by the text, article and photo
 * plugins) recognising the encoding of Vietnamese text and converting it to
 * UTF-8.
 *
 * Recognised: UTF-8 (with or without BOM), UTF-16LE/BE (with a BOM, or
 * without one when the NUL bytes say so), and the legacy Vietnamese
 * encodings CP1258 (Windows), VISCII, TCVN3 ("ABC", glibc's TCVN) and VNI
 * (VNI-Windows, converted with a table: iconv does not know it).  A legacy
 * encoding is chosen by decoding with each candidate and scoring how
 * Vietnamese the result looks.
 */
#ifndef PLEDGEX_TEXT_ENCODING_H
#define PLEDGEX_TEXT_ENCODING_H

#include <stddef.h>

/* Result of pledgex__decode_text. */
typedef struct pledgex_decoded {
    char *text;           /* UTF-8, NUL-terminated, caller frees          */
    size_t len;           /* bytes in text                                */
    const char *encoding; /* static name: "UTF-8", "UTF-16LE", "CP1258"... */
    size_t nbad;          /* bytes replaced with U+FFFD                   */
    size_t nnul;          /* NUL bytes dropped (UTF-8 only)               */
} pledgex_decoded;

/* Decodes raw[0..len).  Returns 0 and fills *out, or -1 when out of memory
 * (out->text is then NULL).  Never fails on content: bytes that decode in no
 * encoding become U+FFFD and are counted in nbad. */
int pledgex__decode_text(const unsigned char *raw, size_t len, pledgex_decoded *out);

/* Decodes bytes known to be in `encoding` (an iconv name or "VNI"); returns a
 * new UTF-8 string or NULL when the name is unknown or the bytes do not
 * convert. */
char *pledgex__decode_as(const unsigned char *raw, size_t len, const char *encoding);

/* 1 when s[0..len) is valid UTF-8. */
int pledgex__is_utf8(const unsigned char *s, size_t len);

/* Reads a whole file of at most max bytes; returns 0, -1 with errno set,
 * or -2 when the file is larger than max.  *data (NUL-terminated) is the
 * caller's. */
int pledgex__read_file(const char *path, size_t max, unsigned char **data, size_t *len);

#endif
