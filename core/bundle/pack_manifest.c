/*
 * pack_manifest.c -- what a bundle says about its originals: the metadata
 * pass (the pipeline over the packed inputs into a private temporary
 * index, read back with pledgex_export), then manifest.json and
 * captions.csv built from it, in the bundle's (sorted) order.
 */
#include <config.h>

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle_int.h"
#include "json.h"

static int meta_add(void *user, const char *json, size_t len)
{
    bundle_meta *m = user;
    const char *v;
    size_t vl;
    if (pledgex__bj_member(json, len, "address", &v, &vl) != 0)
        return 0;
    char *addr = pledgex__bj_string(v, vl);
    if (!addr)
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        char **a = realloc(m->json, cap * sizeof *a);
        if (!a) {
            free(addr);
            return 1;
        }
        m->json = a;
        a = realloc(m->address, cap * sizeof *a);
        if (!a) {
            free(addr);
            return 1;
        }
        m->address = a;
        m->cap = cap;
    }
    m->json[m->n] = strndup(json, len);
    m->address[m->n] = addr;
    if (!m->json[m->n]) {
        free(addr);
        return 1;
    }
    m->n++;
    return 0;
}

void pledgex__bundle_meta_free(bundle_meta *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->json[i]);
        free(m->address[i]);
    }
    free(m->json);
    free(m->address);
}

static void meta_sort(bundle_meta *m)
{
    /* Insertion into index order through a permutation sort. */
    size_t *idx = malloc(m->n * sizeof *idx);
    if (!idx)
        return;
    for (size_t i = 0; i < m->n; i++)
        idx[i] = i;
    for (size_t i = 1; i < m->n; i++) { /* the export is nearly sorted already */
        size_t k = idx[i], j = i;
        while (j > 0 && strcmp(m->address[idx[j - 1]], m->address[k]) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = k;
    }
    char **j2 = malloc(m->n * sizeof *j2), **a2 = malloc(m->n * sizeof *a2);
    if (j2 && a2) {
        for (size_t i = 0; i < m->n; i++) {
            j2[i] = m->json[idx[i]];
            a2[i] = m->address[idx[i]];
        }
        free(m->json);
        free(m->address);
        m->json = j2;
        m->address = a2;
        m->cap = m->n;
    } else {
        free(j2);
        free(a2);
    }
    free(idx);
}

const char *pledgex__bundle_meta_find(const bundle_meta *m, const char *address)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->address[mid], address);
        if (!c)
            return m->json[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int pledgex__bundle_metadata(pledgex_engine *e, const char *const *paths, size_t npaths,
                        const char *tmpdir, const pledgex_pack_options *o, bundle_meta *m)
{
    char db[4096], err[1024];
    snprintf(db, sizeof db, "%s/index.db", tmpdir);
    pledgex_index *ix = NULL;
    if (pledgex_index_open(&ix, db, err, sizeof err) != PLEDGEX_OK)
        return pledgex__engine_error(e, PLEDGEX_FATAL, "metadata index: %s", err);
    pledgex_ingest_stats st;
    int rc = pledgex_ingest(e, ix, paths, npaths, o ? o->jobs : 0, o ? o->on_event : NULL,
                            o ? o->user : NULL, &st);
    if (rc != PLEDGEX_FATAL && pledgex_export(ix, meta_add, m) != PLEDGEX_OK)
        rc = pledgex__engine_error(e, PLEDGEX_FATAL, "metadata index: %s",
                                   pledgex_index_errmsg(ix));
    pledgex_index_free(&ix);
    if (rc == PLEDGEX_FATAL)
        return rc;
    meta_sort(m);
    return PLEDGEX_OK;
}

static void iso_time(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        snprintf(out, 32, "1980-01-01T00:00:00Z");
        return;
    }
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The decoded string at key in obj (caller frees), or NULL. */
static char *str_member(const char *obj, size_t len, const char *key)
{
    const char *v;
    size_t vl;
    if (!obj || pledgex__bj_member(obj, len, key, &v, &vl) != 0)
        return NULL;
    return pledgex__bj_string(v, vl);
}

/* The raw JSON value at key, or "null". */
static void raw_member(pledgex_strbuf *b, const char *obj, const char *key, const char *dflt)
{
    const char *v;
    size_t vl;
    if (obj && pledgex__bj_member(obj, strlen(obj), key, &v, &vl) == 0)
        pledgex__sb_add(b, v, vl);
    else
        pledgex__sb_puts(b, dflt);
}

typedef struct found {
    char *caption, *credit, *source, *taken, *units, *people, *status;
} found;

static void found_of(found *f, const char *doc)
{
    memset(f, 0, sizeof *f);
    if (!doc)
        return;
    size_t len = strlen(doc);
    const char *v;
    size_t vl;
    if (pledgex__bj_member(doc, len, "caption", &v, &vl) == 0 && v[0] == '{') {
        f->caption = str_member(v, vl, "text");
        f->credit = str_member(v, vl, "credit");
        f->source = str_member(v, vl, "source");
    }
    f->taken = str_member(doc, len, "taken");
    f->status = str_member(doc, len, "status");
    if (pledgex__bj_member(doc, len, "units", &v, &vl) == 0) {
        f->units = pledgex__bj_strings(v, vl, "canonical", "; ");
        if (f->units && !*f->units) {
            free(f->units);
            f->units = pledgex__bj_strings(v, vl, "name", "; ");
        }
    }
    if (pledgex__bj_member(doc, len, "people", &v, &vl) == 0)
        f->people = pledgex__bj_strings(v, vl, "name", "; ");
}

static void found_free(found *f)
{
    free(f->caption), free(f->credit), free(f->source), free(f->taken);
    free(f->units), free(f->people), free(f->status);
}

/* One CSV field, always quoted (RFC 4180: quotes doubled). */
static void csv_field(pledgex_strbuf *b, const char *s, int last)
{
    pledgex__sb_puts(b, "\"");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            pledgex__sb_puts(b, "\"\"");
        else
            pledgex__sb_add(b, p, 1);
    }
    pledgex__sb_puts(b, last ? "\"\r\n" : "\",");
}

