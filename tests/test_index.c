/*
 * test_index.c -- the SQLite index: round trip of a document with every
 * export field, schema versioning, a file that is not an index, filter
 * keys that follow their document, migrations of old databases.
 */
#include <config.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "index.h"
#include "index_sqlite.h"
#include "pledgex.h"
#include "query.h"
#include "testutil.h"

static pledgex_doc *sample_doc(const char *address)
{
    pledgex_doc *d = pledgex__doc_new(address);
    pledgex__doc_set(&d->name, "p.jpg");
    pledgex__doc_set(&d->sha256, "00ff");
    pledgex__doc_set(&d->mime, "image/jpeg");
    pledgex__doc_set(&d->plugin, "photo");
    d->status = PLEDGEX_OK;
    d->size = 1234;
    pledgex__doc_add_block(d, "ocr", 1, "BẢN GIAO ƯỚC THI ĐUA \"2024\"\nSở Tư pháp", 0.91,
                           PLEDGEX_BLOCK_NEEDS_REVIEW);
    pledgex__doc_add_attr(d, "caption.text", "Đại tá Nguyễn Kỳ Hồng phát biểu");
    pledgex__doc_add_attr(d, "caption.credit", "KL");
    pledgex__doc_add_attr(d, "caption.source", "xmp");
    pledgex__doc_add_attr(d, "taken", "2024-03-19T14:41:03");
    pledgex__doc_add_entity(d, "unit", "SỞ TƯ PHÁP", "Sở Tư pháp", NULL);
    pledgex__doc_add_entity(d, "date", "19/03/2024", "2024-03-19", "document");
    pledgex__doc_add_entity(d, "commitment", "Đẩy mạnh cải cách hành chính", NULL, "item");
    pledgex__doc_add_entity(d, "person", "Nguyễn Kỳ Hồng", NULL, "Đại tá");
    pledgex__doc_add_entity(d, "signatory", "SỞ TƯ PHÁP", "Sở Tư pháp", "Cụm phó");
    return d;
}

static void test_index_round_trip_has_every_export_field(void)
{
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("rt.db"), err, sizeof err),
                          PLEDGEX_OK);
    pledgex_doc *d = sample_doc("batch.zip!2024/p.jpg");
    CU_ASSERT_EQUAL(pledgex__index_put(ix, d, 1), PLEDGEX_OK);
    pledgex__doc_free(&d);
    CU_ASSERT_PTR_NULL(d);
    char *json = NULL;
    CU_ASSERT_EQUAL_FATAL(pledgex_show(ix, "batch.zip!2024/p.jpg", &json), PLEDGEX_OK);
    CU_ASSERT_TRUE_FATAL(tu_json_valid(json));
    static const char *const fields[] = {
        "$.address", "$.sha256", "$.mime", "$.plugin", "$.status", "$.text", "$.blocks",
        "$.units", "$.dates", "$.commitments", "$.people", "$.signatories", "$.caption",
        "$.taken", "$.links"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char *v = tu_json_get(json, fields[i]);
        if (!v)
            fprintf(stderr, "\n  missing %s in %s\n", fields[i], json);
        CU_ASSERT_PTR_NOT_NULL(v);
        free(v);
    }
    char *v = tu_json_get(json, "$.blocks[0].confidence");
    CU_ASSERT_STRING_EQUAL(v ? v : "", "0.91");
    free(v);
    v = tu_json_get(json, "$.caption.source");
    CU_ASSERT_STRING_EQUAL(v ? v : "", "xmp");
    free(v);
    v = tu_json_get(json, "$.units[0].canonical");
    CU_ASSERT_STRING_EQUAL(v ? v : "", "Sở Tư pháp");
    free(v);
    v = tu_json_get(json, "$.dates[0].value");
    CU_ASSERT_STRING_EQUAL(v ? v : "", "2024-03-19");
    free(v);
    v = tu_json_get(json, "$.text");
    CU_ASSERT(v && strstr(v, "\"2024\""));
    free(v);
    /* error is JSON null for an ok document */
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"error\":null"));
    free(json);
    CU_ASSERT_EQUAL(pledgex_show(ix, "no-such-address", &json), PLEDGEX_SKIP);
    pledgex_index_free(&ix);
}

static void test_index_schema_is_versioned(void)
{
    pledgex_index *ix;
    char err[512];
    const char *path = tu_path("ver.db");
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, path, err, sizeof err), PLEDGEX_OK);
    pledgex_index_free(&ix);
    sqlite3 *db;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
    int version = sqlite3_column_int(st, 0);
    CU_ASSERT_TRUE(version >= 1);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
    sqlite3_step(st);
    CU_ASSERT_STRING_EQUAL((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* a newer schema than this program knows is refused, not damaged */
    sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
    sqlite3_close(db);
    CU_ASSERT_EQUAL(pledgex_index_open(&ix, path, err, sizeof err), PLEDGEX_FATAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "newer"));
    CU_ASSERT_PTR_NULL(ix);
}

static void test_index_refuses_a_file_that_is_not_an_index(void)
{
    const char *path = tu_path("notes.db");
    tu_write_str(path, "these are my notes, not a database, and they are long enough\n");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL(pledgex_index_open(&ix, path, err, sizeof err), PLEDGEX_FATAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "notes.db"));
    size_t n;
    char *still = tu_read(path, &n);
    CU_ASSERT(still && strstr(still, "these are my notes"));
    free(still);
}

/* In the export of `address`, each JSON path want[i][0] holds the string
 * want[i][1]. */
