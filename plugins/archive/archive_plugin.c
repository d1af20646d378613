/*
 * archive_plugin.c -- the "archive" plugin: reads every format libarchive
 * reads (ZIP with Zip64 and encryption, tar with any compression, 7z, RAR
 * and RAR5, cpio, ISO 9660, ar, ...; a bare .gz/.bz2/.xz/.zst file as its
 * one member) and hands each regular member back to the host as a child
 * input, one at a time.
 *
 * Nothing in an archive is trusted: member names never become paths (the
 * member goes into tmpdir()/m<counter>), links, devices and FIFOs are
 * recorded as skipped and never followed, and the limits (bytes per member,
 * bytes per top-level input, compression ratio, members per archive) are
 * enforced while the bytes stream, so a bomb costs a few MB.  A damaged
 * archive yields the members before the damage, then fails naming it.
 */
#include <config.h>

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "archive_int.h"

/* Archive types, above any generic claim ("application/" + "*" or "*" +
 * "/" + "*").  ZIP-based office documents (docx, odt, epub) keep their
 * own types and are not claimed. */
#define CLAIM 50
static const pledgex_claim archive_claims[] = {
    {"application/zip", CLAIM},
    {"application/x-zip-compressed", CLAIM},
    {"application/x-tar", CLAIM},
    {"application/x-gtar", CLAIM},
    {"application/x-ustar", CLAIM},
    {"application/gzip", CLAIM},
    {"application/x-gzip", CLAIM},
    {"application/x-bzip2", CLAIM},
    {"application/x-xz", CLAIM},
    {"application/x-lzma", CLAIM},
    {"application/x-lzip", CLAIM},
    {"application/x-lz4", CLAIM},
    {"application/zstd", CLAIM},
    {"application/x-zstd", CLAIM},
    {"application/x-compress", CLAIM},
    {"application/x-7z-compressed", CLAIM},
    {"application/vnd.rar", CLAIM},
    {"application/x-rar", CLAIM},
    {"application/x-rar-compressed", CLAIM},
    {"application/x-cpio", CLAIM},
    {"application/x-iso9660-image", CLAIM},
    {"application/x-archive", CLAIM},
    {"application/x-xar", CLAIM},
    {"application/x-lha", CLAIM},
    {"application/x-lzh-compressed", CLAIM},
    {"application/vnd.ms-cab-compressed", CLAIM},
    {NULL, 0},
};

typedef struct arc_state {
    arc_budget budget; /* shared by an archive and the archives inside it */
    int active;        /* process() calls running in this process (nesting) */
} arc_state;

static int arc_init(const pledgex_host *host, void **state, char *err, size_t errlen)
{
    (void)host;
    arc_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    *state = s;
    return PLEDGEX_OK;
}

static void arc_fini(void *state)
{
    free(state);
}

/* The password for encrypted members: the "password" option, or the first
 * line of the "password_file" option.  Caller frees; NULL when none. */
static char *password(const pledgex_host *host, pledgex_ctx *ctx)
{
    const char *pw = host->option(ctx, "password");
    if (pw && *pw)
        return strdup(pw);
    const char *file = host->option(ctx, "password_file");
    if (!file || !*file)
        return NULL;
    FILE *f = fopen(file, "r");
    if (!f)
        return NULL;
    char line[1024];
    char *r = fgets(line, sizeof line, f) ? strdup(line) : NULL;
    fclose(f);
    if (r)
        r[strcspn(r, "\r\n")] = 0;
    return r;
}

/* A reader for `path`.  raw: only the "raw" format, for a bare compressed
 * file whose content is no archive. */
