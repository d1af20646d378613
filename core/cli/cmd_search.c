/*
 * cmd_search.c -- `pledgex search`.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "index.h"

static void help(void)
{
    printf("usage: pledgex search [OPTIONS] QUERY...\n"
           "       pledgex search FILTER... [OPTIONS]\n\n"
           "Finds documents.  Accents are optional: `thi dua` finds `thi đua`; typed\n"
           "accents rank exact matches first.  Words are ANDed; \"a phrase\", prefix*,\n"
           "OR, AND, parentheses; NOT word or -word excludes it from the whole query (or\n"
           "from its parentheses).  When nothing matches, the nearest indexed words are\n"
           "suggested and searched (OCR damage).  Snippets mark matched words (bold on a\n"
           "terminal, <b></b> in --json, HTML-escaped).  Filters without a query list\n"
           "every document they pass, the latest dated first (`--unit 'Sở Tư pháp'\n"
           "--year 2024`: what that unit has in 2024).\n\n"
           "  --db FILE         index file (default pledgex.db)\n"
           "  --json            one JSON object per hit\n"
           "  --limit N         at most N documents (default 20)\n"
           "  --offset N        skip the first N documents\n"
           "  --unit NAME       only documents naming this unit (any spelling or alias)\n"
           "  --signed-by NAME  only documents signed by this unit or person\n"
           "  --from DATE       only documents with a date on or after DATE\n"
           "  --to DATE         ... on or before DATE (2024-03-19, 2024-03, 2023-Q4, 2024)\n"
           "  --year YYYY       only documents with a date in that year\n"
           "  --kind KIND       scan, photo, article or text\n"
           "  --all-copies      list identical copies of a file (same SHA-256) as hits\n"
           "                    of their own, not under the first one\n"
           "  --facets          counts by unit and by year instead of hits\n");
}

typedef struct out {
    int json, tty;
    int browse; /* filters without words: no score to show */
} out;

/* A JSON string.  With html, the snippet's match markers become <b></b>
 * and the text is escaped as HTML, so the markers are the only tags. */
static void json_str_as(const char *s, int html)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p == 2)
            fputs("<b>", stdout);
        else if (*p == 3)
            fputs("</b>", stdout);
        else if (html && *p == '<')
            fputs("&lt;", stdout);
        else if (html && *p == '>')
            fputs("&gt;", stdout);
        else if (html && *p == '&')
            fputs("&amp;", stdout);
        else if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void json_str(const char *s)
{
    json_str_as(s, 0);
}

static int on_hit(void *user, const pledgex_hit *h)
{
    out *o = user;
    if (o->json) {
        printf("{\"address\":");
        json_str(h->address);
        printf(",\"score\":%.4f,\"page\":%d,\"snippet\":", h->score, h->page);
        json_str_as(h->snippet, 1);
        printf(",\"units\":%s,\"dates\":%s,\"copies\":%s}\n", h->units, h->dates,
               h->copies ? h->copies : "[]");
        return 0;
    }
    if (o->browse && h->page > 0)
        printf("%s  (page %d)\n", h->address, h->page);
    else if (o->browse)
        printf("%s\n", h->address);
    else if (h->page > 0)
        printf("%s  (page %d, score %.2f)\n", h->address, h->page, h->score);
    else
        printf("%s  (score %.2f)\n", h->address, h->score);
    fputs("    ", stdout);
    for (const char *p = h->snippet; p && *p; p++) {
        if (*p == 2)
            fputs(o->tty ? "\033[1m" : "[", stdout);
        else if (*p == 3)
            fputs(o->tty ? "\033[0m" : "]", stdout);
        else if (*p == '\n')
            putchar(' ');
        else
            putchar(*p);
    }
    putchar('\n');
    if (strcmp(h->units, "[]") || strcmp(h->dates, "[]"))
        printf("    units: %s  dates: %s\n", h->units, h->dates);
    if (h->copies && strcmp(h->copies, "[]"))
        printf("    same file also at: %s\n", h->copies);
    return 0;
}

static int on_facet(void *user, const char *facet, const char *value, long count)
{
    out *o = user;
    if (o->json) {
        printf("{\"facet\":");
        json_str(facet);
        printf(",\"value\":");
        json_str(value);
        printf(",\"count\":%ld}\n", count);
    } else {
        printf("%-5s %6ld  %s\n", facet, count, value);
    }
    return 0;
}

