/*
 * xphrase.h -- (internal to core/extract) tables of phrases indexed by their
 * first word, so a rule asks "which entries may start at word i?" and
 * compares only those, instead of every entry at every word.
 *
 * The extractors' tables (unit heads, levels, titles, the gazetteer) are
 * lists of shadow phrases ("uy ban nhan dan") tried in order at each word;
 * scanning them whole was most of the cost of extraction.  An index keeps
 * the entries of one first word in table order, so "first match wins" and
 * "longest match wins" rules behave as before.
 */
#ifndef PLEDGEX_EXTRACT_XPHRASE_H
#define PLEDGEX_EXTRACT_XPHRASE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "xtext.h"

#define PX_PHRASE_END ((size_t)-1)

typedef struct px_phrase_index px_phrase_index;

/* Indexes n phrases: phrase k is the string pointer found `offset` bytes
 * into element k of an array of `stride`-byte elements at base (so a table
 * of structs whose member holds the phrase is indexed in place).  The
 * strings must outlive the index.  NULL when out of memory. */
px_phrase_index *pledgex__xphrase_new(const void *base, size_t n, size_t stride, size_t offset);
void pledgex__xphrase_free(px_phrase_index *x);

/* Hash of a shadow word, as px_word.h holds it. */
uint32_t pledgex__xphrase_hash(const char *s, size_t n);

/* The first entry whose first word is word i's, then the next ones, in
 * table order; PX_PHRASE_END after the last.  The caller still checks the
 * whole phrase (pledgex__xw_seq): equal hashes are candidates only. */
size_t pledgex__xphrase_first(const px_phrase_index *x, const px_text *t, size_t i);
size_t pledgex__xphrase_next(const px_phrase_index *x, size_t k);

/* The index of a static table, built on first use, once per process (the
 * tables never change; the index lives as long as the program).  TABLE
 * is an array of TYPE whose MEMBER holds the phrase; LIST an array of
 * strings.  NULL when out of memory: callers then scan the table. */
#define PX_PHRASE_TABLE(slot, table, type, member)                                             \
    pledgex__xphrase_once(&(slot), (table), sizeof(table) / sizeof((table)[0]), sizeof(type), \
                          offsetof(type, member))
#define PX_PHRASE_LIST(slot, list)                                                            \
    pledgex__xphrase_once(&(slot), (list), sizeof(list) / sizeof((list)[0]), sizeof((list)[0]), 0)
const px_phrase_index *pledgex__xphrase_once(px_phrase_index *_Atomic *slot, const void *base,
                                             size_t n, size_t stride, size_t offset);

#endif