static void expect_shown(pledgex_index *ix, const char *address, const char *const want[][2],
                         size_t n)
{
    char *json = NULL;
    CU_ASSERT_EQUAL_FATAL(pledgex_show(ix, address, &json), PLEDGEX_OK);
    for (size_t i = 0; i < n; i++) {
        char *v = tu_json_get(json, want[i][0]);
        if (!v)
            fprintf(stderr, "\n  %s missing in %s\n", want[i][0], json);
        CU_ASSERT_STRING_EQUAL(v ? v : "", want[i][1]);
        free(v);
    }
    free(json);
}

/* An entity whose text is its value is stored once; both come back. */
static void test_index_entity_text_equal_to_value_round_trips(void)
{
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("same.db"), err, sizeof err),
                          PLEDGEX_OK);
    pledgex_doc *d = pledgex__doc_new("same.txt");
    pledgex__doc_add_block(d, "text", 1, "Sở Tư pháp; CÔNG AN TỈNH", 1.0, 0);
    pledgex__doc_add_entity(d, "unit", "Sở Tư pháp", "Sở Tư pháp", NULL);
    pledgex__doc_add_entity(d, "unit", "CÔNG AN TỈNH", "Công an tỉnh", NULL);
    CU_ASSERT_EQUAL(pledgex__index_put(ix, d, 0), PLEDGEX_OK);
    pledgex__doc_free(&d);
    static const char *const want[][2] = {{"$.units[0].name", "Sở Tư pháp"},
                                          {"$.units[0].canonical", "Sở Tư pháp"},
                                          {"$.units[1].name", "CÔNG AN TỈNH"},
                                          {"$.units[1].canonical", "Công an tỉnh"}};
    expect_shown(ix, "same.txt", want, sizeof want / sizeof want[0]);
    pledgex_index_free(&ix);
}

/* The index in the scratch file `name` (opened or made), or NULL with the
 * reason printed. */
static pledgex_index *open_index(const char *name)
{
    pledgex_index *ix = NULL;
    char err[512];
    if (pledgex_index_open(&ix, tu_path(name), err, sizeof err) != PLEDGEX_OK)
        fprintf(stderr, "\n  %s: %s\n", name, err);
    return ix;
}

/* Hits of `text` with the --unit and --year filters (NULL, 0: none). */
static size_t filtered_hits(pledgex_index *ix, const char *text, const char *unit, int year)
{
    pledgex_query q = {0};
    q.text = text;
    q.unit = unit;
    q.year = year;
    size_t n = 0;
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, NULL, NULL, &n), PLEDGEX_OK);
    return n;
}

/* A text document (the caller's: put_doc frees it) naming `unit` and
 * dated `date` when they are not NULL, from top-level task `task`. */
static pledgex_doc *text_doc(const char *address, const char *text, const char *unit,
                             const char *date, uint64_t task)
{
    pledgex_doc *d = pledgex__doc_new(address);
    pledgex__doc_set(&d->plugin, "text");
    d->status = PLEDGEX_OK;
    d->task = task;
    pledgex__doc_add_block(d, "text", 1, text, -1, 0);
    if (unit)
        pledgex__doc_add_entity(d, "unit", unit, unit, NULL);
    if (date)
        pledgex__doc_add_entity(d, "date", date, date, "document");
    return d;
}

/* Stores d and frees it. */
static int put_doc(pledgex_index *ix, pledgex_doc *d, int replace_tree)
{
    int rc = pledgex__index_put(ix, d, replace_tree);
    pledgex__doc_free(&d);
    return rc;
}

/* One number from `sql` on the index's connection (the open batch
 * committed first). */
static long long count_of(pledgex_index *ix, const char *sql)
{
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    sqlite3_stmt *st;
    long long n = -1;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(pledgex__sq_db(ix), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Filter keys whose document is gone. */
static int orphan_keys(pledgex_index *ix)
{
    return (int)count_of(ix, "SELECT (SELECT count(*) FROM name_keys WHERE doc_id NOT IN (SELECT "
                             "id FROM docs)) + (SELECT count(*) FROM date_keys WHERE doc_id NOT "
                             "IN (SELECT id FROM docs))");
}

/* Puts n documents of ~2 KB, then a changed version of each (which
 * replaces its rows and full-text entries), each round committed. */
static void put_twice(pledgex_index *ix, int n)
{
    char addr[64], text[4096];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < n; i++) {
            snprintf(addr, sizeof addr, "doc%03d.txt", i);
            int len = 0;
            for (int k = 0; k < 40 && len < (int)sizeof text - 100; k++)
                len += snprintf(text + len, sizeof text - (size_t)len,
                                "Nội dung %d của bản giao ước thi đua số %d, vòng %d. ", k, i,
                                round);
            pledgex_doc *d = pledgex__doc_new(addr);
            CU_ASSERT_PTR_NOT_NULL_FATAL(d);
            pledgex__doc_set(&d->sha256, round ? "b" : "a"); /* changed: replaced */
            pledgex__doc_add_block(d, "text", 1, text, -1.0, 0);
            CU_ASSERT_EQUAL(put_doc(ix, d, 0), PLEDGEX_OK);
        }
        CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    }
}

/* A writer gives the pages it freed back when it closes: re-putting every
 * document (their old rows and full-text entries deleted) leaves a file
 * with no free page, on an index made by this version. */
