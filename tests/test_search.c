/*
 * test_search.c -- search: Vietnamese folding and accent-aware ranking,
 * query syntax, filters, facets, snippets and "did you mean".
 *
 * Documents are stored with pledgex__index_put from hand-made records
 * (blocks, attributes, entities), so these tests depend neither on the
 * plugins nor on extraction.
 */
#include <config.h>

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fts_tokenizer.h"
#include "index.h"
#include "index_sqlite.h"
#include "pledgex.h"
#include "testutil.h"
#include "textnorm.h"

/* ---------------------------------------------------------- fixtures */

typedef struct ent {
    const char *type, *text, *value, *role;
} ent;

/* A document with one body block (more with "\f" separating blocks: the
 * first of several is a title), the given kind and entities. */
static void put(pledgex_index *ix, const char *address, const char *kind, const char *text,
                const ent *ents)
{
    pledgex_doc *d = pledgex__doc_new(address);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    pledgex__doc_set(&d->name, address);
    pledgex__doc_set(&d->plugin, "text");
    char *copy = strdup(text);
    int nblocks = strchr(text, '\f') != NULL;
    char *save = NULL;
    int i = 0;
    for (char *b = strtok_r(copy, "\f", &save); b; b = strtok_r(NULL, "\f", &save), i++)
        pledgex__doc_add_block(d, nblocks && i == 0 ? "title" : "text", i, b, -1.0, 0);
    free(copy);
    if (kind)
        pledgex__doc_add_attr(d, "kind", kind);
    for (const ent *e = ents; e && e->type; e++)
        pledgex__doc_add_entity(d, e->type, e->text, e->value, e->role);
    CU_ASSERT_EQUAL(pledgex__index_put(ix, d, 0), PLEDGEX_OK);
    pledgex__doc_free(&d);
}

static pledgex_index *open_fresh(const char *name)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s", tu_path(name));
    remove(path);
    pledgex_index *ix = NULL;
    CU_ASSERT_EQUAL_FATAL(pledgex_index_open(&ix, path, err, sizeof err), PLEDGEX_OK);
    return ix;
}

#define MAXHITS 64

typedef struct hits {
    int n;
    char *address[MAXHITS];
    char *snippet[MAXHITS];
    char *units[MAXHITS], *dates[MAXHITS];
    char *copies[MAXHITS];
    double score[MAXHITS];
} hits;

static int collect(void *user, const pledgex_hit *h)
{
    hits *r = user;
    if (r->n < MAXHITS) {
        r->address[r->n] = strdup(h->address);
        r->snippet[r->n] = strdup(h->snippet ? h->snippet : "");
        r->units[r->n] = strdup(h->units);
        r->dates[r->n] = strdup(h->dates);
        r->copies[r->n] = strdup(h->copies ? h->copies : "(null)");
        r->score[r->n] = h->score;
    }
    r->n++;
    return 0;
}

static void hits_free(hits *r)
{
    for (int i = 0; i < r->n && i < MAXHITS; i++) {
        free(r->address[i]);
        free(r->snippet[i]);
        free(r->units[i]);
        free(r->dates[i]);
        free(r->copies[i]);
    }
    memset(r, 0, sizeof *r);
}

/* Runs q (limit 50 unless set) and returns its hits; rc is checked. */
static hits run_query(pledgex_index *ix, pledgex_query q, int want_rc)
{
    hits r = {0};
    size_t n = 0;
    if (!q.limit)
        q.limit = 50;
    int rc = pledgex_search(ix, &q, collect, &r, &n);
    CU_ASSERT_EQUAL(rc, want_rc);
    if (rc != want_rc)
        fprintf(stderr, "\n  query '%s': rc %d: %s\n", q.text, rc, pledgex_index_errmsg(ix));
    if (rc == PLEDGEX_OK)
        CU_ASSERT_EQUAL((int)n, r.n);
    return r;
}

static hits find(pledgex_index *ix, const char *text)
{
    pledgex_query q = {0};
    q.text = text;
    return run_query(ix, q, PLEDGEX_OK);
}

static int has(const hits *r, const char *address)
{
    for (int i = 0; i < r->n && i < MAXHITS; i++)
        if (!strcmp(r->address[i], address))
            return 1;
    return 0;
}

static int rank_of(const hits *r, const char *address)
{
    for (int i = 0; i < r->n && i < MAXHITS; i++)
        if (!strcmp(r->address[i], address))
            return i;
    return -1;
}

/* Every document address of a hit list is listed once. */
static void assert_unique(const hits *r)
{
    for (int i = 0; i < r->n && i < MAXHITS; i++)
        for (int j = i + 1; j < r->n && j < MAXHITS; j++)
            CU_ASSERT_STRING_NOT_EQUAL(r->address[i], r->address[j]);
}

/* --------------------------------------------------------- folding */

