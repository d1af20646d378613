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

/*
 * The grammar, as a search box user expects it:
 *   group   := item (["AND"] item | "OR" item)*
 *   item    := word | "phrase" | (group) | NOT item | -item
 * Words side by side are ANDed; AND binds tighter than OR; an excluded item
 * (NOT x, -x) excludes it from its whole group, so `thi OR đua -dưa` is
 * (thi OR đua) NOT dưa, not FTS5's thi OR (đua NOT dưa).  A group must
 * have something to include.  Every word goes to FTS5 as a quoted string,
 * so no user input is FTS5 syntax by accident.
 */

typedef struct parser {
    const char *p;
    int fold, accents, depth;
    int negating;           /* inside NOT x / -x                      */
    pledgex_strbuf words;   /* words to highlight: not the excluded ones */
    char *err;
    size_t errlen;
    int failed; /* PLEDGEX_OK or the error code */
} parser;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int fail(parser *ps, int code, const char *fmt, const char *arg, int n)
{
    if (!ps->failed) {
        snprintf(ps->err, ps->errlen, fmt, n, arg);
        ps->failed = code;
    }
    return code;
}

/* 1 when w[0..n) has a letter or digit (any non-ASCII byte counts). */
static int has_alnum(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] >= 0x80 || isalnum((unsigned char)w[i]))
            return 1;
    return 0;
}

/* Appends word[0..n) as a quoted FTS5 string ("" doubles a quote). */
static void add_word(parser *ps, pledgex_strbuf *b, const char *w, size_t n)
{
    char *f = ps->fold ? pledgex__fold_ascii(w, n) : pledgex__nfc(w, n, NULL);
    if (!f) {
        b->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] >= 0x80)
            ps->accents = 1;
    if (!ps->negating)
        pledgex__sb_printf(&ps->words, "%s%s", ps->words.len ? " " : "", f);
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

static void skip_space(parser *ps)
{
    while (is_space(*ps->p))
        ps->p++;
}

/* Length of the bare word at p (up to a space, parenthesis or quote). */
static size_t word_len(const char *p)
{
    size_t n = 0;
    while (p[n] && !is_space(p[n]) && p[n] != '(' && p[n] != ')' && p[n] != '"')
        n++;
    return n;
}

static int is_op(const char *p, size_t n, const char *op)
{
    return n == strlen(op) && !strncmp(p, op, n);
}

static char *parse_group(parser *ps);

/* One item into *out (a malloc'd FTS5 expression), *out NULL when the item
 * was only punctuation.  *negated set for NOT x and -x. */
