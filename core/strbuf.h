/*
 * strbuf.h -- (internal) a growable NUL-terminated string.  An allocation
 * failure is remembered (oom) instead of reported at every append, so
 * callers build a whole string and check once; plugins compile strbuf.c in
 * (modules link with -no-undefined and cannot reach libpledgex's internals).
 */
#ifndef PLEDGEX_STRBUF_H
#define PLEDGEX_STRBUF_H

#include <stddef.h>

typedef struct pledgex_strbuf {
    char *s;     /* NUL-terminated once anything was added; owned */
    size_t len, cap;
    int oom;     /* an append failed: the content is incomplete */
} pledgex_strbuf;

void pledgex__sb_add(pledgex_strbuf *b, const char *s, size_t n);
void pledgex__sb_puts(pledgex_strbuf *b, const char *s);
void pledgex__sb_printf(pledgex_strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empties the string, keeping its memory. */
void pledgex__sb_clear(pledgex_strbuf *b);
/* Returns the string (caller frees) or NULL after an allocation failure. */
char *pledgex__sb_finish(pledgex_strbuf *b);

#endif
