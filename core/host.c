/*
 * host.c -- the services pledgex hands to plugins (pledgex-plugin.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"
#include "textnorm.h"

static int h_emit_block(pledgex_ctx *ctx, const pledgex_block *b)
{
    if (!b || !b->text)
        return PLEDGEX_FAILED;
    size_t nbad = 0;
    char *text = pledgex__nfc(b->text, strlen(b->text), &nbad);
    if (!text)
        return PLEDGEX_FATAL;
    int rc = pledgex__doc_add_block(ctx->doc, b->kind ? b->kind : "text",
                                    b->page > 0 ? b->page + ctx->page_offset : b->page, text,
                                    b->confidence, b->flags);
    free(text);
    return rc;
}

static int h_set_attr(pledgex_ctx *ctx, const char *key, const char *value)
{
    if (!key)
        return PLEDGEX_FAILED;
    char *v = value ? pledgex__nfc(value, strlen(value), NULL) : NULL;
    if (value && !v)
        return PLEDGEX_FATAL;
    int rc = pledgex__doc_add_attr(ctx->doc, key, v);
    free(v);
    return rc;
}

/* A member name fit for an address: control characters become '?', and a
 * name that is not UTF-8 is repaired (the archive plugin should have decoded
 * it; this is the last line of defence). */
static char *member_display(const char *member)
{
    char *s = pledgex__nfc(member, strlen(member), NULL);
    if (!s)
        return NULL;
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return s;
}

static char *child_address(pledgex_ctx *ctx, const char *member, char **display)
{
    *display = member_display(member && *member ? member : "?");
    if (!*display)
        return NULL;
    size_t n = strlen(ctx->doc->address) + strlen(*display) + 2;
    char *a = malloc(n);
    if (a)
        snprintf(a, n, "%s!%s", ctx->doc->address, *display);
    return a;
}

static int h_emit_child_file(pledgex_ctx *ctx, const char *member, const char *path)
{
    pledgex_run *run = ctx->run;
    char *display = NULL;
    char *addr = child_address(ctx, member, &display);
    if (!addr) {
        free(display);
        return PLEDGEX_FATAL;
    }
    int64_t max_depth = pledgex_engine_limit(run->engine, "max_depth", 10);
    int64_t max_total = pledgex_engine_limit(run->engine, "max_total_bytes", 8LL << 30);
    struct stat st;
    if (stat(path, &st) == 0)
        run->expanded_bytes += st.st_size;
    int rc;
    if (max_total > 0 && run->expanded_bytes > max_total) {
        /* Every member of every level counts against its top-level input:
         * a bomb spread over many members or levels stops here. */
        char reason[160];
        snprintf(reason, sizeof reason,
                 "the input expands to more than %lld bytes (--max-total-bytes)",
                 (long long)max_total);
        rc = pledgex__put_status(run, addr, display, ctx->doc->address, ctx->depth + 1,
                                 PLEDGEX_SKIP, reason);
    } else if (ctx->depth + 1 > max_depth) {
        char reason[128];
        snprintf(reason, sizeof reason, "nested deeper than %lld archive levels (--max-depth)",
                 (long long)max_depth);
        rc = pledgex__put_status(run, addr, display, ctx->doc->address, ctx->depth + 1,
                                 PLEDGEX_SKIP, reason);
    } else if (run->spool && run->spool(run, addr, display, path, ctx->doc->address,
                                        ctx->depth + 1) == PLEDGEX_OK) {
        rc = PLEDGEX_OK; /* another worker reads it */
    } else {
        rc = pledgex__process_one(run, addr, display, path, ctx->doc->address, ctx->depth + 1,
                                  NULL, 0);
    }
    free(addr);
    free(display);
    return rc;
}

static int h_record_member(pledgex_ctx *ctx, const char *member, int status, const char *reason)
{
    char *display = NULL;
    char *addr = child_address(ctx, member, &display);
    int rc = PLEDGEX_FATAL;
    if (addr)
        rc = pledgex__put_status(ctx->run, addr, display, ctx->doc->address, ctx->depth + 1,
                                 status == PLEDGEX_OK ? PLEDGEX_SKIP : status, reason);
    free(addr);
    free(display);
    return rc;
}

static int h_delegate(pledgex_ctx *ctx, const char *plugin, const char *path, const char *mime,
                      int page_offset, char *err, size_t errlen)
{
    const pledgex_loaded_plugin *lp = pledgex__plugin_by_name(ctx->run->engine, plugin);
    if (!lp) {
        snprintf(err, errlen, "plugin '%s' is not loaded", plugin);
        return PLEDGEX_SKIP;
    }
    pledgex_ctx sub = *ctx;
    sub.page_offset = ctx->page_offset + page_offset;
    sub.tmpdir = NULL;
    sub.handoff = NULL; /* kept by the root context (root_of) */
    sub.owner = ctx; /* temporary files go to (and are removed with) ours */
    const char *slash = strrchr(path, '/');
    pledgex_input in = {
        .address = ctx->doc->address,
        .name = ctx->doc->name ? ctx->doc->name : (slash ? slash + 1 : path),
        .path = path,
        .mime = mime ? mime : ctx->doc->mime,
        .size = 0,
        .depth = ctx->depth,
    };
    FILE *f = fopen(path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        in.size = sz > 0 ? (uint64_t)sz : 0;
        fclose(f);
    }
    return lp->desc->process(lp->state, &pledgex__host, &sub, &in, err, errlen);
}

