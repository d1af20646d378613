/*
 * cmd_ingest.c -- `pledgex ingest`: the main job.
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Options that set an engine limit (numbers) or option (strings).  The
 * defaults live where the limit is used; they are documented here. */
static const struct {
    const char *flag;
    const char *key;
    int is_limit;
    const char *help;
} settings[] = {
    {"--lang", "lang", 0, "OCR languages, tesseract style (default Vietnamese+vie)"},
    {"--max-pixels", "max_pixels", 1, "refuse images larger than this (default 100000000)"},
    {"--page-timeout", "page_timeout_s", 1, "seconds per OCR page (default 120)"},
    {"--input-timeout", "input_timeout_s", 1, "seconds an input may go without progress before its worker is killed (default 600)"},
    {"--max-memory-mb", "max_memory_mb", 1, "address space per worker (default 4096)"},
    {"--max-depth", "max_depth", 1, "archive nesting depth (default 10)"},
    {"--max-member-bytes", "max_member_bytes", 1, "bytes per archive member (default 1 GiB)"},
    {"--max-total-bytes", "max_total_bytes", 1, "bytes expanded per top-level input (default 8 GiB)"},
    {"--max-ratio", "max_ratio", 1, "compression ratio of a member beyond a few MB (default 100)"},
    {"--max-members", "max_members", 1, "members per archive (default 100000)"},
    {"--max-pages", "max_pages", 1, "pages per document (default 2000)"},
    {"--password", "password", 0, "password for encrypted archives/PDFs (prefer --password-file)"},
    {"--password-file", "password_file", 0, "file whose first line is the password"},
    {"--pdf-out", "pdf_out", 0, "write searchable PDFs of scanned documents into DIR"},
    {"--gazetteer", "gazetteer", 0, "units gazetteer TSV (default: the installed one)"},
    {"--tmpdir", "tmpdir", 0, "where private temporary directories go (default $TMPDIR or /tmp)"},
};

static void help(void)
{
    printf("usage: pledgex ingest [OPTIONS] PATH...\n\n"
           "Reads files, directories (recursively) and archives into the index.  An input\n"
           "indexed before with the same content is skipped; a changed one replaces its rows.\n\n"
           "  --db FILE            index file (default pledgex.db)\n"
           "  -j, --jobs N         worker processes (default: number of cores)\n"
           "  --in-process         no worker processes (debugging; no crash isolation)\n"
           "  --follow             follow symbolic links inside directories\n"
           "  --quiet              no progress, no summary; errors only\n"
           "  --progress=MODE      auto (a bar on a terminal), json (one event per line on\n"
           "                       stdout), none\n"
           "  --plugin-dir DIR     look for plugins in DIR first\n");
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        printf("  %-20s %s\n", settings[i].flag, settings[i].help);
    printf("\nExit status: 0 all inputs ok, 1 some failed (the rest are indexed), 2 usage or\n"
           "database error.\n");
}

/* What the user sees while a batch runs and after it. */
typedef struct reason_count {
    char *reason; /* the reason without the file-specific tail */
    size_t count;
    char *example; /* one address it happened to */
} reason_count;

typedef struct reason_list {
    reason_count *r;
    size_t n;
} reason_list;

typedef struct progress {
    int mode; /* 0 none, 1 terminal bar, 2 json */
    struct timespec t0;
    size_t docs, pages, warnings;
    char current[256];
    reason_list failures, skips;
    char **pdfs; /* searchable PDFs written */
    size_t npdfs;
} progress;

static double elapsed(const progress *p)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - p->t0.tv_sec) + (double)(t.tv_nsec - p->t0.tv_nsec) / 1e9;
}

static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* Failures and skips are grouped by reason in the summary: "crashed:
 * SIGSEGV in plugin ocr while reading X" and "... while reading Y" are one
 * line, as are the files no plugin reads, by type. */
static void count_reason(reason_list *l, const char *address, const char *message,
                         const char *fallback)
{
    char key[256];
    snprintf(key, sizeof key, "%s", message ? message : fallback);
    char *cut = strstr(key, " while reading ");
    if (cut)
        *cut = 0;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->r[i].reason, key)) {
            l->r[i].count++;
            return;
        }
    reason_count *g = realloc(l->r, (l->n + 1) * sizeof *g);
    if (!g)
        return;
    l->r = g;
    g[l->n].reason = strdup(key);
    g[l->n].example = strdup(address ? address : "");
    if (!g[l->n].reason || !g[l->n].example) {
        free(g[l->n].reason);
        free(g[l->n].example);
        return;
    }
    g[l->n].count = 1;
    l->n++;
}

static void reasons_print(FILE *out, const reason_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        fprintf(out, "    %5zu  %s (e.g. %s)\n", l->r[i].count, l->r[i].reason, l->r[i].example);
}

