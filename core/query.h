/*
 * query.h -- (internal) what a user types into a search box, turned into an
 * FTS5 expression.  Words are ANDed; "quoted phrases", prefix*, OR, NOT (or
 * a leading -word), AND and parentheses work; every word is passed to FTS5
 * as a quoted string, so no user input is ever FTS5 syntax by accident.
 */
#ifndef PLEDGEX_QUERY_H
#define PLEDGEX_QUERY_H

#include <stddef.h>

/* Translates `user`.  With fold, words are reduced to their accent-free
 * form (matches every accent variant); without, kept as typed (matches the
 * exact accents only).  *has_accents (may be NULL) tells whether any word
 * carries a diacritic or đ.  Returns PLEDGEX_OK, or PLEDGEX_FAILED with a
 * message for a query that cannot be parsed. */
int pledgex__query_to_fts(const char *user, int fold, char **out, int *has_accents, char *err,
                          size_t errlen);

/* As pledgex__query_to_fts, and *words (may be NULL) receives the words
 * the query looks for (not those it excludes), space-separated, in the
 * same form (folded or as typed), a prefix word ending with '*': what a
 * snippet highlights.  Caller frees. */
int pledgex__query_parse(const char *user, int fold, char **out, int *has_accents, char **words,
                         char *err, size_t errlen);

/* The phrases of an expression made by pledgex__query_to_fts, in the
 * order FTS5 numbers them, each as an FTS5 expression of its own ("word",
 * "a phrase", "prefix"*).  *out is a NULL-terminated array the caller frees
 * with pledgex__query_phrases_free.  Returns the count, or -1 when out of
 * memory. */
int pledgex__query_phrases(const char *fts, char ***out);
void pledgex__query_phrases_free(char ***phrases);

/* Inclusive ISO bounds of a date value ("2023" -> 2023-01-01..2023-12-31,
 * "2023-Q4", "2023-07", "2024-03-19", "2021/2025").  0 on success. */
int pledgex__date_bounds(const char *value, char start[11], char end[11]);

#endif
