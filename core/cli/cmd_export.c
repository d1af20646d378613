/*
 * cmd_export.c -- `pledgex export`, `pledgex show` and `pledgex units`.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "index.h"

/* Parses the common options only; returns the first other argument's index
 * or -1 on error; 0 when --help was printed. */
static int parse(int argc, char **argv, cli_common *c, const char *usage, int want_arg)
{
    int bad = 0, arg = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (cli_common_option(c, argc, argv, &i, &bad))
            continue;
        if (argv[i][0] == '-' && argv[i][1] == '-') {
            cli_error("unknown option '%s'", argv[i]);
            return -1;
        }
        if (!want_arg || arg) {
            cli_error("unexpected argument '%s'", argv[i]);
            return -1;
        }
        arg = i;
    }
    if (bad)
        return -1;
    if (want_arg && !arg) {
        fputs(usage, stderr);
        return -1;
    }
    return want_arg ? arg : 1;
}

static int print_line(void *user, const char *json, size_t len)
{
    (void)user;
    fwrite(json, 1, len, stdout);
    putchar('\n');
    return 0;
}

int cmd_export(int argc, char **argv)
{
    cli_common c = {0};
    int a = parse(argc, argv, &c,
                  "usage: pledgex export [--db FILE]\n\n"
                  "Writes every document as one JSON object per line, in address order.\n",
                  0);
    if (a <= 0)
        return a == 0 ? 0 : EXIT_USAGE;
    pledgex_index *ix;
    if (cli_index_existing(&c, &ix))
        return EXIT_USAGE;
    int rc = pledgex_export(ix, print_line, NULL);
    if (rc != PLEDGEX_OK)
        cli_error("%s", pledgex_index_errmsg(ix));
    pledgex_index_free(&ix);
    return rc == PLEDGEX_OK ? 0 : EXIT_USAGE;
}

/* The address typed, spelled as ingest may have stored it: alt[0] the
 * absolute path of its file (for "x.zip!member", of x.zip), alt[1] that
 * path relative to the current directory.  NULL where there is none. */
static void other_spellings(const char *address, char *alt[2])
{
    const char *bang = strchr(address, '!');
    size_t n = bang ? (size_t)(bang - address) : strlen(address);
    char *file = strndup(address, n);
    char *abs = file ? realpath(file, NULL) : NULL;
    free(file);
    if (!abs)
        return;
    const char *rest = bang ? bang : "";
    size_t la = strlen(abs), lr = strlen(rest);
    alt[0] = malloc(la + lr + 1);
    if (alt[0]) {
        memcpy(alt[0], abs, la);
        memcpy(alt[0] + la, rest, lr + 1);
    }
    char *cwd = getcwd(NULL, 0);
    size_t lc = cwd ? strlen(cwd) : 0;
    if (cwd && la > lc + 1 && !strncmp(abs, cwd, lc) && abs[lc] == '/') {
        alt[1] = malloc(la - lc + lr);
        if (alt[1]) {
            memcpy(alt[1], abs + lc + 1, la - lc - 1);
            memcpy(alt[1] + la - lc - 1, rest, lr + 1);
        }
    }
    free(cwd);
    free(abs);
}

int cmd_show(int argc, char **argv)
{
    cli_common c = {0};
    int as_json = 0;
    /* --json is ours; the rest are the common options */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--json")) {
            as_json = 1;
            for (int k = i; k < argc - 1; k++)
                argv[k] = argv[k + 1];
            argc--;
            i--;
        }
    int a = parse(argc, argv, &c,
                  "usage: pledgex show [--db FILE] [--json] ADDRESS\n\n"
                  "Prints one document: what it is, the units, dates, signatories, people and\n"
                  "commitments found in it, the documents linked with it, and its text page by\n"
                  "page.  --json prints the export object instead.\n",
                  1);
    if (a <= 0)
        return a == 0 ? 0 : EXIT_USAGE;
    pledgex_index *ix;
    if (cli_index_existing(&c, &ix))
        return EXIT_USAGE;
    char *json = NULL;
    int rc = as_json ? pledgex_show(ix, argv[a], &json) : pledgex_show_text(ix, argv[a], &json);
    /* The address is the path as it was given to ingest: absolute in one
     * run, relative in another.  Not found as typed, the file is tried by
     * its absolute path and by its path from here. */
    char *alt[2] = {NULL, NULL};
    other_spellings(argv[a], alt);
    for (int k = 0; k < 2 && rc == PLEDGEX_SKIP; k++)
        if (alt[k]) {
            free(json);
            json = NULL;
            rc = as_json ? pledgex_show(ix, alt[k], &json) : pledgex_show_text(ix, alt[k], &json);
        }
    free(alt[0]);
    free(alt[1]);
    if (rc == PLEDGEX_SKIP) /* the message names what the user typed */
        rc = as_json ? pledgex_show(ix, argv[a], &json) : pledgex_show_text(ix, argv[a], &json);
    if (rc == PLEDGEX_OK)
        printf("%s\n", json);
    else
        cli_error("%s", pledgex_index_errmsg(ix));
    free(json);
    pledgex_index_free(&ix);
    return rc == PLEDGEX_OK ? 0 : rc == PLEDGEX_SKIP ? EXIT_SOME_FAILED : EXIT_USAGE;
}

/* Columns count characters, not bytes: Vietnamese letters take 2-3. */
static size_t display_width(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static int print_unit(void *user, const char *unit, long docs, const char *years)
{
    (void)user;
    size_t w = display_width(unit);
    printf("%6ld  %s%*s  %s\n", docs, unit, w < 56 ? (int)(56 - w) : 0, "", years ? years : "");
    return 0;
}

int cmd_units(int argc, char **argv)
{
    cli_common c = {0};
    int a = parse(argc, argv, &c,
                  "usage: pledgex units [--db FILE]\n\n"
                  "Lists canonical units with the number of documents naming them and the\n"
                  "years of those documents.\n",
                  0);
    if (a <= 0)
        return a == 0 ? 0 : EXIT_USAGE;
    pledgex_index *ix;
    if (cli_index_existing(&c, &ix))
        return EXIT_USAGE;
    int rc = pledgex_units(ix, print_unit, NULL);
    if (rc != PLEDGEX_OK)
        cli_error("%s", pledgex_index_errmsg(ix));
    pledgex_index_free(&ix);
    return rc == PLEDGEX_OK ? 0 : EXIT_USAGE;
}
