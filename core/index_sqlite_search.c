/*
 * index_sqlite_search.c -- queries over the SQLite index: ranked search with
 * filters, facets, units, and "did you mean".
 *
 * Ranking: BM25 of the accent-free match, times the block's weight (titles
 * and captions up, doubtful OCR down), plus a large bonus when the block also
 * matches the query with its accents as typed, so `thi đua` lists the exact
 * `thi đua` before `thì dưa`.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_sqlite.h"
#include "json.h"
#include "query.h"
#include "textnorm.h"

#define EXACT_BONUS 100.0

typedef struct filter_sql {
    pledgex_strbuf where; /* " AND ..." clauses on d */
    char *unit, *signed_by;
    char from[11], to[11];
    int has_from, has_to;
} filter_sql;

/* Folded form for LIKE matching of units, with UBND expanded. */
static char *fold_unit(const char *s)
{
    char *f = pledgex__fold_ascii(s, strlen(s));
    if (!f)
        return NULL;
    char *at = strstr(f, "ubnd");
    if (!at)
        return f;
    const char *full = "uy ban nhan dan";
    size_t n = strlen(f) + strlen(full) + 1;
    char *g = malloc(n);
    if (g)
        snprintf(g, n, "%.*s%s%s", (int)(at - f), f, full, at + 4);
    free(f);
    return g;
}

static int build_filters(pledgex_index *ix, const pledgex_query *q, filter_sql *fs)
{
    memset(fs, 0, sizeof *fs);
    pledgex__sb_puts(&fs->where, "");
    if (q->unit && *q->unit) {
        fs->unit = fold_unit(q->unit);
        pledgex__sb_puts(&fs->where,
                         " AND d.id IN (SELECT doc_id FROM entities WHERE type IN "
                         "('unit','signatory') AND folded LIKE '%' || :unit || '%')");
    }
    if (q->signed_by && *q->signed_by) {
        fs->signed_by = fold_unit(q->signed_by);
        pledgex__sb_puts(&fs->where,
                         " AND d.id IN (SELECT doc_id FROM entities WHERE type IN "
                         "('signatory','person') AND (folded LIKE '%' || :signed || '%' OR "
                         "lower(text) LIKE '%' || :signed || '%'))");
    }
    char a[11], b[11];
    if (q->from && *q->from) {
        if (pledgex__date_bounds(q->from, a, b))
            return pledgex__index_error(ix, PLEDGEX_FAILED,
                                        "--from %s: not a date (use 2024-03-19, 2024-03, "
                                        "2023-Q4 or 2024)",
                                        q->from);
        memcpy(fs->from, a, 11);
        fs->has_from = 1;
    }
    if (q->to && *q->to) {
        if (pledgex__date_bounds(q->to, a, b))
            return pledgex__index_error(ix, PLEDGEX_FAILED,
                                        "--to %s: not a date (use 2024-03-19, 2024-03, "
                                        "2023-Q4 or 2024)",
                                        q->to);
        memcpy(fs->to, b, 11);
        fs->has_to = 1;
    }
    if (q->year) {
        char y[8];
        snprintf(y, sizeof y, "%04d", q->year);
        pledgex__date_bounds(y, a, b);
        if (!fs->has_from || strcmp(a, fs->from) > 0)
            memcpy(fs->from, a, 11);
        if (!fs->has_to || strcmp(b, fs->to) < 0)
            memcpy(fs->to, b, 11);
        fs->has_from = fs->has_to = 1;
    }
    if (fs->has_from || fs->has_to)
        pledgex__sb_puts(&fs->where,
                         " AND d.id IN (SELECT doc_id FROM entities WHERE type='date' AND "
                         "date_end >= :from AND date_start <= :to)");
    if (q->kind && *q->kind)
        pledgex__sb_puts(&fs->where, " AND d.kind = :kind");
    if (fs->where.oom || (q->unit && !fs->unit) || (q->signed_by && !fs->signed_by))
        return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    return PLEDGEX_OK;
}

static void bind_filters(sqlite3_stmt *st, const pledgex_query *q, const filter_sql *fs)
{
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":unit")))
        sqlite3_bind_text(st, i, fs->unit, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":signed")))
        sqlite3_bind_text(st, i, fs->signed_by, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":from")))
        sqlite3_bind_text(st, i, fs->has_from ? fs->from : "0000-01-01", -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":to")))
        sqlite3_bind_text(st, i, fs->has_to ? fs->to : "9999-12-31", -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":kind")))
        sqlite3_bind_text(st, i, q->kind, -1, SQLITE_STATIC);
}

