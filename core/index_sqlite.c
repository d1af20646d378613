/*
 * index_sqlite.c -- the embedded index: SQLite in WAL mode, FTS5 over text
 * blocks with the Vietnamese-folding tokenizer, one transaction per
 * document.
 */
#include <config.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fts_tokenizer.h"
#include "index.h"
#include "index_sqlite.h"
#include "index_sqlite_schema.h"
#include "json.h"
#include "links.h"
#include "query.h"
#include "text_store.h"
#include "textnorm.h"

/* Documents are written in batches: one transaction holds several whole
 * documents (each inside its own savepoint, so a failing document leaves no
 * trace), committed every BATCH_DOCS documents or BATCH_SECONDS, and by
 * flush().  Readers never see half a document; a kill loses at most the
 * open batch, which the next run redoes. */
#define BATCH_DOCS 2048
#define BATCH_SECONDS 1.0

/* Slots of the memos of entity_names rows and of strings (each holds up
 * to half as many keys; a full memo only costs a lookup per miss).  The
 * benchmark's 100,000 documents have about 11,000 distinct strings. */
#define NAME_MEMO 4096
#define STRING_MEMO 32768

/* Ids of rows this connection read or wrote since the last rollback, by
 * key ("type\tfolded" for a name, the string itself for a string). */
typedef struct memo {
    char **keys;         /* cap slots, NULL when empty; allocated on first use */
    sqlite3_int64 *ids;
    int cap, n;
} memo;

typedef struct sq {
    sqlite3 *db;
    pledgex_fts_vocab *vocab; /* owned by db */
    int wrote;                /* a batch was committed: see sq_close */
    int in_batch;
    /* Bytes of block text put in the open batch and committed by this
     * connection: the budget of the merge at close (merge_segments). */
    sqlite3_int64 batch_bytes, wrote_bytes;
    int batch_docs;
    struct timespec batch_start;
    /* The smallest docs id this batch gave a document (INT64_MAX before
     * the first): see keys_from_batch. */
    sqlite3_int64 batch_min_id;
    /* The connection's statements (the write path's, and the search's
     * through pledgex__sq_stmt), compiled once per connection: compiling
     * them for every document was a sixth of the cost of storing a small
     * one.  Keyed by the address of their SQL text (static strings). */
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } *cache; /* grows as statements come: ~33 today */
    int ncache, capcache;
    /* A document names the same few units, dates and commitments as the
     * last thousand did, and looking each up in SQLite cost more than the
     * entity row: entity_names ids and strings ids, remembered. */
    memo names, strings;
    /* How block text is stored (compressed once the index has a
     * dictionary); owned by the connection, which frees it at close. */
    pledgex_text_store *text;
} sq;

#define DB(ix) (((sq *)(ix)->impl)->db)

/* A reset statement for `sql` (a static string), prepared on first use. */
static int cached(pledgex_index *ix, const char *sql, sqlite3_stmt **out)
{
    sq *s = ix->impl;
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            *out = s->cache[i].st;
            return SQLITE_OK;
        }
    if (s->ncache == s->capcache) {
        int cap = s->capcache ? s->capcache * 2 : 32;
        void *g = realloc(s->cache, (size_t)cap * sizeof *s->cache);
        if (!g)
            return SQLITE_NOMEM;
        s->cache = g;
        s->capcache = cap;
    }
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc == SQLITE_OK) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache++].st = *out;
    }
    return rc;
}

int pledgex__sq_stmt(pledgex_index *ix, const char *sql, sqlite3_stmt **out, int *own)
{
    sq *s = ix->impl;
    int busy = 0;
    *own = 0;
    for (int i = 0; i < s->ncache && !busy; i++)
        if (s->cache[i].sql == sql)
            busy = sqlite3_stmt_busy(s->cache[i].st); /* an outer search steps it */
    if (!busy && cached(ix, sql, out) == SQLITE_OK)
        return SQLITE_OK;
    *own = 1;
    return sqlite3_prepare_v2(s->db, sql, -1, out, NULL);
}

void pledgex__sq_stmt_done(sqlite3_stmt *st, int own)
{
    if (own) {
        sqlite3_finalize(st);
    } else if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st); /* no pointer into a caller's stack kept */
    }
}

static int db_error(pledgex_index *ix, int code, const char *what)
{
    sqlite3 *db = DB(ix);
    int ext = sqlite3_extended_errcode(db);
    int sys = sqlite3_system_errno(db);
    /* "disk I/O error" alone does not say the disk is full. */
    if ((ext & 0xff) == SQLITE_IOERR || (ext & 0xff) == SQLITE_FULL)
        return pledgex__index_error(ix, code, "%s: %s (%s)", what, sqlite3_errmsg(db),
                                    sys ? strerror(sys) : "no system error");
    return pledgex__index_error(ix, code, "%s: %s", what, sqlite3_errmsg(db));
}

