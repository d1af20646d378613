/*
 * pack_collect.c -- the originals a bundle stores: the files of the inputs
 * (directories walked as pledgex_ingest walks them) and, for archives, their
 * members, extracted one by one into the private temporary directory with
 * libarchive and named exactly as the archive plugin names them (same
 * decoding, same sanitising, NFC as the host does), so each original's
 * address matches its document in the index.  Nested archives are expanded
 * down to the engine's max_depth; deeper ones are stored whole.
 */
#include <config.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../plugins/archive/archive_int.h"
#include "bundle_int.h"
#include "pipeline.h"
#include "textnorm.h"

typedef struct collect {
    pledgex_engine *e;
    const char *tmpdir;
    bundle_list *out;
    pledgex_pack_warn_fn warn;
    void *user;
    size_t *skipped;
    unsigned long counter;
    int64_t max_depth, max_member_bytes;
    const char *password;
    int oom;
} collect;

static void skip(collect *c, const char *address, const char *reason)
{
    (*c->skipped)++;
    if (c->warn)
        c->warn(c->user, address, reason);
}

static int add(collect *c, const char *address, const char *file, const char *mime,
               int64_t mtime)
{
    if (c->out->n == c->out->cap) {
        size_t cap = c->out->cap ? c->out->cap * 2 : 64;
        bundle_entry *v = realloc(c->out->v, cap * sizeof *v);
        if (!v)
            return c->oom = 1, -1;
        c->out->v = v;
        c->out->cap = cap;
    }
    bundle_entry *b = &c->out->v[c->out->n];
    memset(b, 0, sizeof *b);
    b->address = strdup(address);
    b->file = strdup(file);
    b->mime = strdup(mime ? mime : "application/octet-stream");
    b->mtime = mtime;
    if (!b->address || !b->file || !b->mime) {
        free(b->address), free(b->file), free(b->mime);
        return c->oom = 1, -1;
    }
    c->out->n++;
    return 0;
}

/* Whether the engine routes this type to the archive plugin. */
static int is_archive(collect *c, const char *mime)
{
    const pledgex_loaded_plugin *lp = pledgex__route(c->e, mime);
    return lp && !strcmp(lp->desc->name, "archive");
}

/* The member's address part as the host shows it: NFC, no controls. */
static char *display(const char *name)
{
    char *s = pledgex__nfc(name, strlen(name), NULL);
    if (s)
        for (char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    return s;
}

static int expand(collect *c, const char *path, const char *address, const char *name,
                  int depth);

/* One input or member: an archive is expanded, anything else stored. */
static int visit(collect *c, const char *path, const char *address, const char *name,
                 int depth, int64_t mtime)
{
    char *mime = NULL;
    char err[1024];
    if (pledgex__detect_mime(c->e, path, name, &mime, err, sizeof err) != PLEDGEX_OK) {
        skip(c, address, err);
        return 0;
    }
    int rc;
    if (is_archive(c, mime) && depth < c->max_depth) {
        rc = expand(c, path, address, name, depth);
        if (rc > 0) { /* not readable as an archive after all: keep it whole */
            rc = add(c, address, path, mime, mtime);
        }
    } else {
        rc = add(c, address, path, mime, mtime);
    }
    free(mime);
    return rc < 0 ? -1 : 0;
}

static struct archive *open_archive(const char *path, const char *pw, int raw)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_filter_all(a);
    if (raw) {
        archive_read_support_format_raw(a);
    } else {
        archive_read_support_format_all(a);
        archive_read_support_format_empty(a);
    }
    if (pw)
        archive_read_add_passphrase(a, pw);
    if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK ||
        (raw && archive_filter_count(a) < 2)) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* Copies the current entry's data into a new file; 0 on success. */
static int extract(struct archive *a, const char *file, int64_t max, char *why, size_t n)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, n, "cannot create a temporary file: %s", strerror(errno));
        return -1;
    }
    static char buf[64 * 1024];
    int64_t total = 0;
    int rc = 0;
    for (;;) {
        la_ssize_t k = archive_read_data(a, buf, sizeof buf);
        if (k == 0)
            break;
        if (k == ARCHIVE_WARN)
            continue;
        if (k < 0) {
            const char *e = archive_error_string(a);
            snprintf(why, n, "%s", e ? e : "cannot decode the member");
            rc = -1;
            break;
        }
        total += k;
        if (total > max) {
            snprintf(why, n, "larger than %lld bytes (--max-member-bytes)", (long long)max);
            rc = -1;
            break;
        }
        for (char *p = buf; k > 0;) {
            ssize_t w = write(fd, p, (size_t)k);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                snprintf(why, n, "cannot write a temporary file: %s", strerror(errno));
                rc = -1;
                k = 0;
                break;
            }
            p += w;
            k -= w;
        }
        if (rc)
            break;
    }
    if (close(fd) != 0 && !rc) {
        snprintf(why, n, "cannot write a temporary file: %s", strerror(errno));
        rc = -1;
    }
    if (rc)
        unlink(file);
    return rc;
}

/* Expands one archive.  Returns 1 when it is no archive libarchive reads
 * (the caller stores it whole), 0 when done, -1 when out of memory. */
