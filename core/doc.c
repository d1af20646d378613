/*
 * doc.c -- the document record: construction, accessors, serialisation for
 * the pipe between a worker process and the index writer.
 */
#include <config.h>

#include "doc.h"

#include <stdlib.h>
#include <string.h>

pledgex_doc *pledgex__doc_new(const char *address)
{
    pledgex_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    if (address && !(doc->address = strdup(address))) {
        free(doc);
        return NULL;
    }
    return doc;
}

void pledgex__doc_free(pledgex_doc **pdoc)
{
    if (!pdoc || !*pdoc)
        return;
    pledgex_doc *doc = *pdoc;
    free(doc->address);
    free(doc->parent);
    free(doc->name);
    free(doc->sha256);
    free(doc->mime);
    free(doc->plugin);
    free(doc->error);
    for (size_t i = 0; i < doc->nblocks; i++) {
        free(doc->blocks[i].kind);
        free(doc->blocks[i].text);
    }
    free(doc->blocks);
    for (size_t i = 0; i < doc->nattrs; i++) {
        free(doc->attrs[i].key);
        free(doc->attrs[i].value);
    }
    free(doc->attrs);
    for (size_t i = 0; i < doc->nentities; i++) {
        free(doc->entities[i].type);
        free(doc->entities[i].text);
        free(doc->entities[i].value);
        free(doc->entities[i].role);
    }
    free(doc->entities);
    free(doc);
    *pdoc = NULL;
}

int pledgex__doc_set(char **field, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return PLEDGEX_FATAL;
    free(*field);
    *field = copy;
    return PLEDGEX_OK;
}

/* Makes room for one more element of `size` bytes in *arr. */
static int reserve(void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return PLEDGEX_OK;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, ncap * size);
    if (!p)
        return PLEDGEX_FATAL;
    *arr = p;
    *cap = ncap;
    return PLEDGEX_OK;
}

static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

int pledgex__doc_add_block(pledgex_doc *doc, const char *kind, int page, const char *text,
                           double confidence, unsigned flags)
{
    if (reserve((void **)&doc->blocks, doc->nblocks, &doc->cap_blocks, sizeof *doc->blocks))
        return PLEDGEX_FATAL;
    int oom = 0;
    pledgex_doc_block b = {dup_or_null(kind ? kind : "text", &oom), page,
                           dup_or_null(text ? text : "", &oom), confidence, flags};
    if (oom) {
        free(b.kind);
        free(b.text);
        return PLEDGEX_FATAL;
    }
    doc->blocks[doc->nblocks++] = b;
    return PLEDGEX_OK;
}

int pledgex__doc_add_attr(pledgex_doc *doc, const char *key, const char *value)
{
    if (!key)
        return PLEDGEX_FAILED;
    if (reserve((void **)&doc->attrs, doc->nattrs, &doc->cap_attrs, sizeof *doc->attrs))
        return PLEDGEX_FATAL;
    int oom = 0;
    pledgex_doc_attr a = {dup_or_null(key, &oom), dup_or_null(value ? value : "", &oom)};
    if (oom) {
        free(a.key);
        free(a.value);
        return PLEDGEX_FATAL;
    }
    doc->attrs[doc->nattrs++] = a;
    return PLEDGEX_OK;
}

const char *pledgex__doc_attr(const pledgex_doc *doc, const char *key)
{
    for (size_t i = 0; i < doc->nattrs; i++)
        if (!strcmp(doc->attrs[i].key, key))
            return doc->attrs[i].value;
    return NULL;
}

int pledgex__doc_add_entity(pledgex_doc *doc, const char *type, const char *text,
                            const char *value, const char *role)
{
    if (!type)
        return PLEDGEX_FAILED;
    if (reserve((void **)&doc->entities, doc->nentities, &doc->cap_entities,
                sizeof *doc->entities))
        return PLEDGEX_FATAL;
    int oom = 0;
    pledgex_doc_entity e = {dup_or_null(type, &oom), dup_or_null(text, &oom),
                            dup_or_null(value, &oom), dup_or_null(role, &oom)};
    if (oom) {
        free(e.type);
        free(e.text);
        free(e.value);
        free(e.role);
        return PLEDGEX_FATAL;
    }
    doc->entities[doc->nentities++] = e;
    return PLEDGEX_OK;
}

char *pledgex__doc_text(const pledgex_doc *doc)
{
    size_t len = 1;
    for (size_t i = 0; i < doc->nblocks; i++)
        len += strlen(doc->blocks[i].text) + 2;
    char *s = malloc(len), *w = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < doc->nblocks; i++) {
        size_t k = strlen(doc->blocks[i].text);
        if (i > 0) {
            memcpy(w, "\n\n", 2);
            w += 2;
        }
        memcpy(w, doc->blocks[i].text, k);
        w += k;
    }
    *w = 0;
    return s;
}

/* ------------------------------------------------------------ serialisation
 * Format: a sequence of fields, each a one-byte tag and a payload.  Strings
 * are a 4-byte length (0xFFFFFFFF = NULL) and the bytes; numbers are 8-byte
 * little-endian-as-stored (same host both sides: a pipe between a parent and
 * its forked child).  No pointers cross the pipe. */

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
    int oom;
} buf;

