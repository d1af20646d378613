/*
 * index_sqlite.h -- (internal) pieces of the SQLite backend shared between
 * its files: storage (index_sqlite.c) and reading by query
 * (index_sqlite_search.c).
 */
#ifndef PLEDGEX_INDEX_SQLITE_H
#define PLEDGEX_INDEX_SQLITE_H

#include <sqlite3.h>

#include "index.h"

sqlite3 *pledgex__sq_db(pledgex_index *ix);

/* A statement of the connection's cache, compiled once per open index and
 * keyed by the address of its SQL text (a static string).  *own is set
 * when it had to be compiled for this caller alone: the cached one is
 * being stepped (a search started from another search's hit callback), or
 * the cache could not grow.  Give it back with pledgex__sq_stmt_done, which resets
 * and unbinds a cached statement and finalizes an own one.  Returns an
 * SQLite code. */
int pledgex__sq_stmt(pledgex_index *ix, const char *sql, sqlite3_stmt **out, int *own);
void pledgex__sq_stmt_done(sqlite3_stmt *st, int own);

/* Registers the reading side's SQL functions on a connection (pxhas(set,
 * id): is id in a bit set bound as a PLEDGEX_ROWSET_TYPE pointer), once
 * per open index.  Returns an SQLite code. */
int pledgex__sq_search_register(sqlite3 *db);
int pledgex__sq_search(pledgex_index *ix, const pledgex_query *q, pledgex_hit_fn fn, void *user,
                       size_t *nhits);
char *pledgex__sq_suggest(pledgex_index *ix, const char *text);
int pledgex__sq_facets(pledgex_index *ix, const pledgex_query *q,
                       int (*fn)(void *, const char *, const char *, long), void *user);
int pledgex__sq_units(pledgex_index *ix, int (*fn)(void *, const char *, long, const char *),
                      void *user);

#endif
