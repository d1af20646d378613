/*
 * plugin_loader.c -- finds plugin modules, dlopens them, checks the
 * descriptor and refuses bad ones with a reason (after GNU libextractor's
 * plugpath and GStreamer's registry: a broken plugin is disabled and
 * reported, never fatal).
 *
 * Search order: the directory given (--plugin-dir), then $PLEDGEX_PLUGIN_PATH
 * (colon-separated), then the build tree (only when the running program is
 * itself in the build tree, so `make check` and the README work uninstalled),
 * then the installed $(pkglibdir).  The first plugin of a name wins; a later
 * one of the same name is refused as a duplicate.
 */
#include <config.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

/* Refusals and duplicate checks of one load call. */
static int refuse(pledgex_engine *e, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(pledgex_engine *e, const char *file, const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    void *p = realloc(e->refusals, (e->nrefusals + 1) * sizeof *e->refusals);
    if (!p)
        return PLEDGEX_FATAL;
    e->refusals = p;
    e->refusals[e->nrefusals].file = strdup(file);
    e->refusals[e->nrefusals].reason = strdup(reason);
    e->nrefusals++;
    pledgex__engine_error(e, PLEDGEX_WARN, "%s: %s", file, reason);
    return PLEDGEX_WARN;
}

static int valid_name(const char *name)
{
    if (!name || !*name || strlen(name) > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

static const pledgex_host *host_table(void);

/* Whether this very file (same device and inode) is loaded already: the
 * search path may name one directory twice (PLEDGEX_PLUGIN_PATH and the
 * build tree), which is no conflict. */
static int already_loaded(const pledgex_engine *e, const char *file)
{
    struct stat a, b;
    if (stat(file, &a) != 0)
        return 0;
    for (size_t i = 0; i < e->nplugins; i++)
        if (stat(e->plugins[i].file, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
            return 1;
    return 0;
}

/* Parallelism comes from worker processes (-j N, one per core): OpenMP
 * threads inside each worker's tesseract would multiply that by the core
 * count again.  libgomp reads OMP_THREAD_LIMIT once, when it is loaded,
 * which is when the first plugin linking it (OCR) is opened, so the limit
 * is set before any plugin is.  Measured on 6 pages at -j 1 on 2 cores:
 * 7.2 s with one thread, 27.8 s (10 s of it in the kernel) without.  A
 * limit the caller set is kept. */
static void one_thread_per_worker(void)
{
    if (!getenv("OMP_THREAD_LIMIT"))
        setenv("OMP_THREAD_LIMIT", "1", 0);
}

int pledgex_engine_load_plugin_file(pledgex_engine *e, const char *file)
{
    one_thread_per_worker();
    if (already_loaded(e, file))
        return PLEDGEX_OK;
    /* Peek at the first bytes: dlopen's message for a text file is cryptic. */
    FILE *f = fopen(file, "rb");
    if (!f)
        return refuse(e, file, "cannot open: %s", strerror(errno));
    unsigned char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    if (n < 4 || memcmp(magic, "\x7f" "ELF", 4) != 0)
        return refuse(e, file, "not a shared object (no ELF header)");

    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return refuse(e, file, "cannot load: %s", dlerror());
    pledgex_plugin_entry_fn entry =
        (pledgex_plugin_entry_fn)(uintptr_t)dlsym(h, PLEDGEX_PLUGIN_ENTRY);
    if (!entry)
        return refuse(e, file, "not a pledgex plugin: no %s symbol", PLEDGEX_PLUGIN_ENTRY);
    /* The handle stays open even when refused past this point: a module may
     * have run constructors and unloading it is not safe in general. */
    const pledgex_plugin *d = entry();
    if (!d)
        return refuse(e, file, "%s returned no descriptor", PLEDGEX_PLUGIN_ENTRY);
    if (d->abi_major != PLEDGEX_PLUGIN_ABI_MAJOR)
        return refuse(e, file, "ABI version %u.%u, this pledgex speaks %u.%u", d->abi_major,
                      d->abi_minor, PLEDGEX_PLUGIN_ABI_MAJOR, PLEDGEX_PLUGIN_ABI_MINOR);
    if (d->abi_minor > PLEDGEX_PLUGIN_ABI_MINOR)
        return refuse(e, file, "needs ABI %u.%u, newer than this pledgex's %u.%u",
                      d->abi_major, d->abi_minor, PLEDGEX_PLUGIN_ABI_MAJOR,
                      PLEDGEX_PLUGIN_ABI_MINOR);
    if (!valid_name(d->name))
        return refuse(e, file, "invalid plugin name");
    if (!d->process || !d->claims || !d->version)
        return refuse(e, file, "descriptor of '%s' lacks process, claims or version", d->name);
    for (size_t i = 0; i < e->nplugins; i++)
        if (!strcmp(e->plugins[i].desc->name, d->name))
            return refuse(e, file, "duplicate plugin name '%s' (already loaded from %s)",
                          d->name, e->plugins[i].file);
    void *state = NULL;
    if (d->init) {
        char err[1024] = "";
        int rc = d->init(host_table(), &state, err, sizeof err);
        if (rc != PLEDGEX_OK && rc != PLEDGEX_WARN)
            return refuse(e, file, "init of '%s' failed: %s", d->name,
                          err[0] ? err : "no reason given");
    }
    void *p = realloc(e->plugins, (e->nplugins + 1) * sizeof *e->plugins);
    if (!p) {
        if (d->fini)
            d->fini(state);
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    }
    e->plugins = p;
    pledgex_loaded_plugin *lp = &e->plugins[e->nplugins];
    lp->file = strdup(file);
    lp->handle = h;
    lp->desc = d;
    lp->state = state;
    e->nplugins++;
    return PLEDGEX_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_so(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && !strcmp(name + n - 3, ".so");
}

/* Loads *.so in dir, and in dir/<sub>/.libs (a libtool build tree), in name
 * order. */
static int load_dir(pledgex_engine *e, const char *dir, int build_tree)
{
    DIR *d = opendir(dir);
    if (!d)
        return PLEDGEX_SKIP;
    char **names = NULL;
    size_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (ent->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        if (build_tree) {
            /* plugins/NAME/.libs/NAME.so */
            char so[8192 + 512];
            snprintf(so, sizeof so, "%s/.libs/%s.so", path, ent->d_name);
            if (strlen(so) >= sizeof path || access(so, R_OK) != 0)
                continue;
            memcpy(path, so, strlen(so) + 1);
        } else if (!ends_with_so(ent->d_name)) {
            continue;
        }
        char **g = realloc(names, (n + 1) * sizeof *names);
        if (!g)
            break;
        names = g;
        names[n++] = strdup(path);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (names[i])
            pledgex_engine_load_plugin_file(e, names[i]);
        free(names[i]);
    }
    free(names);
    return PLEDGEX_OK;
}

/* Whether this program runs from the build tree (libtool puts the real
 * binary in .libs/ beside the wrapper). */
static int running_in_build_tree(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = 0;
    size_t k = strlen(PLEDGEX_BUILD_DIR);
    return strncmp(exe, PLEDGEX_BUILD_DIR, k) == 0 && exe[k] == '/';
}

int pledgex_engine_load_plugins(pledgex_engine *e, const char *dir)
{
    size_t before = e->nrefusals;
    if (dir) {
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return pledgex__engine_error(e, PLEDGEX_FATAL, "%s: plugin directory not found", dir);
        load_dir(e, dir, 0);
    }
    const char *env = getenv("PLEDGEX_PLUGIN_PATH");
    if (env && *env) {
        char *copy = strdup(env);
        char *save = NULL;
        for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
            load_dir(e, p, 0);
        free(copy);
    }
    if (running_in_build_tree())
        load_dir(e, PLEDGEX_BUILD_DIR "/plugins", 1);
    load_dir(e, PLEDGEX_PLUGIN_DIR, 0);
    if (e->nplugins == 0)
        return pledgex__engine_error(e, PLEDGEX_FATAL,
                                     "no plugin could be loaded (searched %s%s$PLEDGEX_PLUGIN_PATH "
                                     "and %s)",
                                     dir ? dir : "", dir ? ", " : "", PLEDGEX_PLUGIN_DIR);
    return e->nrefusals > before ? PLEDGEX_WARN : PLEDGEX_OK;
}

size_t pledgex_engine_plugin_count(const pledgex_engine *e)
{
    return e->nplugins;
}

const pledgex_plugin *pledgex_engine_plugin(const pledgex_engine *e, size_t i, const char **file)
{
    if (i >= e->nplugins)
        return NULL;
    if (file)
        *file = e->plugins[i].file;
    return e->plugins[i].desc;
}

size_t pledgex_engine_refusal_count(const pledgex_engine *e)
{
    return e->nrefusals;
}

int pledgex_engine_refusal(const pledgex_engine *e, size_t i, const char **file,
                           const char **reason)
{
    if (i >= e->nrefusals)
        return PLEDGEX_FAILED;
    *file = e->refusals[i].file;
    *reason = e->refusals[i].reason;
    return PLEDGEX_OK;
}

/* How well `pattern` matches `mime`: 3 exact, 2 a prefix ending in a star,
 * 1 any type, 0 no match. */
static int match(const char *pattern, const char *mime)
{
    if (!strcmp(pattern, mime))
        return 3;
    if (!strcmp(pattern, "*/*") || !strcmp(pattern, "*"))
        return 1;
    size_t n = strlen(pattern);
    if (n >= 2 && pattern[n - 1] == '*') {
        if (!strncmp(pattern, mime, n - 1))
            return 2;
    }
    return 0;
}

const pledgex_loaded_plugin *pledgex__route(const pledgex_engine *e, const char *mime)
{
    const pledgex_loaded_plugin *best = NULL;
    long best_score = -1;
    for (size_t i = 0; i < e->nplugins; i++) {
        for (const pledgex_claim *c = e->plugins[i].desc->claims; c->mime; c++) {
            int m = match(c->mime, mime);
            if (!m)
                continue;
            long score = (long)c->priority * 4 + m;
            if (score > best_score) {
                best_score = score;
                best = &e->plugins[i];
            }
        }
    }
    return best;
}

const pledgex_loaded_plugin *pledgex__plugin_by_name(const pledgex_engine *e, const char *name)
{
    for (size_t i = 0; i < e->nplugins; i++)
        if (!strcmp(e->plugins[i].desc->name, name))
            return &e->plugins[i];
    return NULL;
}

/* The host table lives in host.c; init() receives it too so a plugin can
 * keep it. */
extern const pledgex_host pledgex__host;
static const pledgex_host *host_table(void)
{
    return &pledgex__host;
}