static void put(buf *b, const void *data, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t ncap = (b->len + n) * 2 + 256;
        unsigned char *p = realloc(b->p, ncap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_u64(buf *b, uint64_t v)
{
    put(b, &v, sizeof v);
}

static void put_str(buf *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : 0xFFFFFFFFu;
    put(b, &n, sizeof n);
    if (s)
        put(b, s, n);
}

int pledgex__doc_serialize(const pledgex_doc *doc, unsigned char **out, size_t *len)
{
    buf b = {0};
    put_str(&b, doc->address);
    put_str(&b, doc->parent);
    put_str(&b, doc->name);
    put_str(&b, doc->sha256);
    put_str(&b, doc->mime);
    put_str(&b, doc->plugin);
    put_u64(&b, (uint64_t)(int64_t)doc->status);
    put_str(&b, doc->error);
    put_u64(&b, doc->size);
    put_u64(&b, (uint64_t)doc->mtime);
    put_u64(&b, (uint64_t)(int64_t)doc->depth);
    put_u64(&b, doc->task);
    put_u64(&b, doc->nblocks);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const pledgex_doc_block *k = &doc->blocks[i];
        put_str(&b, k->kind);
        put_u64(&b, (uint64_t)(int64_t)k->page);
        put_str(&b, k->text);
        put(&b, &k->confidence, sizeof k->confidence);
        put_u64(&b, k->flags);
    }
    put_u64(&b, doc->nattrs);
    for (size_t i = 0; i < doc->nattrs; i++) {
        put_str(&b, doc->attrs[i].key);
        put_str(&b, doc->attrs[i].value);
    }
    put_u64(&b, doc->nentities);
    for (size_t i = 0; i < doc->nentities; i++) {
        put_str(&b, doc->entities[i].type);
        put_str(&b, doc->entities[i].text);
        put_str(&b, doc->entities[i].value);
        put_str(&b, doc->entities[i].role);
    }
    if (b.oom) {
        free(b.p);
        return PLEDGEX_FATAL;
    }
    *out = b.p;
    *len = b.len;
    return PLEDGEX_OK;
}

typedef struct reader {
    const unsigned char *p;
    size_t len, pos;
    int bad;
} reader;

static void get(reader *r, void *dst, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p + r->pos, n);
    r->pos += n;
}

static uint64_t get_u64(reader *r)
{
    uint64_t v;
    get(r, &v, sizeof v);
    return v;
}

static char *get_str(reader *r)
{
    uint32_t n;
    get(r, &n, sizeof n);
    if (r->bad || n == 0xFFFFFFFFu)
        return NULL;
    if (r->len - r->pos < n) {
        r->bad = 1;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    memcpy(s, r->p + r->pos, n);
    s[n] = 0;
    r->pos += n;
    return s;
}

int pledgex__doc_deserialize(const unsigned char *data, size_t len, pledgex_doc **out)
{
    reader r = {data, len, 0, 0};
    pledgex_doc *doc = pledgex__doc_new(NULL);
    if (!doc)
        return PLEDGEX_FATAL;
    doc->address = get_str(&r);
    doc->parent = get_str(&r);
    doc->name = get_str(&r);
    doc->sha256 = get_str(&r);
    doc->mime = get_str(&r);
    doc->plugin = get_str(&r);
    doc->status = (int)(int64_t)get_u64(&r);
    doc->error = get_str(&r);
    doc->size = get_u64(&r);
    doc->mtime = (int64_t)get_u64(&r);
    doc->depth = (int)(int64_t)get_u64(&r);
    doc->task = get_u64(&r);
    uint64_t n = get_u64(&r);
    for (uint64_t i = 0; i < n && !r.bad; i++) {
        char *kind = get_str(&r);
        int page = (int)(int64_t)get_u64(&r);
        char *text = get_str(&r);
        double conf;
        get(&r, &conf, sizeof conf);
        unsigned flags = (unsigned)get_u64(&r);
        if (!r.bad && pledgex__doc_add_block(doc, kind, page, text, conf, flags))
            r.bad = 1;
        free(kind);
        free(text);
    }
    n = get_u64(&r);
    for (uint64_t i = 0; i < n && !r.bad; i++) {
        char *k = get_str(&r), *v = get_str(&r);
        if (!r.bad && pledgex__doc_add_attr(doc, k, v))
            r.bad = 1;
        free(k);
        free(v);
    }
    n = get_u64(&r);
    for (uint64_t i = 0; i < n && !r.bad; i++) {
        char *t = get_str(&r), *x = get_str(&r), *v = get_str(&r), *o = get_str(&r);
        if (!r.bad && pledgex__doc_add_entity(doc, t, x, v, o))
            r.bad = 1;
        free(t);
        free(x);
        free(v);
        free(o);
    }
    if (r.bad || !doc->address) {
        pledgex__doc_free(&doc);
        return PLEDGEX_FAILED;
    }
    *out = doc;
    return PLEDGEX_OK;
}
