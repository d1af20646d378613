/*
 * fts_tokenizer.h -- (internal) the "pledgex" FTS5 tokenizer.
 *
 * It wraps unicode61 (which splits and lower-cases but keeps diacritics) and
 * rewrites each token in its xToken shim:
 *   document:  the exact form (tone placement made canonical: uỷ = ủy); the
 *              pair (accent-free form with đ -> d, exact form) is noted in
 *              the connection's vocabulary, which the writer stores in the
 *              fold_vocab table (pledgex__fts_vocab_store);
 *   query:     the exact form, and for a word without accents, at the same
 *              position (FTS5_TOKEN_COLOCATED), every exact form fold_vocab
 *              lists for it (for the last word of a prefix string, every
 *              beginning of that length).
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

/* The (accent-free, exact) word pairs the connection's tokenizers met in
 * documents and have not stored yet.  Owned by the connection. */
typedef struct pledgex_fts_vocab pledgex_fts_vocab;

/* Registers the tokenizer, the pxfeat() ranking features function and
 * pxsnippet() (see fts_tokenizer.c) on db; *vocab (may be NULL) receives
 * the connection's vocabulary, valid until the connection closes. */
int pledgex__fts_register(sqlite3 *db, pledgex_fts_vocab **vocab, char *err, size_t errlen);

/* Stores the pairs met since the last call in fold_vocab: call it inside
 * the transaction that wrote their documents to the full-text index.
 * Returns an SQLite code; on failure the pairs are forgotten (see below). */
int pledgex__fts_vocab_store(pledgex_fts_vocab *v);

/* After a rollback: pairs already stored by the rolled-back transaction
 * may be gone, so every pair is noted again when next met. */
void pledgex__fts_vocab_forget(pledgex_fts_vocab *v);

#endif
