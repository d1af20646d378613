/*
 * verify.c -- `pledgex verify`: every member of a bundle against its
 * manifest.  A member is "changed" when its SHA-256 or size differs or its
 * bytes cannot be read back (a CRC error after a flipped byte), "missing"
 * when the manifest lists it and the ZIP lacks it, "added" when the ZIP
 * has it and the manifest does not.  captions.csv is checked against the
 * hash the manifest records for it.
 */
#include <config.h>

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "bundle_int.h"

/* Manifest files are small; anything bigger is not ours. */
#define MANIFEST_MAX_BYTES (512LL << 20)

typedef struct listed {
    char *path;
    char *sha256;
    unsigned long long size;
    int seen;
} listed;

static int by_path(const void *a, const void *b)
{
    return strcmp(((const listed *)a)->path, ((const listed *)b)->path);
}

/* SHA-256 and size of member idx; 0 when it could be read to the end. */
static int hash_member(zip_t *za, zip_uint64_t idx, char hex[65], unsigned long long *size,
                       char *err, size_t errlen)
{
    zip_file_t *zf = zip_fopen_index(za, idx, 0);
    if (!zf) {
        snprintf(err, errlen, "%s", zip_strerror(za));
        return -1;
    }
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    static unsigned char buf[64 * 1024];
    zip_int64_t n;
    *size = 0;
    while ((n = zip_fread(zf, buf, sizeof buf)) > 0) {
        sha256_update(&ctx, (size_t)n, buf);
        *size += (unsigned long long)n;
    }
    if (n < 0) {
        snprintf(err, errlen, "%s", zip_file_strerror(zf));
        zip_fclose(zf);
        return -1;
    }
    /* zip_fclose reports a CRC mismatch noticed at the end. */
    int c = zip_fclose(zf);
    if (c != 0) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, c);
        snprintf(err, errlen, "%s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return 0;
}

