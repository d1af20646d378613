/*
 * json.c -- JSON writing: escaping, and the export object of a document.
 */
#include <config.h>

#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"

void pledgex__sb_json_str(pledgex_strbuf *b, const char *s)
{
    if (!s) {
        pledgex__sb_puts(b, "null");
        return;
    }
    pledgex__sb_add(b, "\"", 1);
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = NULL;
        char u[8];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (*p < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", *p);
                esc = u;
            }
        }
        if (esc) {
            pledgex__sb_add(b, run, (size_t)((const char *)p - run));
            pledgex__sb_puts(b, esc);
            run = (const char *)p + 1;
        }
    }
    pledgex__sb_puts(b, run);
    pledgex__sb_add(b, "\"", 1);
}


/* ------------------------------------------------------------- export */

static void key(pledgex_strbuf *b, const char *k)
{
    pledgex__sb_puts(b, ",\"");
    pledgex__sb_puts(b, k);
    pledgex__sb_puts(b, "\":");
}

/* Entities of one type as a list of objects with the given field names for
 * text/value/role (NULL = leave out); unique by all fields. */
static void entity_list(pledgex_strbuf *b, const pledgex_doc *doc, const char *type,
                        const char *ftext, const char *fvalue, const char *frole)
{
    pledgex__sb_puts(b, "[");
    int first = 1;
    for (size_t i = 0; i < doc->nentities; i++) {
        const pledgex_doc_entity *e = &doc->entities[i];
        if (strcmp(e->type, type))
            continue;
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++) {
            const pledgex_doc_entity *f = &doc->entities[j];
            dup = !strcmp(f->type, type) &&
                  !strcmp(f->text ? f->text : "", e->text ? e->text : "") &&
                  !strcmp(f->value ? f->value : "", e->value ? e->value : "") &&
                  !strcmp(f->role ? f->role : "", e->role ? e->role : "");
        }
        if (dup)
            continue;
        pledgex__sb_puts(b, first ? "{" : ",{");
        first = 0;
        int any = 0;
        const char *names[3] = {ftext, fvalue, frole};
        const char *vals[3] = {e->text, e->value, e->role};
        for (int k = 0; k < 3; k++) {
            if (!names[k])
                continue;
            pledgex__sb_printf(b, "%s\"%s\":", any ? "," : "", names[k]);
            pledgex__sb_json_str(b, vals[k]);
            any = 1;
        }
        pledgex__sb_puts(b, "}");
    }
    pledgex__sb_puts(b, "]");
}

static void attr_field(pledgex_strbuf *b, const pledgex_doc *doc, const char *name,
                       const char *attr)
{
    key(b, name);
    pledgex__sb_json_str(b, pledgex__doc_attr(doc, attr));
}

char *pledgex__doc_json(const pledgex_doc *doc, const char *links)
{
    pledgex_strbuf b = {0};
    pledgex__sb_puts(&b, "{\"address\":");
    pledgex__sb_json_str(&b, doc->address);
    key(&b, "sha256");
    pledgex__sb_json_str(&b, doc->sha256);
    key(&b, "mime");
    pledgex__sb_json_str(&b, doc->mime);
    key(&b, "plugin");
    pledgex__sb_json_str(&b, doc->plugin);
    key(&b, "status");
    pledgex__sb_json_str(&b, pledgex__status_name(doc->status));
    key(&b, "error");
    pledgex__sb_json_str(&b, doc->error);
    key(&b, "parent");
    pledgex__sb_json_str(&b, doc->parent);
    key(&b, "size");
    pledgex__sb_printf(&b, "%llu", (unsigned long long)doc->size);
    attr_field(&b, doc, "kind", "kind");

    char *text = pledgex__doc_text(doc);
    key(&b, "text");
    pledgex__sb_json_str(&b, text ? text : "");
    free(text);

    key(&b, "blocks");
    pledgex__sb_puts(&b, "[");
    int review = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const pledgex_doc_block *k = &doc->blocks[i];
        pledgex__sb_puts(&b, i ? ",{\"kind\":" : "{\"kind\":");
        pledgex__sb_json_str(&b, k->kind);
        pledgex__sb_printf(&b, ",\"page\":%d,\"text\":", k->page);
        pledgex__sb_json_str(&b, k->text);
        if (k->confidence < 0)
            pledgex__sb_puts(&b, ",\"confidence\":null");
        else
            pledgex__sb_printf(&b, ",\"confidence\":%.3f", k->confidence);
        pledgex__sb_printf(&b, ",\"needs_review\":%s}",
                           (k->flags & PLEDGEX_BLOCK_NEEDS_REVIEW) ? "true" : "false");
        review |= (k->flags & PLEDGEX_BLOCK_NEEDS_REVIEW) != 0;
    }
    pledgex__sb_puts(&b, "]");
    key(&b, "needs_review");
    pledgex__sb_puts(&b, review ? "true" : "false");

    key(&b, "units");
    entity_list(&b, doc, "unit", "name", "canonical", NULL);
    key(&b, "dates");
    entity_list(&b, doc, "date", "text", "value", "role");
    key(&b, "commitments");
    entity_list(&b, doc, "commitment", "text", NULL, "kind");
    key(&b, "people");
    entity_list(&b, doc, "person", "name", "unit", "role");
    key(&b, "signatories");
    entity_list(&b, doc, "signatory", "name", "canonical", "role");

    key(&b, "caption");
    const char *ct = pledgex__doc_attr(doc, "caption.text");
    if (ct) {
        pledgex__sb_puts(&b, "{\"text\":");
        pledgex__sb_json_str(&b, ct);
        pledgex__sb_puts(&b, ",\"credit\":");
        pledgex__sb_json_str(&b, pledgex__doc_attr(doc, "caption.credit"));
        pledgex__sb_puts(&b, ",\"source\":");
        pledgex__sb_json_str(&b, pledgex__doc_attr(doc, "caption.source"));
        pledgex__sb_puts(&b, "}");
    } else {
        pledgex__sb_puts(&b, "null");
    }
    attr_field(&b, doc, "taken", "taken");
    attr_field(&b, doc, "title", "title");
    attr_field(&b, doc, "byline", "byline");
    attr_field(&b, doc, "published", "published");
    attr_field(&b, doc, "encoding", "encoding");
    attr_field(&b, doc, "pdf", "pdf");

    key(&b, "warnings");
    pledgex__sb_puts(&b, "[");
    int first = 1;
    for (size_t i = 0; i < doc->nattrs; i++)
        if (!strcmp(doc->attrs[i].key, "warning")) {
            if (!first)
                pledgex__sb_puts(&b, ",");
            first = 0;
            pledgex__sb_json_str(&b, doc->attrs[i].value);
        }
    pledgex__sb_puts(&b, "]");

    key(&b, "links");
    pledgex__sb_puts(&b, "[");
    for (const char *l = links; l && *l; l += strlen(l) + 1) {
        if (l != links)
            pledgex__sb_puts(&b, ",");
        pledgex__sb_json_str(&b, l);
    }
    pledgex__sb_puts(&b, "]}");
    return pledgex__sb_finish(&b);
}