static void free_filters(filter_sql *fs)
{
    free(fs->where.s);
    free(fs->unit);
    free(fs->signed_by);
}

/* JSON array of the distinct values of one entity type of a document. */
static char *chips(sqlite3 *db, sqlite3_int64 id, const char *type)
{
    sqlite3_stmt *st;
    char *res = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT json_group_array(v) FROM (SELECT DISTINCT value AS v FROM "
                           "entities WHERE doc_id=?1 AND type=?2 AND value IS NOT NULL ORDER "
                           "BY v)",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        res = t ? strdup(t) : NULL;
    }
    sqlite3_finalize(st);
    return res;
}

/* Translates the user's query twice: folded (what matches) and as typed
 * (what ranks first; NULL when the user typed no accents). */
static int translate(pledgex_index *ix, const char *text, char **broad, char **exact)
{
    char err[256];
    int accents = 0;
    *broad = *exact = NULL;
    int rc = pledgex__query_to_fts(text ? text : "", 1, broad, &accents, err, sizeof err);
    if (rc != PLEDGEX_OK)
        return pledgex__index_error(ix, rc, "cannot search for '%s': %s", text ? text : "", err);
    if (accents && pledgex__query_to_fts(text, 0, exact, NULL, err, sizeof err) != PLEDGEX_OK)
        *exact = NULL;
    return PLEDGEX_OK;
}

int pledgex__sq_search(pledgex_index *ix, const pledgex_query *q, pledgex_hit_fn fn, void *user,
                       size_t *nhits)
{
    sqlite3 *db = pledgex__sq_db(ix);
    char *broad, *exact;
    int rc = translate(ix, q->text, &broad, &exact);
    if (rc)
        return rc;
    filter_sql fs;
    if ((rc = build_filters(ix, q, &fs))) {
        free_filters(&fs);
        free(broad);
        free(exact);
        return rc;
    }
    pledgex_strbuf sql = {0};
    pledgex__sb_puts(&sql,
                     "WITH m AS (SELECT rowid AS bid, bm25(blocks_fts) AS r, "
                     "snippet(blocks_fts, 0, char(2), char(3), '…', 16) AS snip "
                     "FROM blocks_fts WHERE blocks_fts MATCH :broad), "
                     "x AS (SELECT rowid AS bid FROM blocks_fts WHERE :exact IS NOT NULL AND "
                     "blocks_fts MATCH coalesce(:exact, '\"\"')) "
                     "SELECT d.id, d.address, b.page, m.snip, "
                     "(-m.r) * b.weight + CASE WHEN m.bid IN (SELECT bid FROM x) THEN ");
    pledgex__sb_printf(&sql, "%.1f", EXACT_BONUS);
    pledgex__sb_puts(&sql, " ELSE 0 END AS score "
                           "FROM m JOIN blocks b ON b.id = m.bid JOIN docs d ON d.id = b.doc_id "
                           "WHERE 1");
    pledgex__sb_puts(&sql, fs.where.s ? fs.where.s : "");
    pledgex__sb_puts(&sql, " ORDER BY score DESC, d.address, b.page");
    char *s = pledgex__sb_finish(&sql);
    sqlite3_stmt *st = NULL;
    if (!s || sqlite3_prepare_v2(db, s, -1, &st, NULL) != SQLITE_OK) {
        rc = pledgex__index_error(ix, PLEDGEX_FATAL, "search: %s", sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":broad"), broad, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":exact"), exact, -1, SQLITE_STATIC);
    bind_filters(st, q, &fs);

    /* One hit per document: its best block.  Seen ids in a small array. */
    int limit = q->limit > 0 ? q->limit : 20;
    int offset = q->offset > 0 ? q->offset : 0;
    sqlite3_int64 *seen = NULL;
    size_t nseen = 0, cap = 0, emitted = 0;
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        int dup = 0;
        for (size_t i = 0; i < nseen && !dup; i++)
            dup = seen[i] == id;
        if (dup)
            continue;
        if (nseen == cap) {
            cap = cap ? cap * 2 : 64;
            sqlite3_int64 *g = realloc(seen, cap * sizeof *seen);
            if (!g) {
                rc = pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
                break;
            }
            seen = g;
        }
        seen[nseen++] = id;
        if ((int)nseen <= offset)
            continue;
        char *units = chips(db, id, "unit");
        char *dates = chips(db, id, "date");
        pledgex_hit h = {(const char *)sqlite3_column_text(st, 1), sqlite3_column_double(st, 4),
                         sqlite3_column_int(st, 2), (const char *)sqlite3_column_text(st, 3),
                         units ? units : "[]", dates ? dates : "[]"};
        stop = fn ? fn(user, &h) : 0;
        free(units);
        free(dates);
        emitted++;
        if ((int)emitted >= limit)
            break;
    }
    if (rc == PLEDGEX_OK && !stop && (int)emitted < limit && step != SQLITE_DONE &&
        step != SQLITE_ROW)
        rc = pledgex__index_error(ix, PLEDGEX_FAILED, "cannot search for '%s': %s", q->text,
                                  sqlite3_errmsg(db));
    free(seen);
    if (nhits)
        *nhits = emitted;
