/*
 * archive_int.h -- (internal) the "archive" plugin: every format libarchive
 * reads, each regular member handed back to the host as a child input.
 *
 *   archive_plugin.c  descriptor, claims, the member loop, limits
 *   archive_member.c  one member streamed into a temporary file, bounded
 *   archive_names.c   member names: always UTF-8, never a path outside
 */
#ifndef PLEDGEX_ARCHIVE_H
#define PLEDGEX_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include <archive.h>

#include "pledgex-plugin.h"

/* Documented defaults of the host limits the plugin reads (pledgex ingest
 * --max-*).  max_depth is enforced by the host. */
#define ARC_MAX_MEMBER_BYTES_DEFAULT (1LL << 30) /* 1 GiB per member          */
#define ARC_MAX_TOTAL_BYTES_DEFAULT (8LL << 30)  /* 8 GiB per archive tree   */
#define ARC_MAX_RATIO_DEFAULT 100                /* expanded / compressed      */
#define ARC_MAX_MEMBERS_DEFAULT 100000           /* entries per archive        */
/* The ratio applies only once a member (or the archive) has expanded past
 * this: small members of text compress 20x legitimately, and a ratio over a
 * few bytes means nothing. */
#define ARC_RATIO_FLOOR_BYTES (4LL << 20)

/* Limits in force for one process() call. */
typedef struct arc_limits {
    int64_t max_member_bytes;
    int64_t max_total_bytes;
    int64_t max_ratio;
    int64_t max_members;
} arc_limits;

/* Byte budget shared by the archive levels read inline in one process (the
 * plugin state: a nested archive the host reads inline is processed inside
 * its parent's process() call). */
typedef struct arc_budget {
    int64_t expanded; /* bytes written into member files so far */
} arc_budget;

/* The archive being read, for the ratio: bytes written from it so far and
 * its own size.  per_member: the format consumes each member's compressed
 * bytes while the member is read (tar and friends under any filter, ZIP,
 * cpio, ar), so a member's own ratio can be measured; solid 7z/RAR blocks
 * and seeking readers only give the archive's overall ratio. */
typedef struct arc_progress {
    int64_t written;
    int64_t size;
    int per_member;
} arc_progress;

/* How streaming one member ended. */
typedef enum arc_outcome {
    ARC_MEMBER_OK,        /* the file holds the whole member               */
    ARC_MEMBER_OVER_SIZE, /* over max_member_bytes: partial file removed   */
    ARC_MEMBER_OVER_TOTAL,/* over max_total_bytes: partial file removed    */
    ARC_MEMBER_BOMB,      /* over max_ratio: partial file removed          */
    ARC_MEMBER_CANCELLED, /* host->cancelled(): partial file removed       */
    ARC_MEMBER_DATA_ERROR,/* libarchive could not decode it (reason set)   */
    ARC_MEMBER_IO_ERROR   /* cannot write the temporary file (reason set)  */
} arc_outcome;

/* Streams the current entry's data into a new file `path` (created
 * exclusively, 0600), enforcing the limits (the ratio as arc allows).  On
 * any outcome but
 * ARC_MEMBER_OK the file is removed.  *fatal is set when libarchive says
 * the archive cannot be read further.  reason gets a sentence for the
 * index.  A bad checksum keeps the data of a damaged member, unless
 * `encrypted`: then it means a wrong password that passed the one-byte
 * ZipCrypto check (1 in 256), and the data is garbage. */
arc_outcome pledgex__arc_stream_member(struct archive *a, const char *path,
                                       const arc_limits *lim, arc_budget *budget,
                                       arc_progress *arc, const pledgex_host *host,
                                       pledgex_ctx *ctx, int encrypted, int *fatal,
                                       char *reason, size_t reasonlen);

/* The member name as UTF-8.  `raw` is what libarchive gave (bytes of the
 * archive's own charset when it did not convert them); when it is not valid
 * UTF-8 it is decoded from the legacy code page the heuristic finds most
 * plausible (CP1258, CP437, CP1252).  *charset (may be NULL) gets
 * the code page used, or NULL when the name was UTF-8 already.  Returns a
 * string the caller frees, or NULL when out of memory. */
char *pledgex__arc_name_utf8(const char *raw, const char **charset);

/* The name made safe for an address: backslashes of Windows archivers
 * become '/' (when `backslash` is set), a drive letter and leading '/' go,
 * '.' and empty components go, '..' never climbs above the archive root.
 * Rewrites `name` in place; returns 1 when the name tried to leave the
 * archive (absolute, drive letter, '..' above the root). */
int pledgex__arc_name_sanitise(char *name, int backslash);

/* Both of the above, as the plugin names members (and `pack` must name
 * them the same): decoded, sanitised (backslashes too for ZIP), "unnamed"
 * when nothing is left.  *climbed (may be NULL) gets the decoded name
 * before sanitising when it tried to leave the archive (caller frees).
 * Caller frees the result; NULL when out of memory. */
char *pledgex__arc_member_name(const char *raw, int zip, char **climbed,
                               const char **charset);

/* The member name of a bare compressed file (not an archive): its own
 * base name without the compression suffix ("a.txt.gz" -> "a.txt"), or
 * "data".  Caller frees. */
char *pledgex__arc_raw_name(const char *name);

/* Whether the bytes are valid UTF-8 (no overlongs, no surrogates). */
int pledgex__arc_utf8_valid(const char *s, size_t len);

#endif
