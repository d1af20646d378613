/*
 * article_html.c -- articles in HTML, read with libxml2's HTML parser.
 *
 * Paragraphs are the text of block elements in document order (inline
 * elements joined into their block).  Scripts, styles, forms, navigation,
 * page headers/footers, sidebars and elements whose class or id names them
 * (menu, share, related, comment...) are not text.  The title is og:title,
 * else the first <h1>, else <title>; the date comes from
 * article:published_time, itemprop=datePublished, <time datetime> or a
 * dated byline; the byline from meta author or an element classed
 * author/byline.  Photos: <figure> with <img> and <figcaption>, or an <img>
 * followed by a caption block (classed caption/desc, or ending "Ảnh: ...").
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "article.h"
#include "strbuf.h"

typedef struct walker {
    article_out *o;
    pledgex_strbuf text; /* the block being gathered */
    char *pending_img; /* an <img> waiting for its caption */
    char *pending_alt;
    int blocks_since_img;
    int in_article;
    int title_block; /* the first <h1> was stored as "title" */
    int rc;
    /* The story itself: its <h1> and its <article>/<main>/articleBody.
     * A container holding them is never skipped for its class: sites
     * name their main column "sidebar-1" or "main-menu-content". */
    const xmlNode *story[2];
} walker;

static const char *attr(const xmlNode *n, const char *name)
{
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (!strcasecmp((const char *)a->name, name) && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, name);
}

static int class_has(const xmlNode *n, const char *const *words)
{
    const char *v[] = {attr(n, "class"), attr(n, "id"), attr(n, "itemprop"), attr(n, "role")};
    for (size_t k = 0; k < 4; k++) {
        if (!v[k])
            continue;
        for (size_t i = 0; words[i]; i++)
            if (strcasestr(v[k], words[i]))
                return 1;
    }
    return 0;
}

static const char *const skip_classes[] = {"nav", "menu", "footer", "breadcrumb", "share",
                                           "social", "related", "comment", "advert", "sidebar",
                                           "banner", "cookie", "newsletter", "tags", NULL};
static const char *const caption_classes[] = {"caption", "desc", "chu-thich", "chuthich", "image",
                                              "legend", NULL};
static const char *const byline_classes[] = {"author", "byline", NULL};
static const char *const date_classes[] = {"date", "time", "publish", "posted", NULL};

/* n is the story's <h1> or <article>, or holds one of them. */
static int holds_story(const xmlNode *n, const walker *w)
{
    for (size_t k = 0; k < 2; k++)
        for (const xmlNode *x = w->story[k]; x; x = x->parent)
            if (x == n)
                return 1;
    return 0;
}

static int skipped(const xmlNode *n, const walker *w)
{
    static const char *const tags[] = {"script", "style", "noscript", "nav", "form", "iframe",
                                       "svg", "button", "select", "template", "aside", "object",
                                       "embed", "canvas", "input", "textarea", NULL};
    for (size_t i = 0; tags[i]; i++)
        if (name_is(n, tags[i]))
            return 1;
    /* page header and footer, but an article's own header holds its title */
    if ((name_is(n, "header") || name_is(n, "footer")) && !w->in_article)
        return 1;
    if (!name_is(n, "body") && !name_is(n, "article") && !name_is(n, "main") &&
        class_has(n, skip_classes) && !holds_story(n, w))
        return 1;
    return 0;
}

static int inline_tag(const xmlNode *n)
{
    static const char *const tags[] = {"a", "span", "b", "i", "em", "strong", "u", "small",
                                       "sub", "sup", "font", "time", "abbr", "code", "mark",
                                       "q", "s", "cite", "label", "bdi", "bdo", "dfn", "kbd",
                                       "samp", "var", "del", "ins", NULL};
    for (size_t i = 0; tags[i]; i++)
        if (name_is(n, tags[i]))
            return 1;
    return 0;
}

static const char *img_src(const xmlNode *img)
{
    const char *s = attr(img, "data-src");
    if (!s || !*s)
        s = attr(img, "data-original");
    if (!s || !*s)
        s = attr(img, "src");
    return s && *s && strncmp(s, "data:", 5) ? s : NULL;
}

static void clear_pending(walker *w)
{
    free(w->pending_img);
    free(w->pending_alt);
    w->pending_img = w->pending_alt = NULL;
}

/* An image with no caption found: its alt text, if it says something. */
static void flush_pending(walker *w)
{
    if (w->pending_img && w->pending_alt && strlen(w->pending_alt) >= 20 && w->rc == PLEDGEX_OK)
        w->rc = pledgex__article_photo(w->o, w->pending_img, w->pending_alt);
    clear_pending(w);
}