static int exec(pledgex_index *ix, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(DB(ix), sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = pledgex__index_error(ix, PLEDGEX_FATAL, "index: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return rc;
    }
    return PLEDGEX_OK;
}

/* Runs a cached statement that returns no rows (per-document savepoints:
 * sqlite3_exec would compile them for every document). */
static const char SQL_SAVEPOINT[] = "SAVEPOINT doc";
static const char SQL_RELEASE[] = "RELEASE doc";

static int step_cached(pledgex_index *ix, const char *sql)
{
    sqlite3_stmt *st;
    if (cached(ix, sql, &st) != SQLITE_OK)
        return db_error(ix, PLEDGEX_FATAL, "index");
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PLEDGEX_OK : db_error(ix, PLEDGEX_FATAL, "index");
}

/* SQL function px_key_match(a, b): photo file-name keys that name the same
 * photo. */
static void fn_key_match(sqlite3_context *c, int n, sqlite3_value **v)
{
    (void)n;
    const char *a = (const char *)sqlite3_value_text(v[0]);
    const char *b = (const char *)sqlite3_value_text(v[1]);
    sqlite3_result_int(c, pledgex__photo_keys_match(a, b));
}

static sqlite3_int64 pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* (index size) FTS5 merges its segments as batches come in and frees the
 * pages of the merged ones: after an ingest of 10k documents a tenth of
 * the file was free pages.  An index made by this version vacuums
 * incrementally (see sq_open), so a writer gives them back when it closes.
 * An older index cannot switch without a VACUUM, which rewrites the whole
 * file: it is worth it once a quarter of the file is free, as after its
 * first ingest under schema 11 compressed its text (a 100k index: 2/3 of
 * it).  The copy goes to a temporary file, not memory.  Failing costs
 * nothing but space. */
static void give_back_free_pages(sqlite3 *db)
{
    sqlite3_int64 free_pages = pragma_int(db, "PRAGMA freelist_count");
    sqlite3_int64 mode = pragma_int(db, "PRAGMA auto_vacuum");
    if (free_pages > 0 && mode == 2)
        sqlite3_exec(db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
    else if (mode == 0 && free_pages >= 256 &&
             free_pages * 4 >= pragma_int(db, "PRAGMA page_count"))
        sqlite3_exec(db,
                     "PRAGMA temp_store=FILE; PRAGMA auto_vacuum=INCREMENTAL; VACUUM;"
                     "PRAGMA temp_store=MEMORY;",
                     NULL, NULL, NULL);
}

static int migrate(pledgex_index *ix)
{
    sqlite3_stmt *st;
    int version = 0;
    if (sqlite3_prepare_v2(DB(ix), "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return db_error(ix, PLEDGEX_FATAL, "index");
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > PLEDGEX_SCHEMA_VERSION)
        return pledgex__index_error(ix, PLEDGEX_FATAL,
                                    "index schema version %d is newer than this pledgex (%d)",
                                    version, PLEDGEX_SCHEMA_VERSION);
    for (int v = version; v < PLEDGEX_SCHEMA_VERSION; v++) {
        int rc = exec(ix, "BEGIN IMMEDIATE");
        if (rc)
            return rc;
        /* Re-check under the write lock: another process may have migrated. */
        int now = 0;
        if (sqlite3_prepare_v2(DB(ix), "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                now = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        if (now > v) {
            exec(ix, "COMMIT");
            v = now - 1;
            continue;
        }
        rc = exec(ix, pledgex_migrations[v]);
        /* A migration that re-reads the blocks into the full-text index
         * ('rebuild') met their words: the pairs go in with it. */
        if (rc == PLEDGEX_OK && pledgex__fts_vocab_store(((sq *)ix->impl)->vocab) != SQLITE_OK)
            rc = db_error(ix, PLEDGEX_FATAL, "index migration");
        if (rc == PLEDGEX_OK) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
            rc = exec(ix, sql);
        }
        if (rc != PLEDGEX_OK) {
            sqlite3_exec(DB(ix), "ROLLBACK", NULL, NULL, NULL);
            pledgex__fts_vocab_forget(((sq *)ix->impl)->vocab);
            return rc;
        }
        if ((rc = exec(ix, "COMMIT")))
            return rc;
    }
    return PLEDGEX_OK;
}

static int sq_open(pledgex_index *ix, const char *path)
{
    sq *s = calloc(1, sizeof *s);
    if (!s)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
    ix->impl = s;
    /* NOMUTEX: a pledgex_index is used by one thread at a time (pledgex.h),
     * so the connection need not lock on every call: the writer makes
     * ~20 calls per document (bench/search/RESULTS.md). */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "%s: cannot open the index: %s", path,
                                    s->db ? sqlite3_errmsg(s->db) : "out of memory");
    sqlite3_busy_timeout(s->db, 30000);
    char err[512];
    if (pledgex__fts_register(s->db, &s->vocab, err, sizeof err) != SQLITE_OK)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "%s: %s", path, err);
    sqlite3_create_function(s->db, "px_key_match", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                            NULL, fn_key_match, NULL, NULL);
    pledgex__sq_search_register(s->db);
    /* A new file vacuums incrementally: see give_back_free_pages.  The
     * mode is chosen before the file is first written (WAL mode writes
     * it); older indexes keep theirs.  Not a database: no count, no
     * change, and the next step says so. */
    if (pragma_int(s->db, "SELECT count(*) FROM sqlite_master") == 0)
        sqlite3_exec(s->db, "PRAGMA auto_vacuum=INCREMENTAL", NULL, NULL, NULL);
    /* before the migrations: the view and triggers they make call pxtext() */
    if (pledgex__text_store_register(s->db, &s->text, err, sizeof err) != PLEDGEX_OK)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "%s: %s", path, err);
    /* Is it a database at all?  A text file named pledgex.db fails here. */
    char *msg = NULL;
    if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, &msg) != SQLITE_OK) {
        int rc = pledgex__index_error(ix, PLEDGEX_FATAL, "%s: not a pledgex index: %s", path,
                                      msg ? msg : "?");
        sqlite3_free(msg);
        return rc;
    }
    /* (search) temp_store: the per-document savepoints journal in memory,
     * not in a temporary file written page by page. */
    int rc = exec(ix, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
                      "PRAGMA temp_store=MEMORY;");
    if (rc)
        return rc;
    rc = migrate(ix);
    if (rc) {
        char why[sizeof ix->errmsg];
        memcpy(why, ix->errmsg, sizeof why);
        pledgex__index_error(ix, rc, "%s: %s", path, why);
    }
    return rc;
}

static int sq_flush(pledgex_index *ix);

/* Forgets a memo: after a rollback, rows it lists may be gone. */
static void memo_forget(memo *m)
{
    for (int i = 0; m->keys && i < m->cap; i++) {
        free(m->keys[i]);
        m->keys[i] = NULL;
    }
    m->n = 0;
}

static void memo_free(memo *m)
{
    memo_forget(m);
    free(m->keys);
    free(m->ids);
    m->keys = NULL;
    m->ids = NULL;
}

static void memos_forget(sq *s)
{
    memo_forget(&s->names);
    memo_forget(&s->strings);
}

/* The memo's id for the key a "\t" b (just b when a is NULL), or 0 when
 * it has none; *slot is then the empty slot where memo_keep() can put it
 * (-1 when full). */
