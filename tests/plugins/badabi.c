/* badabi.c -- a test plugin built for a future ABI major version. */
#include "pledgex-plugin.h"

static const pledgex_claim claims[] = {{"text/plain", 1}, {NULL, 0}};

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
    PLEDGEX_PLUGIN_ABI_MAJOR + 1, 0, "badabi", "1.0", "wrong ABI (tests only)", claims,
    NULL, NULL, process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &desc;
}