static void test_index_gives_back_free_pages(void)
{
    const char *path = tu_path("free.db");
    remove(path);
    pledgex_index *ix = open_index("free.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    put_twice(ix, 200);
    pledgex_index_free(&ix);
    sqlite3 *db;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    long long v[3] = {-1, -1, -1};
    const char *sql[3] = {"PRAGMA auto_vacuum", "PRAGMA freelist_count",
                          "SELECT count(*) FROM docs"};
    for (int i = 0; i < 3; i++)
        if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                v[i] = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
    sqlite3_close(db);
    CU_ASSERT_EQUAL(v[0], 2); /* incremental */
    if (v[1] != 0)
        fprintf(stderr, "\n  free pages: %lld\n", v[1]);
    CU_ASSERT_EQUAL(v[1], 0);
    CU_ASSERT_EQUAL(v[2], 200);
}

/* Full-text segments of the index.  FTS5 keys a segment's pages by
 * segid << 37 (fts5_index.c, FTS5_SEGMENT_ROWID); rows below that are the
 * structure and averages records. */
#define FTS_SEGMENTS "SELECT count(DISTINCT id >> 37) FROM blocks_fts_data WHERE id >= 1 << 37"

/* Puts one small document per committed batch (a full-text segment
 * each), documents first..first+n-1, each with a word of its own. */
static void put_batches(pledgex_index *ix, int first, int n)
{
    char addr[64], text[256];
    for (int i = first; i < first + n; i++) {
        snprintf(addr, sizeof addr, "batch%d.txt", i);
        snprintf(text, sizeof text, "Lô %d: giao ước thi đua, từ riêng tu%dx.", i, i);
        CU_ASSERT_EQUAL(put_doc(ix, text_doc(addr, text, NULL, NULL, 0), 0), PLEDGEX_OK);
        CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    }
}

/* A writer merges the full-text segments when it closes with 8 or more
 * (a query looks its terms up in every one); fewer are left as they
 * are.  Every document is still found after the merge. */
static void test_index_merges_its_segments_at_close(void)
{
    const char *path = tu_path("merge.db");
    remove(path);
    pledgex_index *ix = open_index("merge.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    put_batches(ix, 0, 5);
    pledgex_index_free(&ix);
    ix = open_index("merge.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(count_of(ix, FTS_SEGMENTS), 5); /* a few: left */
    put_batches(ix, 5, 4);
    CU_ASSERT_EQUAL(count_of(ix, FTS_SEGMENTS), 9);
    pledgex_index_free(&ix);
    ix = open_index("merge.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(count_of(ix, FTS_SEGMENTS), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc thi dua", NULL, 0), 9);
    char word[16];
    for (int i = 0; i < 9; i++) {
        snprintf(word, sizeof word, "tu%dx", i);
        CU_ASSERT_EQUAL(filtered_hits(ix, word, NULL, 0), 1);
    }
    pledgex_index_free(&ix);
}

/* The merge at close is bounded by what the session wrote: a few small
 * documents added to a large merged index do not rewrite it (the merge
 * is left for later sessions to go on with), and are found at once. */
static void test_index_small_session_does_not_rewrite_the_index(void)
{
    const char *path = tu_path("mergebig.db");
    remove(path);
    pledgex_index *ix = open_index("mergebig.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    /* 2,000 documents of 150 words of their own: a segment of more pages
     * than the smallest merge budget (256) */
    char addr[64], text[2048];
    for (int i = 0; i < 2000; i++) {
        snprintf(addr, sizeof addr, "big%04d.txt", i);
        int len = snprintf(text, sizeof text, "giao ước thi đua");
        for (int k = 0; k < 150; k++)
            len += snprintf(text + len, sizeof text - (size_t)len, " w%dx%d", i, k);
        CU_ASSERT_EQUAL(put_doc(ix, text_doc(addr, text, NULL, NULL, 0), 0), PLEDGEX_OK);
    }
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    CU_ASSERT_EQUAL(sqlite3_exec(pledgex__sq_db(ix),
                                 "INSERT INTO blocks_fts(blocks_fts) VALUES ('optimize')", NULL,
                                 NULL, NULL),
                    SQLITE_OK);
    pledgex_index_free(&ix);
    ix = open_index("mergebig.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(count_of(ix, FTS_SEGMENTS), 1);
    CU_ASSERT(count_of(ix, "SELECT count(*) FROM blocks_fts_data") > 2 * 256);
    put_batches(ix, 0, 8); /* 9 segments: a merge, with a small budget */
    pledgex_index_free(&ix);
    ix = open_index("mergebig.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    /* not all merged: rewriting the large segment took more than the
     * budget (a merge under way adds its unfinished output segment) */
    CU_ASSERT(count_of(ix, FTS_SEGMENTS) >= 2);
    CU_ASSERT_EQUAL(filtered_hits(ix, "tu7x", NULL, 0), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "w1999x149", NULL, 0), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "w0x0", NULL, 0), 1);
    pledgex_index_free(&ix);
}

/* An index made before incremental vacuum (auto_vacuum off) switches to it
 * with one VACUUM when a writer closes with a quarter of the file free. */
static void test_index_old_file_switches_to_incremental_vacuum(void)
{
    const char *path = tu_path("oldvac.db");
    remove(path);
    sqlite3 *db;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    /* a table of its own, so the index does not take the file for new */
    CU_ASSERT_EQUAL(sqlite3_exec(db, "CREATE TABLE keep (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    pledgex_index *ix = open_index("oldvac.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(count_of(ix, "PRAGMA auto_vacuum"), 0);
    put_twice(ix, 300);
    pledgex_index_free(&ix);
    ix = open_index("oldvac.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(count_of(ix, "PRAGMA auto_vacuum"), 2);
    CU_ASSERT_EQUAL(count_of(ix, "PRAGMA freelist_count"), 0);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM docs"), 300);
    CU_ASSERT(filtered_hits(ix, "vong 1", NULL, 0) > 0); /* still searches */
    pledgex_index_free(&ix);
}

/* A document's unit and date keys live and die with its rows: replacing
 * it drops the old ones, a container re-read drops its old members'.
 * Row ids are reused (max + 1), so a key left behind would make a later
 * document match a filter it does not name. */
static void test_index_filter_keys_follow_their_document(void)
{
    pledgex_index *ix = open_index("keys.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    const char *text = "giao ước thi đua";
    /* ids: member 1, container 2 */
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("a.zip!m.txt", text, "Sở Tư pháp", "2020", 1), 0),
                    PLEDGEX_OK);
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("a.zip", text, NULL, NULL, 1), 1), PLEDGEX_OK);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 0), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2020), 1);
    /* the member changed: id 3, another unit, a span of years */
    CU_ASSERT_EQUAL(
        put_doc(ix, text_doc("a.zip!m.txt", text, "Công an tỉnh", "2022/2024", 1), 0),
        PLEDGEX_OK);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 0), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2020), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Công an tỉnh", 0), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2023), 1);
    /* the container re-read without it (task 2): the old member goes and
     * the container takes id 1, the first member's */
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("a.zip", text, NULL, NULL, 2), 1), PLEDGEX_OK);
    /* ids 2 and 3 again, naming nothing */
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("b.txt", text, NULL, NULL, 3), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("c.txt", text, NULL, NULL, 4), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 0), 3);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 0), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Công an tỉnh", 0), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2020), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2023), 0);
    /* and a new document naming the unit is found, once */
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("d.txt", text, "Sở Tư pháp", "2020-05", 5), 0),
                    PLEDGEX_OK);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 2020), 1);
    CU_ASSERT_EQUAL(orphan_keys(ix), 0);
    pledgex_index_free(&ix);
}