static sqlite3_int64 memo_find(memo *m, const char *a, const char *b, int *slot)
{
    *slot = -1;
    if (!m->keys)
        return 0;
    uint32_t h = 2166136261u;
    size_t al = a ? strlen(a) : 0;
    if (a) {
        for (const char *p = a; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        h = (h ^ '\t') * 16777619u;
    }
    for (const char *p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (int k = 0; k < m->cap; k++) {
        int i = (int)((h + (uint32_t)k) % (uint32_t)m->cap);
        const char *e = m->keys[i];
        if (!e) {
            if (m->n < m->cap / 2) /* keep probes short */
                *slot = i;
            return 0;
        }
        if (a ? !strncmp(e, a, al) && e[al] == '\t' && !strcmp(e + al + 1, b) : !strcmp(e, b))
            return m->ids[i];
    }
    return 0;
}

/* Makes the memo's slots (cap of them) on first use; 0 when it has them. */
static int memo_ready(memo *m, int cap)
{
    if (m->keys)
        return 0;
    m->keys = calloc((size_t)cap, sizeof *m->keys);
    m->ids = calloc((size_t)cap, sizeof *m->ids);
    if (!m->keys || !m->ids) {
        free(m->keys);
        free(m->ids);
        m->keys = NULL;
        m->ids = NULL;
        return -1;
    }
    m->cap = cap;
    return 0;
}

/* Remembers id for a/b in `slot` from memo_find (a full memo, or no
 * memory for the key, only costs a lookup next time). */
static void memo_keep(memo *m, int slot, const char *a, const char *b, sqlite3_int64 id)
{
    if (slot < 0)
        return;
    size_t al = a ? strlen(a) + 1 : 0, bl = strlen(b);
    char *e = malloc(al + bl + 1);
    if (!e)
        return;
    if (a) {
        memcpy(e, a, al - 1);
        e[al - 1] = '\t';
    }
    memcpy(e + al, b, bl + 1);
    m->keys[slot] = e;
    m->ids[slot] = id;
    m->n++;
}

/* (search) The full-text index is merged at the end of a writing session.
 * FTS5 writes a segment per committed batch and, by this index's settings
 * (migration 13), merges none while the session writes; a query looks its
 * terms up in every segment.  The 100k index `pledgex ingest` makes (49
 * batches), with the 4 segments older settings left, answered the
 * benchmark queries in a median p50 of 5.4 ms, merged into one 4.5 ms (6
 * alternated runs); merging cost 0.8 s, ~5% of the ingest, and saved as
 * much in merges no longer made during it (bench/search/RESULTS.md).  A
 * few segments cost a query little and merging them costs a small ingest
 * 5-7% (10k documents: 5 segments, +0.1 s), so the merge waits for
 * MERGE_MIN_SEGMENTS.  Its work is bounded by what this connection wrote:
 * MERGE_PAGES_PER_MB pages per MB of text, where its segments take ~100,
 * so adding a few files to a large index costs little; FTS5 keeps an
 * unfinished merge in the index and a later session goes on with it.  A
 * negative 'merge' merges segments of any level, as few as two; a step
 * that changes fewer than 2 rows found nothing to merge (FTS5's
 * documentation).  Failing costs nothing but speed: rolled back. */
#define MERGE_MIN_SEGMENTS 8
#define MERGE_PAGES_PER_MB 250
#define MERGE_STEP_PAGES 256
#define MERGE_STR_(x) #x
#define MERGE_STR(x) MERGE_STR_(x)
#define MERGE_STEP_SQL                                                                         \
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('merge', -" MERGE_STR(MERGE_STEP_PAGES) ")"

/* Segments of the full-text index, counted up to `max`.  FTS5 keys a
 * segment's pages by segid << 37 (its on-disk format, fts5_index.c:
 * FTS5_SEGMENT_ROWID), so one seek finds each segment; the rows below
 * are the structure and averages records. */
static int fts_segments(sqlite3 *db, int max)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id >> 37 FROM blocks_fts_data WHERE id >= ?1 ORDER BY id "
                           "LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return 0;
    int n = 0;
    sqlite3_int64 segid = 1;
    while (n < max) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, segid << 37);
        if (sqlite3_step(st) != SQLITE_ROW)
            break;
        segid = sqlite3_column_int64(st, 0) + 1;
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

static void merge_segments(sq *s)
{
    sqlite3_int64 budget = s->wrote_bytes * MERGE_PAGES_PER_MB / (1 << 20);
    if (budget < MERGE_STEP_PAGES)
        budget = MERGE_STEP_PAGES;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return;
    if (fts_segments(s->db, MERGE_MIN_SEGMENTS) < MERGE_MIN_SEGMENTS)
        budget = 0;
    for (; budget > 0; budget -= MERGE_STEP_PAGES) {
        sqlite3_int64 before = sqlite3_total_changes64(s->db);
        if (sqlite3_exec(s->db, MERGE_STEP_SQL, NULL, NULL, NULL) != SQLITE_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return;
        }
        if (sqlite3_total_changes64(s->db) - before < 2)
            break;
    }
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static void sq_close(pledgex_index *ix)
{
    sq *s = ix->impl;
    if (!s)
        return;
    sq_flush(ix);
    if (s->wrote) {
        merge_segments(s);
        give_back_free_pages(s->db);
    }
    memo_free(&s->names);
    memo_free(&s->strings);
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    free(s->cache);
    s->cache = NULL;
    s->ncache = s->capcache = 0;
    if (s->db)
        sqlite3_close_v2(s->db);
    free(s);
    ix->impl = NULL;
}

static const char SQL_LOOKUP[] = "SELECT sha256, status FROM docs WHERE address=?1";

static int sq_lookup(pledgex_index *ix, const char *address, char **sha, int *status)
{
    sqlite3_stmt *st;
    *sha = NULL;
    if (cached(ix, SQL_LOOKUP, &st) != SQLITE_OK)
        return db_error(ix, PLEDGEX_FATAL, "index lookup");
    sqlite3_bind_text(st, 1, address, -1, SQLITE_TRANSIENT);
    int rc = PLEDGEX_SKIP;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(st, 0);
        *sha = h ? strdup(h) : NULL;
        *status = pledgex__status_from_name((const char *)sqlite3_column_text(st, 1));
        rc = PLEDGEX_OK;
    }
    sqlite3_reset(st);
    return rc;
}

/* The search kind of a document: what a user filters with --kind. */
static const char *doc_kind(const pledgex_doc *doc)
{
    const char *k = pledgex__doc_attr(doc, "kind");
    if (k)
        return k;
    if (!doc->plugin)
        return NULL;
    if (!strcmp(doc->plugin, "ocr") || !strcmp(doc->plugin, "pdf"))
        return "scan";
    if (!strcmp(doc->plugin, "photo"))
        return "photo";
    if (!strcmp(doc->plugin, "article"))
        return "article";
    if (!strcmp(doc->plugin, "text"))
        return "text";
    return doc->plugin;
}

/* Ranking weight of a block: titles and captions above body text, OCR text
 * with low confidence below. */
static double block_weight(const pledgex_doc_block *b)
{
    if (!strcmp(b->kind, "title"))
        return 2.0;
    if (!strcmp(b->kind, "caption"))
        return 1.5;
    if (b->confidence >= 0 && b->confidence < 0.6)
        return 0.6;
    if (b->flags & PLEDGEX_BLOCK_NEEDS_REVIEW)
        return 0.8;
    return 1.0;
}

typedef struct put_stmts {
    sqlite3_stmt *doc, *block, *attr, *entity, *entities, *ref;
} put_stmts;

static void reset_all(put_stmts *p)
{
    if (p->doc)
        sqlite3_reset(p->doc);
    if (p->block)
        sqlite3_reset(p->block);
    if (p->attr)
        sqlite3_reset(p->attr);
    if (p->entity)
        sqlite3_reset(p->entity);
    if (p->entities)
        sqlite3_reset(p->entities);
    if (p->ref)
        sqlite3_reset(p->ref);
}

static int bind_attr(pledgex_index *ix, sqlite3_stmt *st, const char *key, const char *value);

/* The caption of a sidecar becomes its photo's when the photo has none: the
 * sidecar's caption.text/credit (a .xmp read by the photo plugin), else its
 * text (a .txt) with the credit written in it; source "sidecar". */
static int copy_sidecar_caption(pledgex_index *ix, sqlite3_int64 photo, sqlite3_int64 side)
{
    static const char *const sql =
        "SELECT coalesce((SELECT value FROM attrs_v WHERE doc_id=?2 AND key='caption.text'),"
        " (SELECT group_concat(t, char(10)) FROM (SELECT pxtext(text) AS t FROM blocks"
        "  WHERE doc_id=?2 ORDER BY seq))),"
        " (SELECT value FROM attrs_v WHERE doc_id=?2 AND key='caption.credit')"
        " WHERE NOT EXISTS (SELECT 1 FROM attrs_v WHERE doc_id=?1 AND key='caption.text')"
        " AND (SELECT sum(length(pxtext(text))) FROM blocks WHERE doc_id=?2) <= 4096";
    sqlite3 *db = DB(ix);
    sqlite3_stmt *st = NULL, *ins = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO attrs(doc_id,seq,key,value_id,value) VALUES "
                               "(?1,(SELECT coalesce(max(seq),0)+1 FROM attrs WHERE doc_id=?1),"
                               "?3,?4,?5)",
                           -1, &ins, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_bind_int64(st, 1, photo);
    sqlite3_bind_int64(st, 2, side);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        char *text = strdup((const char *)sqlite3_column_text(st, 0));
        char *credit = sqlite3_column_text(st, 1)
                           ? strdup((const char *)sqlite3_column_text(st, 1))
                           : (text ? pledgex__caption_credit(text) : NULL);
        /* trim the line breaks of a text file */
        size_t n = text ? strlen(text) : 0;
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
            text[--n] = 0;
        const char *keys[] = {"caption.text", "caption.credit", "caption.source"};
        const char *vals[] = {text, credit, "sidecar"};
        for (int i = 0; i < 3 && rc == 0 && text && *text; i++) {
            if (!vals[i])
                continue;
            sqlite3_reset(ins);
            sqlite3_bind_int64(ins, 1, photo);
            if (bind_attr(ix, ins, keys[i], vals[i]) != PLEDGEX_OK ||
                sqlite3_step(ins) != SQLITE_DONE)
                rc = -1;
        }
        free(text);
        free(credit);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ins);
    return rc;
}

