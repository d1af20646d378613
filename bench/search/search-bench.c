/*
 * search-bench.c -- in-process driver for bench/search/run.sh.
 *
 *   search-bench load DB MANIFEST DIR
 *       Stores every file listed in MANIFEST (file, unit, year, date) as a
 *       text document with its unit and date entities, through the index
 *       API the ingest writer uses (one transaction per document).  Prints
 *       docs/s.
 *   search-bench count DB QUERY
 *       How many documents the query finds.
 *   search-bench fts-stats DB | optimize DB
 *       Sizes of the index parts; merge the FTS5 index into one segment.
 *   search-bench query DB QUERIES ROUNDS
 *       Runs each query (TSV: class, text, unit, year, kind; empty = none)
 *       ROUNDS times with pledgex_search (limit 20) and prints p50/p99 per
 *       class and overall, in milliseconds.
 *
 * Built by run.sh against a build tree's core/.libs/libpledgex_core.a.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "index.h"
#include "index_sqlite.h"
#include "pledgex.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this process: on a shared machine, wall time also counts
 * other processes' turns; both are reported. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s) {
        s[n] = 0;
        *len = (size_t)n;
    }
    return s;
}

static int load(const char *db, const char *manifest, const char *dir)
{
    char err[512];
    pledgex_index *ix;
    if (pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    /* BENCH_PRAGMA: SQL run on the connection first, to try settings. */
    if (getenv("BENCH_PRAGMA"))
        sqlite3_exec(pledgex__sq_db(ix), getenv("BENCH_PRAGMA"), NULL, NULL, NULL);
    FILE *m = fopen(manifest, "r");
    if (!m) {
        perror(manifest);
        return 1;
    }
    char line[4096], path[8192];
    size_t ndocs = 0, bytes = 0;
    double t0 = now();
    while (fgets(line, sizeof line, m)) {
        line[strcspn(line, "\n")] = 0;
        char *file = strtok(line, "\t"), *unit = strtok(NULL, "\t");
        char *year = strtok(NULL, "\t"), *date = strtok(NULL, "\t");
        if (!file || !unit || !year || !date)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, file);
        size_t len;
        char *text = slurp(path, &len);
        if (!text)
            continue;
        pledgex_doc *d = pledgex__doc_new(path);
        pledgex__doc_set(&d->name, file);
        pledgex__doc_set(&d->plugin, "text");
        pledgex__doc_set(&d->mime, "text/plain");
        d->size = len;
        pledgex__doc_add_block(d, "text", 0, text, -1.0, 0);
        pledgex__doc_add_attr(d, "kind", "text");
        pledgex__doc_add_entity(d, "unit", unit, unit, NULL);
        pledgex__doc_add_entity(d, "date", date, date, "document");
        if (pledgex__index_put(ix, d, 0) != PLEDGEX_OK) {
            fprintf(stderr, "%s\n", pledgex_index_errmsg(ix));
            return 1;
        }
        pledgex__doc_free(&d);
        free(text);
        ndocs++;
        bytes += len;
    }
    if (getenv("BENCH_AFTER"))
        sqlite3_exec(pledgex__sq_db(ix), getenv("BENCH_AFTER"), NULL, NULL, NULL);
    fclose(m);
    /* Closing commits the last batch and merges the full-text index. */
    pledgex_index_free(&ix);
    double t = now() - t0;
    printf("load\t%zu docs\t%zu bytes\t%.2f s\t%.0f docs/s\n", ndocs, bytes, t,
           (double)ndocs / t);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *cls, double *v, double *c, size_t n)
{
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_double);
    qsort(c, n, sizeof *c, cmp_double);
    size_t i50 = n / 2, i99 = (n * 99) / 100;
    if (i99 >= n)
        i99 = n - 1;
    printf("query\t%s\tn=%zu\twall p50 %.2f p99 %.2f max %.2f ms\tcpu p50 %.2f p99 %.2f ms\n",
           cls, n, v[i50] * 1e3, v[i99] * 1e3, v[n - 1] * 1e3, c[i50] * 1e3, c[i99] * 1e3);
}

static int count_hit(void *user, const pledgex_hit *h)
{
    (void)h;
    (*(size_t *)user)++;
    return 0;
}

