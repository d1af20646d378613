/*
 * pledgex.h -- public interface of libpledgex.
 *
 * libpledgex turns files (scans, photos, articles, archives of them) into a
 * searchable archive of Vietnamese emulation pledges.  The pieces:
 *
 *   pledgex_engine   plugins, type detection, limits and options
 *   pledgex_index    the store (embedded SQLite + FTS5 by default)
 *   pledgex_ingest() the pipeline: input -> plugin -> extraction -> index
 *   pledgex_search() / pledgex_export() read the archive back
 *
 * Conventions (after SQLite and libarchive):
 *   - Handles are opaque.  Functions that can fail return a graded int
 *     (PLEDGEX_OK, PLEDGEX_WARN, PLEDGEX_SKIP, PLEDGEX_FAILED, PLEDGEX_FATAL)
 *     and leave a message on the handle, read with *_errmsg().
 *   - *_free(&p) accepts a pointer to NULL and sets the caller's pointer to
 *     NULL.
 *   - Strings returned as `const char *` are borrowed from the handle and
 *     valid until the next call on it; `char *` results are the caller's to
 *     free() unless said otherwise.
 *   - The library never prints and never exits.
 *   - A handle is used by one thread at a time; different handles (an
 *     engine and an index each per thread, say) may be used at once.
 */
#ifndef PLEDGEX_H
#define PLEDGEX_H

#include <stddef.h>
#include <stdint.h>

#include "pledgex-plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PLEDGEX_VERSION "0.1.0"
const char *pledgex_version(void);

/* ---------------------------------------------------------------- engine */

typedef struct pledgex_engine pledgex_engine;

int pledgex_engine_new(pledgex_engine **out);
void pledgex_engine_free(pledgex_engine **engine);
const char *pledgex_engine_errmsg(const pledgex_engine *engine);

/* Loads plugins from, in order: `dir` (may be NULL), every directory of
 * $PLEDGEX_PLUGIN_PATH (colon-separated), then the installed plugin dir.
 * A file that is not a valid plugin is refused with a reason (see
 * pledgex_engine_refusal) and the others load.  Returns PLEDGEX_OK, or
 * PLEDGEX_WARN when something was refused, or PLEDGEX_FATAL when no plugin
 * at all could be loaded.  Before the first plugin is opened,
 * OMP_THREAD_LIMIT is set to 1 unless the caller set it: each worker
 * process reads one input on one core (OpenMP threads in every worker
 * would oversubscribe the cores several times over). */
int pledgex_engine_load_plugins(pledgex_engine *engine, const char *dir);

/* Loads one plugin file (absolute or relative path). */
int pledgex_engine_load_plugin_file(pledgex_engine *engine, const char *file);

size_t pledgex_engine_plugin_count(const pledgex_engine *engine);
/* Borrowed descriptor and file of plugin i. */
const pledgex_plugin *pledgex_engine_plugin(const pledgex_engine *engine, size_t i,
                                            const char **file);
/* Refusals recorded while loading: file and reason, borrowed. */
size_t pledgex_engine_refusal_count(const pledgex_engine *engine);
int pledgex_engine_refusal(const pledgex_engine *engine, size_t i, const char **file,
                           const char **reason);

/* Limits and options (see pledgex-plugin.h for the names).  Values are
 * copied. */
int pledgex_engine_set_limit(pledgex_engine *engine, const char *name, int64_t value);
int64_t pledgex_engine_limit(const pledgex_engine *engine, const char *name,
                             int64_t fallback);
int pledgex_engine_set_option(pledgex_engine *engine, const char *name,
                              const char *value);
const char *pledgex_engine_option(const pledgex_engine *engine, const char *name);

/* Detection: MIME type of a file (libmagic, the extension as fallback and
 * tie-breaker) and the plugin that would take it (NULL when none).
 * *mime is the caller's to free. */
int pledgex_detect(pledgex_engine *engine, const char *path, char **mime,
                   const pledgex_plugin **plugin);

/* ----------------------------------------------------------------- index */

typedef struct pledgex_index pledgex_index;

/* Opens (creating and migrating when needed) an index.  `uri` is a file name
 * for the embedded SQLite backend ("sqlite:FILE" also works); other schemes
 * name other backends.  On failure *out is NULL and err holds the reason. */
int pledgex_index_open(pledgex_index **out, const char *uri, char *err, size_t errlen);
void pledgex_index_free(pledgex_index **index);
const char *pledgex_index_errmsg(const pledgex_index *index);

/* ---------------------------------------------------------------- ingest */

/* Events reported while ingesting (all strings borrowed for the call). */
typedef enum pledgex_event_type {
    PLEDGEX_EVENT_START,    /* total = number of top-level inputs known        */
    PLEDGEX_EVENT_FILE,     /* a document is being processed: address          */
    PLEDGEX_EVENT_DONE,     /* a document ended: address, status, message      */
    PLEDGEX_EVENT_WARNING,  /* address, message                                 */
    PLEDGEX_EVENT_FINISH    /* all done                                         */
} pledgex_event_type;