/* A photo and its sidecar caption (NAME.JPG beside NAME.txt or NAME.xmp, in
 * one folder or archive) share a name key: link them both ways, whichever
 * comes first, and give the photo the sidecar's caption. */
/* rtrim(a, replace(replace(a,'/',''),'!','')) is a up to its last '/' or
 * '!': the folder, computed by SQLite in characters, not bytes. */
static const char SQL_SIDECAR_PEERS[] =
    "SELECT d.id FROM docs d "
    "WHERE d.name_key=?2 AND d.id<>?1 AND "
    "rtrim(d.address, replace(replace(d.address,'/',''),'!',''))=?3 AND "
    "(CASE WHEN ?4 THEN d.mime IN ('text/plain','application/rdf+xml') "
    "ELSE d.kind='photo' END)";
static const char SQL_LINK_PAIR[] = "INSERT OR IGNORE INTO links(a,b) VALUES (?1,?2)";

static int link_sidecars(pledgex_index *ix, sqlite3_int64 id, const pledgex_doc *doc,
                         const char *name_key)
{
    const char *kind = doc_kind(doc);
    int photo = kind && !strcmp(kind, "photo");
    if (!photo && !pledgex__sidecar_mime(doc->mime))
        return PLEDGEX_OK;
    char *folder = strndup(doc->address, pledgex__address_folder_len(doc->address));
    if (!folder)
        return PLEDGEX_FATAL;
    sqlite3_stmt *st = NULL;
    int rc = PLEDGEX_OK;
    if (cached(ix, SQL_SIDECAR_PEERS, &st) != SQLITE_OK) {
        rc = db_error(ix, PLEDGEX_FATAL, "index sidecar links");
    } else {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, name_key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, folder, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, photo);
        sqlite3_int64 other[16];
        int n = 0, step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW && n < 16)
            other[n++] = sqlite3_column_int64(st, 0);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            rc = db_error(ix, PLEDGEX_FATAL, "index sidecar links");
        sqlite3_reset(st);
        for (int i = 0; i < n && rc == PLEDGEX_OK; i++) {
            sqlite3_stmt *l = NULL;
            if (cached(ix, SQL_LINK_PAIR, &l) != SQLITE_OK) {
                rc = db_error(ix, PLEDGEX_FATAL, "index sidecar links");
                break;
            }
            sqlite3_bind_int64(l, 1, id);
            sqlite3_bind_int64(l, 2, other[i]);
            int lrc = sqlite3_step(l);
            sqlite3_reset(l);
            if (lrc != SQLITE_DONE ||
                copy_sidecar_caption(ix, photo ? id : other[i], photo ? other[i] : id) != 0)
                rc = db_error(ix, PLEDGEX_FATAL, "index sidecar links");
        }
    }
    free(folder);
    return rc;
}

static const char SQL_DELETE_DOC[] = "DELETE FROM docs WHERE address=?1";
/* '!' is 0x21 and '"' 0x22: the range holds exactly "address!...".  The
 * members were stored before their container (it is the commit marker):
 * drop only those of an earlier run. */
static const char SQL_DELETE_TREE[] = "DELETE FROM docs WHERE address=?1 OR "
                                      "(address >= ?1 || '!' AND address < ?1 || '\"' AND "
                                      "task IS NOT ?2)";
static const char SQL_INSERT_DOC[] =
    "INSERT INTO docs(address,parent,name,name_key,sha256,mime,plugin,"
    "status,error,size,mtime,depth,kind,ingested,task) VALUES "
    "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)";
static const char SQL_INSERT_BLOCK[] =
    "INSERT INTO blocks(doc_id,seq,kind,page,text,confidence,flags,"
    "weight) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)";
static const char SQL_INSERT_ATTR[] =
    "INSERT INTO attrs(doc_id,seq,key,value_id,value) VALUES (?1,?2,?3,?4,?5)";
static const char SQL_INSERT_ENTITY[] =
    "INSERT INTO entities(doc_id,seq,type,text,value,role,name_id,"
    "start_day,end_day) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
/* (ingest speed) ENTITY_ROWS entities in one statement: a document has
 * about nine, and each statement run costs more than the row it writes
 * (10k corpus: 88k rows). */
#define ENTITY_ROWS 8
#define ENTITY_ROW "(?,?,?,?,?,?,?,?,?)"
static const char SQL_INSERT_ENTITIES[] =
    "INSERT INTO entities(doc_id,seq,type,text,value,role,name_id,start_day,end_day) VALUES "
    ENTITY_ROW "," ENTITY_ROW "," ENTITY_ROW "," ENTITY_ROW ","
    ENTITY_ROW "," ENTITY_ROW "," ENTITY_ROW "," ENTITY_ROW;
