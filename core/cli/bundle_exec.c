/*
 * bundle_exec.c -- `pledgex pack` and `pledgex verify` in the pledgex
 * command: they run the pledgex-bundle program with the same arguments.
 *
 * Why a second program: bundles need libzip and libarchive, which bring
 * thirteen more shared libraries (libxml2, ICU, libstdc++, libcrypto...).
 * Loading them took ~40% of the start-up of every command, a search
 * included; the pledgex command now links the engine without them and
 * hands these two commands over.
 *
 * Where it is: $PLEDGEX_BUNDLE_PROGRAM if set, else beside this program
 * (a build tree), else the installed $(pkglibexecdir).
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define BUNDLE_PROGRAM "pledgex-bundle"

/* The helper's path beside /proc/self/exe, into buf; 0 when found. */
static int beside_self(char *buf, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    *slash = 0;
    int k = snprintf(buf, size, "%s/%s", self, BUNDLE_PROGRAM);
    return k > 0 && (size_t)k < size && access(buf, X_OK) == 0 ? 0 : -1;
}

static int run_bundle_program(const char *command, int argc, char **argv)
{
    char path[PATH_MAX + 32];
    const char *env = getenv("PLEDGEX_BUNDLE_PROGRAM");
    if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else if (beside_self(path, sizeof path) != 0)
        snprintf(path, sizeof path, "%s/%s", PLEDGEX_LIBEXEC_DIR, BUNDLE_PROGRAM);
    /* argv is the subcommand's: argv[0] is "pack" or "verify" */
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    args[0] = path;
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    fflush(NULL);
    execv(path, args);
    int err = errno;
    free(args);
    cli_error("%s: cannot run %s: %s", command, path, strerror(err));
    return EXIT_USAGE;
}

int cmd_pack(int argc, char **argv)
{
    return run_bundle_program("pack", argc, argv);
}

int cmd_verify(int argc, char **argv)
{
    return run_bundle_program("verify", argc, argv);
}
