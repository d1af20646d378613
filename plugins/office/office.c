/*
 * office.c -- the "office" plugin: Word (DOCX) and OpenDocument (ODT) text.
 *
 * Pledges are drafted in Word: the text of the document body, paragraph by
 * paragraph in order (tables cell by cell), one block of kind "text" per
 * paragraph; the title from the document properties.  The package is read
 * with libzip (sizes checked before anything is inflated, so a zip bomb is
 * refused) and the XML with libxml2 (no network, no entity expansion).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "pledgex-plugin.h"
#include "strbuf.h"

/* Largest XML part inflated (limit "max_member_bytes" overrides). */
#define OFFICE_MAX_PART_BYTES (256LL << 20)
/* Largest inflated/compressed ratio accepted for a part. */
#define OFFICE_MAX_RATIO 1000

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_DC "http://purl.org/dc/elements/1.1/"

static const pledgex_claim office_claims[] = {
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", 60},
    {"application/vnd.oasis.opendocument.text", 60},
    {NULL, 0},
};


/* Reads one part of the package; NULL when absent.  Refuses parts over the
 * size limit or with a bomb-like ratio (message in err). */
static char *read_part(zip_t *z, const char *name, int64_t max, size_t *len, char *err,
                       size_t errlen)
{
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(z, name, 0);
    if (idx < 0 || zip_stat_index(z, (zip_uint64_t)idx, 0, &st) != 0)
        return NULL;
    if (!(st.valid & ZIP_STAT_SIZE) || (int64_t)st.size > max) {
        snprintf(err, errlen, "%s: %llu bytes inflated exceeds the limit of %lld", name,
                 (unsigned long long)st.size, (long long)max);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > 1024 * 1024 &&
        st.size / (st.comp_size ? st.comp_size : 1) > OFFICE_MAX_RATIO) {
        snprintf(err, errlen, "%s: compression ratio over %d (a zip bomb?)", name,
                 OFFICE_MAX_RATIO);
        return NULL;
    }
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f) {
        snprintf(err, errlen, "%s: %s", name, zip_strerror(z));
        return NULL;
    }
    char *d = malloc(st.size + 1);
    zip_int64_t got = d ? zip_fread(f, d, st.size) : -1;
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(d);
        snprintf(err, errlen, "%s: cannot inflate (damaged or encrypted)", name);
        return NULL;
    }
    d[st.size] = 0;
    *len = (size_t)st.size;
    return d;
}

static int is(const xmlNode *n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name);
}

typedef struct walker {
    const pledgex_host *host;
    pledgex_ctx *ctx;
    int odt;
    pledgex_strbuf para;
    size_t nblocks;
    int rc;
} walker;

static void flush(walker *w)
{
    size_t a = 0, n = w->para.len;
    while (a < n && (w->para.s[a] == ' ' || w->para.s[a] == '\t' || w->para.s[a] == '\n'))
        a++;
    while (n > a && (w->para.s[n - 1] == ' ' || w->para.s[n - 1] == '\t' ||
                     w->para.s[n - 1] == '\n'))
        n--;
    if (n > a && w->rc == PLEDGEX_OK) {
        w->para.s[n] = 0;
        pledgex_block b = {"text", 0, w->para.s + a, -1.0, 0};
        if (w->host->emit_block(w->ctx, &b) != PLEDGEX_OK)
            w->rc = PLEDGEX_FAILED;
        w->nblocks++;
    }
    pledgex__sb_clear(&w->para);
}

/* Text of the runs inside a paragraph (DOCX w:t/w:tab/w:br, ODT text nodes,
 * text:s, text:tab, text:line-break); deleted text (w:delText) is skipped. */
static void runs(walker *w, xmlNode *n, int depth)
{
    if (depth > 100)
        return;
    for (; n && w->rc == PLEDGEX_OK; n = n->next) {
        if (w->odt) {
            if (n->type == XML_TEXT_NODE && n->content) {
                if ((pledgex__sb_puts(&w->para, (const char *)n->content), w->para.oom))
                    w->rc = PLEDGEX_FATAL;
            } else if (is(n, NS_TEXT, "s")) {
                xmlChar *c = xmlGetNsProp(n, (const xmlChar *)"c", (const xmlChar *)NS_TEXT);
                int k = c ? atoi((const char *)c) : 1;
                xmlFree(c);
                for (int i = 0; i < k && i < 1000; i++)
                    pledgex__sb_add(&w->para, " ", 1);
            } else if (is(n, NS_TEXT, "tab")) {
                pledgex__sb_add(&w->para, "\t", 1);
            } else if (is(n, NS_TEXT, "line-break")) {
                pledgex__sb_add(&w->para, "\n", 1);
            } else if (is(n, NS_TEXT, "note")) {
                continue; /* footnotes are not the paragraph's text */
            } else if (n->type == XML_ELEMENT_NODE) {
                runs(w, n->children, depth + 1);
            }
        } else {
            if (is(n, NS_W, "t")) {
                xmlChar *c = xmlNodeGetContent(n);
                if (c && (pledgex__sb_puts(&w->para, (const char *)c), w->para.oom))
                    w->rc = PLEDGEX_FATAL;
                xmlFree(c);
            } else if (is(n, NS_W, "tab")) {
                pledgex__sb_add(&w->para, "\t", 1);
            } else if (is(n, NS_W, "br") || is(n, NS_W, "cr")) {
                pledgex__sb_add(&w->para, "\n", 1);
            } else if (is(n, NS_W, "delText") || is(n, NS_W, "instrText")) {
                continue;
            } else if (n->type == XML_ELEMENT_NODE) {
                runs(w, n->children, depth + 1);
            }
        }
    }
}

