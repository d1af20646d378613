/*
 * main.c -- `pledgex COMMAND ...`: dispatch to the subcommands.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} commands[] = {
    {"ingest", cmd_ingest, "read files, folders and archives into the index"},
    {"search", cmd_search, "find documents (accents optional, filters by unit and date)"},
    {"show", cmd_show, "print one document with its entities and links"},
    {"export", cmd_export, "write every document as JSON Lines"},
    {"units", cmd_units, "list the units found, with document counts and years"},
    {"plugins", cmd_plugins, "list the plugins and the types they read"},
    {"detect", cmd_detect, "print the type of files and the plugin that would read them"},
    {"pack", cmd_pack, "store originals with manifest and captions in a ZIP bundle"},
    {"verify", cmd_verify, "check a bundle's members against its manifest"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: pledgex COMMAND [OPTIONS] [ARGS]\n\n"
                 "pledgex turns scans, photos, articles and archives of Vietnamese emulation\n"
                 "pledges (giao ước thi đua) into a searchable archive.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`pledgex COMMAND --help` describes each.  `pledgex --version`.\n"
                 "Exit status: 0 all inputs ok, 1 some inputs failed, 2 usage or database "
                 "error.\n");
}

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

int cli_index(const cli_common *c, pledgex_index **out)
{
    char err[2048];
    if (pledgex_index_open(out, c->db ? c->db : "pledgex.db", err, sizeof err) != PLEDGEX_OK) {
        cli_error("%s", err);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("pledgex %s\n", pledgex_version());
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