static int query(const char *db, const char *queries, int rounds)
{
    char err[512];
    pledgex_index *ix;
    if (pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    FILE *f = fopen(queries, "r");
    if (!f) {
        perror(queries);
        return 1;
    }
    char *lines[512];
    size_t nq = 0;
    char line[2048];
    while (nq < 512 && fgets(line, sizeof line, f))
        if (line[0] != '#' && line[0] != '\n')
            lines[nq++] = strdup(line);
    fclose(f);
    size_t cap = nq * (size_t)rounds;
    double *all = malloc(cap * sizeof *all), *cls = malloc(cap * sizeof *cls);
    double *allc = malloc(cap * sizeof *allc), *clsc = malloc(cap * sizeof *clsc);
    char *classes[32];
    size_t nclasses = 0, nall = 0;
    for (size_t i = 0; i < nq; i++) {
        char *c = strdup(lines[i]);
        char *name = strtok(c, "\t");
        size_t k = 0;
        while (k < nclasses && strcmp(classes[k], name))
            k++;
        if (k == nclasses && nclasses < 32)
            classes[nclasses++] = strdup(name);
        free(c);
    }
    for (size_t k = 0; k < nclasses; k++) {
        size_t ncls = 0;
        for (int r = 0; r < rounds; r++) {
            for (size_t i = 0; i < nq; i++) {
                char buf[2048];
                snprintf(buf, sizeof buf, "%s", lines[i]);
                buf[strcspn(buf, "\n")] = 0;
                char *fields[5] = {0};
                char *p = buf;
                for (int j = 0; j < 5; j++) {
                    fields[j] = p;
                    p = p ? strchr(p, '\t') : NULL;
                    if (p)
                        *p++ = 0;
                }
                if (strcmp(fields[0], classes[k]))
                    continue;
                pledgex_query q = {0};
                q.text = fields[1];
                q.unit = fields[2] && *fields[2] ? fields[2] : NULL;
                q.year = fields[3] && *fields[3] ? atoi(fields[3]) : 0;
                q.kind = fields[4] && *fields[4] ? fields[4] : NULL;
                size_t hits = 0, n = 0;
                double t0 = now(), c0 = cpu_now();
                int rc = pledgex_search(ix, &q, count_hit, &hits, &n);
                double t = now() - t0, ct = cpu_now() - c0;
                if (rc != PLEDGEX_OK)
                    fprintf(stderr, "%s: %s\n", q.text, pledgex_index_errmsg(ix));
                if (r == 0 && getenv("BENCH_VERBOSE"))
                    fprintf(stderr, "%-8s %-30s %zu hits %.2f ms (cpu %.2f ms)\n", classes[k],
                            q.text, hits, t * 1e3, ct * 1e3);
                clsc[ncls] = ct;
                cls[ncls++] = t;
                allc[nall] = ct;
                all[nall++] = t;
            }
        }
        report(classes[k], cls, clsc, ncls);
    }
    report("all", all, allc, nall);
    for (size_t i = 0; i < nq; i++)
        free(lines[i]);
    for (size_t k = 0; k < nclasses; k++)
        free(classes[k]);
    free(all);
    free(cls);
    free(allc);
    free(clsc);
    pledgex_index_free(&ix);
    return 0;
}

/* Times one SQL statement (with ?1 bound to param), for experiments. */
static int sql_time(const char *db, const char *sql, const char *param)
{
    char err[512];
    pledgex_index *ix;
    if (pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    sqlite3 *h = pledgex__sq_db(ix);
    for (int round = 0; round < 3; round++) {
        sqlite3_stmt *st;
        double t0 = now();
        if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "%s\n", sqlite3_errmsg(h));
            return 1;
        }
        if (param)
            sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
        long rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW)
            rows++;
        sqlite3_finalize(st);
        printf("sql\t%ld rows\t%.2f ms\n", rows, (now() - t0) * 1e3);
    }
    pledgex_index_free(&ix);
    return 0;
}

/* Bytes of the full-text index, of the stored text and of the rest. */
static int fts_stats(const char *db)
{
    char err[512];
    pledgex_index *ix;
    if (pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    sqlite3_stmt *st;
    const char *sql = "SELECT sum(CASE WHEN name LIKE 'blocks_fts%' THEN pgsize END), "
                      "sum(CASE WHEN name IN ('blocks', 'blocks_doc', 'text_dicts') THEN pgsize "
                      "END), sum(CASE WHEN name NOT LIKE 'blocks_fts%' AND name NOT IN "
                      "('blocks', 'blocks_doc', 'text_dicts') THEN pgsize END) FROM dbstat";
    if (sqlite3_prepare_v2(pledgex__sq_db(ix), sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s\n", sqlite3_errmsg(pledgex__sq_db(ix)));
        return 1;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        printf("fts_bytes\t%lld\ttext_bytes\t%lld\tother_bytes\t%lld\n",
               (long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1),
               (long long)sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    pledgex_index_free(&ix);
    return 0;
}

/* Merges the full-text index into one segment, as after a bulk ingest. */
static int optimize(const char *db)
{
    char err[512];
    pledgex_index *ix;
    if (pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double t0 = now();
    int rc = sqlite3_exec(pledgex__sq_db(ix),
                          "INSERT INTO blocks_fts(blocks_fts) VALUES ('optimize')", NULL, NULL,
                          NULL);
    printf("optimize\t%.2f s\t%s\n", now() - t0, rc == SQLITE_OK ? "ok" : "failed");
    pledgex_index_free(&ix);
    return rc != SQLITE_OK;
}

/* Number of documents a query finds (no hit is formatted). */
static int count(const char *db, const char *text)
{
    char err[512];
    pledgex_index *ix;
    if (pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pledgex_query q = {0};
    q.text = text;
    q.limit = 1 << 30;
    size_t n = 0;
    int rc = pledgex_search(ix, &q, NULL, NULL, &n);
    if (rc != PLEDGEX_OK)
        fprintf(stderr, "%s\n", pledgex_index_errmsg(ix));
    printf("%zu\n", n);
    pledgex_index_free(&ix);
    return rc != PLEDGEX_OK;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "count"))
        return count(argv[2], argv[3]);
    if (argc >= 3 && !strcmp(argv[1], "fts-stats"))
        return fts_stats(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "optimize"))
        return optimize(argv[2]);
    if (argc >= 4 && !strcmp(argv[1], "sql"))
        return sql_time(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
    if (argc >= 5 && !strcmp(argv[1], "load"))
        return load(argv[2], argv[3], argv[4]);
    if (argc >= 5 && !strcmp(argv[1], "query"))
        return query(argv[2], argv[3], atoi(argv[4]));
    fprintf(stderr, "usage: search-bench load DB MANIFEST DIR | query DB QUERIES ROUNDS\n");
    return 2;
}
