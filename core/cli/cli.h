/*
 * cli.h -- the pledgex command: shared option handling for the
 * subcommands (cmd_*.c).
 */
#ifndef PLEDGEX_CLI_H
#define PLEDGEX_CLI_H

#include <stdio.h>

#include "pledgex.h"

/* Exit codes of every subcommand. */
#define EXIT_ALL_OK 0
#define EXIT_SOME_FAILED 1
#define EXIT_USAGE 2

/* Options every subcommand takes. */
typedef struct cli_common {
    const char *db;         /* --db, default pledgex.db */
    const char *plugin_dir; /* --plugin-dir             */
} cli_common;

/* Returns 1 if argv[*i] was a common option (and consumes its value). */
int cli_common_option(cli_common *c, int argc, char **argv, int *i, int *bad);

/* Loads plugins, printing refusals as warnings on stderr.  0 on success. */
int cli_engine(const cli_common *c, pledgex_engine **out, int quiet_refusals);
/* Opens the index, printing the error on failure.  0 on success. */
int cli_index(const cli_common *c, pledgex_index **out);
/* The same for the commands that only read: a missing or empty index
 * file is an error, not a new index. */
int cli_index_existing(const cli_common *c, pledgex_index **out);

/* Parses a non-negative integer option value; -1 when invalid. */
long long cli_number(const char *s);

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_ingest(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_units(int argc, char **argv);
int cmd_plugins(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#endif
