/*
 * pledgex-bundle.h -- archival bundles (public): `pledgex pack` and `pledgex verify`.
 *
 * A bundle is a ZIP (libzip) holding
 *   originals/PATH          every input file as it was (members of input
 *                           archives too: "x.zip!a/b.jpg" is stored as
 *                           "originals/x.zip!/a/b.jpg"), JPEGs and other
 *                           compressed types stored, text deflated;
 *   manifest.json           per file: path in the bundle, original address,
 *                           SHA-256, size, MIME, modification date, and what
 *                           the pipeline found (caption, credit, date taken,
 *                           units, people); the SHA-256 of captions.csv;
 *   captions.csv            path, address, caption, credit, taken, units,
 *                           people: UTF-8 with a BOM (spreadsheets then read
 *                           Vietnamese correctly), RFC 4180 quoting, CRLF.
 * The same inputs give the same bytes: entries sorted by path, timestamps
 * from the files' own dates (as UTC DOS times), no extra fields, fixed
 * attributes.  With a password, members are AES-256 encrypted (the random
 * salt then makes each bundle's bytes differ).  The bundle is written to a
 * temporary file in the output's directory and renamed into place, so an
 * interrupted pack never leaves a half-written bundle under its name.
 */
#ifndef PLEDGEX_BUNDLE_H
#define PLEDGEX_BUNDLE_H

#include <stddef.h>

#include "pledgex.h"

typedef struct pledgex_pack_options {
    const char *password; /* AES-256 when non-NULL (never from argv)        */
    int jobs;             /* worker processes of the metadata pass          */
    int no_metadata;      /* skip the pipeline: hashes, sizes, types only   */
    pledgex_event_fn on_event; /* progress of the metadata pass, or NULL    */
    void *user;
} pledgex_pack_options;

typedef struct pledgex_pack_stats {
    size_t files;      /* originals stored                                  */
    size_t skipped;    /* inputs or members not stored (warned about)       */
    unsigned long long bytes; /* bytes of originals                         */
} pledgex_pack_stats;

/* Called for each thing not stored (a link, an unreadable member...). */
typedef void (*pledgex_pack_warn_fn)(void *user, const char *address, const char *reason);

/* Packs the files, directories (walked recursively) and archives (expanded
 * member by member, recursively, up to the engine's max_depth) in `paths`
 * into the bundle `output`.  Archives are read with the engine's plugins'
 * type detection; the metadata pass runs the pipeline into a private
 * temporary index.  Returns PLEDGEX_OK, PLEDGEX_WARN when something was not
 * stored (warn says what), or PLEDGEX_FAILED / PLEDGEX_FATAL with the reason
 * on the engine (pledgex_engine_errmsg); the output is then untouched. */
int pledgex_pack(pledgex_engine *engine, const char *const *paths, size_t npaths,
                 const char *output, const pledgex_pack_options *options,
                 pledgex_pack_warn_fn warn, void *user, pledgex_pack_stats *stats);

/* One problem found by pledgex_verify: kind is "changed", "missing" or
 * "added"; path is the member's path in the bundle; detail says more. */
typedef void (*pledgex_verify_fn)(void *user, const char *kind, const char *path,
                                  const char *detail);

/* Checks every member of `bundle` against its manifest.  Returns PLEDGEX_OK
 * when everything matches, PLEDGEX_FAILED when something was changed,
 * missing or added (each reported through fn, counted in *problems), or
 * PLEDGEX_FATAL when the bundle or its manifest cannot be read (reason in
 * err). */
int pledgex_verify(const char *bundle, const char *password, pledgex_verify_fn fn,
                   void *user, size_t *problems, char *err, size_t errlen);

#endif