static char *read_manifest(zip_t *za, char *err, size_t errlen, size_t *len)
{
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(za, BUNDLE_MANIFEST, 0);
    if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0) {
        snprintf(err, errlen, "no %s in the bundle", BUNDLE_MANIFEST);
        return NULL;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > (zip_uint64_t)MANIFEST_MAX_BYTES) {
        snprintf(err, errlen, "%s is too large", BUNDLE_MANIFEST);
        return NULL;
    }
    char *buf = malloc((size_t)st.size + 1);
    zip_file_t *zf = buf ? zip_fopen_index(za, (zip_uint64_t)idx, 0) : NULL;
    if (!zf) {
        snprintf(err, errlen, "cannot read %s: %s", BUNDLE_MANIFEST,
                 buf ? zip_strerror(za) : "out of memory");
        free(buf);
        return NULL;
    }
    zip_int64_t n = zip_fread(zf, buf, st.size);
    int c = zip_fclose(zf);
    if (n != (zip_int64_t)st.size || c != 0) {
        snprintf(err, errlen, "cannot read %s: it is damaged", BUNDLE_MANIFEST);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

/* The manifest's files, sorted by path. */
static int parse_manifest(const char *json, size_t len, listed **out, size_t *nout,
                          char **captions_sha, char *err, size_t errlen)
{
    const char *v, *files;
    size_t vl, fl;
    *out = NULL;
    *nout = 0;
    *captions_sha = NULL;
    char *format = NULL;
    if (pledgex__bj_member(json, len, "format", &v, &vl) == 0)
        format = pledgex__bj_string(v, vl);
    int ours = format && !strcmp(format, BUNDLE_FORMAT);
    free(format);
    if (!ours || pledgex__bj_member(json, len, "files", &files, &fl) != 0 || files[0] != '[') {
        snprintf(err, errlen, "%s is not a pledgex manifest (or it is damaged)",
                 BUNDLE_MANIFEST);
        return -1;
    }
    if (pledgex__bj_member(json, len, "captions_sha256", &v, &vl) == 0)
        *captions_sha = pledgex__bj_string(v, vl);
    const char *p = files, *end = files + fl;
    size_t cap = 0;
    while (pledgex__bj_next(&p, end, &v, &vl) == 0) {
        const char *x;
        size_t xl;
        listed it = {0};
        if (pledgex__bj_member(v, vl, "path", &x, &xl) == 0)
            it.path = pledgex__bj_string(x, xl);
        if (pledgex__bj_member(v, vl, "sha256", &x, &xl) == 0)
            it.sha256 = pledgex__bj_string(x, xl);
        if (pledgex__bj_member(v, vl, "size", &x, &xl) == 0)
            it.size = strtoull(x, NULL, 10);
        if (!it.path || !it.sha256) {
            free(it.path), free(it.sha256);
            snprintf(err, errlen, "%s: an entry without path or sha256", BUNDLE_MANIFEST);
            return -1;
        }
        if (*nout == cap) {
            cap = cap ? cap * 2 : 64;
            listed *nv = realloc(*out, cap * sizeof *nv);
            if (!nv) {
                free(it.path), free(it.sha256);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            *out = nv;
        }
        (*out)[(*nout)++] = it;
    }
    if (*nout > 1)
        qsort(*out, *nout, sizeof **out, by_path);
    return 0;
}

int pledgex_verify(const char *bundle, const char *password, pledgex_verify_fn fn, void *user,
                   size_t *problems, char *err, size_t errlen)
{
    size_t dummy;
    if (!problems)
        problems = &dummy;
    *problems = 0;
    int zerr = 0;
    zip_t *za = zip_open(bundle, ZIP_RDONLY, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(err, errlen, "cannot open %s: %s", bundle, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return PLEDGEX_FATAL;
    }
    if (password && *password)
        zip_set_default_password(za, password);
    size_t mlen = 0;
    char *json = read_manifest(za, err, errlen, &mlen);
    listed *files = NULL;
    size_t nfiles = 0;
    char *captions_sha = NULL;
    if (!json || parse_manifest(json, mlen, &files, &nfiles, &captions_sha, err, errlen) != 0) {
        free(json);
        for (size_t i = 0; i < nfiles; i++)
            free(files[i].path), free(files[i].sha256);
        free(files);
        zip_discard(za);
        return PLEDGEX_FATAL;
    }
    free(json);
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
        if (!name || !strcmp(name, BUNDLE_MANIFEST))
            continue;
        char hex[65] = "", why[1024];
        unsigned long long size = 0;
        int readable = hash_member(za, (zip_uint64_t)i, hex, &size, why, sizeof why) == 0;
        if (!strcmp(name, BUNDLE_CAPTIONS)) {
            if (!readable || !captions_sha || strcmp(hex, captions_sha)) {
                (*problems)++;
                fn(user, "changed", name, readable ? "SHA-256 differs from the manifest" : why);
            }
            continue;
        }
        listed key = {.path = (char *)name};
        listed *it = nfiles ? bsearch(&key, files, nfiles, sizeof *files, by_path) : NULL;
        if (!it || it->seen) {
            (*problems)++;
            fn(user, "added", name, it ? "a second member with this path" : "not in the manifest");
            continue;
        }
        it->seen = 1;
        if (!readable) {
            (*problems)++;
            fn(user, "changed", name, why);
        } else if (size != it->size || strcmp(hex, it->sha256)) {
            char detail[256];
            if (size != it->size)
                snprintf(detail, sizeof detail, "%llu bytes, the manifest says %llu", size,
                         it->size);
            else
                snprintf(detail, sizeof detail, "SHA-256 %.16s..., the manifest says %.16s...",
                         hex, it->sha256);
            (*problems)++;
            fn(user, "changed", name, detail);
        }
    }
    for (size_t i = 0; i < nfiles; i++) {
        if (!files[i].seen) {
            (*problems)++;
            fn(user, "missing", files[i].path, "listed in the manifest, not in the bundle");
        }
        free(files[i].path);
        free(files[i].sha256);
    }
    free(files);
    free(captions_sha);
    zip_discard(za);
    return *problems ? PLEDGEX_FAILED : PLEDGEX_OK;
}