static void manifest_entry(pledgex_strbuf *m, const bundle_entry *be, const char *doc,
                           const found *f, int first)
{
    char when[32];
    iso_time(when, be->mtime);
    pledgex__sb_puts(m, first ? "\n  {\"path\":" : ",\n  {\"path\":");
    pledgex__sb_json_str(m, be->path);
    pledgex__sb_puts(m, ",\"address\":");
    pledgex__sb_json_str(m, be->address);
    pledgex__sb_printf(m, ",\"sha256\":\"%s\",\"size\":%llu,\"mime\":", be->sha256,
                       (unsigned long long)be->size);
    pledgex__sb_json_str(m, be->mime);
    pledgex__sb_printf(m, ",\"modified\":\"%s\",\"status\":", when);
    pledgex__sb_json_str(m, f->status);
    pledgex__sb_puts(m, ",\"caption\":");
    pledgex__sb_json_str(m, f->caption);
    pledgex__sb_puts(m, ",\"credit\":");
    pledgex__sb_json_str(m, f->credit);
    pledgex__sb_puts(m, ",\"caption_source\":");
    pledgex__sb_json_str(m, f->source);
    pledgex__sb_puts(m, ",\"taken\":");
    pledgex__sb_json_str(m, f->taken);
    pledgex__sb_puts(m, ",\"units\":");
    raw_member(m, doc, "units", "[]");
    pledgex__sb_puts(m, ",\"people\":");
    raw_member(m, doc, "people", "[]");
    pledgex__sb_puts(m, "}");
}

static void sha256_hex(const char *data, size_t len, char hex[65])
{
    struct sha256_ctx c;
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_init(&c);
    sha256_update(&c, len, (const uint8_t *)data);
    sha256_digest(&c, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

int pledgex__bundle_documents(const bundle_list *l, const bundle_meta *m, char **manifest,
                              char **csv, int64_t *newest, pledgex_pack_stats *stats)
{
    *manifest = *csv = NULL;
    *newest = 0;
    pledgex_strbuf mb = {0}, cb = {0};
    pledgex__sb_puts(&cb, "\xEF\xBB\xBF"); /* BOM: spreadsheets then read UTF-8 */
    csv_field(&cb, "path", 0), csv_field(&cb, "address", 0), csv_field(&cb, "caption", 0);
    csv_field(&cb, "credit", 0), csv_field(&cb, "taken", 0), csv_field(&cb, "units", 0);
    csv_field(&cb, "people", 1);
    size_t stored = 0;
    for (size_t i = 0; i < l->n; i++) {
        const bundle_entry *be = &l->v[i];
        if (!be->path)
            continue;
        const char *doc = pledgex__bundle_meta_find(m, be->address);
        found f;
        found_of(&f, doc);
        manifest_entry(&mb, be, doc, &f, stored == 0);
        csv_field(&cb, be->path, 0), csv_field(&cb, be->address, 0);
        csv_field(&cb, f.caption, 0), csv_field(&cb, f.credit, 0);
        csv_field(&cb, f.taken, 0), csv_field(&cb, f.units, 0);
        csv_field(&cb, f.people, 1);
        found_free(&f);
        if (be->mtime > *newest)
            *newest = be->mtime;
        stats->files++;
        stats->bytes += be->size;
        stored++;
    }
    *csv = pledgex__sb_finish(&cb);
    char *files = pledgex__sb_finish(&mb);
    char csv_sha[65] = "";
    if (*csv) /* the manifest names the CSV's hash so verify covers it too */
        sha256_hex(*csv, strlen(*csv), csv_sha);
    pledgex_strbuf all = {0};
    pledgex__sb_printf(&all,
                       "{\"format\":\"%s\",\"version\":%d,\"generator\":\"pledgex %s\","
                       "\"files_count\":%zu,\"captions_sha256\":\"%s\",\"files\":[%s\n]}\n",
                       BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, PLEDGEX_VERSION, stored,
                       csv_sha, files ? files : "");
    free(files);
    *manifest = pledgex__sb_finish(&all);
    if (!*manifest || !*csv) {
        free(*manifest);
        free(*csv);
        *manifest = *csv = NULL;
        return PLEDGEX_FATAL;
    }
    return PLEDGEX_OK;
}