static int parse_item(parser *ps, char **out, int *negated)
{
    *out = NULL;
    *negated = 0;
    skip_space(ps);
    size_t n = word_len(ps->p);
    if (is_op(ps->p, n, "NOT")) {
        ps->p += n;
        skip_space(ps);
        if (!*ps->p || *ps->p == ')' || is_op(ps->p, word_len(ps->p), "AND") ||
            is_op(ps->p, word_len(ps->p), "OR") || is_op(ps->p, word_len(ps->p), "NOT"))
            return fail(ps, PLEDGEX_FAILED, "%.*s'NOT' needs a word after it", "", 0);
        int dummy;
        ps->negating++;
        int rc = parse_item(ps, out, &dummy);
        ps->negating--;
        *negated = 1;
        return rc;
    }
    if (*ps->p == '-' && ps->p[1] && !is_space(ps->p[1]) && ps->p[1] != ')') {
        ps->p++;
        int dummy;
        ps->negating++;
        int rc = parse_item(ps, out, &dummy);
        ps->negating--;
        *negated = !dummy; /* --x is x */
        return rc;
    }
    pledgex_strbuf b = {0};
    if (*ps->p == '(') {
        ps->p++;
        ps->depth++;
        char *inner = parse_group(ps);
        if (!inner)
            return ps->failed ? ps->failed
                              : fail(ps, PLEDGEX_FAILED, "%.*sempty parentheses", "", 0);
        if (*ps->p != ')') {
            free(inner);
            return fail(ps, PLEDGEX_FAILED, "%.*sunbalanced parentheses: a '(' is not closed",
                        "", 0);
        }
        ps->p++;
        ps->depth--;
        pledgex__sb_printf(&b, "(%s)", inner);
        free(inner);
    } else if (*ps->p == '"') {
        const char *end = strchr(ps->p + 1, '"');
        if (!end)
            return fail(ps, PLEDGEX_FAILED, "%.*sunbalanced quote: a '\"' is not closed", "",
                        0);
        const char *s = ps->p + 1;
        ps->p = end + 1;
        int prefix = *ps->p == '*';
        while (*ps->p == '*')
            ps->p++;
        if (!has_alnum(s, (size_t)(end - s)))
            return PLEDGEX_OK; /* "" or "..." is nothing */
        /* A phrase: its words inside one FTS5 string keep their order. */
        add_word(ps, &b, s, (size_t)(end - s));
        if (prefix) {
            pledgex__sb_puts(&b, "*");
            if (!ps->negating)
                pledgex__sb_puts(&ps->words, "*");
        }
    } else {
        const char *s = ps->p;
        ps->p += n;
        int prefix = 0;
        while (n > 0 && s[n - 1] == '*') {
            prefix = 1;
            n--;
        }
        /* Punctuation a search box user does not mean as syntax. */
        while (n > 0 && strchr(".,;:!?'", *s)) {
            s++;
            n--;
        }
        while (n > 0 && strchr(".,;:!?'", s[n - 1]))
            n--;
        if (!has_alnum(s, n))
            return PLEDGEX_OK;
        add_word(ps, &b, s, n);
        if (prefix) {
            pledgex__sb_puts(&b, "*");
            if (!ps->negating)
                pledgex__sb_puts(&ps->words, "*");
        }
    }
    *out = pledgex__sb_finish(&b);
    if (!*out)
        return fail(ps, PLEDGEX_FATAL, "%.*sout of memory", "", 0);
    return PLEDGEX_OK;
}

/* A group up to ')' or the end.  NULL on error (ps->failed) or when the
 * group includes nothing. */
static char *parse_group(parser *ps)
{
    pledgex_strbuf pos = {0}, neg = {0};
    int in_and = 0;      /* items in the current AND run      */
    int alternatives = 0; /* OR branches closed so far         */
    int pending_op = 0;  /* an AND or OR waits for its operand */
    const char *op_at = NULL;
    for (;;) {
        skip_space(ps);
        if (!*ps->p || *ps->p == ')')
            break;
        size_t n = word_len(ps->p);
        if (is_op(ps->p, n, "OR") || is_op(ps->p, n, "AND")) {
            if (pending_op || (!in_and && !(is_op(ps->p, n, "AND") && neg.len))) {
                fail(ps, PLEDGEX_FAILED, "'%.*s' needs a word before it", ps->p, (int)n);
                break;
            }
            if (is_op(ps->p, n, "OR")) {
                if (!in_and) {
                    fail(ps, PLEDGEX_FAILED, "'%.*s' needs a word before it", ps->p, (int)n);
                    break;
                }
                pledgex__sb_puts(&pos, ") OR (");
                alternatives++;
                in_and = 0;
            }
            pending_op = 1;
            op_at = ps->p;
            ps->p += n;
            continue;
        }
        char *item;
        int negated;
        if (parse_item(ps, &item, &negated) != PLEDGEX_OK)
            break;
        if (!item)
            continue;
        if (negated) {
            pledgex__sb_printf(&neg, "%s%s", neg.len ? " OR " : "", item);
        } else {
            pledgex__sb_printf(&pos, "%s%s", in_and ? " AND " : "", item);
            in_and++;
        }
        pending_op = 0;
        free(item);
    }
    if (!ps->failed && pending_op)
        fail(ps, PLEDGEX_FAILED, "the query ends with '%.*s'", op_at, (int)word_len(op_at));
    if (!ps->failed && !in_and && alternatives)
        fail(ps, PLEDGEX_FAILED, "%.*s'OR' needs a word after it", "", 0);
    if (!ps->failed && !in_and && neg.len)
        fail(ps, PLEDGEX_FAILED, "%.*sthe query only excludes words: say what to find too",
             "", 0);
    if (!ps->failed && (pos.oom || neg.oom))
        fail(ps, PLEDGEX_FATAL, "%.*sout of memory", "", 0);
    char *p = pledgex__sb_finish(&pos), *q = pledgex__sb_finish(&neg);
    char *res = NULL;
    if (!ps->failed && p && *p) {
        pledgex_strbuf r = {0};
        if (q && *q)
            pledgex__sb_printf(&r, "(((%s)) NOT (%s))", p, q);
        else
            pledgex__sb_printf(&r, "((%s))", p);
        res = pledgex__sb_finish(&r);
        if (!res)
            fail(ps, PLEDGEX_FATAL, "%.*sout of memory", "", 0);
    }
    free(p);
    free(q);
    return res;
}

