/*
 * test_text_store.c -- block text stored compressed (core/text_store.c):
 * the round trip through put, show and search snippets; an index that
 * crosses the dictionary threshold keeps finding its old and new blocks;
 * replacing compressed documents keeps the full-text index consistent; an
 * old-schema index migrates; a damaged frame is an error, not a crash.
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
#include "text_store.h"

/* ---------------------------------------------------------- fixtures */

static const char *const SENTENCES[] = {
    "Các đơn vị trong Khối thi đua ký giao ước thi đua hoàn thành xuất sắc nhiệm vụ được giao. ",
    "Đẩy mạnh cải cách hành chính, chuyển đổi số, nâng cao chất lượng phục vụ nhân dân. ",
    "Thực hành tiết kiệm, chống lãng phí, phòng chống tham nhũng, tiêu cực. ",
    "Tòa án nhân dân tỉnh nâng cao chất lượng xét xử, hòa giải thành các vụ việc dân sự. ",
    "Bảo đảm an ninh chính trị, trật tự an toàn xã hội trên địa bàn tỉnh Nghệ An. ",
    "Sở Tư pháp tuyên truyền, phổ biến giáo dục pháp luật đến người dân. ",
    "Cục Thi hành án dân sự thi hành xong các việc, thu được nhiều tỷ đồng. ",
    "Phong trào \"Dân vận khéo\" gắn với học tập và làm theo tư tưởng Hồ Chí Minh. ",
    "Uỷ ban Mặt trận Tổ quốc Việt Nam tỉnh vận động nhân dân xây dựng nông thôn mới. ",
    "Công an tỉnh đấu tranh, triệt phá chuyên án về ma túy và tội phạm công nghệ cao. ",
};

/* About 1 KB of text for document i, with the word "mauN" (N = i) that
 * only it has. */
static char *doc_text(int i)
{
    char *t = malloc(2048);
    unsigned r = 2166136261u ^ (unsigned)i;
    int n = snprintf(t, 2048, "Kế hoạch số %d/KH-UBND, mau%d. ", 100 + i, i);
    while (n < 1000) {
        r = r * 1103515245u + 12345u;
        n += snprintf(t + n, (size_t)(2048 - n), "%s", SENTENCES[(r >> 16) % 10]);
    }
    return t;
}

/* A document read by `plugin` (its name: the address after the last
 * '/'), with a title block when `title` is not NULL and a text block
 * when `text` is not. */
static void put_file(pledgex_index *ix, const char *address, const char *mime,
                     const char *plugin, const char *title, const char *text)
{
    pledgex_doc *d = pledgex__doc_new(address);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    const char *slash = strrchr(address, '/');
    pledgex__doc_set(&d->name, slash ? slash + 1 : address);
    pledgex__doc_set(&d->mime, mime);
    pledgex__doc_set(&d->plugin, plugin);
    d->status = PLEDGEX_OK;
    if (title)
        pledgex__doc_add_block(d, "title", 0, title, -1, 0);
    if (text)
        pledgex__doc_add_block(d, "text", 1, text, -1, 0);
    CU_ASSERT_EQUAL(pledgex__index_put(ix, d, 0), PLEDGEX_OK);
    pledgex__doc_free(&d);
}

static void put_text(pledgex_index *ix, const char *address, const char *title, const char *text)
{
    put_file(ix, address, "text/plain", "text", title, text);
}

static void put_numbered(pledgex_index *ix, int from, int to)
{
    for (int i = from; i < to; i++) {
        char address[64];
        snprintf(address, sizeof address, "d%04d.txt", i);
        char *t = doc_text(i);
        put_text(ix, address, i % 10 ? NULL : "Giao ước", t);
        free(t);
    }
}

static pledgex_index *open_fresh(const char *name)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s", tu_path(name));
    remove(path);
    pledgex_index *ix = NULL;
    if (pledgex_index_open(&ix, path, err, sizeof err) != PLEDGEX_OK)
        fprintf(stderr, "\n  %s: %s\n", name, err);
    return ix;
}