/* SQL that takes away what migrations 9 and 10 added (the accent-free
 * vocabulary; the string ids' table and the views on it), the first step
 * of making an older schema by hand; ATTRS8 then puts back the attribute
 * table of migrations 5 to 8.  (The full-text index migration 9 rebuilt
 * is rebuilt again when the test's database migrates.) */
#define SCHEMA_9_10_UNDO                                                                            \
    "DROP TABLE fold_vocab; DROP VIEW entities_v; DROP VIEW attrs_v; DROP TABLE strings;"
#define ATTRS8                                                                                  \
    "DROP TABLE attrs; CREATE TABLE attrs (doc_id INTEGER NOT NULL REFERENCES docs(id) ON "      \
    "DELETE CASCADE, seq INTEGER NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (doc_id, " \
    "seq)) WITHOUT ROWID;"

/* A database written by the schema before migration 5 (entities and
 * attributes in rowid tables, text stored even when equal to the value)
 * opens, migrates and reads back the same. */
static void test_index_migrates_old_entities_and_attrs(void)
{
    const char *path = tu_path("old.db");
    pledgex_index *ix;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, path, err, sizeof err), PLEDGEX_OK);
    pledgex_doc *d = pledgex__doc_new("old.txt");
    pledgex__doc_add_block(d, "text", 1, "Sở Tư pháp", 1.0, 0);
    CU_ASSERT_EQUAL(pledgex__index_put(ix, d, 0), PLEDGEX_OK);
    pledgex__doc_free(&d);
    pledgex_index_free(&ix);
    /* Put the two tables back as schema 4 had them, with rows in them. */
    sqlite3 *db;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_exec(db,
                                 SCHEMA_9_10_UNDO
                                 "DROP TRIGGER docs_keys_bd; DROP TABLE name_keys;"
                                 "DROP TABLE date_keys; DROP TABLE entity_names;"
                                 "CREATE TABLE entity_names (type TEXT NOT NULL, folded TEXT NOT "
                                 "NULL, PRIMARY KEY (type, folded)) WITHOUT ROWID;"
                                 "DROP TABLE entities; DROP TABLE attrs;"
                                 "CREATE TABLE entities (doc_id INTEGER NOT NULL, seq INTEGER NOT "
                                 "NULL, type TEXT NOT NULL, text TEXT, value TEXT, role TEXT,"
                                 " folded TEXT, date_start TEXT, date_end TEXT);"
                                 "CREATE INDEX entities_doc_type ON entities(doc_id, type);"
                                 "CREATE TABLE attrs (doc_id INTEGER NOT NULL, seq INTEGER NOT "
                                 "NULL, key TEXT NOT NULL, value TEXT);"
                                 "CREATE INDEX attrs_doc ON attrs(doc_id);"
                                 "INSERT INTO entities SELECT id, 0, 'unit', 'Sở Tư pháp',"
                                 " 'Sở Tư pháp', NULL, 'so tu phap', NULL, NULL FROM docs;"
                                 "INSERT INTO entities SELECT id, 1, 'date', 'năm 2024', '2024',"
                                 " NULL, NULL, '2024-01-01', '2024-12-31' FROM docs;"
                                 "INSERT INTO attrs SELECT id, 0, 'kind', 'text' FROM docs;"
                                 "PRAGMA user_version = 4;",
                                 NULL, NULL, NULL),
                    SQLITE_OK);
    sqlite3_close(db);
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, path, err, sizeof err), PLEDGEX_OK);
    static const char *const want[][2] = {{"$.units[0].name", "Sở Tư pháp"},
                                          {"$.units[0].canonical", "Sở Tư pháp"},
                                          {"$.dates[0].text", "năm 2024"},
                                          {"$.dates[0].value", "2024"}};
    expect_shown(ix, "old.txt", want, sizeof want / sizeof want[0]);
    /* the filters find it through the keys made from the old rows */
    CU_ASSERT_EQUAL(filtered_hits(ix, "tu phap", "Sở Tư pháp", 0), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "tu phap", NULL, 2024), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "tu phap", NULL, 2023), 0);
    pledgex_index_free(&ix);
}

