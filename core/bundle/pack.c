/*
 * pack.c -- `pledgex pack`: originals + manifest.json + captions.csv into a
 * deterministic ZIP (libzip), written atomically.
 *
 * Order of work: list the originals (pack_collect.c), hash them and name
 * them in the bundle, run the pipeline over the same inputs for what it
 * finds (pack_manifest.c: caption, credit, date taken, units, people), then
 * write the ZIP to a temporary file next to the output and rename it into
 * place.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "../../plugins/archive/archive_int.h"
#include "bundle_int.h"
#include "pipeline.h"

int pledgex__bundle_hash(const char *file, char hex[65], uint64_t *size, char *err,
                         size_t errlen)
{
    struct stat st;
    if (stat(file, &st) != 0) {
        snprintf(err, errlen, "cannot read: %s", strerror(errno));
        return PLEDGEX_FAILED;
    }
    *size = (uint64_t)st.st_size;
    return pledgex__sha256_file(file, hex, err, errlen);
}

/* ------------------------------------------------------------- naming */

/* The directory part ("a/b/") every top-level address shares. */
static size_t common_dir(const bundle_list *l)
{
    if (l->n == 0)
        return 0;
    const char *first = l->v[0].address;
    size_t top0 = strcspn(first, "!");
    size_t n = top0;
    for (size_t i = 1; i < l->n; i++) {
        const char *a = l->v[i].address;
        size_t k = 0;
        while (k < n && a[k] == first[k] && a[k] != '!')
            k++;
        n = k;
    }
    /* Back to just after a '/', and never the whole name of a file. */
    while (n > 0 && first[n - 1] != '/')
        n--;
    return n;
}

/* "originals/" + the address below the common directory, with each "!"
 * (into an archive) followed by "/" so the members unpack into a folder
 * named after their archive. */
static char *bundle_path(const char *address, size_t skip)
{
    const char *rel = address + skip;
    size_t bangs = 0;
    for (const char *p = rel; *p; p++)
        bangs += *p == '!';
    size_t n = strlen(BUNDLE_ORIGINALS) + strlen(rel) + bangs + 1;
    char *s = malloc(n), *o;
    if (!s)
        return NULL;
    o = s + sprintf(s, "%s", BUNDLE_ORIGINALS);
    char *body = o;
    for (const char *p = rel; *p; p++) {
        *o++ = *p;
        if (*p == '!')
            *o++ = '/';
    }
    *o = 0;
    /* Inputs given as ../x or /abs/x: never climb out of originals/. */
    pledgex__arc_name_sanitise(body, 0);
    return s;
}

static int by_path(const void *a, const void *b)
{
    const bundle_entry *x = a, *y = b;
    return strcmp(x->path, y->path);
}


/* ---------------------------------------------------------------- ZIP */

/* Types whose bytes are compressed already: stored as they are. */
static int already_compressed(const char *mime)
{
    static const char *const prefixes[] = {
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/jp2",
        "video/", "audio/", "application/zip", "application/gzip", "application/x-gzip",
        "application/x-7z", "application/x-bzip2", "application/x-xz", "application/zstd",
        "application/vnd.rar", "application/x-rar", "application/vnd.openxmlformats",
        "application/vnd.oasis", "application/epub", "application/x-lzip"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(mime, prefixes[i], strlen(prefixes[i])))
            return 1;
    return 0;
}

/* The file's own date as a DOS date and time, in UTC so the bytes do not
 * depend on the machine's time zone. */
static void dos_time(int64_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm) || tm.tm_year < 80) {
        *dtime = 0;
        *ddate = (zip_uint16_t)((0 << 9) | (1 << 5) | 1); /* 1980-01-01 */
        return;
    }
    if (tm.tm_year > 207)
        tm.tm_year = 207;
    *dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* Adds one member with fixed attributes.  `file` NULL: data from buf
 * (taken over by libzip). */
static int add_member(zip_t *za, const char *name, const char *file, char *buf, size_t len,
                      int store, int64_t mtime, const char *password, char *err,
                      size_t errlen)
{
    zip_source_t *src = file ? zip_source_file(za, file, 0, 0)
                             : zip_source_buffer(za, buf, len, 1);
    if (!src) {
        if (!file)
            free(buf);
        snprintf(err, errlen, "%s: %s", name, zip_strerror(za));
        return -1;
    }
    zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src);
        snprintf(err, errlen, "%s: %s", name, zip_strerror(za));
        return -1;
    }
    zip_uint16_t dt, dd;
    dos_time(mtime, &dt, &dd);
    if (zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 store ? 0 : 6) != 0 ||
        zip_file_set_dostime(za, (zip_uint64_t)idx, dt, dd, 0) != 0 ||
        zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                         (zip_uint32_t)0100644 << 16) != 0 ||
        (password && zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256,
                                             password) != 0)) {
        snprintf(err, errlen, "%s: %s", name, zip_strerror(za));
        return -1;
    }
    return 0;
}

/* libzip asks this while it writes: non-zero stops it (pledgex_engine_cancel
 * from a signal handler). */
static int zip_cancelled(zip_t *za, void *ud)
{
    (void)za;
    return ((pledgex_engine *)ud)->cancel != 0;
}