done:
    sqlite3_finalize(st);
    free(s);
    free_filters(&fs);
    free(broad);
    free(exact);
    return rc;
}

int pledgex__sq_facets(pledgex_index *ix, const pledgex_query *q,
                       int (*fn)(void *, const char *, const char *, long), void *user)
{
    sqlite3 *db = pledgex__sq_db(ix);
    char *broad, *exact;
    int rc = translate(ix, q->text, &broad, &exact);
    if (rc)
        return rc;
    free(exact);
    filter_sql fs;
    if ((rc = build_filters(ix, q, &fs))) {
        free_filters(&fs);
        free(broad);
        return rc;
    }
    static const char *const facet_sql[2] = {
        "SELECT 'unit', value, count(DISTINCT doc_id) AS n FROM entities WHERE type='unit' "
        "AND value IS NOT NULL AND doc_id IN (SELECT id FROM hits) GROUP BY value "
        "ORDER BY n DESC, value LIMIT 50",
        "SELECT 'year', substr(date_start,1,4) AS y, count(DISTINCT doc_id) AS n FROM entities "
        "WHERE type='date' AND date_start IS NOT NULL AND doc_id IN (SELECT id FROM hits) "
        "GROUP BY y ORDER BY y",
    };
    for (int k = 0; k < 2 && rc == PLEDGEX_OK; k++) {
        pledgex_strbuf sql = {0};
        pledgex__sb_puts(&sql, "WITH hits AS (SELECT DISTINCT d.id AS id FROM blocks_fts "
                               "JOIN blocks b ON b.id = blocks_fts.rowid JOIN docs d ON "
                               "d.id = b.doc_id WHERE blocks_fts MATCH :broad");
        pledgex__sb_puts(&sql, fs.where.s ? fs.where.s : "");
        pledgex__sb_puts(&sql, ") ");
        pledgex__sb_puts(&sql, facet_sql[k]);
        char *s = pledgex__sb_finish(&sql);
        sqlite3_stmt *st = NULL;
        if (!s || sqlite3_prepare_v2(db, s, -1, &st, NULL) != SQLITE_OK) {
            rc = pledgex__index_error(ix, PLEDGEX_FATAL, "facets: %s", sqlite3_errmsg(db));
        } else {
            sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":broad"), broad, -1,
                              SQLITE_STATIC);
            bind_filters(st, q, &fs);
            int step;
            while ((step = sqlite3_step(st)) == SQLITE_ROW)
                if (fn(user, (const char *)sqlite3_column_text(st, 0),
                       (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2)))
                    break;
            if (step != SQLITE_ROW && step != SQLITE_DONE)
                rc = pledgex__index_error(ix, PLEDGEX_FAILED, "facets: %s", sqlite3_errmsg(db));
        }
        sqlite3_finalize(st);
        free(s);
    }
    free_filters(&fs);
    free(broad);
    return rc;
}