static int has_credit(const char *s)
{
    return strstr(s, "\xE1\xBA\xA2nh:") || strstr(s, "\xE1\xBA\xA2nh :") ||
           strstr(s, "(\xE1\xBA\xA2nh") || strstr(s, "Photo:");
}

/* A block whose text is all in one <em>/<i>/<small>: how many sites set a
 * caption under a picture. */
static int italic_only(const xmlNode *block)
{
    if (name_is(block, "em") || name_is(block, "i"))
        return 1;
    int elements = 0, italic = 0;
    for (const xmlNode *c = block->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            for (const xmlChar *t = c->content; t && *t; t++)
                if (!isspace(*t))
                    return 0;
        } else if (c->type == XML_ELEMENT_NODE) {
            elements++;
            italic += name_is(c, "em") || name_is(c, "i") || name_is(c, "small");
        }
    }
    return elements == 1 && italic == 1;
}

/* Emits the gathered block as `kind` (or as the pending image's caption). */
static void flush_text(walker *w, const xmlNode *block, const char *kind)
{
    if (w->rc != PLEDGEX_OK) {
        pledgex__sb_clear(&w->text);
        return;
    }
    const char *t = w->text.s ? w->text.s : "";
    int blank = 1;
    for (const char *p = t; *p && blank; p++)
        blank = isspace((unsigned char)*p);
    if (blank) {
        pledgex__sb_clear(&w->text);
        return;
    }
    if (w->pending_img && (class_has(block, caption_classes) || has_credit(t) ||
                           (strlen(t) < 400 && w->blocks_since_img == 0 &&
                            italic_only(block)))) {
        w->rc = pledgex__article_photo(w->o, w->pending_img, t);
        clear_pending(w);
    } else {
        if (!strcmp(kind, "title") && !w->title_block) {
            pledgex__article_title(w->o, t);
            w->title_block = 1;
        } else if (!strcmp(kind, "title")) {
            kind = "body";
        }
        if (!w->o->have_byline && class_has(block, byline_classes) && strlen(t) < 160) {
            pledgex__article_byline(w->o, t);
            pledgex__article_published(w->o, t);
        }
        if (!w->o->have_published && class_has(block, date_classes) && strlen(t) < 160)
            pledgex__article_published(w->o, t);
        w->rc = pledgex__article_block(w->o, kind, t);
        if (w->pending_img && ++w->blocks_since_img > 1)
            flush_pending(w);
    }
    pledgex__sb_clear(&w->text);
}

static void walk(walker *w, xmlNode *n, int depth);

/* <figure>: its image and caption. */
static void figure(walker *w, xmlNode *fig)
{
    const char *src = NULL, *alt = NULL;
    xmlNode *cap = NULL;
    xmlNode *stack[64];
    int sp = 0;
    stack[sp++] = fig->children;
    while (sp > 0) {
        xmlNode *c = stack[--sp];
        for (; c; c = c->next) {
            if (name_is(c, "img") && !src) {
                src = img_src(c);
                alt = attr(c, "alt");
            } else if (name_is(c, "figcaption") && !cap) {
                cap = c;
            } else if (c->type == XML_ELEMENT_NODE && c->children && sp < 64) {
                stack[sp++] = c->children;
            }
        }
    }
    xmlChar *ct = cap ? xmlNodeGetContent(cap) : NULL;
    const char *caption = ct ? (const char *)ct : alt;
    if (src)
        w->rc = pledgex__article_photo(w->o, src, caption);
    else if (caption)
        w->rc = pledgex__article_block(w->o, "caption", caption);
    xmlFree(ct);
}

