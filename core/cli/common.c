/*
 * common.c -- what every pledgex program's subcommands share: option
 * parsing, opening the engine and the index, error messages.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pledgex: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

long long cli_number(const char *s)
{
    if (!s || !*s)
        return -1;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 0)
        return -1;
    return v;
}

int cli_common_option(cli_common *c, int argc, char **argv, int *i, int *bad)
{
    const char *a = argv[*i];
    const char **dst = NULL;
    const char *name = NULL;
    if (!strcmp(a, "--db") || !strncmp(a, "--db=", 5)) {
        dst = &c->db;
        name = "--db";
    } else if (!strcmp(a, "--plugin-dir") || !strncmp(a, "--plugin-dir=", 13)) {
        dst = &c->plugin_dir;
        name = "--plugin-dir";
    } else {
        return 0;
    }
    const char *eq = strchr(a, '=');
    if (eq) {
        *dst = eq + 1;
    } else if (*i + 1 < argc) {
        *dst = argv[++*i];
    } else {
        cli_error("%s needs a value", name);
        *bad = 1;
    }
    return 1;
}

int cli_engine(const cli_common *c, pledgex_engine **out, int quiet_refusals)
{
    pledgex_engine *e;
    if (pledgex_engine_new(&e) != PLEDGEX_OK) {
        cli_error("out of memory");
        return -1;
    }
    int rc = pledgex_engine_load_plugins(e, c->plugin_dir);
    if (!quiet_refusals || rc == PLEDGEX_FATAL) {
        for (size_t i = 0; i < pledgex_engine_refusal_count(e); i++) {
            const char *file, *reason;
            pledgex_engine_refusal(e, i, &file, &reason);
            fprintf(stderr, "pledgex: warning: plugin %s refused: %s\n", file, reason);
        }
    }
    if (rc == PLEDGEX_FATAL) {
        cli_error("%s", pledgex_engine_errmsg(e));
        pledgex_engine_free(&e);
        return -1;
    }
    *out = e;
    return 0;
}

int cli_index_existing(const cli_common *c, pledgex_index **out)
{
    /* Opening creates an index that is not there: a mistyped --db given
     * to search would make an empty file and answer "no match".  Only
     * the embedded backend's files are checked; a server says itself. */
    const char *db = c->db ? c->db : "pledgex.db";
    const char *file = !strncmp(db, "sqlite:", 7) ? db + 7 : db;
    struct stat st;
    if (!strstr(db, "://")) {
        if (stat(file, &st) != 0) {
            cli_error("%s: no index there (pledgex ingest --db %s FILE... makes one)", file,
                      file);
            return -1;
        }
        if (S_ISREG(st.st_mode) && st.st_size == 0) {
            cli_error("%s: not a pledgex index: empty file", file);
            return -1;
        }
    }
    return cli_index(c, out);
}

int cli_index(const cli_common *c, pledgex_index **out)
{
    char err[2048];
    if (pledgex_index_open(out, c->db ? c->db : "pledgex.db", err, sizeof err) != PLEDGEX_OK) {
        cli_error("%s", err);
        return -1;
    }
    return 0;
}
