/*
 * fts_tokenizer.c -- see fts_tokenizer.h.
 *
 * Speed: folding a token through utf8proc (decompose, move the tone, fold,
 * recompose) costs a few allocations and a few hundred nanoseconds, and an
 * ingest of Vietnamese text meets the same few thousand syllables again and
 * again.  So each tokenizer instance keeps a memo: raw token bytes (as
 * unicode61 hands them over, already lower-cased) -> exact form and
 * accent-free form.  A hit costs one hash and one memcmp, no allocation; a
 * miss runs the textnorm functions, so both paths give by construction the
 * same strings as pledgex__fold_exact()/pledgex__fold_ascii().  The memo is
 * bounded (PX_MEMO_MAX_ENTRIES); once full, misses are folded but not kept,
 * which only costs speed (OCR garbage can make the vocabulary unbounded).
 *
 * Size: the index holds each word once, in its exact form (schema migration
 * 9).  It used to hold the accent-free form too, at the same position, which
 * doubled the full-text index.  Now each instance that indexes notes the
 * (accent-free, exact) pairs it meets in a per-connection vocabulary
 * (pledgex_fts_vocab), which the writer stores in the fold_vocab table in the same
 * transaction as the documents (pledgex__fts_vocab_store); a query word typed
 * without accents is then expanded, at query time, into every exact form
 * the index holds for it, as FTS5 synonyms (FTS5_TOKEN_COLOCATED at one
 * query position), which FTS5 matches inside phrases and prefixes too.
 */
#include <config.h>

#include "fts_tokenizer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "textnorm.h"

/* Memo size: the slot table starts small (a search tokenizes a few
 * hundred words: a big zeroed table would cost more in page faults than
 * it saves) and doubles at half full, up to PX_MEMO_MAX_SLOTS; 64k
 * entries of ~60 bytes stay under 8 MB per tokenizer instance. */
#define PX_MEMO_MIN_SLOTS 1024u
#define PX_MEMO_MAX_SLOTS (1u << 17)
#define PX_MEMO_MAX_ENTRIES 65536u
#define PX_MEMO_MAX_TOKEN 64 /* longer tokens are not memoised */
#define PX_ARENA_CHUNK (256u * 1024u)

typedef struct memo_entry {
    const char *key;   /* raw token, in the arena          */
    const char *exact; /* exact form, in the arena         */
    const char *ascii; /* accent-free form; NULL = exact   */
    uint32_t hash;
    uint16_t nkey, nexact, nascii;
    uint8_t noted; /* the (ascii, exact) pair went to the vocabulary */
} memo_entry;

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used;
    char data[];
} arena_chunk;

typedef struct px_tokenizer px_tokenizer;

/* The accent variants of one query word (see variants_of). */
typedef struct px_variants {
    char *word; /* ASCII, NULL for an empty slot */
    int nword, prefix;
    char *forms; /* "form\0form\0..." */
    size_t nforms;
} px_variants;

#define PX_VARIANT_CACHE 256

/* One per connection: the tokenizer's user data, freed at close. */
struct pledgex_fts_vocab {
    fts5_api *api;
    sqlite3 *db;
    pledgex_strbuf pending;   /* pairs met and not yet stored: "ascii\0exact\0"... */
    px_tokenizer *instances;  /* the indexing instances, whose memos note pairs */
    px_variants cache[PX_VARIANT_CACHE];
    unsigned int cache_version; /* the state of the database the cache holds for */
};

/* Query words with more accent variants than this keep the first ones
 * (OCR garbage aside, a Vietnamese syllable has a dozen at most). */
#define PX_MAX_VARIANTS 64

struct px_tokenizer {
    fts5_tokenizer base;  /* unicode61's methods */
    Fts5Tokenizer *inner; /* unicode61 instance  */
    memo_entry *slots;    /* nslots, or NULL when the memo is off */
    uint32_t nslots;
    size_t nentries;
    arena_chunk *arena;
    /* An indexing instance (created by FTS5) emits exact forms only, notes
     * pairs in vocab and expands query words; the snippet instance (vocab
     * NULL) emits both forms of each word, which is what highlighting
     * compares. */
    pledgex_fts_vocab *vocab;
    px_tokenizer *next; /* in vocab->instances */
};

/* A query token kept until the whole string is read: the last one of a
 * prefix string ("giao u"*) is expanded as a prefix. */
typedef struct qtok {
    char *text; /* exact form, owned */
    int n, start, end;
} qtok;

typedef struct px_shim {
    px_tokenizer *t;
    void *ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int query;
    qtok *q; /* query tokens (expanding instances only) */
    int nq, capq;
} px_shim;

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

