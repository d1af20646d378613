/*
 * index.h -- (internal) the storage interface.  The embedded SQLite backend
 * (index_sqlite.c) is the default; a server backend implements the same
 * table of operations and registers a URI scheme in index.c.
 */
#ifndef PLEDGEX_INDEX_H
#define PLEDGEX_INDEX_H

#include <stddef.h>

#include "doc.h"
#include "pledgex.h"

typedef struct pledgex_index_ops {
    const char *scheme; /* "sqlite" */
    int (*open)(pledgex_index *ix, const char *location);
    void (*close)(pledgex_index *ix);
    /* sha256 (caller frees) and status of a stored document, PLEDGEX_SKIP
     * when absent. */
    int (*lookup)(pledgex_index *ix, const char *address, char **sha256, int *status);
    /* Stores one document in one transaction, replacing the rows of the same
     * address; with replace_tree also the rows of its members
     * ("address!..."). */
    int (*put)(pledgex_index *ix, const pledgex_doc *doc, int replace_tree);
    /* Makes every document put so far durable and visible to readers (puts
     * may be batched into larger transactions). */
    int (*flush)(pledgex_index *ix);
    int (*search)(pledgex_index *ix, const pledgex_query *q, pledgex_hit_fn fn, void *user,
                  size_t *nhits);
    char *(*suggest)(pledgex_index *ix, const char *text);
    /* Every document in address order, with the addresses it links to
     * (NUL-separated, double-NUL-terminated, or NULL). */
    int (*each)(pledgex_index *ix, const char *only_address,
                int (*fn)(void *user, const pledgex_doc *doc, const char *links), void *user);
    /* Facets: counts by unit and by year of the documents matching q. */
    int (*facets)(pledgex_index *ix, const pledgex_query *q,
                  int (*fn)(void *user, const char *facet, const char *value, long count),
                  void *user);
    /* Canonical units with document counts and years. */
    int (*units)(pledgex_index *ix,
                 int (*fn)(void *user, const char *unit, long docs, const char *years),
                 void *user);
} pledgex_index_ops;

struct pledgex_index {
    const pledgex_index_ops *ops;
    void *impl;
    char errmsg[2048];
};

extern const pledgex_index_ops pledgex__index_sqlite;

int pledgex__index_error(pledgex_index *ix, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int pledgex__index_lookup(pledgex_index *ix, const char *address, char **sha256, int *status);
int pledgex__index_put(pledgex_index *ix, const pledgex_doc *doc, int replace_tree);
int pledgex__index_flush(pledgex_index *ix);

/* Status names as stored and exported. */
const char *pledgex__status_name(int status);
int pledgex__status_from_name(const char *name);

/* JSON of a document in the export format; caller frees. */
char *pledgex__doc_json(const pledgex_doc *doc, const char *links);
/* The same for a person to read (report.c); caller frees. */
char *pledgex__doc_report(const pledgex_doc *doc, const char *links);

#endif
