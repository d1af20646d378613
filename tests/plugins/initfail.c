/* initfail.c -- a test plugin whose init() fails. */
#include <stdio.h>

#include "pledgex-plugin.h"

static const pledgex_claim claims[] = {{"text/plain", 1}, {NULL, 0}};

static int init(const pledgex_host *host, void **state, char *err, size_t n)
{
    (void)host;
    (void)state;
    snprintf(err, n, "the test wants me to fail");
    return PLEDGEX_FATAL;
}

static int process(void *s, const pledgex_host *h, pledgex_ctx *c, const pledgex_input *in,
                   char *err, size_t n)
{
    (void)s;
    (void)h;
    (void)c;
    (void)in;
    (void)err;
    (void)n;
    return PLEDGEX_OK;
}

static const pledgex_plugin desc = {
    PLEDGEX_PLUGIN_ABI_MAJOR, PLEDGEX_PLUGIN_ABI_MINOR, "initfail", "1.0",
    "init fails (tests only)", claims, init, NULL, process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &desc;
}
