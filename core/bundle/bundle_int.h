/*
 * bundle_int.h -- (internal) the parts of pack and verify:
 *   pack_collect.c  inputs -> the list of originals (archives expanded
 *                   member by member into a private temporary directory)
 *   pack.c          naming, hashing, the ZIP, pledgex_pack()
 *   pack_manifest.c metadata pass, manifest.json, captions.csv
 *   verify.c        the ZIP against its manifest
 *   bundle_json.c   reading values back out of the export JSON / manifest
 */
#ifndef PLEDGEX_BUNDLE_INT_H
#define PLEDGEX_BUNDLE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pledgex-bundle.h"
#include "engine.h"

#define BUNDLE_MANIFEST "manifest.json"
#define BUNDLE_CAPTIONS "captions.csv"
#define BUNDLE_ORIGINALS "originals/"
#define BUNDLE_FORMAT "pledgex-bundle"
#define BUNDLE_FORMAT_VERSION 1

/* One original to store. */
typedef struct bundle_entry {
    char *path;    /* in the bundle: "originals/..."                         */
    char *address; /* as the index knows it: "dir/x.zip!a/b.jpg"             */
    char *file;    /* where its bytes are now (the input or a temporary copy) */
    char *mime;
    uint64_t size;
    int64_t mtime; /* the file's own date (member date inside an archive)     */
    char sha256[65];
} bundle_entry;

typedef struct bundle_list {
    bundle_entry *v;
    size_t n, cap;
    char **tops;  /* the top-level inputs read, as pledgex_ingest names them */
    size_t ntops;
} bundle_list;

/* Lists the originals of `paths` into out (addresses as pledgex_ingest gives
 * them), extracting archive members into files under tmpdir.  The file
 * `output` (the bundle, when it exists already) is left out.  Things not
 * stored are reported through warn and counted in *skipped.  Returns
 * PLEDGEX_OK or PLEDGEX_FATAL (message on the engine). */
int pledgex__bundle_collect(pledgex_engine *e, const char *const *paths, size_t npaths,
                            const char *tmpdir, const char *output, bundle_list *out,
                            pledgex_pack_warn_fn warn, void *user, size_t *skipped);
void pledgex__bundle_list_free(bundle_list *l);

/* The pipeline's documents of the packed inputs (pack_manifest.c), sorted
 * by address. */
typedef struct bundle_meta {
    char **json;
    char **address;
    size_t n, cap;
} bundle_meta;

/* Runs the pipeline over `paths` into an index under tmpdir and keeps every
 * exported document.  PLEDGEX_OK or PLEDGEX_FATAL (message on the engine). */
int pledgex__bundle_metadata(pledgex_engine *e, const char *const *paths, size_t npaths,
                             const char *tmpdir, const pledgex_pack_options *o,
                             bundle_meta *m);
/* The exported JSON of `address` (borrowed), or NULL. */
const char *pledgex__bundle_meta_find(const bundle_meta *m, const char *address);
void pledgex__bundle_meta_free(bundle_meta *m);

/* manifest.json and captions.csv (caller frees both) for the entries of l
 * that have a path, with what m knows of them; *newest gets the latest
 * modification date (the date of those two members); stats count the
 * files.  PLEDGEX_OK or PLEDGEX_FATAL (out of memory). */
int pledgex__bundle_documents(const bundle_list *l, const bundle_meta *m, char **manifest,
                              char **csv, int64_t *newest, pledgex_pack_stats *stats);

/* JSON reading (bundle_json.c).  Values are spans of the input text.
 * pledgex__bj_member: the raw value of `key` in the object at json[0..len)
 * (its own keys only, not nested ones); 0 when found. */
int pledgex__bj_member(const char *json, size_t len, const char *key, const char **val,
                       size_t *vlen);
/* Next element of the array whose text is [*p, end): *p starts after '[' or
 * after the previous element.  0 with the element's span, -1 at the end. */
int pledgex__bj_next(const char **p, const char *end, const char **val, size_t *vlen);
/* A JSON string literal decoded to UTF-8 (caller frees), or NULL when the
 * span is not a string. */
char *pledgex__bj_string(const char *val, size_t vlen);
/* Every string value of `key`, at any depth in the span, joined with sep
 * (caller frees; "" when none). */
char *pledgex__bj_strings(const char *val, size_t vlen, const char *key, const char *sep);

/* SHA-256 of a file as hex, and its size. */
int pledgex__bundle_hash(const char *file, char hex[65], uint64_t *size, char *err,
                         size_t errlen);

#endif