static void test_search_fold_nfd_input(void)
{
    pledgex_index *ix = open_fresh("nfd.db");
    /* "Tòa án nhân dân" decomposed: o + U+0300, a + U+0301, a + U+0302. */
    put(ix, "nfd.txt", "text", "To\xcc\x80" "a a\xcc\x81n nha\xcc\x82n da\xcc\x82n ti\xcc\x89nh",
        NULL);
    put(ix, "other.txt", "text", "Công an tỉnh", NULL);
    const char *queries[] = {"Tòa án", "toa an", "Toà án", "TÒA ÁN", "tỉnh tòa"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        hits r = find(ix, queries[i]);
        CU_ASSERT_TRUE(has(&r, "nfd.txt"));
        CU_ASSERT_FALSE(has(&r, "other.txt"));
        hits_free(&r);
    }
    /* Typed in NFD too, and with the exact accents: ranked as exact. */
    hits r = find(ix, "to\xcc\x80" "a");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(r.n == 1 && r.score[0] >= 100.0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_fold_capitals(void)
{
    pledgex_index *ix = open_fresh("caps.db");
    put(ix, "caps.txt", "text", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nBẢN GIAO ƯỚC THI ĐUA", NULL);
    const char *queries[] = {"ủy ban nhân dân", "uy ban nhan dan", "Nghệ An",
                             "giao ước thi đua", "GIAO UOC"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        hits r = find(ix, queries[i]);
        CU_ASSERT_EQUAL(r.n, 1);
        hits_free(&r);
    }
    /* Accents typed in lower case still count as exact for capitals. */
    hits r = find(ix, "giao ước");
    CU_ASSERT_TRUE(r.n == 1 && r.score[0] >= 100.0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_fold_tone_conventions(void)
{
    pledgex_index *ix = open_fresh("tones.db");
    put(ix, "old.txt", "text", "Uỷ ban hoà giải ở Toà án", NULL);
    put(ix, "new.txt", "text", "Ủy ban hòa giải ở Tòa án", NULL);
    put(ix, "none.txt", "text", "Uy ban hoa giai o Toa an", NULL);
    const char *queries[] = {"Uỷ ban", "Ủy ban", "hoà giải", "hòa giải", "Toà án", "Tòa án"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        hits r = find(ix, queries[i]);
        /* Both conventions are the same word, so both are exact matches,
         * ranked above the text without accents (found all the same). */
        CU_ASSERT_EQUAL(r.n, 3);
        CU_ASSERT_TRUE(rank_of(&r, "old.txt") >= 0 && rank_of(&r, "old.txt") < 2);
        CU_ASSERT_TRUE(rank_of(&r, "new.txt") >= 0 && rank_of(&r, "new.txt") < 2);
        CU_ASSERT_EQUAL(rank_of(&r, "none.txt"), 2);
        for (int k = 0; k < r.n && k < MAXHITS; k++)
            CU_ASSERT_EQUAL(r.score[k] >= 100.0, strcmp(r.address[k], "none.txt") != 0);
        hits_free(&r);
    }
    pledgex_index_free(&ix);
}

static void test_search_fold_d_stroke(void)
{
    pledgex_index *ix = open_fresh("dd.db");
    put(ix, "a.txt", "text", "Phong trào thi đua yêu nước của Đảng bộ tỉnh", NULL);
    put(ix, "b.txt", "text", "ĐẠI HỘI ĐẢNG BỘ", NULL);
    hits r = find(ix, "thi dua");
    CU_ASSERT_TRUE(has(&r, "a.txt"));
    hits_free(&r);
    r = find(ix, "dang bo");
    CU_ASSERT_EQUAL(r.n, 2);
    hits_free(&r);
    r = find(ix, "DAI HOI");
    CU_ASSERT_TRUE(has(&r, "b.txt"));
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_rank_exact_accents_first(void)
{
    pledgex_index *ix = open_fresh("rank.db");
    /* "thì dưa" has the folded words more often (a higher BM25 for the
     * folded query), yet typing "thi đua" lists the exact words first. */
    put(ix, "melon.txt", "text", "thì dưa thì dưa thì dưa, thì dưa ngọt", NULL);
    put(ix, "pledge.txt", "text",
        "Các đơn vị ký giao ước thi đua năm 2024 và phát động phong trào mới", NULL);
    hits r = find(ix, "thi đua");
    CU_ASSERT_EQUAL(r.n, 2);
    CU_ASSERT_EQUAL(rank_of(&r, "pledge.txt"), 0);
    hits_free(&r);
    r = find(ix, "thì dưa");
    CU_ASSERT_EQUAL(r.n, 2);
    CU_ASSERT_EQUAL(rank_of(&r, "melon.txt"), 0);
    hits_free(&r);
    /* Without accents, BM25 alone decides: the repeated words win. */
    r = find(ix, "thi dua");
    CU_ASSERT_EQUAL(r.n, 2);
    CU_ASSERT_EQUAL(rank_of(&r, "melon.txt"), 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_rank_title_above_body(void)
{
    pledgex_index *ix = open_fresh("lanes.db");
    put(ix, "body.txt", "text",
        "Báo cáo tổng kết năm. Nội dung có nhắc đến chuyển đổi số ở cuối trang.", NULL);
    put(ix, "title.txt", "text",
        "Chuyển đổi số\fBáo cáo tổng kết năm. Nội dung có nhắc đến nhiều việc khác.", NULL);
    hits r = find(ix, "chuyển đổi số");
    CU_ASSERT_EQUAL(r.n, 2);
    CU_ASSERT_EQUAL(rank_of(&r, "title.txt"), 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

/* BM25's length normalisation: with the same term frequency, the shorter
 * block ranks first.  The short one is put first (older): on a tie the
 * newer block wins, so lengths read wrong cannot pass.  Twice: matches on
 * consecutive blocks (their lengths read in one range) and matches far
 * apart (read one by one). */
static void test_search_rank_shorter_block_first(void)
{
    for (int gap = 0; gap <= 40; gap += 40) {
        pledgex_index *ix = open_fresh("lengths.db");
        put(ix, "short.txt", "text", "Bản giao ước thi đua năm nay.", NULL);
        char addr[64];
        for (int i = 0; i < gap; i++) {
            snprintf(addr, sizeof addr, "other%02d.txt", i);
            put(ix, addr, "text", "Báo cáo tổng kết công tác năm.", NULL);
        }
        put(ix, "long.txt", "text",
            "Bản giao ước thi đua năm nay của các đơn vị trong khối nội chính tỉnh, gồm "
            "Công an tỉnh, Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh, Sở Tư pháp, "
            "Cục Thi hành án dân sự tỉnh và Bộ Chỉ huy Quân sự tỉnh, với nhiều nội dung "
            "cụ thể về cải cách hành chính và chuyển đổi số trong cả năm.",
            NULL);
        hits r = find(ix, "giao uoc");
        CU_ASSERT_EQUAL(r.n, 2);
        CU_ASSERT_EQUAL(rank_of(&r, "short.txt"), 0);
        if (r.n == 2)
            CU_ASSERT_TRUE(r.score[0] > r.score[1]);
        hits_free(&r);
        pledgex_index_free(&ix);
    }
}

/* Words typed together rank the blocks that have them together first, and
 * the snippet shows them together, even where they are more frequent apart. */
static void test_search_rank_words_side_by_side_first(void)
{
    pledgex_index *ix = open_fresh("adjacent.db");
    put(ix, "apart.txt", "text",
        "Phong trào thi đua phong phú, tạo chuyển biến rõ rệt; phong cách làm việc mới "
        "và biến đổi nhiều mặt công tác",
        NULL);
    put(ix, "side.txt", "text",
        "Bộ đội Biên phòng tỉnh ký giao ước với các đơn vị trong khối năm nay, cùng "
        "nhau thực hiện các nội dung đã đề ra",
        NULL);
    put(ix, "long.txt", "text",
        "Phong trào phong phú, chuyển biến rõ nét trong năm qua ở nhiều đơn vị của khối "
        "thi đua nội chính và lực lượng vũ trang tỉnh cùng với các sở ngành, trong đó "
        "có Bộ đội Biên phòng tỉnh",
        NULL);
    hits r = find(ix, "bien phong");
    CU_ASSERT_EQUAL(r.n, 3);
    CU_ASSERT_EQUAL(rank_of(&r, "apart.txt"), 2);
    int i = rank_of(&r, "long.txt");
    CU_ASSERT_TRUE_FATAL(i >= 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.snippet[i], "\x02" "Biên\x03 \x02phòng\x03"));
    if (!strstr(r.snippet[i], "\x02" "Biên\x03 \x02phòng\x03"))
        fprintf(stderr, "\n  snippet: %s\n", r.snippet[i]);
    hits_free(&r);
    pledgex_index_free(&ix);
}

/* ---------------------------------------------------------- syntax */

static void test_search_phrase(void)
{
    pledgex_index *ix = open_fresh("phrase.db");
    put(ix, "together.txt", "text", "ký giao ước thi đua năm 2024", NULL);
    put(ix, "apart.txt", "text", "thi hành giao ước, đua thuyền", NULL);
    hits r = find(ix, "\"giao ước thi đua\"");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "together.txt"));
    hits_free(&r);
    r = find(ix, "\"giao uoc thi dua\"");
    CU_ASSERT_EQUAL(r.n, 1);
    hits_free(&r);
    r = find(ix, "giao ước thi đua"); /* words, any order */
    CU_ASSERT_EQUAL(r.n, 2);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_prefix(void)
{
    pledgex_index *ix = open_fresh("prefix.db");
    put(ix, "uoc.txt", "text", "bản giao ước thi đua", NULL);
    put(ix, "uy.txt", "text", "giao cho ủy ban", NULL);
    put(ix, "nothing.txt", "text", "hội nghị tổng kết", NULL);
    hits r = find(ix, "giao ư*");
    CU_ASSERT_EQUAL(r.n, 2); /* ư* folds to u*: ủy too, ranked below */
    CU_ASSERT_EQUAL(rank_of(&r, "uoc.txt"), 0);
    hits_free(&r);
    r = find(ix, "giao uo*");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "uoc.txt"));
    hits_free(&r);
    r = find(ix, "\"giao ư\"*");
    CU_ASSERT_TRUE(has(&r, "uoc.txt"));
    CU_ASSERT_FALSE(has(&r, "uy.txt"));
    hits_free(&r);
    pledgex_index_free(&ix);
}

/* One integer from a query on the index's database (-1 on error). */
static long sql_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The full-text index holds a word with accents once, in its exact form;
 * fold_vocab maps its accent-free form to it, so queries without accents
 * (words, phrases, prefixes) still find it, and so does ASCII text. */
static void test_search_index_holds_exact_forms_once(void)
{
    pledgex_index *ix = open_fresh("once.db");
    put(ix, "accents.txt", "text", "Đại hội Đảng bộ tỉnh", NULL);
    put(ix, "plain.txt", "text", "dang bo xa", NULL);
    hits r = find(ix, "dang bo");
    CU_ASSERT_EQUAL(r.n, 2);
    hits_free(&r);
    sqlite3 *db = pledgex__sq_db(ix);
    CU_ASSERT_EQUAL(sqlite3_exec(db,
                                 "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, blocks_fts, "
                                 "row)",
                                 NULL, NULL, NULL),
                    SQLITE_OK);
    CU_ASSERT_EQUAL(sql_count(db, "SELECT doc FROM temp.v WHERE term = 'đảng'"), 1);
    CU_ASSERT_EQUAL(sql_count(db, "SELECT doc FROM temp.v WHERE term = 'dang'"), 1); /* plain */
    CU_ASSERT_EQUAL(sql_count(db, "SELECT count(*) FROM temp.v WHERE term = 'dai'"), 0);
    CU_ASSERT_EQUAL(
        sql_count(db, "SELECT count(*) FROM fold_vocab WHERE ascii = 'dai' AND exact = 'đại'"),
        1);
    r = find(ix, "\"dai hoi dang\"");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "accents.txt"));
    hits_free(&r);
    r = find(ix, "da*"); /* đại, đảng and dang */
    CU_ASSERT_EQUAL(r.n, 2);
    hits_free(&r);
    r = find(ix, "\"hoi da\"*");
    CU_ASSERT_EQUAL(r.n, 1);
    hits_free(&r);
    r = find(ix, "đảng"); /* typed with accents: the exact form first */
    CU_ASSERT_EQUAL(r.n, 2);
    CU_ASSERT_EQUAL(rank_of(&r, "accents.txt"), 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

/* A word's (accent-free, exact) pair is stored in the transaction that
 * indexes its first document; when that transaction rolls back, the next
 * document with the word must store it again. */
static void test_search_vocab_survives_a_rollback(void)
{
    sqlite3 *db = NULL;
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(":memory:", &db), SQLITE_OK);
    pledgex_fts_vocab *v = NULL;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(pledgex__fts_register(db, &v, err, sizeof err), SQLITE_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(sqlite3_exec(db,
                                 "CREATE TABLE fold_vocab (ascii TEXT NOT NULL, exact TEXT NOT "
                                 "NULL, PRIMARY KEY (ascii, exact)) WITHOUT ROWID;"
                                 "CREATE VIRTUAL TABLE f USING fts5(t, tokenize='pledgex');"
                                 "BEGIN; INSERT INTO f VALUES ('thi đua');",
                                 NULL, NULL, NULL),
                    SQLITE_OK);
    CU_ASSERT_EQUAL(pledgex__fts_vocab_store(v), SQLITE_OK);
    CU_ASSERT_EQUAL(sql_count(db, "SELECT count(*) FROM fold_vocab WHERE exact = 'đua'"), 1);
    CU_ASSERT_EQUAL(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    pledgex__fts_vocab_forget(v);
    CU_ASSERT_EQUAL(sqlite3_exec(db, "BEGIN; INSERT INTO f VALUES ('đua thuyền');", NULL, NULL,
                                 NULL),
                    SQLITE_OK);
    CU_ASSERT_EQUAL(pledgex__fts_vocab_store(v), SQLITE_OK);
    CU_ASSERT_EQUAL(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    CU_ASSERT_EQUAL(sql_count(db, "SELECT count(*) FROM fold_vocab WHERE exact = 'đua'"), 1);
    CU_ASSERT_EQUAL(sql_count(db, "SELECT count(*) FROM f WHERE f MATCH 'dua'"), 1);
    CU_ASSERT_EQUAL(sql_count(db, "SELECT count(*) FROM f WHERE f MATCH '\"dua thuyen\"'"), 1);
    sqlite3_close(db);
}

static void test_search_boolean(void)
{
    pledgex_index *ix = open_fresh("bool.db");
    put(ix, "a.txt", "text", "thi đua khen thưởng", NULL);
    put(ix, "b.txt", "text", "thi đua yêu nước", NULL);
    put(ix, "c.txt", "text", "khen thưởng cuối năm", NULL);
    hits r = find(ix, "thi đua OR cuối năm");
    CU_ASSERT_EQUAL(r.n, 3);
    hits_free(&r);
    r = find(ix, "thi đua AND khen");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "a.txt"));
    hits_free(&r);
    r = find(ix, "thi đua NOT khen");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "b.txt"));
    hits_free(&r);
    r = find(ix, "thi đua -khen");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "b.txt"));
    hits_free(&r);
    /* An exclusion applies to the whole group, as in a search box. */
    r = find(ix, "yêu OR khen -cuối");
    CU_ASSERT_EQUAL(r.n, 2);
    CU_ASSERT_FALSE(has(&r, "c.txt"));
    hits_free(&r);
    r = find(ix, "(yêu OR cuối) thưởng");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "c.txt"));
    hits_free(&r);
    /* Lower-case and/or/not are words, FTS5 syntax is text. */
    r = find(ix, "thi đua not");
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    r = find(ix, "khen:thưởng ^thi NEAR(đua)");
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_malformed_query(void)
{
    pledgex_index *ix = open_fresh("bad.db");
    put(ix, "a.txt", "text", "thi đua", NULL);
    const char *bad[] = {"thi AND", "OR thi", "thi OR OR đua", "(thi", "thi)", "()",
                         "\"thi đua", "NOT thi", "-thi", "", "   ", "...", "thi NOT",
                         "((thi) OR", "thi OR"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pledgex_query q = {0};
        q.text = bad[i];
        hits r = run_query(ix, q, PLEDGEX_FAILED);
        CU_ASSERT_EQUAL(r.n, 0);
        /* The message says what is wrong with which query. */
        CU_ASSERT_PTR_NOT_NULL(strstr(pledgex_index_errmsg(ix), "cannot search"));
        hits_free(&r);
    }
    pledgex_query q = {0};
    q.text = "thi";
    q.from = "2024-13";
    hits r = run_query(ix, q, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(pledgex_index_errmsg(ix), "2024-13"));
    hits_free(&r);
    pledgex_index_free(&ix);
}

/* ---------------------------------------------------------- filters */

static const ent ents_tp[] = {{"unit", "Sở Tư pháp", "Sở Tư pháp tỉnh Nghệ An", "province"},
                              {"signatory", "SỞ TƯ PHÁP", "Sở Tư pháp tỉnh Nghệ An", "Cụm phó"},
                              {"person", "Hoàng Thị Thu Trang", "Sở Tư pháp", "Giám đốc"},
                              {"date", "19/3/2024", "2024-03-19", "document"},
                              {NULL, NULL, NULL, NULL}};
static const ent ents_ca[] = {{"unit", "Công an tỉnh", "Công an tỉnh Hà Tĩnh", "province"},
                              {"signatory", "CÔNG AN", "Công an tỉnh Hà Tĩnh", "Cụm trưởng"},
                              {"date", "quý IV/2023", "2023-Q4", "document"},
                              {NULL, NULL, NULL, NULL}};
static const ent ents_ub[] = {{"unit", "UBND tỉnh", "Ủy ban nhân dân tỉnh Nghệ An", "province"},
                              {"date", "2021-2025", "2021/2025", "period"},
                              {"date", "05/2022", "2022-05", "document"},
                              {NULL, NULL, NULL, NULL}};

static pledgex_index *filter_fixture(void)
{
    pledgex_index *ix = open_fresh("filters.db");
    put(ix, "tp.jpg", "photo", "Sở Tư pháp ký giao ước thi đua", ents_tp);
    put(ix, "ca.pdf", "scan", "Công an tỉnh ký giao ước thi đua", ents_ca);
    put(ix, "ub.txt", "text", "Ủy ban nhân dân tỉnh phát động thi đua", ents_ub);
    put(ix, "none.txt", "article", "Bài báo về thi đua", NULL);
    return ix;
}

static hits filtered(pledgex_index *ix, const char *unit, const char *signer, const char *from,
                     const char *to, int year, const char *kind)
{
    pledgex_query q = {0};
    q.text = "thi đua";
    q.unit = unit;
    q.signed_by = signer;
    q.from = from;
    q.to = to;
    q.year = year;
    q.kind = kind;
    return run_query(ix, q, PLEDGEX_OK);
}

static void test_search_filter_unit(void)
{
    pledgex_index *ix = filter_fixture();
    hits r = filtered(ix, "Sở Tư pháp", NULL, NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "tp.jpg"));
    hits_free(&r);
    r = filtered(ix, "so tu phap nghe an", NULL, NULL, NULL, 0, NULL); /* folded */
    CU_ASSERT_EQUAL(r.n, 1);
    hits_free(&r);
    r = filtered(ix, "UBND tỉnh Nghệ An", NULL, NULL, NULL, 0, NULL); /* alias */
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "ub.txt"));
    hits_free(&r);
    r = filtered(ix, "Nghệ An", NULL, NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 2);
    hits_free(&r);
    /* An alias of the gazetteer ($PLEDGEX_DATA_DIR/units.tsv). */
    put(ix, "gd.txt", "text", "Sở GD&ĐT tổ chức thi đua dạy tốt",
        (const ent[]){{"unit", "Sở GD&ĐT", "Sở Giáo dục và Đào tạo tỉnh Nghệ An", NULL},
                      {NULL, NULL, NULL, NULL}});
    r = filtered(ix, "Sở GD&ĐT Nghệ An", NULL, NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "gd.txt"));
    hits_free(&r);
    r = filtered(ix, "Sở Giáo dục", NULL, NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    hits_free(&r);
    /* A province typed after the unit narrows it: the alias through the
     * canonical name ("Sở Tư pháp") must not drop it and match every
     * province's. */
    put(ix, "tp-ht.txt", "text", "Sở Tư pháp Hà Tĩnh ký giao ước thi đua",
        (const ent[]){{"unit", "Sở Tư pháp", "Sở Tư pháp tỉnh Hà Tĩnh", NULL},
                      {NULL, NULL, NULL, NULL}});
    r = filtered(ix, "Sở Tư pháp Hà Tĩnh", NULL, NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "tp-ht.txt"));
    hits_free(&r);
    r = filtered(ix, "Sở Tư pháp", NULL, NULL, NULL, 0, NULL); /* both provinces */
    CU_ASSERT_EQUAL(r.n, 2);
    hits_free(&r);
    r = filtered(ix, "100%_", NULL, NULL, NULL, 0, NULL); /* LIKE characters are text */
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_filter_signed_by(void)
{
    pledgex_index *ix = filter_fixture();
    hits r = filtered(ix, NULL, "Công an", NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "ca.pdf"));
    hits_free(&r);
    r = filtered(ix, NULL, "Hoàng Thị Thu Trang", NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "tp.jpg"));
    hits_free(&r);
    r = filtered(ix, NULL, "thu trang", NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    hits_free(&r);
    /* The unit only names the document; it did not sign it. */
    r = filtered(ix, NULL, "Ủy ban nhân dân", NULL, NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_filter_dates(void)
{
    pledgex_index *ix = filter_fixture();
    hits r = filtered(ix, NULL, NULL, "2024", NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 2); /* tp (2024-03-19), ub (period 2021/2025) */
    CU_ASSERT_TRUE(has(&r, "tp.jpg") && has(&r, "ub.txt"));
    hits_free(&r);
    r = filtered(ix, NULL, NULL, "2023-10-01", "2023-10-31", 0, NULL);
    CU_ASSERT_EQUAL(r.n, 2); /* 2023-Q4 overlaps, the period too */
    CU_ASSERT_TRUE(has(&r, "ca.pdf") && has(&r, "ub.txt"));
    hits_free(&r);
    r = filtered(ix, NULL, NULL, NULL, "2023-Q3", 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "ub.txt"));
    hits_free(&r);
    r = filtered(ix, NULL, NULL, "2024-03-20", NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1); /* only the period reaches past it */
    hits_free(&r);
    r = filtered(ix, NULL, NULL, "2026", NULL, 0, NULL);
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_filter_year(void)
{
    pledgex_index *ix = filter_fixture();
    hits r = filtered(ix, NULL, NULL, NULL, NULL, 2023, NULL);
    CU_ASSERT_EQUAL(r.n, 2);
    CU_ASSERT_TRUE(has(&r, "ca.pdf") && has(&r, "ub.txt"));
    hits_free(&r);
    r = filtered(ix, NULL, NULL, NULL, NULL, 2020, NULL);
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_filter_kind(void)
{
    pledgex_index *ix = filter_fixture();
    const char *kinds[] = {"photo", "scan", "text", "article"};
    const char *want[] = {"tp.jpg", "ca.pdf", "ub.txt", "none.txt"};
    for (int i = 0; i < 4; i++) {
        hits r = filtered(ix, NULL, NULL, NULL, NULL, 0, kinds[i]);
        CU_ASSERT_EQUAL(r.n, 1);
        CU_ASSERT_TRUE(has(&r, want[i]));
        hits_free(&r);
    }
    pledgex_index_free(&ix);
}

static void test_search_filter_combined(void)
{
    pledgex_index *ix = filter_fixture();
    hits r = filtered(ix, "Nghệ An", NULL, NULL, NULL, 2024, NULL);
    CU_ASSERT_EQUAL(r.n, 2);
    hits_free(&r);
    r = filtered(ix, "Nghệ An", NULL, NULL, NULL, 2024, "photo");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "tp.jpg"));
    hits_free(&r);
    r = filtered(ix, "Nghệ An", "Sở Tư pháp", "2024-03", "2024-03", 0, NULL);
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "tp.jpg"));
    hits_free(&r);
    r = filtered(ix, "Hà Tĩnh", NULL, NULL, NULL, 2024, NULL);
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    pledgex_index_free(&ix);
}

