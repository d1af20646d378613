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
 */
#include <config.h>

#include "fts_tokenizer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textnorm.h"

/* Memo size: slots must be a power of two above the entry cap; 64k
 * entries of ~60 bytes each stay under 8 MB per tokenizer instance. */
#define PX_MEMO_SLOTS (1u << 17)
#define PX_MEMO_MAX_ENTRIES 65536u
#define PX_MEMO_MAX_TOKEN 64 /* longer tokens are not memoised */
#define PX_ARENA_CHUNK (256u * 1024u)

typedef struct memo_entry {
    const char *key;   /* raw token, in the arena          */
    const char *exact; /* exact form, in the arena         */
    const char *ascii; /* accent-free form; NULL = exact   */
    uint32_t hash;
    uint16_t nkey, nexact, nascii;
} memo_entry;

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used;
    char data[];
} arena_chunk;

typedef struct px_tokenizer {
    fts5_tokenizer base;  /* unicode61's methods */
    Fts5Tokenizer *inner; /* unicode61 instance  */
    memo_entry *slots;    /* PX_MEMO_SLOTS, or NULL when the memo is off */
    size_t nentries;
    arena_chunk *arena;
} px_tokenizer;

typedef struct px_shim {
    px_tokenizer *t;
    void *ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int query;
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
    uint32_t i = h & (PX_MEMO_SLOTS - 1);
    for (;;) {
        memo_entry *e = &t->slots[i];
        if (!e->key || (e->hash == h && e->nkey == ntok && !memcmp(e->key, tok, (size_t)ntok)))
            return e;
        i = (i + 1) & (PX_MEMO_SLOTS - 1);
    }
}

static int emit(px_shim *sh, int flags, const char *exact, int nexact, const char *ascii,
                int nascii, int start, int end)
{
    int rc = sh->xToken(sh->ctx, flags, exact, nexact, start, end);
    if (rc == SQLITE_OK && !sh->query && ascii)
        rc = sh->xToken(sh->ctx, FTS5_TOKEN_COLOCATED, ascii, nascii, start, end);
    return rc;
}

static int shim_token(void *vctx, int flags, const char *tok, int ntok, int start, int end)
{
    px_shim *sh = vctx;
    px_tokenizer *t = sh->t;
    if (is_ascii(tok, ntok)) /* unicode61 lower-cased it: nothing to fold */
        return sh->xToken(sh->ctx, flags, tok, ntok, start, end);

    uint32_t h = 0;
    memo_entry *slot = NULL;
    if (t->slots && ntok <= PX_MEMO_MAX_TOKEN) {
        h = hash_bytes(tok, ntok);
        slot = memo_slot(t, tok, ntok, h);
        if (slot->key)
            return emit(sh, flags, slot->exact, slot->nexact, slot->ascii, slot->nascii, start,
                        end);
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
    int rc = emit(sh, flags, exact, (int)nexact, ascii, (int)nascii, start, end);
    if (slot && t->nentries < PX_MEMO_MAX_ENTRIES && nexact < 65536 && nascii < 65536) {
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
            slot->key = k; /* last: marks the slot used */
            t->nentries++;
        }
    }
    free(exact);
    free(ascii);
    return rc;
}

static int px_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    fts5_api *api = user;
    px_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    /* Without the memo the tokenizer still works, only slower. */
    t->slots = calloc(PX_MEMO_SLOTS, sizeof *t->slots);
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
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void px_delete(Fts5Tokenizer *p)
{
    px_tokenizer *t = (px_tokenizer *)p;
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
    px_shim sh = {t, ctx, xToken, (flags & FTS5_TOKENIZE_QUERY) != 0};
    return t->base.xTokenize(t->inner, &sh, flags, text, ntext, shim_token);
}

int pledgex__fts_register(sqlite3 *db, char *err, size_t errlen)
{
    fts5_api *api = fts5_api_of(db);
    if (!api) {
        snprintf(err, errlen, "this SQLite has no FTS5");
        return SQLITE_ERROR;
    }
    fts5_tokenizer tok = {px_create, px_delete, px_tokenize};
    int rc = api->xCreateTokenizer(api, "pledgex", api, &tok, NULL);
    if (rc != SQLITE_OK)
        snprintf(err, errlen, "cannot register the pledgex tokenizer: %s", sqlite3_errstr(rc));
    return rc;
}
