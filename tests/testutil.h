/*
 * testutil.h -- small helpers shared by the CUnit programs: a private
 * scratch directory per program, files, running the CLI, JSON checks
 * through SQLite's JSON functions.
 */
#ifndef PLEDGEX_TESTUTIL_H
#define PLEDGEX_TESTUTIL_H

#include <CUnit/Basic.h>
#include <stddef.h>

/* Creates (once) and returns a fresh scratch directory for this program
 * under $PLEDGEX_TEST_TMP (or /tmp). */
const char *tu_scratch(void);
/* scratch/name, in a static rotating buffer (valid for a few calls). */
const char *tu_path(const char *name);
/* Writes a file (parent directories created). */
void tu_write(const char *path, const void *data, size_t len);
void tu_write_str(const char *path, const char *text);
/* Reads a whole file (caller frees), NULL if missing. */
char *tu_read(const char *path, size_t *len);
/* Runs a shell command, capturing stdout+stderr (caller frees *out);
 * returns the exit status (or -1). */
int tu_run(const char *cmd, char **out);
/* The pledgex program of the build tree ($PLEDGEX_CLI). */
const char *tu_cli(void);
/* JSON checks via SQLite: the value at `path` ($.a.b[0]) as text (caller
 * frees), NULL when absent or the JSON is invalid. */
char *tu_json_get(const char *json, const char *path);
int tu_json_valid(const char *json);
/* Runs the CUnit registry: exit code 0 pass, 1 failure, 99 error. */
int tu_main(void);
/* Adds a test to a suite, CUnit-style, aborting on registry errors. */
#define TU_TEST(suite, fn) CU_add_test(suite, #fn, fn)

#endif