static const char SQL_INSERT_REF[] = "INSERT INTO photo_refs(doc_id,key) VALUES (?1,?2)";
static const char SQL_FIND_NAME[] = "SELECT id FROM entity_names WHERE type=?1 AND folded=?2";
static const char SQL_INSERT_NAME[] = "INSERT INTO entity_names(type,folded) VALUES (?1,?2)";
static const char SQL_FIND_STRING[] = "SELECT id FROM strings WHERE s=?1";
static const char SQL_INSERT_STRING[] = "INSERT INTO strings(s) VALUES (?1)";
/* (ingest speed) A batch's filter keys (schema migration 8) are made from
 * its entity rows when it commits, one statement for each table: made row
 * by row they were two statements per entity, a fifth of the writer's
 * time.  ?1 is the batch's smallest docs id: a new rowid is one more than
 * the largest in the table (SQLite picks another only once the largest is
 * 2^63 - 1), so the rows from it on are this batch's documents, and only
 * those still there (one rolled back or replaced in the batch took its
 * entities with it).  The numbers are the ones the delete trigger
 * (migrations 8 and 10) computes; OR IGNORE: a document may name one unit
 * twice, or give one date twice.
 * In entity order: sorting them by key first cost more than it saved
 * (10k corpus: 0.08 s against 0.062 s for the two statements). */
static const char SQL_NAME_KEYS_OF_BATCH[] =
    "INSERT OR IGNORE INTO name_keys(name_id,doc_id) SELECT name_id, doc_id FROM entities"
    " WHERE doc_id >= ?1 AND name_id IS NOT NULL";
static const char SQL_DATE_KEYS_OF_BATCH[] =
    "INSERT OR IGNORE INTO date_keys(multi_year,start_day,end_day,doc_id)"
    " SELECT end_day / 10000 - start_day / 10000 >= 2, start_day, end_day, doc_id"
    " FROM entities WHERE doc_id >= ?1 AND start_day IS NOT NULL";
static const char SQL_LINK_REFS[] =
    "INSERT OR IGNORE INTO links(a,b) SELECT r.doc_id, d.id FROM "
    "photo_refs r, docs d WHERE r.doc_id=?1 AND d.id<>?1 AND "
    "d.name_key IS NOT NULL AND px_key_match(r.key, d.name_key)";
static const char SQL_LINK_NAME[] =
    "INSERT OR IGNORE INTO links(a,b) SELECT r.doc_id, ?1 FROM "
    "photo_refs r WHERE r.doc_id<>?1 AND ?2 IS NOT NULL AND "
    "px_key_match(r.key, ?2)";

/* The id of the row keyed a/b (just b when a is NULL) that find_sql
 * selects, made by insert_sql when missing (both take a as ?1 and b as
 * ?2, or b as ?1), remembered in m. */
static int intern(pledgex_index *ix, memo *m, int cap, const char *find_sql,
                  const char *insert_sql, const char *a, const char *b, sqlite3_int64 *id)
{
    sq *s = ix->impl;
    int slot;
    memo_ready(m, cap); /* without memory, no memo: a lookup each time */
    if ((*id = memo_find(m, a, b, &slot)))
        return PLEDGEX_OK;
    const char *sql[2] = {find_sql, insert_sql};
    for (int k = 0; k < 2 && !*id; k++) {
        sqlite3_stmt *st;
        if (cached(ix, sql[k], &st) != SQLITE_OK)
            return db_error(ix, PLEDGEX_FATAL, "index entity name");
        if (a)
            sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, a ? 2 : 1, b, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        if (k == 0 && step == SQLITE_ROW)
            *id = sqlite3_column_int64(st, 0);
        else if (k == 1 && step == SQLITE_DONE)
            *id = sqlite3_last_insert_rowid(s->db);
        sqlite3_reset(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            break;
    }
    if (!*id)
        return db_error(ix, PLEDGEX_FATAL, "index entity name");
    memo_keep(m, slot, a, b, *id);
    return PLEDGEX_OK;
}

/* The id of the entity_names row for type/folded, made when missing. */
static int name_id(pledgex_index *ix, const char *type, const char *folded, sqlite3_int64 *id)
{
    return intern(ix, &((sq *)ix->impl)->names, NAME_MEMO, SQL_FIND_NAME, SQL_INSERT_NAME, type,
                  folded, id);
}

/* The id of string str in `strings` (schema migration 10), made when
 * missing; 0 for NULL. */
static int string_id(pledgex_index *ix, const char *str, sqlite3_int64 *id)
{
    *id = 0;
    if (!str)
        return PLEDGEX_OK;
    return intern(ix, &((sq *)ix->impl)->strings, STRING_MEMO, SQL_FIND_STRING,
                  SQL_INSERT_STRING, NULL, str, id);
}

/* Binds id (of a string, a name, a day) to parameter i, NULL for 0. */
static void bind_id(sqlite3_stmt *st, int i, sqlite3_int64 id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* Attribute values up to this many bytes are interned (kind, encoding,
 * caption sources, dates); longer ones (captions, titles) are mostly
 * unique and stored as they are. */
#define ATTR_INTERN_MAX 16

/* Binds an attribute's key and value to ?3 (key id), ?4 (value id) and
 * ?5 (value text) of an insert into attrs. */
static int bind_attr(pledgex_index *ix, sqlite3_stmt *st, const char *key, const char *value)
{
    sqlite3_int64 kid, vid = 0;
    int rc = string_id(ix, key, &kid);
    if (rc == PLEDGEX_OK && value && strlen(value) <= ATTR_INTERN_MAX)
        rc = string_id(ix, value, &vid);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 3, kid);
    bind_id(st, 4, vid);
    sqlite3_bind_text(st, 5, vid ? NULL : value, -1, SQLITE_STATIC);
    return PLEDGEX_OK;
}

/* "YYYY-MM-DD" as the integer YYYYMMDD, which sorts the same way. */
static sqlite3_int64 day_number(const char *d)
{
    return (sqlite3_int64)atoi(d) * 10000 + atoi(d + 5) * 100 + atoi(d + 8);
}

/* Runs a reset key statement with its bindings; an error is the index's. */
static int step_key(pledgex_index *ix, sqlite3_stmt *st, const char *what)
{
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? PLEDGEX_OK : db_error(ix, PLEDGEX_FATAL, what);
}

/* Binds entity number `seq` of document `id` to parameters base + 1 to
 * base + 9 of st (an insert into entities), with the filter keys it gives
 * (schema migration 8): the name id of a unit, signatory or person, the
 * day span of a date. */
static int bind_entity(pledgex_index *ix, sqlite3_stmt *st, int base, sqlite3_int64 id,
                       int seq, const pledgex_doc_entity *e)
{
    /* The folded key the search filters match: the canonical name of a
     * unit or signatory, the name (not the unit) of a person.  Other
     * types have none (a commitment's text would only fatten the keys). */
    int named = !strcmp(e->type, "unit") || !strcmp(e->type, "signatory") ||
                !strcmp(e->type, "person");
    const char *basis = e->value && strcmp(e->type, "person") ? e->value : e->text;
    sqlite3_int64 nid = 0;
    if (named && basis) {
        char *folded = pledgex__fold_ascii(basis, strlen(basis));
        if (!folded)
            return pledgex__index_error(ix, PLEDGEX_FATAL, "out of memory");
        int rc = name_id(ix, e->type, folded, &nid);
        free(folded);
        if (rc)
            return rc;
    }
    char start[11], end[11];
    int dated = !strcmp(e->type, "date") && pledgex__date_bounds(e->value, start, end) == 0;
    /* Strings by id (migration 10); text equal to value is not stored
     * twice (readers coalesce). */
    sqlite3_int64 type, text, value, role;
    int rc = string_id(ix, e->type, &type);
    if (rc == PLEDGEX_OK)
        rc = string_id(ix, e->value, &value);
    if (rc == PLEDGEX_OK)
        rc = string_id(ix, e->text, &text);
    if (rc == PLEDGEX_OK)
        rc = string_id(ix, e->role, &role);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, base + 1, id);
    sqlite3_bind_int(st, base + 2, seq);
    sqlite3_bind_int64(st, base + 3, type);
    bind_id(st, base + 4, text == value ? 0 : text);
    bind_id(st, base + 5, value);
    bind_id(st, base + 6, role);
    bind_id(st, base + 7, nid);
    bind_id(st, base + 8, dated ? day_number(start) : 0);
    bind_id(st, base + 9, dated ? day_number(end) : 0);
    /* its name_keys and date_keys rows come when the batch commits */
    return PLEDGEX_OK;
}

