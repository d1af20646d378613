/*
 * article_text.c -- articles in plain text and Markdown.
 *
 * Plain text as copied from a news site: a title line, a byline with the
 * date ("Khánh Ly 19/03/2024 17:01"), paragraphs, and for each photo its
 * file name on a line of its own followed by the caption ("... Ảnh: KL").
 * Markdown: "# Title", optional front matter (title/author/date), images
 * as ![caption](file.jpg), inline markup removed.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "textfile.h"

/* Lines of a text, trimmed, as an array of pointers into a copy. */
typedef struct lines {
    char *buf;
    char **v;
    size_t n;
} lines;

static int split_lines(const char *text, lines *l)
{
    l->buf = strdup(text);
    l->n = 0;
    l->v = NULL;
    if (!l->buf)
        return -1;
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    l->v = malloc(cap * sizeof *l->v);
    if (!l->v) {
        free(l->buf);
        return -1;
    }
    char *s = l->buf;
    while (s) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = 0;
        char *e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = 0;
        while (isspace((unsigned char)*s))
            s++;
        l->v[l->n++] = s;
        s = nl ? nl + 1 : NULL;
    }
    return 0;
}

static void free_lines(lines *l)
{
    free(l->v);
    free(l->buf);
}

/* The next non-empty line from i, or n. */
static size_t next_line(const lines *l, size_t i)
{
    while (i < l->n && !*l->v[i])
        i++;
    return i;
}

/* A byline: short, holds a date. */
static int dated(const char *s)
{
    if (strlen(s) > 160)
        return 0;
    char *d = pledgex__text_find_date(s, NULL, NULL);
    free(d);
    return d != NULL;
}

/* Puts the byline of a dated line: the text around the date. */
static void byline_and_date(article_out *o, const char *line)
{
    size_t at = 0, len = 0;
    char *iso = pledgex__text_find_date(line, &at, &len);
    if (!iso)
        return;
    pledgex__article_published(o, line);
    /* the byline is what remains, minus weekday names and time zones */
    char *rest = malloc(strlen(line) + 1);
    if (rest) {
        memcpy(rest, line, at);
        strcpy(rest + at, line + at + len);
        static const char *const noise[] = {"(GMT+7)", "GMT+7", "Cập nhật", "Thứ hai", "Thứ ba",
                                            "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy",
                                            "Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                            "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật", NULL};
        for (size_t i = 0; noise[i]; i++) {
            char *p;
            while ((p = strstr(rest, noise[i])))
                memmove(p, p + strlen(noise[i]), strlen(p + strlen(noise[i])) + 1);
        }
        /* a clock left before the date ("17:01 19/03/2024") */
        for (char *p = rest; *p; p++)
            if (isdigit((unsigned char)*p) || (*p == ':' && p > rest && isdigit((unsigned char)p[-1])))
                *p = ' ';
        pledgex__article_byline(o, rest);
        free(rest);
    }
    free(iso);
}

int pledgex__article_read_text(article_out *o, const char *text)
{
    lines l;
    if (split_lines(text, &l) != 0)
        return PLEDGEX_FATAL;
    int rc = PLEDGEX_OK;
    size_t i = next_line(&l, 0);
    /* Title, then a dated byline within the next lines. */
    if (i < l.n && strlen(l.v[i]) <= 250 && !pledgex__text_image_line(l.v[i])) {
        size_t b = next_line(&l, i + 1);
        if (b < l.n && dated(l.v[b])) {
            pledgex__article_title(o, l.v[i]);
            rc = pledgex__article_block(o, "title", l.v[i]);
            byline_and_date(o, l.v[b]);
            if (rc == PLEDGEX_OK)
                rc = pledgex__article_block(o, "body", l.v[b]);
            i = b + 1;
        } else {
            pledgex__article_title(o, l.v[i]);
            rc = pledgex__article_block(o, "title", l.v[i]);
            i++;
        }
    }
    /* Paragraphs: runs of non-empty lines; a file-name line takes the next
     * line as its caption when nothing separates them, or when it carries a
     * credit ("Ảnh: ..."). */
    while (rc == PLEDGEX_OK && i < l.n) {
        i = next_line(&l, i);
        if (i >= l.n)
            break;
        if (pledgex__text_image_line(l.v[i])) {
            const char *file = l.v[i];
            size_t c = i + 1;
            const char *caption = NULL;
            if (c < l.n && *l.v[c] && !pledgex__text_image_line(l.v[c])) {
                caption = l.v[c];
            } else {
                size_t c2 = next_line(&l, c);
                if (c2 < l.n && (strstr(l.v[c2], "\xE1\xBA\xA2nh:") ||
                                 strstr(l.v[c2], "\xE1\xBA\xA2nh :")) &&
                    strlen(l.v[c2]) < 600) {
                    caption = l.v[c2];
                    c = c2;
                }
            }
            rc = pledgex__article_photo(o, file, caption);
            i = caption ? c + 1 : i + 1;
            continue;
        }
        /* one paragraph: until a blank line or a file-name line */
        size_t j = i, total = 0;
        while (j < l.n && *l.v[j] && !pledgex__text_image_line(l.v[j]))
            total += strlen(l.v[j++]) + 1;
        char *para = malloc(total + 1);
        if (!para) {
            rc = PLEDGEX_FATAL;
            break;
        }
        size_t w = 0;
        for (size_t k = i; k < j; k++) {
            if (k > i)
                para[w++] = '\n';
            size_t n = strlen(l.v[k]);
            memcpy(para + w, l.v[k], n);
            w += n;
        }
        para[w] = 0;
        rc = pledgex__article_block(o, "body", para);
        free(para);
        i = j;
    }
    free_lines(&l);
    return rc;
}

/* ---- Markdown ----------------------------------------------------------- */

/* Removes inline Markdown from s in place: emphasis, code, links (keeps
 * their text), images (collected separately), HTML tags. */
/* A delimiter within the next few bytes only: links and tags are short,
 * and a hostile line of '[' must not cost quadratic time. */
static char *near(char *s, int c)
{
    size_t n = strnlen(s, 2048);
    return memchr(s, c, n);
}

static void strip_inline(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (*r == '[') {
            char *close = near(r, ']');
            char *paren = close && close[1] == '(' ? near(close, ')') : NULL;
            if (paren) {
                size_t n = (size_t)(close - r - 1);
                memmove(w, r + 1, n);
                w += n;
                r = paren + 1;
                continue;
            }
        }
        if (*r == '<') {
            char *gt = near(r, '>');
            if (gt && (isalpha((unsigned char)r[1]) || r[1] == '/')) {
                r = gt + 1;
                continue;
            }
        }
        if (*r == '*' || *r == '`' || (*r == '_' && (r == s || !isalnum((unsigned char)r[-1]) ||
                                                     !isalnum((unsigned char)r[1])))) {
            r++;
            continue;
        }
        *w++ = *r++;
    }
    *w = 0;
}

