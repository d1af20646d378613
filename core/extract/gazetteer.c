/*
 * gazetteer.c -- the editable list of known units (data/units.tsv):
 *     canonical<TAB>alias|alias...<TAB>level
 * Lines starting with '#' and blank lines are ignored.  Every name and alias
 * is kept as its grouping key and as the shadow words it matches in text.
 */
#include <config.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textnorm.h"
#include "xctx.h"
#include "xphrase.h"

/* Gazetteer files are a few hundred lines; refuse anything absurd. */
#define PX_GZ_MAX_BYTES (8u << 20)

typedef struct gz_name {
    char *words; /* shadow words, space separated: what text must match */
    char *key;   /* grouping key                                       */
    size_t entry;
} gz_name;

typedef struct gz_key {
    const char *key; /* a gz_name's key */
    size_t i;        /* its index in n */
} gz_key;

typedef struct gz_entry {
    char *canonical;
    char *level; /* or NULL */
} gz_entry;

struct pledgex_gazetteer {
    gz_entry *e;
    size_t ne;
    gz_name *n;
    size_t nn;
    px_phrase_index *nx; /* n by first word */
    gz_key *by_key;      /* n sorted by key, then by position */
};

/* Shadow words of a name: accent-free, lower case, punctuation dropped. */
static char *name_words(const char *name)
{
    char *f = pledgex__fold_ascii(name, strlen(name));
    if (!f)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; f[i]; i++) {
        unsigned char c = (unsigned char)f[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (space && o)
                f[o++] = ' ';
            space = 0;
            f[o++] = (char)c;
        } else
            space = 1;
    }
    f[o] = '\0';
    return f;
}

char *pledgex__unit_key(const char *name)
{
    char *w = name_words(name);
    if (!w)
        return NULL;
    /* "Khối thi đua X" and "Khối X" are one unit. */
    static const char *const drop[] = {"khoi thi dua ", "cum thi dua "};
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(drop[k]);
        if (!strncmp(w, drop[k], n)) {
            memmove(w + (k ? 3 : 4), w + n - 1, strlen(w + n - 1) + 1);
            break;
        }
    }
    return w;
}

void pledgex__gazetteer_free(pledgex_gazetteer **pgz)
{
    if (!pgz || !*pgz)
        return;
    pledgex_gazetteer *gz = *pgz;
    for (size_t i = 0; i < gz->ne; i++) {
        free(gz->e[i].canonical);
        free(gz->e[i].level);
    }
    for (size_t i = 0; i < gz->nn; i++) {
        free(gz->n[i].words);
        free(gz->n[i].key);
    }
    free(gz->e);
    free(gz->n);
    free(gz->by_key);
    pledgex__xphrase_free(gz->nx);
    free(gz);
    *pgz = NULL;
}

static int add_name(pledgex_gazetteer *gz, size_t *cap, const char *name, size_t entry)
{
    if (gz->nn == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        gz_name *p = realloc(gz->n, ncap * sizeof *p);
        if (!p)
            return -1;
        gz->n = p;
        *cap = ncap;
    }
    gz_name nm = {name_words(name), pledgex__unit_key(name), entry};
    if (!nm.words || !nm.key) {
        free(nm.words);
        free(nm.key);
        return -1;
    }
    if (!*nm.words) { /* nothing to match */
        free(nm.words);
        free(nm.key);
        return 0;
    }
    gz->n[gz->nn++] = nm;
    return 0;
}

/* The names sorted by key for pledgex__gz_lookup, which every unit found
 * in a document asks (a linear strcmp scan was 4% of extraction). */
static int by_key_cmp(const void *a, const void *b)
{
    const gz_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int index_keys(pledgex_gazetteer *gz)
{
    gz->by_key = malloc((gz->nn ? gz->nn : 1) * sizeof *gz->by_key);
    if (!gz->by_key)
        return -1;
    for (size_t i = 0; i < gz->nn; i++)
        gz->by_key[i] = (gz_key){gz->n[i].key, i};
    qsort(gz->by_key, gz->nn, sizeof *gz->by_key, by_key_cmp);
    return 0;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    char *nfc = pledgex__nfc(s, n, NULL);
    return nfc;
}

/* Parses the whole file text. */
static int parse(pledgex_gazetteer *gz, const char *buf, size_t len, const char *path,
                 char *err, size_t errlen)
{
    size_t ecap = 0, ncap = 0, lineno = 0;
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        const char *f[3] = {p, NULL, NULL};
        size_t fl[3] = {(size_t)(le - p), 0, 0};
        const char *tab = memchr(p, '\t', (size_t)(le - p));
        if (tab) {
            fl[0] = (size_t)(tab - p);
            f[1] = tab + 1;
            fl[1] = (size_t)(le - f[1]);
            const char *tab2 = memchr(f[1], '\t', fl[1]);
            if (tab2) {
                fl[1] = (size_t)(tab2 - f[1]);
                f[2] = tab2 + 1;
                fl[2] = (size_t)(le - f[2]);
            }
        }
        char *canon = trimmed(f[0], fl[0]);
        if (!canon)
            return PLEDGEX_FATAL;
        if (!*canon || canon[0] == '#') {
            if (!*canon && tab) {
                snprintf(err, errlen, "%s:%zu: empty canonical name", path, lineno);
                free(canon);
                return PLEDGEX_FAILED;
            }
            free(canon);
            p = le + (nl != NULL);
            continue;
        }
        if (gz->ne == ecap) {
            size_t ncap2 = ecap ? ecap * 2 : 64;
            gz_entry *q = realloc(gz->e, ncap2 * sizeof *q);
            if (!q) {
                free(canon);
                return PLEDGEX_FATAL;
            }
            gz->e = q;
            ecap = ncap2;
        }
        char *lvl = f[2] ? trimmed(f[2], fl[2]) : NULL;
        if (lvl && !*lvl) {
            free(lvl);
            lvl = NULL;
        }
        size_t entry = gz->ne;
        gz->e[gz->ne++] = (gz_entry){canon, lvl};
        if (add_name(gz, &ncap, canon, entry))
            return PLEDGEX_FATAL;
        const char *a = f[1];
        size_t al = fl[1];
        while (a && al) {
            const char *bar = memchr(a, '|', al);
            size_t n = bar ? (size_t)(bar - a) : al;
            char *alias = trimmed(a, n);
            if (!alias)
                return PLEDGEX_FATAL;
            int rc = *alias ? add_name(gz, &ncap, alias, entry) : 0;
            free(alias);
            if (rc)
                return PLEDGEX_FATAL;
            if (!bar)
                break;
            al -= n + 1;
            a = bar + 1;
        }
        p = le + (nl != NULL);
    }
    return PLEDGEX_OK;
}