/* A value of the full-text index's configuration, -1 when not set. */
static int fts_config(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "SELECT v FROM blocks_fts_config WHERE k = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* A database written by schema 6 (filters on text indexes of the entity
 * rows, entity_names without ids) opens, migrates (7: FTS5 hash size, 8: integer keys) and
 * answers the unit and year filters as before, a span of years included;
 * its keys leave with the document. */
static void test_index_migrates_filter_keys(void)
{
    const char *path = tu_path("six.db");
    pledgex_index *ix = open_index("six.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("six.txt", "giao ước Sở Tư pháp", NULL, NULL, 0), 0),
                    PLEDGEX_OK);
    pledgex_index_free(&ix);
    sqlite3 *db;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL(
        sqlite3_exec(
            db,
            SCHEMA_9_10_UNDO ATTRS8
            "DROP TRIGGER docs_keys_bd; DROP TABLE name_keys; DROP TABLE date_keys;"
            "DROP TABLE entity_names; DROP TABLE entities;"
            "CREATE TABLE entity_names (type TEXT NOT NULL, folded TEXT NOT NULL,"
            " PRIMARY KEY (type, folded)) WITHOUT ROWID;"
            "CREATE TABLE entities (doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE "
            "CASCADE, seq INTEGER NOT NULL, type TEXT NOT NULL, text TEXT, value TEXT, role TEXT,"
            " folded TEXT, date_start TEXT, date_end TEXT, PRIMARY KEY (doc_id, seq)) WITHOUT "
            "ROWID;"
            "CREATE INDEX entities_folded ON entities(type, folded, doc_id) WHERE folded IS NOT "
            "NULL;"
            "CREATE INDEX entities_dates ON entities(type, date_start, date_end, doc_id)"
            " WHERE date_start IS NOT NULL;"
            "CREATE INDEX entities_long_dates ON entities(type, date_start, date_end, doc_id)"
            " WHERE substr(date_end,1,4) - substr(date_start,1,4) >= 2;"
            "INSERT INTO entities SELECT id, 0, 'unit', NULL, 'Sở Tư pháp', NULL, 'so tu phap',"
            " NULL, NULL FROM docs;"
            "INSERT INTO entities SELECT id, 1, 'date', '19/03/2019', '2019-03-19', 'document',"
            " NULL, '2019-03-19', '2019-03-19' FROM docs;"
            "INSERT INTO entities SELECT id, 2, 'date', 'giai đoạn 2021-2025', '2021/2025', NULL,"
            " NULL, '2021-01-01', '2025-12-31' FROM docs;"
            "INSERT INTO entity_names VALUES ('unit', 'so tu phap');"
            "DELETE FROM blocks_fts_config WHERE k = 'hashsize';"
            "PRAGMA user_version = 6;",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    ix = open_index("six.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 0), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Công an tỉnh", 0), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2019), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2020), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2023), 1); /* within 2021/2025 */
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 2025), 1);
    /* Replaced by a version naming nothing: the migrated keys go with the
     * old rows (the trigger computes the same keys as the migration). */
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("six.txt", "giao ước", NULL, NULL, 0), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 0), 1);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 0), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2019), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2023), 0);
    CU_ASSERT_EQUAL(orphan_keys(ix), 0);
    pledgex_index_free(&ix);
    /* and the full-text index takes 8 MB of terms before it writes a
     * segment (migration 7), on an old index too */
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL(fts_config(db, "hashsize"), 8388608);
    /* and leaves merging to the writer's close (migrations 12, 13) */
    CU_ASSERT_EQUAL(fts_config(db, "automerge"), 0);
    CU_ASSERT_EQUAL(fts_config(db, "crisismerge"), 128);
    sqlite3_close(db);
}

/* ------------------------------------------ entity and attribute rows */

/* Entities of every shape the extractors make: a unit written in
 * capitals, one under an alias, one as its canonical name, one with no
 * canonical name; dates of a day, a month, a quarter, a year, a span of
 * years, one whose value is no date, one written as its value; people
 * with roles; commitments; a signatory.  {type, text, value, role}. */
