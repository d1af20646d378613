/*
 * article.c -- the "article" plugin: news articles in HTML (libxml2's HTML
 * parser), Markdown and plain text.
 *
 Plain text belongs to the "text" plugin, which hands a text that reads
 * like an article (a title and a dated byline, or photo file names followed
 * by their captions: pledgex__text_is_article) to this plugin by name
 * (host->delegate).  Given plain text that is no article, this plugin stores
 * it exactly as the text plugin would.
 *
 * An article gives: attrs title, byline, published (ISO 8601), kind=article,
 * encoding; blocks "title", "body" (paragraphs in order) and "caption"; and
 * for each photo an attr photo.ref = "FILE\tcaption", by which the index
 * links the article and the photo documents both ways.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h"
#include "textfile.h"

static const pledgex_claim article_claims[] = {
    {"text/html", 60},
    {"application/xhtml+xml", 60},
    {"text/markdown", 60},
    {"text/x-markdown", 60},
    {NULL, 0},
};

/* Collapses runs of white space to one space and trims; new string. */
static char *squeeze(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t w = 0;
    int space = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* U+00A0 no-break space is a space here */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            i++;
            c = ' ';
        }
        if (isspace(c)) {
            if (!space)
                o[w++] = ' ';
            space = 1;
        } else {
            o[w++] = (char)c;
            space = 0;
        }
    }
    while (w > 0 && o[w - 1] == ' ')
        w--;
    o[w] = 0;
    return o;
}

int pledgex__article_block(article_out *o, const char *kind, const char *text)
{
    char *t = text ? squeeze(text) : NULL;
    if (!t)
        return text ? PLEDGEX_FATAL : PLEDGEX_OK;
    int rc = PLEDGEX_OK;
    if (*t) {
        pledgex_block b = {kind, 0, t, -1.0, 0};
        rc = o->host->emit_block(o->ctx, &b);
        o->nblocks++;
    }
    free(t);
    return rc;
}

void pledgex__article_title(article_out *o, const char *text)
{
    char *t = text ? squeeze(text) : NULL;
    if (t && *t && !o->have_title) {
        o->host->set_attr(o->ctx, "title", t);
        o->have_title = 1;
    }
    free(t);
}

void pledgex__article_byline(article_out *o, const char *text)
{
    char *t = text ? squeeze(text) : NULL;
    if (t) {
        /* "Khánh Ly -", "Bài, ảnh: X |" : separators left by the layout */
        size_t n = strlen(t);
        while (n > 0 && strchr(" -|,:;(/", t[n - 1]))
            t[--n] = 0;
        char *s = t;
        while (*s && strchr(" -|,:;)/", *s))
            s++;
        if (*s && !o->have_byline && strlen(s) <= 120) {
            o->host->set_attr(o->ctx, "byline", s);
            o->have_byline = 1;
        }
    }
    free(t);
}

void pledgex__article_published(article_out *o, const char *text)
{
    if (!text || o->have_published)
        return;
    char *iso = pledgex__text_find_date(text, NULL, NULL);
    if (iso) {
        o->host->set_attr(o->ctx, "published", iso);
        o->have_published = 1;
    }
    free(iso);
}

int pledgex__article_photo(article_out *o, const char *file, const char *caption)
{
    if (!file)
        return PLEDGEX_OK;
    /* the last component of a path or URL, without query or fragment */
    size_t n = strcspn(file, "?#");
    const char *base = file;
    for (size_t i = 0; i < n; i++)
        if (file[i] == '/' || file[i] == '\\')
            base = file + i + 1;
    size_t bn = (size_t)(file + n - base);
    /* %XX escapes of URLs */
    char *name = malloc(bn + 1);
    if (!name)
        return PLEDGEX_FATAL;
    size_t w = 0;
    for (size_t i = 0; i < bn; i++) {
        if (base[i] == '%' && i + 2 < bn && isxdigit((unsigned char)base[i + 1]) &&
            isxdigit((unsigned char)base[i + 2])) {
            char hex[3] = {base[i + 1], base[i + 2], 0};
            name[w++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            name[w++] = base[i];
        }
    }
    name[w] = 0;
    char *cap = caption ? squeeze(caption) : NULL;
    int rc = PLEDGEX_OK;
    if (*name) {
        size_t vn = strlen(name) + (cap ? strlen(cap) : 0) + 2;
        char *v = malloc(vn);
        if (!v) {
            rc = PLEDGEX_FATAL;
        } else {
            snprintf(v, vn, "%s\t%s", name, cap ? cap : "");
            o->host->set_attr(o->ctx, "photo.ref", v);
            free(v);
            o->nphotos++;
        }
    }
    if (rc == PLEDGEX_OK && cap && *cap)
        rc = pledgex__article_block(o, "caption", cap);
    free(cap);
    free(name);
    return rc;
}

static int is_html(const char *mime)
{
    return !strcmp(mime, "text/html") || !strcmp(mime, "application/xhtml+xml");
}

static int is_markdown(const pledgex_input *in)
{
    if (!strcmp(in->mime, "text/markdown") || !strcmp(in->mime, "text/x-markdown"))
        return 1;
    const char *dot = strrchr(in->name, '.');
    return dot && (!strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown"));
}

static int article_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                           const pledgex_input *in, char *err, size_t errlen)
{
    (void)state;
    pledgex_decoded d;
    int rc = pledgex__text_load(host, ctx, in, &d, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;
    article_out o = {host, ctx, 0, 0, 0, 0, 0};
    int html = is_html(in->mime);
    if (html) {
        rc = pledgex__article_read_html(&o, d.text, d.len, err, errlen);
    } else if (is_markdown(in)) {
        rc = pledgex__article_read_markdown(&o, d.text);
    } else if (pledgex__text_is_article(d.text)) {
        rc = pledgex__article_read_text(&o, d.text);
    } else {
        /* Not an article: plain text, as the text plugin stores it. */
        rc = pledgex__text_emit_plain(host, ctx, &d, err, errlen);
        free(d.text);
        return rc;
    }
    if (rc == PLEDGEX_OK) {
        host->set_attr(ctx, "kind", "article");
        rc = pledgex__text_report(host, ctx, &d, err, errlen);
    } else if (!err[0]) {
        snprintf(err, errlen, "cannot store the article");
    }
    free(d.text);
    return rc == PLEDGEX_FATAL ? PLEDGEX_FAILED : rc;
}

static const pledgex_plugin article_plugin = {
    PLEDGEX_PLUGIN_ABI_MAJOR,
    PLEDGEX_PLUGIN_ABI_MINOR,
    "article",
    "1.0",
    "news articles (HTML, Markdown, plain text): title, byline, date, paragraphs, photo captions",
    article_claims,
    NULL,
    NULL,
    article_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &article_plugin;
}
