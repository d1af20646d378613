/*
 * index.c -- the public index API, dispatching to a backend by URI scheme.
 */
#include <config.h>

#include "index.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const pledgex_index_ops *const backends[] = {&pledgex__index_sqlite};

int pledgex__index_error(pledgex_index *ix, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ix->errmsg, sizeof ix->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int pledgex_index_open(pledgex_index **out, const char *uri, char *err, size_t errlen)
{
    *out = NULL;
    const pledgex_index_ops *ops = backends[0];
    const char *location = uri;
    const char *colon = strchr(uri, ':');
    if (colon && colon - uri < 16 && colon[1] == '/' && colon[2] == '/') {
        /* scheme://... names a backend */
        ops = NULL;
        for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
            if (!strncmp(uri, backends[i]->scheme, (size_t)(colon - uri)) &&
                strlen(backends[i]->scheme) == (size_t)(colon - uri))
                ops = backends[i];
        location = colon + 3;
    } else if (!strncmp(uri, "sqlite:", 7)) {
        location = uri + 7;
    }
    if (!ops) {
        snprintf(err, errlen, "%s: no index backend for this scheme", uri);
        return PLEDGEX_FATAL;
    }
    pledgex_index *ix = calloc(1, sizeof *ix);
    if (!ix) {
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    ix->ops = ops;
    int rc = ops->open(ix, location);
    if (rc != PLEDGEX_OK) {
        snprintf(err, errlen, "%s", ix->errmsg);
        ops->close(ix);
        free(ix);
        return rc;
    }
    *out = ix;
    return PLEDGEX_OK;
}

void pledgex_index_free(pledgex_index **pix)
{
    if (!pix || !*pix)
        return;
    (*pix)->ops->close(*pix);
    free(*pix);
    *pix = NULL;
}

const char *pledgex_index_errmsg(const pledgex_index *ix)
{
    return ix ? ix->errmsg : "no index";
}

int pledgex__index_lookup(pledgex_index *ix, const char *address, char **sha256, int *status)
{
    return ix->ops->lookup(ix, address, sha256, status);
}

int pledgex__index_put(pledgex_index *ix, const pledgex_doc *doc, int replace_tree)
{
    return ix->ops->put(ix, doc, replace_tree);
}

int pledgex_search(pledgex_index *ix, const pledgex_query *q, pledgex_hit_fn fn, void *user,
                   size_t *nhits)
{
    if (nhits)
        *nhits = 0;
    int rc = pledgex__index_flush(ix);
    if (rc)
        return rc;
    return ix->ops->search(ix, q, fn, user, nhits);
}

int pledgex__index_flush(pledgex_index *ix)
{
    return ix->ops->flush ? ix->ops->flush(ix) : PLEDGEX_OK;
}

char *pledgex_suggest(pledgex_index *ix, const char *text)
{
    return ix->ops->suggest ? ix->ops->suggest(ix, text) : NULL;
}

int pledgex_facets(pledgex_index *ix, const pledgex_query *q,
                          int (*fn)(void *, const char *, const char *, long), void *user)
{
    int rc = pledgex__index_flush(ix);
    return rc ? rc : ix->ops->facets(ix, q, fn, user);
}

int pledgex_units(pledgex_index *ix, int (*fn)(void *, const char *, long, const char *),
                         void *user)
{
    int rc = pledgex__index_flush(ix);
    return rc ? rc : ix->ops->units(ix, fn, user);
}

typedef struct export_ctx {
    pledgex_json_fn fn;
    void *user;
    char *one; /* pledgex_show's result */
    int oom;
    int report; /* text for a person instead of JSON */
} export_ctx;

static int export_one(void *user, const pledgex_doc *doc, const char *links)
{
    export_ctx *x = user;
    char *json = x->report ? pledgex__doc_report(doc, links) : pledgex__doc_json(doc, links);
    if (!json) {
        x->oom = 1;
        return 1;
    }
    if (x->fn) {
        int stop = x->fn(x->user, json, strlen(json));
        free(json);
        return stop;
    }
    free(x->one);
    x->one = json;
    return 0;
}

int pledgex_export(pledgex_index *ix, pledgex_json_fn fn, void *user)
{
    export_ctx x = {fn, user, NULL, 0, 0};
    int rc = pledgex__index_flush(ix);
    if (rc)
        return rc;
    rc = ix->ops->each(ix, NULL, export_one, &x);
    if (x.oom)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    return rc;
}

static int show(pledgex_index *ix, const char *address, char **json, int report)
{
    export_ctx x = {NULL, NULL, NULL, 0, report};
    *json = NULL;
    int rc = pledgex__index_flush(ix);
    if (rc)
        return rc;
    rc = ix->ops->each(ix, address, export_one, &x);
    if (rc != PLEDGEX_OK) {
        free(x.one);
        return rc;
    }
    if (!x.one)
        return pledgex__index_error(ix, PLEDGEX_SKIP, "%s: no such document in the index",
                                    address);
    *json = x.one;
    return PLEDGEX_OK;
}

int pledgex_show(pledgex_index *ix, const char *address, char **json)
{
    return show(ix, address, json, 0);
}

int pledgex_show_text(pledgex_index *ix, const char *address, char **text)
{
    return show(ix, address, text, 1);
}

const char *pledgex__status_name(int status)
{
    switch (status) {
    case PLEDGEX_OK:
    case PLEDGEX_WARN:
        return "ok";
    case PLEDGEX_SKIP:
        return "skipped";
    default:
        return "failed";
    }
}

int pledgex__status_from_name(const char *name)
{
    if (!name || !strcmp(name, "ok"))
        return PLEDGEX_OK;
    if (!strcmp(name, "skipped"))
        return PLEDGEX_SKIP;
    return PLEDGEX_FAILED;
}
