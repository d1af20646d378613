/*
 * index_sqlite_search.c -- queries over the SQLite index: ranked search with
 * filters, facets, units, and "did you mean".
 *
 * Matching.  The pledgex tokenizer indexes each word's exact form (tone
 * placement canonical, lower case) and, at the same position, its
 * accent-free form (đ = d).  A query typed with accents runs twice: first
 * as typed (exact accents only: those documents come first, their score
 * raised by EXACT_BONUS), then folded to ASCII (every accent variant),
 * skipping the documents already listed.  So `thi đua` lists `thi đua`
 * before `thì dưa`, and `thi dua` finds both.
 *
 * Ranking.  BM25 (k1 1.2, b 0.75) with field weights: blocks_fts has one
 * column per lane (body; head: titles and captions x2; weak: doubtful OCR
 * x0.5).  FTS5's own ORDER BY rank scores every match (half a second for a
 * common word at 100k documents), so matches are ranked in windows of the
 * RANK_WINDOW newest blocks (see run_phase); the features come from the
 * pxfeat() auxiliary function, the document frequencies from the window.
 *
 * One hit per document: its best block.  Filters (unit, signatory, dates,
 * kind) are resolved first into a set of document ids (and, when that set
 * is small, of block ids), so checking a ranked block costs a bit test, not
 * a query; only the blocks that become hits are looked up, snippeted
 * (pxsnippet(), no second full-text query) and given their chips.
 */
#include <config.h>

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "fts_tokenizer.h"
#include "index_sqlite.h"
#include "json.h"
#include "query.h"
#include "textnorm.h"

/* Added to the score of documents matching the accents as typed; BM25
 * scores of real text stay far below it. */
#define EXACT_BONUS 100.0
/* Up to this many filtered documents, their blocks are listed up front so
 * that ranked blocks of other documents are dropped without a lookup. */
#define BLOCKSET_MAX_DOCS 2000
/* Matching blocks ranked together (see run_phase). */
#define RANK_WINDOW 1000
/* Up to this many filtered blocks, FTS5 tests just those blocks (by rowid)
 * instead of walking the matches of the query.  A rowid test probes every
 * segment of the index for every phrase (~10 us merged, ~80 us in a
 * freshly ingested index), a walk costs well under 1 us a match. */
#define SMALLSET_BLOCKS 100
/* Added to a block's score for each pair of consecutive query words it has
 * side by side (pxfeat()): about one more occurrence of a rare word, so
 * `bien phong` ranks `Biên phòng` above a longer text with `phong` and
 * `biến` apart, while term frequency still orders blocks that both have
 * the phrase. */
#define ADJACENT_WEIGHT 2.0
/* BM25 parameters, as FTS5's bm25(). */
#define BM25_K1 1.2
#define BM25_B 0.75

/* ------------------------------------------------------------ id sets */

/* SQL function pxhas(set, id): 1 when id is in the bit set bound as a
 * pointer (PLEDGEX_ROWSET_TYPE). */
static void fn_has(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const pledgex_rowset *set = sqlite3_value_pointer(argv[0], PLEDGEX_ROWSET_TYPE);
    sqlite3_int64 id = sqlite3_value_int64(argv[1]);
    sqlite3_result_int(ctx, set && id >= 0 && id < set->n &&
                                ((set->bits[id / 64] >> (id % 64)) & 1));
}

int pledgex__sq_search_register(sqlite3 *db)
{
    return sqlite3_create_function(db, "pxhas", 2, SQLITE_UTF8, NULL, fn_has, NULL, NULL);
}

typedef struct bitset {
    uint64_t *w;
    sqlite3_int64 n; /* bits */
} bitset;

static int bs_init(bitset *b, sqlite3_int64 n)
{
    b->n = n + 1;
    b->w = calloc((size_t)(b->n / 64 + 1), sizeof *b->w);
    return b->w ? 0 : -1;
}

static void bs_set(bitset *b, sqlite3_int64 i)
{
    if (i >= 0 && i < b->n)
        b->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static int bs_has(const bitset *b, sqlite3_int64 i)
{
    return i >= 0 && i < b->n && (b->w[i / 64] >> (i % 64)) & 1;
}

/* Open-addressing set of document ids already listed. */
typedef struct idset {
    sqlite3_int64 *slot; /* 0 = empty (ids start at 1) */
    size_t cap, n;
} idset;

/* 1 when id was new (and is now in), 0 when present, -1 out of memory. */
static int ids_add(idset *s, sqlite3_int64 id)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        sqlite3_int64 *g = calloc(cap, sizeof *g);
        if (!g)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i])
                continue;
            size_t j = (size_t)(s->slot[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (g[j])
                j = (j + 1) & (cap - 1);
            g[j] = s->slot[i];
        }
        free(s->slot);
        s->slot = g;
        s->cap = cap;
    }
    size_t j = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == id)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = id;
    s->n++;
    return 1;
}

/* ------------------------------------------------------------ filters */

/* Folded form for matching unit names, with UBND expanded. */
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

typedef struct filters {
    int active;          /* any filter given                           */
    bitset docs;         /* documents passing every filter             */
    bitset blocks;       /* their blocks, when few enough (else w NULL) */
    size_t ndocs, nblocks;
    char *small;         /* JSON array of those blocks, when very few   */
} filters;

static void free_filters(filters *f)
{
    free(f->docs.w);
    free(f->blocks.w);
    free(f->small);
    memset(f, 0, sizeof *f);
}

static sqlite3_int64 max_id(sqlite3 *db, const char *table)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT max(rowid) FROM %s", table);
    sqlite3_stmt *st;
    sqlite3_int64 n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return n;
}

/* Runs one filter's SQL (it yields document ids; ?1..?3 are bound from
 * a, b, c) and keeps in `into` only the documents it yields. */
