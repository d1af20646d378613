/*
 * ugroup.c -- grouping unit mentions under one canonical name and emitting
 * the unit, signatory and person entities.
 *
 * Mentions group by key (accent-free words, so Ủy/Uỷ, Toà/Tòa, CAPITALS and
 * OCR-damaged accents fall together; UBND was expanded on reading).  A
 * mention without its place ("Công an tỉnh") joins the one with it ("Công
 * an tỉnh Nghệ An") when the document names exactly one such place.  The
 * canonical spelling is the gazetteer's, else the best-written mention:
 * running text over CAPITALS, then the longest (accents intact).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "xctx.h"

static int find(int *p, int i)
{
    while (p[i] != i)
        i = p[i] = p[p[i]];
    return i;
}

/* Is b better written than a? */
static int better(const px_ctx *cx, size_t a, size_t b)
{
    const px_unit *ua = &cx->units[a], *ub = &cx->units[b];
    if (ub->quality != ua->quality)
        return ub->quality > ua->quality;
    size_t la = strlen(ua->display), lb = strlen(ub->display);
    if (la != lb)
        return lb > la;
    return 0;
}

static void merge_placeless(px_ctx *cx, int *p)
{
    size_t n = cx->nunits;
    for (size_t a = 0; a < n; a++) {
        px_unit *A = &cx->units[a];
        if (strcmp(A->key, A->key_lvl))
            continue; /* has its place already */
        int a_has_level = strcmp(A->key_lvl, A->key_base) != 0;
        const char *with_place = NULL, *with_level = NULL;
        size_t wp = 0, wl = 0;
        int nplace = 0, nlevel = 0;
        for (size_t b = 0; b < n; b++) {
            px_unit *B = &cx->units[b];
            if (!strcmp(B->key, A->key) || strcmp(B->key_base, A->key_base))
                continue;
            if (a_has_level && strcmp(B->key_lvl, A->key_lvl))
                continue;
            if (strcmp(B->key, B->key_lvl)) {
                if (!with_place)
                    with_place = B->key, wp = b, nplace = 1;
                else if (strcmp(with_place, B->key))
                    nplace = 2;
            } else if (!a_has_level) {
                if (!with_level)
                    with_level = B->key, wl = b, nlevel = 1;
                else if (strcmp(with_level, B->key))
                    nlevel = 2;
            }
        }
        if (nplace == 1)
            p[find(p, (int)a)] = find(p, (int)wp);
        else if (!nplace && nlevel == 1)
            p[find(p, (int)a)] = find(p, (int)wl);
    }
}

/* Words in a key. */
static size_t key_words(const char *k)
{
    size_t n = *k != 0;
    for (; *k; k++)
        n += *k == ' ';
    return n;
}

/* In running text a name stops at its first lower-case word: "Khối thi
 * đua Kinh tế tổng hợp" is read as "Khối thi đua Kinh", while the CAPITALS
 * heading of the same page gives it whole.  A mixed-case mention whose key
 * (two words or more: "khoi kinh") is the start of exactly one longer name in the
 * document (and not that name without its place, which merge_placeless
 * handles) becomes a mention of the longer name.  Returns 0, or -1 when
 * out of memory. */
static int extend_truncated(px_ctx *cx)
{
    size_t n = cx->nunits;
    for (size_t a = 0; a < n; a++) {
        px_unit *A = &cx->units[a];
        if (A->quality != 2 || key_words(A->key) < 2)
            continue;
        size_t la = strlen(A->key);
        long found = -1;
        int several = 0;
        for (size_t b = 0; b < n && !several; b++) {
            const px_unit *B = &cx->units[b];
            if (strncmp(B->key, A->key, la) || B->key[la] != ' ' || !strcmp(B->key_lvl, A->key))
                continue;
            if (found >= 0 && strcmp(cx->units[found].key, B->key))
                several = 1;
            else
                found = (long)b;
        }
        if (found < 0 || several)
            continue;
        const px_unit *B = &cx->units[found];
        char *display = strdup(B->display), *key = strdup(B->key);
        char *key_lvl = strdup(B->key_lvl), *key_base = strdup(B->key_base);
        char *level = B->level ? strdup(B->level) : NULL;
        if (!display || !key || !key_lvl || !key_base || (B->level && !level)) {
            free(display);
            free(key);
            free(key_lvl);
            free(key_base);
            free(level);
            return -1;
        }
        free(A->display);
        free(A->key);
        free(A->key_lvl);
        free(A->key_base);
        free(A->level);
        A->display = display;
        A->key = key;
        A->key_lvl = key_lvl;
        A->key_base = key_base;
        A->level = level;
        A->quality = B->quality;
    }
    return 0;
}