/* ------------------------------------------------- results and facets */

/* A document's chips: each unit and each date once, sorted, whatever the
 * order and the repeats of its entities; the signatory, person and
 * commitment entities are not chips. */
static void test_search_chips_distinct_sorted(void)
{
    pledgex_index *ix = open_fresh("chips.db");
    put(ix, "many.txt", "text", "Các đơn vị ký giao ước thi đua",
        (const ent[]){{"unit", "Tòa án nhân dân tỉnh", "Tòa án nhân dân tỉnh Nghệ An", NULL},
                      {"date", "năm 2024", "2024", "document"},
                      {"unit", "Công an tỉnh", "Công an tỉnh Nghệ An", NULL},
                      {"signatory", "CÔNG AN TỈNH", "Công an tỉnh Nghệ An", "Cụm trưởng"},
                      {"date", "19/3/2024", "2024-03-19", "document"},
                      {"unit", "TÒA ÁN NHÂN DÂN TỈNH", "Tòa án nhân dân tỉnh Nghệ An", NULL},
                      {"person", "Nguyễn Văn A", "Công an tỉnh", "Giám đốc"},
                      {"date", "ngày 19/3", "2024-03-19", "document"},
                      {"unit", "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh Nghệ An", NULL},
                      {NULL, NULL, NULL, NULL}});
    put(ix, "bare.txt", "text", "Một văn bản thi đua không có đơn vị", NULL);
    hits r = find(ix, "thi dua");
    CU_ASSERT_EQUAL_FATAL(r.n, 2);
    int i = rank_of(&r, "many.txt"), j = rank_of(&r, "bare.txt");
    CU_ASSERT_TRUE_FATAL(i >= 0 && j >= 0);
    CU_ASSERT_STRING_EQUAL(r.units[i], "[\"Bộ Chỉ huy Quân sự tỉnh Nghệ An\",\"Công an tỉnh Nghệ "
                                       "An\",\"Tòa án nhân dân tỉnh Nghệ An\"]");
    CU_ASSERT_STRING_EQUAL(r.dates[i], "[\"2024\",\"2024-03-19\"]");
    CU_ASSERT_STRING_EQUAL(r.units[j], "[]");
    CU_ASSERT_STRING_EQUAL(r.dates[j], "[]");
    hits_free(&r);
    pledgex_index_free(&ix);
}