static int apply_filter(pledgex_index *ix, bitset *into, int first, const char *sql,
                        const char *a, const char *b, const char *c)
{
    sqlite3 *db = pledgex__sq_db(ix);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "search filter: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
    bitset mine;
    if (bs_init(&mine, into->n - 1)) {
        sqlite3_finalize(st);
        return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        bs_set(&mine, sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        free(mine.w);
        return pledgex__index_error(ix, PLEDGEX_FATAL, "search filter: %s", sqlite3_errmsg(db));
    }
    size_t nw = (size_t)(into->n / 64 + 1);
    for (size_t i = 0; i < nw; i++)
        into->w[i] = first ? mine.w[i] : into->w[i] & mine.w[i];
    free(mine.w);
    return PLEDGEX_OK;
}

/* 1 when every word of `words` is a whole word of `name`, in order
 * ("so tu phap nghe an" names "so tu phap tinh nghe an"); both folded. */
static int words_in_order(const char *name, const char *words)
{
    const char *n = name;
    for (const char *w = words; *w;) {
        while (*w && !isalnum((unsigned char)*w))
            w++;
        size_t wl = 0;
        while (isalnum((unsigned char)w[wl]))
            wl++;
        if (!wl)
            break;
        int found = 0;
        while (*n && !found) {
            while (*n && !isalnum((unsigned char)*n))
                n++;
            size_t nl = 0;
            while (isalnum((unsigned char)n[nl]))
                nl++;
            found = nl == wl && !memcmp(n, w, wl);
            n += nl;
        }
        if (!found)
            return 0;
        w += wl;
    }
    return 1;
}

/* Keeps the documents naming `name` in an entity of one of `types`: the
 * distinct folded names (a few hundred) are matched word by word here,
 * then their documents come from name_keys (schema migration 8). */
static int name_filter(pledgex_index *ix, bitset *into, int first, const char *types,
                       const char *name, const pledgex_gazetteer *gz)
{
    sqlite3 *db = pledgex__sq_db(ix);
    char *key = fold_unit(name);
    if (!key)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    /* An alias ("Sở GD&ĐT") names the unit through its canonical name. */
    char *canon = gz ? pledgex__unit_canonical(name, gz) : NULL;
    char *alias = canon ? fold_unit(canon) : NULL;
    free(canon);
    if (alias && !strcmp(alias, key)) {
        free(alias);
        alias = NULL;
    }
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id, folded FROM entity_names WHERE type IN %s", types);
    sqlite3_stmt *names = NULL, *docs = NULL;
    bitset mine = {0};
    int rc = PLEDGEX_OK;
    if (sqlite3_prepare_v2(db, sql, -1, &names, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT doc_id FROM name_keys WHERE name_id = ?1", -1, &docs,
                           NULL) != SQLITE_OK)
        rc = pledgex__index_error(ix, PLEDGEX_FATAL, "search filter: %s", sqlite3_errmsg(db));
    else if (bs_init(&mine, into->n - 1))
        rc = pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    while (rc == PLEDGEX_OK && sqlite3_step(names) == SQLITE_ROW) {
        const char *folded = (const char *)sqlite3_column_text(names, 1);
        if (!folded || (!words_in_order(folded, key) && !(alias && words_in_order(folded, alias))))
            continue;
        sqlite3_reset(docs);
        sqlite3_bind_int64(docs, 1, sqlite3_column_int64(names, 0));
        while (sqlite3_step(docs) == SQLITE_ROW)
            bs_set(&mine, sqlite3_column_int64(docs, 0));
    }
    if (rc == PLEDGEX_OK) {
        size_t nw = (size_t)(into->n / 64 + 1);
        for (size_t i = 0; i < nw; i++)
            into->w[i] = first ? mine.w[i] : into->w[i] & mine.w[i];
    }
    free(mine.w);
    sqlite3_finalize(names);
    sqlite3_finalize(docs);
    free(key);
    free(alias);
    return rc;
}

/* "YYYY-MM-DD" as "YYYYMMDD", the digits of a date_keys day number. */
static void day_digits(const char date[11], char out[9])
{
    memcpy(out, date, 4);
    memcpy(out + 4, date + 5, 2);
    memcpy(out + 6, date + 8, 2);
    out[8] = 0;
}

static int date_arg(pledgex_index *ix, const char *opt, const char *v, char start[11],
                    char end[11])
{
    if (pledgex__date_bounds(v, start, end))
        return pledgex__index_error(ix, PLEDGEX_FAILED,
                                    "%s %s: not a date (use 2024-03-19, 2024-03, 2023-Q4, "
                                    "2024 or 2021/2025)",
                                    opt, v);
    return PLEDGEX_OK;
}

/* Resolves the filters of q into document (and block) sets. */
static int build_filters(pledgex_index *ix, const pledgex_query *q, filters *f)
{
    memset(f, 0, sizeof *f);
    char from[11] = "0000-01-01", to[11] = "9999-12-31", a[11], b[11];
    int dated = 0;
    if (q->from && *q->from) {
        if (date_arg(ix, "--from", q->from, a, b))
            return PLEDGEX_FAILED;
        memcpy(from, a, 11);
        dated = 1;
    }
    if (q->to && *q->to) {
        if (date_arg(ix, "--to", q->to, a, b))
            return PLEDGEX_FAILED;
        memcpy(to, b, 11);
        dated = 1;
    }
    if (q->year) {
        char y[16];
        snprintf(y, sizeof y, "%04d", q->year);
        if (q->year < 1 || q->year > 9999 || pledgex__date_bounds(y, a, b))
            return pledgex__index_error(ix, PLEDGEX_FAILED, "--year %d: not a year", q->year);
        if (strcmp(a, from) > 0)
            memcpy(from, a, 11);
        if (strcmp(b, to) < 0)
            memcpy(to, b, 11);
        dated = 1;
    }
    int unit = q->unit && *q->unit, signer = q->signed_by && *q->signed_by;
    int kind = q->kind && *q->kind;
    if (!dated && !unit && !signer && !kind)
        return PLEDGEX_OK;
    f->active = 1;
    sqlite3 *db = pledgex__sq_db(ix);
    if (bs_init(&f->docs, max_id(db, "docs")))
        return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    int rc = PLEDGEX_OK, first = 1;
    pledgex_gazetteer *gz = NULL;
    char gzerr[256];
    if ((unit || signer) && pledgex__gazetteer_load(&gz, NULL, gzerr, sizeof gzerr) != PLEDGEX_OK)
        gz = NULL; /* without it, names match as written */
    if (unit) {
        rc = name_filter(ix, &f->docs, first, "('unit','signatory')", q->unit, gz);
        first = 0;
    }
    if (rc == PLEDGEX_OK && signer) {
        rc = name_filter(ix, &f->docs, first, "('signatory','person')", q->signed_by, gz);
        first = 0;
    }
    pledgex__gazetteer_free(&gz);
    if (rc == PLEDGEX_OK && dated) {
        /* A date entity overlapping [from, to]: "2023" matches --year 2023
         * and --from 2023-06.  date_keys (schema migration 8) holds its
         * days as YYYYMMDD numbers, bound as text and cast once: compared
         * as text with the integer columns, each comparison converted them
         * again (sqlite3AtoF, a tenth of a filtered search at 100k
         * documents).  Dates spanning less than two calendar
         * years (nearly all) start at most a year before `from` if they
         * reach it, which bounds the key range; longer spans are the
         * multi_year keys, read apart. */
        char lo[24] = "00000101", dfrom[9], dto[9];
        int y = atoi(from);
        if (y >= 1 && y <= 9999)
            snprintf(lo, sizeof lo, "%04d0101", y - 1);
        day_digits(from, dfrom);
        day_digits(to, dto);
        rc = apply_filter(ix, &f->docs, first,
                          "SELECT doc_id FROM date_keys WHERE multi_year = 0 AND start_day "
                          "BETWEEN CAST(?3 AS INTEGER) AND CAST(?2 AS INTEGER) AND end_day >= "
                          "CAST(?1 AS INTEGER) UNION ALL SELECT doc_id FROM date_keys WHERE "
                          "multi_year = 1 AND start_day <= CAST(?2 AS INTEGER) AND end_day >= "
                          "CAST(?1 AS INTEGER)",
                          dfrom, dto, lo);
        first = 0;
    }
    if (rc == PLEDGEX_OK && kind) {
        rc = apply_filter(ix, &f->docs, first, "SELECT id FROM docs WHERE kind = ?1", q->kind,
                          NULL, NULL);
        first = 0;
    }
    if (rc != PLEDGEX_OK)
        return rc;
    size_t nw = (size_t)(f->docs.n / 64 + 1);
    for (size_t i = 0; i < nw; i++)
        f->ndocs += (size_t)__builtin_popcountll(f->docs.w[i]);
    if (f->ndocs > 0 && f->ndocs <= BLOCKSET_MAX_DOCS) {
        sqlite3_stmt *st;
        if (bs_init(&f->blocks, max_id(db, "blocks")))
            return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
        if (sqlite3_prepare_v2(db, "SELECT id FROM blocks WHERE doc_id = ?1", -1, &st, NULL) !=
            SQLITE_OK)
            return pledgex__index_error(ix, PLEDGEX_FATAL, "search: %s", sqlite3_errmsg(db));
        pledgex_strbuf ids = {0};
        pledgex__sb_puts(&ids, "[");
        for (sqlite3_int64 d = 0; d < f->docs.n; d++) {
            if (!bs_has(&f->docs, d))
                continue;
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, d);
            while (sqlite3_step(st) == SQLITE_ROW) {
                sqlite3_int64 b = sqlite3_column_int64(st, 0);
                bs_set(&f->blocks, b);
                if (f->nblocks++ < SMALLSET_BLOCKS)
                    pledgex__sb_printf(&ids, "%s%lld", f->nblocks > 1 ? "," : "", (long long)b);
            }
        }
        sqlite3_finalize(st);
        pledgex__sb_puts(&ids, "]");
        f->small = pledgex__sb_finish(&ids);
        if (f->nblocks > SMALLSET_BLOCKS) {
            free(f->small);
            f->small = NULL;
        } else if (!f->small) {
            return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
        }
    }
    return PLEDGEX_OK;
}