int pledgex__x_units_emit(px_ctx *cx)
{
    size_t n = cx->nunits;
    if (!n)
        return 0;
    if (extend_truncated(cx))
        return -1;
    int *p = malloc(n * sizeof *p);
    cx->gname = calloc(n, sizeof *cx->gname);
    if (!p || !cx->gname) {
        free(p);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (int)i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(cx->units[i].key, cx->units[j].key)) {
                p[find(p, (int)i)] = find(p, (int)j);
                break;
            }
    merge_placeless(cx, p);
    /* Best-written member of each group. */
    size_t *best = malloc(n * sizeof *best);
    if (!best) {
        free(p);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        best[i] = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t r = (size_t)find(p, (int)i);
        if (best[r] == (size_t)-1 || better(cx, best[r], i))
            best[r] = i;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = (size_t)find(p, (int)i);
        cx->gname[i] = cx->units[best[r]].display;
    }
    /* One unit entity per group, at its first mention. */
    for (size_t i = 0; i < n && !rc; i++) {
        size_t r = (size_t)find(p, (int)i);
        size_t first = i;
        for (size_t j = 0; j < i; j++)
            if ((size_t)find(p, (int)j) == r) {
                first = j;
                break;
            }
        if (first != i)
            continue;
        const char *lvl = cx->units[best[r]].level;
        for (size_t j = 0; j < n && !lvl; j++)
            if ((size_t)find(p, (int)j) == r)
                lvl = cx->units[j].level;
        if (pledgex__doc_add_entity(cx->doc, "unit", cx->units[i].text, cx->gname[i], lvl))
            rc = -1;
    }
    /* Signatories, once per canonical unit. */
    for (size_t i = 0; i < n && !rc; i++) {
        if (!cx->units[i].signatory)
            continue;
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            if (cx->units[j].signatory && cx->gname[j] == cx->gname[i])
                dup = 1;
        if (!dup && pledgex__doc_add_entity(cx->doc, "signatory", cx->units[i].text,
                                            cx->gname[i], cx->units[i].sigrole))
            rc = -1;
    }
    free(best);
    free(p);
    return rc;
}

const char *pledgex__x_unit_group_name(const px_ctx *cx, const char *key)
{
    if (!key || !cx->gname)
        return NULL;
    for (size_t i = 0; i < cx->nunits; i++)
        if (!strcmp(cx->units[i].key, key))
            return cx->gname[i];
    return NULL;
}

int pledgex__x_person_add(px_ctx *cx, px_person *pp)
{
    /* The same person named twice keeps the first mention that has a role
     * and a unit. */
    for (size_t i = 0; i < cx->npeople; i++) {
        px_person *q = &cx->people[i];
        if (strcmp(q->name, pp->name))
            continue;
        if (pp->role && (!q->role || (q->rank && !pp->rank))) {
            free(q->role);
            q->role = pp->role;
            q->rank = pp->rank;
            pp->role = NULL;
        }
        if (!q->unit_key && pp->unit_key) {
            q->unit_key = pp->unit_key;
            pp->unit_key = NULL;
        }
        free(pp->name);
        free(pp->role);
        free(pp->unit_key);
        memset(pp, 0, sizeof *pp);
        return 0;
    }
    if (cx->npeople >= PX_MAX_PEOPLE) {
        free(pp->name);
        free(pp->role);
        free(pp->unit_key);
        memset(pp, 0, sizeof *pp);
        return 0;
    }
    if (cx->npeople == cx->cappeople) {
        size_t ncap = cx->cappeople ? cx->cappeople * 2 : 8;
        px_person *q = realloc(cx->people, ncap * sizeof *q);
        if (!q)
            return -1;
        cx->people = q;
        cx->cappeople = ncap;
    }
    cx->people[cx->npeople++] = *pp;
    memset(pp, 0, sizeof *pp);
    return 0;
}

int pledgex__x_people_emit(px_ctx *cx)
{
    for (size_t i = 0; i < cx->npeople; i++) {
        px_person *q = &cx->people[i];
        const char *unit = pledgex__x_unit_group_name(cx, q->unit_key);
        if (pledgex__doc_add_entity(cx->doc, "person", q->name, unit, q->role))
            return -1;
    }
    return 0;
}
