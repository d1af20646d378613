/*
 * archive_member.c -- one member streamed from libarchive into a temporary
 * file, 64 KiB at a time, so memory does not grow with the member and the
 * disk holds at most one member (per nesting level) at a time.  The limits
 * are checked as bytes arrive, so a bomb stops after a few MB, not after
 * it has filled the disk.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "archive_int.h"

#define CHUNK (64 * 1024)
/* Check cancellation every this many bytes within one member. */
#define CANCEL_EVERY (16LL << 20)

static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Bytes of the archive file consumed so far: the compressed side of the
 * ratio. */
static int64_t consumed(struct archive *a)
{
    int n = archive_filter_count(a);
    return n > 0 ? archive_filter_bytes(a, n - 1) : 0;
}

/* Whether the member (written bytes so far) or the archive as a whole
 * expands beyond the ratio. */
static int over_ratio(struct archive *a, int64_t start, int64_t written,
                      const arc_progress *arc, int64_t max_ratio)
{
    if (written <= ARC_RATIO_FLOOR_BYTES)
        return 0;
    if (arc->size > 0 && arc->written / arc->size > max_ratio)
        return 1;
    if (!arc->per_member)
        return 0;
    int64_t packed = consumed(a) - start;
    return written / (packed < 1 ? 1 : packed) > max_ratio;
}

arc_outcome pledgex__arc_stream_member(struct archive *a, const char *path,
                                       const arc_limits *lim, arc_budget *budget,
                                       arc_progress *arc, const pledgex_host *host,
                                       pledgex_ctx *ctx, int encrypted, int *fatal,
                                       char *reason, size_t reasonlen)
{
    static char buf[CHUNK]; /* process() never runs concurrently */
    *fatal = 0;
    reason[0] = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(reason, reasonlen, "cannot create a temporary file: %s", strerror(errno));
        return ARC_MEMBER_IO_ERROR;
    }
    int64_t start = consumed(a);
    int64_t written = 0, next_cancel_check = CANCEL_EVERY;
    int warnings = 0;
    arc_outcome out = ARC_MEMBER_OK;
    for (;;) {
        la_ssize_t n = archive_read_data(a, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            /* A warning (a bad checksum noticed at the end) keeps the data;
             * a reader that only warns, forever, is an error. */
            if (n == ARCHIVE_WARN && !encrypted && ++warnings < 16)
                continue;
            *fatal = n == ARCHIVE_FATAL;
            const char *e = archive_error_string(a);
            snprintf(reason, reasonlen, "%s", e ? e : "cannot decode the member");
            out = ARC_MEMBER_DATA_ERROR;
            break;
        }
        if (written + n > lim->max_member_bytes) {
            snprintf(reason, reasonlen,
                     "member larger than %lld bytes (--max-member-bytes); not extracted",
                     (long long)lim->max_member_bytes);
            out = ARC_MEMBER_OVER_SIZE;
            break;
        }
        if (budget->expanded + n > lim->max_total_bytes) {
            snprintf(reason, reasonlen,
                     "over %lld bytes expanded from this input (--max-total-bytes); "
                     "not extracted",
                     (long long)lim->max_total_bytes);
            out = ARC_MEMBER_OVER_TOTAL;
            break;
        }
        if (write_all(fd, buf, (size_t)n) != 0) {
            snprintf(reason, reasonlen, "cannot write a temporary file: %s", strerror(errno));
            out = ARC_MEMBER_IO_ERROR;
            break;
        }
        written += n;
        budget->expanded += n;
        arc->written += n;
        if (over_ratio(a, start, written, arc, lim->max_ratio)) {
            snprintf(reason, reasonlen,
                     "compression ratio over %lld after %lld bytes (--max-ratio): "
                     "a decompression bomb; not extracted",
                     (long long)lim->max_ratio, (long long)written);
            out = ARC_MEMBER_BOMB;
            break;
        }
        if (written >= next_cancel_check) {
            next_cancel_check += CANCEL_EVERY;
            if (host->cancelled(ctx)) {
                snprintf(reason, reasonlen, "interrupted");
                out = ARC_MEMBER_CANCELLED;
                break;
            }
        }
    }
    if (close(fd) != 0 && out == ARC_MEMBER_OK) {
        snprintf(reason, reasonlen, "cannot write a temporary file: %s", strerror(errno));
        out = ARC_MEMBER_IO_ERROR;
    }
    if (out != ARC_MEMBER_OK)
        unlink(path);
    return out;
}