static void walk(walker *w, xmlNode *n, int depth)
{
    if (depth > 200)
        return;
    for (; n && w->rc == PLEDGEX_OK; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                pledgex__sb_puts(&w->text, (const char *)n->content);
            if (w->text.oom)
                w->rc = PLEDGEX_FATAL;
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || skipped(n, w))
            continue;
        if (name_is(n, "br")) {
            pledgex__sb_add(&w->text, "\n", 1);
            continue;
        }
        if (name_is(n, "figure")) {
            flush_text(w, n->parent, "body");
            flush_pending(w);
            figure(w, n);
            continue;
        }
        if (name_is(n, "img")) {
            flush_text(w, n->parent, "body");
            flush_pending(w);
            const char *src = img_src(n), *alt = attr(n, "alt");
            if (src) {
                w->pending_img = strdup(src);
                w->pending_alt = alt ? strdup(alt) : NULL;
                w->blocks_since_img = 0;
            }
            continue;
        }
        if (inline_tag(n)) {
            /* <span class="date">, <span class="author">: facts inline */
            int is_date = !w->o->have_published && class_has(n, date_classes);
            int is_by = !w->o->have_byline && class_has(n, byline_classes);
            if (is_date || is_by) {
                xmlChar *c = xmlNodeGetContent(n);
                if (c && strlen((const char *)c) < 160) {
                    if (is_by)
                        pledgex__article_byline(w->o, (const char *)c);
                    pledgex__article_published(w->o, (const char *)c);
                }
                xmlFree(c);
            }
            walk(w, n->children, depth + 1);
            continue;
        }
        /* a block: what was gathered before it is a block of its own */
        flush_text(w, n->parent, "body");
        int was = w->in_article;
        if (name_is(n, "article") || name_is(n, "main"))
            w->in_article = 1;
        walk(w, n->children, depth + 1);
        w->in_article = was;
        const char *kind = name_is(n, "h1") ? "title" : "body";
        flush_text(w, n, kind);
    }
}

/* <meta> facts and the title, before the body is read. */
static void head_facts(article_out *o, xmlNode *n, int depth, xmlNode **h1, xmlNode **title,
                       xmlNode **main)
{
    if (depth > 200)
        return;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (name_is(n, "meta")) {
            const char *key = attr(n, "property");
            if (!key)
                key = attr(n, "name");
            if (!key)
                key = attr(n, "itemprop");
            const char *v = attr(n, "content");
            if (key && v) {
                if (!strcasecmp(key, "og:title"))
                    pledgex__article_title(o, v);
                else if (!strcasecmp(key, "article:published_time") ||
                         !strcasecmp(key, "datePublished") || !strcasecmp(key, "pubdate") ||
                         !strcasecmp(key, "date"))
                    pledgex__article_published(o, v);
                else if (!strcasecmp(key, "author") || !strcasecmp(key, "article:author"))
                    pledgex__article_byline(o, v);
            }
        } else if (name_is(n, "time") && attr(n, "datetime")) {
            pledgex__article_published(o, attr(n, "datetime"));
        } else if (name_is(n, "h1") && !*h1) {
            *h1 = n;
        } else if (name_is(n, "title") && !*title) {
            *title = n;
        }
        if (!*main && (name_is(n, "article") || name_is(n, "main") ||
                       (attr(n, "itemprop") && !strcasecmp(attr(n, "itemprop"), "articleBody"))))
            *main = n;
        if (!name_is(n, "script") && !name_is(n, "style"))
            head_facts(o, n->children, depth + 1, h1, title, main);
    }
}

int pledgex__article_read_html(article_out *o, const char *utf8, size_t len, char *err,
                               size_t errlen)
{
    if (len > 0x7fffffff) {
        snprintf(err, errlen, "HTML file too large");
        return PLEDGEX_FAILED;
    }
    /* The text is already UTF-8 (the encoding was recognised before), so a
     * <meta charset> must not re-decode it. */
    htmlDocPtr doc = htmlReadMemory(utf8, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (!doc) {
        snprintf(err, errlen, "not HTML that libxml2 can read");
        return PLEDGEX_FAILED;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *h1 = NULL, *title = NULL, *main = NULL;
    head_facts(o, root, 0, &h1, &title, &main);
    int rc = PLEDGEX_OK;
    if (!h1 && title) {
        /* no <h1>: the page title stands for it */
        xmlChar *t = xmlNodeGetContent(title);
        if (t) {
            pledgex__article_title(o, (const char *)t);
            rc = pledgex__article_block(o, "title", (const char *)t);
            xmlFree(t);
        }
    }
    xmlNode *body = root;
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
        if (name_is(c, "body"))
            body = c;
    walker w = {o, {NULL, 0, 0, 0}, NULL, NULL, 0, 0, 0, rc, {h1, main}};
    pledgex__sb_add(&w.text, "", 0);
    if (w.text.oom)
        w.rc = PLEDGEX_FATAL;
    if (body)
        walk(&w, name_is(body, "body") ? body->children : body, 0);
    flush_text(&w, body ? body : root, "body");
    flush_pending(&w);
    free(w.text.s);
    xmlFreeDoc(doc);
    if (w.rc != PLEDGEX_OK)
        snprintf(err, errlen, "cannot store the article");
    return w.rc;
}