/* One integer from SQL on the index's connection (-1 on error). */
static sqlite3_int64 sql_int(pledgex_index *ix, const char *sql)
{
    sqlite3_stmt *st;
    sqlite3_int64 v = -1;
    if (sqlite3_prepare_v2(pledgex__sq_db(ix), sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "\n  %s: %s\n", sql, sqlite3_errmsg(pledgex__sq_db(ix)));
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int sql_ok(pledgex_index *ix, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(pledgex__sq_db(ix), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "\n  %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    return rc == SQLITE_OK;
}

/* Enough documents to pass the dictionary threshold. */
static int docs_to_train(void)
{
    return PLEDGEX_TEXT_TRAIN_BYTES / 1000 + 50;
}

/* A fresh index with `n` numbered documents (n >= docs_to_train()), its
 * dictionary trained. */
static pledgex_index *trained_index(const char *name, int n)
{
    pledgex_index *ix = open_fresh(name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    put_numbered(ix, 0, n);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(sql_int(ix, "SELECT count(*) FROM text_dicts"), 1);
    return ix;
}

/* The full-text index holds exactly the words of the blocks' text as
 * pxtext() gives it: a 'delete' given other text than was indexed leaves
 * the old words behind.  (rank 1: without it, FTS5 checks only the
 * structure of an external-content index, not that it matches its
 * content -- the wrong text passes.) */
static int fts_consistent(pledgex_index *ix)
{
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    return sql_ok(ix, "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('integrity-check', 1)");
}

typedef struct found {
    int n;
    char snippet[512];
} found;

static int on_hit(void *user, const pledgex_hit *h)
{
    found *f = user;
    if (!f->n++)
        snprintf(f->snippet, sizeof f->snippet, "%s", h->snippet ? h->snippet : "");
    return 0;
}

/* `word` is found in exactly one document, its snippet marking it. */
static void assert_found(pledgex_index *ix, const char *word)
{
    pledgex_query q = {0};
    q.text = word;
    q.limit = 10;
    found f = {0};
    size_t n = 0;
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, on_hit, &f, &n), PLEDGEX_OK);
    CU_ASSERT_EQUAL(f.n, 1);
    char marked[64];
    snprintf(marked, sizeof marked, "\x02%s\x03", word);
    if (!strstr(f.snippet, marked))
        fprintf(stderr, "\n  %s: snippet '%s'\n", word, f.snippet);
    CU_ASSERT_PTR_NOT_NULL(strstr(f.snippet, marked));
}

static size_t hits_of(pledgex_index *ix, const char *word)
{
    pledgex_query q = {0};
    q.text = word;
    size_t n = 0;
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, NULL, NULL, &n), PLEDGEX_OK);
    return n;
}

/* The text `show` gives document i equals what was put. */
static void assert_shown(pledgex_index *ix, int i)
{
    char address[64], *json = NULL;
    snprintf(address, sizeof address, "d%04d.txt", i);
    CU_ASSERT_EQUAL_FATAL(pledgex_show(ix, address, &json), PLEDGEX_OK);
    char *text = tu_json_get(json, i % 10 ? "$.blocks[0].text" : "$.blocks[1].text");
    char *want = doc_text(i);
    CU_ASSERT_STRING_EQUAL(text ? text : "", want);
    free(want);
    free(text);
    free(json);
}

/* ------------------------------------------------------------- tests */

/* Below the threshold the text stays plain; the flush that passes it
 * trains a dictionary and compresses every block long enough, the old
 * ones included; the blocks written after are compressed as they come.
 * Old and new blocks are found, snippeted and shown as they were put, on
 * this connection and on a new one (which reads the dictionary from the
 * index). */
