/*
 * fuzz_host.h -- a pledgex_host for libFuzzer harnesses.  The plugin's
 * sources are compiled into the fuzzer binary (so coverage and sanitizers
 * see them), and this host runs its process() on each fuzz input written to
 * a private temporary file.
 *
 * Besides memory errors (ASan/UBSan), the host aborts on a breach of the
 * plugin ABI (pledgex-plugin.h) that the real host would have to trust:
 *   - process() returns something other than OK, WARN, SKIP or FAILED;
 *   - a SKIP or FAILED comes without a reason, or the reason is not
 *     NUL-terminated inside err[errlen];
 *   - a block without text, an attribute without a key;
 *   - a child file that is not a regular file inside tmpdir().
 * The message names the breach, so a crash report says which rule broke.
 */
#ifndef PLEDGEX_FUZZ_HOST_H
#define PLEDGEX_FUZZ_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "pledgex-plugin.h"

/* Makes the private directory and runs plugin->init once.  Aborts on
 * failure (a harness that cannot start must not look like a clean run).
 * plugin may be NULL for harnesses that only need the scratch file. */
void fuzz_host_init(const pledgex_plugin *plugin);

/* Path of a private scratch file (in a 0700 directory removed at exit), and
 * a way to (re)write it for harnesses that call a reader directly. */
const char *fuzz_host_input_path(void);
void fuzz_host_write_input(const uint8_t *data, size_t size);

/* Writes data[0..size) to the scratch file and runs process() on it with
 * the given MIME type.  Returns the plugin's code (already checked). */
int fuzz_host_run_file(const pledgex_plugin *plugin, const uint8_t *data, size_t size,
                       const char *mime);

/* The MIME type a selector byte picks among the plugin's exact claims (a
 * claim without '*'), so one corpus covers every type the plugin claims,
 * including an input whose type lies about its bytes. */
const char *fuzz_host_pick_mime(const pledgex_plugin *plugin, uint8_t selector);

#endif
