/*
 * extract.h -- (internal) entity extraction from Vietnamese text: units,
 * dates, commitments, people, signatories.  Pure functions of the text; no
 * I/O except loading the gazetteer.
 */
#ifndef PLEDGEX_EXTRACT_H
#define PLEDGEX_EXTRACT_H

#include <stddef.h>

#include "doc.h"

/* The editable gazetteer of canonical unit names and aliases (TSV:
 * canonical<TAB>alias|alias...<TAB>level).  Optional: extraction works
 * without it.  Opaque. */
typedef struct pledgex_gazetteer pledgex_gazetteer;

/* Loads a gazetteer file; NULL path loads the built-in default search
 * ($PLEDGEX_DATA_DIR/units.tsv, then the installed data dir).  Returns
 * PLEDGEX_OK, or PLEDGEX_FAILED with a message in err. */
int pledgex__gazetteer_load(pledgex_gazetteer **out, const char *path, char *err,
                            size_t errlen);
void pledgex__gazetteer_free(pledgex_gazetteer **gz);

/* Runs every extractor over the document's blocks and attributes (caption,
 * published, taken give context: the year of "ngày 19/3") and appends
 * entities to doc.  gz may be NULL. */
int pledgex__extract_doc(pledgex_doc *doc, const pledgex_gazetteer *gz, char *err,
                         size_t errlen);

/* Canonical form of a unit name, for grouping mentions: NFC, tone placement
 * unified, capitalised as a title ("Ủy ban nhân dân tỉnh Nghệ An"), UBND
 * expanded; words after the unit (a province) kept as written.  Caller
 * frees. */
char *pledgex__unit_canonical(const char *name, const pledgex_gazetteer *gz);

/* The grouping key of a unit name: accent-free lower-case words, "thi đua"
 * after Khối/Cụm dropped ("khoi noi chinh luc luong vu trang").  Canonical
 * names of one unit from different documents (OCR damage, with or without
 * "thi đua") share it.  Caller frees; NULL when out of memory. */
char *pledgex__unit_key(const char *name);

#endif