/* A read transaction around a query, so its statements see one state;
 * none when a write transaction is already open on this connection. */
static int read_begin(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        return 0;
    return sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

static void read_end(sqlite3 *db, int began)
{
    if (began)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

/* ------------------------------------------------------------- search */

/* Translates the user's query twice: folded (what matches) and as typed
 * (what ranks first; NULL when the user typed no accents); *words (may be
 * NULL) the folded words to highlight. */
static int translate(pledgex_index *ix, const char *text, char **broad, char **exact,
                     char **words)
{
    char err[256];
    int accents = 0;
    *broad = *exact = NULL;
    int rc = pledgex__query_parse(text ? text : "", 1, broad, &accents, words, err, sizeof err);
    if (rc != PLEDGEX_OK)
        return pledgex__index_error(ix, rc, "cannot search for '%s': %s", text ? text : "", err);
    if (accents && pledgex__query_to_fts(text, 0, exact, NULL, err, sizeof err) != PLEDGEX_OK)
        *exact = NULL;
    return PLEDGEX_OK;
}

/* A query without words (blank): what the filters alone pass is listed.
 * Without a filter either, it is the parser's error. */
static int query_blank(const char *text)
{
    for (const char *p = text; p && *p; p++)
        if (!isspace((unsigned char)*p))
            return 0;
    return 1;
}

static int blank_needs_filter(pledgex_index *ix, const char *text)
{
    return pledgex__index_error(ix, PLEDGEX_FAILED,
                                "cannot search for '%s': the query has no words, and no filter "
                                "(unit, signatory, dates, year, kind) to list what it passes",
                                text ? text : "");
}

typedef struct searcher {
    pledgex_index *ix;
    sqlite3 *db;
    const pledgex_query *q;
    filters f;
    idset seen;
    idset shas;          /* contents listed (keys of their SHA-256) */
    sqlite3_stmt *copies; /* the other documents of one SHA-256 */
    sqlite3_stmt *where; /* block id -> doc id, address, page */
    sqlite3_stmt *snip;  /* snippet of one block               */
    const char *words;   /* what snippets highlight            */
    sqlite3_stmt *chips; /* unit and date chips of one doc     */
    sqlite3_int64 unit_type, date_type; /* their ids in `strings`, -1 if none */
    int own[4];          /* where, copies, snip, chips: see pledgex__sq_stmt */
    pledgex_hit_fn fn;
    void *user;
    size_t emitted, listed;
    int limit, offset, stop;
} searcher;

/* A 64-bit key for a SHA-256 digest (FNV-1a of the whole hex string,
 * never 0), or 0 without one: two different files collide with odds of
 * 1 in 2^64 per pair. */
static sqlite3_int64 sha_key(const char *sha)
{
    if (!sha || !*sha)
        return 0;
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)sha; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (sqlite3_int64)(h ? h >> 1 : 1) | 1;
}

/* The addresses of the other documents with the SHA-256 of document
 * `doc`, as a JSON array in *b: the same file in a folder, a ZIP, a tar. */
static void copies_of(searcher *s, sqlite3_int64 doc, const char *sha, pledgex_strbuf *b)
{
    pledgex__sb_puts(b, "[");
    sqlite3_reset(s->copies);
    sqlite3_bind_text(s->copies, 1, sha, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s->copies, 2, doc);
    for (int n = 0; sqlite3_step(s->copies) == SQLITE_ROW; n++) {
        if (n)
            pledgex__sb_puts(b, ",");
        pledgex__sb_json_str(b, (const char *)sqlite3_column_text(s->copies, 0));
    }
    pledgex__sb_puts(b, "]");
}

/* The unit and date chips of document `doc`: the distinct values of its
 * unit and date entities, sorted, as JSON arrays (chips[0] units,
 * chips[1] dates).  One indexed statement that sorts them; the JSON is
 * written here: the SQL that grouped, sorted and encoded them per type
 * (two subqueries through the entities_v view, json_group_array) cost a
 * fifth of a search at 100k documents (bench/search). */
static int chips_of(searcher *s, sqlite3_int64 doc, pledgex_strbuf chips[2])
{
    size_t count[2] = {0, 0};
    sqlite3_reset(s->chips);
    sqlite3_bind_int64(s->chips, 1, doc);
    sqlite3_bind_int64(s->chips, 2, s->unit_type);
    sqlite3_bind_int64(s->chips, 3, s->date_type);
    while (sqlite3_step(s->chips) == SQLITE_ROW) {
        int k = sqlite3_column_int(s->chips, 0); /* 1: a date */
        const char *value = (const char *)sqlite3_column_text(s->chips, 1);
        if (!value)
            continue;
        pledgex__sb_puts(&chips[k], count[k]++ ? "," : "[");
        pledgex__sb_json_str(&chips[k], value);
    }
    for (int k = 0; k < 2; k++)
        pledgex__sb_puts(&chips[k], count[k] ? "]" : "[]");
    if (chips[0].oom || chips[1].oom)
        return pledgex__index_error(s->ix, PLEDGEX_FATAL, "out of memory");
    return PLEDGEX_OK;
}

static int emit_hit(searcher *s, sqlite3_int64 bid, double score)
{
    sqlite3_reset(s->where);
    sqlite3_bind_int64(s->where, 1, bid);
    if (sqlite3_step(s->where) != SQLITE_ROW)
        return PLEDGEX_OK; /* a block deleted under us */
    sqlite3_int64 doc = sqlite3_column_int64(s->where, 0);
    if (s->f.active && !bs_has(&s->f.docs, doc))
        return PLEDGEX_OK;
    int fresh = ids_add(&s->seen, doc);
    if (fresh < 0)
        return pledgex__index_error(s->ix, PLEDGEX_FATAL, "out of memory");
    if (!fresh)
        return PLEDGEX_OK;
    /* One hit per content: the first copy found lists the others. */
    const char *sha = (const char *)sqlite3_column_text(s->where, 3);
    sqlite3_int64 key = s->q->all_copies ? 0 : sha_key(sha);
    if (key) {
        int fresh_content = ids_add(&s->shas, key);
        if (fresh_content < 0)
            return pledgex__index_error(s->ix, PLEDGEX_FATAL, "out of memory");
        if (!fresh_content)
            return PLEDGEX_OK;
    }
    if ((int)s->listed++ < s->offset)
        return PLEDGEX_OK;
    if (!s->fn) { /* only counting */
        if ((int)++s->emitted >= s->limit)
            s->stop = 1;
        return PLEDGEX_OK;
    }
    sqlite3_reset(s->snip);
    sqlite3_bind_text(s->snip, 1, s->words, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s->snip, 2, bid);
    const char *snip = sqlite3_step(s->snip) == SQLITE_ROW
                           ? (const char *)sqlite3_column_text(s->snip, 0)
                           : NULL;
    pledgex_strbuf chips[2] = {{0}, {0}};
    int rc = chips_of(s, doc, chips);
    if (rc) {
        free(chips[0].s);
        free(chips[1].s);
        return rc;
    }
    pledgex_strbuf copies = {0};
    if (key)
        copies_of(s, doc, sha, &copies);
    if (copies.oom) {
        free(copies.s);
        free(chips[0].s);
        free(chips[1].s);
        return pledgex__index_error(s->ix, PLEDGEX_FATAL, "out of memory");
    }
    pledgex_hit h = {(const char *)sqlite3_column_text(s->where, 1), score,
                     sqlite3_column_int(s->where, 2), snip ? snip : "", chips[0].s, chips[1].s,
                     copies.s ? copies.s : "[]"};
    s->emitted++;
    if (s->fn && s->fn(s->user, &h))
        s->stop = 1;
    free(copies.s);
    free(chips[0].s);
    free(chips[1].s);
    if ((int)s->emitted >= s->limit)
        s->stop = 1;
    return PLEDGEX_OK;
}

typedef struct cand {
    sqlite3_int64 bid;
    double score;
} cand;

static int by_score(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->bid < y->bid ? 1 : x->bid > y->bid ? -1 : 0;
}

/* The ranking statements.  The walk: every match, newest first, with the
 * features of those in the filter's rowset (?2, NULL: all). */
static const char SQL_RANK_WALK[] = "SELECT rowid, pxfeat(blocks_fts, ?2, 0) FROM blocks_fts "
                                    "WHERE blocks_fts MATCH ?1 ORDER BY rowid DESC";
/* The matches among a short JSON list of block ids (?2). */
static const char SQL_RANK_LISTED[] =
    "SELECT rowid, pxfeat(blocks_fts) FROM blocks_fts WHERE blocks_fts MATCH ?1 AND rowid IN "
    "(SELECT value FROM json_each(?2))";
static const char SQL_LENGTHS_RANGE[] =
    "SELECT id, sz FROM blocks_fts_docsize WHERE id BETWEEN ?1 AND ?2 ORDER BY id DESC";
static const char SQL_LENGTH_ONE[] = "SELECT id, sz FROM blocks_fts_docsize WHERE id = ?1";
static const char SQL_BLOCKS_IN[] =
    "SELECT count(*) FROM blocks_fts_docsize WHERE id BETWEEN ?1 AND ?2";

/* Matching blocks and their pxfeat() features, in the order read. */
typedef struct window {
    cand *c;
    float *feat; /* n rows of width floats */
    size_t n, cap, width;
    double span; /* blocks from its oldest to its newest, when fill_lengths
                    read them all (else -1) */
} window;

static void window_free(window *w)
{
    free(w->c);
    free(w->feat);
}

/* Reads rows of a ranking statement (rowid, pxfeat blob) into w until it
 * holds `max` blocks (0: no limit); a NULL blob is a row outside the
 * filter.  *done: the statement has no more rows. */
static int read_rows(searcher *s, sqlite3_stmt *st, window *w, size_t max, int *done)
{
    int step;
    *done = 0;
    while ((!max || w->n < max) && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const float *f = sqlite3_column_blob(st, 1);
        size_t width = (size_t)sqlite3_column_bytes(st, 1) / sizeof(float);
        if (!f || width < 3 || (w->width && width != w->width))
            continue;
        w->width = width;
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 256;
            cand *g = realloc(w->c, cap * sizeof *g);
            if (g)
                w->c = g;
            float *h = g ? realloc(w->feat, cap * width * sizeof *h) : NULL;
            if (!h)
                return pledgex__index_error(s->ix, PLEDGEX_FATAL, "out of memory");
            w->feat = h;
            w->cap = cap;
        }
        w->c[w->n].bid = sqlite3_column_int64(st, 0);
        memcpy(w->feat + w->n * width, f, width * sizeof *f);
        w->n++;
    }
    if (max && w->n >= max)
        return PLEDGEX_OK;
    if (step != SQLITE_DONE)
        return pledgex__index_error(s->ix, PLEDGEX_FAILED, "cannot search for '%s': %s",
                                    s->q->text, sqlite3_errmsg(s->db));
    *done = 1;
    return PLEDGEX_OK;
}

