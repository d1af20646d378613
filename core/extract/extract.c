/*
 * extract.c -- runs the extractors over one document: every text block,
 * plus the attributes that give context (published, taken, caption), then
 * turns what they collected into entities.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xctx.h"

/* Extraction reads at most this much text per document; the rest is left
 * (with a warning) so one huge input cannot stall a worker. */
#define PX_EXTRACT_MAX_BYTES (4u << 20)

static void ctx_free(px_ctx *cx)
{
    for (size_t i = 0; i < cx->ndates; i++)
        free(cx->dates[i].text);
    free(cx->dates);
    for (size_t i = 0; i < cx->nunits; i++)
        pledgex__x_unit_clear(&cx->units[i]);
    free(cx->units);
    for (size_t i = 0; i < cx->npeople; i++) {
        free(cx->people[i].name);
        free(cx->people[i].role);
        free(cx->people[i].unit_key);
    }
    free(cx->people);
    free(cx->stated_text);
    free(cx->gname);
    for (size_t i = 0; i < cx->nmovements; i++)
        free(cx->movements[i]);
    free(cx->movements);
}

static int run_text(px_ctx *cx, const char *s, size_t len)
{
    px_text t;
    if (pledgex__xtext_init(&t, s, len))
        return -1;
    int rc = 0;
    if (pledgex__x_dates(cx, &t) || pledgex__x_commitments(cx, &t))
        rc = -1;
    if (!rc && cx->nunits < PX_MAX_UNITS &&
        (pledgex__x_units(cx, &t) || pledgex__x_people(cx, &t)))
        rc = -1;
    pledgex__xtext_fini(&t);
    return rc;
}

int pledgex__extract_doc(pledgex_doc *doc, const pledgex_gazetteer *gz, char *err,
                         size_t errlen)
{
    if (!doc) {
        snprintf(err, errlen, "no document");
        return PLEDGEX_FAILED;
    }
    px_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.doc = doc;
    cx.gz = gz;
    int rc = 0, truncated = 0;
    size_t budget = PX_EXTRACT_MAX_BYTES;
    if (pledgex__x_date_attr(&cx, pledgex__doc_attr(doc, "published"), PX_ROLE_PUBLISHED) ||
        pledgex__x_date_attr(&cx, pledgex__doc_attr(doc, "taken"), PX_ROLE_TAKEN))
        rc = -1;
    for (size_t b = 0; b < doc->nblocks && !rc; b++) {
        const char *s = doc->blocks[b].text;
        size_t len = s ? strlen(s) : 0;
        if (!len)
            continue;
        if (len > budget) {
            len = budget;
            truncated = 1;
        }
        budget -= len;
        rc = run_text(&cx, s, len);
    }
    /* A caption kept only as an attribute is text too. */
    static const char *const text_attrs[] = {"caption", "title", "description"};
    for (size_t k = 0; k < 3 && !rc; k++) {
        const char *s = pledgex__doc_attr(doc, text_attrs[k]);
        if (!s || !*s)
            continue;
        int seen = 0;
        for (size_t b = 0; b < doc->nblocks && !seen; b++)
            seen = doc->blocks[b].text && strstr(doc->blocks[b].text, s) != NULL;
        size_t len = strlen(s);
        if (!seen && len <= budget) {
            budget -= len;
            rc = run_text(&cx, s, len);
        }
    }
    if (!rc && (pledgex__x_dates_emit(&cx) || pledgex__x_units_emit(&cx) ||
                pledgex__x_people_emit(&cx) || pledgex__x_commitments_emit(&cx)))
        rc = -1;
    ctx_free(&cx);
    if (rc) {
        snprintf(err, errlen, "out of memory during extraction");
        return PLEDGEX_FATAL;
    }
    if (truncated) {
        snprintf(err, errlen, "text longer than %u bytes: extraction read only the start",
                 PX_EXTRACT_MAX_BYTES);
        return PLEDGEX_WARN;
    }
    return PLEDGEX_OK;
}

char *pledgex__unit_canonical(const char *name, const pledgex_gazetteer *gz)
{
    if (!name)
        return NULL;
    px_text t;
    if (pledgex__xtext_init(&t, name, strlen(name)))
        return NULL;
    px_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.gz = gz;
    px_unit m;
    char *out = NULL;
    size_t n = t.nw ? pledgex__x_unit_at(&cx, &t, 0, pledgex__x_caps_end(&t, 0), &m) : 0;
    if (n) {
        const char *gc = pledgex__gz_lookup(gz, m.key, NULL);
        const char *unit = gc ? gc : m.display;
        /* Words after the unit ("Sở Tư pháp Hà Tĩnh": the unit ends at
         * "pháp") qualify it: kept, or a search for one province's unit
         * would find every province's. */
        char *rest = n < t.nw ? pledgex__x_span(&t, n, t.nw) : NULL;
        size_t len = strlen(unit) + (rest ? strlen(rest) + 1 : 0) + 1;
        out = malloc(len);
        if (out)
            snprintf(out, len, "%s%s%s", unit, rest ? " " : "", rest ? rest : "");
        free(rest);
        pledgex__x_unit_clear(&m);
    } else {
        out = pledgex__x_clean(t.orig, t.olen);
    }
    pledgex__xtext_fini(&t);
    return out;
}