typedef struct pledgex_event {
    pledgex_event_type type;
    const char *address;
    const char *status;   /* "ok", "failed", "skipped", "unchanged"            */
    const char *message;
    size_t done, total;   /* top-level inputs done / known                     */
    size_t pages;         /* pages read in this document (DONE)                */
    const char *pdf;      /* searchable PDF written for it (DONE), or NULL     */
} pledgex_event;

typedef void (*pledgex_event_fn)(void *user, const pledgex_event *event);

typedef struct pledgex_ingest_stats {
    size_t ok, failed, skipped, unchanged, pages, needs_review;
    double seconds;
} pledgex_ingest_stats;

/* Ingests files and directories (walked recursively in byte order of names).
 * `jobs` worker processes (0 = in-process, for debugging).  Each document is
 * committed in its own transaction, so an interruption never leaves half a
 * document.  Returns PLEDGEX_OK when every input was ok, PLEDGEX_WARN when
 * some failed (and the rest were indexed), PLEDGEX_FATAL on an index error.
 * The message on the engine says what went wrong. */
int pledgex_ingest(pledgex_engine *engine, pledgex_index *index,
                   const char *const *paths, size_t npaths, int jobs,
                   pledgex_event_fn on_event, void *user,
                   pledgex_ingest_stats *stats);

/* Asks a running pledgex_ingest() to stop after committing what is done.
 * Async-signal-safe: call it from a SIGINT handler. */
void pledgex_engine_cancel(pledgex_engine *engine);

/* ---------------------------------------------------------------- search */

typedef struct pledgex_query {
    const char *text;       /* what the user typed                       */
    const char *unit;       /* filter: unit (canonical or alias)  or NULL */
    const char *signed_by;  /* filter: signatory unit or person or NULL    */
    const char *from, *to;  /* filter: ISO dates, partial allowed, or NULL */
    const char *kind;       /* scan|photo|article|text or NULL            */
    int year;               /* 0 = any                                    */
    int limit;              /* 0 = 20                                     */
    int offset;
    int all_copies;         /* 1: identical copies (same SHA-256: a photo
                               in its folder, in a ZIP, in a tar) are hits
                               of their own; 0: one hit lists the others  */
} pledgex_query;

typedef struct pledgex_hit {
    const char *address;
    double score;           /* larger is better */
    int page;
    const char *snippet;    /* matched words between \x02 and \x03       */
    const char *units;      /* JSON array of canonical unit names         */
    const char *dates;      /* JSON array of date values                  */
    const char *copies;     /* JSON array of the addresses of identical
                               copies found by the query, "[]" if none   */
} pledgex_hit;

/* Returns 1 to stop early. */
typedef int (*pledgex_hit_fn)(void *user, const pledgex_hit *hit);

/* Runs a query.  A query the parser cannot take is PLEDGEX_FAILED with a
 * message, never a crash.  *nhits (may be NULL) receives the hit count. */
int pledgex_search(pledgex_index *index, const pledgex_query *query,
                   pledgex_hit_fn on_hit, void *user, size_t *nhits);

/* Suggestions for a query that found nothing ("did you mean"): a
 * NUL-separated, double-NUL-terminated list the caller frees, or NULL. */
char *pledgex_suggest(pledgex_index *index, const char *text);

/* Facets of a query: counts of matching documents by unit ("unit") and by
 * year ("year").  Returns 1 from fn to stop. */
typedef int (*pledgex_facet_fn)(void *user, const char *facet, const char *value, long count);
int pledgex_facets(pledgex_index *index, const pledgex_query *query, pledgex_facet_fn fn,
                   void *user);

/* Canonical units with the number of documents naming them and the years
 * of those documents ("2023,2024"). */
typedef int (*pledgex_unit_fn)(void *user, const char *unit, long docs, const char *years);
int pledgex_units(pledgex_index *index, pledgex_unit_fn fn, void *user);

/* ---------------------------------------------------------------- export */

/* Called once per document with its JSON object (one line, no newline). */
typedef int (*pledgex_json_fn)(void *user, const char *json, size_t len);

/* Every document in address order as JSON objects (the export format). */
int pledgex_export(pledgex_index *index, pledgex_json_fn on_doc, void *user);

/* One document (and its entities and links) as JSON; *json is the caller's
 * to free.  PLEDGEX_SKIP when there is no such address. */
int pledgex_show(pledgex_index *index, const char *address, char **json);
/* The same as text for a person to read. */
int pledgex_show_text(pledgex_index *index, const char *address, char **text);

#ifdef __cplusplus
}
#endif
#endif /* PLEDGEX_H */
