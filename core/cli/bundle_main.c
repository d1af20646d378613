/*
 * bundle_main.c -- pledgex-bundle: `pledgex pack` and `pledgex verify`,
 * which the pledgex command hands over (see bundle_exec.c).  Run by hand,
 * `pledgex-bundle pack ...` is the same as `pledgex pack ...`.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "pack"))
        return cmd_pack(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "verify"))
        return cmd_verify(argc - 1, argv + 1);
    fprintf(stderr, "usage: pledgex-bundle pack|verify [OPTIONS] [ARGS]\n"
                    "(the pledgex command runs this program for `pledgex pack` and "
                    "`pledgex verify`)\n");
    return EXIT_USAGE;
}
