/*
 * pipeline.h -- (internal) the stages between a file and the index writer.
 *
 *   walk.c     inputs (files, directories) -> top-level tasks, stable order
 *   process.c  one task: hash, detect, route, run the plugin with the host
 *              services (host.c), recurse into archive members, extract
 *   pool.c     -j N worker processes (crash-isolated, time-limited) or
 *              in-process; the parent is the only writer to the index
 *
 * A task's documents reach the sink children first and the top-level
 * document last: its row is the commit marker that makes a re-run skip it.
 */
#ifndef PLEDGEX_PIPELINE_H
#define PLEDGEX_PIPELINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "engine.h"

typedef struct pledgex_sink {
    /* A finished document (borrowed).  replace_tree: also drop the rows of
     * its old members.  Non-zero return stops the task (index error). */
    int (*put)(void *u, const pledgex_doc *doc, int replace_tree);
    /* Work on `address` starts, with `plugin`. */
    void (*note)(void *u, const char *address, const char *plugin);
    /* The top-level input is unchanged since it was indexed. */
    void (*unchanged)(void *u, const char *address);
    void (*warning)(void *u, const char *address, const char *message);
    /* The plugin made progress (a page done): the watchdog's clock of this
     * input restarts.  May be NULL. */
    void (*progress)(void *u, const char *address);
    void *u;
} pledgex_sink;

typedef struct pledgex_run pledgex_run;
struct pledgex_run {
    pledgex_engine *engine;
    const char *tmpbase;          /* private 0700 directory of this batch   */
    const pledgex_sink *sink;
    volatile sig_atomic_t *cancel;
    /* Per top-level input, shared by its members (archive limits). */
    int64_t expanded_bytes;
    int64_t members;
    uint64_t task;                /* id stamped on every document of it     */
    int sink_failed;
    /* Worker processes only: hands an archive member (a file under
     * tmpbase) to the pool, so other workers read it while this one goes on
     * with the archive.  Returns PLEDGEX_OK when the pool took it (the file
     * is the pool's now), PLEDGEX_SKIP to read it here and now. */
    int (*spool)(pledgex_run *run, const char *address, const char *name, const char *path,
                 const char *parent, int depth);
    void *spool_user;
};

/* Processes one top-level input (and its members).  known_sha: the hash
 * stored for this address, or NULL.  Returns the top-level status. */
int pledgex__process_top(pledgex_run *run, const char *address, const char *path,
                         const char *known_sha);

/* Processes one input at any depth (used for archive members by host.c). */
int pledgex__process_one(pledgex_run *run, const char *address, const char *name,
                         const char *path, const char *parent, int depth,
                         const char *known_sha, int replace_tree);

/* A document with only a status and reason, sent straight to the sink. */
int pledgex__put_status(pledgex_run *run, const char *address, const char *name,
                        const char *parent, int depth, int status, const char *reason);

/* The host services table (host.c). */
extern const pledgex_host pledgex__host;

/* Per-input context handed to plugins (host.c). */
struct pledgex_ctx {
    pledgex_run *run;
    pledgex_doc *doc;
    char *tmpdir;
    int depth;
    int page_offset;
    pledgex_ctx *owner; /* for a delegated call: the context it serves */
    struct pledgex_handoff *handoff; /* objects plugins passed on (host.c) */
};

/* Releases what plugins handed off and nobody took (the end of a
 * document). */
void pledgex__handoff_clear(pledgex_ctx *ctx);

/* Private temporary directories. */
int pledgex__mkdtemp_in(const char *base, const char *prefix, char **out);
void pledgex__remove_tree(const char *path);

/* Walk: top-level inputs from paths. */
typedef struct pledgex_task {
    char *address; /* as given / as found under a directory given */
    char *path;
    const char *skip; /* static reason not to read it (an unfollowed link) */
    int64_t size;     /* bytes when the walk saw a regular file, else -1 */
} pledgex_task;

int pledgex__walk(pledgex_engine *e, const char *const *paths, size_t n, int follow,
                  pledgex_task **tasks, size_t *ntasks);
void pledgex__tasks_free(pledgex_task *tasks, size_t n);

#endif
