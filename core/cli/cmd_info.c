/*
 * cmd_info.c -- `pledgex plugins` and `pledgex detect`.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_plugins(int argc, char **argv)
{
    cli_common c = {0};
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: pledgex plugins [--plugin-dir DIR]\n\n"
                   "Lists the plugins found (name, version, types with priorities, file) and\n"
                   "any file refused, with the reason.\n");
            return 0;
        }
        if (!cli_common_option(&c, argc, argv, &i, &bad)) {
            cli_error("plugins: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (bad)
        return EXIT_USAGE;
    pledgex_engine *e;
    if (cli_engine(&c, &e, 1))
        return EXIT_USAGE;
    for (size_t i = 0; i < pledgex_engine_plugin_count(e); i++) {
        const char *file;
        const pledgex_plugin *p = pledgex_engine_plugin(e, i, &file);
        printf("%-10s %-8s ", p->name, p->version);
        for (const pledgex_claim *cl = p->claims; cl->mime; cl++)
            printf("%s%s:%d", cl == p->claims ? "" : ",", cl->mime, cl->priority);
        printf("  %s\n", file);
    }
    int code = EXIT_ALL_OK;
    for (size_t i = 0; i < pledgex_engine_refusal_count(e); i++) {
        const char *file, *reason;
        pledgex_engine_refusal(e, i, &file, &reason);
        printf("refused    %s: %s\n", file, reason);
        code = EXIT_SOME_FAILED;
    }
    pledgex_engine_free(&e);
    return code;
}

int cmd_detect(int argc, char **argv)
{
    cli_common c = {0};
    int bad = 0, code = EXIT_ALL_OK, n = 0;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: pledgex detect [--plugin-dir DIR] PATH...\n\n"
                   "Prints each file's type (libmagic, the extension as a fallback) and the\n"
                   "plugin that would read it.\n");
            return 0;
        }
    pledgex_engine *e = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_common_option(&c, argc, argv, &i, &bad))
            continue;
        if (bad)
            return EXIT_USAGE;
        if (!e && cli_engine(&c, &e, 1))
            return EXIT_USAGE;
        n++;
        char *mime = NULL;
        const pledgex_plugin *p = NULL;
        if (pledgex_detect(e, argv[i], &mime, &p) != PLEDGEX_OK) {
            cli_error("%s", pledgex_engine_errmsg(e));
            code = EXIT_SOME_FAILED;
            continue;
        }
        printf("%s\t%s\t%s\n", argv[i], mime, p ? p->name : "(none)");
        free(mime);
    }
    pledgex_engine_free(&e);
    if (n == 0) {
        cli_error("detect: no file given");
        return EXIT_USAGE;
    }
    return code;
}