/* Writes the bundle to a temporary file beside `output`, then renames it. */
static int write_zip(pledgex_engine *e, const char *output, const bundle_list *l,
                     char *manifest, char *csv, int64_t newest, const char *password)
{
    size_t n = strlen(output);
    char *tmp = malloc(n + 16);
    if (!tmp) {
        free(manifest), free(csv);
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    }
    /* A dot file in the same directory (rename needs the same file system). */
    const char *slash = strrchr(output, '/');
    size_t dirlen = slash ? (size_t)(slash - output) + 1 : 0;
    snprintf(tmp, n + 16, "%.*s.%s.XXXXXX", (int)dirlen, output, output + dirlen);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int rc = pledgex__engine_error(e, PLEDGEX_FAILED, "cannot create %s: %s", tmp,
                                       strerror(errno));
        free(tmp), free(manifest), free(csv);
        return rc;
    }
    close(fd);
    int zerr = 0;
    zip_t *za = zip_open(tmp, ZIP_TRUNCATE, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int rc = pledgex__engine_error(e, PLEDGEX_FAILED, "cannot write %s: %s", tmp,
                                       zip_error_strerror(&ze));
        zip_error_fini(&ze);
        unlink(tmp);
        free(tmp), free(manifest), free(csv);
        return rc;
    }
    zip_register_cancel_callback_with_state(za, zip_cancelled, NULL, e);
    char err[2048] = "";
    /* The buffers belong to libzip from here on, even on failure. */
    int bad = add_member(za, BUNDLE_MANIFEST, NULL, manifest, strlen(manifest), 0, newest,
                         password, err, sizeof err);
    if (bad)
        free(csv);
    else
        bad = add_member(za, BUNDLE_CAPTIONS, NULL, csv, strlen(csv), 0, newest, password,
                         err, sizeof err);
    for (size_t i = 0; i < l->n && !bad; i++)
        if (l->v[i].path)
            bad = add_member(za, l->v[i].path, l->v[i].file, NULL, 0,
                             already_compressed(l->v[i].mime), l->v[i].mtime, password, err,
                             sizeof err);
    if (bad || zip_close(za) != 0) {
        if (!bad)
            snprintf(err, sizeof err, "%s", zip_strerror(za));
        zip_discard(za);
        unlink(tmp);
        free(tmp);
        return pledgex__engine_error(e, PLEDGEX_FAILED, "cannot write the bundle: %s", err);
    }
    /* mkstemp made it 0600: a bundle is an ordinary file. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmp, 0666 & ~mask);
    if (rename(tmp, output) != 0) {
        int rc = pledgex__engine_error(e, PLEDGEX_FAILED, "cannot rename %s to %s: %s", tmp,
                                       output, strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return PLEDGEX_OK;
}

/* -------------------------------------------------------------- pack */

int pledgex_pack(pledgex_engine *e, const char *const *paths, size_t npaths,
                 const char *output, const pledgex_pack_options *o, pledgex_pack_warn_fn warn,
                 void *user, pledgex_pack_stats *stats)
{
    pledgex_pack_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    const char *password = o && o->password && *o->password ? o->password : NULL;
    if (password && !zip_encryption_method_supported(ZIP_EM_AES_256, 1))
        return pledgex__engine_error(e, PLEDGEX_FAILED,
                                     "this libzip cannot write AES-256 encrypted members");
    char *tmpdir = NULL;
    if (pledgex__mkdtemp_in(pledgex_engine_option(e, "tmpdir"), "pledgex-pack", &tmpdir) !=
        PLEDGEX_OK)
        return pledgex__engine_error(e, PLEDGEX_FAILED,
                                     "cannot create a temporary directory: %s",
                                     strerror(errno));
    bundle_list l = {0};
    bundle_meta m = {0};
    char *manifest = NULL, *csv = NULL;
    int rc = pledgex__bundle_collect(e, paths, npaths, tmpdir, output, &l, warn, user,
                                     &stats->skipped);
    /* Hashes, sizes and paths in the bundle. */
    size_t skip = common_dir(&l);
    for (size_t i = 0; i < l.n && rc == PLEDGEX_OK; i++) {
        char err[1024];
        if (pledgex__bundle_hash(l.v[i].file, l.v[i].sha256, &l.v[i].size, err,
                                 sizeof err) != PLEDGEX_OK)
            rc = pledgex__engine_error(e, PLEDGEX_FAILED, "%s: %s", l.v[i].address, err);
        else if (!(l.v[i].path = bundle_path(l.v[i].address, skip)))
            rc = pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    }
    if (rc == PLEDGEX_OK && l.n > 1)
        qsort(l.v, l.n, sizeof *l.v, by_path);
    for (size_t i = 1; i < l.n && rc == PLEDGEX_OK; i++)
        if (l.v[i - 1].path && !strcmp(l.v[i].path, l.v[i - 1].path)) {
            /* Two members of one archive with the same name. */
            if (warn)
                warn(user, l.v[i].address, "same path as an earlier file: not stored");
            stats->skipped++;
            free(l.v[i].path);
            l.v[i].path = NULL;
        }
    /* The pipeline reads exactly the top-level files packed (not the old
     * bundle, not skipped links), named as the walk named them, so the
     * addresses match. */
    if (rc == PLEDGEX_OK && !(o && o->no_metadata) && l.ntops > 0)
        rc = pledgex__bundle_metadata(e, (const char *const *)l.tops, l.ntops, tmpdir, o, &m);
    if (rc == PLEDGEX_OK && e->cancel)
        rc = pledgex__engine_error(e, PLEDGEX_FAILED, "interrupted; nothing was written");
    int64_t newest = 0;
    if (rc == PLEDGEX_OK &&
        pledgex__bundle_documents(&l, &m, &manifest, &csv, &newest, stats) != PLEDGEX_OK)
        rc = pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    if (rc == PLEDGEX_OK) {
        rc = write_zip(e, output, &l, manifest, csv, newest, password);
        manifest = csv = NULL; /* owned by write_zip */
    }
    free(manifest);
    free(csv);
    pledgex__bundle_meta_free(&m);
    pledgex__bundle_list_free(&l);
    pledgex__remove_tree(tmpdir);
    free(tmpdir);
    if (rc == PLEDGEX_OK && stats->skipped)
        rc = PLEDGEX_WARN;
    return rc;
}