/* The token count of one FTS5 docsize row: one SQLite varint per column
 * (FTS5's on-disk format), summed as xColumnSize(-1) does. */
static float docsize_tokens(const unsigned char *p, int n)
{
    const unsigned char *end = p + n;
    double sum = 0;
    while (p < end) {
        uint64_t v = 0;
        int i = 0;
        for (; i < 8 && p + i < end; i++) {
            v = (v << 7) | (p[i] & 0x7f);
            if (!(p[i] & 0x80))
                break;
        }
        if (i == 8 && p + 8 < end)
            v = (v << 8) | p[8];
        p += i + 1;
        sum += (double)v;
    }
    return (float)sum;
}

/* Fills the lengths pxfeat() left out (-1) of a window read newest first.
 * pxfeat() would read each with a statement step on the docsize table
 * (about half of its cost); a window of a common word is nearly every
 * block of its id range, so one range scan reads them for a fraction of
 * that.  A sparse window (a rare word, a filter) is looked up block by
 * block. */
static int fill_lengths(searcher *s, window *w)
{
    w->span = -1;
    if (!w->n || w->feat[0] >= 0)
        return PLEDGEX_OK;
    sqlite3_int64 top = w->c[0].bid, lo = w->c[w->n - 1].bid;
    int range = top - lo < 4 * (sqlite3_int64)w->n;
    sqlite3_stmt *st;
    int own;
    if (pledgex__sq_stmt(s->ix, range ? SQL_LENGTHS_RANGE : SQL_LENGTH_ONE, &st, &own) !=
        SQLITE_OK)
        return pledgex__index_error(s->ix, PLEDGEX_FATAL, "search: %s", sqlite3_errmsg(s->db));
    size_t i = 0;
    if (range) {
        sqlite3_bind_int64(st, 1, lo);
        sqlite3_bind_int64(st, 2, top);
        /* Both newest first: a merge, which passes every block of the
         * range (counted: the window's span, for blocks_in). */
        double span = 0;
        while (i < w->n && sqlite3_step(st) == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(st, 0);
            span++;
            for (; i < w->n && w->c[i].bid > id; i++)
                w->feat[i * w->width] = 0; /* no docsize row: 0, as xColumnSize */
            if (i < w->n && w->c[i].bid == id)
                w->feat[i++ * w->width] =
                    docsize_tokens(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1));
        }
        if (i == w->n)
            w->span = span;
    } else {
        for (; i < w->n; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, w->c[i].bid);
            w->feat[i * w->width] = sqlite3_step(st) == SQLITE_ROW
                                        ? docsize_tokens(sqlite3_column_blob(st, 1),
                                                         sqlite3_column_bytes(st, 1))
                                        : 0;
        }
    }
    for (; i < w->n; i++)
        w->feat[i * w->width] = 0;
    pledgex__sq_stmt_done(st, own);
    return PLEDGEX_OK;
}