static void h_progress(pledgex_ctx *ctx, double fraction, const char *what)
{
    (void)fraction;
    (void)what;
    if (ctx->run->sink->progress)
        ctx->run->sink->progress(ctx->run->sink->u, ctx->doc->address);
}

static int64_t h_limit(pledgex_ctx *ctx, const char *name, int64_t fallback)
{
    return pledgex_engine_limit(ctx->run->engine, name, fallback);
}

static const char *h_option(pledgex_ctx *ctx, const char *name)
{
    return pledgex_engine_option(ctx->run->engine, name);
}

static int h_cancelled(pledgex_ctx *ctx)
{
    return ctx->run->cancel && *ctx->run->cancel;
}

static void h_warn(pledgex_ctx *ctx, const char *message)
{
    if (!message)
        return;
    pledgex__doc_add_attr(ctx->doc, "warning", message);
    if (ctx->run->sink->warning)
        ctx->run->sink->warning(ctx->run->sink->u, ctx->doc->address, message);
}

/* The text of the document's blocks from `first` on (ABI 1.1). */
static char *h_doc_text(pledgex_ctx *ctx, size_t first, size_t *count)
{
    const pledgex_doc *doc = ctx->doc;
    if (count)
        *count = doc->nblocks;
    if (first >= doc->nblocks)
        return NULL;
    size_t len = 1;
    for (size_t i = first; i < doc->nblocks; i++)
        len += strlen(doc->blocks[i].text) + 1;
    char *s = malloc(len), *w = s;
    if (!s)
        return NULL;
    for (size_t i = first; i < doc->nblocks; i++) {
        size_t n = strlen(doc->blocks[i].text);
        if (i > first)
            *w++ = '\n';
        memcpy(w, doc->blocks[i].text, n);
        w += n;
    }
    *w = 0;
    return s;
}

/* Made on first use: most inputs never need one, and a directory per
 * input is a measurable share of the cost of a small text file. */
static const char *h_tmpdir(pledgex_ctx *ctx)
{
    if (!ctx->tmpdir && ctx->owner)
        return h_tmpdir(ctx->owner);
    if (!ctx->tmpdir && pledgex__mkdtemp_in(ctx->run->tmpbase, "in", &ctx->tmpdir) != PLEDGEX_OK)
        return ctx->run->tmpbase; /* private too: the batch's own 0700 directory */
    return ctx->tmpdir;
}

/* ---- handoff (ABI 1.2) ----------------------------------------------- */

/* One object a plugin passed on, kept by the document's own context (a
 * delegate's context shares its caller's). */
struct pledgex_handoff {
    struct pledgex_handoff *next;
    char *path, *kind;
    void *object;
    void (*release)(void *object);
};

static pledgex_ctx *root_of(pledgex_ctx *ctx)
{
    while (ctx->owner)
        ctx = ctx->owner;
    return ctx;
}

static void handoff_free(struct pledgex_handoff *h)
{
    if (h->release)
        h->release(h->object);
    free(h->path);
    free(h->kind);
    free(h);
}

/* Unlinks the entry for (path, kind) and returns it, or NULL. */
static struct pledgex_handoff *handoff_unlink(pledgex_ctx *root, const char *path,
                                              const char *kind)
{
    for (struct pledgex_handoff **p = &root->handoff; *p; p = &(*p)->next)
        if (!strcmp((*p)->path, path) && !strcmp((*p)->kind, kind)) {
            struct pledgex_handoff *h = *p;
            *p = h->next;
            return h;
        }
    return NULL;
}

static int h_handoff_put(pledgex_ctx *ctx, const char *path, const char *kind, void *object,
                         void (*release)(void *object))
{
    if (!object)
        return PLEDGEX_OK;
    pledgex_ctx *root = root_of(ctx);
    struct pledgex_handoff *old = path && kind ? handoff_unlink(root, path, kind) : NULL;
    if (old)
        handoff_free(old);
    struct pledgex_handoff *h = path && kind ? calloc(1, sizeof *h) : NULL;
    if (h) {
        h->path = strdup(path);
        h->kind = strdup(kind);
    }
    if (!h || !h->path || !h->kind) {
        if (release)
            release(object);
        if (h) {
            free(h->path);
            free(h->kind);
            free(h);
        }
        return path && kind ? PLEDGEX_FATAL : PLEDGEX_FAILED;
    }
    h->object = object;
    h->release = release;
    h->next = root->handoff;
    root->handoff = h;
    return PLEDGEX_OK;
}

static void *h_handoff_take(pledgex_ctx *ctx, const char *path, const char *kind)
{
    if (!path || !kind)
        return NULL;
    struct pledgex_handoff *h = handoff_unlink(root_of(ctx), path, kind);
    if (!h)
        return NULL;
    void *object = h->object;
    h->release = NULL; /* the caller's now */
    handoff_free(h);
    return object;
}

void pledgex__handoff_clear(pledgex_ctx *ctx)
{
    while (ctx->handoff) {
        struct pledgex_handoff *h = ctx->handoff;
        ctx->handoff = h->next;
        handoff_free(h);
    }
}

const pledgex_host pledgex__host = {
    sizeof(pledgex_host), PLEDGEX_PLUGIN_ABI_MAJOR, PLEDGEX_PLUGIN_ABI_MINOR,
    h_emit_block, h_set_attr, h_emit_child_file, h_record_member, h_delegate,
    h_progress, h_limit, h_option, h_cancelled, h_warn, h_tmpdir, h_doc_text,
    h_handoff_put, h_handoff_take,
};
