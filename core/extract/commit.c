/*
 * commit.c -- the contents of a pledge: numbered or bulleted items ("1.",
 * "a)", "-", "I.") joined across wrapped lines, the headings above them,
 * the movements named in quotes, and the stated count ("với 8 nội dung").
 *
 * A marker line opens an item; the lines after it continue it while the
 * line before does not end a sentence and no new marker, blank line or
 * CAPITALS line (a signature block) comes.  A number that breaks the
 * running sequence after an unfinished line is a wrapped line ("kế hoạch /
 * 5 năm"), not a new item.  Marker kinds nest in order of first use; an
 * entry with entries below it is a section, the leaves are the items.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xctx.h"

enum { MK_NONE, MK_ROMAN, MK_ARABIC, MK_DECIMAL, MK_LETTER, MK_DASH, MK_PLUS, MK_DOT };

typedef struct entry {
    int kind, num, depth;
    size_t oa, ob;   /* original text span of the content, first line */
    char *text;
} entry;

static int roman_value(const char *s, size_t n)
{
    static const char *r[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
                              "xi", "xii", "xiii", "xiv", "xv"};
    for (int k = 0; k < 15; k++)
        if (strlen(r[k]) == n && !memcmp(s, r[k], n))
            return k + 1;
    return 0;
}

/* Marker at the start of shadow line [a, b): kind, number, and where the
 * content starts in the shadow. */
static int marker(const px_text *t, size_t a, size_t b, int *num, int *parent, size_t *content)
{
    size_t i = a;
    while (i < b && t->fold[i] == ' ')
        i++;
    if (i >= b)
        return MK_NONE;
    const char *s = t->fold + i;
    size_t n = b - i;
    size_t k = 0;
    char c = s[0];
    if (c == '-' || c == '+' || c == '*' || (unsigned char)c == 0xe2) {
        /* "•" is U+2022 (E2 80 A2) and stays as is in the shadow. */
        size_t w = (unsigned char)c == 0xe2 ? 3 : 1;
        if ((unsigned char)c == 0xe2 && (n < 3 || (unsigned char)s[1] != 0x80 ||
                                         (unsigned char)s[2] != 0xa2))
            return MK_NONE;
        if (n > w && s[w] == ' ') {
            *num = 0;
            *content = i + w;
            return c == '-' ? MK_DASH : c == '+' ? MK_PLUS : MK_DOT;
        }
        return MK_NONE;
    }
    while (k < n && k < 2 && s[k] >= '0' && s[k] <= '9')
        k++;
    /* "1.2." / "1.2" / "1.2)": a sub-item of item 1 */
    if (k && k + 1 < n && s[k] == '.' && s[k + 1] >= '0' && s[k + 1] <= '9') {
        size_t j = k + 1;
        while (j < n && j < k + 3 && s[j] >= '0' && s[j] <= '9')
            j++;
        size_t e = j;
        if (e < n && (s[e] == '.' || s[e] == ')'))
            e++;
        if (e < n && s[e] == ' ' && !(s[j] >= '0' && s[j] <= '9')) {
            *parent = atoi(s);
            *num = atoi(s + k + 1);
            *content = i + e;
            return *num > 0 && *parent > 0 ? MK_DECIMAL : MK_NONE;
        }
        return MK_NONE;
    }
    if (k && k < n && (s[k] == '.' || s[k] == ')' || s[k] == '/') &&
        (k + 1 == n || s[k + 1] == ' ')) {
        *num = atoi(s);
        *content = i + k + 1;
        return *num > 0 ? MK_ARABIC : MK_NONE;
    }
    k = 0;
    while (k < n && k < 5 && strchr("ivx", s[k]) && (t->up[i + k]))
        k++;
    if (k && k < n && (s[k] == '.' || s[k] == ')') && (k + 1 == n || s[k + 1] == ' ')) {
        int v = roman_value(s, k);
        if (v) {
            *num = v;
            *content = i + k + 1;
            return MK_ROMAN;
        }
    }
    /* "a)" and "a." (lower case: "A." is an initial) */
    if (n >= 2 && c >= 'a' && c <= 'z' && !t->up[i] && (s[1] == ')' || s[1] == '.') &&
        (n == 2 || s[2] == ' ')) {
        *num = c - 'a' + 1;
        *content = i + 2;
        return MK_LETTER;
    }
    return MK_NONE;
}