/* Scores a window with BM25, the document frequencies counted in it, out
 * of `nblocks` blocks, and sorts it best first. */
static int score_window(searcher *s, window *w, double nblocks)
{
    /* pxfeat(): length, average length, one frequency per phrase, then the
     * number of consecutive phrase pairs found side by side. */
    size_t n = w->n, width = w->width;
    const float *feat = w->feat;
    cand *c = w->c;
    if (!n)
        return PLEDGEX_OK;
    size_t nph = width - 3;
    double *idf = calloc(nph + 1, sizeof *idf);
    if (!idf)
        return pledgex__index_error(s->ix, PLEDGEX_FATAL, "out of memory");
    if (nblocks < (double)n)
        nblocks = (double)n;
    for (size_t p = 0; p < nph; p++) {
        double df = 0;
        for (size_t i = 0; i < n; i++)
            df += feat[i * width + 2 + p] > 0;
        /* Lucene's form, log(1 + ...), not FTS5's: a word in more than
         * half the blocks (any word of a small archive's theme: "thi
         * đua") keeps a positive weight, so term frequency and length
         * still order the hits instead of every score being ~0. */
        idf[p] = log(1.0 + (nblocks - df + 0.5) / (df + 0.5));
    }
    for (size_t i = 0; i < n; i++) {
        const float *f = feat + i * width;
        double norm = BM25_K1 * (1 - BM25_B + BM25_B * f[0] / (f[1] > 0 ? f[1] : 1));
        double score = 0;
        for (size_t p = 0; p < nph; p++)
            if (f[2 + p] > 0)
                score += idf[p] * f[2 + p] * (BM25_K1 + 1) / (f[2 + p] + norm);
        /* Query words side by side, as typed: a block that has the
         * words as a phrase comes before one that only has them apart. */
        c[i].score = score + ADJACENT_WEIGHT * f[2 + nph];
    }
    free(idf);
    qsort(c, n, sizeof *c, by_score);
    return PLEDGEX_OK;
}

/* Blocks in [lo, hi] that pass the filters (or all blocks there). */
static double blocks_in(searcher *s, sqlite3_int64 lo, sqlite3_int64 hi)
{
    if (s->f.blocks.w) {
        double n = 0;
        for (sqlite3_int64 i = lo; i <= hi && i < s->f.blocks.n; i++)
            n += bs_has(&s->f.blocks, i);
        return n;
    }
    sqlite3_stmt *st;
    int own;
    double n = 0;
    if (pledgex__sq_stmt(s->ix, SQL_BLOCKS_IN, &st, &own) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, lo);
        sqlite3_bind_int64(st, 2, hi);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = (double)sqlite3_column_int64(st, 0);
        pledgex__sq_stmt_done(st, own);
    }
    return n;
}

static int emit_ranked(searcher *s, const window *w, double bonus)
{
    int rc = PLEDGEX_OK;
    for (size_t i = 0; i < w->n && !s->stop && rc == PLEDGEX_OK; i++)
        rc = emit_hit(s, w->c[i].bid, bonus + w->c[i].score);
    return rc;
}

/* Lists the documents matching one FTS5 expression, best block first.
 *
 * Ranking every match of a common word costs microseconds per block (80,000
 * blocks of `thi đua` in 100k documents: half a second with bm25()), so the
 * matches are taken newest first in windows of RANK_WINDOW blocks that pass
 * the filters; each window is ranked whole (BM25 with lane weights and the
 * document frequencies of the window) and listed before the next, older
 * one.  A query with fewer matches than a window is ranked over all of
 * them, exactly.  One walk of the matches gives the windows: pxfeat()
 * answers NULL at once for a block outside the filter.  With very few
 * filtered blocks, FTS5 tests only those. */
static int run_phase(searcher *s, const char *match, double bonus)
{
    sqlite3_stmt *st = NULL;
    pledgex_rowset set = {s->f.blocks.w, s->f.blocks.n};
    window w = {0};
    int rc = PLEDGEX_OK, done = 0, own;
    if (s->f.small) {
        if (pledgex__sq_stmt(s->ix, SQL_RANK_LISTED, &st, &own) != SQLITE_OK)
            return pledgex__index_error(s->ix, PLEDGEX_FATAL, "search: %s",
                                        sqlite3_errmsg(s->db));
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, s->f.small, -1, SQLITE_STATIC);
        rc = read_rows(s, st, &w, 0, &done);
        if (rc == PLEDGEX_OK)
            rc = score_window(s, &w, (double)s->f.nblocks);
        if (rc == PLEDGEX_OK)
            rc = emit_ranked(s, &w, bonus);
        pledgex__sq_stmt_done(st, own);
        window_free(&w);
        return rc;
    }
    if (pledgex__sq_stmt(s->ix, SQL_RANK_WALK, &st, &own) != SQLITE_OK)
        return pledgex__index_error(s->ix, PLEDGEX_FATAL, "search: %s", sqlite3_errmsg(s->db));
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (set.bits)
        sqlite3_bind_pointer(st, 2, &set, PLEDGEX_ROWSET_TYPE, NULL);
    while (rc == PLEDGEX_OK && !s->stop && !done) {
        w.n = 0;
        rc = read_rows(s, st, &w, RANK_WINDOW, &done);
        if (rc != PLEDGEX_OK || !w.n)
            break;
        /* The document frequencies count among the filtered blocks from
         * the window's newest down to its oldest (to the start for the
         * last window). */
        sqlite3_int64 newest = w.c[0].bid, oldest = w.c[w.n - 1].bid;
        rc = fill_lengths(s, &w);
        double span = !done && !s->f.blocks.w && w.span >= 0
                          ? w.span /* counted by fill_lengths' range scan */
                          : blocks_in(s, done ? 0 : oldest, newest);
        if (rc == PLEDGEX_OK)
            rc = score_window(s, &w, span);
        if (rc == PLEDGEX_OK)
            rc = emit_ranked(s, &w, bonus);
    }
    pledgex__sq_stmt_done(st, own);
    window_free(&w);
    return rc;
}

/* Filters without words: the documents that pass them, the latest dated
 * first (a document's latest date that starts on a day: a period such as
 * 2021-2025 counts from its start), then the undated, newest indexed
 * first; each shown by its first block, with score 0. */
static const char SQL_BROWSE[] =
    "SELECT (SELECT min(b.id) FROM blocks b WHERE b.doc_id = d.id) AS bid, (SELECT "
    "max(e.start_day) FROM entities e WHERE e.doc_id = d.id AND e.start_day IS NOT NULL) AS day "
    "FROM docs d WHERE pxhas(?1, d.id) ORDER BY day IS NULL, day DESC, d.id DESC";