static void test_search_snippet_and_chips(void)
{
    pledgex_index *ix = filter_fixture();
    hits r = find(ix, "giao uoc");
    CU_ASSERT_EQUAL_FATAL(r.n, 2);
    int i = rank_of(&r, "tp.jpg");
    CU_ASSERT_TRUE_FATAL(i >= 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.snippet[i], "\x02giao\x03 \x02ước\x03"));
    CU_ASSERT_PTR_NULL(strstr(r.snippet[i], "\x02thi"));
    char *u = tu_json_get(r.units[i], "$[0]");
    CU_ASSERT_STRING_EQUAL(u ? u : "", "Sở Tư pháp tỉnh Nghệ An");
    free(u);
    char *d = tu_json_get(r.dates[i], "$[0]");
    CU_ASSERT_STRING_EQUAL(d ? d : "", "2024-03-19");
    free(d);
    hits_free(&r);
    /* Excluded words are not highlighted. */
    r = find(ix, "thi đua -công");
    for (int k = 0; k < r.n && k < MAXHITS; k++) {
        CU_ASSERT_PTR_NOT_NULL(strstr(r.snippet[k], "\x02"));
        CU_ASSERT_PTR_NULL(strstr(r.snippet[k], "\x02" "Công"));
    }
    hits_free(&r);
    pledgex_index_free(&ix);
}