/* Paragraphs in document order, wherever they sit (tables, lists, frames). */
static void paragraphs(walker *w, xmlNode *n, int depth)
{
    if (depth > 100)
        return;
    for (; n && w->rc == PLEDGEX_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        int para = w->odt ? (is(n, NS_TEXT, "p") || is(n, NS_TEXT, "h")) : is(n, NS_W, "p");
        if (para) {
            runs(w, n->children, depth + 1);
            flush(w);
        } else {
            paragraphs(w, n->children, depth + 1);
        }
    }
}

static xmlDoc *parse(const char *d, size_t n)
{
    if (n > 0x7fffffff)
        return NULL;
    return xmlReadMemory(d, (int)n, NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* dc:title of docProps/core.xml or meta.xml. */
static void title(const pledgex_host *host, pledgex_ctx *ctx, zip_t *z, const char *part,
                  int64_t max)
{
    char err[64];
    size_t n = 0;
    char *d = read_part(z, part, max, &n, err, sizeof err);
    xmlDoc *doc = d ? parse(d, n) : NULL;
    free(d);
    if (!doc)
        return;
    xmlNode *stack[32];
    int sp = 0;
    stack[sp++] = xmlDocGetRootElement(doc);
    while (sp > 0) {
        for (xmlNode *c = stack[--sp]; c; c = c->next) {
            if (is(c, NS_DC, "title")) {
                xmlChar *t = xmlNodeGetContent(c);
                if (t && *t)
                    host->set_attr(ctx, "title", (const char *)t);
                xmlFree(t);
                sp = 0;
                break;
            }
            if (c->type == XML_ELEMENT_NODE && c->children && sp < 32)
                stack[sp++] = c->children;
        }
    }
    xmlFreeDoc(doc);
}

static int office_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                          const pledgex_input *in, char *err, size_t errlen)
{
    (void)state;
    int zerr = 0;
    zip_t *z = zip_open(in->path, ZIP_RDONLY, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(err, errlen, "not a readable ZIP package: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return PLEDGEX_FAILED;
    }
    int64_t max = host->limit(ctx, "max_member_bytes", OFFICE_MAX_PART_BYTES);
    int odt = zip_name_locate(z, "content.xml", 0) >= 0;
    const char *part = odt ? "content.xml" : "word/document.xml";
    err[0] = 0;
    size_t n = 0;
    char *d = read_part(z, part, max, &n, err, errlen);
    if (!d) {
        if (!err[0])
            snprintf(err, errlen, "no %s in the package: not a %s document", part,
                     odt ? "ODT" : "DOCX");
        zip_discard(z);
        return PLEDGEX_FAILED;
    }
    xmlDoc *doc = parse(d, n);
    free(d);
    if (!doc) {
        zip_discard(z);
        snprintf(err, errlen, "%s is not well-formed XML", part);
        return PLEDGEX_FAILED;
    }
    walker w = {host, ctx, odt, {NULL, 0, 0, 0}, 0, PLEDGEX_OK};
    paragraphs(&w, xmlDocGetRootElement(doc), 0);
    flush(&w);
    free(w.para.s);
    xmlFreeDoc(doc);
    title(host, ctx, z, odt ? "meta.xml" : "docProps/core.xml", max);
    zip_discard(z);
    if (w.rc != PLEDGEX_OK) {
        snprintf(err, errlen, "cannot store the text");
        return PLEDGEX_FAILED;
    }
    host->set_attr(ctx, "kind", "text");
    host->set_attr(ctx, "encoding", "UTF-8");
    return PLEDGEX_OK;
}

static const pledgex_plugin office_plugin = {
    PLEDGEX_PLUGIN_ABI_MAJOR,
    PLEDGEX_PLUGIN_ABI_MINOR,
    "office",
    "1.0",
    "Word (DOCX) and OpenDocument (ODT) text",
    office_claims,
    NULL,
    NULL,
    office_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &office_plugin;
}