static void test_text_store_crosses_the_dictionary_threshold(void)
{
    pledgex_index *ix = open_fresh("cross.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    int half = docs_to_train() / 2, all = docs_to_train() + 100;
    put_numbered(ix, 0, half);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM text_dicts"), 0);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM blocks WHERE typeof(text) <> 'text'"), 0);
    assert_found(ix, "mau3");
    put_numbered(ix, half, all);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM text_dicts"), 1);
    /* every body block compressed; the short titles stay plain */
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM blocks WHERE typeof(text) = 'blob'"), all);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM blocks WHERE typeof(text) = 'text'"),
                    (all + 9) / 10);
    /* and smaller by far (this text repeats ten sentences) */
    sqlite3_int64 stored = sql_int(ix, "SELECT sum(length(text)) FROM blocks"
                                       " WHERE typeof(text) = 'blob'");
    sqlite3_int64 plain = sql_int(ix, "SELECT sum(length(CAST(pxtext(text) AS BLOB)))"
                                      " FROM blocks WHERE typeof(text) = 'blob'");
    CU_ASSERT_TRUE(stored > 0 && stored * 5 < plain);
    int probe[] = {0, 3, half - 1, half, all - 1};
    for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
        char word[32];
        snprintf(word, sizeof word, "mau%d", probe[k]);
        assert_found(ix, word);
        assert_shown(ix, probe[k]);
    }
    CU_ASSERT_TRUE(fts_consistent(ix));
    pledgex_index_free(&ix);

    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("cross.db"), err, sizeof err),
                          PLEDGEX_OK);
    assert_found(ix, "mau5");
    assert_found(ix, "mau1100");
    assert_shown(ix, 5);
    assert_shown(ix, all - 2);
    /* a new writer compresses with the stored dictionary */
    put_numbered(ix, all, all + 5);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM blocks WHERE typeof(text) = 'text'"
                                " AND length(text) > 100"),
                    0);
    assert_found(ix, "mau1160");
    CU_ASSERT_TRUE(fts_consistent(ix));
    pledgex_index_free(&ix);
}

/* Replacing a document takes its compressed blocks out of the full-text
 * index with the text they were indexed with (the trigger reads
 * pxtext(old.text)): after, the index is consistent, the old words are
 * gone and the new ones found -- for a document indexed in an earlier
 * batch and for one replaced in the batch that wrote it. */
static void test_text_store_replace_keeps_fts_consistent(void)
{
    pledgex_index *ix = trained_index("replace.db", docs_to_train() + 20);
    char *t = doc_text(5000);
    put_text(ix, "d0007.txt", NULL, t); /* indexed in an earlier batch */
    put_text(ix, "new.txt", NULL, t);
    free(t);
    t = doc_text(6000);
    put_text(ix, "new.txt", NULL, t); /* replaced before it was indexed */
    free(t);
    CU_ASSERT_TRUE(fts_consistent(ix));
    CU_ASSERT_EQUAL(hits_of(ix, "mau7"), 0);
    CU_ASSERT_EQUAL(hits_of(ix, "mau5000"), 1);
    CU_ASSERT_EQUAL(hits_of(ix, "mau6000"), 1);
    assert_found(ix, "mau6000");
    /* the same again, each replaced twice */
    for (int round = 0; round < 2; round++) {
        t = doc_text(7000 + round);
        put_text(ix, "d0008.txt", NULL, t);
        free(t);
        CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    }
    CU_ASSERT_TRUE(fts_consistent(ix));
    CU_ASSERT_EQUAL(hits_of(ix, "mau8"), 0);
    CU_ASSERT_EQUAL(hits_of(ix, "mau7000"), 0);
    assert_found(ix, "mau7001");
    pledgex_index_free(&ix);
}

/* The schema migration that brought text compression. */
#define TEXT_STORE_MIGRATION 11

/* An index from before text compression (plain text, view and trigger
 * without pxtext, the schema version before TEXT_STORE_MIGRATION; the
 * migrations after it run again, which they may) opens, migrates and still
 * searches; once it holds enough text its old blocks are compressed like
 * new ones, and it stays consistent. */