typedef struct facets {
    int n;
    char line[32][160];
} facets;

static int on_facet(void *user, const char *facet, const char *value, long count)
{
    facets *f = user;
    if (f->n < 32)
        snprintf(f->line[f->n++], sizeof f->line[0], "%s|%s|%ld", facet, value, count);
    return 0;
}

static int facet_has(const facets *f, const char *line)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->line[i], line))
            return 1;
    return 0;
}

static void test_search_facets_counts(void)
{
    pledgex_index *ix = filter_fixture();
    put(ix, "tp2.txt", "text", "Sở Tư pháp tổng kết thi đua",
        (const ent[]){{"unit", "Sở Tư pháp", "Sở Tư pháp tỉnh Nghệ An", NULL},
                      {"date", "2024", "2024", "document"},
                      {"date", "2024-12-15", "2024-12-15", "deadline"},
                      {NULL, NULL, NULL, NULL}});
    pledgex_query q = {0};
    q.text = "thi dua";
    facets f = {0};
    CU_ASSERT_EQUAL(pledgex_facets(ix, &q, on_facet, &f), PLEDGEX_OK);
    /* Documents, not mentions: tp2 names 2024 twice, counted once. */
    CU_ASSERT_TRUE(facet_has(&f, "unit|Sở Tư pháp tỉnh Nghệ An|2"));
    CU_ASSERT_TRUE(facet_has(&f, "unit|Công an tỉnh Hà Tĩnh|1"));
    CU_ASSERT_TRUE(facet_has(&f, "unit|Ủy ban nhân dân tỉnh Nghệ An|1"));
    CU_ASSERT_TRUE(facet_has(&f, "year|2024|2"));
    CU_ASSERT_TRUE(facet_has(&f, "year|2023|1"));
    CU_ASSERT_TRUE(facet_has(&f, "year|2021|1"));
    CU_ASSERT_TRUE(facet_has(&f, "year|2022|1"));
    /* Facets follow the query and the filters. */
    f.n = 0;
    q.text = "giao uoc";
    q.kind = "scan";
    CU_ASSERT_EQUAL(pledgex_facets(ix, &q, on_facet, &f), PLEDGEX_OK);
    CU_ASSERT_EQUAL(f.n, 2);
    CU_ASSERT_TRUE(facet_has(&f, "unit|Công an tỉnh Hà Tĩnh|1"));
    CU_ASSERT_TRUE(facet_has(&f, "year|2023|1"));
    pledgex_index_free(&ix);
}