static FILE *open_default(char *path, size_t n)
{
    const char *env = getenv("PLEDGEX_DATA_DIR");
    /* The source tree's copy last: an uninstalled build (the README's demo)
     * finds it; an installed one finds its own first. */
    const char *dirs[] = {env, PLEDGEX_DATA_DIR, PLEDGEX_SOURCE_DIR "/data"};
    for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
        if (!dirs[k] || !*dirs[k])
            continue;
        snprintf(path, n, "%s/units.tsv", dirs[k]);
        FILE *fp = fopen(path, "rb");
        if (fp)
            return fp;
    }
    return NULL;
}

int pledgex__gazetteer_load(pledgex_gazetteer **out, const char *path, char *err,
                            size_t errlen)
{
    char where[4096];
    FILE *fp;
    *out = NULL;
    if (path) {
        snprintf(where, sizeof where, "%s", path);
        fp = fopen(path, "rb");
        if (!fp) {
            snprintf(err, errlen, "%s: cannot open gazetteer: %s", path, strerror(errno));
            return PLEDGEX_FAILED;
        }
    } else if (!(fp = open_default(where, sizeof where))) {
        snprintf(err, errlen, "no units.tsv in $PLEDGEX_DATA_DIR or %s", PLEDGEX_DATA_DIR);
        return PLEDGEX_FAILED;
    }
    char *buf = malloc(PX_GZ_MAX_BYTES + 1);
    if (!buf) {
        fclose(fp);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    size_t len = fread(buf, 1, PX_GZ_MAX_BYTES + 1, fp);
    int rerr = ferror(fp);
    fclose(fp);
    if (rerr || len > PX_GZ_MAX_BYTES) {
        snprintf(err, errlen, "%s: %s", where,
                 rerr ? "read error" : "gazetteer larger than 8 MiB");
        free(buf);
        return PLEDGEX_FAILED;
    }
    if (!pledgex__utf8_valid(buf, len)) {
        snprintf(err, errlen, "%s: gazetteer is not valid UTF-8", where);
        free(buf);
        return PLEDGEX_FAILED;
    }
    pledgex_gazetteer *gz = calloc(1, sizeof *gz);
    if (!gz) {
        free(buf);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    int rc = parse(gz, buf, len, where, err, errlen);
    free(buf);
    if (rc == PLEDGEX_OK &&
        (!(gz->nx = pledgex__xphrase_new(gz->n, gz->nn, sizeof *gz->n, offsetof(gz_name, words))) ||
         index_keys(gz)))
        rc = PLEDGEX_FATAL;
    if (rc != PLEDGEX_OK) {
        if (rc == PLEDGEX_FATAL)
            snprintf(err, errlen, "out of memory");
        pledgex__gazetteer_free(&gz);
        return rc;
    }
    *out = gz;
    return PLEDGEX_OK;
}

const char *pledgex__gz_lookup(const pledgex_gazetteer *gz, const char *key,
                               const char **level)
{
    if (!gz || !key || !gz->by_key)
        return NULL;
    /* The first name with this key, in file order: the lowest index among
     * the equal keys, which sort by index. */
    size_t lo = 0, hi = gz->nn;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(gz->by_key[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == gz->nn || strcmp(gz->by_key[lo].key, key))
        return NULL;
    const gz_entry *e = &gz->e[gz->n[gz->by_key[lo].i].entry];
    if (level)
        *level = e->level;
    return e->canonical;
}

size_t pledgex__gz_match(const pledgex_gazetteer *gz, const px_text *t, size_t i,
                         size_t limit, const char **canonical, const char **level)
{
    size_t best = 0;
    if (!gz)
        return 0;
    for (size_t k = pledgex__xphrase_first(gz->nx, t, i); k != PX_PHRASE_END;
         k = pledgex__xphrase_next(gz->nx, k)) {
        size_t m = pledgex__xw_seq(t, i, gz->n[k].words, 1);
        if (m > best && (!limit || i + m <= limit)) {
            /* Words of one name stay on one line unless the text wraps in
             * running prose (not CAPITALS). */
            if (limit && t->w[i + m - 1].line != t->w[i].line)
                continue;
            best = m;
            *canonical = gz->e[gz->n[k].entry].canonical;
            *level = gz->e[gz->n[k].entry].level;
        }
    }
    return best;
}