static int run_browse(searcher *s)
{
    pledgex_rowset set = {s->f.docs.w, s->f.docs.n};
    sqlite3_stmt *st;
    int own, rc = PLEDGEX_OK, step;
    if (pledgex__sq_stmt(s->ix, SQL_BROWSE, &st, &own) != SQLITE_OK)
        return pledgex__index_error(s->ix, PLEDGEX_FATAL, "search: %s", sqlite3_errmsg(s->db));
    sqlite3_bind_pointer(st, 1, &set, PLEDGEX_ROWSET_TYPE, NULL);
    while (rc == PLEDGEX_OK && !s->stop && (step = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_type(st, 0) != SQLITE_NULL) /* a failed file: no block */
            rc = emit_hit(s, sqlite3_column_int64(st, 0), 0.0);
    if (rc == PLEDGEX_OK && !s->stop && step != SQLITE_DONE)
        rc = pledgex__index_error(s->ix, PLEDGEX_FATAL, "search: %s", sqlite3_errmsg(s->db));
    pledgex__sq_stmt_done(st, own);
    return rc;
}

/* What a hit shows, looked up for the hits only.  These and the ranking
 * statements are compiled once per open index (pledgex__sq_stmt), not per
 * search: compiling them was a tenth of a search's time. */
static const char SQL_HIT_WHERE[] = "SELECT d.id, d.address, b.page, d.sha256 FROM blocks b "
                                    "JOIN docs d ON d.id = b.doc_id WHERE b.id = ?1";
/* (the plan) "sha256 = ?1" alone made SQLite scan the whole docs_sha index:
 * the key is looked up, then the digest compared */
static const char SQL_HIT_COPIES[] =
    "SELECT address FROM docs WHERE substr(sha256, 1, 16) = substr(?1, 1, 16) AND sha256 IS "
    "NOT NULL AND +sha256 = ?1 AND id != ?2 ORDER BY address";
static const char SQL_HIT_SNIPPET[] =
    "SELECT pxsnippet(pxtext(text), ?1) FROM blocks WHERE id = ?2";
/* (chips_of) the distinct values of one document's unit (?2) and date (?3)
 * entities, units first, each sorted; the types' ids in `strings` are
 * looked up once per search (SQL_ENTITY_TYPES) */
static const char SQL_HIT_CHIPS[] =
    "SELECT DISTINCT e.type = ?3, v.s FROM entities e JOIN strings v ON v.id = e.value "
    "WHERE e.doc_id = ?1 AND e.type IN (?2, ?3) ORDER BY 1, 2";
static const char SQL_ENTITY_TYPES[] =
    "SELECT (SELECT id FROM strings WHERE s = 'unit'), (SELECT id FROM strings WHERE s = 'date')";

/* Fills s->unit_type and s->date_type (-1: no entity of the type yet). */
static int entity_types(searcher *s)
{
    sqlite3_stmt *st;
    int own, rc = pledgex__sq_stmt(s->ix, SQL_ENTITY_TYPES, &st, &own);
    if (rc != SQLITE_OK)
        return rc;
    s->unit_type = s->date_type = -1;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            s->unit_type = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            s->date_type = sqlite3_column_int64(st, 1);
        rc = SQLITE_OK;
    }
    pledgex__sq_stmt_done(st, own);
    return rc;
}

int pledgex__sq_search(pledgex_index *ix, const pledgex_query *q, pledgex_hit_fn fn, void *user,
                       size_t *nhits)
{
    char *broad = NULL, *exact = NULL, *words = NULL;
    int blank = query_blank(q->text);
    int rc = blank ? PLEDGEX_OK : translate(ix, q->text, &broad, &exact, &words);
    if (rc)
        return rc;
    searcher s = {0};
    s.words = words ? words : "";
    s.ix = ix;
    s.db = pledgex__sq_db(ix);
    s.q = q;
    s.fn = fn;
    s.user = user;
    s.limit = q->limit > 0 ? q->limit : 20;
    s.offset = q->offset > 0 ? q->offset : 0;
    /* One read transaction: both phases and the lookups see one state. */
    int began = read_begin(s.db);
    if ((rc = build_filters(ix, q, &s.f)))
        goto done;
    if (blank && !s.f.active) {
        rc = blank_needs_filter(ix, q->text);
        goto done;
    }
    if (s.f.active && s.f.ndocs == 0)
        goto done; /* nothing passes the filters */
    if (pledgex__sq_stmt(ix, SQL_HIT_WHERE, &s.where, &s.own[0]) != SQLITE_OK ||
        pledgex__sq_stmt(ix, SQL_HIT_COPIES, &s.copies, &s.own[1]) != SQLITE_OK ||
        pledgex__sq_stmt(ix, SQL_HIT_SNIPPET, &s.snip, &s.own[2]) != SQLITE_OK ||
        pledgex__sq_stmt(ix, SQL_HIT_CHIPS, &s.chips, &s.own[3]) != SQLITE_OK ||
        entity_types(&s) != SQLITE_OK) {
        rc = pledgex__index_error(ix, PLEDGEX_FATAL, "search: %s", sqlite3_errmsg(s.db));
        goto done;
    }
    if (blank)
        rc = run_browse(&s);
    if (exact)
        rc = run_phase(&s, exact, EXACT_BONUS);
    if (rc == PLEDGEX_OK && !s.stop && broad)
        rc = run_phase(&s, broad, 0.0);
done:
    pledgex__sq_stmt_done(s.where, s.own[0]);
    pledgex__sq_stmt_done(s.copies, s.own[1]);
    pledgex__sq_stmt_done(s.snip, s.own[2]);
    pledgex__sq_stmt_done(s.chips, s.own[3]);
    read_end(s.db, began);
    if (nhits)
        *nhits = s.emitted;
    free(s.seen.slot);
    free(s.shas.slot);
    free_filters(&s.f);
    free(broad);
    free(exact);
    free(words);
    return rc;
}

/* ------------------------------------------------------------- facets */

/* Up to this many matching documents, facets look their entities up one
 * document at a time; above, one pass over the entities is cheaper. */
#define FACET_LOOKUP_MAX 2000

