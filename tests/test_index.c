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

/* Filter keys whose document is gone, read on the index's own
 * connection after the open batch is committed. */
static int orphan_keys(pledgex_index *ix)
{
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    sqlite3_stmt *st;
    int n = -1;
    CU_ASSERT_EQUAL_FATAL(
        sqlite3_prepare_v2(pledgex__sq_db(ix),
                           "SELECT (SELECT count(*) FROM name_keys WHERE doc_id NOT IN (SELECT "
                           "id FROM docs)) + (SELECT count(*) FROM date_keys WHERE doc_id NOT IN "
                           "(SELECT id FROM docs))",
                           -1, &st, NULL),
        SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
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
                                 "DROP TRIGGER docs_keys_bd; DROP TABLE name_keys;"
                                 "DROP TABLE date_keys; DROP TABLE entity_names;"
                                 "DROP TABLE fold_vocab;"
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
            "DROP TRIGGER docs_keys_bd; DROP TABLE name_keys; DROP TABLE date_keys;"
            "DROP TABLE entity_names; DROP TABLE entities; DROP TABLE fold_vocab;"
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
    sqlite3_stmt *st;
    CU_ASSERT_EQUAL(sqlite3_prepare_v2(db, "SELECT v FROM blocks_fts_config WHERE k='hashsize'",
                                       -1, &st, NULL),
                    SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
    CU_ASSERT_EQUAL(sqlite3_column_int(st, 0), 8388608);
    sqlite3_finalize(st);
    sqlite3_close(db);
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
    return tu_main();
}