static struct archive *open_reader(const char *path, const char *pw, int raw, char *err,
                                   size_t errlen)
{
    struct archive *a = archive_read_new();
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    archive_read_support_filter_all(a);
    if (raw) {
        archive_read_support_format_raw(a);
    } else {
        archive_read_support_format_all(a);
        archive_read_support_format_empty(a);
    }
    if (pw)
        archive_read_add_passphrase(a, pw);
    if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK ||
        (raw && archive_filter_count(a) < 2)) {
        const char *e = raw ? NULL : archive_error_string(a);
        snprintf(err, errlen, "not a readable archive: %s", e ? e : "unknown format");
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* Types that may be a compressed single file rather than an archive. */
static int compressed_type(const char *mime)
{
    static const char *const types[] = {
        "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz",
        "application/x-lzma", "application/x-lzip", "application/x-lz4", "application/zstd",
        "application/x-zstd", "application/x-compress"};
    for (size_t i = 0; mime && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(mime, types[i]))
            return 1;
    return 0;
}

/* Why an entry that is not a regular file is not extracted, or NULL for a
 * regular file; *is_dir for directories (not members at all). */
static const char *not_regular(struct archive_entry *e, char *buf, size_t buflen,
                               int *is_dir)
{
    *is_dir = 0;
    const char *hl = archive_entry_hardlink_utf8(e);
    if (!hl)
        hl = archive_entry_hardlink(e);
    /* A hard link that carries the data (cpio stores it with the last
     * name) is read from the archive like any member: nothing on disk is
     * followed. */
    if (hl && !(archive_entry_size_is_set(e) && archive_entry_size(e) > 0)) {
        snprintf(buf, buflen, "hard link to '%s': links are not followed", hl);
        return buf;
    }
    switch (archive_entry_filetype(e)) {
    case AE_IFREG:
        return NULL;
    case AE_IFDIR:
        *is_dir = 1;
        return "a directory";
    case AE_IFLNK: {
        const char *t = archive_entry_symlink_utf8(e);
        if (!t)
            t = archive_entry_symlink(e);
        snprintf(buf, buflen, "symbolic link to '%s': links are not followed", t ? t : "?");
        return buf;
    }
    case AE_IFCHR:
        return "a character device entry: not extracted";
    case AE_IFBLK:
        return "a block device entry: not extracted";
    case AE_IFIFO:
        return "a FIFO entry: not extracted";
    case AE_IFSOCK:
        return "a socket entry: not extracted";
    default:
        /* Formats without types (raw, some ar/zip variants) say 0: data. */
        return archive_entry_filetype(e) == 0 ? NULL : "an entry of unknown type: not extracted";
    }
}

/* The member's name as UTF-8 and safe for an address.  Caller frees. */
static char *member_name(struct archive *a, struct archive_entry *e, const pledgex_host *host,
                         pledgex_ctx *ctx, const char **charset)
{
    /* The locale is UTF-8 while reading (see process), so libarchive gives
     * converted names as UTF-8 and unconverted ones (a ZIP without the
     * UTF-8 flag, an old tar) as their raw bytes. */
    const char *raw = archive_entry_pathname(e);
    if (!raw)
        raw = archive_entry_pathname_utf8(e);
    char *climbed = NULL;
    int zip = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
    char *name = pledgex__arc_member_name(raw, zip, &climbed, charset);
    if (name && climbed) {
        char msg[1200];
        snprintf(msg, sizeof msg,
                 "member name '%.500s' climbs out of the archive or is absolute; indexed "
                 "as '%.500s'", climbed, name);
        host->warn(ctx, msg);
    }
    free(climbed);
    return name;
}

/* Per-call context of the member loop. */
typedef struct arc_run {
    const pledgex_host *host;
    pledgex_ctx *ctx;
    const pledgex_input *in;
    arc_limits lim;
    arc_budget *budget;
    int have_password;
    unsigned long counter;    /* temporary file names                    */
    int64_t entries;          /* entries read (directories excluded)     */
    int64_t emitted, recorded;
    const char *legacy_charset; /* code page names were decoded from    */
    int try_raw;              /* no format recognised under a filter     */
    arc_progress progress;    /* for the compression ratio               */
    int bad_headers;          /* entries whose header could not be read  */
} arc_run;

/* Unreadable entry headers tolerated before the archive counts as lost. */
#define ARC_MAX_BAD_HEADERS 100

enum { LOOP_GO_ON, LOOP_STOP_WARN, LOOP_STOP_FAILED };

/* Handles one entry.  Returns LOOP_*; `why` is filled when stopping. */
static int one_entry(arc_run *r, struct archive *a, struct archive_entry *e, const char *name,
                     char *why, size_t whylen)
{
    const pledgex_host *host = r->host;
    char buf[1200];
    int is_dir;
    const char *skip = not_regular(e, buf, sizeof buf, &is_dir);
    if (is_dir)
        return LOOP_GO_ON;
    if (++r->entries > r->lim.max_members) {
        snprintf(why, whylen,
                 "more than %lld members (--max-members): the rest of the archive was not read",
                 (long long)r->lim.max_members);
        return LOOP_STOP_WARN;
    }
    if (skip) {
        host->record_member(r->ctx, name, PLEDGEX_SKIP, skip);
        r->recorded++;
        return LOOP_GO_ON;
    }
    if (!strncmp(name, "__MACOSX/", 9)) {
        host->record_member(r->ctx, name, PLEDGEX_SKIP, "macOS resource fork (AppleDouble)");
        r->recorded++;
        return LOOP_GO_ON;
    }
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > r->lim.max_member_bytes) {
        snprintf(buf, sizeof buf,
                 "member of %lld bytes is larger than %lld (--max-member-bytes); not extracted",
                 (long long)archive_entry_size(e), (long long)r->lim.max_member_bytes);
        host->record_member(r->ctx, name, PLEDGEX_SKIP, buf);
        r->recorded++;
        return LOOP_GO_ON;
    }
    if (archive_entry_is_data_encrypted(e) && !r->have_password) {
        host->record_member(r->ctx, name, PLEDGEX_FAILED,
                            "encrypted: give the password with --password-file");
        r->recorded++;
        return LOOP_GO_ON;
    }
    if (archive_entry_size_is_set(e) && archive_entry_size(e) == 0) {
        host->record_member(r->ctx, name, PLEDGEX_SKIP, "empty member");
        r->recorded++;
        return LOOP_GO_ON;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/m%lu", host->tmpdir(r->ctx), ++r->counter);
    int fatal = 0;
    int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
    r->progress.per_member = fmt == ARCHIVE_FORMAT_TAR || fmt == ARCHIVE_FORMAT_ZIP ||
                             fmt == ARCHIVE_FORMAT_CPIO || fmt == ARCHIVE_FORMAT_AR ||
                             fmt == ARCHIVE_FORMAT_RAW;
    arc_outcome out =
        pledgex__arc_stream_member(a, path, &r->lim, r->budget, &r->progress, host, r->ctx,
                                   archive_entry_is_data_encrypted(e), &fatal, buf, sizeof buf);
    switch (out) {
    case ARC_MEMBER_OK: {
        int c = host->emit_child_file(r->ctx, name, path);
        unlink(path);
        r->emitted++;
        if (c == PLEDGEX_FATAL) { /* the host cannot store anything more */
            snprintf(why, whylen, "stopped: the host could not take member '%.300s'", name);
            return LOOP_STOP_FAILED;
        }
        return LOOP_GO_ON;
    }
    case ARC_MEMBER_OVER_SIZE:
        host->record_member(r->ctx, name, PLEDGEX_SKIP, buf);
        r->recorded++;
        return LOOP_GO_ON;
    case ARC_MEMBER_BOMB:
        host->record_member(r->ctx, name, PLEDGEX_FAILED, buf);
        r->recorded++;
        return LOOP_GO_ON;
    case ARC_MEMBER_OVER_TOTAL:
        host->record_member(r->ctx, name, PLEDGEX_SKIP, buf);
        r->recorded++;
        snprintf(why, whylen,
                 "stopped at member '%.300s': over %lld bytes expanded from this input "
                 "(--max-total-bytes)",
                 name, (long long)r->lim.max_total_bytes);
        return LOOP_STOP_WARN;
    case ARC_MEMBER_CANCELLED:
        snprintf(why, whylen, "interrupted");
        return LOOP_STOP_FAILED;
    case ARC_MEMBER_IO_ERROR:
        snprintf(why, whylen, "%s", buf);
        return LOOP_STOP_FAILED;
    case ARC_MEMBER_DATA_ERROR:
    default: {
        char reason[1300];
        int enc = archive_entry_is_data_encrypted(e);
        /* libarchive's words ("ZIP decompression failed (-5)") say where
         * it failed, not what that means for the member. */
        snprintf(reason, sizeof reason, "%s%s", enc ? "encrypted: wrong password? "
                                                    : "damaged or truncated data: ",
                 buf);
        host->record_member(r->ctx, name, PLEDGEX_FAILED, reason);
        r->recorded++;
        if (fatal) {
            snprintf(why, whylen, "damaged archive: %.600s (in member '%.300s', after %lld "
                     "members)", buf, name, (long long)r->emitted);
            return LOOP_STOP_FAILED;
        }
        return LOOP_GO_ON;
    }
    }
}

/* Reads every entry.  Returns the plugin's code. */
static int read_entries(arc_run *r, struct archive *a, int raw, char *err, size_t errlen)
{
    const pledgex_host *host = r->host;
    struct archive_entry *e;
    int rc = PLEDGEX_OK;
    for (;;) {
        if (host->cancelled(r->ctx)) {
            snprintf(err, errlen, "interrupted after %lld members", (long long)r->emitted);
            return PLEDGEX_FAILED;
        }
        int h = archive_read_next_header(a, &e);
        if (h == ARCHIVE_EOF)
            break;
        if (h == ARCHIVE_RETRY)
            continue;
        if (h == ARCHIVE_FATAL && r->entries == 0 && r->recorded == 0 && !raw &&
            archive_format(a) == 0 && archive_filter_count(a) > 1) {
            r->try_raw = 1; /* compressed, but no archive inside: one member */
            return PLEDGEX_FAILED;
        }
        if (h == ARCHIVE_FAILED || h == ARCHIVE_FATAL) {
            const char *msg = archive_error_string(a);
            msg = msg ? msg : "unreadable header";
            if (h == ARCHIVE_FATAL || !e) {
                snprintf(err, errlen, "%s archive after %lld members: %s",
                         strstr(msg, "ncrypt") || strstr(msg, "assphrase") ? "encrypted"
                                                                           : "damaged",
                         (long long)r->emitted, msg);
                return PLEDGEX_FAILED;
            }
            /* This entry only: a warning, and on with the next (a reader
             * that fails entry after entry has lost its way: stop). */
            if (++r->bad_headers > ARC_MAX_BAD_HEADERS) {
                snprintf(err, errlen, "damaged archive after %lld members: %s",
                         (long long)r->emitted, msg);
                return PLEDGEX_FAILED;
            }
            char w[1200];
            snprintf(w, sizeof w, "an entry could not be read: %s", msg);
            host->warn(r->ctx, w);
            rc = PLEDGEX_WARN;
            continue;
        }
        if (!raw && archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e))
            continue; /* directories are not members */
        const char *charset = NULL;
        char *name = raw ? pledgex__arc_raw_name(r->in->name)
                         : member_name(a, e, host, r->ctx, &charset);
        if (!name) {
            snprintf(err, errlen, "out of memory");
            return PLEDGEX_FAILED;
        }
        if (charset && !r->legacy_charset)
            r->legacy_charset = charset;
        if (h == ARCHIVE_WARN && archive_error_string(a)) {
            char w[1200];
            snprintf(w, sizeof w, "member '%.300s': %.800s", name, archive_error_string(a));
            host->warn(r->ctx, w);
        }
        char why[1200] = "";
        int loop = one_entry(r, a, e, name, why, sizeof why);
        free(name);
        if (loop == LOOP_STOP_WARN) {
            snprintf(err, errlen, "%s", why);
            return PLEDGEX_WARN;
        }
        if (loop == LOOP_STOP_FAILED) {
            snprintf(err, errlen, "%s", why);
            return PLEDGEX_FAILED;
        }
        if (r->entries % 64 == 0 && r->in->size > 0)
            host->progress(r->ctx, (double)archive_filter_bytes(a, -1) / (double)r->in->size,
                           NULL);
    }
    return rc;
}

