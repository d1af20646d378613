/*
 * text_store.c -- block text as plain TEXT or as zstd frames with a
 * dictionary trained on the index's own text; pxtext() reads both (see
 * text_store.h).
 *
 * Why a dictionary: a block is about a kilobyte, too short for zstd to
 * find much to reuse inside it, while the text of an archive of pledges
 * repeats itself across documents -- unit names, formulas, the same
 * commitments -- which a dictionary carries into every block.  A real
 * news report of a pledge ceremony cut into 1 KB blocks: 1.6x without a
 * dictionary, 3.4x with one trained on other pledge text.  The benchmark
 * corpus (documents recombining a few hundred sentences) gets 14.9x: a
 * flattering case.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ZDICT_trainFromBuffer_fastCover and its parameters (libzstd >= 1.3.6,
 * exported by the shared library; see pledgex__text_store_train) */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>

#include "pledgex.h"
#include "text_store.h"

/* Dictionary capacity: 64 KB gives 14.2x on the benchmark corpus at level
 * 12, 32 KB 13.3x; 110 KB gains 5% more for 46 KB more in every index. */
#define TEXT_DICT_BYTES 65536
/* Most plain text read to train on.  Training time grows with it (zstd
 * CLI on the benchmark corpus: 2 MB 0.13 s, 1 MB 0.07 s) and compression
 * did not (the same bytes for 200 unseen blocks); an old index with a
 * hundred megabytes of text trains on its first megabyte. */
#define TEXT_TRAIN_MAX_BYTES (1 << 20)
/* The trainer's segment size and d-mer length, fixed.  ZDICT_trainFromBuffer
 * searches them (fastCover, d=8, k over 4 steps) and so trains 3-4x
 * longer: on the search benchmark's 10k corpus, 0.080 s against 0.022 s
 * for these, whose dictionary compresses the 10 MB of text 2.4% larger
 * trained on the same first megabyte (915 -> 938 KB, 0.2% of the index);
 * in the index `pledgex ingest` made of it, 904,420 -> 904,831 bytes.
 * The training is a one-off of the writer, the ingest's bottleneck: 6.8%
 * of its CPU on that 10k ingest (perf, bench/search/RESULTS.md). */
#define TEXT_TRAIN_K 2000
#define TEXT_TRAIN_D 8
/* Level 3: on the benchmark's 1 KB blocks with the dictionary, 10.9x
 * for 15 ms of writer CPU per 10 MB of text; 6 gives 12.8x (67 ms), 9
 * 13.8x (100 ms), 12 14.2x (90 ms); above 12 only slower.  On real text
 * 3 to 12 is 3.7x to 4.6x (a 7 KB article).  The writer is the ingest's
 * bottleneck and the index is well under 1.5x the text either way, so the
 * fast level.  Reading costs the same at any level (about 4 GB/s). */
#define TEXT_LEVEL 3
/* Shorter texts are stored as they are: a frame has about 11 bytes of
 * header, so a caption of a few words gains nothing. */
#define TEXT_MIN_PACK 32
/* Digested dictionaries kept per connection (an index has one; a
 * retrained one would add another). */
#define TEXT_DDICTS 8
/* Blocks moved at a time when a new dictionary compresses the plain ones. */
#define TEXT_CHUNK 1024

struct pledgex_text_store {
    sqlite3 *db; /* borrowed: the connection owns the store */
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
    /* The dictionary new text is written with (NULL: none yet). */
    ZSTD_CDict *cdict;
    /* Dictionaries for reading, by id (frames name theirs). */
    struct {
        unsigned id;
        ZSTD_DDict *dd;
    } ddicts[TEXT_DDICTS];
    int nddicts;
    /* The last frame packed. */
    unsigned char *frame;
    size_t frame_cap;
    /* Plain text bytes in the index as this connection counts them (-1:
     * not counted yet), and the count at which training is tried next. */
    sqlite3_int64 plain_bytes;
    sqlite3_int64 next_try;
};

static void store_free(void *p)
{
    pledgex_text_store *ts = p;
    if (!ts)
        return;
    pledgex__text_store_forget(ts);
    ZSTD_freeCCtx(ts->cctx);
    ZSTD_freeDCtx(ts->dctx);
    free(ts->frame);
    free(ts);
}