/* The entities of document `id`, ENTITY_ROWS per statement while there are
 * as many left (bound in order: the strings get their ids as before). */
static int put_entities(pledgex_index *ix, put_stmts *p, sqlite3_int64 id,
                        const pledgex_doc *doc)
{
    int rc = PLEDGEX_OK;
    for (size_t i = 0; rc == PLEDGEX_OK && i < doc->nentities;) {
        size_t n = doc->nentities - i >= ENTITY_ROWS ? ENTITY_ROWS : 1;
        sqlite3_stmt *st = n > 1 ? p->entities : p->entity;
        for (size_t k = 0; rc == PLEDGEX_OK && k < n; k++)
            rc = bind_entity(ix, st, (int)(9 * k), id, (int)(i + k), &doc->entities[i + k]);
        if (rc == PLEDGEX_OK)
            rc = step_key(ix, st, "index insert entity");
        i += n;
    }
    return rc;
}

static int put_rows(pledgex_index *ix, const pledgex_doc *doc, int replace_tree)
{
    sq *s = ix->impl;
    sqlite3 *db = s->db;
    sqlite3_stmt *del;
    if (cached(ix, replace_tree ? SQL_DELETE_TREE : SQL_DELETE_DOC, &del) != SQLITE_OK)
        return db_error(ix, PLEDGEX_FATAL, "index");
    if (replace_tree)
        sqlite3_bind_int64(del, 2, (sqlite3_int64)doc->task);
    sqlite3_bind_text(del, 1, doc->address, -1, SQLITE_TRANSIENT);
    int src = sqlite3_step(del);
    sqlite3_reset(del);
    if (src != SQLITE_DONE)
        return db_error(ix, PLEDGEX_FATAL, "index delete");

    put_stmts p = {0};
    if (cached(ix, SQL_INSERT_DOC, &p.doc) != SQLITE_OK ||
        cached(ix, SQL_INSERT_BLOCK, &p.block) != SQLITE_OK ||
        cached(ix, SQL_INSERT_ATTR, &p.attr) != SQLITE_OK ||
        cached(ix, SQL_INSERT_ENTITY, &p.entity) != SQLITE_OK ||
        cached(ix, SQL_INSERT_ENTITIES, &p.entities) != SQLITE_OK ||
        cached(ix, SQL_INSERT_REF, &p.ref) != SQLITE_OK)
        return db_error(ix, PLEDGEX_FATAL, "index");
    int rc = PLEDGEX_OK;
    char *name_key = pledgex__photo_key(doc->name ? doc->name : doc->address);
    sqlite3_bind_text(p.doc, 1, doc->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 2, doc->parent, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 3, doc->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 4, name_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 5, doc->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 6, doc->mime, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 7, doc->plugin, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 8, pledgex__status_name(doc->status), -1, SQLITE_STATIC);
    sqlite3_bind_text(p.doc, 9, doc->error, -1, SQLITE_STATIC);
    sqlite3_bind_int64(p.doc, 10, (sqlite3_int64)doc->size);
    sqlite3_bind_int64(p.doc, 11, doc->mtime);
    sqlite3_bind_int(p.doc, 12, doc->depth);
    sqlite3_bind_text(p.doc, 13, doc_kind(doc), -1, SQLITE_STATIC);
    sqlite3_bind_int64(p.doc, 14, (sqlite3_int64)time(NULL));
    sqlite3_bind_int64(p.doc, 15, (sqlite3_int64)doc->task);
    if (sqlite3_step(p.doc) != SQLITE_DONE)
        rc = db_error(ix, PLEDGEX_FATAL, "index insert");
    sqlite3_int64 id = sqlite3_last_insert_rowid(db);
    if (rc == PLEDGEX_OK && id < s->batch_min_id)
        s->batch_min_id = id;

    for (size_t i = 0; rc == PLEDGEX_OK && i < doc->nblocks; i++) {
        const pledgex_doc_block *b = &doc->blocks[i];
        sqlite3_reset(p.block);
        sqlite3_bind_int64(p.block, 1, id);
        sqlite3_bind_int(p.block, 2, (int)i);
        sqlite3_bind_text(p.block, 3, b->kind, -1, SQLITE_STATIC);
        sqlite3_bind_int(p.block, 4, b->page);
        size_t len = strlen(b->text), size;
        s->batch_bytes += (sqlite3_int64)len;
        const void *frame;
        char err[256];
        if (pledgex__text_store_pack(s->text, b->text, len, &frame, &size, err, sizeof err) !=
            PLEDGEX_OK) {
            rc = pledgex__index_error(ix, PLEDGEX_FATAL, "index insert block: %s", err);
            break;
        }
        if (frame)
            sqlite3_bind_blob(p.block, 5, frame, (int)size, SQLITE_STATIC);
        else
            sqlite3_bind_text(p.block, 5, b->text, (int)len, SQLITE_STATIC);
        if (b->confidence < 0)
            sqlite3_bind_null(p.block, 6);
        else
            sqlite3_bind_double(p.block, 6, b->confidence);
        sqlite3_bind_int(p.block, 7, (int)b->flags);
        sqlite3_bind_double(p.block, 8, block_weight(b));
        if (sqlite3_step(p.block) != SQLITE_DONE)
            rc = db_error(ix, PLEDGEX_FATAL, "index insert block");
    }
    int refs = 0; /* photo references of this document */
    for (size_t i = 0; rc == PLEDGEX_OK && i < doc->nattrs; i++) {
        const pledgex_doc_attr *a = &doc->attrs[i];
        sqlite3_reset(p.attr);
        sqlite3_bind_int64(p.attr, 1, id);
        sqlite3_bind_int(p.attr, 2, (int)i);
        if ((rc = bind_attr(ix, p.attr, a->key, a->value)))
            break;
        if (sqlite3_step(p.attr) != SQLITE_DONE)
            rc = db_error(ix, PLEDGEX_FATAL, "index insert attribute");
        if (rc == PLEDGEX_OK && !strcmp(a->key, "photo.ref")) {
            /* "FILE.JPG\tcaption": the key of the file name */
            const char *tab = strchr(a->value, '\t');
            size_t n = tab ? (size_t)(tab - a->value) : strlen(a->value);
            char *fname = strndup(a->value, n);
            char *key = fname ? pledgex__photo_key(fname) : NULL;
            if (key) {
                sqlite3_reset(p.ref);
                sqlite3_bind_int64(p.ref, 1, id);
                sqlite3_bind_text(p.ref, 2, key, -1, SQLITE_STATIC);
                if (sqlite3_step(p.ref) != SQLITE_DONE)
                    rc = db_error(ix, PLEDGEX_FATAL, "index insert photo reference");
                refs++;
            }
            free(key);
            free(fname);
        }
    }
    if (rc == PLEDGEX_OK)
        rc = put_entities(ix, &p, id, doc);
    reset_all(&p);

    /* Links both ways: this document's photo references (when it has
     * any) against known photos, and this document's own name against
     * known references. */
    if (rc == PLEDGEX_OK) {
        sqlite3_stmt *l1 = NULL, *l2 = NULL;
        if ((refs && cached(ix, SQL_LINK_REFS, &l1) != SQLITE_OK) ||
            cached(ix, SQL_LINK_NAME, &l2) != SQLITE_OK) {
            rc = db_error(ix, PLEDGEX_FATAL, "index links");
        } else {
            if (l1)
                sqlite3_bind_int64(l1, 1, id);
            sqlite3_bind_int64(l2, 1, id);
            sqlite3_bind_text(l2, 2, name_key, -1, SQLITE_STATIC);
            if ((l1 && sqlite3_step(l1) != SQLITE_DONE) || sqlite3_step(l2) != SQLITE_DONE)
                rc = db_error(ix, PLEDGEX_FATAL, "index links");
        }
        if (l1)
            sqlite3_reset(l1);
        if (l2)
            sqlite3_reset(l2);
    }
    if (rc == PLEDGEX_OK && name_key)
        rc = link_sidecars(ix, id, doc, name_key);
    free(name_key);
    return rc;
}