static const char *const shapes[][4] = {
    {"unit", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Ủy ban nhân dân tỉnh Khánh Hòa", "tỉnh"},
    {"unit", "Uỷ ban Mặt trận Tổ quốc Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
     "tỉnh"},
    {"unit", "Sở Tư pháp", "Sở Tư pháp", NULL},
    {"unit", "Phòng Cảnh sát giao thông", NULL, NULL},
    {"date", "ngày 21 tháng 7 năm 2023", "2023-07-21", "document"},
    {"date", "tháng 3/2020", "2020-03", NULL},
    {"date", "quý IV/2023", "2023-Q4", "deadline"},
    {"date", "năm 2024", "2024", NULL},
    {"date", "giai đoạn 2021-2025", "2021/2025", "period"},
    {"date", "cuối năm", "cuối năm", NULL},
    {"date", "2019", "2019", "published"},
    {"person", "Nguyễn Kỳ Hồng", "Sở Tư pháp", "Đại tá"},
    {"person", "Hoàng Thị Thu Trang", NULL, "Giám đốc"},
    {"commitment", "Đẩy mạnh cải cách hành chính", NULL, "movement"},
    {"commitment", "100% cán bộ không vi phạm kỷ luật", "", "count"},
    {"signatory", "SỞ TƯ PHÁP", "Sở Tư pháp", "Cụm phó"},
    {"unit", "", "Công an tỉnh", NULL},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* Attributes: short values (stored by id), long ones (as they are), a key
 * given twice, an empty value, a number. */
static const char *const attr_shapes[][2] = {
    {"kind", "text"},
    {"encoding", "UTF-8"},
    {"caption.text", "Đại tá Nguyễn Kỳ Hồng phát biểu tại lễ ký kết giao ước thi đua"},
    {"taken", "2024-03-19T14:41:03"},
    {"warning", "trang 2 mờ"},
    {"warning", "trang 3 thiếu"},
    {"title", ""},
    {"pages", "12"},
};
#define NATTR_SHAPES (sizeof attr_shapes / sizeof attr_shapes[0])

/* A document with the first n shapes and every attribute shape. */
static pledgex_doc *shapes_doc(const char *address, size_t n, uint64_t task)
{
    pledgex_doc *d = pledgex__doc_new(address);
    pledgex__doc_set(&d->plugin, "text");
    pledgex__doc_set(&d->sha256, "5eed");
    d->status = PLEDGEX_OK;
    d->task = task;
    pledgex__doc_add_block(d, "text", 1,
                           "BẢN GIAO ƯỚC THI ĐUA năm 2024 Sở Tư pháp, Ủy ban nhân dân tỉnh "
                           "Khánh Hòa",
                           -1, 0);
    for (size_t i = 0; i < NATTR_SHAPES; i++)
        pledgex__doc_add_attr(d, attr_shapes[i][0], attr_shapes[i][1]);
    for (size_t i = 0; i < n && i < NSHAPES; i++)
        pledgex__doc_add_entity(d, shapes[i][0], shapes[i][1], shapes[i][2], shapes[i][3]);
    return d;
}

static int same_or_null(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Compares a document read back with `shapes_doc`'s (each() callback;
 * user: the number of documents seen). */
static int check_shapes(void *user, const pledgex_doc *doc, const char *links)
{
    (void)links;
    ++*(int *)user;
    CU_ASSERT_EQUAL_FATAL(doc->nentities, NSHAPES);
    for (size_t i = 0; i < NSHAPES; i++) {
        const pledgex_doc_entity *e = &doc->entities[i];
        /* no text reads back as the value (the index stores text equal to
         * the value once) */
        const char *text = shapes[i][1] ? shapes[i][1] : shapes[i][2];
        int ok = same_or_null(e->type, shapes[i][0]) && same_or_null(e->text, text) &&
                 same_or_null(e->value, shapes[i][2]) && same_or_null(e->role, shapes[i][3]);
        if (!ok)
            fprintf(stderr, "\n  entity %zu: %s|%s|%s|%s\n", i, e->type, e->text ? e->text : "NULL",
                    e->value ? e->value : "NULL", e->role ? e->role : "NULL");
        CU_ASSERT_TRUE(ok);
    }
    CU_ASSERT_EQUAL_FATAL(doc->nattrs, NATTR_SHAPES);
    for (size_t i = 0; i < NATTR_SHAPES; i++) {
        CU_ASSERT_STRING_EQUAL(doc->attrs[i].key, attr_shapes[i][0]);
        CU_ASSERT_STRING_EQUAL(doc->attrs[i].value, attr_shapes[i][1]);
    }
    return 0;
}

/* Every shape of entity and attribute comes back exactly, in order, from
 * rows that hold string ids: two documents naming the same strings store
 * each once. */
static void test_index_entity_shapes_round_trip_exactly(void)
{
    pledgex_index *ix = open_index("shapes.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("a.txt", NSHAPES, 1), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("b.txt", NSHAPES, 2), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK); /* each() reads committed rows */
    for (int k = 0; k < 2; k++) {
        int seen = 0;
        CU_ASSERT_EQUAL(ix->ops->each(ix, k ? "b.txt" : "a.txt", check_shapes, &seen),
                        PLEDGEX_OK);
        CU_ASSERT_EQUAL(seen, 1);
    }
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM strings WHERE s = 'Sở Tư pháp'"), 1);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM strings WHERE s = 'UTF-8'"), 1);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM entities"), (long long)(2 * NSHAPES));
    /* and a new connection (no memo of ids) reads and writes the same */
    pledgex_index_free(&ix);
    ix = open_index("shapes.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("c.txt", NSHAPES, 3), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    int seen = 0;
    CU_ASSERT_EQUAL(ix->ops->each(ix, NULL, check_shapes, &seen), PLEDGEX_OK);
    CU_ASSERT_EQUAL(seen, 3);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM strings WHERE s = 'Sở Tư pháp'"), 1);
    pledgex_index_free(&ix);
}

static int print_hit(void *user, const pledgex_hit *h)
{
    fprintf(user, "%s %.4f %d %s %s %s %s\n", h->address, h->score, h->page, h->snippet, h->units,
            h->dates, h->copies);
    return 0;
}

static int print_facet(void *user, const char *facet, const char *value, long count)
{
    fprintf(user, "facet %s %s %ld\n", facet, value, count);
    return 0;
}

static int print_unit(void *user, const char *unit, long docs, const char *years)
{
    fprintf(user, "unit %s %ld %s\n", unit, docs, years ? years : "-");
    return 0;
}

/* What every reader of entities and attributes says about the index:
 * show (JSON and text), export, search hits with their unit and date
 * chips under each filter, facets, units.  The caller frees it. */
static char *reader_outputs(pledgex_index *ix)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char *json = NULL;
    CU_ASSERT_EQUAL(pledgex_show(ix, "d.txt", &json), PLEDGEX_OK);
    fprintf(f, "%s\n", json ? json : "-");
    free(json);
    json = NULL;
    CU_ASSERT_EQUAL(pledgex_show_text(ix, "d.txt", &json), PLEDGEX_OK);
    fprintf(f, "%s\n", json ? json : "-");
    free(json);
    static const struct {
        const char *unit, *signed_by, *from, *to;
        int year;
    } filters[] = {{NULL, NULL, NULL, NULL, 0},       {"Sở Tư pháp", NULL, NULL, NULL, 0},
                   {"ubnd khanh hoa", NULL, NULL, NULL, 2024},
                   {NULL, "Sở Tư pháp", NULL, NULL, 0}, {NULL, "Nguyễn Kỳ Hồng", NULL, NULL, 0},
                   {NULL, NULL, "2023", "2023-Q4", 0}, {NULL, NULL, "2020-03", "2020-03", 0},
                   {NULL, NULL, NULL, NULL, 2022},     {NULL, NULL, NULL, NULL, 2019},
                   {"Công an tỉnh", NULL, NULL, NULL, 0}, {NULL, NULL, "2026", NULL, 0}};
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        pledgex_query q = {0};
        q.text = "giao uoc thi dua";
        q.unit = filters[i].unit;
        q.signed_by = filters[i].signed_by;
        q.from = filters[i].from;
        q.to = filters[i].to;
        q.year = filters[i].year;
        size_t n = 0;
        fprintf(f, "query %zu\n", i);
        CU_ASSERT_EQUAL(pledgex_search(ix, &q, print_hit, f, &n), PLEDGEX_OK);
        CU_ASSERT_EQUAL(pledgex_facets(ix, &q, print_facet, f), PLEDGEX_OK);
    }
    CU_ASSERT_EQUAL(pledgex_units(ix, print_unit, f), PLEDGEX_OK);
    fclose(f);
    return buf;
}