int cmd_search(int argc, char **argv)
{
    cli_common c = {0};
    pledgex_query q = {0};
    out o = {0, isatty(1), 0};
    int bad = 0, facets = 0;
    size_t qlen = 1;
    for (int i = 1; i < argc; i++)
        qlen += strlen(argv[i]) + 1;
    char *text = calloc(1, qlen);
    if (!text)
        return EXIT_USAGE;
    for (int i = 1; i < argc && !bad; i++) {
        const char *a = argv[i];
        if (cli_common_option(&c, argc, argv, &i, &bad))
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            help();
            free(text);
            return 0;
        }
        if (!strcmp(a, "--json")) {
            o.json = 1;
            continue;
        }
        if (!strcmp(a, "--all-copies")) {
            q.all_copies = 1;
            continue;
        }
        if (!strcmp(a, "--facets")) {
            facets = 1;
            continue;
        }
        const char *opts[] = {"--limit", "--offset", "--unit", "--signed-by", "--from",
                              "--to", "--year", "--kind"};
        int matched = -1;
        for (int k = 0; k < 8; k++)
            if (!strcmp(a, opts[k]))
                matched = k;
        if (matched >= 0) {
            if (i + 1 >= argc) {
                cli_error("%s needs a value", a);
                bad = 1;
                break;
            }
            const char *v = argv[++i];
            long long n;
            switch (matched) {
            case 0:
            case 1:
            case 6:
                n = cli_number(v);
                if (n < 0 || n > 1000000) {
                    cli_error("%s needs a number, not '%s'", a, v);
                    bad = 1;
                }
                if (matched == 0)
                    q.limit = (int)n;
                else if (matched == 1)
                    q.offset = (int)n;
                else
                    q.year = (int)n;
                break;
            case 2: q.unit = v; break;
            case 3: q.signed_by = v; break;
            case 4: q.from = v; break;
            case 5: q.to = v; break;
            case 7:
                if (strcmp(v, "scan") && strcmp(v, "photo") && strcmp(v, "article") &&
                    strcmp(v, "text")) {
                    cli_error("--kind takes scan, photo, article or text");
                    bad = 1;
                }
                q.kind = v;
                break;
            }
            continue;
        }
        if (a[0] == '-' && a[1] == '-') {
            cli_error("search: unknown option '%s' (see pledgex search --help)", a);
            bad = 1;
            continue;
        }
        if (*text)
            strcat(text, " ");
        strcat(text, a);
    }
    int filtered = q.unit || q.signed_by || q.from || q.to || q.year || q.kind;
    if (!bad && !*text && !filtered) {
        cli_error("search: no query given, and no filter (see pledgex search --help)");
        bad = 1;
    }
    if (bad) {
        free(text);
        return EXIT_USAGE;
    }
    q.text = text;
    o.browse = !*text;
    pledgex_index *ix;
    if (cli_index_existing(&c, &ix)) {
        free(text);
        return EXIT_USAGE;
    }
    int code = EXIT_ALL_OK;
    size_t n = 0;
    int rc = facets ? pledgex_facets(ix, &q, on_facet, &o)
                    : pledgex_search(ix, &q, on_hit, &o, &n);
    if (rc != PLEDGEX_OK) {
        cli_error("%s", pledgex_index_errmsg(ix));
        code = EXIT_USAGE;
    } else if (!facets && n == 0 && !*text) {
        fprintf(stderr, "pledgex: no document passes the filters\n");
    } else if (!facets && n == 0) {
        /* Nothing: OCR may have damaged the words in the documents (or the
         * user's typing).  Show what the nearest indexed words find. */
        char *s = pledgex_suggest(ix, text);
        if (s) {
            fprintf(stderr, "pledgex: no match for '%s'; did you mean: %s\n", text, s);
            fprintf(stderr, "pledgex: showing results for '%s'\n", s);
            q.text = s;
            if (pledgex_search(ix, &q, on_hit, &o, &n) != PLEDGEX_OK)
                n = 0;
        } else {
            fprintf(stderr, "pledgex: no match for '%s'\n", text);
        }
        free(s);
    }
    pledgex_index_free(&ix);
    free(text);
    return code;
}
