/*
 * fuzz_plugin.c -- a libFuzzer harness for any plugin whose sources are
 * linked into the binary (fuzz/build.sh builds one binary per plugin).
 *
 * Input format: the first byte picks the MIME type among the plugin's exact
 * claims (fuzz_host_pick_mime), the rest is the file.  So one corpus covers
 * every claimed type, and a file whose type lies about its content is an
 * ordinary input.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "fuzz_host.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_host_init(pledgex_plugin_entry());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const pledgex_plugin *p = pledgex_plugin_entry();
    fuzz_host_run_file(p, data + 1, size - 1, fuzz_host_pick_mime(p, data[0]));
    return 0;
}
