/*
 * plugin_harness.h -- runs one plugin module on one file with a recording
 * host, so plugin tests need neither the pipeline nor an index.
 */
#ifndef PLEDGEX_PLUGIN_HARNESS_H
#define PLEDGEX_PLUGIN_HARNESS_H

#include <stddef.h>

#include "pledgex-plugin.h"

typedef struct harness_result {
    int rc;                 /* process() return code          */
    char err[1024];         /* its message                    */
    /* Recorded calls, in order. */
    size_t nblocks;
    pledgex_block *blocks;  /* kind/text owned by the result  */
    size_t nattrs;
    char **attr_keys, **attr_values;
    size_t nchildren;
    char **child_names;     /* member names                    */
    char **child_data;      /* member bytes (NUL-terminated copy) */
    size_t *child_sizes;
    size_t nrecords;
    char **record_names, **record_reasons;
    int *record_status;
    size_t nwarnings;
    char **warnings;
} harness_result;

/* What plugins handed to each other through the host (ABI 1.2 handoff)
 * during the last top-level harness_run and its delegates: objects put,
 * taken, and released by the host because nobody took them. */
typedef struct harness_handoff_counts {
    size_t put, taken, released;
} harness_handoff_counts;
harness_handoff_counts harness_handoffs(void);

/* Loads the plugin named `name` ("ocr") from $PLEDGEX_PLUGIN_PATH (the build
 * tree's plugin dirs under make check).  Returns NULL if it cannot be found
 * or loaded; *why says why. */
const pledgex_plugin *harness_load(const char *name, const char **why);

/* Sets a limit/option seen by the plugin through the host (NULL value
 * unsets an option). */
void harness_set_limit(const char *name, long long value);
void harness_set_option(const char *name, const char *value);
void harness_reset_settings(void);

/* Runs plugin->process on `path` with the given MIME type.  The result is the
 * caller's; free with harness_result_free. */
harness_result *harness_run(const pledgex_plugin *plugin, const char *path,
                            const char *mime);
void harness_result_free(harness_result *r);

/* All blocks' text joined by newlines (owned by r, valid until freed). */
const char *harness_text(harness_result *r);
/* First value of an attribute or NULL. */
const char *harness_attr(const harness_result *r, const char *key);
/* 1 when tesseract's traineddata `name` ("vie", "osd") is installed: OCR
 * tests skip (exit 77) without it. */
int harness_lang_installed(const char *name);
/* Number of entries in a directory, 0 when it is missing (tests check that
 * temporary directories are left empty). */
int harness_entries_in(const char *dir);

/* How many values an attribute has. */
size_t harness_attr_count(const harness_result *r, const char *key);
/* 1 when one of an attribute's values is exactly `value`. */
int harness_has_attr_value(const harness_result *r, const char *key, const char *value);

#endif
