/*
 * json.h -- (internal) a growable string with JSON escaping, for the export
 * format and --json output.
 */
#ifndef PLEDGEX_JSON_H
#define PLEDGEX_JSON_H

#include <stddef.h>

typedef struct pledgex_strbuf {
    char *s;
    size_t len, cap;
    int oom;
} pledgex_strbuf;

void pledgex__sb_add(pledgex_strbuf *b, const char *s, size_t n);
void pledgex__sb_puts(pledgex_strbuf *b, const char *s);
void pledgex__sb_printf(pledgex_strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A JSON string literal (with quotes), or null when s is NULL. */
void pledgex__sb_json_str(pledgex_strbuf *b, const char *s);
/* Returns the string (caller frees) or NULL after an allocation failure. */
char *pledgex__sb_finish(pledgex_strbuf *b);

#endif
