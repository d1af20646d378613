/*
 * fts_tokenizer.c -- see fts_tokenizer.h.
 */
#include <config.h>

#include "fts_tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textnorm.h"

typedef struct px_tokenizer {
    fts5_tokenizer base;   /* unicode61's methods */
    Fts5Tokenizer *inner;  /* unicode61 instance  */
} px_tokenizer;

typedef struct px_shim {
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

static int shim_token(void *vctx, int flags, const char *tok, int ntok, int start, int end)
{
    px_shim *sh = vctx;
    if (is_ascii(tok, ntok)) /* fast path: nothing to fold */
        return sh->xToken(sh->ctx, flags, tok, ntok, start, end);
    char *exact = pledgex__fold_exact(tok, (size_t)ntok);
    if (!exact)
        return SQLITE_NOMEM;
    int rc = sh->xToken(sh->ctx, flags, exact, (int)strlen(exact), start, end);
    if (rc == SQLITE_OK && !sh->query) {
        char *ascii = pledgex__fold_ascii(tok, (size_t)ntok);
        if (!ascii) {
            free(exact);
            return SQLITE_NOMEM;
        }
        if (strcmp(ascii, exact) != 0)
            rc = sh->xToken(sh->ctx, FTS5_TOKEN_COLOCATED, ascii, (int)strlen(ascii), start,
                            end);
        free(ascii);
    }
    free(exact);
    return rc;
}

static int px_create(void *user, const char **argv, int argc, Fts5Tokenizer **out)
{
    fts5_api *api = user;
    px_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    void *uctx = NULL;
    int rc = api->xFindTokenizer(api, "unicode61", &uctx, &t->base);
    if (rc == SQLITE_OK) {
        /* Keep diacritics: we fold them ourselves, đ included.  Extra
         * arguments (e.g. tokenchars) pass through. */
        const char *args[16];
        int n = 0;
        args[n++] = "remove_diacritics";
        args[n++] = "0";
        for (int i = 0; i < argc && n < 16; i++)
            args[n++] = argv[i];
        rc = t->base.xCreate(uctx, args, n, &t->inner);
    }
    if (rc != SQLITE_OK) {
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
    free(t);
}

static int px_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
                       int (*xToken)(void *, int, const char *, int, int, int))
{
    px_tokenizer *t = (px_tokenizer *)p;
    px_shim sh = {ctx, xToken, (flags & FTS5_TOKENIZE_QUERY) != 0};
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
