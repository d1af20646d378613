/*
 * xphrase.c -- phrase tables indexed by first word (see xphrase.h).
 */
#include <config.h>

#include "xphrase.h"

#include <stdlib.h>
#include <string.h>

struct px_phrase_index {
    uint32_t mask;  /* buckets - 1 (a power of two)                   */
    size_t *head;   /* bucket -> first entry, or PX_PHRASE_END        */
    size_t *next;   /* entry -> next entry of its bucket, in order    */
    uint32_t *hash; /* entry -> hash of its first word                */
};

uint32_t pledgex__xphrase_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static const char *phrase_of(const void *base, size_t k, size_t stride, size_t offset)
{
    const char *const *p = (const char *const *)((const char *)base + k * stride + offset);
    return *p;
}

px_phrase_index *pledgex__xphrase_new(const void *base, size_t n, size_t stride, size_t offset)
{
    px_phrase_index *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    size_t buckets = 16;
    while (buckets < 2 * n)
        buckets *= 2;
    x->mask = (uint32_t)(buckets - 1);
    x->head = malloc(buckets * sizeof *x->head);
    x->next = malloc((n ? n : 1) * sizeof *x->next);
    x->hash = malloc((n ? n : 1) * sizeof *x->hash);
    if (!x->head || !x->next || !x->hash) {
        pledgex__xphrase_free(x);
        return NULL;
    }
    for (size_t b = 0; b < buckets; b++)
        x->head[b] = PX_PHRASE_END;
    /* Pushed from the last entry to the first: each chain is in table
     * order. */
    for (size_t k = n; k-- > 0;) {
        const char *p = phrase_of(base, k, stride, offset);
        const char *sp = p ? strchr(p, ' ') : NULL;
        size_t len = p ? (sp ? (size_t)(sp - p) : strlen(p)) : 0;
        uint32_t h = pledgex__xphrase_hash(p ? p : "", len);
        x->hash[k] = h;
        x->next[k] = x->head[h & x->mask];
        x->head[h & x->mask] = k;
    }
    return x;
}

void pledgex__xphrase_free(px_phrase_index *x)
{
    if (!x)
        return;
    free(x->head);
    free(x->next);
    free(x->hash);
    free(x);
}

size_t pledgex__xphrase_first(const px_phrase_index *x, const px_text *t, size_t i)
{
    if (i >= t->nw)
        return PX_PHRASE_END;
    uint32_t h = t->w[i].h;
    size_t k = x->head[h & x->mask];
    while (k != PX_PHRASE_END && x->hash[k] != h)
        k = x->next[k];
    return k;
}

size_t pledgex__xphrase_next(const px_phrase_index *x, size_t k)
{
    uint32_t h = x->hash[k];
    k = x->next[k];
    while (k != PX_PHRASE_END && x->hash[k] != h)
        k = x->next[k];
    return k;
}

const px_phrase_index *pledgex__xphrase_once(px_phrase_index *_Atomic *slot, const void *base,
                                             size_t n, size_t stride, size_t offset)
{
    px_phrase_index *x = atomic_load_explicit(slot, memory_order_acquire);
    if (x)
        return x;
    px_phrase_index *mine = pledgex__xphrase_new(base, n, stride, offset);
    if (!mine)
        return NULL;
    px_phrase_index *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(slot, &expected, mine, memory_order_acq_rel,
                                                memory_order_acquire))
        return mine;
    pledgex__xphrase_free(mine); /* another thread built it first */
    return expected;
}