void pledgex__text_store_forget(pledgex_text_store *ts)
{
    ZSTD_freeCDict(ts->cdict);
    ts->cdict = NULL;
    for (int i = 0; i < ts->nddicts; i++)
        ZSTD_freeDDict(ts->ddicts[i].dd);
    ts->nddicts = 0;
    ts->plain_bytes = -1;
    ts->next_try = 0;
}

/* Keeps dd as dictionary `id` for reading (the store owns it from here:
 * when full, the oldest one goes). */
static void keep_ddict(pledgex_text_store *ts, unsigned id, ZSTD_DDict *dd)
{
    if (ts->nddicts == TEXT_DDICTS) {
        ZSTD_freeDDict(ts->ddicts[0].dd);
        memmove(ts->ddicts, ts->ddicts + 1, sizeof ts->ddicts[0] * (TEXT_DDICTS - 1));
        ts->nddicts--;
    }
    ts->ddicts[ts->nddicts].id = id;
    ts->ddicts[ts->nddicts++].dd = dd;
}

/* Dictionary `id` digested for reading, read from text_dicts on first
 * use; NULL with a message when it is missing or unreadable. */
static ZSTD_DDict *ddict_for(pledgex_text_store *ts, unsigned id, char *err, size_t errlen)
{
    for (int i = 0; i < ts->nddicts; i++)
        if (ts->ddicts[i].id == id)
            return ts->ddicts[i].dd;
    /* Not a cached statement: a statement held by the store would keep the
     * connection from closing, and the store is freed when it closes. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ts->db, "SELECT dict FROM text_dicts WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "pxtext: %s", sqlite3_errmsg(ts->db));
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    ZSTD_DDict *dd = NULL;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        dd = ZSTD_createDDict(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        if (!dd)
            snprintf(err, errlen, "pxtext: dictionary %u is unreadable", id);
        else
            keep_ddict(ts, id, dd);
    } else if (step == SQLITE_DONE) {
        snprintf(err, errlen, "pxtext: dictionary %u is missing", id);
    } else {
        snprintf(err, errlen, "pxtext: %s", sqlite3_errmsg(ts->db));
    }
    sqlite3_finalize(st);
    return dd;
}

/* The text in a frame, in *out (sqlite3_malloc'd, owned by the caller,
 * NUL-terminated) of *len bytes; -1 with a message for anything that does
 * not decode to exactly the size its header gives. */
static int unpack(pledgex_text_store *ts, const void *src, size_t n, char **out, size_t *len,
                  char *err, size_t errlen)
{
    unsigned long long size = n ? ZSTD_getFrameContentSize(src, n) : ZSTD_CONTENTSIZE_ERROR;
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
        snprintf(err, errlen, "pxtext: a stored text is damaged (no zstd frame header)");
        return -1;
    }
    /* A damaged header must not make us allocate gigabytes. */
    if (size >= (unsigned long long)sqlite3_limit(ts->db, SQLITE_LIMIT_LENGTH, -1)) {
        snprintf(err, errlen, "pxtext: a stored text is damaged (says %llu bytes)", size);
        return -1;
    }
    unsigned id = ZSTD_getDictID_fromFrame(src, n);
    ZSTD_DDict *dd = NULL;
    if (id && !(dd = ddict_for(ts, id, err, errlen)))
        return -1;
    char *text = sqlite3_malloc64(size + 1);
    if (!text) {
        snprintf(err, errlen, "pxtext: out of memory");
        return -1;
    }
    size_t got = dd ? ZSTD_decompress_usingDDict(ts->dctx, text, size, src, n, dd)
                    : ZSTD_decompressDCtx(ts->dctx, text, size, src, n);
    if (ZSTD_isError(got) || got != size) {
        snprintf(err, errlen, "pxtext: a stored text is damaged (%s)",
                 ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short");
        sqlite3_free(text);
        return -1;
    }
    text[size] = 0;
    *out = text;
    *len = (size_t)size;
    return 0;
}

/* pxtext(x): the text of a blocks.text value; x itself unless a BLOB. */
static void fn_pxtext(sqlite3_context *c, int n, sqlite3_value **v)
{
    (void)n;
    if (sqlite3_value_type(v[0]) != SQLITE_BLOB) {
        sqlite3_result_value(c, v[0]);
        return;
    }
    pledgex_text_store *ts = sqlite3_user_data(c);
    char err[160], *text;
    size_t len;
    if (unpack(ts, sqlite3_value_blob(v[0]), (size_t)sqlite3_value_bytes(v[0]), &text, &len,
               err, sizeof err) != 0) {
        sqlite3_result_error(c, err, -1);
        return;
    }
    sqlite3_result_text64(c, text, len, sqlite3_free, SQLITE_UTF8);
}

int pledgex__text_store_register(sqlite3 *db, pledgex_text_store **out, char *err,
                                 size_t errlen)
{
    *out = NULL;
    pledgex_text_store *ts = calloc(1, sizeof *ts);
    if (ts) {
        ts->db = db;
        ts->plain_bytes = -1;
        ts->cctx = ZSTD_createCCtx();
        ts->dctx = ZSTD_createDCtx();
    }
    if (!ts || !ts->cctx || !ts->dctx) {
        store_free(ts);
        snprintf(err, errlen, "cannot register pxtext(): out of memory");
        return PLEDGEX_FATAL;
    }
    /* Innocuous: the schema's view and triggers call it, which SQLite
     * refuses for other functions when trusted_schema is off.  (On failure
     * SQLite calls store_free itself.) */
    int rc = sqlite3_create_function_v2(db, "pxtext", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                        ts, fn_pxtext, NULL, NULL, store_free);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot register pxtext(): %s", sqlite3_errstr(rc));
        return PLEDGEX_FATAL;
    }
    *out = ts;
    return PLEDGEX_OK;
}

