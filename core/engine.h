/*
 * engine.h -- (internal) the engine handle shared by the loader, detection,
 * the pipeline and the CLI.
 */
#ifndef PLEDGEX_ENGINE_H
#define PLEDGEX_ENGINE_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "pledgex.h"

typedef struct pledgex_loaded_plugin {
    char *file;
    void *handle;
    const pledgex_plugin *desc;
    void *state;
} pledgex_loaded_plugin;

typedef struct pledgex_setting {
    char *name;
    char *value;    /* options */
    int64_t number; /* limits  */
} pledgex_setting;

struct pledgex_engine {
    char errmsg[2048];
    pledgex_loaded_plugin *plugins;
    size_t nplugins;
    struct {
        char *file, *reason;
    } *refusals;
    size_t nrefusals;
    pledgex_setting *limits;
    size_t nlimits;
    pledgex_setting *options;
    size_t noptions;
    void *magic;                 /* magic_t, opened on first detection */
    struct pledgex_gazetteer *gazetteer;
    int gazetteer_tried;
    volatile sig_atomic_t cancel; /* set by pledgex_engine_cancel */
};

/* Sets the engine's message (printf-style); returns `code`. */
int pledgex__engine_error(pledgex_engine *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The plugin for a MIME type and file name (NULL when none claims it). */
const pledgex_loaded_plugin *pledgex__route(const pledgex_engine *e, const char *mime);
/* The plugin by name, or NULL. */
const pledgex_loaded_plugin *pledgex__plugin_by_name(const pledgex_engine *e,
                                                     const char *name);

/* MIME type of a file; *mime is the caller's. */
int pledgex__detect_mime(pledgex_engine *e, const char *path, const char *name,
                         char **mime, char *err, size_t errlen);
/* The same, given the file's first `n` bytes (all of them, or at least
 * 8 KB) when the caller has read them already (NULL: read from path). */
int pledgex__detect_mime_head(pledgex_engine *e, const char *path, const char *name,
                              const unsigned char *head, size_t n, char **mime, char *err,
                              size_t errlen);

/* SHA-256 of a file as 64 hex digits + NUL. */
int pledgex__sha256_file(const char *path, char hex[65], char *err, size_t errlen);
/* SHA-256 of bytes in memory, the same way. */
void pledgex__sha256_bytes(const void *data, size_t len, char hex[65]);

/* Portable snprintf-append into a fixed buffer. */
void pledgex__fmt(char *dst, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