static void reasons_free(reason_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->r[i].reason);
        free(l->r[i].example);
    }
    free(l->r);
    l->r = NULL;
    l->n = 0;
}

/* Shortens a UTF-8 string to at most `max` bytes from its end, on a
 * character boundary, for the status line. */
static const char *tail(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    const char *t = s + n - max;
    while ((*t & 0xC0) == 0x80)
        t++;
    return t;
}

static void bar(progress *p, const pledgex_event *ev)
{
    double t = elapsed(p);
    double rate = t > 0 ? (double)ev->done / t : 0;
    char eta[32] = "";
    if (rate > 0 && ev->total > ev->done) {
        double left = (double)(ev->total - ev->done) / rate;
        snprintf(eta, sizeof eta, " ETA %d:%02d", (int)left / 60, (int)left % 60);
    }
    int width = 24;
    int fill = ev->total ? (int)((double)width * (double)ev->done / (double)ev->total) : 0;
    char gauge[64];
    for (int i = 0; i < width; i++)
        gauge[i] = i < fill ? '#' : '.';
    gauge[width] = 0;
    fprintf(stderr, "\r\033[K[%s] %zu/%zu inputs, %zu docs, %zu pages, %.1f/s%s  %s", gauge,
            ev->done, ev->total, p->docs, p->pages, rate, eta, tail(p->current, 40));
    fflush(stderr);
}

static void on_event(void *user, const pledgex_event *ev)
{
    progress *p = user;
    if (ev->type == PLEDGEX_EVENT_DONE && ev->status && strcmp(ev->status, "unchanged")) {
        p->docs++;
        p->pages += ev->pages;
    }
    if (ev->type == PLEDGEX_EVENT_DONE && ev->pdf) {
        char **g = realloc(p->pdfs, (p->npdfs + 1) * sizeof *g);
        if (g) {
            p->pdfs = g;
            if ((g[p->npdfs] = strdup(ev->pdf)))
                p->npdfs++;
        }
    }
    int failed = ev->type == PLEDGEX_EVENT_DONE && ev->status && !strcmp(ev->status, "failed");
    if (failed)
        count_reason(&p->failures, ev->address, ev->message, "failed");
    else if (ev->type == PLEDGEX_EVENT_DONE && ev->status && !strcmp(ev->status, "skipped"))
        count_reason(&p->skips, ev->address, ev->message, "skipped");
    if (p->mode == 2) {
        static const char *names[] = {"start", "file", "done", "warning", "finish"};
        printf("{\"event\":\"%s\",\"done\":%zu,\"total\":%zu,\"docs\":%zu,\"pages\":%zu,"
               "\"elapsed\":%.3f",
               names[ev->type], ev->done, ev->total, p->docs, p->pages, elapsed(p));
        if (ev->address) {
            printf(",\"address\":");
            json_str(stdout, ev->address);
        }
        if (ev->status) {
            printf(",\"status\":");
            json_str(stdout, ev->status);
        }
        if (ev->message) {
            printf(",\"message\":");
            json_str(stdout, ev->message);
        }
        if (ev->pdf) {
            printf(",\"pdf\":");
            json_str(stdout, ev->pdf);
        }
        printf("}\n");
        fflush(stdout);
        return;
    }
    if (ev->type == PLEDGEX_EVENT_FILE && ev->address)
        snprintf(p->current, sizeof p->current, "%s", ev->address);
    int warning = ev->type == PLEDGEX_EVENT_WARNING;
    if (warning)
        p->warnings++;
    if (failed || warning) {
        if (p->mode == 1)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "pledgex: %s%s: %s\n", warning ? "warning: " : "", ev->address,
                ev->message ? ev->message : "failed");
    }
    if (p->mode == 1 && ev->type != PLEDGEX_EVENT_FINISH)
        bar(p, ev);
    if (p->mode == 1 && ev->type == PLEDGEX_EVENT_FINISH)
        fputs("\r\033[K", stderr);
}

static void summary(FILE *out, const progress *p, const pledgex_ingest_stats *st)
{
    fprintf(out, "ingest summary (%.2f s):\n", st->seconds);
    fprintf(out, "  %-22s %zu\n", "ok", st->ok);
    fprintf(out, "  %-22s %zu\n", "failed", st->failed);
    reasons_print(out, &p->failures);
    fprintf(out, "  %-22s %zu\n", "skipped", st->skipped);
    reasons_print(out, &p->skips);
    fprintf(out, "  %-22s %zu\n", "unchanged", st->unchanged);
    fprintf(out, "  %-22s %zu\n", "pages OCR'd", st->pages);
    fprintf(out, "  %-22s %zu\n", "blocks needing review", st->needs_review);
    if (p->warnings)
        fprintf(out, "  %-22s %zu\n", "warnings", p->warnings);
    if (p->npdfs) {
        fprintf(out, "  %-22s %zu\n", "searchable PDFs", p->npdfs);
        for (size_t i = 0; i < p->npdfs; i++)
            fprintf(out, "    %s\n", p->pdfs[i]);
    }
}

