/*
 * strbuf.c -- see strbuf.h.
 */
#include <config.h>

#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pledgex__sb_add(pledgex_strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = (b->len + n + 1) * 2;
        char *p = realloc(b->s, ncap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = ncap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void pledgex__sb_puts(pledgex_strbuf *b, const char *s)
{
    pledgex__sb_add(b, s, strlen(s));
}

void pledgex__sb_printf(pledgex_strbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        pledgex__sb_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pledgex__sb_add(b, big, (size_t)n);
    free(big);
}

void pledgex__sb_clear(pledgex_strbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = 0;
}

char *pledgex__sb_finish(pledgex_strbuf *b)
{
    if (b->oom) {
        free(b->s);
        b->s = NULL;
        return NULL;
    }
    if (!b->s)
        return strdup("");
    return b->s;
}