static int sql_failed(pledgex_text_store *ts, char *err, size_t errlen)
{
    snprintf(err, errlen, "text dictionary: %s", sqlite3_errmsg(ts->db));
    return PLEDGEX_FATAL;
}

static int prepare(pledgex_text_store *ts, const char *sql, sqlite3_stmt **st, char *err,
                   size_t errlen)
{
    if (sqlite3_prepare_v2(ts->db, sql, -1, st, NULL) == SQLITE_OK)
        return PLEDGEX_OK;
    *st = NULL;
    return sql_failed(ts, err, errlen);
}

/* Makes `dict` (id `id`) the one new text is written with, and keeps it
 * for reading too. */
static int use_dict(pledgex_text_store *ts, unsigned id, const void *dict, size_t n, char *err,
                    size_t errlen)
{
    ZSTD_CDict *cd = ZSTD_createCDict(dict, n, TEXT_LEVEL);
    ZSTD_DDict *dd = ZSTD_createDDict(dict, n);
    if (!cd || !dd) {
        ZSTD_freeCDict(cd);
        ZSTD_freeDDict(dd);
        snprintf(err, errlen, "text dictionary %u: out of memory or not a dictionary", id);
        return PLEDGEX_FATAL;
    }
    ZSTD_freeCDict(ts->cdict);
    ts->cdict = cd;
    for (int i = 0; i < ts->nddicts; i++)
        if (ts->ddicts[i].id == id) {
            ZSTD_freeDDict(ts->ddicts[i].dd);
            ts->ddicts[i].dd = dd;
            return PLEDGEX_OK;
        }
    keep_ddict(ts, id, dd);
    return PLEDGEX_OK;
}

int pledgex__text_store_load(pledgex_text_store *ts, char *err, size_t errlen)
{
    if (ts->cdict)
        return PLEDGEX_OK;
    sqlite3_stmt *st;
    if (prepare(ts, "SELECT id, dict FROM text_dicts ORDER BY id DESC LIMIT 1", &st, err,
                errlen))
        return PLEDGEX_FATAL;
    int rc = PLEDGEX_OK, step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = use_dict(ts, (unsigned)sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
                      (size_t)sqlite3_column_bytes(st, 1), err, errlen);
    else if (step != SQLITE_DONE)
        rc = sql_failed(ts, err, errlen);
    sqlite3_finalize(st);
    return rc;
}

int pledgex__text_store_pack(pledgex_text_store *ts, const char *text, size_t len,
                             const void **blob, size_t *size, char *err, size_t errlen)
{
    *blob = NULL;
    *size = 0;
    if (!ts->cdict) {
        if (ts->plain_bytes >= 0)
            ts->plain_bytes += (sqlite3_int64)len;
        return PLEDGEX_OK;
    }
    if (len < TEXT_MIN_PACK)
        return PLEDGEX_OK;
    size_t bound = ZSTD_compressBound(len);
    if (bound > ts->frame_cap) {
        unsigned char *f = realloc(ts->frame, bound);
        if (!f) {
            snprintf(err, errlen, "out of memory");
            return PLEDGEX_FATAL;
        }
        ts->frame = f;
        ts->frame_cap = bound;
    }
    size_t n = ZSTD_compress_usingCDict(ts->cctx, ts->frame, ts->frame_cap, text, len, ts->cdict);
    if (ZSTD_isError(n)) {
        snprintf(err, errlen, "cannot compress a text block: %s", ZSTD_getErrorName(n));
        return PLEDGEX_FATAL;
    }
    if (n < len) {
        *blob = ts->frame;
        *size = n;
    }
    return PLEDGEX_OK;
}