int pledgex__sq_units(pledgex_index *ix, int (*fn)(void *, const char *, long, const char *),
                      void *user)
{
    sqlite3 *db = pledgex__sq_db(ix);
    sqlite3_stmt *st;
    const char *sql =
        "SELECT u.value, count(DISTINCT u.doc_id) AS n, "
        " (SELECT group_concat(y, ',') FROM (SELECT DISTINCT substr(e.date_start,1,4) AS y "
        "   FROM entities e WHERE e.type='date' AND e.date_start IS NOT NULL AND "
        "   e.role IN ('document','published','taken') AND e.doc_id IN "
        "   (SELECT doc_id FROM entities WHERE type='unit' AND value=u.value) ORDER BY y)) "
        "FROM entities u WHERE u.type='unit' AND u.value IS NOT NULL "
        "GROUP BY u.value ORDER BY n DESC, u.value";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "units: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW)
        if (fn(user, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
               (const char *)sqlite3_column_text(st, 2)))
            break;
    sqlite3_finalize(st);
    return PLEDGEX_OK;
}

/* ----------------------------------------------------------- did you mean */

static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *prev = malloc((lb + 1) * sizeof *prev), *cur = malloc((lb + 1) * sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return (size_t)-1;
    }
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t m = sub < del ? sub : del;
            cur[j] = m < ins ? m : ins;
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    size_t d = prev[lb];
    free(prev);
    free(cur);
    return d;
}

/* The indexed term nearest to `word` (accent-free comparison; the accented
 * form is preferred for display), or NULL.  Caller frees. */
static char *nearest_term(sqlite3 *db, const char *word)
{
    char *w = pledgex__fold_ascii(word, strlen(word));
    if (!w)
        return NULL;
    size_t lw = strlen(w);
    size_t max = lw <= 3 ? 0 : lw <= 6 ? 1 : 2;
    sqlite3_stmt *st;
    char *best = NULL;
    size_t best_d = max + 1;
    long best_n = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT term, doc FROM temp.px_vocab WHERE length(term) BETWEEN ?1 "
                           "AND ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int(st, 1, (int)(lw > max ? lw - max : 1));
        sqlite3_bind_int(st, 2, (int)(lw + max + 8)); /* accented terms are longer in bytes */
        int exact_hit = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            long n = sqlite3_column_int64(st, 1);
            char *ft = pledgex__fold_ascii(t, strlen(t));
            if (!ft)
                continue;
            if (!strcmp(ft, w) && !strcmp(t, ft)) {
                exact_hit = 1; /* the word itself is indexed */
            }
            size_t d = distance(ft, w);
            int accented = strcmp(t, ft) != 0;
            if (d <= max && (d < best_d || (d == best_d && (n > best_n || accented)))) {
                free(best);
                best = strdup(t);
                best_d = d;
                best_n = n;
            }
            free(ft);
        }
        sqlite3_finalize(st);
        if (exact_hit && best_d > 0) {
            free(best);
            best = NULL;
        }
    }
    free(w);
    return best;
}

char *pledgex__sq_suggest(pledgex_index *ix, const char *text)
{
    sqlite3 *db = pledgex__sq_db(ix);
    if (sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE IF NOT EXISTS temp.px_vocab USING "
                     "fts5vocab(main, blocks_fts, row)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return NULL;
    pledgex_strbuf b = {0};
    int changed = 0;
    char *copy = strdup(text ? text : "");
    if (!copy)
        return NULL;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t\"()*", &save); w; w = strtok_r(NULL, " \t\"()*", &save)) {
        if (!strcmp(w, "AND") || !strcmp(w, "OR") || !strcmp(w, "NOT")) {
            pledgex__sb_printf(&b, "%s%s", b.len ? " " : "", w);
            continue;
        }
        char *near = nearest_term(db, w);
        char *fw = pledgex__fold_exact(w, strlen(w));
        if (near && fw && strcmp(near, fw)) {
            changed = 1;
            pledgex__sb_printf(&b, "%s%s", b.len ? " " : "", near);
        } else {
            pledgex__sb_printf(&b, "%s%s", b.len ? " " : "", w);
        }
        free(near);
        free(fw);
    }
    free(copy);
    char *s = pledgex__sb_finish(&b);
    if (!s || !changed) {
        free(s);
        return NULL;
    }
    /* double-NUL terminated list of one suggestion */
    size_t n = strlen(s);
    char *out = realloc(s, n + 2);
    if (!out) {
        free(s);
        return NULL;
    }
    out[n + 1] = 0;
    return out;
}
