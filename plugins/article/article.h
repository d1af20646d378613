/*
 * article.h -- (internal) pieces of the "article" plugin: news articles in
 * plain text, Markdown and HTML -> title, byline, publish date, body
 * paragraphs in order, and the photos they caption.
 */
#ifndef PLEDGEX_ARTICLE_H
#define PLEDGEX_ARTICLE_H

#include <stddef.h>

#include "pledgex-plugin.h"

/* What the readers report through (article.c). */
typedef struct article_out {
    const pledgex_host *host;
    pledgex_ctx *ctx;
    int have_title, have_byline, have_published;
    size_t nblocks, nphotos;
} article_out;

/* A block of text (whitespace collapsed, empty text ignored). */
int pledgex__article_block(article_out *o, const char *kind, const char *text);
/* Title / byline / published (first one wins; published as found in the
 * text, converted to ISO 8601 when it parses). */
void pledgex__article_title(article_out *o, const char *text);
void pledgex__article_byline(article_out *o, const char *text);
void pledgex__article_published(article_out *o, const char *text);
/* A photo and its caption: attr photo.ref "FILE\tcaption" and a caption
 * block.  `file` may be a path or URL: its last component is used. */
int pledgex__article_photo(article_out *o, const char *file, const char *caption);

/* ---- article_text.c ----------------------------------------------------- */
int pledgex__article_read_text(article_out *o, const char *text);
int pledgex__article_read_markdown(article_out *o, const char *text);

/* ---- article_html.c ----------------------------------------------------- */
int pledgex__article_read_html(article_out *o, const char *utf8, size_t len, char *err,
                               size_t errlen);

#endif