/* Filters without words list every document they pass, the latest dated
 * first, then the undated; without a filter either, a blank query is an
 * error.  Facets take filters alone too. */
static void test_search_filters_without_words(void)
{
    pledgex_index *ix = filter_fixture();
    put(ix, "plain.txt", "text", "Ghi chép không ngày tháng", NULL);
    pledgex_query q = {0};
    q.text = " ";
    q.from = "2021";
    hits r = run_query(ix, q, PLEDGEX_OK);
    /* tp 2024-03-19, ca 2023-Q4, ub 2022-05 (its 2021-2025 starts
     * earlier): the order of dates, not of indexing (ub came after ca) */
    CU_ASSERT_EQUAL_FATAL(r.n, 3);
    CU_ASSERT_STRING_EQUAL(r.address[0], "tp.jpg");
    CU_ASSERT_STRING_EQUAL(r.address[1], "ca.pdf");
    CU_ASSERT_STRING_EQUAL(r.address[2], "ub.txt");
    CU_ASSERT_PTR_NOT_NULL(strstr(r.snippet[0], "Sở Tư pháp"));
    hits_free(&r);
    q.limit = 1;
    q.offset = 1;
    r = run_query(ix, q, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r.n, 1);
    if (r.n == 1)
        CU_ASSERT_STRING_EQUAL(r.address[0], "ca.pdf");
    hits_free(&r);
    /* Undated documents after the dated, though indexed later. */
    pledgex_query k = {0};
    k.kind = "text";
    r = run_query(ix, k, PLEDGEX_OK);
    CU_ASSERT_EQUAL_FATAL(r.n, 2);
    CU_ASSERT_STRING_EQUAL(r.address[0], "ub.txt");
    CU_ASSERT_STRING_EQUAL(r.address[1], "plain.txt");
    hits_free(&r);
    /* Nothing passes: no hit, no error.  No filter: an error. */
    pledgex_query none = {0};
    none.year = 1999;
    r = run_query(ix, none, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    pledgex_query bare = {0};
    bare.text = "";
    r = run_query(ix, bare, PLEDGEX_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(pledgex_index_errmsg(ix), "filter"));
    hits_free(&r);
    facets f = {0};
    CU_ASSERT_EQUAL(pledgex_facets(ix, &bare, on_facet, &f), PLEDGEX_FAILED);
    pledgex_query u = {0};
    u.unit = "Sở Tư pháp";
    CU_ASSERT_EQUAL(pledgex_facets(ix, &u, on_facet, &f), PLEDGEX_OK);
    CU_ASSERT_EQUAL(f.n, 2);
    CU_ASSERT_TRUE(facet_has(&f, "unit|Sở Tư pháp tỉnh Nghệ An|1"));
    CU_ASSERT_TRUE(facet_has(&f, "year|2024|1"));
    pledgex_index_free(&ix);
}

static void test_search_paging_and_windows(void)
{
    pledgex_index *ix = open_fresh("many.db");
    /* More matches than one ranking window, a few filtered documents
     * among them, and a title that must rank first. */
    char addr[64], text[256];
    for (int i = 0; i < 2500; i++) {
        snprintf(addr, sizeof addr, "doc%04d.txt", i);
        snprintf(text, sizeof text, "Văn bản số %d về phong trào thi đua yêu nước năm %d.", i,
                 2015 + i % 10);
        const ent e[] = {{"unit", "Đơn vị", i % 500 == 7 ? "Đồn Biên phòng Nậm Cắn" : "Khác",
                          NULL},
                         {NULL, NULL, NULL, NULL}};
        put(ix, addr, "text", text, e);
    }
    put(ix, "title.txt", "text", "Thi đua\fmột văn bản ngắn", NULL);
    pledgex_query q = {0};
    q.text = "thi đua";
    q.limit = 40;
    hits a = run_query(ix, q, PLEDGEX_OK);
    CU_ASSERT_EQUAL(a.n, 40);
    CU_ASSERT_EQUAL(rank_of(&a, "title.txt"), 0);
    assert_unique(&a);
    /* Pages do not overlap and continue the list. */
    q.limit = 20;
    q.offset = 20;
    hits b = run_query(ix, q, PLEDGEX_OK);
    CU_ASSERT_EQUAL(b.n, 20);
    for (int i = 0; i < b.n && i < MAXHITS; i++)
        CU_ASSERT_STRING_EQUAL(b.address[i], a.address[20 + i]);
    hits_free(&a);
    hits_free(&b);
    /* A selective filter over a common word finds every match. */
    q.offset = 0;
    q.limit = 50;
    q.unit = "Nậm Cắn";
    a = run_query(ix, q, PLEDGEX_OK);
    CU_ASSERT_EQUAL(a.n, 5);
    assert_unique(&a);
    hits_free(&a);
    /* Every document is reachable, each once, when paging to the end. */
    q.unit = NULL;
    q.year = 2019;
    size_t total = 0;
    q.limit = 1000;
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, NULL, NULL, &total), PLEDGEX_OK);
    CU_ASSERT_EQUAL(total, 0); /* no date entities */
    q.year = 0;
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, NULL, NULL, &total), PLEDGEX_OK);
    CU_ASSERT_EQUAL(total, 1000);
    q.offset = 2000;
    CU_ASSERT_EQUAL(pledgex_search(ix, &q, NULL, NULL, &total), PLEDGEX_OK);
    CU_ASSERT_EQUAL(total, 501);
    pledgex_index_free(&ix);
}

