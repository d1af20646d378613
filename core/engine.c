/*
 * engine.c -- the engine handle: messages, limits and options.
 */
#include <config.h>

#include "engine.h"

#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

const char *pledgex_version(void)
{
    return PLEDGEX_VERSION;
}

int pledgex_engine_new(pledgex_engine **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? PLEDGEX_OK : PLEDGEX_FATAL;
}

static void free_settings(pledgex_setting *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].name);
        free(s[i].value);
    }
    free(s);
}

void pledgex_engine_free(pledgex_engine **pe)
{
    if (!pe || !*pe)
        return;
    pledgex_engine *e = *pe;
    for (size_t i = 0; i < e->nplugins; i++) {
        if (e->plugins[i].desc->fini)
            e->plugins[i].desc->fini(e->plugins[i].state);
        /* Never dlclose: see pledgex-plugin.h. */
        free(e->plugins[i].file);
    }
    free(e->plugins);
    for (size_t i = 0; i < e->nrefusals; i++) {
        free(e->refusals[i].file);
        free(e->refusals[i].reason);
    }
    free(e->refusals);
    free_settings(e->limits, e->nlimits);
    free_settings(e->options, e->noptions);
    if (e->magic)
        magic_close((magic_t)e->magic);
    pledgex__gazetteer_free(&e->gazetteer);
    free(e);
    *pe = NULL;
}

const char *pledgex_engine_errmsg(const pledgex_engine *e)
{
    return e ? e->errmsg : "no engine";
}

void pledgex__fmt(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}

int pledgex__engine_error(pledgex_engine *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->errmsg, sizeof e->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

static pledgex_setting *find(pledgex_setting *s, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s[i].name, name))
            return &s[i];
    return NULL;
}

static pledgex_setting *add(pledgex_setting **s, size_t *n, const char *name)
{
    pledgex_setting *f = find(*s, *n, name);
    if (f)
        return f;
    pledgex_setting *g = realloc(*s, (*n + 1) * sizeof **s);
    if (!g)
        return NULL;
    *s = g;
    f = &g[*n];
    memset(f, 0, sizeof *f);
    if (!(f->name = strdup(name)))
        return NULL;
    (*n)++;
    return f;
}

int pledgex_engine_set_limit(pledgex_engine *e, const char *name, int64_t value)
{
    pledgex_setting *s = add(&e->limits, &e->nlimits, name);
    if (!s)
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    s->number = value;
    return PLEDGEX_OK;
}

int64_t pledgex_engine_limit(const pledgex_engine *e, const char *name, int64_t fallback)
{
    pledgex_setting *s = find(e->limits, e->nlimits, name);
    return s ? s->number : fallback;
}

int pledgex_engine_set_option(pledgex_engine *e, const char *name, const char *value)
{
    pledgex_setting *s = add(&e->options, &e->noptions, name);
    if (!s)
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    char *copy = value ? strdup(value) : NULL;
    if (value && !copy)
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    free(s->value);
    s->value = copy;
    return PLEDGEX_OK;
}

const char *pledgex_engine_option(const pledgex_engine *e, const char *name)
{
    pledgex_setting *s = find(e->options, e->noptions, name);
    return s ? s->value : NULL;
}
