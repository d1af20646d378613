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