static void progress_free(progress *p)
{
    reasons_free(&p->failures);
    reasons_free(&p->skips);
    for (size_t i = 0; i < p->npdfs; i++)
        free(p->pdfs[i]);
    free(p->pdfs);
}

static pledgex_engine *running;

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        pledgex_engine_cancel(running);
}

int cmd_ingest(int argc, char **argv)
{
    cli_common c = {0};
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    int bad = 0, follow = 0, quiet = 0;
    const char *progress_mode = "auto";
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    struct {
        size_t i;
        const char *value;
    } set[64];
    size_t nset = 0;
    if (!paths)
        return EXIT_USAGE;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (cli_common_option(&c, argc, argv, &i, &bad))
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            help();
            free(paths);
            return 0;
        }
        if (!strcmp(a, "-j") || !strcmp(a, "--jobs") || !strncmp(a, "-j", 2) ||
            !strncmp(a, "--jobs=", 7)) {
            const char *v = !strncmp(a, "--jobs=", 7) ? a + 7
                            : (a[1] == 'j' && a[2])   ? a + 2
                            : (i + 1 < argc)          ? argv[++i]
                                                      : NULL;
            long long n = cli_number(v);
            if (n < 1 || n > 256) {
                cli_error("-j needs a number of workers from 1 to 256");
                bad = 1;
            }
            jobs = (long)n;
            continue;
        }
        if (!strcmp(a, "--in-process")) {
            jobs = 0;
            continue;
        }
        if (!strcmp(a, "--follow")) {
            follow = 1;
            continue;
        }
        if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
            continue;
        }
        if (!strncmp(a, "--progress=", 11)) {
            progress_mode = a + 11;
            if (strcmp(progress_mode, "auto") && strcmp(progress_mode, "json") &&
                strcmp(progress_mode, "none")) {
                cli_error("--progress takes auto, json or none");
                bad = 1;
            }
            continue;
        }
        int matched = 0;
        for (size_t k = 0; k < sizeof settings / sizeof settings[0]; k++) {
            size_t fl = strlen(settings[k].flag);
            if (strncmp(a, settings[k].flag, fl) || (a[fl] && a[fl] != '='))
                continue;
            matched = 1;
            const char *v = a[fl] == '=' ? a + fl + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) {
                cli_error("%s needs a value", settings[k].flag);
                bad = 1;
            } else if (settings[k].is_limit && cli_number(v) < 0) {
                cli_error("%s needs a non-negative number, not '%s'", settings[k].flag, v);
                bad = 1;
            } else if (nset < 64) {
                set[nset].i = k;
                set[nset++].value = v;
            }
        }
        if (matched)
            continue;
        if (a[0] == '-' && a[1]) {
            cli_error("ingest: unknown option '%s' (see pledgex ingest --help)", a);
            bad = 1;
            continue;
        }
        paths[npaths++] = a;
    }
    if (!bad && npaths == 0) {
        cli_error("ingest: no input given (see pledgex ingest --help)");
        bad = 1;
    }
    if (bad) {
        free(paths);
        return EXIT_USAGE;
    }
    pledgex_engine *e;
    if (cli_engine(&c, &e, 0)) {
        free(paths);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < nset; k++) {
        if (settings[set[k].i].is_limit)
            pledgex_engine_set_limit(e, settings[set[k].i].key, cli_number(set[k].value));
        else
            pledgex_engine_set_option(e, settings[set[k].i].key, set[k].value);
    }
    if (follow)
        pledgex_engine_set_limit(e, "follow_links", 1);
    pledgex_engine_set_limit(e, "jobs", jobs);
    pledgex_index *ix;
    if (cli_index(&c, &ix)) {
        pledgex_engine_free(&e);
        free(paths);
        return EXIT_USAGE;
    }
    progress p = {0};
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    if (!strcmp(progress_mode, "json"))
        p.mode = 2;
    else if (!strcmp(progress_mode, "auto") && !quiet && isatty(2))
        p.mode = 1;
    running = e;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    pledgex_ingest_stats st;
    int rc = pledgex_ingest(e, ix, paths, npaths, (int)jobs, on_event, &p, &st);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    running = NULL;
    if (!quiet && p.mode != 2)
        summary(p.mode == 1 ? stderr : stdout, &p, &st);
    int code = EXIT_ALL_OK;
    if (rc == PLEDGEX_FATAL) {
        cli_error("%s", pledgex_engine_errmsg(e));
        code = EXIT_USAGE;
    } else if (rc != PLEDGEX_OK) {
        code = EXIT_SOME_FAILED;
    }
    progress_free(&p);
    pledgex_index_free(&ix);
    pledgex_engine_free(&e);
    free(paths);
    return code;
}
