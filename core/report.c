/*
 * report.c -- a document as a person reads it: what it is, what was found
 * in it, then its text page by page.  (`pledgex show`; JSON is `--json`.)
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "json.h"

/* Entities of one type on one line each: "text [value] (role)". */
static void entities(pledgex_strbuf *b, const pledgex_doc *doc, const char *type,
                     const char *title)
{
    int any = 0;
    for (size_t i = 0; i < doc->nentities; i++) {
        const pledgex_doc_entity *e = &doc->entities[i];
        if (strcmp(e->type, type))
            continue;
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++) {
            const pledgex_doc_entity *f = &doc->entities[j];
            dup = !strcmp(f->type, type) && !strcmp(f->text ? f->text : "", e->text ? e->text : "") &&
                  !strcmp(f->value ? f->value : "", e->value ? e->value : "");
        }
        if (dup)
            continue;
        if (!any)
            pledgex__sb_printf(b, "%s:\n", title);
        any = 1;
        pledgex__sb_printf(b, "  - %s", e->text ? e->text : "");
        if (e->value && (!e->text || strcmp(e->value, e->text)))
            pledgex__sb_printf(b, "  [%s]", e->value);
        if (e->role)
            pledgex__sb_printf(b, "  (%s)", e->role);
        pledgex__sb_puts(b, "\n");
    }
}

char *pledgex__doc_report(const pledgex_doc *doc, const char *links)
{
    pledgex_strbuf b = {0};
    pledgex__sb_printf(&b, "%s\n", doc->address);
    pledgex__sb_printf(&b, "  status:   %s%s%s\n", pledgex__status_name(doc->status),
                       doc->error ? ": " : "", doc->error ? doc->error : "");
    pledgex__sb_printf(&b, "  type:     %s, read by %s, %llu bytes\n",
                       doc->mime ? doc->mime : "?", doc->plugin ? doc->plugin : "no plugin",
                       (unsigned long long)doc->size);
    if (doc->sha256)
        pledgex__sb_printf(&b, "  sha256:   %s\n", doc->sha256);
    static const struct {
        const char *key, *label;
    } attrs[] = {{"title", "title:"},   {"byline", "byline:"},     {"published", "published:"},
                 {"taken", "taken:"},   {"encoding", "encoding:"}, {"pdf", "pdf:"}};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        const char *v = pledgex__doc_attr(doc, attrs[i].key);
        if (v)
            pledgex__sb_printf(&b, "  %-10s%s\n", attrs[i].label, v);
    }
    const char *caption = pledgex__doc_attr(doc, "caption.text");
    if (caption) {
        const char *credit = pledgex__doc_attr(doc, "caption.credit");
        const char *source = pledgex__doc_attr(doc, "caption.source");
        pledgex__sb_printf(&b, "  caption:  %s\n            (credit %s, from %s)\n", caption,
                           credit ? credit : "none", source ? source : "?");
    }
    for (size_t i = 0; i < doc->nattrs; i++)
        if (!strcmp(doc->attrs[i].key, "warning"))
            pledgex__sb_printf(&b, "  warning:  %s\n", doc->attrs[i].value);
    entities(&b, doc, "unit", "units");
    entities(&b, doc, "date", "dates");
    entities(&b, doc, "signatory", "signatories");
    entities(&b, doc, "person", "people");
    entities(&b, doc, "commitment", "commitments");
    if (links && *links) {
        pledgex__sb_puts(&b, "linked with:\n");
        for (const char *l = links; *l; l += strlen(l) + 1)
            pledgex__sb_printf(&b, "  - %s\n", l);
    }
    for (size_t i = 0; i < doc->nblocks; i++) {
        const pledgex_doc_block *k = &doc->blocks[i];
        pledgex__sb_printf(&b, "--- %s", k->kind);
        if (k->page > 0)
            pledgex__sb_printf(&b, ", page %d", k->page);
        if (k->confidence >= 0)
            pledgex__sb_printf(&b, ", confidence %.2f", k->confidence);
        if (k->flags & PLEDGEX_BLOCK_NEEDS_REVIEW)
            pledgex__sb_puts(&b, ", NEEDS REVIEW");
        pledgex__sb_printf(&b, " ---\n%s\n", k->text);
    }
    return pledgex__sb_finish(&b);
}
