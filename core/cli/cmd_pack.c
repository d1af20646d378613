/*
 * cmd_pack.c -- `pledgex pack` and `pledgex verify`: archival bundles.
 *
 * The password of an encrypted bundle comes from $PLEDGEX_PACK_PASSWORD or
 * the first line of --password-file, never from the command line (other
 * users see command lines in ps).
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pledgex-bundle.h"
#include "cli.h"

#define PASSWORD_ENV "PLEDGEX_PACK_PASSWORD"

/* The password: --password-file's first line, else the environment, else
 * NULL.  *bad is set when the file cannot be read.  Caller frees. */
static char *password(const char *file, int *bad)
{
    if (file) {
        FILE *f = fopen(file, "r");
        char line[1024];
        if (!f || !fgets(line, sizeof line, f)) {
            cli_error("cannot read the password file %s", file);
            if (f)
                fclose(f);
            *bad = 1;
            return NULL;
        }
        fclose(f);
        line[strcspn(line, "\r\n")] = 0;
        return strdup(line);
    }
    const char *env = getenv(PASSWORD_ENV);
    return env && *env ? strdup(env) : NULL;
}

static void forget(char *pw)
{
    if (pw) {
        memset(pw, 0, strlen(pw));
        free(pw);
    }
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *value_of(const char *flag, int argc, char **argv, int *i, int *bad)
{
    size_t n = strlen(flag);
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 < argc)
        return argv[++*i];
    cli_error("%s needs a value", flag);
    *bad = 1;
    return NULL;
}

static int is_flag(const char *a, const char *flag)
{
    size_t n = strlen(flag);
    return !strncmp(a, flag, n) && (a[n] == 0 || a[n] == '=');
}

static void on_warn(void *user, const char *address, const char *reason)
{
    (void)user;
    fprintf(stderr, "pledgex: warning: %s: %s\n", address, reason);
}

static pledgex_engine *running;

/* ^C: stop, remove the temporary files, leave no bundle behind. */
static void on_signal(int sig)
{
    (void)sig;
    if (running)
        pledgex_engine_cancel(running);
}

static void pack_help(FILE *out)
{
    fprintf(out,
            "usage: pledgex pack -o BUNDLE.zip [OPTIONS] PATH...\n\n"
            "Stores files, directories and the members of archives, unchanged, in a ZIP\n"
            "with manifest.json (address, SHA-256, size, type, date, caption, credit, date\n"
            "taken, units, people) and captions.csv (opens in a spreadsheet).  The same\n"
            "inputs give the same bytes; the bundle appears only once complete.\n\n"
            "  -o, --output FILE    the bundle to write (required)\n"
            "  --password-file F    encrypt with AES-256, password on F's first line\n"
            "                       (or set $" PASSWORD_ENV "; never on the command line)\n"
            "  -j, --jobs N         worker processes of the metadata pass (default 1)\n"
            "  --no-metadata        skip the pipeline: hashes, sizes, types and dates only\n"
            "  --plugin-dir DIR     look for plugins in DIR first\n"
            "  --max-depth N        archive nesting expanded (default 10)\n"
            "  --quiet              errors only\n\n"
            "Exit status: 0 everything stored, 1 something not stored (named on stderr),\n"
            "2 usage error or the bundle could not be written.\n");
}