static int is_ascii(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static uint32_t hash_bytes(const char *s, int n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (int i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* Copies n bytes (plus a NUL) into the arena; NULL when out of memory. */
static const char *arena_put(px_tokenizer *t, const char *s, size_t n)
{
    arena_chunk *c = t->arena;
    if (!c || c->used + n + 1 > PX_ARENA_CHUNK) {
        c = malloc(sizeof *c + PX_ARENA_CHUNK);
        if (!c)
            return NULL;
        c->next = t->arena;
        c->used = 0;
        t->arena = c;
    }
    char *p = c->data + c->used;
    memcpy(p, s, n);
    p[n] = 0;
    c->used += n + 1;
    return p;
}

/* The slot holding tok, or the empty slot where it belongs. */
static memo_entry *memo_slot(px_tokenizer *t, const char *tok, int ntok, uint32_t h)
{
    uint32_t mask = t->nslots - 1, i = h & mask;
    for (;;) {
        memo_entry *e = &t->slots[i];
        if (!e->key || (e->hash == h && e->nkey == ntok && !memcmp(e->key, tok, (size_t)ntok)))
            return e;
        i = (i + 1) & mask;
    }
}

/* Doubles the slot table (entries keep their strings); on failure the
 * memo simply stays as it is. */
static void memo_grow(px_tokenizer *t)
{
    uint32_t n = t->nslots * 2;
    memo_entry *g = calloc(n, sizeof *g);
    if (!g)
        return;
    for (uint32_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i].key)
            continue;
        uint32_t j = t->slots[i].hash & (n - 1);
        while (g[j].key)
            j = (j + 1) & (n - 1);
        g[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = g;
    t->nslots = n;
}

/* Adds the pair (ascii, exact) to the pairs the writer will store. */
static void vocab_note(pledgex_fts_vocab *v, const char *ascii, int nascii, const char *exact,
                       int nexact)
{
    pledgex__sb_add(&v->pending, ascii, (size_t)nascii);
    pledgex__sb_add(&v->pending, "", 1);
    pledgex__sb_add(&v->pending, exact, (size_t)nexact);
    pledgex__sb_add(&v->pending, "", 1);
}

/* Keeps a query token for query_expand. */
static int query_keep(px_shim *sh, const char *tok, int n, int start, int end)
{
    if (sh->nq == sh->capq) {
        int cap = sh->capq ? sh->capq * 2 : 16;
        qtok *g = realloc(sh->q, sizeof *g * (size_t)cap);
        if (!g)
            return SQLITE_NOMEM;
        sh->q = g;
        sh->capq = cap;
    }
    char *c = malloc((size_t)n + 1);
    if (!c)
        return SQLITE_NOMEM;
    memcpy(c, tok, (size_t)n);
    c[n] = 0;
    sh->q[sh->nq++] = (qtok){c, n, start, end};
    return SQLITE_OK;
}

/* One token out.  Documents: the snippet instance gives the accent-free
 * form too, at the same position; an indexing instance gives the exact
 * form only and notes the pair (slot: its memo entry, NULL when not
 * memoised).  Queries of an indexing instance are kept for expansion. */
static int emit(px_shim *sh, memo_entry *slot, int flags, const char *exact, int nexact,
                const char *ascii, int nascii, int start, int end)
{
    px_tokenizer *t = sh->t;
    if (sh->query && t->vocab)
        return query_keep(sh, exact, nexact, start, end);
    int rc = sh->xToken(sh->ctx, flags, exact, nexact, start, end);
    if (rc == SQLITE_OK && !sh->query && ascii) {
        if (!t->vocab)
            rc = sh->xToken(sh->ctx, FTS5_TOKEN_COLOCATED, ascii, nascii, start, end);
        else if (!slot || !slot->noted) {
            vocab_note(t->vocab, ascii, nascii, exact, nexact);
            if (slot)
                slot->noted = 1;
        }
    }
    return rc;
}

static int shim_token(void *vctx, int flags, const char *tok, int ntok, int start, int end)
{
    px_shim *sh = vctx;
    px_tokenizer *t = sh->t;
    if (is_ascii(tok, ntok)) { /* unicode61 lower-cased it: nothing to fold */
        if (sh->query && t->vocab)
            return query_keep(sh, tok, ntok, start, end);
        return sh->xToken(sh->ctx, flags, tok, ntok, start, end);
    }

    uint32_t h = 0;
    memo_entry *slot = NULL;
    if (t->slots && ntok <= PX_MEMO_MAX_TOKEN) {
        if (t->nentries * 2 >= t->nslots && t->nslots < PX_MEMO_MAX_SLOTS)
            memo_grow(t);
        h = hash_bytes(tok, ntok);
        slot = memo_slot(t, tok, ntok, h);
        if (slot->key)
            return emit(sh, slot, flags, slot->exact, slot->nexact, slot->ascii, slot->nascii,
                        start, end);
    }
    char *exact = pledgex__fold_exact(tok, (size_t)ntok);
    char *ascii = sh->query && !slot ? NULL : pledgex__fold_ascii(tok, (size_t)ntok);
    if (!exact || (!ascii && (!sh->query || slot))) {
        free(exact);
        free(ascii);
        return SQLITE_NOMEM;
    }
    size_t nexact = strlen(exact), nascii = ascii ? strlen(ascii) : 0;
    if (ascii && nascii == nexact && !memcmp(ascii, exact, nexact)) {
        free(ascii); /* an ASCII word typed in NFD, or a non-Latin word */
        ascii = NULL;
    }
    /* Below half full: the probe loop always meets an empty slot. */
    int keep = slot && t->nentries < PX_MEMO_MAX_ENTRIES && (t->nentries + 1) * 2 <= t->nslots &&
               nexact < 65536 && nascii < 65536;
    int rc = emit(sh, NULL, flags, exact, (int)nexact, ascii, (int)nascii, start, end);
    if (keep) {
        const char *k = arena_put(t, tok, (size_t)ntok);
        const char *x = k ? arena_put(t, exact, nexact) : NULL;
        const char *a = x && ascii ? arena_put(t, ascii, nascii) : NULL;
        if (x && (a || !ascii)) {
            slot->exact = x;
            slot->ascii = a;
            slot->nexact = (uint16_t)nexact;
            slot->nascii = (uint16_t)nascii;
            slot->nkey = (uint16_t)ntok;
            slot->hash = h;
            slot->noted = t->vocab && ascii && !sh->query; /* emit() noted it */
            slot->key = k; /* last: marks the slot used */
            t->nentries++;
        }
    }
    free(exact);
    free(ascii);
    return rc;
}

/* ------------------------------------------------- query expansion */

/* Whether the UTF-8 string s[0..n) has `chars` code points or more; *cut
 * receives the byte length of the first `chars`. */
static int utf8_prefix(const char *s, int n, int chars, int *cut)
{
    int i = 0;
    for (int c = 0; c < chars; c++) {
        if (i >= n)
            return 0;
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    *cut = i;
    return 1;
}

/* The exact forms of the index that fold to the ASCII word w (with
 * prefix: the beginnings, as long as w, of the forms whose folding starts
 * with w), other than w itself, into b as "form\0form\0...".  Returns an
 * SQLite code. */
static int read_variants(sqlite3 *db, const qtok *w, int prefix, pledgex_strbuf *b)
{
    sqlite3_stmt *st = NULL;
    char hi[256];
    if (prefix) {
        /* ascii >= w AND ascii < w with its last byte raised */
        if (w->n >= (int)sizeof hi || (unsigned char)w->text[w->n - 1] >= 0x7F)
            return SQLITE_OK;
        memcpy(hi, w->text, (size_t)w->n);
        hi[w->n - 1]++;
    }
    if (sqlite3_prepare_v2(db,
                           prefix ? "SELECT exact FROM fold_vocab WHERE ascii >= ?1 AND ascii < ?2"
                                  : "SELECT exact FROM fold_vocab WHERE ascii = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return SQLITE_OK; /* no fold_vocab yet: an index being migrated */
    sqlite3_bind_text(st, 1, w->text, w->n, SQLITE_STATIC);
    if (prefix)
        sqlite3_bind_text(st, 2, hi, w->n, SQLITE_STATIC);
    int nseen = 0;
    while (nseen < PX_MAX_VARIANTS && sqlite3_step(st) == SQLITE_ROW) {
        const char *x = (const char *)sqlite3_column_text(st, 0);
        int nx = sqlite3_column_bytes(st, 0);
        if (!x)
            continue;
        if (prefix) {
            /* Vietnamese letters are one code point in NFC, as their
             * folding is: the form's first w->n code points fold to w. */
            int cut;
            if (!utf8_prefix(x, nx, w->n, &cut))
                continue;
            char *f = pledgex__fold_ascii(x, (size_t)cut);
            int same = f && (int)strlen(f) == w->n && !memcmp(f, w->text, (size_t)w->n);
            free(f);
            if (!same)
                continue;
            nx = cut;
        }
        int dup = nx == w->n && !memcmp(x, w->text, (size_t)nx);
        for (size_t o = 0; o < b->len && !dup; o += strlen(b->s + o) + 1)
            dup = strlen(b->s + o) == (size_t)nx && !memcmp(b->s + o, x, (size_t)nx);
        if (dup)
            continue;
        pledgex__sb_add(b, x, (size_t)nx);
        pledgex__sb_add(b, "", 1);
        nseen++;
    }
    sqlite3_finalize(st);
    return b->oom ? SQLITE_NOMEM : SQLITE_OK;
}

/* The variants of w, from the connection's cache or read and kept there.
 * The cache holds while the database is unchanged (its data version): a
 * search re-parses its query for every window and, with a filter, for
 * every block it tests by rowid.  Returns the cache entry, or NULL when
 * out of memory (*rc set). */
static const px_variants *variants_of(pledgex_fts_vocab *v, const qtok *w, int prefix, int *rc)
{
    /* Commits by any connection change the data version; this
     * connection's own writes, committed or not, its change count. */
    unsigned int ver = 0;
    sqlite3_file_control(v->db, "main", SQLITE_FCNTL_DATA_VERSION, &ver);
    ver ^= (unsigned int)sqlite3_total_changes(v->db) * 2654435761u;
    if (ver != v->cache_version) {
        for (int i = 0; i < PX_VARIANT_CACHE; i++) {
            free(v->cache[i].word);
            free(v->cache[i].forms);
        }
        memset(v->cache, 0, sizeof v->cache);
        v->cache_version = ver;
    }
    uint32_t h = hash_bytes(w->text, w->n) ^ (uint32_t)prefix;
    px_variants *e = &v->cache[h % PX_VARIANT_CACHE];
    if (e->word && e->prefix == prefix && e->nword == w->n && !memcmp(e->word, w->text, (size_t)w->n))
        return e;
    pledgex_strbuf b = {0};
    *rc = read_variants(v->db, w, prefix, &b);
    char *word = malloc((size_t)w->n + 1);
    if (*rc != SQLITE_OK || !word) {
        free(b.s);
        free(word);
        if (*rc == SQLITE_OK)
            *rc = SQLITE_NOMEM;
        return NULL;
    }
    memcpy(word, w->text, (size_t)w->n);
    word[w->n] = 0;
    free(e->word);
    free(e->forms);
    *e = (px_variants){word, w->n, prefix, b.s, b.len};
    return e;
}

/* Emits the kept query tokens, each ASCII one followed by its accent
 * variants (the last one as a prefix when the string ends in '*') as
 * synonyms at its position. */
static int query_expand(px_shim *sh, int prefix)
{
    int rc = SQLITE_OK;
    for (int i = 0; rc == SQLITE_OK && i < sh->nq; i++) {
        const qtok *w = &sh->q[i];
        rc = sh->xToken(sh->ctx, 0, w->text, w->n, w->start, w->end);
        if (rc != SQLITE_OK || w->n == 0 || !is_ascii(w->text, w->n))
            continue;
        const px_variants *e = variants_of(sh->t->vocab, w, prefix && i == sh->nq - 1, &rc);
        for (size_t o = 0; e && rc == SQLITE_OK && o < e->nforms; o += strlen(e->forms + o) + 1)
            rc = sh->xToken(sh->ctx, FTS5_TOKEN_COLOCATED, e->forms + o,
                            (int)strlen(e->forms + o), w->start, w->end);
    }
    return rc;
}

/* ------------------------------------------------------ vocabulary */

int pledgex__fts_vocab_store(pledgex_fts_vocab *v)
{
    if (!v)
        return SQLITE_OK;
    if (v->pending.oom) { /* some pairs were lost: the batch must not commit */
        pledgex__fts_vocab_forget(v);
        return SQLITE_NOMEM;
    }
    if (!v->pending.len)
        return SQLITE_OK;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(v->db, "INSERT OR IGNORE INTO fold_vocab(ascii, exact) "
                                       "VALUES (?1, ?2)", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        /* No fold_vocab yet (an older schema being migrated): the
         * migration that creates it re-reads every block. */
        pledgex__fts_vocab_forget(v);
        return SQLITE_OK;
    }
    const char *p = v->pending.s, *end = p + v->pending.len;
    while (rc == SQLITE_OK && p < end) {
        const char *ascii = p, *exact = p + strlen(p) + 1;
        p = exact + strlen(exact) + 1;
        sqlite3_bind_text(st, 1, ascii, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, exact, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(v->db);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    pledgex__sb_clear(&v->pending);
    if (rc != SQLITE_OK)
        pledgex__fts_vocab_forget(v);
    return rc;
}

void pledgex__fts_vocab_forget(pledgex_fts_vocab *v)
{
    if (!v)
        return;
    pledgex__sb_clear(&v->pending);
    v->pending.oom = 0;
    for (px_tokenizer *t = v->instances; t; t = t->next)
        for (uint32_t i = 0; i < t->nslots; i++)
            t->slots[i].noted = 0;
}

static void vocab_free(void *p)
{
    pledgex_fts_vocab *v = p;
    if (!v)
        return;
    for (px_tokenizer *t = v->instances; t; t = t->next)
        t->vocab = NULL; /* instances outliving the connection's data */
    for (int i = 0; i < PX_VARIANT_CACHE; i++) {
        free(v->cache[i].word);
        free(v->cache[i].forms);
    }
    free(v->pending.s);
    free(v);
}

/* A tokenizer instance; vocab NULL for the snippet instance. */
static int tokenizer_new(fts5_api *api, pledgex_fts_vocab *vocab, const char **argv, int argc,
                         Fts5Tokenizer **out)
{
    px_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    /* Without the memo the tokenizer still works, only slower. */
    t->slots = calloc(PX_MEMO_MIN_SLOTS, sizeof *t->slots);
    t->nslots = t->slots ? PX_MEMO_MIN_SLOTS : 0;
    void *uctx = NULL;
    int rc = api->xFindTokenizer(api, "unicode61", &uctx, &t->base);
    if (rc == SQLITE_OK) {
        /* Keep diacritics: we fold them ourselves, đ included.  Combining
         * marks (Mn) are token characters, so NFD text stays one token.
         * Extra arguments (e.g. tokenchars) pass through. */
        const char *args[20];
        int n = 0;
        args[n++] = "remove_diacritics";
        args[n++] = "0";
        args[n++] = "categories";
        args[n++] = "L* N* Co Mn Mc";
        for (int i = 0; i < argc && n < 20; i++)
            args[n++] = argv[i];
        rc = t->base.xCreate(uctx, args, n, &t->inner);
    }
    if (rc != SQLITE_OK) {
        free(t->slots);
        free(t);
        return rc;
    }
    if (vocab) {
        t->vocab = vocab;
        t->next = vocab->instances;
        vocab->instances = t;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

/* FTS5's constructor: an indexing instance. */
static int px_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    pledgex_fts_vocab *v = user;
    return tokenizer_new(v->api, v, argv, argc, out);
}

static void px_delete(Fts5Tokenizer *p)
{
    px_tokenizer *t = (px_tokenizer *)p;
    if (t->vocab)
        for (px_tokenizer **l = &t->vocab->instances; *l; l = &(*l)->next)
            if (*l == t) {
                *l = t->next;
                break;
            }
    if (t->inner)
        t->base.xDelete(t->inner);
    for (arena_chunk *c = t->arena, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(t->slots);
    free(t);
}

static int px_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
                       int (*xToken)(void *, int, const char *, int, int, int))
{
    px_tokenizer *t = (px_tokenizer *)p;
    px_shim sh = {t, ctx, xToken, (flags & FTS5_TOKENIZE_QUERY) != 0, NULL, 0, 0};
    int rc = t->base.xTokenize(t->inner, &sh, flags, text, ntext, shim_token);
    if (rc == SQLITE_OK && sh.nq)
        rc = query_expand(&sh, (flags & FTS5_TOKENIZE_PREFIX) != 0);
    for (int i = 0; i < sh.nq; i++)
        free(sh.q[i].text);
    free(sh.q);
    return rc;
}

/* ---------------------------------------------------------- pxfeat()
 *
 * pxfeat(blocks_fts [, rowset [, with_length]]): what BM25 needs of one
 * matching row, as a blob of floats: the row's length in tokens (-1 when
 * with_length is 0: the caller reads it; see fill_lengths in
 * index_sqlite_search.c), the average row length of the
 * index, then per phrase of the query its term frequency with the lane
 * weights of the blocks_fts columns applied (body 1, head 2, weak 0.5),
 * and last how many pairs of consecutive phrases stand side by side
 * somewhere in the row (`Biên phòng` for `bien phong`, not `phong phú ...
 * chuyển biến`): the search ranks such rows up (PLEDGEX_FEAT_ADJACENT).
 * Why not FTS5's bm25(): it counts each phrase's documents over the whole
 * index (a full doclist scan per phrase per query, ~8 ms per common word at
 * 100k documents); the search ranks a window of candidates and takes the
 * document frequencies inside the window, from these features.  With a
 * rowset (a pointer bound as PLEDGEX_ROWSET_TYPE), rows outside it are NULL
 * at once, without reading their match. */

/* By column: body, head (titles, captions), weak (doubtful OCR); schema
 * migration 9 put body first. */
static const float lane_weight[] = {1.0f, 2.0f, 0.5f};

typedef struct feat_data {
    int nphrase;
    float avgdl;
    float *row;          /* 3 + nphrase */
    unsigned char *pair; /* pair[p]: phrases p and p + 1 seen side by side */
} feat_data;

static void feat_data_free(void *p)
{
    feat_data *f = p;
    if (f) {
        free(f->pair);
        free(f->row);
        free(f);
    }
}

static feat_data *feat_data_new(const Fts5ExtensionApi *api, Fts5Context *fts)
{
    feat_data *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->nphrase = api->xPhraseCount(fts);
    f->row = calloc((size_t)f->nphrase + 3, sizeof *f->row);
    f->pair = calloc((size_t)f->nphrase + 1, 1);
    if (!f->pair) {
        feat_data_free(f);
        return NULL;
    }
    if (!f->row) {
        feat_data_free(f);
        return NULL;
    }
    sqlite3_int64 rows = 0, tokens = 0;
    if (api->xRowCount(fts, &rows) == SQLITE_OK &&
        api->xColumnTotalSize(fts, -1, &tokens) == SQLITE_OK && rows > 0)
        f->avgdl = (float)tokens / (float)rows;
    if (f->avgdl <= 0)
        f->avgdl = 1;
    return f;
}

static void px_feat_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int nval, sqlite3_value **val)
{
    if (nval > 0) {
        const pledgex_rowset *set = sqlite3_value_pointer(val[0], PLEDGEX_ROWSET_TYPE);
        sqlite3_int64 id = api->xRowid(fts);
        if (set && (id < 0 || id >= set->n || !((set->bits[id / 64] >> (id % 64)) & 1))) {
            sqlite3_result_null(ctx);
            return;
        }
    }
    feat_data *f = api->xGetAuxdata(fts, 0);
    if (!f) {
        f = feat_data_new(api, fts);
        if (!f || api->xSetAuxdata(fts, f, feat_data_free) != SQLITE_OK) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    /* xColumnSize is a statement step on the docsize table per row, about
     * half of this function's cost: a caller ranking many rows reads the
     * lengths in one range scan instead. */
    int with_length = nval < 2 || sqlite3_value_type(val[1]) == SQLITE_NULL ||
                      sqlite3_value_int(val[1]) != 0;
    int ninst = 0, len = -1;
    if (api->xInstCount(fts, &ninst) != SQLITE_OK ||
        (with_length && api->xColumnSize(fts, -1, &len) != SQLITE_OK)) {
        sqlite3_result_error(ctx, "pxfeat: cannot read the match", -1);
        return;
    }
    memset(f->row, 0, sizeof *f->row * ((size_t)f->nphrase + 3));
    memset(f->pair, 0, (size_t)f->nphrase + 1);
    f->row[0] = (float)len;
    f->row[1] = f->avgdl;
    float adjacent = 0;
    for (int i = 0; i < ninst; i++) {
        int ph, col, off;
        if (api->xInst(fts, i, &ph, &col, &off) != SQLITE_OK || ph < 0 || ph >= f->nphrase ||
            col < 0 || col >= 3)
            continue;
        f->row[2 + ph] += lane_weight[col];
        /* Instances come in position order: the next phrase one token on
         * is among the next few (several phrases may share a position). */
        if (ph + 1 >= f->nphrase || f->pair[ph])
            continue;
        for (int j = i + 1; j < ninst; j++) {
            int ph2, col2, off2;
            if (api->xInst(fts, j, &ph2, &col2, &off2) != SQLITE_OK || col2 != col ||
                off2 > off + 1)
                break;
            if (ph2 == ph + 1 && off2 == off + 1) {
                f->pair[ph] = 1;
                adjacent += 1;
                break;
            }
        }
    }
    f->row[2 + f->nphrase] = adjacent;
    sqlite3_result_blob(ctx, f->row, (int)(sizeof *f->row * ((size_t)f->nphrase + 3)),
                        SQLITE_TRANSIENT);
}

/* -------------------------------------------------------- pxsnippet()
 *
 * pxsnippet(text, words): up to SNIPPET_TOKENS tokens of text around the
 * most query words, each matched word between \x02 and \x03, "…" where text
 * was cut.  `words` are the query's words as pledgex__query_parse gives
 * them (folded; a trailing '*' makes a prefix).  A word matches a token
 * whose exact or accent-free form equals it, so `thi dua` marks `thì dưa`.
 * Why not FTS5's snippet(): it runs the whole query again for each hit,
 * and a prefix query (`giao ư*`) merges every matching doclist each time. */

#define SNIPPET_TOKENS 16
#define SNIPPET_PAIR 2
#define SNIPPET_MAX_WORDS 32

typedef struct snip_word {
    char text[64];
    int n, prefix;
} snip_word;

typedef struct snip_tok {
    int start, end;
    int hit; /* 1 + the index of the query word it matches, 0 for none */
} snip_tok;

typedef struct snip_state {
    snip_word *words;
    int nwords;
    snip_tok *toks;
    int ntoks, cap;
    int oom;
} snip_state;

static int word_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    snip_state *st = ctx;
    (void)start;
    (void)end;
    if ((flags & FTS5_TOKEN_COLOCATED) || st->nwords >= SNIPPET_MAX_WORDS || n >= 64)
        return SQLITE_OK;
    snip_word *w = &st->words[st->nwords++];
    memcpy(w->text, tok, (size_t)n);
    w->n = n;
    w->prefix = 0;
    return SQLITE_OK;
}

/* 1 + the index of the first query word after `after` (then from the
 * start) that tok matches, or 0.  Looking after the previous token's word
 * first lets "thi đua thi" pair each token with its own query word. */
static int word_matches(const snip_state *st, const char *tok, int n, int after)
{
    for (int k = 0; k < st->nwords; k++) {
        int i = (after + k) % st->nwords;
        const snip_word *w = &st->words[i];
        if (w->prefix ? n >= w->n && !memcmp(tok, w->text, (size_t)w->n)
                      : n == w->n && !memcmp(tok, w->text, (size_t)n))
            return i + 1;
    }
    return 0;
}

static int text_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    snip_state *st = ctx;
    if (!(flags & FTS5_TOKEN_COLOCATED)) {
        if (st->ntoks == st->cap) {
            int cap = st->cap ? st->cap * 2 : 256;
            snip_tok *g = realloc(st->toks, sizeof *g * (size_t)cap);
            if (!g) {
                st->oom = 1;
                return SQLITE_NOMEM;
            }
            st->toks = g;
            st->cap = cap;
        }
        st->toks[st->ntoks++] = (snip_tok){start, end, 0};
    }
    if (st->ntoks > 0 && !st->toks[st->ntoks - 1].hit) {
        int prev = st->ntoks > 1 ? st->toks[st->ntoks - 2].hit : 0;
        st->toks[st->ntoks - 1].hit = word_matches(st, tok, n, prev);
    }
    return SQLITE_OK;
}

/* Whether tokens i - 1 and i are consecutive query words, in order. */
static int snip_pair(const snip_tok *t, int i)
{
    return i > 0 && t[i].hit && t[i - 1].hit && t[i].hit == t[i - 1].hit + 1;
}

/* What token i adds to a window that ends with it: 1 for a match, and
 * SNIPPET_PAIR more when it follows the previous query word: two words
 * side by side as typed outweigh three scattered ones. */
static int snip_weight(const snip_tok *t, int i)
{
    return (t[i].hit != 0) + SNIPPET_PAIR * snip_pair(t, i);
}

static void px_snippet_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    px_tokenizer *t = sqlite3_user_data(ctx);
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    const char *words = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
    if (!text) {
        sqlite3_result_null(ctx);
        return;
    }
    int ntext = sqlite3_value_bytes(argv[0]);
    snip_word w[SNIPPET_MAX_WORDS];
    snip_state st = {w, 0, NULL, 0, 0, 0};
    /* The query words, through the same tokenizer ("45/kh" is 45 and kh). */
    for (const char *p = words ? words : ""; *p;) {
        size_t n = strcspn(p, " ");
        int prefix = n > 0 && p[n - 1] == '*';
        int before = st.nwords;
        px_tokenize((Fts5Tokenizer *)t, &st, FTS5_TOKENIZE_DOCUMENT, p,
                    (int)(n - (size_t)prefix), word_token);
        if (prefix && st.nwords > before)
            w[st.nwords - 1].prefix = 1;
        p += n;
        while (*p == ' ')
            p++;
    }
    if (px_tokenize((Fts5Tokenizer *)t, &st, FTS5_TOKENIZE_DOCUMENT, text, ntext, text_token) !=
            SQLITE_OK ||
        st.oom) {
        free(st.toks);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    /* The window of SNIPPET_TOKENS tokens with the most matches, query
     * words side by side in the query's order counting more (snip_weight):
     * the snippet of `bien phong` shows `Biên phòng`. */
    int best = 0, best_hits = -1, hits = 0;
    for (int i = 0; i < st.ntoks; i++) {
        hits += snip_weight(st.toks, i);
        if (i >= SNIPPET_TOKENS) {
            /* the token leaving takes its pair with the next one along */
            hits -= snip_weight(st.toks, i - SNIPPET_TOKENS);
            hits -= SNIPPET_PAIR * snip_pair(st.toks, i - SNIPPET_TOKENS + 1);
        }
        int first = i >= SNIPPET_TOKENS - 1 ? i - SNIPPET_TOKENS + 1 : 0;
        if (hits > best_hits) {
            best_hits = hits;
            best = first;
        }
    }
    /* Matches in the middle of the window, not at an edge: the words
     * around them say what they are about. */
    int lo = -1, hi = -1;
    for (int i = best; i < best + SNIPPET_TOKENS && i < st.ntoks; i++)
        if (st.toks[i].hit) {
            if (lo < 0)
                lo = i;
            hi = i;
        }
    if (lo >= 0) {
        int start = (lo + hi) / 2 - SNIPPET_TOKENS / 2;
        if (start > st.ntoks - SNIPPET_TOKENS)
            start = st.ntoks - SNIPPET_TOKENS;
        if (start > lo)
            start = lo;
        if (start + SNIPPET_TOKENS - 1 < hi)
            start = hi - SNIPPET_TOKENS + 1;
        best = start < 0 ? 0 : start;
    }
    int last = best + SNIPPET_TOKENS - 1;
    if (last >= st.ntoks)
        last = st.ntoks - 1;
    sqlite3_str *out = sqlite3_str_new(NULL);
    int from = best == 0 ? 0 : st.toks[best].start;
    if (best > 0)
        sqlite3_str_appendall(out, "…");
    for (int i = best; i <= last; i++) {
        sqlite3_str_append(out, text + from, st.toks[i].start - from);
        if (st.toks[i].hit)
            sqlite3_str_appendchar(out, 1, '\x02');
        sqlite3_str_append(out, text + st.toks[i].start, st.toks[i].end - st.toks[i].start);
        if (st.toks[i].hit)
            sqlite3_str_appendchar(out, 1, '\x03');
        from = st.toks[i].end;
    }
    if (st.ntoks == 0)
        sqlite3_str_append(out, text, ntext < 200 ? ntext : 200);
    else if (last < st.ntoks - 1)
        sqlite3_str_appendall(out, "…");
    else
        sqlite3_str_append(out, text + from, ntext - from);
    free(st.toks);
    int len = sqlite3_str_length(out);
    char *res = sqlite3_str_finish(out);
    if (!res) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_text(ctx, res, len, sqlite3_free);
}

static void snippet_tokenizer_free(void *p)
{
    px_delete(p);
}

int pledgex__fts_register(sqlite3 *db, pledgex_fts_vocab **vocab, char *err, size_t errlen)
{
    fts5_api *api = fts5_api_of(db);
    if (!api) {
        snprintf(err, errlen, "this SQLite has no FTS5");
        return SQLITE_ERROR;
    }
    pledgex_fts_vocab *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return SQLITE_NOMEM;
    }
    v->api = api;
    v->db = db;
    fts5_tokenizer tok = {px_create, px_delete, px_tokenize};
    /* Once registered, SQLite frees v (vocab_free) when the connection
     * closes; a failed registration leaves it to us. */
    int rc = api->xCreateTokenizer(api, "pledgex", v, &tok, vocab_free);
    if (rc != SQLITE_OK) {
        vocab_free(v);
        snprintf(err, errlen, "cannot register the pledgex tokenizer: %s", sqlite3_errstr(rc));
        return rc;
    }
    if (vocab)
        *vocab = v;
    rc = api->xCreateFunction(api, "pxfeat", NULL, px_feat_fn, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot register pxfeat(): %s", sqlite3_errstr(rc));
        return rc;
    }
    /* pxsnippet owns a tokenizer instance (with its memo) for the life of
     * the connection; SQLite calls snippet_tokenizer_free at close. */
    Fts5Tokenizer *st = NULL;
    rc = tokenizer_new(api, NULL, NULL, 0, &st);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "pxsnippet", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                        st, px_snippet_fn, NULL, NULL, snippet_tokenizer_free);
    if (rc != SQLITE_OK)
        snprintf(err, errlen, "cannot register pxsnippet(): %s", sqlite3_errstr(rc));
    return rc;
}