/* Runs a statement to completion; a message on failure. */
static int step_done(pledgex_text_store *ts, sqlite3_stmt *st, char *err, size_t errlen)
{
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? PLEDGEX_OK : sql_failed(ts, err, errlen);
}

static int exec_sql(pledgex_text_store *ts, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(ts->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return PLEDGEX_OK;
    snprintf(err, errlen, "text dictionary: %s", msg ? msg : sqlite3_errmsg(ts->db));
    sqlite3_free(msg);
    return PLEDGEX_FATAL;
}

/* Compresses the text of the rows of temp.px_repack (their rowids in
 * `rows`) in place. */
static int pack_rows(pledgex_text_store *ts, const sqlite3_int64 *rows, int n, char *err,
                     size_t errlen)
{
    sqlite3_stmt *rd = NULL, *wr = NULL;
    int rc = prepare(ts, "SELECT text FROM temp.px_repack WHERE rowid = ?1", &rd, err, errlen);
    if (rc == PLEDGEX_OK)
        rc = prepare(ts, "UPDATE temp.px_repack SET text = ?2 WHERE rowid = ?1", &wr, err,
                     errlen);
    for (int i = 0; i < n && rc == PLEDGEX_OK; i++) {
        sqlite3_bind_int64(rd, 1, rows[i]);
        if (sqlite3_step(rd) != SQLITE_ROW) {
            rc = sql_failed(ts, err, errlen);
            break;
        }
        const void *frame;
        size_t size;
        rc = pledgex__text_store_pack(ts, (const char *)sqlite3_column_text(rd, 0),
                                      (size_t)sqlite3_column_bytes(rd, 0), &frame, &size, err,
                                      errlen);
        if (rc == PLEDGEX_OK && frame) {
            sqlite3_bind_int64(wr, 1, rows[i]);
            sqlite3_bind_blob(wr, 2, frame, (int)size, SQLITE_STATIC);
            rc = step_done(ts, wr, err, errlen);
        }
        sqlite3_reset(rd);
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    return rc;
}

/* Moves the next TEXT_CHUNK plain blocks after id *last through
 * temp.px_repack, compressed; *moved is how many were. */
static int repack_chunk(pledgex_text_store *ts, sqlite3_int64 *last, int *moved, char *err,
                        size_t errlen)
{
    sqlite3_int64 rows[TEXT_CHUNK];
    sqlite3_stmt *st;
    *moved = 0;
    if (prepare(ts,
                "INSERT INTO temp.px_repack SELECT * FROM blocks WHERE id > ?1"
                " AND typeof(text) = 'text' AND length(CAST(text AS BLOB)) >= ?2"
                " ORDER BY id LIMIT ?3",
                &st, err, errlen))
        return PLEDGEX_FATAL;
    sqlite3_bind_int64(st, 1, *last);
    sqlite3_bind_int(st, 2, TEXT_MIN_PACK);
    sqlite3_bind_int(st, 3, TEXT_CHUNK);
    int rc = step_done(ts, st, err, errlen);
    sqlite3_finalize(st);
    if (rc != PLEDGEX_OK)
        return rc;
    if (prepare(ts, "SELECT rowid, id FROM temp.px_repack", &st, err, errlen))
        return PLEDGEX_FATAL;
    int n = 0;
    while (n < TEXT_CHUNK && sqlite3_step(st) == SQLITE_ROW) {
        rows[n++] = sqlite3_column_int64(st, 0);
        if (sqlite3_column_int64(st, 1) > *last)
            *last = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (n == 0)
        return PLEDGEX_OK;
    rc = pack_rows(ts, rows, n, err, errlen);
    if (rc == PLEDGEX_OK)
        rc = exec_sql(ts,
                      "DELETE FROM blocks WHERE id IN (SELECT id FROM temp.px_repack);"
                      "INSERT INTO blocks SELECT * FROM temp.px_repack ORDER BY id;"
                      "DELETE FROM temp.px_repack;",
                      err, errlen);
    *moved = n;
    return rc;
}

/* Compresses every plain block long enough to gain.  Not with UPDATE:
 * SQLite rewrites a row where it is and does not merge the pages a shrunk
 * row leaves nearly empty (a page of four 1 KB blocks keeps four 70-byte
 * ones: 3.2 MB of pages for 0.7 MB of text at 10k documents).  Deleted
 * rows free and merge their pages, and the rows inserted back fill new
 * ones.  Meanwhile the triggers on blocks are dropped, and made again
 * from their own SQL: the rows keep their ids and, as pxtext() reads it,
 * their text, so the full-text index and its pending list need no change.
 * A failure leaves the caller to roll it all back. */
static int pack_plain_blocks(pledgex_text_store *ts, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (prepare(ts, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                    " AND tbl_name = 'blocks'",
                &st, err, errlen))
        return PLEDGEX_FATAL;
    char *names[16], *sqls[16];
    int n = 0, rc = PLEDGEX_OK;
    while (rc == PLEDGEX_OK && sqlite3_step(st) == SQLITE_ROW) {
        if (n == 16) {
            snprintf(err, errlen, "text dictionary: too many triggers on blocks");
            rc = PLEDGEX_FATAL;
            break;
        }
        names[n] = sqlite3_mprintf("DROP TRIGGER \"%w\"", sqlite3_column_text(st, 0));
        sqls[n] = sqlite3_mprintf("%s", sqlite3_column_text(st, 1));
        n++;
        if (!names[n - 1] || !sqls[n - 1]) {
            snprintf(err, errlen, "out of memory");
            rc = PLEDGEX_FATAL;
        }
    }
    sqlite3_finalize(st);
    if (rc == PLEDGEX_OK)
        rc = exec_sql(ts, "CREATE TEMP TABLE px_repack AS SELECT * FROM blocks WHERE 0", err,
                      errlen);
    for (int i = 0; i < n && rc == PLEDGEX_OK; i++)
        rc = exec_sql(ts, names[i], err, errlen);
    sqlite3_int64 last = 0;
    for (int moved = TEXT_CHUNK; rc == PLEDGEX_OK && moved == TEXT_CHUNK;)
        rc = repack_chunk(ts, &last, &moved, err, errlen);
    for (int i = 0; i < n && rc == PLEDGEX_OK; i++)
        rc = exec_sql(ts, sqls[i], err, errlen);
    if (rc == PLEDGEX_OK)
        rc = exec_sql(ts, "DROP TABLE temp.px_repack", err, errlen);
    for (int i = 0; i < n; i++) {
        sqlite3_free(names[i]);
        sqlite3_free(sqls[i]);
    }
    return rc;
}

/* The number a one-row query gives, in *out. */
static int query_int(pledgex_text_store *ts, const char *sql, sqlite3_int64 *out, char *err,
                     size_t errlen)
{
    sqlite3_stmt *st;
    if (prepare(ts, sql, &st, err, errlen))
        return PLEDGEX_FATAL;
    int rc = sqlite3_step(st) == SQLITE_ROW ? PLEDGEX_OK : sql_failed(ts, err, errlen);
    if (rc == PLEDGEX_OK)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* Up to TEXT_TRAIN_MAX_BYTES of plain blocks, oldest first, concatenated
 * in *samples (malloc'd) with each one's size in *sizes (malloc'd). */
static int read_samples(pledgex_text_store *ts, char **samples, size_t **sizes, unsigned *count,
                        char *err, size_t errlen)
{
    /* A sample longer than this says no more about the index's text
     * than its beginning does, and would crowd the others out. */
    enum { SAMPLE_MAX = 64 * 1024 };
    *samples = NULL;
    *sizes = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (prepare(ts,
                "SELECT CAST(text AS BLOB) FROM blocks WHERE typeof(text) = 'text'"
                " AND length(CAST(text AS BLOB)) >= ?1 ORDER BY id",
                &st, err, errlen))
        return PLEDGEX_FATAL;
    sqlite3_bind_int(st, 1, TEXT_MIN_PACK);
    char *buf = malloc(TEXT_TRAIN_MAX_BYTES);
    size_t used = 0, cap = 0, *sz = NULL;
    unsigned n = 0;
    int rc = buf ? PLEDGEX_OK : PLEDGEX_FATAL, step = SQLITE_DONE;
    while (rc == PLEDGEX_OK && used < TEXT_TRAIN_MAX_BYTES &&
           (step = sqlite3_step(st)) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if (len > SAMPLE_MAX)
            len = SAMPLE_MAX;
        if (len > TEXT_TRAIN_MAX_BYTES - used)
            len = TEXT_TRAIN_MAX_BYTES - used;
        if (n == cap) {
            size_t *more = realloc(sz, (cap = cap ? cap * 2 : 1024) * sizeof *sz);
            if (!more) {
                rc = PLEDGEX_FATAL;
                break;
            }
            sz = more;
        }
        memcpy(buf + used, sqlite3_column_blob(st, 0), len);
        sz[n++] = len;
        used += len;
    }
    if (rc == PLEDGEX_FATAL)
        snprintf(err, errlen, "out of memory");
    else if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = sql_failed(ts, err, errlen);
    sqlite3_finalize(st);
    if (rc != PLEDGEX_OK) {
        free(buf);
        free(sz);
        return rc;
    }
    *samples = buf;
    *sizes = sz;
    *count = n;
    return PLEDGEX_OK;
}

/* Stores dictionary `dict` under the next free id (which it is made to
 * carry: frames name their dictionary by it) and writes with it. */
static int add_dict(pledgex_text_store *ts, unsigned char *dict, size_t n, char *err,
                    size_t errlen)
{
    sqlite3_int64 id;
    if (query_int(ts, "SELECT coalesce(max(id), 0) + 1 FROM text_dicts", &id, err, errlen))
        return PLEDGEX_FATAL;
    /* RFC 8878, dictionary format: the magic number, then the id (32 bits,
     * little-endian).  ZDICT picks a hash of the content, over 32767, which
     * takes 4 bytes in every frame header; our small ids take 1. */
    if (n < 8 || dict[0] != 0x37 || dict[1] != 0xA4 || dict[2] != 0x30 || dict[3] != 0xEC) {
        snprintf(err, errlen, "text dictionary: the trainer made no zstd dictionary");
        return PLEDGEX_FATAL;
    }
    for (int i = 0; i < 4; i++)
        dict[4 + i] = (unsigned char)(id >> (8 * i));
    sqlite3_stmt *st;
    if (prepare(ts, "INSERT INTO text_dicts(id, dict) VALUES (?1, ?2)", &st, err, errlen))
        return PLEDGEX_FATAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, dict, (int)n, SQLITE_STATIC);
    int rc = step_done(ts, st, err, errlen);
    sqlite3_finalize(st);
    return rc == PLEDGEX_OK ? use_dict(ts, (unsigned)id, dict, n, err, errlen) : rc;
}

int pledgex__text_store_train(pledgex_text_store *ts, char *err, size_t errlen)
{
    if (ts->cdict)
        return PLEDGEX_OK;
    if (ts->plain_bytes < 0 && query_int(ts,
                                         "SELECT CAST(total(length(CAST(text AS BLOB))) AS"
                                         " INTEGER) FROM blocks WHERE typeof(text) = 'text'",
                                         &ts->plain_bytes, err, errlen) != PLEDGEX_OK)
        return PLEDGEX_FATAL;
    if (ts->plain_bytes < PLEDGEX_TEXT_TRAIN_BYTES || ts->plain_bytes < ts->next_try)
        return PLEDGEX_OK;
    ts->next_try = 2 * ts->plain_bytes;
    char *samples;
    size_t *sizes;
    unsigned count;
    int rc = read_samples(ts, &samples, &sizes, &count, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;
    unsigned char *dict = malloc(TEXT_DICT_BYTES);
    if (!dict) {
        free(samples);
        free(sizes);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    ZDICT_fastCover_params_t params;
    memset(&params, 0, sizeof params);
    params.k = TEXT_TRAIN_K;
    params.d = TEXT_TRAIN_D;
    params.zParams.compressionLevel = TEXT_LEVEL;
    size_t n = ZDICT_trainFromBuffer_fastCover(dict, TEXT_DICT_BYTES, samples, sizes, count,
                                               params);
    free(samples);
    free(sizes);
    /* Too few or too uniform samples: the text stays plain for now. */
    if (!ZDICT_isError(n))
        rc = add_dict(ts, dict, n, err, errlen);
    free(dict);
    if (rc == PLEDGEX_OK && ts->cdict)
        rc = pack_plain_blocks(ts, err, errlen);
    return rc;
}