static void test_text_store_migrates_an_old_index(void)
{
    pledgex_index *ix = open_fresh("old.db");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ix);
    put_numbered(ix, 0, 200);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    /* Back before text compression, the view and trigger as migrations 2
     * and 4 left them. */
    sqlite3_int64 version = sql_int(ix, "PRAGMA user_version");
    char back[64];
    snprintf(back, sizeof back, "PRAGMA user_version = %d; COMMIT;", TEXT_STORE_MIGRATION - 1);
    CU_ASSERT_TRUE_FATAL(sql_ok(
        ix, "BEGIN; DROP TABLE text_dicts; DROP VIEW blocks_lanes;"
            "CREATE VIEW blocks_lanes AS SELECT id,"
            "  CASE WHEN weight > 1.0 THEN text END AS head,"
            "  CASE WHEN weight = 1.0 THEN text END AS body,"
            "  CASE WHEN weight < 1.0 THEN text END AS weak FROM blocks;"
            "DROP TRIGGER blocks_ad;"
            "CREATE TRIGGER blocks_ad AFTER DELETE ON blocks BEGIN"
            "  INSERT INTO blocks_fts(blocks_fts, rowid, head, body, weak) SELECT 'delete', old.id,"
            "    CASE WHEN old.weight > 1.0 THEN old.text END,"
            "    CASE WHEN old.weight = 1.0 THEN old.text END,"
            "    CASE WHEN old.weight < 1.0 THEN old.text END"
            "    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id);"
            "  DELETE FROM fts_pending WHERE id = old.id; END;"));
    CU_ASSERT_TRUE_FATAL(sql_ok(ix, back));
    pledgex_index_free(&ix);
    char err[512];
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, tu_path("old.db"), err, sizeof err),
                          PLEDGEX_OK);
    CU_ASSERT_EQUAL(sql_int(ix, "PRAGMA user_version"), version);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM text_dicts"), 0);
    assert_found(ix, "mau17");
    put_numbered(ix, 200, docs_to_train() + 20);
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM text_dicts"), 1);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT count(*) FROM blocks WHERE typeof(text) = 'text'"
                                " AND length(text) > 100"),
                    0);
    assert_found(ix, "mau17");
    assert_shown(ix, 17);
    /* a migrated block, compressed, replaced */
    char *t = doc_text(9000);
    put_text(ix, "d0018.txt", NULL, t);
    free(t);
    CU_ASSERT_TRUE(fts_consistent(ix));
    CU_ASSERT_EQUAL(hits_of(ix, "mau18"), 0);
    assert_found(ix, "mau9000");
    pledgex_index_free(&ix);
}

/* A sidecar's compressed text becomes its photo's caption as it was
 * written (the index reads it through pxtext() and measures it in
 * characters, not in compressed bytes). */
static void test_text_store_sidecar_caption_from_compressed_text(void)
{
    pledgex_index *ix = trained_index("sidecar.db", docs_to_train());
    const char *caption = "Tòa án nhân dân tỉnh nâng cao chất lượng xét xử, hòa giải thành các vụ"
                          " việc dân sự. Ảnh: KL";
    put_text(ix, "pack.zip!pack/IMG_0700.txt", NULL, caption);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT typeof(b.text) = 'blob' FROM blocks b JOIN docs d ON"
                                " d.id = b.doc_id WHERE d.name = 'IMG_0700.txt'"),
                    1);
    put_file(ix, "pack.zip!pack/IMG_0700.JPG", "image/jpeg", "photo", NULL, NULL);
    char *json = NULL;
    CU_ASSERT_EQUAL_FATAL(pledgex_show(ix, "pack.zip!pack/IMG_0700.JPG", &json), PLEDGEX_OK);
    char *text = tu_json_get(json, "$.caption.text");
    char *credit = tu_json_get(json, "$.caption.credit");
    CU_ASSERT_STRING_EQUAL(text ? text : "", caption);
    CU_ASSERT_STRING_EQUAL(credit ? credit : "", "KL");
    free(text);
    free(credit);
    free(json);
    /* a text file of over 4096 characters (in 8000 bytes) is no caption,
     * however small it compresses */
    char *long_text = malloc(16384);
    long_text[0] = 0;
    while (strlen(long_text) < 8000)
        strcat(long_text, caption);
    put_text(ix, "pack.zip!pack/IMG_0701.txt", NULL, long_text);
    free(long_text);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT length(b.text) < 4096 FROM blocks b JOIN docs d ON"
                                " d.id = b.doc_id WHERE d.name = 'IMG_0701.txt'"),
                    1);
    put_file(ix, "pack.zip!pack/IMG_0701.JPG", "image/jpeg", "photo", NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(pledgex_show(ix, "pack.zip!pack/IMG_0701.JPG", &json), PLEDGEX_OK);
    text = tu_json_get(json, "$.caption.text");
    CU_ASSERT_PTR_NULL(text);
    free(text);
    free(json);
    pledgex_index_free(&ix);
}

/* Block `id` of the index gets `n` bytes of `frame` as its text. */
static void set_blob(pledgex_index *ix, sqlite3_int64 id, const void *frame, int n)
{
    sqlite3_stmt *st;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(pledgex__sq_db(ix),
                                             "UPDATE blocks SET text = ?2 WHERE id = ?1", -1, &st,
                                             NULL),
                          SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, n ? frame : "", n, SQLITE_STATIC);
    CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* A frame that does not decode -- cut short, its blocks zeroed, a header
 * that claims a huge text, a dictionary the index lacks, no frame at all
 * -- is an error with a message from pxtext() and from show, never a
 * crash or a text made up. */