static int expand(collect *c, const char *path, const char *address, const char *name,
                  int depth)
{
    int raw = 0;
    struct archive *a = open_archive(path, c->password, 0);
    if (!a) {
        raw = 1;
        a = open_archive(path, c->password, 1);
        if (!a)
            return 1;
    }
    struct archive_entry *e;
    int rc = 0, entries = 0;
    for (;;) {
        if (c->e->cancel)
            break; /* the caller reports the interruption */
        int h = archive_read_next_header(a, &e);
        if (h == ARCHIVE_EOF)
            break;
        if (h == ARCHIVE_RETRY || (h == ARCHIVE_FAILED && e))
            continue;
        if (h == ARCHIVE_FATAL || h == ARCHIVE_FAILED) {
            if (entries == 0 && !raw) { /* a compressed file, not an archive */
                archive_read_free(a);
                raw = 1;
                a = open_archive(path, c->password, 1);
                if (!a)
                    return 1;
                continue;
            }
            const char *m = archive_error_string(a);
            char why[1200];
            snprintf(why, sizeof why, "damaged archive: %s; members after this point "
                     "are not stored", m ? m : "unreadable header");
            skip(c, address, why);
            break;
        }
        entries++;
        if (!raw && archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e))
            continue;
        char *decoded;
        if (raw) {
            decoded = pledgex__arc_raw_name(name);
        } else {
            const char *rn = archive_entry_pathname(e);
            if (!rn)
                rn = archive_entry_pathname_utf8(e);
            int zip = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
            decoded = pledgex__arc_member_name(rn, zip, NULL, NULL);
        }
        char *member = decoded ? display(decoded) : NULL;
        free(decoded);
        char *maddr = member ? malloc(strlen(address) + strlen(member) + 2) : NULL;
        if (!maddr) {
            free(member);
            rc = -1;
            break;
        }
        sprintf(maddr, "%s!%s", address, member);
        int regular = raw || (archive_entry_filetype(e) == AE_IFREG ||
                              archive_entry_filetype(e) == 0);
        /* As the plugin: a hard link carrying data (cpio) is data. */
        int link_only = archive_entry_hardlink(e) &&
                        !(archive_entry_size_is_set(e) && archive_entry_size(e) > 0);
        if (link_only || !regular) {
            skip(c, maddr, "a link or special file: not stored");
        } else if (!strncmp(member, "__MACOSX/", 9)) {
            skip(c, maddr, "macOS resource fork: not stored");
        } else {
            char file[4096], why[1200];
            snprintf(file, sizeof file, "%s/p%lu", c->tmpdir, ++c->counter);
            size_t before = c->out->n;
            if (extract(a, file, c->max_member_bytes, why, sizeof why) != 0) {
                skip(c, maddr, why);
            } else {
                if (visit(c, file, maddr, member, depth + 1,
                          archive_entry_mtime_is_set(e) ? archive_entry_mtime(e) : 0) < 0)
                    rc = -1;
                /* A nested archive whose members were extracted is not
                 * needed any more: one copy of each byte on disk. */
                int kept = 0;
                for (size_t k = before; k < c->out->n; k++)
                    kept |= !strcmp(c->out->v[k].file, file);
                if (!kept)
                    unlink(file);
            }
        }
        free(maddr);
        free(member);
        if (rc)
            break;
    }
    archive_read_free(a);
    return rc;
}

int pledgex__bundle_collect(pledgex_engine *e, const char *const *paths, size_t npaths,
                            const char *tmpdir, const char *output, bundle_list *out,
                            pledgex_pack_warn_fn warn, void *user, size_t *skipped)
{
    /* The bundle being replaced may sit among the inputs (pack -o d/b.zip
     * d): it is never packed into itself. */
    struct stat ost;
    int have_output = output && stat(output, &ost) == 0;
    collect c = {
        .e = e, .tmpdir = tmpdir, .out = out, .warn = warn, .user = user, .skipped = skipped,
        .max_depth = pledgex_engine_limit(e, "max_depth", 10),
        .max_member_bytes = pledgex_engine_limit(e, "max_member_bytes", 1LL << 30),
        .password = pledgex_engine_option(e, "password"),
    };
    pledgex_task *tasks = NULL;
    size_t ntasks = 0;
    int rc = pledgex__walk(e, paths, npaths, 0, &tasks, &ntasks);
    if (rc != PLEDGEX_OK)
        return rc;
    /* Member names come out of libarchive as UTF-8 (see the plugin). */
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
    for (size_t i = 0; i < ntasks && !c.oom && !e->cancel; i++) {
        if (tasks[i].skip) {
            skip(&c, tasks[i].address, tasks[i].skip);
            continue;
        }
        struct stat st;
        if (stat(tasks[i].path, &st) != 0 || !S_ISREG(st.st_mode)) {
            skip(&c, tasks[i].address, "not a regular file");
            continue;
        }
        if (have_output && st.st_dev == ost.st_dev && st.st_ino == ost.st_ino)
            continue;
        char **tops = realloc(out->tops, (out->ntops + 1) * sizeof *tops);
        if (!tops || !(tops[out->ntops] = strdup(tasks[i].address))) {
            if (tops)
                out->tops = tops;
            c.oom = 1;
            break;
        }
        out->tops = tops;
        out->ntops++;
        const char *slash = strrchr(tasks[i].address, '/');
        if (visit(&c, tasks[i].path, tasks[i].address,
                  slash ? slash + 1 : tasks[i].address, 0, st.st_mtime) < 0)
            break;
    }
    if (utf8) {
        uselocale(old);
        freelocale(utf8);
    }
    pledgex__tasks_free(tasks, ntasks);
    if (c.oom)
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory while listing inputs");
    if (e->cancel)
        return pledgex__engine_error(e, PLEDGEX_FAILED, "interrupted; nothing was written");
    return PLEDGEX_OK;
}

void pledgex__bundle_list_free(bundle_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].address);
        free(l->v[i].file);
        free(l->v[i].mime);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
    for (size_t i = 0; i < l->ntops; i++)
        free(l->tops[i]);
    free(l->tops);
    l->tops = NULL;
    l->ntops = 0;
}