/* Rolls the open batch back after a failure (keeping the message): the
 * memos may name rows that are gone, a dictionary trained in it too. */
static int rollback_batch(pledgex_index *ix, int rc)
{
    sq *s = ix->impl;
    char saved[sizeof ix->errmsg];
    memcpy(saved, ix->errmsg, sizeof saved);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    pledgex__fts_vocab_forget(s->vocab);
    memos_forget(s);
    pledgex__text_store_forget(s->text);
    s->batch_bytes = 0;
    memcpy(ix->errmsg, saved, sizeof saved);
    return rc;
}

/* The filter keys of the batch's documents: see SQL_NAME_KEYS_OF_BATCH. */
static int keys_from_batch(pledgex_index *ix)
{
    sq *s = ix->impl;
    if (s->batch_min_id == INT64_MAX)
        return PLEDGEX_OK; /* no document stored */
    const char *sql[2] = {SQL_NAME_KEYS_OF_BATCH, SQL_DATE_KEYS_OF_BATCH};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st;
        if (cached(ix, sql[i], &st) != SQLITE_OK)
            return db_error(ix, PLEDGEX_FATAL, "index keys");
        sqlite3_bind_int64(st, 1, s->batch_min_id);
        int rc = step_key(ix, st, "index keys");
        if (rc)
            return rc;
    }
    return PLEDGEX_OK;
}