/* A database written by schema 8 (entity and attribute rows holding their
 * strings, dates as ISO text) migrates (9: string ids) and every reader
 * says what it says about the same document written by this version; the
 * migrated rows' filter keys still leave with the document. */
static void test_index_migrates_entity_strings(void)
{
    pledgex_index *ix = open_index("nine.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("d.txt", NSHAPES, 1), 0), PLEDGEX_OK);
    char *want = reader_outputs(ix);
    pledgex_index_free(&ix);
    CU_ASSERT_PTR_NOT_NULL(strstr(want, "unit Ủy ban nhân dân tỉnh Khánh Hòa 1 2019,2023\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(want, "\"ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA\""));
    /* the chips, and facets by unit and year, as this version gives them */
    static const char *const chips_and_facets[] = {
        " [\"Công an tỉnh\",\"Sở Tư pháp\",\"Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh\",\"Ủy ban "
        "nhân dân tỉnh Khánh Hòa\"] [\"2019\",\"2020-03\",\"2021/2025\",\"2023-07-21\",\"2023-Q4\","
        "\"2024\",\"cuối năm\"] []\n",
        "facet unit Công an tỉnh 1\nfacet unit Sở Tư pháp 1\nfacet unit Ủy ban Mặt trận Tổ quốc "
        "Việt Nam tỉnh 1\nfacet unit Ủy ban nhân dân tỉnh Khánh Hòa 1\nfacet year 2019 1\nfacet "
        "year 2020 1\nfacet year 2021 1\nfacet year 2023 1\nfacet year 2024 1\nquery 1\n"};
    for (size_t i = 0; i < sizeof chips_and_facets / sizeof chips_and_facets[0]; i++) {
        if (!strstr(want, chips_and_facets[i]))
            fprintf(stderr, "\n  missing: %s\n  in: %s\n", chips_and_facets[i], want);
        CU_ASSERT_PTR_NOT_NULL(strstr(want, chips_and_facets[i]));
    }

    /* The same document in an index of schema 8: its docs, blocks and
     * filter keys as this version wrote them (migration 10 leaves them),
     * its entities and attributes put back as schema 8 stored them. */
    const char *path = tu_path("eight.db");
    ix = open_index("eight.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("d.txt", NSHAPES, 1), 0), PLEDGEX_OK);
    pledgex_index_free(&ix);
    sqlite3 *db;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL(
        sqlite3_exec(db,
                     "CREATE TEMP TABLE e8 (doc_id, seq, type, text, value, role, name_id,"
                     " date_start, date_end);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_stmt *ins;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(db,
                           "INSERT INTO e8 SELECT doc_id, seq, ?2, ?3, ?4, ?5, name_id, ?6, ?7 "
                           "FROM entities WHERE doc_id = 1 AND seq = ?1",
                           -1, &ins, NULL),
        SQLITE_OK);
    for (size_t i = 0; i < NSHAPES; i++) {
        /* schema 8's writer: text equal to the value as NULL, the bounds
         * of a date value */
        const char *text = shapes[i][1], *value = shapes[i][2];
        char start[11], end[11];
        int dated = !strcmp(shapes[i][0], "date") && pledgex__date_bounds(value, start, end) == 0;
        sqlite3_reset(ins);
        sqlite3_bind_int(ins, 1, (int)i);
        sqlite3_bind_text(ins, 2, shapes[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, text && value && !strcmp(text, value) ? NULL : text, -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, value, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, shapes[i][3], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, dated ? start : NULL, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 7, dated ? end : NULL, -1, SQLITE_TRANSIENT);
        CU_ASSERT_EQUAL(sqlite3_step(ins), SQLITE_DONE);
    }
    sqlite3_finalize(ins);
    /* (no ALTER TABLE RENAME: it checks every trigger, and this
     * connection has no pledgex tokenizer for the full-text ones) */
    CU_ASSERT_EQUAL(
        sqlite3_exec(db,
                     SCHEMA_9_10_UNDO ATTRS8
                     "DROP TRIGGER docs_keys_bd; DROP TABLE entities;"
                     "CREATE TABLE entities (doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE "
                     "CASCADE, seq INTEGER NOT NULL, type TEXT NOT NULL, text TEXT, value TEXT,"
                     " role TEXT, name_id INTEGER, date_start TEXT, date_end TEXT,"
                     " PRIMARY KEY (doc_id, seq)) WITHOUT ROWID;"
                     "INSERT INTO entities SELECT * FROM e8;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(db, "INSERT INTO attrs VALUES (1, ?1, ?2, ?3)", -1, &ins, NULL),
        SQLITE_OK);
    for (size_t i = 0; i < NATTR_SHAPES; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_int(ins, 1, (int)i);
        sqlite3_bind_text(ins, 2, attr_shapes[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, attr_shapes[i][1], -1, SQLITE_STATIC);
        CU_ASSERT_EQUAL(sqlite3_step(ins), SQLITE_DONE);
    }
    sqlite3_finalize(ins);
    /* migration 8's trigger, as it was */
    CU_ASSERT_EQUAL(
        sqlite3_exec(
            db,
            "CREATE TRIGGER docs_keys_bd BEFORE DELETE ON docs BEGIN"
            "  DELETE FROM name_keys WHERE doc_id = old.id AND name_id IN"
            "    (SELECT name_id FROM entities WHERE doc_id = old.id AND name_id IS NOT NULL);"
            "  DELETE FROM date_keys WHERE doc_id = old.id AND (multi_year, start_day, end_day) IN"
            "    (SELECT substr(date_end,1,4) - substr(date_start,1,4) >= 2,"
            "      CAST(replace(date_start,'-','') AS INTEGER), CAST(replace(date_end,'-','') AS "
            "INTEGER)"
            "     FROM entities WHERE doc_id = old.id AND type = 'date' AND date_start IS NOT "
            "NULL);"
            "  END;"
            "PRAGMA user_version = 8;",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    ix = open_index("eight.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    char *got = reader_outputs(ix);
    CU_ASSERT_STRING_EQUAL(got ? got : "", want ? want : "-");
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    int seen = 0;
    CU_ASSERT_EQUAL(ix->ops->each(ix, "d.txt", check_shapes, &seen), PLEDGEX_OK);
    CU_ASSERT_EQUAL(seen, 1);
    /* replaced by a version naming nothing: no key is left */
    CU_ASSERT_EQUAL(put_doc(ix, text_doc("d.txt", "giao ước thi đua", NULL, NULL, 1), 0),
                    PLEDGEX_OK);
    CU_ASSERT_EQUAL(orphan_keys(ix), 0);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM name_keys"), 0);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM date_keys"), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", "Sở Tư pháp", 0), 0);
    CU_ASSERT_EQUAL(filtered_hits(ix, "giao uoc", NULL, 2023), 0);
    pledgex_index_free(&ix);
    free(got);
    free(want);
}

/* Entity and attribute rows (and their keys) live and die with their
 * document: putting a document again replaces them, a container re-read
 * drops its old members' rows; nothing is left behind or doubled. */
static void test_index_reput_and_delete_leave_no_orphan_rows(void)
{
    pledgex_index *ix = open_index("orphans.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("z.zip!m.txt", NSHAPES, 1), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("z.zip", 3, 1), 1), PLEDGEX_OK);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("x.txt", NSHAPES, 2), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("x.txt", NSHAPES, 2), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM entities"), (long long)(2 * NSHAPES + 3));
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM attrs"), (long long)(3 * NATTR_SHAPES));
    long long names = count_of(ix, "SELECT count(*) FROM name_keys");
    CU_ASSERT_TRUE(names > 0);
    /* x.txt now names less; the container is re-read without its member */
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("x.txt", 5, 2), 0), PLEDGEX_OK);
    CU_ASSERT_EQUAL(put_doc(ix, shapes_doc("z.zip", 3, 3), 1), PLEDGEX_OK);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM docs"), 2);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM entities"), 5 + 3);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM attrs"), (long long)(2 * NATTR_SHAPES));
    CU_ASSERT_EQUAL(count_of(ix, "SELECT (SELECT count(*) FROM entities WHERE doc_id NOT IN "
                                 "(SELECT id FROM docs)) + (SELECT count(*) FROM attrs WHERE "
                                 "doc_id NOT IN (SELECT id FROM docs))"),
                    0);
    /* every key belongs to a row of its document */
    CU_ASSERT_EQUAL(orphan_keys(ix), 0);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM name_keys k WHERE NOT EXISTS (SELECT 1 "
                                 "FROM entities e WHERE e.doc_id = k.doc_id AND e.name_id = "
                                 "k.name_id)"),
                    0);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM date_keys k WHERE NOT EXISTS (SELECT 1 "
                                 "FROM entities e WHERE e.doc_id = k.doc_id AND e.start_day = "
                                 "k.start_day AND e.end_day = k.end_day)"),
                    0);
    CU_ASSERT_EQUAL(count_of(ix, "SELECT count(*) FROM date_keys"), 1); /* x.txt's one day */
    pledgex_index_free(&ix);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("index", NULL, NULL);
    TU_TEST(s, test_index_round_trip_has_every_export_field);
    TU_TEST(s, test_index_schema_is_versioned);
    TU_TEST(s, test_index_refuses_a_file_that_is_not_an_index);
    TU_TEST(s, test_index_entity_text_equal_to_value_round_trips);
    TU_TEST(s, test_index_migrates_old_entities_and_attrs);
    TU_TEST(s, test_index_filter_keys_follow_their_document);
    TU_TEST(s, test_index_migrates_filter_keys);
    TU_TEST(s, test_index_entity_shapes_round_trip_exactly);
    TU_TEST(s, test_index_migrates_entity_strings);
    TU_TEST(s, test_index_reput_and_delete_leave_no_orphan_rows);
    TU_TEST(s, test_index_gives_back_free_pages);
    TU_TEST(s, test_index_merges_its_segments_at_close);
    TU_TEST(s, test_index_small_session_does_not_rewrite_the_index);
    TU_TEST(s, test_index_old_file_switches_to_incremental_vacuum);
    return tu_main();
}