int cmd_pack(int argc, char **argv)
{
    cli_common c = {0};
    const char *output = NULL, *pwfile = NULL;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    int bad = 0, quiet = 0;
    long long jobs = 1, max_depth = -1;
    pledgex_pack_options o = {0};
    if (!paths)
        return EXIT_USAGE;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (cli_common_option(&c, argc, argv, &i, &bad))
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            pack_help(stdout);
            free(paths);
            return 0;
        } else if (!strcmp(a, "-o") || is_flag(a, "--output")) {
            output = !strcmp(a, "-o") ? (i + 1 < argc ? argv[++i] : NULL)
                                      : value_of("--output", argc, argv, &i, &bad);
            if (!output) {
                cli_error("-o needs a file name");
                bad = 1;
            }
        } else if (is_flag(a, "--password-file")) {
            pwfile = value_of("--password-file", argc, argv, &i, &bad);
        } else if (is_flag(a, "--password")) {
            cli_error("pack: a password on the command line is visible to other users; use "
                      "--password-file or $" PASSWORD_ENV);
            bad = 1;
        } else if (!strcmp(a, "-j") || is_flag(a, "--jobs")) {
            const char *v = !strcmp(a, "-j") ? (i + 1 < argc ? argv[++i] : NULL)
                                             : value_of("--jobs", argc, argv, &i, &bad);
            jobs = cli_number(v);
            if (jobs < 0 || jobs > 256) {
                cli_error("-j needs a number of workers from 0 to 256");
                bad = 1;
            }
        } else if (is_flag(a, "--max-depth")) {
            max_depth = cli_number(value_of("--max-depth", argc, argv, &i, &bad));
            if (max_depth < 0) {
                cli_error("--max-depth needs a non-negative number");
                bad = 1;
            }
        } else if (!strcmp(a, "--no-metadata")) {
            o.no_metadata = 1;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            cli_error("pack: unknown option '%s' (see pledgex pack --help)", a);
            bad = 1;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!bad && (!output || npaths == 0)) {
        cli_error("pack: %s (see pledgex pack --help)",
                  output ? "no input given" : "no bundle given (-o BUNDLE.zip)");
        bad = 1;
    }
    char *pw = bad ? NULL : password(pwfile, &bad);
    pledgex_engine *e = NULL;
    if (bad || cli_engine(&c, &e, 1)) {
        free(paths);
        forget(pw);
        return EXIT_USAGE;
    }
    if (max_depth >= 0)
        pledgex_engine_set_limit(e, "max_depth", max_depth);
    o.password = pw;
    o.jobs = (int)jobs;
    pledgex_pack_stats st;
    running = e;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int rc = pledgex_pack(e, paths, npaths, output, &o, quiet ? NULL : on_warn, NULL, &st);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    running = NULL;
    forget(pw);
    free(paths);
    if (rc != PLEDGEX_OK && rc != PLEDGEX_WARN) {
        cli_error("pack: %s", pledgex_engine_errmsg(e));
        pledgex_engine_free(&e);
        return EXIT_USAGE;
    }
    if (!quiet)
        fprintf(stderr, "pack: %zu file(s), %llu bytes into %s; %zu not stored\n", st.files,
                st.bytes, output, st.skipped);
    pledgex_engine_free(&e);
    return rc == PLEDGEX_OK ? EXIT_ALL_OK : EXIT_SOME_FAILED;
}

static void on_problem(void *user, const char *kind, const char *path, const char *detail)
{
    (void)user;
    printf("%s: %s (%s)\n", kind, path, detail);
}

int cmd_verify(int argc, char **argv)
{
    const char *bundle = NULL, *pwfile = NULL;
    int bad = 0;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: pledgex verify [--password-file F] BUNDLE.zip\n\n"
                   "Checks every member of a bundle against its manifest and names anything\n"
                   "changed, missing or added.  The password of an encrypted bundle comes\n"
                   "from --password-file or $" PASSWORD_ENV ".\n\n"
                   "Exit status: 0 intact, 1 something changed, missing or added, 2 the\n"
                   "bundle or its manifest cannot be read.\n");
            return 0;
        } else if (is_flag(a, "--password-file")) {
            pwfile = value_of("--password-file", argc, argv, &i, &bad);
        } else if (a[0] == '-' && a[1]) {
            cli_error("verify: unknown option '%s' (see pledgex verify --help)", a);
            bad = 1;
        } else if (bundle) {
            cli_error("verify: one bundle at a time");
            bad = 1;
        } else {
            bundle = a;
        }
    }
    if (!bad && !bundle) {
        cli_error("verify: no bundle given (see pledgex verify --help)");
        bad = 1;
    }
    char *pw = bad ? NULL : password(pwfile, &bad);
    if (bad)
        return EXIT_USAGE;
    char err[2048];
    size_t problems = 0;
    int rc = pledgex_verify(bundle, pw, on_problem, NULL, &problems, err, sizeof err);
    forget(pw);
    if (rc == PLEDGEX_FATAL) {
        cli_error("verify: %s", err);
        return EXIT_USAGE;
    }
    if (problems) {
        fprintf(stderr, "verify: %s: %zu problem(s)\n", bundle, problems);
        return EXIT_SOME_FAILED;
    }
    fprintf(stderr, "verify: %s: every member matches the manifest\n", bundle);
    return EXIT_ALL_OK;
}