/* The last non-space character of shadow line [a, b). */
static char last_char(const px_text *t, size_t a, size_t b)
{
    while (b > a && t->fold[b - 1] == ' ')
        b--;
    return b > a ? t->fold[b - 1] : 0;
}

static int blank_line(const px_text *t, const px_line *l)
{
    return l->w0 == l->w1 && last_char(t, l->fa, l->fb) == 0;
}

static int push(entry **v, size_t *n, size_t *cap, entry e)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        entry *p = realloc(*v, ncap * sizeof *p);
        if (!p)
            return -1;
        *v = p;
        *cap = ncap;
    }
    (*v)[(*n)++] = e;
    return 0;
}

static int items(px_ctx *cx, const px_text *t)
{
    entry *v = NULL;
    size_t nv = 0, cap = 0;
    int order[8] = {0};
    int norder = 0;
    int lastnum[8] = {0};
    long open = -1;     /* entry being continued */
    size_t cont_end = 0; /* shadow end of its text so far */
    int rc = 0;
    for (size_t li = 0; li < t->nlines && !rc; li++) {
        const px_line *l = &t->lines[li];
        int num = 0, parent = 0;
        size_t content = 0;
        int kind = marker(t, l->fa, l->fb, &num, &parent, &content);
        /* OCR puts blank lines inside paragraphs: what counts is how the
         * last line with text ended. */
        char prev_end = 0;
        for (size_t p = li; open >= 0 && p-- > 0;)
            if ((prev_end = last_char(t, t->lines[p].fa, t->lines[p].fb)))
                break;
        int finished = prev_end == '.' || prev_end == ';' || prev_end == ':' ||
                       prev_end == '!' || prev_end == '?';
        if (kind == MK_ARABIC && open >= 0 && !finished) {
            /* Does the number follow the running sequence of its kind? */
            int d = -1;
            for (int k = 0; k < norder; k++)
                if (order[k] == kind)
                    d = k;
            if (d >= 0 && num != lastnum[d] + 1 && num != 1)
                kind = MK_NONE;
        }
        if (kind == MK_DECIMAL) {
            /* "2.1" belongs under item 2 and runs 1, 2, 3...; anything
             * else ("1.5 tỷ" at the start of a wrapped line) is prose. */
            int da = -1, dd = -1;
            for (int k = 0; k < norder; k++) {
                if (order[k] == MK_ARABIC)
                    da = k;
                if (order[k] == MK_DECIMAL)
                    dd = k;
            }
            if ((da >= 0 && parent != lastnum[da]) ||
                (num != 1 && (dd < 0 || num != lastnum[dd] + 1)))
                kind = MK_NONE;
        }
        if (kind != MK_NONE) {
            int d = -1;
            for (int k = 0; k < norder; k++)
                if (order[k] == kind)
                    d = k;
            if (d < 0) {
                if (norder == 8)
                    continue;
                d = norder;
                order[norder++] = kind;
            }
            lastnum[d] = num;
            for (int k = d + 1; k < 8; k++)
                lastnum[k] = 0;
            if (push(&v, &nv, &cap, (entry){kind, num, d, content, l->fb, NULL}))
                rc = -1;
            open = (long)nv - 1;
            cont_end = l->fb;
            continue;
        }
        if (open < 0)
            continue;
        if (blank_line(t, l))
            continue;
        if (l->upper || finished) {
            open = -1;
            continue;
        }
        cont_end = l->fb;
        v[open].ob = cont_end;
    }
    /* An entry is only part of a list when another shares its kind: a
     * lone "g)" is OCR noise or prose. */
    size_t kept = 0;
    for (size_t k = 0; k < nv; k++) {
        int peers = 0;
        for (size_t j = 0; j < nv; j++)
            peers += j != k && v[j].kind == v[k].kind;
        if (peers)
            v[kept++] = v[k];
    }
    nv = kept;
    for (size_t k = 0; k < nv && !rc; k++) {
        v[k].text = pledgex__x_fspan(t, v[k].oa, v[k].ob);
        if (!v[k].text)
            rc = -1;
    }
    for (size_t k = 0; k < nv && !rc; k++) {
        if (!*v[k].text)
            continue;
        int section = k + 1 < nv && v[k + 1].depth > v[k].depth;
        if (pledgex__doc_add_entity(cx->doc, "commitment", v[k].text, NULL,
                                    section ? "section" : "item"))
            rc = -1;
        else if (!section)
            cx->items_found++;
    }
    for (size_t k = 0; k < nv; k++)
        free(v[k].text);
    free(v);
    return rc;
}