/* The search's statements are compiled once per open index and reused: a
 * second search gives the same hits, and a search started from a hit
 * callback (which finds the outer search's statements busy) works and does
 * not disturb the outer one. */
typedef struct nested {
    pledgex_index *ix;
    hits outer, inner;
    int rc;
} nested;

static int nested_hit(void *user, const pledgex_hit *h)
{
    nested *n = user;
    collect(&n->outer, h);
    if (n->outer.n == 1) {
        pledgex_query q = {0};
        q.text = "giao uoc";
        q.limit = 50;
        size_t k = 0;
        n->rc = pledgex_search(n->ix, &q, collect, &n->inner, &k);
    }
    return 0;
}

static void test_search_statements_reused_and_nested(void)
{
    pledgex_index *ix = open_fresh("reuse.db");
    /* More matches than a ranking window: the outer walk is still open
     * when the callback searches. */
    char addr[64], text[128];
    for (int i = 0; i < 1200; i++) {
        snprintf(addr, sizeof addr, "doc%04d.txt", i);
        snprintf(text, sizeof text, "Văn bản %d: bản giao ước thi đua%s.", i,
                 i % 3 ? " của khối nội chính tỉnh" : "");
        put(ix, addr, "text", text, NULL);
    }
    pledgex_query q = {0};
    q.text = "thi đua";
    q.limit = 1100;
    hits a = run_query(ix, q, PLEDGEX_OK), b = run_query(ix, q, PLEDGEX_OK);
    hits g = find(ix, "giao uoc");
    CU_ASSERT_EQUAL(a.n, 1100);
    CU_ASSERT_EQUAL(b.n, a.n);
    for (int i = 0; i < a.n && i < b.n && i < MAXHITS; i++) {
        CU_ASSERT_STRING_EQUAL(a.address[i], b.address[i]);
        CU_ASSERT_STRING_EQUAL(a.snippet[i], b.snippet[i]);
    }
    nested n = {ix, {0}, {0}, -1};
    size_t k = 0;
    int nrc = pledgex_search(ix, &q, nested_hit, &n, &k);
    CU_ASSERT_EQUAL(nrc, PLEDGEX_OK);
    if (nrc != PLEDGEX_OK)
        fprintf(stderr, "\n  nested: %s\n", pledgex_index_errmsg(ix));
    CU_ASSERT_EQUAL(n.rc, PLEDGEX_OK);
    CU_ASSERT_EQUAL(n.outer.n, a.n);
    CU_ASSERT_EQUAL(n.inner.n, g.n);
    for (int i = 0; i < a.n && i < n.outer.n && i < MAXHITS; i++)
        CU_ASSERT_STRING_EQUAL(n.outer.address[i], a.address[i]);
    for (int i = 0; i < g.n && i < n.inner.n && i < MAXHITS; i++)
        CU_ASSERT_STRING_EQUAL(n.inner.address[i], g.address[i]);
    hits_free(&a);
    hits_free(&b);
    hits_free(&g);
    hits_free(&n.outer);
    hits_free(&n.inner);
    pledgex_index_free(&ix);
}

static void test_search_reput_replaces(void)
{
    pledgex_index *ix = open_fresh("reput.db");
    put(ix, "a.txt", "text", "chiến sĩ thi đua", NULL);
    put(ix, "b.txt", "text", "chiến sĩ thi đua", NULL);
    /* Re-stored before and after the writes were committed. */
    put(ix, "a.txt", "text", "lao động tiên tiến", NULL);
    hits r = find(ix, "chiến sĩ");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "b.txt"));
    hits_free(&r);
    put(ix, "b.txt", "text", "lao động sáng tạo", NULL);
    put(ix, "c.txt", "text", "chiến sĩ", NULL);
    r = find(ix, "lao động");
    CU_ASSERT_EQUAL(r.n, 2);
    assert_unique(&r);
    hits_free(&r);
    r = find(ix, "chiến sĩ");
    CU_ASSERT_EQUAL(r.n, 1);
    CU_ASSERT_TRUE(has(&r, "c.txt"));
    hits_free(&r);
    /* The full-text index agrees with the stored text. */
    CU_ASSERT_EQUAL(pledgex__index_flush(ix), PLEDGEX_OK);
    CU_ASSERT_EQUAL(sqlite3_exec(pledgex__sq_db(ix),
                                 "INSERT INTO blocks_fts(blocks_fts) VALUES ('integrity-check')",
                                 NULL, NULL, NULL),
                    SQLITE_OK);
    pledgex_index_free(&ix);
}

/* ----------------------------------------------------- did you mean */

static void test_search_suggest_ocr_damage(void)
{
    pledgex_index *ix = open_fresh("ocr.db");
    put(ix, "scan1.pdf", "scan", "Bộ đội Biên phỏng tỉnh ký giao ước thi đua", NULL);
    put(ix, "scan2.pdf", "scan", "Đồn Biên phòng cửa khẩu tổng kết phong trào", NULL);
    put(ix, "art.txt", "article", "Bộ đội Biên phòng tỉnh Nghệ An", NULL);
    /* A wrong tone from OCR: the folded match finds it already, the
     * right spelling first. */
    hits r = find(ix, "Biên phòng");
    CU_ASSERT_EQUAL(r.n, 3);
    CU_ASSERT_TRUE(rank_of(&r, "scan1.pdf") == 2);
    hits_free(&r);
    /* A wrong letter (OCR read 'q' for 'g'): nothing, then a suggestion
     * that finds them. */
    r = find(ix, "Biên phònq");
    CU_ASSERT_EQUAL(r.n, 0);
    hits_free(&r);
    char *s = pledgex_suggest(ix, "Biên phònq");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "Biên phòng");
    CU_ASSERT_EQUAL(s[strlen(s) + 1], '\0');
    r = find(ix, s);
    CU_ASSERT_EQUAL(r.n, 3);
    hits_free(&r);
    free(s);
    /* Structure survives: quotes, operators and prefixes are kept.  (The
     * accented spelling shown is the index's exact form, compared here
     * through the same canonicalisation.) */
    s = pledgex_suggest(ix, "\"tổng kếl\" OR giao*");
    CU_ASSERT_PTR_NOT_NULL(s);
    char *want = pledgex__fold_exact("\"tổng kết\" OR giao*", strlen("\"tổng kết\" OR giao*"));
    char *got = s ? pledgex__fold_exact(s, strlen(s)) : NULL;
    CU_ASSERT_STRING_EQUAL(got ? got : "", want ? want : "-");
    CU_ASSERT(s && strstr(s, "OR giao*"));
    free(want);
    free(got);
    free(s);
    /* Nothing to suggest for indexed words or for noise. */
    CU_ASSERT_PTR_NULL(pledgex_suggest(ix, "Biên phòng"));
    CU_ASSERT_PTR_NULL(pledgex_suggest(ix, "zzzzqqqq"));
    pledgex_index_free(&ix);
}