static void test_text_store_damaged_frame_is_an_error(void)
{
    pledgex_index *ix = trained_index("damaged.db", docs_to_train());
    /* the one block of d0019.txt */
    sqlite3_stmt *st;
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(pledgex__sq_db(ix),
                                             "SELECT b.id, b.text FROM blocks b JOIN docs d ON"
                                             " d.id = b.doc_id WHERE d.address = 'd0019.txt'",
                                             -1, &st, NULL),
                          SQLITE_OK);
    CU_ASSERT_EQUAL_FATAL(sqlite3_step(st), SQLITE_ROW);
    CU_ASSERT_EQUAL_FATAL(sqlite3_column_type(st, 1), SQLITE_BLOB);
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    int n = sqlite3_column_bytes(st, 1);
    unsigned char good[4096], bad[4096];
    CU_ASSERT_FATAL(n > 16 && n < (int)sizeof good);
    memcpy(good, sqlite3_column_blob(st, 1), (size_t)n);
    sqlite3_finalize(st);
    /* Our frames: magic, descriptor (single segment, 2-byte size, 1-byte
     * dictionary id), the dictionary id, the size of the text. */
    CU_ASSERT_EQUAL_FATAL(good[4], 0x61);
    static const unsigned char huge[] = {0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 1, 0, 0,
                                         1,    0,    0,    0,    0}; /* says 1 TB */
    for (int k = 0; k < 6; k++) {
        int len = n;
        memcpy(bad, good, (size_t)n);
        if (k == 0) /* cut short */
            len = n / 2;
        else if (k == 1) /* blocks zeroed */
            memset(bad + 8, 0, (size_t)n - 8);
        else if (k == 2) {
            memcpy(bad, huge, sizeof huge);
            len = (int)sizeof huge;
        } else if (k == 3) /* dictionary 77 */
            bad[5] = 77;
        else if (k == 4) { /* no frame */
            bad[0] = 0;
            len = 4;
        } else {
            len = 0;
        }
        set_blob(ix, id, bad, len);
        char *json = NULL;
        CU_ASSERT_NOT_EQUAL(pledgex_show(ix, "d0019.txt", &json), PLEDGEX_OK);
        CU_ASSERT_PTR_NULL(json);
        free(json);
        const char *msg = pledgex_index_errmsg(ix);
        if (!strstr(msg, "pxtext: "))
            fprintf(stderr, "\n  damage %d: '%s'\n", k, msg);
        CU_ASSERT_PTR_NOT_NULL(strstr(msg, "pxtext: "));
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT length(pxtext(text)) FROM blocks WHERE id = %lld",
                 (long long)id);
        CU_ASSERT_EQUAL(sql_int(ix, sql), -1);
        /* a search that meets it answers, without its snippet */
        pledgex_query q = {0};
        q.text = "mau19";
        found f = {0};
        size_t nhits = 0;
        CU_ASSERT_EQUAL(pledgex_search(ix, &q, on_hit, &f, &nhits), PLEDGEX_OK);
        CU_ASSERT_EQUAL(f.n, 1);
        CU_ASSERT_STRING_EQUAL(f.snippet, "");
        /* the other documents read as before */
        assert_shown(ix, 18);
        set_blob(ix, id, good, n);
        assert_shown(ix, 19);
    }
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT length(pxtext('plain'))"), 5);
    CU_ASSERT_EQUAL(sql_int(ix, "SELECT pxtext(NULL) IS NULL"), 1);
    pledgex_index_free(&ix);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("text_store", NULL, NULL);
    if (!s)
        return 99;
    TU_TEST(s, test_text_store_crosses_the_dictionary_threshold);
    TU_TEST(s, test_text_store_replace_keeps_fts_consistent);
    TU_TEST(s, test_text_store_migrates_an_old_index);
    TU_TEST(s, test_text_store_sidecar_caption_from_compressed_text);
    TU_TEST(s, test_text_store_damaged_frame_is_an_error);
    return tu_main();
}