static int arc_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                       const pledgex_input *in, char *err, size_t errlen)
{
    arc_state *s = state;
    arc_budget local = {0};
    arc_budget *budget = s ? &s->budget : &local;
    /* A nested archive read inline runs inside its parent's process() call,
     * in the same process: the budget of bytes expanded then spans the whole
     * tree.  The outermost call starts it afresh (a member the host handed
     * to another worker process starts its own: the budget never carries
     * over from another input). */
    if (s && s->active++ == 0)
        budget->expanded = 0;
    arc_run r = {
        .host = host,
        .ctx = ctx,
        .in = in,
        .budget = budget,
        .progress = {.size = (int64_t)in->size},
        .lim = {
            .max_member_bytes = host->limit(ctx, "max_member_bytes", ARC_MAX_MEMBER_BYTES_DEFAULT),
            .max_total_bytes = host->limit(ctx, "max_total_bytes", ARC_MAX_TOTAL_BYTES_DEFAULT),
            .max_ratio = host->limit(ctx, "max_ratio", ARC_MAX_RATIO_DEFAULT),
            .max_members = host->limit(ctx, "max_members", ARC_MAX_MEMBERS_DEFAULT),
        },
    };
    if (r.lim.max_ratio < 1)
        r.lim.max_ratio = 1;

    /* libarchive converts names to the locale's charset: make it UTF-8 for
     * this thread while reading, whatever the program's locale is, and put
     * the caller's back afterwards. */
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;

    char *pw = password(host, ctx);
    r.have_password = pw != NULL;
    int rc = PLEDGEX_FAILED;
    struct archive *a = open_reader(in->path, pw, 0, err, errlen);
    if (!a && compressed_type(in->mime)) {
        /* A bare compressed file: libarchive found no archive format in it
         * at open time; its content is the one member. */
        char err2[512];
        a = open_reader(in->path, pw, 1, err2, sizeof err2);
        if (a)
            rc = read_entries(&r, a, 1, err, errlen);
    } else if (a) {
        rc = read_entries(&r, a, 0, err, errlen);
        if (r.try_raw) {
            archive_read_free(a);
            a = open_reader(in->path, pw, 1, err, errlen);
            if (a)
                rc = read_entries(&r, a, 1, err, errlen);
        }
    }
    if (a) {
        const char *fmt = archive_format_name(a);
        if (fmt)
            host->set_attr(ctx, "archive.format", fmt);
        if (r.legacy_charset)
            host->set_attr(ctx, "encoding", r.legacy_charset);
        char n[64];
        snprintf(n, sizeof n, "%lld", (long long)r.emitted);
        host->set_attr(ctx, "archive.members", n);
        archive_read_free(a);
    }
    if (pw) {
        memset(pw, 0, strlen(pw));
        free(pw);
    }
    if (utf8) {
        uselocale(old);
        freelocale(utf8);
    }
    if (s)
        s->active--;
    return rc;
}

static const pledgex_plugin archive_plugin = {
    .abi_major = PLEDGEX_PLUGIN_ABI_MAJOR,
    .abi_minor = PLEDGEX_PLUGIN_ABI_MINOR,
    .name = "archive",
    .version = "1.0",
    .description = "archives (ZIP, tar.*, 7z, RAR, cpio, ISO 9660, ar) and compressed files: "
                   "members become inputs",
    .claims = archive_claims,
    .init = arc_init,
    .fini = arc_fini,
    .process = arc_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &archive_plugin;
}