/* A document with its file's SHA-256 (what identical copies share). */
static void put_file(pledgex_index *ix, const char *address, const char *sha, const char *text)
{
    pledgex_doc *d = pledgex__doc_new(address);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    pledgex__doc_set(&d->name, address);
    pledgex__doc_set(&d->plugin, "photo");
    pledgex__doc_set(&d->sha256, sha);
    pledgex__doc_add_block(d, "caption", 0, text, -1.0, 0);
    pledgex__doc_add_entity(d, "unit", "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh", NULL);
    CU_ASSERT_EQUAL(pledgex__index_put(ix, d, 0), PLEDGEX_OK);
    pledgex__doc_free(&d);
}

/* The same photo in its folder, a ZIP and a tar is one hit that lists the
 * other two; paging counts contents; --all-copies lists each. */
static void test_search_identical_copies_are_one_hit(void)
{
    pledgex_index *ix = open_fresh("copies.db");
    const char *a = "aaaaaaaaaaaaaaaa1111111111111111aaaaaaaaaaaaaaaa1111111111111111";
    const char *b = "aaaaaaaaaaaaaaaa2222222222222222aaaaaaaaaaaaaaaa2222222222222222";
    put_file(ix, "photos/8.JPG", a, "Chính uỷ Bộ Chỉ huy Quân sự tỉnh phát biểu");
    put_file(ix, "other/9.JPG", b, "Chính uỷ dự lễ ký kết giao ước thi đua năm 2024");
    put_file(ix, "ceremony.zip!8.JPG", a, "Chính uỷ Bộ Chỉ huy Quân sự tỉnh phát biểu");
    put_file(ix, "batch.tar!ceremony.zip!8.JPG", a,
             "Chính uỷ Bộ Chỉ huy Quân sự tỉnh phát biểu");
    hits r = find(ix, "chinh uy");
    CU_ASSERT_EQUAL(r.n, 2);
    int at = -1;
    for (int i = 0; i < r.n && i < MAXHITS; i++)
        if (strstr(r.address[i], "8.JPG"))
            at = i;
    CU_ASSERT_FATAL(at >= 0);
    /* the two others, not itself */
    int listed = 0;
    const char *all[] = {"\"photos/8.JPG\"", "\"ceremony.zip!8.JPG\"",
                         "\"batch.tar!ceremony.zip!8.JPG\""};
    for (int k = 0; k < 3; k++) {
        char self[128];
        snprintf(self, sizeof self, "\"%s\"", r.address[at]);
        if (strcmp(all[k], self))
            listed += strstr(r.copies[at], all[k]) != NULL;
        else
            CU_ASSERT_PTR_NULL(strstr(r.copies[at], all[k]));
    }
    CU_ASSERT_EQUAL(listed, 2);
    CU_ASSERT_STRING_EQUAL(r.copies[1 - at], "[]");
    hits_free(&r);

    pledgex_query q = {0};
    q.text = "chinh uy";
    q.limit = 1;
    hits p0 = run_query(ix, q, PLEDGEX_OK);
    q.offset = 1;
    hits p1 = run_query(ix, q, PLEDGEX_OK);
    CU_ASSERT_EQUAL(p0.n, 1);
    CU_ASSERT_EQUAL(p1.n, 1);
    if (p0.n == 1 && p1.n == 1)
        CU_ASSERT_NOT_EQUAL(!!strstr(p0.address[0], "8.JPG"), !!strstr(p1.address[0], "8.JPG"));
    hits_free(&p0);
    hits_free(&p1);

    pledgex_query every = {0};
    every.text = "chinh uy";
    every.all_copies = 1;
    r = run_query(ix, every, PLEDGEX_OK);
    CU_ASSERT_EQUAL(r.n, 4);
    for (int i = 0; i < r.n && i < MAXHITS; i++)
        CU_ASSERT_STRING_EQUAL(r.copies[i], "[]");
    hits_free(&r);

    /* facets count what the hits show */
    facets f = {0};
    CU_ASSERT_EQUAL(pledgex_facets(ix, &q, on_facet, &f), PLEDGEX_OK);
    CU_ASSERT_TRUE(facet_has(&f, "unit|Bộ Chỉ huy Quân sự tỉnh|2"));
    memset(&f, 0, sizeof f);
    CU_ASSERT_EQUAL(pledgex_facets(ix, &every, on_facet, &f), PLEDGEX_OK);
    CU_ASSERT_TRUE(facet_has(&f, "unit|Bộ Chỉ huy Quân sự tỉnh|4"));
    pledgex_index_free(&ix);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    CU_pSuite s = CU_add_suite("search", NULL, NULL);
    if (!s)
        return 99;
    TU_TEST(s, test_search_fold_nfd_input);
    TU_TEST(s, test_search_fold_capitals);
    TU_TEST(s, test_search_fold_tone_conventions);
    TU_TEST(s, test_search_fold_d_stroke);
    TU_TEST(s, test_search_rank_exact_accents_first);
    TU_TEST(s, test_search_rank_title_above_body);
    TU_TEST(s, test_search_rank_shorter_block_first);
    TU_TEST(s, test_search_rank_words_side_by_side_first);
    TU_TEST(s, test_search_phrase);
    TU_TEST(s, test_search_prefix);
    TU_TEST(s, test_search_index_holds_exact_forms_once);
    TU_TEST(s, test_search_vocab_survives_a_rollback);
    TU_TEST(s, test_search_boolean);
    TU_TEST(s, test_search_malformed_query);
    TU_TEST(s, test_search_filter_unit);
    TU_TEST(s, test_search_filter_signed_by);
    TU_TEST(s, test_search_filter_dates);
    TU_TEST(s, test_search_filter_year);
    TU_TEST(s, test_search_filter_kind);
    TU_TEST(s, test_search_filter_combined);
    TU_TEST(s, test_search_snippet_and_chips);
    TU_TEST(s, test_search_chips_distinct_sorted);
    TU_TEST(s, test_search_facets_counts);
    TU_TEST(s, test_search_filters_without_words);
    TU_TEST(s, test_search_paging_and_windows);
    TU_TEST(s, test_search_statements_reused_and_nested);
    TU_TEST(s, test_search_reput_replaces);
    TU_TEST(s, test_search_suggest_ocr_damage);
    TU_TEST(s, test_search_identical_copies_are_one_hit);
    return tu_main();
}
