/*
 * query.c -- see query.h.
 */
#include <config.h>

#include "query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pledgex-plugin.h"
#include "textnorm.h"

/* Appends word[0..n) as a quoted FTS5 string ("" doubles a quote). */
static void add_word(pledgex_strbuf *b, const char *w, size_t n, int fold, int *accents)
{
    char *f = fold ? pledgex__fold_ascii(w, n) : pledgex__nfc(w, n, NULL);
    if (!f) {
        b->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] >= 0x80)
            *accents = 1;
    pledgex__sb_puts(b, "\"");
    for (const char *p = f; *p; p++) {
        if (*p == '"')
            pledgex__sb_puts(b, "\"\"");
        else
            pledgex__sb_add(b, p, 1);
    }
    pledgex__sb_puts(b, "\"");
    free(f);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int pledgex__query_to_fts(const char *user, int fold, char **out, int *has_accents, char *err,
                          size_t errlen)
{
    pledgex_strbuf b = {0};
    int accents = 0, depth = 0;
    /* What the previous item was: 0 start/operator/open paren, 1 operand. */
    int prev_operand = 0;
    const char *last_op = NULL;
    const char *p = user;
    *out = NULL;
    while (*p) {
        if (is_space(*p)) {
            p++;
            continue;
        }
        if (*p == '(') {
            if (prev_operand)
                pledgex__sb_puts(&b, " AND ");
            pledgex__sb_puts(&b, "(");
            depth++;
            prev_operand = 0;
            last_op = NULL;
            p++;
            continue;
        }
        if (*p == ')') {
            if (depth == 0 || !prev_operand) {
                snprintf(err, errlen, "unbalanced or empty parentheses in the query");
                free(b.s);
                return PLEDGEX_FAILED;
            }
            pledgex__sb_puts(&b, ")");
            depth--;
            p++;
            continue;
        }
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end) {
                snprintf(err, errlen, "unbalanced quote in the query");
                free(b.s);
                return PLEDGEX_FAILED;
            }
            if (prev_operand)
                pledgex__sb_puts(&b, " AND ");
            /* A phrase: its words inside one FTS5 string keep their order. */
            const char *s = p + 1;
            while (s < end && is_space(*s))
                s++;
            if (s == end) {
                p = end + 1;
                continue; /* "" is nothing */
            }
            add_word(&b, s, (size_t)(end - s), fold, &accents);
            prev_operand = 1;
            last_op = NULL;
            p = end + 1;
            if (*p == '*') {
                pledgex__sb_puts(&b, "*");
                p++;
            }
            continue;
        }
        const char *s = p;
        while (*p && !is_space(*p) && *p != '(' && *p != ')' && *p != '"')
            p++;
        size_t n = (size_t)(p - s);
        if ((n == 3 && !strncmp(s, "AND", 3)) || (n == 2 && !strncmp(s, "OR", 2)) ||
            (n == 3 && !strncmp(s, "NOT", 3))) {
            if (!prev_operand) {
                snprintf(err, errlen, "'%.*s' needs a word before it", (int)n, s);
                free(b.s);
                return PLEDGEX_FAILED;
            }
            pledgex__sb_printf(&b, " %.*s ", (int)n, s);
            prev_operand = 0;
            last_op = s;
            continue;
        }
        int negate = 0;
        if (*s == '-' && n > 1) {
            negate = 1;
            s++;
            n--;
        }
        int prefix = 0;
        while (n > 0 && s[n - 1] == '*') {
            prefix = 1;
            n--;
        }
        /* Strip punctuation a search box user does not mean as syntax. */
        while (n > 0 && strchr(".,;:!?'", *s)) {
            s++;
            n--;
        }
        while (n > 0 && strchr(".,;:!?'", s[n - 1]))
            n--;
        if (n == 0)
            continue;
        if (negate) {
            if (!prev_operand) {
                snprintf(err, errlen, "'-%.*s' needs a word before it", (int)n, s);
                free(b.s);
                return PLEDGEX_FAILED;
            }
            pledgex__sb_puts(&b, " NOT ");
        } else if (prev_operand) {
            pledgex__sb_puts(&b, " AND ");
        }
        add_word(&b, s, n, fold, &accents);
        if (prefix)
            pledgex__sb_puts(&b, "*");
        prev_operand = 1;
        last_op = NULL;
    }
    if (depth != 0) {
        snprintf(err, errlen, "unbalanced parentheses in the query");
        free(b.s);
        return PLEDGEX_FAILED;
    }
    if (last_op) {
        snprintf(err, errlen, "the query ends with an operator");
        free(b.s);
        return PLEDGEX_FAILED;
    }
    char *s = pledgex__sb_finish(&b);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    if (!*s) {
        free(s);
        snprintf(err, errlen, "the query has no words");
        return PLEDGEX_FAILED;
    }
    if (has_accents)
        *has_accents = accents;
    *out = s;
    return PLEDGEX_OK;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* Writes y-m-d into out[11]; the fields were range-checked by the caller. */
static void ymd(char out[11], int y, int m, int d)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    memcpy(out, tmp, 11);
    out[10] = 0;
}

int pledgex__date_bounds(const char *v, char start[11], char end[11])
{
    if (!v)
        return -1;
    size_t n = strlen(v);
    if (n >= 9 && v[4] == '/' && digits(v, 4) && digits(v + 5, 4)) {
        char a[11], b[11], c[11], d[11];
        char y1[5], y2[5];
        memcpy(y1, v, 4);
        y1[4] = 0;
        memcpy(y2, v + 5, 4);
        y2[4] = 0;
        if (pledgex__date_bounds(y1, a, b) || pledgex__date_bounds(y2, c, d))
            return -1;
        memcpy(start, a, 11);
        memcpy(end, d, 11);
        return 0;
    }
    if (n < 4 || !digits(v, 4))
        return -1;
    int y = atoi(v);
    if (y > 9999)
        return -1;
    if (n == 4) {
        ymd(start, y, 1, 1);
        ymd(end, y, 12, 31);
        return 0;
    }
    if (v[4] != '-')
        return -1;
    if (n >= 7 && v[5] == 'Q' && v[6] >= '1' && v[6] <= '4') {
        int q = v[6] - '0';
        ymd(start, y, q * 3 - 2, 1);
        ymd(end, y, q * 3, days_in(y, q * 3));
        return 0;
    }
    if (n >= 7 && digits(v + 5, 2)) {
        int m = atoi(v + 5);
        if (m < 1 || m > 12)
            return -1;
        if (n >= 10 && v[7] == '-' && digits(v + 8, 2)) {
            int d = atoi(v + 8);
            if (d < 1 || d > days_in(y, m))
                return -1;
            ymd(start, y, m, d);
            memcpy(end, start, 11);
            return 0;
        }
        ymd(start, y, m, 1);
        ymd(end, y, m, days_in(y, m));
        return 0;
    }
    return -1;
}