/* ![alt](target "title") at the start of s: fills alt/target (in place). */
static int md_image(char *s, char **alt, char **target)
{
    if (s[0] != '!' || s[1] != '[')
        return 0;
    char *close = strchr(s + 2, ']');
    if (!close || close[1] != '(')
        return 0;
    char *end = strchr(close + 2, ')');
    if (!end)
        return 0;
    *close = 0;
    *end = 0;
    *alt = s + 2;
    *target = close + 2;
    char *sp = strchr(*target, ' ');
    if (sp)
        *sp = 0; /* drop the "title" */
    return 1;
}

static void front_matter(article_out *o, const lines *l, size_t *i)
{
    if (*i >= l->n || strcmp(l->v[*i], "---"))
        return;
    size_t j = *i + 1;
    for (; j < l->n && strcmp(l->v[j], "---"); j++) {
        char *colon = strchr(l->v[j], ':');
        if (!colon)
            continue;
        *colon = 0;
        char *v = colon + 1;
        while (*v == ' ' || *v == '"' || *v == '\'')
            v++;
        size_t n = strlen(v);
        while (n > 0 && (v[n - 1] == '"' || v[n - 1] == '\''))
            v[--n] = 0;
        if (!strcmp(l->v[j], "title"))
            pledgex__article_title(o, v);
        else if (!strcmp(l->v[j], "author") || !strcmp(l->v[j], "byline"))
            pledgex__article_byline(o, v);
        else if (!strcmp(l->v[j], "date") || !strcmp(l->v[j], "published"))
            pledgex__article_published(o, v);
    }
    if (j < l->n)
        *i = j + 1;
}

int pledgex__article_read_markdown(article_out *o, const char *text)
{
    lines l;
    if (split_lines(text, &l) != 0)
        return PLEDGEX_FATAL;
    int rc = PLEDGEX_OK;
    size_t i = next_line(&l, 0);
    front_matter(o, &l, &i);
    int fence = 0, title_block = 0;
    while (rc == PLEDGEX_OK && (i = next_line(&l, i)) < l.n) {
        char *s = l.v[i];
        if (!strncmp(s, "```", 3) || !strncmp(s, "~~~", 3)) {
            fence = !fence;
            i++;
            continue;
        }
        char *alt, *target;
        if (!fence && md_image(s, &alt, &target)) {
            /* the caption: the alt text, or an emphasised line below */
            strip_inline(alt);
            const char *caption = alt;
            size_t c = next_line(&l, i + 1);
            if (!*alt && c < l.n && (l.v[c][0] == '*' || l.v[c][0] == '_')) {
                strip_inline(l.v[c]);
                caption = l.v[c];
                i = c;
            }
            rc = pledgex__article_photo(o, target, caption);
            i++;
            continue;
        }
        if (!fence && s[0] == '#') {
            int level = 0;
            while (s[level] == '#')
                level++;
            char *h = s + level;
            strip_inline(h);
            if (!title_block) { /* the first heading, even after front matter */
                pledgex__article_title(o, h);
                rc = pledgex__article_block(o, "title", h);
                title_block = 1;
            } else {
                rc = pledgex__article_block(o, "body", h);
            }
            i++;
            continue;
        }
        /* a paragraph: until a blank line, heading, image or fence */
        size_t j = i, total = 0;
        while (j < l.n && *l.v[j] && l.v[j][0] != '#' && strncmp(l.v[j], "![", 2) &&
               strncmp(l.v[j], "```", 3))
            total += strlen(l.v[j++]) + 1;
        if (j == i)
            j = i + 1, total = strlen(l.v[i]) + 1;
        char *para = malloc(total + 1);
        if (!para) {
            rc = PLEDGEX_FATAL;
            break;
        }
        size_t w = 0;
        for (size_t k = i; k < j; k++) {
            char *line = l.v[k];
            /* list and quote markers */
            if ((line[0] == '-' || line[0] == '*' || line[0] == '+' || line[0] == '>') &&
                line[1] == ' ')
                line += 2;
            if (k > i)
                para[w++] = '\n';
            size_t n = strlen(line);
            memcpy(para + w, line, n);
            w += n;
        }
        para[w] = 0;
        if (!fence)
            strip_inline(para);
        if (!o->have_published && dated(para) && strlen(para) < 120) {
            byline_and_date(o, para);
        }
        rc = pledgex__article_block(o, "body", para);
        free(para);
        i = j;
    }
    free_lines(&l);
    return rc;
}
