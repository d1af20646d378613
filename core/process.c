/*
 * process.c -- one input through the pipeline: hash, detect, route, plugin,
 * extraction, sink.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "pipeline.h"

static int finish(pledgex_run *run, pledgex_doc *doc, int replace_tree)
{
    doc->task = run->task;
    int rc = run->sink->put(run->sink->u, doc, replace_tree);
    if (rc)
        run->sink_failed = 1;
    int status = doc->status;
    pledgex_doc *d = doc;
    pledgex__doc_free(&d);
    return rc ? PLEDGEX_FATAL : status;
}

static pledgex_doc *new_doc(const char *address, const char *name, const char *parent,
                            int depth)
{
    pledgex_doc *doc = pledgex__doc_new(address);
    if (!doc)
        return NULL;
    if (pledgex__doc_set(&doc->name, name) || pledgex__doc_set(&doc->parent, parent)) {
        pledgex__doc_free(&doc);
        return NULL;
    }
    doc->depth = depth;
    return doc;
}

int pledgex__put_status(pledgex_run *run, const char *address, const char *name,
                        const char *parent, int depth, int status, const char *reason)
{
    pledgex_doc *doc = new_doc(address, name, parent, depth);
    if (!doc)
        return PLEDGEX_FATAL;
    doc->status = status;
    pledgex__doc_set(&doc->error, reason);
    return finish(run, doc, 0);
}

static void fail(pledgex_doc *doc, int status, const char *fmt, const char *arg)
{
    char msg[1200];
    snprintf(msg, sizeof msg, fmt, arg);
    doc->status = status;
    pledgex__doc_set(&doc->error, msg);
}

/* (ingest speed) A file up to this size is read once into memory, hashed
 * and sniffed there, and handed to its plugin (PLEDGEX_HANDOFF_BYTES):
 * opening and reading a small text three times (hash, detection, plugin)
 * was an eighth of a worker's time.  Larger files are streamed. */
#define SMALL_FILE_BYTES (1 << 20)

/* The whole content of the regular file at path, of `size` bytes at its
 * stat(), as a pledgex_file_bytes (the caller's), or NULL: not small, out
 * of memory, or unreadable (the streamed path then reports why). */
static pledgex_file_bytes *read_small(const char *path, off_t size)
{
    if (size < 0 || size > SMALL_FILE_BYTES)
        return NULL;
    size_t cap = (size_t)size + 1; /* + 1: a file that grew is seen to */
    pledgex_file_bytes *b = malloc(sizeof *b + cap + 1);
    if (!b)
        return NULL;
    b->data = (unsigned char *)(b + 1);
    b->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        free(b);
        return NULL;
    }
    for (;;) {
        ssize_t k = read(fd, b->data + b->len, cap - b->len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 || (b->len += (size_t)k) == cap) {
            if (k < 0 || b->len == cap) {
                free(b);
                b = NULL;
            }
            break;
        }
    }
    close(fd);
    if (b)
        b->data[b->len] = 0;
    return b;
}

/* The extractors need the gazetteer once per process. */
static const pledgex_gazetteer *gazetteer(pledgex_engine *e)
{
    if (!e->gazetteer_tried) {
        e->gazetteer_tried = 1;
        char err[512];
        const char *file = pledgex_engine_option(e, "gazetteer");
        if (pledgex__gazetteer_load(&e->gazetteer, file, err, sizeof err) != PLEDGEX_OK)
            e->gazetteer = NULL; /* extraction works without it */
    }
    return e->gazetteer;
}