/* Quotes: “...”, "...", &ldquo;...&rdquo;.  A movement's name starts with a
 * capital and is a few words long; award titles ("danh hiệu “...”") are not
 * movements. */
static int movements(px_ctx *cx, const px_text *t)
{
    size_t i = 0, wq = 0;
    while (i < t->flen) {
        if (t->fold[i] != '"') {
            i++;
            continue;
        }
        /* The original says which way a curly quote faces. */
        const unsigned char *o = (const unsigned char *)t->orig + t->map[i];
        if (o[0] == 0xE2 && o[1] == 0x80 && o[2] == 0x9D) { /* stray closing ” */
            i++;
            continue;
        }
        /* The closing quote within reach closes it, even across a blank
         * line (OCR leaves them inside paragraphs); else the quote is open. */
        size_t j = i + 1;
        while (j < t->flen && j - i <= 400 && t->fold[j] != '"')
            j++;
        int closed = j < t->flen && t->fold[j] == '"';
        if (closed) {
            /* an opening “ cannot close: the first quote was left open */
            const unsigned char *c = (const unsigned char *)t->orig + t->map[j];
            if (c[0] == 0xE2 && c[1] == 0x80 && c[2] == 0x9C)
                closed = 0;
        }
        if (!closed) {
            j = i + 1;
            while (j < t->flen && !(t->fold[j] == '\n' && j + 1 < t->flen && t->fold[j + 1] == '\n'))
                j++;
        }
        size_t end = j;
        if (!closed) {
            /* Unclosed: up to the end of the sentence. */
            end = i + 1;
            while (end < j && !(t->fold[end] == '.' &&
                                (end + 1 >= t->flen || t->fold[end + 1] == ' ' ||
                                 t->fold[end + 1] == '\n')))
                end++;
        }
        size_t a = i + 1;
        while (a < end && (t->fold[a] == ' ' || t->fold[a] == '\n'))
            a++;
        size_t b = end;
        while (b > a && strchr(" \n.,;:", t->fold[b - 1]))
            b--;
        int words = 0;
        for (size_t k = a; k < b; k++)
            words += t->fold[k] == ' ' && k + 1 < b && t->fold[k + 1] != ' ';
        words++;
        int award = 0;
        {
            /* the two words before the quote; quotes come in text order,
             * so the word index only moves forward */
            while (wq < t->nw && t->w[wq].fb <= i)
                wq++;
            size_t w = wq;
            if (w >= 2 && (pledgex__xw_seq(t, w - 2, "danh hieu", 1) ||
                           pledgex__xw_seq(t, w - 2, "giai thuong", 1) ||
                           pledgex__xw_seq(t, w - 2, "huan chuong", 1) ||
                           pledgex__xw_seq(t, w - 2, "bang khen", 1) ||
                           pledgex__xw_seq(t, w - 2, "ky niem", 1)))
                award = 1;
            if (w >= 1 && pledgex__xw_is(t, w - 1, "hieu"))
                award = 1;
        }
        if (!award && b > a && t->up[a] && words >= 2 && b - a <= 300 && (closed || words >= 3)) {
            if (cx->nmovements >= PX_MAX_MOVEMENTS)
                return 0;
            char *txt = pledgex__x_fspan(t, a, b);
            if (!txt)
                return -1;
            int dup = 0;
            for (size_t e = 0; e < cx->nmovements && !dup; e++)
                dup = !strcmp(cx->movements[e], txt);
            if (dup) {
                free(txt);
            } else {
                char **mv = realloc(cx->movements, (cx->nmovements + 1) * sizeof *mv);
                if (!mv) {
                    free(txt);
                    return -1;
                }
                cx->movements = mv;
                cx->movements[cx->nmovements++] = txt;
                if (pledgex__doc_add_entity(cx->doc, "commitment", txt, NULL, "movement"))
                    return -1;
            }
        }
        i = closed ? j + 1 : end + 1;
    }
    return 0;
}

