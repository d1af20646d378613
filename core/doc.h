/*
 * doc.h -- (internal) the document record that flows from a worker to the
 * index writer: what a plugin found in one input, plus what extraction found
 * in that text.  Every string is owned by the document (malloc'd copies).
 */
#ifndef PLEDGEX_DOC_H
#define PLEDGEX_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "pledgex-plugin.h"

typedef struct pledgex_doc_block {
    char *kind;
    int page;
    char *text;
    double confidence;
    unsigned flags;
} pledgex_doc_block;

typedef struct pledgex_doc_attr {
    char *key;
    char *value;
} pledgex_doc_attr;

/* An extracted entity.  Meaning of the fields by type:
 *   "unit"       text = as found, value = canonical name, role = level/NULL
 *   "date"       text = as found, value = ISO 8601 (2024-03-19, 2023-07,
 *                2023-Q4, 2024, 2021/2025), role = document|published|event|
 *                deadline|period|taken|NULL
 *   "commitment" text = item text, role = item|section|movement|count
 *                (count: value = "stated N found M" when they differ)
 *   "person"     text = name, role = rank/role ("Giám đốc"), value = unit
 *   "signatory"  text = unit as found, value = canonical, role = "Cụm trưởng"
 */
typedef struct pledgex_doc_entity {
    char *type;
    char *text;
    char *value;
    char *role;
} pledgex_doc_entity;

typedef struct pledgex_doc {
    char *address;   /* full address, "a.zip!b/c.jpg"                        */
    char *parent;    /* address of the containing archive, or NULL           */
    char *name;      /* last component                                        */
    char *sha256;    /* hex                                                   */
    char *mime;
    char *plugin;    /* plugin that read it, or NULL                          */
    int status;      /* PLEDGEX_OK, PLEDGEX_SKIP, PLEDGEX_FAILED             */
    char *error;     /* reason, or NULL                                       */
    uint64_t size;
    int64_t mtime;   /* seconds since the epoch, file's own date             */
    int depth;
    uint64_t task;   /* id of the top-level task that produced it: a changed
                        archive's old members are those of another task */

    pledgex_doc_block *blocks;
    size_t nblocks, cap_blocks;
    pledgex_doc_attr *attrs;
    size_t nattrs, cap_attrs;
    pledgex_doc_entity *entities;
    size_t nentities, cap_entities;
} pledgex_doc;

pledgex_doc *pledgex__doc_new(const char *address);
void pledgex__doc_free(pledgex_doc **doc);

int pledgex__doc_add_block(pledgex_doc *doc, const char *kind, int page,
                           const char *text, double confidence, unsigned flags);
int pledgex__doc_add_attr(pledgex_doc *doc, const char *key, const char *value);
/* First value of an attribute, or NULL (borrowed). */
const char *pledgex__doc_attr(const pledgex_doc *doc, const char *key);
/* fields may be NULL. */
int pledgex__doc_add_entity(pledgex_doc *doc, const char *type, const char *text,
                            const char *value, const char *role);
/* All blocks' text in reading order joined by blank lines; caller frees. */
char *pledgex__doc_text(const pledgex_doc *doc);
/* Replace a string field (frees the old one, copies the new; NULL allowed). */
int pledgex__doc_set(char **field, const char *value);

/* Flat binary serialisation, for worker processes -> writer pipes. */
int pledgex__doc_serialize(const pledgex_doc *doc, unsigned char **out, size_t *len);
int pledgex__doc_deserialize(const unsigned char *buf, size_t len, pledgex_doc **out);

#endif
