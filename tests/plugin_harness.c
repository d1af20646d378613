/*
 * plugin_harness.c -- a recording pledgex_host for plugin unit tests.
 */
#include <config.h>

#include "plugin_harness.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pledgex_ctx {
    harness_result *r;
    char tmpdir[256];
    char *joined;
};

#define MAX_SETTINGS 32
static struct {
    char name[64];
    long long value;
} limits[MAX_SETTINGS];
static size_t nlimits;
static struct {
    char name[64];
    char value[512];
} options[MAX_SETTINGS];
static size_t noptions;

void harness_reset_settings(void)
{
    nlimits = noptions = 0;
}

void harness_set_limit(const char *name, long long value)
{
    for (size_t i = 0; i < nlimits; i++)
        if (!strcmp(limits[i].name, name)) {
            limits[i].value = value;
            return;
        }
    if (nlimits < MAX_SETTINGS) {
        snprintf(limits[nlimits].name, sizeof limits[0].name, "%s", name);
        limits[nlimits++].value = value;
    }
}

void harness_set_option(const char *name, const char *value)
{
    for (size_t i = 0; i < noptions; i++)
        if (!strcmp(options[i].name, name)) {
            if (value)
                snprintf(options[i].value, sizeof options[0].value, "%s", value);
            else
                options[i] = options[--noptions];
            return;
        }
    if (value && noptions < MAX_SETTINGS) {
        snprintf(options[noptions].name, sizeof options[0].name, "%s", name);
        snprintf(options[noptions++].value, sizeof options[0].value, "%s", value);
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void *grow(void *p, size_t n, size_t size)
{
    return realloc(p, (n + 1) * size);
}

static int h_emit_block(pledgex_ctx *ctx, const pledgex_block *b)
{
    harness_result *r = ctx->r;
    r->blocks = grow(r->blocks, r->nblocks, sizeof *r->blocks);
    pledgex_block *nb = &r->blocks[r->nblocks++];
    *nb = *b;
    nb->kind = dup_or_null(b->kind);
    nb->text = dup_or_null(b->text);
    return PLEDGEX_OK;
}

static int h_set_attr(pledgex_ctx *ctx, const char *key, const char *value)
{
    harness_result *r = ctx->r;
    r->attr_keys = grow(r->attr_keys, r->nattrs, sizeof(char *));
    r->attr_values = grow(r->attr_values, r->nattrs, sizeof(char *));
    r->attr_keys[r->nattrs] = dup_or_null(key);
    r->attr_values[r->nattrs++] = dup_or_null(value);
    return PLEDGEX_OK;
}

static int h_emit_child_file(pledgex_ctx *ctx, const char *member, const char *path)
{
    harness_result *r = ctx->r;
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t size = 0;
    if (f) {
        size_t cap = 0, k;
        char chunk[65536];
        while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (size + k + 1 > cap) {
                cap = (size + k + 1) * 2;
                data = realloc(data, cap);
            }
            memcpy(data + size, chunk, k);
            size += k;
        }
        fclose(f);
    }
    if (!data)
        data = calloc(1, 1);
    data[size] = 0;
    r->child_names = grow(r->child_names, r->nchildren, sizeof(char *));
    r->child_data = grow(r->child_data, r->nchildren, sizeof(char *));
    r->child_sizes = grow(r->child_sizes, r->nchildren, sizeof(size_t));
    r->child_names[r->nchildren] = dup_or_null(member);
    r->child_data[r->nchildren] = data;
    r->child_sizes[r->nchildren++] = size;
    return PLEDGEX_OK;
}

static int h_record_member(pledgex_ctx *ctx, const char *member, int status,
                           const char *reason)
{
    harness_result *r = ctx->r;
    r->record_names = grow(r->record_names, r->nrecords, sizeof(char *));
    r->record_reasons = grow(r->record_reasons, r->nrecords, sizeof(char *));
    r->record_status = grow(r->record_status, r->nrecords, sizeof(int));
    r->record_names[r->nrecords] = dup_or_null(member);
    r->record_reasons[r->nrecords] = dup_or_null(reason);
    r->record_status[r->nrecords++] = status;
    return PLEDGEX_OK;
}

static int h_delegate(pledgex_ctx *ctx, const char *plugin, const char *path,
                      const char *mime, int page_offset, char *err, size_t errlen)
{
    const char *why = NULL;
    const pledgex_plugin *p = harness_load(plugin, &why);
    if (!p) {
        snprintf(err, errlen, "no plugin %s: %s", plugin, why ? why : "?");
        return PLEDGEX_SKIP;
    }
    harness_result *sub = harness_run(p, path, mime);
    for (size_t i = 0; i < sub->nblocks; i++) {
        pledgex_block b = sub->blocks[i];
        b.page += page_offset;
        h_emit_block(ctx, &b);
    }
    for (size_t i = 0; i < sub->nattrs; i++)
        h_set_attr(ctx, sub->attr_keys[i], sub->attr_values[i]);
    int rc = sub->rc;
    if (rc != PLEDGEX_OK)
        snprintf(err, errlen, "%s", sub->err);
    harness_result_free(sub);
    return rc;
}

static void h_progress(pledgex_ctx *ctx, double f, const char *what)
{
    (void)ctx;
    (void)f;
    (void)what;
}

static int64_t h_limit(pledgex_ctx *ctx, const char *name, int64_t fallback)
{
    (void)ctx;
    for (size_t i = 0; i < nlimits; i++)
        if (!strcmp(limits[i].name, name))
            return limits[i].value;
    return fallback;
}

static const char *h_option(pledgex_ctx *ctx, const char *name)
{
    (void)ctx;
    for (size_t i = 0; i < noptions; i++)
        if (!strcmp(options[i].name, name))
            return options[i].value;
    return NULL;
}

static int h_cancelled(pledgex_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static void h_warn(pledgex_ctx *ctx, const char *message)
{
    harness_result *r = ctx->r;
    r->warnings = grow(r->warnings, r->nwarnings, sizeof(char *));
    r->warnings[r->nwarnings++] = dup_or_null(message);
}

static const char *h_tmpdir(pledgex_ctx *ctx)
{
    return ctx->tmpdir;
}

static char *h_doc_text(pledgex_ctx *ctx, size_t first, size_t *count)
{
    harness_result *r = ctx->r;
    if (count)
        *count = r->nblocks;
    if (first >= r->nblocks)
        return NULL;
    size_t len = 1;
    for (size_t i = first; i < r->nblocks; i++)
        len += strlen(r->blocks[i].text ? r->blocks[i].text : "") + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = 0;
    for (size_t i = first; i < r->nblocks; i++) {
        if (i > first)
            strcat(s, "\n");
        strcat(s, r->blocks[i].text ? r->blocks[i].text : "");
    }
    return s;
}

/* Handoffs (ABI 1.2): one list for a top-level run and the delegates it
 * makes, released when the top-level run ends, as the host does at the end
 * of a document. */
static struct handoff {
    struct handoff *next;
    char *path, *kind;
    void *object;
    void (*release)(void *);
} *handoffs;
static int run_depth;
static harness_handoff_counts counts;

static int h_handoff_put(pledgex_ctx *ctx, const char *path, const char *kind, void *object,
                         void (*release)(void *))
{
    (void)ctx;
    struct handoff *h = calloc(1, sizeof *h);
    h->path = dup_or_null(path);
    h->kind = dup_or_null(kind);
    h->object = object;
    h->release = release;
    h->next = handoffs;
    handoffs = h;
    counts.put++;
    return PLEDGEX_OK;
}

static void *h_handoff_take(pledgex_ctx *ctx, const char *path, const char *kind)
{
    (void)ctx;
    for (struct handoff **p = &handoffs; *p; p = &(*p)->next) {
        struct handoff *h = *p;
        if (strcmp(h->path, path) || strcmp(h->kind, kind))
            continue;
        *p = h->next;
        void *o = h->object;
        free(h->path);
        free(h->kind);
        free(h);
        counts.taken++;
        return o;
    }
    return NULL;
}

static void handoffs_release(void)
{
    while (handoffs) {
        struct handoff *h = handoffs;
        handoffs = h->next;
        if (h->release)
            h->release(h->object);
        free(h->path);
        free(h->kind);
        free(h);
        counts.released++;
    }
}

harness_handoff_counts harness_handoffs(void)
{
    return counts;
}

static const pledgex_host harness_host = {
    sizeof(pledgex_host), PLEDGEX_PLUGIN_ABI_MAJOR, PLEDGEX_PLUGIN_ABI_MINOR,
    h_emit_block, h_set_attr, h_emit_child_file, h_record_member, h_delegate,
    h_progress, h_limit, h_option, h_cancelled, h_warn, h_tmpdir, h_doc_text,
    h_handoff_put, h_handoff_take,
};

/* Loaded plugins and their states, kept for the life of the test program. */
static struct {
    char name[64];
    const pledgex_plugin *p;
    void *state;
} loaded[16];
static size_t nloaded;

static void *state_of(const pledgex_plugin *p)
{
    for (size_t i = 0; i < nloaded; i++)
        if (loaded[i].p == p)
            return loaded[i].state;
    return NULL;
}

const pledgex_plugin *harness_load(const char *name, const char **why)
{
    static char reason[8192];
    for (size_t i = 0; i < nloaded; i++)
        if (!strcmp(loaded[i].name, name))
            return loaded[i].p;
    const char *path = getenv("PLEDGEX_PLUGIN_PATH");
    if (!path) {
        *why = "PLEDGEX_PLUGIN_PATH is not set";
        return NULL;
    }
    char *copy = strdup(path);
    const pledgex_plugin *found = NULL;
    reason[0] = 0;
    for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s.so", dir, name);
        if (access(file, R_OK) != 0)
            continue;
        void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            snprintf(reason, sizeof reason, "%s", dlerror());
            continue;
        }
        pledgex_plugin_entry_fn entry = (pledgex_plugin_entry_fn)(uintptr_t)dlsym(h, PLEDGEX_PLUGIN_ENTRY);
        if (!entry) {
            snprintf(reason, sizeof reason, "%.4000s: no entry symbol", file);
            continue;
        }
        const pledgex_plugin *p = entry();
        void *state = NULL;
        char err[512] = "";
        if (p->init && p->init(&harness_host, &state, err, sizeof err) != PLEDGEX_OK) {
            snprintf(reason, sizeof reason, "%.4000s: init failed: %.500s", file, err);
            continue;
        }
        if (nloaded < 16) {
            snprintf(loaded[nloaded].name, sizeof loaded[0].name, "%s", name);
            loaded[nloaded].p = p;
            loaded[nloaded++].state = state;
        }
        found = p;
    }
    free(copy);
    if (!found)
        *why = reason[0] ? reason : "plugin not found on PLEDGEX_PLUGIN_PATH";
    return found;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

harness_result *harness_run(const pledgex_plugin *plugin, const char *path,
                            const char *mime)
{
    harness_result *r = calloc(1, sizeof *r);
    struct pledgex_ctx ctx = {.r = r};
    snprintf(ctx.tmpdir, sizeof ctx.tmpdir, "%s/pxh.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(ctx.tmpdir)) {
        r->rc = PLEDGEX_FATAL;
        snprintf(r->err, sizeof r->err, "mkdtemp failed");
        return r;
    }
    struct stat st;
    const char *slash = strrchr(path, '/');
    pledgex_input in = {
        .address = path,
        .name = slash ? slash + 1 : path,
        .path = path,
        .mime = mime,
        .size = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0,
        .depth = 0,
    };
    if (run_depth++ == 0)
        memset(&counts, 0, sizeof counts);
    r->rc = plugin->process(state_of(plugin), &harness_host, &ctx, &in, r->err,
                            sizeof r->err);
    if (--run_depth == 0)
        handoffs_release();
    remove_tree(ctx.tmpdir);
    return r;
}

const char *harness_text(harness_result *r)
{
    /* Stored after the warnings array's slot would be awkward; keep it in
     * the first attribute-free place: a static per result is enough. */
    size_t len = 1;
    for (size_t i = 0; i < r->nblocks; i++)
        len += strlen(r->blocks[i].text ? r->blocks[i].text : "") + 1;
    char *s = malloc(len);
    s[0] = 0;
    for (size_t i = 0; i < r->nblocks; i++) {
        strcat(s, r->blocks[i].text ? r->blocks[i].text : "");
        strcat(s, "\n");
    }
    /* Keep it owned by r: append as a warning-less hidden attribute. */
    r->attr_keys = grow(r->attr_keys, r->nattrs, sizeof(char *));
    r->attr_values = grow(r->attr_values, r->nattrs, sizeof(char *));
    r->attr_keys[r->nattrs] = strdup("\x01harness.text");
    r->attr_values[r->nattrs++] = s;
    return s;
}

const char *harness_attr(const harness_result *r, const char *key)
{
    for (size_t i = 0; i < r->nattrs; i++)
        if (!strcmp(r->attr_keys[i], key))
            return r->attr_values[i];
    return NULL;
}

int harness_lang_installed(const char *name)
{
    const char *dirs[] = {getenv("TESSDATA_PREFIX"), "/usr/share/tesseract-ocr/5/tessdata",
                          "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i])
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s.traineddata", dirs[i], name);
        if (access(p, R_OK) == 0)
            return 1;
        snprintf(p, sizeof p, "%s/tessdata/%s.traineddata", dirs[i], name);
        if (access(p, R_OK) == 0)
            return 1;
    }
    return 0;
}

int harness_entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

size_t harness_attr_count(const harness_result *r, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nattrs; i++)
        n += !strcmp(r->attr_keys[i], key);
    return n;
}

int harness_has_attr_value(const harness_result *r, const char *key, const char *value)
{
    for (size_t i = 0; i < r->nattrs; i++)
        if (!strcmp(r->attr_keys[i], key) && r->attr_values[i] &&
            !strcmp(r->attr_values[i], value))
            return 1;
    return 0;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void harness_result_free(harness_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nblocks; i++) {
        free((char *)r->blocks[i].kind);
        free((char *)r->blocks[i].text);
    }
    free(r->blocks);
    free_strings(r->attr_keys, r->nattrs);
    free_strings(r->attr_values, r->nattrs);
    free_strings(r->child_names, r->nchildren);
    free_strings(r->child_data, r->nchildren);
    free(r->child_sizes);
    free_strings(r->record_names, r->nrecords);
    free_strings(r->record_reasons, r->nrecords);
    free(r->record_status);
    free_strings(r->warnings, r->nwarnings);
    free(r);
}
