/*
 * fuzz_host.c -- the host side of the plugin fuzz harnesses (fuzz_host.h).
 *
 * It behaves like core/host.c where that matters to a plugin: block texts
 * and attribute values go through pledgex__nfc (so the normaliser is fuzzed
 * too), delegation to a plugin that is not here returns PLEDGEX_SKIP, and a
 * child file is read back and, up to FUZZ_MAX_DEPTH, handed to the same
 * plugin again, as the pipeline does with an archive inside an archive.
 * Limits are small so one input stays fast: the fuzzer looks for wrong
 * code, not for slow inputs that the worker watchdog already handles.
 */
#include <config.h>

#include "fuzz_host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "textnorm.h"

#define FUZZ_MAX_DEPTH 2
#define FUZZ_ERRLEN 512

struct pledgex_ctx {
    const pledgex_plugin *plugin;
    const char *mime;
    char tmpdir[4096];
    int depth;
    char **blocks; /* texts emitted so far (NFC), for doc_text */
    size_t nblocks;
};

static char base_dir[4096];
static char input_path[4200];
static void *plugin_state;
static unsigned child_seq;

static void breach(const char *what)
{
    fprintf(stderr, "fuzz_host: plugin ABI breach: %s\n", what);
    abort();
}

/* Removes a tree without following links (a plugin may have left any). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
                chmod(p, 0700);
                remove_tree(p);
            } else {
                unlink(p);
            }
        }
        closedir(d);
    }
    rmdir(dir);
}

static void cleanup(void)
{
    if (base_dir[0])
        remove_tree(base_dir);
}

static int h_emit_block(pledgex_ctx *ctx, const pledgex_block *b)
{
    if (!b || !b->text)
        breach("emit_block without text");
    char *t = pledgex__nfc(b->text, strlen(b->text), NULL);
    if (!t)
        return PLEDGEX_FATAL;
    if (b->kind)
        (void)strlen(b->kind);
    char **g = realloc(ctx->blocks, (ctx->nblocks + 1) * sizeof *g);
    if (!g) {
        free(t);
        return PLEDGEX_FATAL;
    }
    ctx->blocks = g;
    ctx->blocks[ctx->nblocks++] = t;
    return PLEDGEX_OK;
}

static int h_set_attr(pledgex_ctx *ctx, const char *key, const char *value)
{
    (void)ctx;
    if (!key)
        breach("set_attr without a key");
    if (!value)
        return PLEDGEX_OK;
    char *v = pledgex__nfc(value, strlen(value), NULL);
    if (!v)
        return PLEDGEX_FATAL;
    free(v);
    return PLEDGEX_OK;
}

static int run_in(const pledgex_plugin *plugin, const char *path, const char *name,
                  const char *mime, int depth);

static int h_emit_child_file(pledgex_ctx *ctx, const char *member, const char *path)
{
    if (!member || !path)
        breach("emit_child_file without a member name or path");
    char *m = pledgex__nfc(member, strlen(member), NULL);
    free(m);
    size_t n = strlen(ctx->tmpdir);
    if (strncmp(path, ctx->tmpdir, n) || path[n] != '/' || strstr(path + n, "/../"))
        breach("emit_child_file with a file outside tmpdir()");
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        breach("emit_child_file with something that is not a regular file");
    if (ctx->depth + 1 > FUZZ_MAX_DEPTH)
        return PLEDGEX_SKIP;
    return run_in(ctx->plugin, path, member, ctx->mime, ctx->depth + 1);
}

static int h_record_member(pledgex_ctx *ctx, const char *member, int status,
                           const char *reason)
{
    (void)ctx;
    (void)status;
    if (!member)
        breach("record_member without a member name");
    (void)strlen(member);
    if (reason)
        (void)strlen(reason);
    return PLEDGEX_OK;
}

static int h_delegate(pledgex_ctx *ctx, const char *plugin, const char *path,
                      const char *mime, int page_offset, char *err, size_t errlen)
{
    (void)ctx;
    (void)page_offset;
    (void)mime;
    if (!plugin || !path)
        breach("delegate without a plugin name or path");
    snprintf(err, errlen, "plugin '%s' is not loaded", plugin);
    return PLEDGEX_SKIP;
}

static void h_progress(pledgex_ctx *ctx, double fraction, const char *what)
{
    (void)ctx;
    (void)fraction;
    if (what)
        (void)strlen(what);
}

static int64_t h_limit(pledgex_ctx *ctx, const char *name, int64_t fallback)
{
    (void)ctx;
    static const struct {
        const char *name;
        int64_t value;
    } small[] = {
        {"max_pixels", 4000000},        {"page_timeout_s", 5},
        {"max_depth", FUZZ_MAX_DEPTH},  {"max_member_bytes", 1 << 20},
        {"max_total_bytes", 4 << 20},   {"max_ratio", 100},
        {"max_members", 200},           {"max_pages", 4},
        {"max_text_bytes", 1 << 20},    {"jobs", 1},
    };
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
        if (!strcmp(small[i].name, name))
            return small[i].value;
    return fallback;
}

static const char *h_option(pledgex_ctx *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

static int h_cancelled(pledgex_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static void h_warn(pledgex_ctx *ctx, const char *message)
{
    (void)ctx;
    if (message)
        (void)strlen(message);
}

static const char *h_tmpdir(pledgex_ctx *ctx)
{
    return ctx->tmpdir;
}

/* The blocks from `first` on, joined by newlines (ABI 1.1). */
static char *h_doc_text(pledgex_ctx *ctx, size_t first, size_t *count)
{
    if (count)
        *count = ctx->nblocks;
    if (first >= ctx->nblocks)
        return NULL;
    size_t len = 1;
    for (size_t i = first; i < ctx->nblocks; i++)
        len += strlen(ctx->blocks[i]) + 1;
    char *s = malloc(len), *w = s;
    if (!s)
        return NULL;
    for (size_t i = first; i < ctx->nblocks; i++) {
        size_t n = strlen(ctx->blocks[i]);
        memcpy(w, ctx->blocks[i], n);
        w += n;
        *w++ = i + 1 < ctx->nblocks ? '\n' : 0;
    }
    *w = 0;
    return s;
}