/* "với 8 nội dung", "gồm 10 tiêu chí", "thực hiện 7 nội dung thi đua": the
 * first count of contents the text states; one after "với", "gồm" or "có"
 * wins over one elsewhere. */
static int stated(px_ctx *cx, const px_text *t)
{
    static const char *const what[] = {"noi dung", "tieu chi", "chi tieu", "cam ket",
                                       "nhiem vu"};
    static const char *const numw[] = {"mot", "hai", "ba", "bon", "nam", "sau",
                                       "bay", "tam", "chin", "muoi"};
    if (cx->stated_count && cx->stated_strong)
        return 0;
    for (size_t i = 0; i + 1 < t->nw; i++) {
        /* What is counted first: almost every word fails there, on the
         * next word's first letter, before ten number words are tried. */
        size_t m = 0;
        for (size_t k = 0; k < sizeof what / sizeof what[0] && !m; k++)
            m = pledgex__xw_seq(t, i + 1, what[k], 1);
        if (!m)
            continue;
        int n = 0;
        if (t->w[i].flags & PX_W_NUM) {
            if (t->w[i].fb - t->w[i].fa <= 3)
                n = atoi(t->fold + t->w[i].fa);
        } else
            for (int k = 0; k < 10 && !n; k++)
                if (pledgex__xw_is(t, i, numw[k]))
                    n = k + 1;
        if (n < 2 || n > 200)
            continue;
        /* "100% chỉ tiêu", "2.5 nội dung": the number must stand alone */
        if ((i && t->fold[t->w[i].fa - 1] != ' ' && t->fold[t->w[i].fa - 1] != '\n') ||
            t->fold[t->w[i].fb] != ' ')
            continue;
        int strong = i && (pledgex__xw_is(t, i - 1, "voi") || pledgex__xw_is(t, i - 1, "gom") ||
                           pledgex__xw_is(t, i - 1, "co"));
        /* elsewhere only "N nội dung": "12 chỉ tiêu" are targets, not items */
        if ((cx->stated_count || !pledgex__xw_is(t, i + 1, "noi")) && !strong)
            continue;
        char *txt = pledgex__x_span(t, strong ? i - 1 : i, i + 1 + m);
        if (!txt)
            return -1;
        free(cx->stated_text);
        cx->stated_text = txt;
        cx->stated_count = n;
        cx->stated_strong = strong;
        if (strong)
            return 0;
    }
    return 0;
}

int pledgex__x_commitments(px_ctx *cx, const px_text *t)
{
    if (items(cx, t) || movements(cx, t) || stated(cx, t))
        return -1;
    return 0;
}

int pledgex__x_commitments_emit(px_ctx *cx)
{
    if (!cx->stated_count || cx->stated_count == cx->items_found)
        return 0;
    char v[64];
    snprintf(v, sizeof v, "stated %d found %d", cx->stated_count, cx->items_found);
    return pledgex__doc_add_entity(cx->doc, "commitment", cx->stated_text, v, "count") ? -1 : 0;
}