static int sq_flush(pledgex_index *ix)
{
    sq *s = ix->impl;
    if (!s || !s->in_batch)
        return PLEDGEX_OK;
    s->in_batch = 0;
    if (keys_from_batch(ix) != PLEDGEX_OK)
        return rollback_batch(ix, PLEDGEX_FATAL);
    /* (index size) Once the index holds enough text, a dictionary is
     * trained on it and its blocks compressed, in this transaction. */
    char err[256];
    if (pledgex__text_store_train(s->text, err, sizeof err) != PLEDGEX_OK)
        return rollback_batch(ix, pledgex__index_error(ix, PLEDGEX_FATAL, "index commit: %s", err));
    /* (search) The batch's blocks enter the full-text index here, outside
     * the per-document savepoints: FTS5 writes its pending terms as a new
     * segment at every savepoint, so indexing inside them cost a segment
     * (and its merging) per document, 2-3x the ingest time.  fts_pending
     * (schema migration 4) lists the blocks written since the last flush.
     * A failure here rolls the whole batch back: still no half document. */
    if (sqlite3_exec(s->db,
                     "INSERT INTO blocks_fts(rowid, head, body, weak) SELECT b.id,"
                     " CASE WHEN b.weight > 1.0 THEN pxtext(b.text) END,"
                     " CASE WHEN b.weight = 1.0 THEN pxtext(b.text) END,"
                     " CASE WHEN b.weight < 1.0 THEN pxtext(b.text) END"
                     " FROM fts_pending p JOIN blocks b ON b.id = p.id;"
                     "DELETE FROM fts_pending;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        pledgex__fts_vocab_store(s->vocab) != SQLITE_OK ||
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return rollback_batch(ix, db_error(ix, PLEDGEX_FATAL, "index commit"));
    s->wrote = 1;
    s->wrote_bytes += s->batch_bytes;
    s->batch_bytes = 0;
    return PLEDGEX_OK;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int sq_put(pledgex_index *ix, const pledgex_doc *doc, int replace_tree)
{
    sq *s = ix->impl;
    int rc;
    if (!s->in_batch) {
        if ((rc = exec(ix, "BEGIN IMMEDIATE")))
            return rc;
        s->in_batch = 1;
        /* Under the write lock: a dictionary another writer trained is
         * used from this batch on. */
        char err[256];
        if (pledgex__text_store_load(s->text, err, sizeof err) != PLEDGEX_OK)
            return pledgex__index_error(ix, PLEDGEX_FATAL, "index: %s", err);
        s->batch_docs = 0;
        s->batch_bytes = 0;
        s->batch_min_id = INT64_MAX;
        clock_gettime(CLOCK_MONOTONIC, &s->batch_start);
    }
    if ((rc = step_cached(ix, SQL_SAVEPOINT)))
        return rc;
    rc = put_rows(ix, doc, replace_tree);
    if (rc != PLEDGEX_OK) {
        char saved[sizeof ix->errmsg];
        memcpy(saved, ix->errmsg, sizeof saved);
        sqlite3_exec(s->db, "ROLLBACK TO doc; RELEASE doc", NULL, NULL, NULL);
        memos_forget(s);
        memcpy(ix->errmsg, saved, sizeof saved);
        return rc;
    }
    if ((rc = step_cached(ix, SQL_RELEASE)))
        return rc;
    if (++s->batch_docs >= BATCH_DOCS || seconds_since(&s->batch_start) >= BATCH_SECONDS)
        return sq_flush(ix);
    return PLEDGEX_OK;
}

/* ------------------------------------------------------------- reading */

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

/* The document of a docs row; an error's message is set. */
static int load_doc(pledgex_index *ix, sqlite3_stmt *row, pledgex_doc **out)
{
    sqlite3 *db = DB(ix);
    sqlite3_int64 id = sqlite3_column_int64(row, 0);
    pledgex_doc *doc = pledgex__doc_new(NULL);
    if (!doc)
        return pledgex__index_error(ix, PLEDGEX_FATAL, "index read: out of memory");
    doc->address = col_dup(row, 1);
    doc->parent = col_dup(row, 2);
    doc->name = col_dup(row, 3);
    doc->sha256 = col_dup(row, 4);
    doc->mime = col_dup(row, 5);
    doc->plugin = col_dup(row, 6);
    doc->status = pledgex__status_from_name((const char *)sqlite3_column_text(row, 7));
    doc->error = col_dup(row, 8);
    doc->size = (uint64_t)sqlite3_column_int64(row, 9);
    doc->mtime = sqlite3_column_int64(row, 10);
    doc->depth = sqlite3_column_int(row, 11);
    sqlite3_stmt *st;
    int rc = PLEDGEX_OK, read_error = PLEDGEX_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT kind,page,pxtext(text),confidence,flags FROM blocks "
                           "WHERE doc_id=?1 ORDER BY seq",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        int step = SQLITE_DONE;
        while (rc == PLEDGEX_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
            rc = pledgex__doc_add_block(
                doc, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
                (const char *)sqlite3_column_text(st, 2),
                sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 3),
                (unsigned)sqlite3_column_int(st, 4));
        /* a text that does not decode is an error, not a missing block */
        if (rc == PLEDGEX_OK && step != SQLITE_DONE)
            rc = read_error = db_error(ix, PLEDGEX_FATAL, "index read");
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(db, "SELECT key,value FROM attrs_v WHERE doc_id=?1 ORDER BY seq", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        while (rc == PLEDGEX_OK && sqlite3_step(st) == SQLITE_ROW)
            rc = pledgex__doc_add_attr(doc, (const char *)sqlite3_column_text(st, 0),
                                       (const char *)sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT type,text,value,role FROM entities_v WHERE doc_id=?1 "
                           "ORDER BY seq",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        while (rc == PLEDGEX_OK && sqlite3_step(st) == SQLITE_ROW)
            rc = pledgex__doc_add_entity(doc, (const char *)sqlite3_column_text(st, 0),
                                         (const char *)sqlite3_column_text(st, 1),
                                         (const char *)sqlite3_column_text(st, 2),
                                         (const char *)sqlite3_column_text(st, 3));
        sqlite3_finalize(st);
    }
    if (rc != PLEDGEX_OK) {
        pledgex__doc_free(&doc);
        return read_error ? rc : pledgex__index_error(ix, rc, "index read: out of memory");
    }
    *out = doc;
    return PLEDGEX_OK;
}

/* Addresses linked to document id, as a double-NUL-terminated list. */
static char *links_of(pledgex_index *ix, sqlite3_int64 id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(DB(ix),
                           "SELECT address FROM docs WHERE id IN (SELECT b FROM links WHERE "
                           "a=?1 UNION SELECT a FROM links WHERE b=?1) ORDER BY address",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    pledgex_strbuf b = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        pledgex__sb_add(&b, a, strlen(a) + 1);
    }
    sqlite3_finalize(st);
    if (!b.s)
        return NULL;
    pledgex__sb_add(&b, "", 1);
    return pledgex__sb_finish(&b);
}

static int sq_each(pledgex_index *ix, const char *only,
                   int (*fn)(void *, const pledgex_doc *, const char *), void *user)
{
    sqlite3_stmt *st;
    const char *sql = only ? "SELECT id,address,parent,name,sha256,mime,plugin,status,error,"
                             "size,mtime,depth FROM docs WHERE address=?1"
                           : "SELECT id,address,parent,name,sha256,mime,plugin,status,error,"
                             "size,mtime,depth FROM docs ORDER BY address";
    /* Read everything in one read transaction: a concurrent ingest never
     * shows half a document, and the export is one consistent snapshot. */
    int rc = exec(ix, "BEGIN");
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(DB(ix), sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(ix, PLEDGEX_FATAL, "index read");
        exec(ix, "ROLLBACK");
        return rc;
    }
    if (only)
        sqlite3_bind_text(st, 1, only, -1, SQLITE_TRANSIENT);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        pledgex_doc *doc = NULL;
        if ((rc = load_doc(ix, st, &doc)) != PLEDGEX_OK)
            break;
        char *links = links_of(ix, sqlite3_column_int64(st, 0));
        int stop = fn(user, doc, links);
        free(links);
        pledgex__doc_free(&doc);
        if (stop)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_error(ix, PLEDGEX_FATAL, "index read");
    sqlite3_finalize(st);
    exec(ix, "COMMIT");
    return rc;
}

const pledgex_index_ops pledgex__index_sqlite = {
    .scheme = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .lookup = sq_lookup,
    .put = sq_put,
    .flush = sq_flush,
    .search = pledgex__sq_search,
    .suggest = pledgex__sq_suggest,
    .each = sq_each,
    .facets = pledgex__sq_facets,
    .units = pledgex__sq_units,
};

sqlite3 *pledgex__sq_db(pledgex_index *ix)
{
    return DB(ix);
}