static const pledgex_host fuzz_host = {
    sizeof(pledgex_host), PLEDGEX_PLUGIN_ABI_MAJOR, PLEDGEX_PLUGIN_ABI_MINOR,
    h_emit_block, h_set_attr, h_emit_child_file, h_record_member, h_delegate,
    h_progress, h_limit, h_option, h_cancelled, h_warn, h_tmpdir, h_doc_text,
};

void fuzz_host_init(const pledgex_plugin *plugin)
{
    if (base_dir[0])
        return;
    const char *t = getenv("TMPDIR");
    snprintf(base_dir, sizeof base_dir, "%s/pledgex-fuzz.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(base_dir)) {
        fprintf(stderr, "fuzz_host: mkdtemp %s: %s\n", base_dir, strerror(errno));
        abort();
    }
    atexit(cleanup);
    snprintf(input_path, sizeof input_path, "%s/input", base_dir);
    if (plugin && plugin->init) {
        char err[FUZZ_ERRLEN] = "";
        if (plugin->init(&fuzz_host, &plugin_state, err, sizeof err) != PLEDGEX_OK) {
            fprintf(stderr, "fuzz_host: %s: init failed: %s\n", plugin->name, err);
            abort();
        }
    }
}

const char *fuzz_host_input_path(void)
{
    return input_path;
}

static void check_reason(int rc, const char *err, size_t errlen)
{
    if (rc != PLEDGEX_OK && rc != PLEDGEX_WARN && rc != PLEDGEX_SKIP && rc != PLEDGEX_FAILED) {
        char what[96];
        snprintf(what, sizeof what, "process() returned %d", rc);
        breach(what);
    }
    if (!memchr(err, 0, errlen))
        breach("process() left err without a terminating NUL");
    if ((rc == PLEDGEX_SKIP || rc == PLEDGEX_FAILED) && !err[0])
        breach("process() failed or skipped without a reason");
}

static int run_in(const pledgex_plugin *plugin, const char *path, const char *name,
                  const char *mime, int depth)
{
    pledgex_ctx ctx = {.plugin = plugin, .mime = mime, .depth = depth};
    snprintf(ctx.tmpdir, sizeof ctx.tmpdir, "%s/run%u", base_dir, child_seq++);
    if (mkdir(ctx.tmpdir, 0700) != 0) {
        fprintf(stderr, "fuzz_host: mkdir %s: %s\n", ctx.tmpdir, strerror(errno));
        abort();
    }
    struct stat st;
    pledgex_input in = {
        .address = name,
        .name = name,
        .path = path,
        .mime = mime,
        .size = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0,
        .depth = depth,
    };
    /* Heap-allocated at its exact size, so ASan sees a write past errlen. */
    char *err = malloc(FUZZ_ERRLEN);
    if (!err)
        abort();
    err[0] = 0;
    int rc = plugin->process(plugin_state, &fuzz_host, &ctx, &in, err, FUZZ_ERRLEN);
    check_reason(rc, err, FUZZ_ERRLEN);
    free(err);
    for (size_t i = 0; i < ctx.nblocks; i++)
        free(ctx.blocks[i]);
    free(ctx.blocks);
    remove_tree(ctx.tmpdir);
    return rc;
}

void fuzz_host_write_input(const uint8_t *data, size_t size)
{
    int fd = open(input_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "fuzz_host: %s: %s\n", input_path, strerror(errno));
        abort();
    }
    for (size_t off = 0; off < size;) {
        ssize_t k = write(fd, data + off, size - off);
        if (k <= 0) {
            fprintf(stderr, "fuzz_host: write: %s\n", strerror(errno));
            abort();
        }
        off += (size_t)k;
    }
    close(fd);
}

int fuzz_host_run_file(const pledgex_plugin *plugin, const uint8_t *data, size_t size,
                       const char *mime)
{
    fuzz_host_write_input(data, size);
    child_seq = 0;
    return run_in(plugin, input_path, "input", mime, 0);
}

const char *fuzz_host_pick_mime(const pledgex_plugin *plugin, uint8_t selector)
{
    const char *exact[32];
    size_t n = 0;
    for (const pledgex_claim *c = plugin->claims; c && c->mime && n < 32; c++)
        if (!strchr(c->mime, '*'))
            exact[n++] = c->mime;
    return n ? exact[selector % n] : "application/octet-stream";
}