int pledgex__sq_facets(pledgex_index *ix, const pledgex_query *q,
                       int (*fn)(void *, const char *, const char *, long), void *user)
{
    sqlite3 *db = pledgex__sq_db(ix);
    char *broad = NULL, *exact = NULL;
    int blank = query_blank(q->text);
    int rc = blank ? PLEDGEX_OK : translate(ix, q->text, &broad, &exact, NULL);
    if (rc)
        return rc;
    free(exact);
    filters f;
    int began = read_begin(db);
    if ((rc = build_filters(ix, q, &f)) || (blank && !f.active)) {
        if (!rc)
            rc = blank_needs_filter(ix, q->text);
        free_filters(&f);
        free(broad);
        read_end(db, began);
        return rc;
    }
    pledgex_rowset passed = {f.docs.w, f.docs.n};
    /* The matching documents, as a bit set (and a JSON list while few):
     * every matching block, no ranking. */
    bitset hits = {0}, seen = {0};
    idset contents = {0};
    pledgex_strbuf ids = {0};
    size_t nhits = 0;
    sqlite3_stmt *st = NULL;
    pledgex__sb_puts(&ids, "[");
    sqlite3_int64 ndocs = max_id(db, "docs");
    if (bs_init(&hits, ndocs) || bs_init(&seen, ndocs)) {
        rc = pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    } else if (sqlite3_prepare_v2(db,
                                  blank ? "SELECT id, sha256 FROM docs WHERE pxhas(?2, id) AND "
                                          "EXISTS (SELECT 1 FROM blocks WHERE doc_id = docs.id)"
                                        : "SELECT b.doc_id, d.sha256 FROM blocks_fts JOIN "
                                          "blocks b ON b.id = blocks_fts.rowid JOIN docs d ON "
                                          "d.id = b.doc_id WHERE blocks_fts MATCH ?1",
                                  -1, &st, NULL) != SQLITE_OK) {
        rc = pledgex__index_error(ix, PLEDGEX_FATAL, "facets: %s", sqlite3_errmsg(db));
    } else {
        if (blank) /* the filters alone: every document they pass */
            sqlite3_bind_pointer(st, 2, &passed, PLEDGEX_ROWSET_TYPE, NULL);
        else
            sqlite3_bind_text(st, 1, broad, -1, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            sqlite3_int64 d = sqlite3_column_int64(st, 0);
            if ((f.active && !bs_has(&f.docs, d)) || bs_has(&seen, d))
                continue;
            bs_set(&seen, d);
            /* contents, as the hits are: identical copies count once */
            sqlite3_int64 key =
                q->all_copies ? 0 : sha_key((const char *)sqlite3_column_text(st, 1));
            int fresh = key ? ids_add(&contents, key) : 1;
            if (fresh < 0) {
                rc = pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
                break;
            }
            if (!fresh)
                continue;
            bs_set(&hits, d);
            if (nhits++ < FACET_LOOKUP_MAX)
                pledgex__sb_printf(&ids, "%s%lld", nhits > 1 ? "," : "", (long long)d);
        }
        if (step != SQLITE_DONE)
            rc = pledgex__index_error(ix, PLEDGEX_FAILED, "cannot search for '%s': %s", q->text,
                                      sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    st = NULL;
    pledgex__sb_puts(&ids, "]");
    char *list = pledgex__sb_finish(&ids);
    if (rc == PLEDGEX_OK && !list)
        rc = pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    /* Documents, not mentions: count(DISTINCT doc_id).  Units by count
     * (the 50 largest), years in order. */
    static const char *const facet_sql[2][2] = {
        {"SELECT 'unit', value, count(DISTINCT doc_id) AS n FROM entities_v WHERE doc_id IN "
         "(SELECT value FROM json_each(?1)) AND type = 'unit' AND value IS NOT NULL GROUP BY "
         "value ORDER BY n DESC, value LIMIT 50",
         /* strings are unique: grouping by their ids groups by value, and
          * reads a string per unit, not per entity (schema migration 10) */
         "SELECT 'unit', v.s, g.n FROM (SELECT value, count(DISTINCT doc_id) AS n FROM "
         "entities WHERE type = (SELECT id FROM strings WHERE s = 'unit') AND value IS NOT NULL "
         "AND pxhas(?2, doc_id) GROUP BY value) g JOIN strings v ON v.id = g.value "
         "ORDER BY g.n DESC, v.s LIMIT 50"},
        {"SELECT 'year', printf('%04d', start_day / 10000) AS y, count(DISTINCT doc_id) FROM "
         "entities_v WHERE doc_id IN (SELECT value FROM json_each(?1)) AND type = 'date' AND "
         "start_day IS NOT NULL GROUP BY y ORDER BY y",
         /* every dated entity has its date_keys row: the small table */
         "SELECT 'year', printf('%04d', start_day / 10000) AS y, count(DISTINCT doc_id) FROM "
         "date_keys WHERE pxhas(?2, doc_id) GROUP BY y ORDER BY y"},
    };
    pledgex_rowset set = {hits.w, hits.n};
    int scan = nhits > FACET_LOOKUP_MAX, stop = 0;
    for (int k = 0; k < 2 && rc == PLEDGEX_OK && !stop && nhits > 0; k++) {
        if (sqlite3_prepare_v2(db, facet_sql[k][scan], -1, &st, NULL) != SQLITE_OK) {
            rc = pledgex__index_error(ix, PLEDGEX_FATAL, "facets: %s", sqlite3_errmsg(db));
            break;
        }
        if (scan)
            sqlite3_bind_pointer(st, 2, &set, PLEDGEX_ROWSET_TYPE, NULL);
        else
            sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
        int step;
        while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW)
            stop = fn(user, (const char *)sqlite3_column_text(st, 0),
                      (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2));
        if (!stop && step != SQLITE_DONE)
            rc = pledgex__index_error(ix, PLEDGEX_FAILED, "facets: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        st = NULL;
    }
    read_end(db, began);
    free(list);
    free(hits.w);
    free(seen.w);
    free(contents.slot);
    free_filters(&f);
    free(broad);
    return rc;
}

int pledgex__sq_units(pledgex_index *ix, int (*fn)(void *, const char *, long, const char *),
                      void *user)
{
    sqlite3 *db = pledgex__sq_db(ix);
    sqlite3_stmt *st;
    /* By string ids (schema migration 10), as the facets.  Each side is
     * read once: (unit, document) pairs, (document, year) pairs, then
     * joined.  Asking for the years of each unit's documents in turn
     * scanned every entity once per unit (minutes at 100k documents). */
    const char *sql =
        "WITH t(unit, date) AS (SELECT (SELECT id FROM strings WHERE s = 'unit'),"
        "  (SELECT id FROM strings WHERE s = 'date')),"
        " ud AS MATERIALIZED (SELECT DISTINCT value, doc_id FROM entities, t"
        "  WHERE type = t.unit AND value IS NOT NULL),"
        " dy AS MATERIALIZED (SELECT DISTINCT doc_id, start_day / 10000 AS y FROM entities, t"
        "  WHERE type = t.date AND start_day IS NOT NULL AND role IN"
        "  (SELECT id FROM strings WHERE s IN ('document','published','taken'))),"
        " n AS (SELECT value, count(*) AS n FROM ud GROUP BY value),"
        " ys AS (SELECT value, group_concat(printf('%04d', y), ',') AS years FROM"
        "  (SELECT DISTINCT ud.value, dy.y FROM ud JOIN dy ON dy.doc_id = ud.doc_id"
        "   ORDER BY ud.value, dy.y) GROUP BY value) "
        "SELECT v.s, n.n, ys.years FROM n JOIN strings v ON v.id = n.value"
        " LEFT JOIN ys ON ys.value = n.value ORDER BY n.n DESC, v.s";
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

/* Edit distance of two short ASCII words, bounded: returns max + 1 as
 * soon as the distance must exceed max. */
static size_t distance(const char *a, const char *b, size_t max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 48 || lb > 48)
        return max + 1;
    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    size_t prev[49], cur[49];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t rowmin = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t m = sub < del ? sub : del;
            cur[j] = m < ins ? m : ins;
            if (cur[j] < rowmin)
                rowmin = cur[j];
        }
        if (rowmin > max)
            return max + 1;
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* The statements "did you mean" reads the vocabulary with.  The
 * full-text index holds exact forms (fts5vocab px_vocab: term, documents);
 * fold_vocab maps accent-free forms to the exact forms of the words with
 * accents (see fts_tokenizer.h). */
typedef struct vocab_reader {
    sqlite3_stmt *docs;  /* documents of one exact term               */
    sqlite3_stmt *range; /* exact terms starting with a letter        */
    sqlite3_stmt *folds; /* accent-free forms starting with a letter  */
    sqlite3_stmt *forms; /* exact forms of one accent-free form       */
    sqlite3_stmt *known; /* whether an accent-free form has accented forms */
} vocab_reader;

static void vocab_reader_free(vocab_reader *v)
{
    sqlite3_finalize(v->docs);
    sqlite3_finalize(v->range);
    sqlite3_finalize(v->folds);
    sqlite3_finalize(v->forms);
    sqlite3_finalize(v->known);
}

static long term_docs(vocab_reader *v, const char *term)
{
    sqlite3_reset(v->docs);
    sqlite3_bind_text(v->docs, 1, term, -1, SQLITE_STATIC);
    return sqlite3_step(v->docs) == SQLITE_ROW ? (long)sqlite3_column_int64(v->docs, 0) : 0;
}

/* Documents with any spelling of the accent-free word f: a sum (a
 * document with two spellings counts twice), only used to break ties. */
static long folded_docs(vocab_reader *v, const char *f)
{
    long n = term_docs(v, f);
    sqlite3_reset(v->forms);
    sqlite3_bind_text(v->forms, 1, f, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(v->forms) == SQLITE_ROW) {
        char *x = strdup((const char *)sqlite3_column_text(v->forms, 0));
        if (x)
            n += term_docs(v, x);
        free(x);
    }
    return n;
}

/* Whether any word of the index folds to f. */
static int vocab_has(vocab_reader *v, const char *f)
{
    sqlite3_reset(v->known);
    sqlite3_bind_text(v->known, 1, f, -1, SQLITE_STATIC);
    return sqlite3_step(v->known) == SQLITE_ROW || term_docs(v, f) > 0;
}

/* Weighs one candidate (an accent-free word) against the best so far. */
static void consider(vocab_reader *v, const char *t, const char *w, size_t max, char **best,
                     size_t *best_d, long *best_n)
{
    size_t d = distance(t, w, max);
    if (d > max || d > *best_d || (*best && !strcmp(t, *best)))
        return;
    long n = folded_docs(v, t);
    if (d < *best_d || n > *best_n) {
        char *c = strdup(t);
        if (!c)
            return;
        free(*best);
        *best = c;
        *best_d = d;
        *best_n = n;
    }
}

/* The indexed word nearest to `w` (folded, lower-case ASCII letters),
 * compared accent-free, or NULL when none is near enough or w itself is
 * indexed.  The spelling with the most documents wins a tie.  Only words
 * sharing w's first letter (accent-free) are read: fts5vocab reads
 * doclists to count documents, so the whole vocabulary would cost a full
 * index read, and OCR rarely damages the first letter of a word.  Caller
 * frees. */
static char *nearest_term(vocab_reader *v, const char *w, const char *typed)
{
    size_t lw = strlen(w);
    /* Vietnamese syllables are short: one edit from three letters on. */
    size_t max = lw <= 2 ? 0 : lw <= 7 ? 1 : 2;
    if (max == 0)
        return NULL;
    char lo[2] = {w[0], 0}, hi[2] = {(char)(w[0] + 1), 0};
    char *best = NULL;
    size_t best_d = max;
    long best_n = -1;
    /* Words written without accents, then the accent-free forms of the
     * others. */
    sqlite3_stmt *src[2] = {v->range, v->folds};
    for (int k = 0; k < 2; k++) {
        sqlite3_reset(src[k]);
        sqlite3_bind_text(src[k], 1, lo, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(src[k], 2, hi, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(src[k]) == SQLITE_ROW) {
            char *t = strdup((const char *)sqlite3_column_text(src[k], 0));
            const char *c = t;
            while (c && *c && (unsigned char)*c < 0x80)
                c++;
            if (c && !*c)
                consider(v, t, w, max, &best, &best_d, &best_n);
            free(t);
        }
    }
    if (!best || best_d == 0) {
        free(best);
        return NULL;
    }
    /* Typed without accents: the accent-free word finds every spelling.
     * Typed with accents: the spelling nearest to what was typed (then the
     * most frequent) among those that fold to `best`. */
    if (!typed)
        return best;
    char *show = NULL;
    long show_n = -1;
    size_t show_d = (size_t)-1;
    sqlite3_reset(v->forms);
    sqlite3_bind_text(v->forms, 1, best, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(v->forms) == SQLITE_ROW) {
        char *t = strdup((const char *)sqlite3_column_text(v->forms, 0));
        if (!t)
            continue;
        size_t d = distance(t, typed, 16);
        long n = d <= show_d ? term_docs(v, t) : 0;
        if (d < show_d || (d == show_d && n > show_n)) {
            free(show);
            show = t;
            show_n = n;
            show_d = d;
        } else {
            free(t);
        }
    }
    if (show) {
        free(best);
        return show;
    }
    return best;
}

static int is_operator(const char *w, size_t n)
{
    return (n == 3 && (!strncmp(w, "AND", 3) || !strncmp(w, "NOT", 3))) ||
           (n == 2 && !strncmp(w, "OR", 2));
}

char *pledgex__sq_suggest(pledgex_index *ix, const char *text)
{
    sqlite3 *db = pledgex__sq_db(ix);
    if (!text || sqlite3_exec(db,
                              "CREATE VIRTUAL TABLE IF NOT EXISTS temp.px_vocab USING "
                              "fts5vocab(main, blocks_fts, row)",
                              NULL, NULL, NULL) != SQLITE_OK)
        return NULL;
    vocab_reader v = {0};
    if (sqlite3_prepare_v2(db, "SELECT doc FROM temp.px_vocab WHERE term = ?1", -1, &v.docs,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT term FROM temp.px_vocab WHERE term >= ?1 AND term < ?2",
                           -1, &v.range, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT DISTINCT ascii FROM fold_vocab WHERE ascii >= ?1 AND "
                           "ascii < ?2",
                           -1, &v.folds, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT exact FROM fold_vocab WHERE ascii = ?1", -1, &v.forms,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT 1 FROM fold_vocab WHERE ascii = ?1", -1, &v.known,
                           NULL) != SQLITE_OK) {
        vocab_reader_free(&v);
        return NULL;
    }
    /* The query with each unknown word replaced, everything else (quotes,
     * parentheses, operators, prefix stars) kept. */
    pledgex_strbuf b = {0};
    int changed = 0;
    const char *p = text;
    int began = read_begin(db);
    while (*p) {
        size_t n = strcspn(p, " \t\r\n()\"");
        if (n == 0) {
            pledgex__sb_add(&b, p, 1);
            p++;
            continue;
        }
        const char *w = p;
        size_t wn = n;
        if (*w == '-' && wn > 1) {
            pledgex__sb_add(&b, w, 1);
            w++;
            wn--;
        }
        size_t stars = 0;
        while (wn > 0 && w[wn - 1] == '*') {
            wn--;
            stars++;
        }
        char *f = is_operator(w, wn) || stars ? NULL : pledgex__fold_ascii(w, wn);
        int letters = f && *f;
        for (char *c = f; letters && *c; c++)
            letters = *c >= 'a' && *c <= 'z';
        char *near = NULL;
        if (letters && !vocab_has(&v, f)) {
            int accents = 0;
            for (size_t i = 0; i < wn; i++)
                accents |= (unsigned char)w[i] >= 0x80;
            char *typed = accents ? pledgex__fold_exact(w, wn) : NULL;
            if (!accents || typed)
                near = nearest_term(&v, f, typed);
            free(typed);
        }
        if (near) {
            changed = 1;
            pledgex__sb_puts(&b, near);
        } else {
            pledgex__sb_add(&b, w, wn);
        }
        pledgex__sb_add(&b, w + wn, stars);
        free(near);
        free(f);
        p += n;
    }
    read_end(db, began);
    vocab_reader_free(&v);
    char *s = pledgex__sb_finish(&b);
    if (!s || !changed) {
        free(s);
        return NULL;
    }
    /* A double-NUL-terminated list of one suggestion. */
    size_t n = strlen(s);
    char *out = realloc(s, n + 2);
    if (!out) {
        free(s);
        return NULL;
    }
    out[n + 1] = 0;
    return out;
}