int pledgex__process_one(pledgex_run *run, const char *address, const char *name,
                         const char *path, const char *parent, int depth,
                         const char *known_sha, int replace_tree)
{
    pledgex_engine *e = run->engine;
    pledgex_doc *doc = new_doc(address, name, parent, depth);
    if (!doc)
        return PLEDGEX_FATAL;
    char err[2048] = "";
    struct stat st;
    if (stat(path, &st) != 0) {
        fail(doc, PLEDGEX_FAILED, "cannot read: %s", strerror(errno));
        return finish(run, doc, replace_tree);
    }
    if (!S_ISREG(st.st_mode)) {
        fail(doc, PLEDGEX_SKIP, "%s", S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        return finish(run, doc, replace_tree);
    }
    doc->size = (uint64_t)st.st_size;
    doc->mtime = st.st_mtime;

    char sha[65];
    pledgex_file_bytes *bytes = read_small(path, st.st_size);
    if (bytes) {
        pledgex__sha256_bytes(bytes->data, bytes->len, sha);
    } else if (pledgex__sha256_file(path, sha, err, sizeof err) != PLEDGEX_OK) {
        fail(doc, PLEDGEX_FAILED, "%s", err);
        return finish(run, doc, replace_tree);
    }
    pledgex__doc_set(&doc->sha256, sha);
    if (known_sha && !strcmp(known_sha, sha)) {
        free(bytes);
        if (run->sink->unchanged)
            run->sink->unchanged(run->sink->u, address);
        pledgex__doc_free(&doc);
        return PLEDGEX_OK;
    }
    if (st.st_size == 0) {
        free(bytes);
        fail(doc, PLEDGEX_FAILED, "%s", "empty file");
        return finish(run, doc, replace_tree);
    }
    char *mime = NULL;
    int rc = pledgex__detect_mime_head(e, path, name, bytes ? bytes->data : NULL,
                                       bytes ? bytes->len : 0, &mime, err, sizeof err);
    if (rc != PLEDGEX_OK) {
        free(bytes);
        fail(doc, PLEDGEX_FAILED, "%s", err);
        return finish(run, doc, replace_tree);
    }
    doc->mime = mime;
    const pledgex_loaded_plugin *lp = pledgex__route(e, mime);
    if (!lp) {
        free(bytes);
        fail(doc, PLEDGEX_SKIP, "no plugin reads %s", mime);
        return finish(run, doc, replace_tree);
    }
    pledgex__doc_set(&doc->plugin, lp->desc->name);
    if (run->sink->note)
        run->sink->note(run->sink->u, address, lp->desc->name);

    pledgex_ctx ctx = {run, doc, NULL, depth, 0, NULL, NULL};
    pledgex_input in = {address, name, path, mime, (uint64_t)st.st_size, depth};
    /* the host owns the bytes from here (a failed put released them) */
    if (bytes)
        pledgex__host.handoff_put(&ctx, path, PLEDGEX_HANDOFF_BYTES, bytes, free);
    err[0] = 0;
    rc = lp->desc->process(lp->state, &pledgex__host, &ctx, &in, err, sizeof err);
    pledgex__handoff_clear(&ctx);
    if (ctx.tmpdir) {
        pledgex__remove_tree(ctx.tmpdir);
        free(ctx.tmpdir);
    }
    if (run->sink_failed) {
        pledgex__doc_free(&doc);
        return PLEDGEX_FATAL;
    }
    switch (rc) {
    case PLEDGEX_OK:
        doc->status = PLEDGEX_OK;
        break;
    case PLEDGEX_WARN:
        doc->status = PLEDGEX_OK;
        if (err[0] && !pledgex__doc_attr(doc, "warning"))
            pledgex__doc_add_attr(doc, "warning", err);
        break;
    case PLEDGEX_SKIP:
        fail(doc, PLEDGEX_SKIP, "%s", err[0] ? err : "skipped by the plugin");
        break;
    default:
        fail(doc, PLEDGEX_FAILED, "%s", err[0] ? err : "the plugin failed without a reason");
        break;
    }
    if (doc->nblocks > 0 || doc->nattrs > 0) {
        char xerr[512];
        pledgex__extract_doc(doc, gazetteer(e), xerr, sizeof xerr);
    }
    return finish(run, doc, replace_tree);
}

int pledgex__process_top(pledgex_run *run, const char *address, const char *path,
                         const char *known_sha)
{
    run->expanded_bytes = 0;
    run->members = 0;
    /* A fresh id per task; randomness only has to avoid reusing the id of
     * the earlier run whose members are to be replaced. */
    uint64_t id = 0;
    if (getrandom(&id, sizeof id, 0) != (ssize_t)sizeof id)
        id = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)run;
    run->task = id | 1; /* never 0, never NULL in the index */
    const char *slash = strrchr(address, '/');
    return pledgex__process_one(run, address, slash ? slash + 1 : address, path, NULL, 0,
                                known_sha, 1);
}
