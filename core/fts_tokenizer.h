/*
 * fts_tokenizer.h -- (internal) the "pledgex" FTS5 tokenizer.
 *
 * It wraps unicode61 (which splits and lower-cases but keeps diacritics) and
 * rewrites each token in its xToken shim:
 *   document:  the exact form (tone placement made canonical: uỷ = ủy) and,
 *              at the same position (FTS5_TOKEN_COLOCATED), the accent-free
 *              form with đ -> d, which unicode61 cannot fold;
 *   query:     the exact form only.
 * A query folded to ASCII before it reaches FTS5 therefore matches every
 * accent variant, while the query as typed matches only exact accents: the
 * search ranks the second set first.
 */
#ifndef PLEDGEX_FTS_TOKENIZER_H
#define PLEDGEX_FTS_TOKENIZER_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* A set of FTS rowids (block ids) passed to pxfeat() with
 * sqlite3_bind_pointer(st, i, set, PLEDGEX_ROWSET_TYPE, NULL). */
typedef struct pledgex_rowset {
    const uint64_t *bits;
    sqlite3_int64 n; /* bits */
} pledgex_rowset;
#define PLEDGEX_ROWSET_TYPE "pledgex_rowset"

/* Registers the tokenizer and the pxfeat() ranking features function
 * (see fts_tokenizer.c) on db. */
int pledgex__fts_register(sqlite3 *db, char *err, size_t errlen);

#endif