int pledgex__query_to_fts(const char *user, int fold, char **out, int *has_accents, char *err,
                          size_t errlen)
{
    return pledgex__query_parse(user, fold, out, has_accents, NULL, err, errlen);
}

int pledgex__query_parse(const char *user, int fold, char **out, int *has_accents, char **words,
                         char *err, size_t errlen)
{
    parser ps = {0};
    ps.p = user ? user : "";
    ps.fold = fold;
    ps.err = err;
    ps.errlen = errlen;
    *out = NULL;
    if (words)
        *words = NULL;
    char *s = parse_group(&ps);
    if (!ps.failed && *ps.p == ')') {
        free(s);
        s = NULL;
        fail(&ps, PLEDGEX_FAILED, "%.*sunbalanced parentheses: a ')' has no '('", "", 0);
    }
    if (!ps.failed && !s)
        fail(&ps, PLEDGEX_FAILED, "%.*sthe query has no words", "", 0);
    char *w = pledgex__sb_finish(&ps.words);
    if (!ps.failed && words && !w)
        fail(&ps, PLEDGEX_FATAL, "%.*sout of memory", "", 0);
    if (ps.failed) {
        free(s);
        free(w);
        return ps.failed;
    }
    if (has_accents)
        *has_accents = ps.accents;
    *out = s;
    if (words)
        *words = w;
    else
        free(w);
    return PLEDGEX_OK;
}

int pledgex__query_phrases(const char *fts, char ***out)
{
    size_t n = 0, cap = 8;
    char **v = calloc(cap + 1, sizeof *v);
    if (!v)
        return -1;
    for (const char *p = fts; *p; p++) {
        if (*p != '"')
            continue;
        const char *start = p++;
        while (*p && !(p[0] == '"' && p[1] != '"')) /* "" is a quote */
            p += p[0] == '"' ? 2 : 1;
        if (!*p)
            break;
        const char *end = p + 1;
        if (*end == '*')
            end++;
        if (n == cap) {
            char **g = realloc(v, (cap * 2 + 1) * sizeof *v);
            if (!g)
                goto oom;
            v = g;
            cap *= 2;
        }
        v[n] = strndup(start, (size_t)(end - start));
        if (!v[n])
            goto oom;
        v[++n] = NULL;
        p = end - 1;
    }
    *out = v;
    return (int)n;
oom:
    pledgex__query_phrases_free(&v);
    return -1;
}

void pledgex__query_phrases_free(char ***phrases)
{
    if (!phrases || !*phrases)
        return;
    for (char **p = *phrases; *p; p++)
        free(*p);
    free(*phrases);
    *phrases = NULL;
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
