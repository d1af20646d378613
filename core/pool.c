/*
 * pool.c -- pledgex_ingest(): the batch.  The parent walks the inputs, hands
 * jobs to worker processes and is the only writer to the index.
 *
 * Workers are forked after the plugins are loaded (GNU libextractor's
 * out-of-process model): a plugin that crashes, hangs or eats memory costs
 * the input it was reading, never the batch.  The parent notices a dead
 * worker by the end of its pipe, records the input as failed with the
 * signal and the plugin, and starts a new worker.  A watchdog kills a worker
 * whose input makes no progress (no page done) for the time limit: a
 * 500-page PDF may take an hour, one page may not.  jobs == 0 runs everything in the
 * parent, for debugging.
 *
 * Archive members spread over the pool: a worker reading an archive hands
 * each member (already extracted to a private file) back to the parent as a
 * job of its own, up to SPOOL_PER_WORKER at a time (beyond that it reads the
 * member itself, so nothing waits on anything and disk use stays bounded).
 * Member jobs go before new inputs.  A container's own document is held
 * until every member handed out has been stored: it stays the commit marker
 * that tells a re-run the input is done.
 *
 * Each worker holds jobs already sent beside the one it reads, so it never
 * waits for the parent (busy storing or committing) between two small
 * inputs: one more (SLOT_DEPTH_SLOW) after a job that took time, up to
 * SLOT_DEPTH while its jobs take under FAST_JOB_NS each; it gets more as
 * soon as the parent has read that one ended, before the parent stores
 * what else came.  The first job of a slot is the one in progress: it is
 * the one a crash or a timeout is charged to; the others go back to the
 * queue.  A job is queued only behind small files (QUEUE_BEHIND_MAX: every
 * job ahead of it in the slot is one), so a cheap input does not wait
 * behind a slow page, a large archive or an archive member, and a slow
 * job queues at most one behind it.
 *
 * Channels are socket pairs rather than pipes: a write to a worker that just
 * died must be an error (MSG_NOSIGNAL), not a SIGPIPE that kills the
 * caller's program.
 *
 * Messages: a 1-byte type, a 4-byte length, the payload.
 *   worker -> parent
 *     'N' address NUL plugin          work on a document starts
 *     'D' flag(1) serialized doc      a finished document (flag: replace_tree)
 *     'U' address                     the input is unchanged
 *     'W' address NUL message         a warning
 *     'P' address                     progress (restarts the watchdog)
 *     'C' task(8) depth(4) expanded(8) address NUL name NUL path NUL parent NUL
 *                                     a member handed to the pool
 *     'E'                             the job is over
 *   parent -> worker
 *     'T' address NUL path NUL known_sha    read a top-level input
 *     'K' task(8) depth(4) expanded(8) address NUL name NUL path NUL parent NUL
 *                                           read a member
 *     'A'                                   one member handed out is done
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "index.h"
#include "pipeline.h"

static volatile sig_atomic_t worker_cancel;

/* ---------------------------------------------------------------- writer */

typedef struct writer {
    pledgex_engine *engine;
    pledgex_index *index;
    pledgex_event_fn on_event;
    void *user;
    pledgex_ingest_stats *stats;
    size_t done, total;
    int fatal;
} writer;

static void event_pdf(writer *w, pledgex_event_type type, const char *address,
                      const char *status, const char *message, size_t pages, const char *pdf)
{
    if (!w->on_event)
        return;
    pledgex_event ev = {type, address, status, message, w->done, w->total, pages, pdf};
    w->on_event(w->user, &ev);
}

static void event(writer *w, pledgex_event_type type, const char *address, const char *status,
                  const char *message, size_t pages)
{
    event_pdf(w, type, address, status, message, pages, NULL);
}

static int writer_put(void *u, const pledgex_doc *doc, int replace_tree)
{
    writer *w = u;
    if (w->fatal)
        return PLEDGEX_FATAL;
    int rc = pledgex__index_put(w->index, doc, replace_tree);
    if (rc != PLEDGEX_OK) {
        w->fatal = 1;
        pledgex__engine_error(w->engine, PLEDGEX_FATAL, "index error while storing %s: %s",
                              doc->address, pledgex_index_errmsg(w->index));
        return rc;
    }
    size_t pages = 0, review = 0;
    int last_page = -1;
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (doc->blocks[i].page > 0 && doc->blocks[i].page != last_page &&
            !strcmp(doc->blocks[i].kind, "ocr")) {
            pages++;
            last_page = doc->blocks[i].page;
        }
        if (doc->blocks[i].flags & PLEDGEX_BLOCK_NEEDS_REVIEW)
            review++;
    }
    pledgex_ingest_stats *s = w->stats;
    s->pages += pages;
    s->needs_review += review;
    if (doc->status == PLEDGEX_OK)
        s->ok++;
    else if (doc->status == PLEDGEX_SKIP)
        s->skipped++;
    else
        s->failed++;
    if (doc->depth == 0)
        w->done++;
    event_pdf(w, PLEDGEX_EVENT_DONE, doc->address, pledgex__status_name(doc->status), doc->error,
              pages, pledgex__doc_attr(doc, "pdf"));
    return PLEDGEX_OK;
}

static void writer_note(void *u, const char *address, const char *plugin)
{
    writer *w = u;
    event(w, PLEDGEX_EVENT_FILE, address, NULL, plugin, 0);
}

static void writer_unchanged(void *u, const char *address)
{
    writer *w = u;
    w->stats->unchanged++;
    w->done++;
    event(w, PLEDGEX_EVENT_DONE, address, "unchanged", NULL, 0);
}

static void writer_warning(void *u, const char *address, const char *message)
{
    event(u, PLEDGEX_EVENT_WARNING, address, NULL, message, 0);
}

/* ---------------------------------------------------------- scheduling */

/* Workers run this much nicer than the parent.  On a batch of small
 * documents the parent, the only writer, is the stage everything waits
 * for, yet with as many workers as cores the scheduler gave it a fair
 * share of a core, not a core; at a lower priority the workers take what
 * it leaves (bench/search: 100,000 text documents 24.1 -> 21.6 s, 10,000
 * 2.0 -> 1.8 s, medians of three).  On OCR and other heavy inputs the parent is idle and the
 * workers lose nothing. */
#define WORKER_NICENESS 10

static void lower_priority(void)
{
    errno = 0;
    int now = getpriority(PRIO_PROCESS, 0);
    if (errno == 0 && now + WORKER_NICENESS <= 19)
        (void)setpriority(PRIO_PROCESS, 0, now + WORKER_NICENESS);
    else if (errno == 0 && now < 19)
        (void)setpriority(PRIO_PROCESS, 0, 19);
}

/* ------------------------------------------------------------ pipe I/O */

#define SPOOL_PER_WORKER 4
/* 100,000 text documents (bench/search), workers niced: 2 jobs per worker
 * 23.3-24.8 s, 8 jobs 21.6 s, 32 jobs and the early top-up 20.5-21.0 s.
 * With 2, the parent slept in poll() once per document, waiting for
 * workers that were idle two thirds of the time.  256 with 2 MB channel
 * buffers (CHANNEL_BUFFER), 2026-11-27: 17.8 -> 16.1 s; either alone
 * gained nothing (a worker further ahead filled the default buffer and
 * blocked; a wider buffer with 32 jobs had nothing more to hold). */
#define SLOT_DEPTH 256
#define SLOT_DEPTH_SLOW 2
/* (ingest speed) When no worker has written anything yet, the parent naps
 * this long before it waits in poll(), so it wakes for what the workers
 * wrote meanwhile, not for each message (and never naps with results
 * waiting): with small documents it slept and woke about once per
 * document (15k context switches for 10k texts), each switch also taking
 * a core from a worker.  10k corpus, whole ingest, CPU of all processes
 * (medians of 5): 1.93 s without, 1.72 s at 1 ms, 1.73 s at 2 ms, 1.69 s
 * at 5 ms.  Only while every busy worker has more than NAP_QUEUE_MIN jobs
 * queued, so none runs dry during a nap: a worker that looked slow holds
 * SLOT_DEPTH_SLOW jobs, waited a nap for each refill, and the 100k corpus
 * took 16 s instead of 10 (the workers, at nice +10, were starved by
 * other load, which made their jobs look slow). */
#define POLL_NAP_NS (1000 * 1000L)
#define NAP_QUEUE_MIN 16
#define FAST_JOB_NS (20 * 1000000L)
#define QUEUE_BEHIND_MAX (16 * 1024)

/* Writes the iovecs whole (one system call in the usual case). */
static int send_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        struct msghdr mh;
        memset(&mh, 0, sizeof mh);
        mh.msg_iov = iov;
        mh.msg_iovlen = (size_t)n;
        ssize_t k = sendmsg(fd, &mh, MSG_NOSIGNAL);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        while (n > 0 && (size_t)k >= iov->iov_len) {
            k -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + k;
            iov->iov_len -= (size_t)k;
        }
    }
    return 0;
}

/* 1 read, 0 end of file, -1 error. */
static int read_all(int fd, void *p, size_t n)
{
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, c + got, n - got);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (k == 0)
            return got == 0 ? 0 : -1;
        got += (size_t)k;
    }
    return 1;
}

static int send_msg(int fd, char type, const void *a, size_t na, const void *b, size_t nb)
{
    unsigned char head[5];
    uint32_t len = (uint32_t)(na + nb);
    head[0] = (unsigned char)type;
    memcpy(head + 1, &len, 4);
    struct iovec iov[3] = {{head, 5}, {(void *)a, na}, {(void *)b, nb}};
    return send_all(fd, iov, nb ? 3 : na ? 2 : 1);
}

/* Reads one message; *payload (NUL-terminated) is the caller's.  1 read,
 * 0 end of file, -1 error. */
static int recv_msg(int fd, char *type, unsigned char **payload, uint32_t *len)
{
    unsigned char head[5];
    int r = read_all(fd, head, 5);
    if (r != 1)
        return r;
    *type = (char)head[0];
    memcpy(len, head + 1, 4);
    unsigned char *p = malloc((size_t)*len + 1);
    if (!p)
        return -1;
    if (*len && read_all(fd, p, *len) != 1) {
        free(p);
        return -1;
    }
    p[*len] = 0;
    *payload = p;
    return 1;
}

/* A member job's description: task(8) depth(4) expanded(8), then four
 * strings. */
static unsigned char *pack_member(uint64_t task, int depth, int64_t expanded,
                                  const char *address, const char *name, const char *path,
                                  const char *parent, size_t *len)
{
    size_t la = strlen(address) + 1, ln = strlen(name) + 1, lp = strlen(path) + 1,
           lr = strlen(parent) + 1;
    *len = 20 + la + ln + lp + lr;
    unsigned char *b = malloc(*len);
    if (!b)
        return NULL;
    int32_t d = depth;
    memcpy(b, &task, 8);
    memcpy(b + 8, &d, 4);
    memcpy(b + 12, &expanded, 8);
    unsigned char *w = b + 20;
    memcpy(w, address, la);
    memcpy(w += la, name, ln);
    memcpy(w += ln, path, lp);
    memcpy(w + lp, parent, lr);
    return b;
}

typedef struct member_job {
    uint64_t task;
    int depth;
    int64_t expanded; /* bytes its top-level input had expanded to then */
    const char *address, *name, *path, *parent; /* into the payload */
} member_job;

static int unpack_member(const unsigned char *b, uint32_t len, member_job *m)
{
    if (len < 24 || b[len - 1] != 0)
        return -1;
    int32_t d;
    memcpy(&m->task, b, 8);
    memcpy(&d, b + 8, 4);
    memcpy(&m->expanded, b + 12, 8);
    m->depth = d;
    const char *p = (const char *)b + 20, *end = (const char *)b + len;
    const char **f[4] = {&m->address, &m->name, &m->path, &m->parent};
    for (int i = 0; i < 4; i++) {
        if (p >= end)
            return -1;
        *f[i] = p;
        p += strlen(p) + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- worker */

typedef struct worker_state {
    int task_fd, result_fd;
    int outstanding; /* members handed out and not yet acknowledged */
    const char *tmpbase;
    int64_t timeout;
    time_t last_progress;
    /* Jobs that arrived while acknowledgements were being read (the parent
     * queues up to SLOT_DEPTH jobs): kept, in order, for the main loop. */
    struct {
        char type;
        unsigned char *msg;
        uint32_t len;
    } held[SLOT_DEPTH];
    int nheld;
    /* (ingest speed) The job's own document, serialised and not yet sent:
     * it goes with the next message, the job's end ('E'), in one write
     * instead of two (NULL when none). */
    unsigned char *doc;
    size_t ndoc;
    unsigned char doc_flag;
} worker_state;

/* Sends the document held back, if any, followed by the message type
 * (with a and b as send_msg has them) when type is not 0. */
static int send_held(worker_state *ws, char type, const void *a, size_t na, const void *b,
                     size_t nb)
{
    if (!ws->doc)
        return type ? send_msg(ws->result_fd, type, a, na, b, nb) : 0;
    unsigned char dhead[5], head[5];
    uint32_t dlen = (uint32_t)(1 + ws->ndoc), len = (uint32_t)(na + nb);
    dhead[0] = 'D';
    memcpy(dhead + 1, &dlen, 4);
    head[0] = (unsigned char)type;
    memcpy(head + 1, &len, 4);
    struct iovec iov[6] = {{dhead, 5},  {&ws->doc_flag, 1}, {ws->doc, ws->ndoc},
                           {head, 5},   {(void *)a, na},    {(void *)b, nb}};
    int rc = send_all(ws->result_fd, iov, type ? 6 : 3);
    free(ws->doc);
    ws->doc = NULL;
    return rc;
}

static int pipe_put(void *u, const pledgex_doc *doc, int replace_tree)
{
    worker_state *ws = u;
    unsigned char *buf;
    size_t len;
    if (pledgex__doc_serialize(doc, &buf, &len))
        return PLEDGEX_FATAL;
    unsigned char flag = (unsigned char)(replace_tree != 0);
    /* Only a job's own document, the last thing it sends, waits for the
     * end message: a member's goes at once, so a worker that dies later
     * in its archive has delivered it, as before. */
    int rc = send_held(ws, 0, NULL, 0, NULL, 0); /* none is held: a job has one */
    if (rc == 0 && !replace_tree)
        rc = send_msg(ws->result_fd, 'D', &flag, 1, buf, len);
    if (rc != 0 || !replace_tree) {
        free(buf);
        return rc ? PLEDGEX_FATAL : PLEDGEX_OK;
    }
    ws->doc = buf;
    ws->ndoc = len;
    ws->doc_flag = flag;
    return PLEDGEX_OK;
}

static void pipe_note(void *u, const char *address, const char *plugin)
{
    worker_state *ws = u;
    send_held(ws, 'N', address, strlen(address) + 1, plugin, strlen(plugin) + 1);
}

static void pipe_unchanged(void *u, const char *address)
{
    worker_state *ws = u;
    send_held(ws, 'U', address, strlen(address) + 1, NULL, 0);
}

static void pipe_warning(void *u, const char *address, const char *message)
{
    worker_state *ws = u;
    send_held(ws, 'W', address, strlen(address) + 1, message, strlen(message) + 1);
}

/* At most one heartbeat a second goes up the pipe. */
static void pipe_progress(void *u, const char *address)
{
    worker_state *ws = u;
    time_t now = time(NULL);
    if (now == ws->last_progress)
        return;
    ws->last_progress = now;
    send_held(ws, 'P', address, strlen(address) + 1, NULL, 0);
    alarm(0); /* the time limit restarts with the parent's watchdog */
    if (ws->timeout > 0)
        alarm((unsigned)(ws->timeout > 2 ? ws->timeout - 1 : ws->timeout));
}

/* Reads the acknowledgements waiting on the task pipe (only those can
 * arrive while the worker is busy). */
static void drain_acks(worker_state *ws)
{
    struct pollfd p = {ws->task_fd, POLLIN, 0};
    while (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
        char type;
        unsigned char *payload = NULL;
        uint32_t len;
        if (recv_msg(ws->task_fd, &type, &payload, &len) != 1) {
            free(payload);
            return;
        }
        if (type == 'A') {
            if (ws->outstanding > 0)
                ws->outstanding--;
            free(payload);
        } else if (ws->nheld < SLOT_DEPTH) {
            ws->held[ws->nheld].type = type;
            ws->held[ws->nheld].msg = payload;
            ws->held[ws->nheld].len = len;
            ws->nheld++;
        } else {
            free(payload); /* cannot happen: the parent sends at most that many */
        }
    }
}

/* The next job message: one held by drain_acks, else from the socket. */
static int next_task(worker_state *ws, char *type, unsigned char **msg, uint32_t *len)
{
    if (ws->nheld > 0) {
        *type = ws->held[0].type;
        *msg = ws->held[0].msg;
        *len = ws->held[0].len;
        ws->nheld--;
        memmove(ws->held, ws->held + 1, (size_t)ws->nheld * sizeof ws->held[0]);
        return 1;
    }
    return recv_msg(ws->task_fd, type, msg, len);
}

static int worker_spool(pledgex_run *run, const char *address, const char *name,
                        const char *path, const char *parent, int depth)
{
    worker_state *ws = run->spool_user;
    size_t nb = strlen(ws->tmpbase);
    /* Only files of our own temporary tree may be moved. */
    if (strncmp(path, ws->tmpbase, nb) != 0 || path[nb] != '/')
        return PLEDGEX_SKIP;
    drain_acks(ws);
    if (ws->outstanding >= SPOOL_PER_WORKER)
        return PLEDGEX_SKIP;
    char *spooled = NULL;
    if (pledgex__mkdtemp_in(ws->tmpbase, "spool", &spooled) != PLEDGEX_OK)
        return PLEDGEX_SKIP;
    size_t n = strlen(spooled) + 8;
    char *target = malloc(n);
    if (!target || (snprintf(target, n, "%s/m", spooled), rename(path, target) != 0)) {
        rmdir(spooled);
        free(spooled);
        free(target);
        return PLEDGEX_SKIP;
    }
    free(spooled);
    size_t len;
    unsigned char *msg =
        pack_member(run->task, depth, run->expanded_bytes, address, name, target, parent, &len);
    int rc = msg ? send_held(ws, 'C', msg, len, NULL, 0) : -1;
    free(msg);
    if (rc != 0) {
        /* The parent is gone; read it here so nothing is lost. */
        int r = pledgex__process_one(run, address, name, target, parent, depth, NULL, 0);
        unlink(target);
        free(target);
        return r == PLEDGEX_FATAL ? PLEDGEX_FATAL : PLEDGEX_OK;
    }
    free(target);
    ws->outstanding++;
    return PLEDGEX_OK;
}

/* The address-space limit of a worker.  Under AddressSanitizer, whose shadow
 * memory reserves terabytes of address space at start, an absolute limit
 * would starve every worker; there it counts from what is mapped already,
 * so a sanitizer build (scripts/sanitize.sh) keeps the same behaviour. */
#if defined(__SANITIZE_ADDRESS__)
#define PX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PX_ASAN 1
#endif
#endif

static rlim_t worker_as_limit(int64_t mem_mb)
{
    rlim_t lim = (rlim_t)mem_mb << 20;
#ifdef PX_ASAN
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    lim += (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
#endif
    return lim;
}

static void on_alarm(int sig)
{
    (void)sig;
    worker_cancel = 1;
}

/* Removes a spooled member file and its private directory. */
static void unspool(const char *path)
{
    unlink(path);
    char *dir = strdup(path);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = 0;
            rmdir(dir);
        }
        free(dir);
    }
}

static void worker_main(pledgex_engine *e, const char *tmpbase, int task_fd, int result_fd)
{
    /* Libraries under the plugins (libjpeg, libpng, poppler) print to
     * stderr on damaged input; the user sees the reason in the document's
     * error and warnings instead.  PLEDGEX_DEBUG keeps their output. */
    if (!getenv("PLEDGEX_DEBUG")) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 2);
            close(null);
        }
    }
    signal(SIGINT, SIG_IGN); /* the parent decides; it kills us */
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    int64_t mem_mb = pledgex_engine_limit(e, "max_memory_mb", 4096);
    if (mem_mb > 0) {
        struct rlimit rl = {worker_as_limit(mem_mb), worker_as_limit(mem_mb)};
        setrlimit(RLIMIT_AS, &rl);
    }
    int64_t timeout = pledgex_engine_limit(e, "input_timeout_s", 600);
    worker_state ws = {task_fd, result_fd, 0, tmpbase, timeout, 0, {{0, NULL, 0}}, 0, NULL, 0, 0};
    pledgex_sink sink = {pipe_put, pipe_note, pipe_unchanged, pipe_warning, pipe_progress, &ws};
    for (;;) {
        char type;
        unsigned char *msg = NULL;
        uint32_t len;
        if (next_task(&ws, &type, &msg, &len) != 1)
            break;
        if (type == 'A') {
            if (ws.outstanding > 0)
                ws.outstanding--;
            free(msg);
            continue;
        }
        pledgex_run run = {.engine = e, .tmpbase = tmpbase, .sink = &sink,
                           .cancel = &worker_cancel, .spool = worker_spool, .spool_user = &ws};
        worker_cancel = 0;
        /* The plugin is asked to stop a little before the parent kills. */
        if (timeout > 0)
            alarm((unsigned)(timeout > 2 ? timeout - 1 : timeout));
        if (type == 'T') {
            const char *address = (const char *)msg;
            const char *path = address + strlen(address) + 1;
            const char *sha = path + strlen(path) + 1;
            pledgex__process_top(&run, address, path, *sha ? sha : NULL);
        } else if (type == 'K') {
            member_job m;
            if (unpack_member(msg, len, &m) == 0) {
                run.task = m.task;
                run.expanded_bytes = m.expanded;
                pledgex__process_one(&run, m.address, m.name, m.path, m.parent, m.depth, NULL,
                                     0);
                unspool(m.path);
            }
        }
        alarm(0);
        free(msg);
        if (send_held(&ws, 'E', NULL, 0, NULL, 0))
            break;
    }
    _exit(0);
}

/* ---------------------------------------------------------------- parent */

/* A unit of work: a top-level input or a member handed out by a worker. */
typedef struct job {
    char *address, *path;
    char *name, *parent; /* members only */
    const char *skip;    /* top-level inputs only: reason not to read */
    int depth;
    uint64_t task;
    int64_t size; /* top-level inputs: bytes, or -1 */
    int member;
    int origin;       /* slot that handed the member out */
    pid_t origin_pid; /* ... and its process then */
    int64_t expanded; /* members: bytes expanded from its input so far */
} job;

/* A container whose members are still out: its own document waits. */
typedef struct container {
    char *address;
    int pending;
    unsigned char *held; /* serialized document, or NULL until it comes */
    size_t held_len;
    int replace_tree;
} container;

typedef struct slot {
    pid_t pid;
    int task_fd, result_fd;
    long q[SLOT_DEPTH]; /* jobs sent, q[0] the one in progress */
    int nq;
    time_t started;     /* when q[0] started */
    struct timespec head_since; /* when q[0] became the job in progress */
    int fast;           /* the last job took under FAST_JOB_NS */
    char *current;      /* address being read (from 'N')         */
    char *plugin;       /* plugin reading it                     */
    int killed_for_time;
    /* What came from the worker and is not handled yet: one read takes
     * whatever is there (a small document is three messages). */
    unsigned char *in;
    size_t in_len, in_cap;
} slot;

typedef struct pool {
    pledgex_engine *engine;
    writer *w;
    pledgex_run *prun;
    const char *tmpbase;
    job *jobs;
    size_t njobs, cap_jobs, next_top, ntop;
    long *memberq; /* FIFO of member job indexes */
    size_t q_head, q_len, q_cap;
    container *containers;
    size_t ncontainers;
    slot *slots;
    int nslots;
} pool;

/* Socket buffers between a worker and the parent: with the default
 * (~200 KB) a worker that ran ahead of a parent busy committing blocked
 * on its next small document (see SLOT_DEPTH). */
#define CHANNEL_BUFFER (2 * 1024 * 1024)

/* Widens both ends' buffers of a socket pair; the kernel caps the size at
 * its limit (net.core.wmem_max), and a refusal only costs speed. */
static void widen(int fds[2])
{
    int size = CHANNEL_BUFFER;
    for (int i = 0; i < 2; i++) {
        (void)setsockopt(fds[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        (void)setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
}

static int spawn(pool *P, slot *s)
{
    int tp[2], rp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, tp) != 0)
        return -1;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, rp) != 0) {
        close(tp[0]);
        close(tp[1]);
        return -1;
    }
    widen(tp);
    widen(rp);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(tp[0]);
        close(tp[1]);
        close(rp[0]);
        close(rp[1]);
        return -1;
    }
    if (pid == 0) {
        /* Close the other workers' pipes so their ends of file work. */
        for (int i = 0; i < P->nslots; i++)
            if (P->slots[i].pid > 0) {
                close(P->slots[i].task_fd);
                close(P->slots[i].result_fd);
            }
        close(tp[1]);
        close(rp[0]);
        lower_priority();
        worker_main(P->engine, P->tmpbase, tp[0], rp[1]);
    }
    close(tp[0]);
    close(rp[1]);
    s->pid = pid;
    s->task_fd = tp[1];
    s->result_fd = rp[0];
    s->nq = 0;
    s->fast = 0; /* a new worker starts like the first: one job ahead */
    s->current = s->plugin = NULL;
    s->killed_for_time = 0;
    return 0;
}

static void reap(slot *s, int *status)
{
    close(s->task_fd);
    close(s->result_fd);
    waitpid(s->pid, status, 0);
    s->pid = -1;
    free(s->current);
    free(s->plugin);
    s->current = s->plugin = NULL;
    s->in_len = 0; /* what a dead worker left half-sent is dropped */
}

static int64_t timeout_of(pledgex_engine *e)
{
    return pledgex_engine_limit(e, "input_timeout_s", 600);
}

static container *find_container(pool *P, const char *address)
{
    for (size_t i = 0; i < P->ncontainers; i++)
        if (!strcmp(P->containers[i].address, address))
            return &P->containers[i];
    return NULL;
}

static void drop_container(pool *P, container *c)
{
    free(c->address);
    free(c->held);
    *c = P->containers[--P->ncontainers];
}

/* The member job of `address` still waiting for its document, or NULL. */
static job *member_of(pool *P, const char *address)
{
    for (size_t i = P->ntop; i < P->njobs; i++)
        if (P->jobs[i].member && P->jobs[i].address && !strcmp(P->jobs[i].address, address))
            return &P->jobs[i];
    return NULL;
}

static void store(pool *P, const pledgex_doc *doc, int replace_tree);

/* A document of `address` is stored: if it was a member handed out, its
 * container has one member less to wait for, and may be stored in turn. */
static void resolved(pool *P, const char *address)
{
    job *j = member_of(P, address);
    if (!j)
        return;
    char *parent = j->parent;
    j->parent = NULL;
    free(j->address);
    j->address = NULL; /* the job is settled */
    /* the worker that handed it out may hand out another */
    if (j->origin >= 0 && P->slots[j->origin].pid == j->origin_pid)
        send_msg(P->slots[j->origin].task_fd, 'A', NULL, 0, NULL, 0);
    container *c = parent ? find_container(P, parent) : NULL;
    if (c && --c->pending <= 0 && c->held) {
        pledgex_doc *doc = NULL;
        int replace = c->replace_tree;
        if (pledgex__doc_deserialize(c->held, c->held_len, &doc) == PLEDGEX_OK) {
            drop_container(P, c);
            store(P, doc, replace);
            pledgex__doc_free(&doc);
        } else {
            drop_container(P, c);
        }
    } else if (c && c->pending <= 0) {
        drop_container(P, c);
    }
    free(parent);
}

static void store(pool *P, const pledgex_doc *doc, int replace_tree)
{
    P->prun->sink->put(P->prun->sink->u, doc, replace_tree);
    resolved(P, doc->address);
}

/* A document from a worker: stored, or held while its members are out. */
static void arrived(pool *P, const unsigned char *bytes, size_t len, int replace_tree)
{
    pledgex_doc *doc = NULL;
    if (pledgex__doc_deserialize(bytes, len, &doc) != PLEDGEX_OK)
        return;
    container *c = find_container(P, doc->address);
    if (c && c->pending > 0) {
        free(c->held);
        c->held = malloc(len);
        if (c->held) {
            memcpy(c->held, bytes, len);
            c->held_len = len;
            c->replace_tree = replace_tree;
            pledgex__doc_free(&doc);
            return;
        }
    }
    if (c)
        drop_container(P, c);
    store(P, doc, replace_tree);
    pledgex__doc_free(&doc);
}

static int add_job(pool *P, job *j)
{
    if (P->njobs == P->cap_jobs) {
        size_t ncap = P->cap_jobs ? P->cap_jobs * 2 : 64;
        job *g = realloc(P->jobs, ncap * sizeof *g);
        if (!g)
            return -1;
        P->jobs = g;
        P->cap_jobs = ncap;
    }
    P->jobs[P->njobs++] = *j;
    return 0;
}

static int push_member(pool *P, long index)
{
    if (P->q_len == P->q_cap) {
        size_t ncap = P->q_cap ? P->q_cap * 2 : 32;
        long *g = malloc(ncap * sizeof *g);
        if (!g)
            return -1;
        for (size_t i = 0; i < P->q_len; i++)
            g[i] = P->memberq[(P->q_head + i) % P->q_cap];
        free(P->memberq);
        P->memberq = g;
        P->q_head = 0;
        P->q_cap = ncap;
    }
    P->memberq[(P->q_head + P->q_len++) % P->q_cap] = index;
    return 0;
}

/* A member handed out by the worker in slot s. */
static void member_spooled(pool *P, int s, const unsigned char *msg, uint32_t len)
{
    member_job m;
    if (unpack_member(msg, len, &m) != 0)
        return;
    container *c = find_container(P, m.parent);
    if (!c) {
        container *g = realloc(P->containers, (P->ncontainers + 1) * sizeof *g);
        if (!g)
            return;
        P->containers = g;
        c = &g[P->ncontainers++];
        memset(c, 0, sizeof *c);
        c->address = strdup(m.parent);
    }
    job j = {strdup(m.address), strdup(m.path), strdup(m.name), strdup(m.parent), NULL,
             m.depth, m.task, -1, 1, s, P->slots[s].pid, m.expanded};
    if (!j.address || !j.path || !j.name || !j.parent || add_job(P, &j) != 0 ||
        push_member(P, (long)P->njobs - 1) != 0) {
        free(j.address);
        free(j.path);
        free(j.name);
        free(j.parent);
        return;
    }
    c->pending++;
}

/* Sends job i to slot s.  Returns 1 sent, 0 settled here, -1 error. */
static int dispatch(pool *P, slot *s, long i)
{
    job *j = &P->jobs[i];
    if (j->skip) {
        pledgex__put_status(P->prun, j->address, j->address, NULL, 0, PLEDGEX_SKIP, j->skip);
        return 0;
    }
    int rc;
    if (j->member) {
        size_t len;
        unsigned char *msg = pack_member(j->task, j->depth, j->expanded, j->address, j->name,
                                         j->path, j->parent, &len);
        rc = msg ? send_msg(s->task_fd, 'K', msg, len, NULL, 0) : -1;
        free(msg);
    } else {
        char *sha = NULL;
        int status = 0;
        if (pledgex__index_lookup(P->w->index, j->address, &sha, &status) != PLEDGEX_OK ||
            status != PLEDGEX_OK) {
            free(sha);
            sha = NULL;
        }
        size_t la = strlen(j->address) + 1, lp = strlen(j->path) + 1;
        char *head = malloc(la + lp);
        if (!head) {
            free(sha);
            return -1;
        }
        memcpy(head, j->address, la);
        memcpy(head + la, j->path, lp);
        rc = send_msg(s->task_fd, 'T', head, la + lp, sha ? sha : "", sha ? strlen(sha) : 0);
        free(head);
        free(sha);
    }
    /* A worker that died since its last message cannot take the job: the
     * job stays in its queue and goes back with the others when the death
     * is noticed (its channel's end of file). */
    (void)rc;
    if (s->nq == 0) {
        s->started = time(NULL);
        clock_gettime(CLOCK_MONOTONIC, &s->head_since);
    }
    s->q[s->nq++] = i;
    return 1;
}

static void record_death(pool *P, slot *s, const job *j, int status)
{
    char reason[1200];
    const char *plugin = s->plugin ? s->plugin : "?";
    const char *where = s->current ? s->current : j->address;
    if (s->killed_for_time) {
        snprintf(reason, sizeof reason,
                 "timed out after %lld s without progress in plugin %s while reading %s",
                 (long long)timeout_of(P->engine), plugin, where);
    } else if (WIFSIGNALED(status)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(status));
        snprintf(reason, sizeof reason, "crashed: SIG%s in plugin %s while reading %s",
                 abbrev ? abbrev : "?", plugin, where);
    } else {
        snprintf(reason, sizeof reason,
                 "worker exited with status %d in plugin %s while reading %s",
                 WEXITSTATUS(status), plugin, where);
    }
    pledgex_doc *doc = pledgex__doc_new(j->address);
    if (!doc)
        return;
    pledgex__doc_set(&doc->name, j->member ? j->name : j->address);
    pledgex__doc_set(&doc->parent, j->member ? j->parent : NULL);
    pledgex__doc_set(&doc->error, reason);
    doc->depth = j->depth;
    doc->task = j->task;
    doc->status = PLEDGEX_FAILED;
    /* a failed container is stored now, whatever its members do */
    container *c = find_container(P, j->address);
    if (c)
        drop_container(P, c);
    store(P, doc, 0);
    pledgex__doc_free(&doc);
    if (j->member)
        unspool(j->path);
}

/* Reads one message from the worker in slot i.  Returns 0 ok, 1 end of
 * job, -1 the worker is gone. */
static int handle_message(pool *P, int i, char type, unsigned char *p, uint32_t len)
{
    slot *s = &P->slots[i];
    int rc = 0;
    switch (type) {
    case 'N': {
        const char *addr = (const char *)p;
        const char *plugin = addr + strlen(addr) + 1;
        free(s->current);
        free(s->plugin);
        s->current = strdup(addr);
        s->plugin = strdup(plugin);
        writer_note(P->w, addr, plugin);
        break;
    }
    case 'D':
        if (len >= 1)
            arrived(P, p + 1, len - 1, p[0]);
        break;
    case 'U':
        writer_unchanged(P->w, (const char *)p);
        break;
    case 'W': {
        const char *addr = (const char *)p;
        writer_warning(P->w, addr, addr + strlen(addr) + 1);
        break;
    }
    case 'C':
        member_spooled(P, i, p, len);
        break;
    case 'P': /* progress: the input is alive, its clock restarts */
        s->started = time(NULL);
        break;
    case 'E':
        rc = 1;
        break;
    default:
        rc = -1;
    }
    return rc;
}

/* Reads what the worker in slot i has sent.  1 read, 0 end of file (the
 * worker is gone), -1 error. */
static int fill(slot *s)
{
    if (s->in_cap - s->in_len < 65536 + 1) {
        size_t ncap = s->in_cap ? s->in_cap * 2 : 131072;
        while (ncap - s->in_len < 65536 + 1)
            ncap *= 2;
        unsigned char *g = realloc(s->in, ncap);
        if (!g)
            return -1;
        s->in = g;
        s->in_cap = ncap;
    }
    for (;;) {
        ssize_t k = read(s->result_fd, s->in + s->in_len, s->in_cap - s->in_len - 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k == 0 ? 0 : -1;
        s->in_len += (size_t)k;
        return 1;
    }
}

/* The next whole message in slot s's buffer, NUL-terminated in place (the
 * byte after it is saved in *saved and put back by next_message's next
 * call).  1 found, 0 not yet complete. */
static int next_message(slot *s, size_t *off, char *type, unsigned char **p, uint32_t *len)
{
    if (s->in_len - *off < 5)
        return 0;
    uint32_t n;
    memcpy(&n, s->in + *off + 1, 4);
    if (s->in_len - *off - 5 < n)
        return 0;
    *type = (char)s->in[*off];
    *p = s->in + *off + 5;
    *len = n;
    *off += 5 + (size_t)n;
    return 1;
}

/* A job that should not hold up another queued behind it: a small file
 * given at the top (an image to OCR or an archive is seldom this small). */
static int quick(const job *j)
{
    return !j->member && j->size >= 0 && j->size <= QUEUE_BEHIND_MAX;
}

/* The next job to hand out: members first (they free disk and finish
 * containers), then new inputs.  -1 when none. */
static long next_job(pool *P)
{
    if (P->q_len > 0) {
        long i = P->memberq[P->q_head];
        P->q_head = (P->q_head + 1) % P->q_cap;
        P->q_len--;
        return i;
    }
    if (P->next_top < P->ntop)
        return (long)P->next_top++;
    return -1;
}

/* The job in progress in slot s ended: was it fast?  The next one in the
 * queue is in progress from now. */
static void job_ended(slot *s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ns = (long)(now.tv_sec - s->head_since.tv_sec) * 1000000000L +
              (now.tv_nsec - s->head_since.tv_nsec);
    s->fast = ns < FAST_JOB_NS;
    s->head_since = now;
}

/* Hands slot i work until it holds as many jobs as it may (see the top of
 * this file) or the queue is empty; *active counts the jobs out. */
static int top_up(pool *P, int i, int *active)
{
    slot *s = &P->slots[i];
    int depth = s->fast ? SLOT_DEPTH : SLOT_DEPTH_SLOW;
    while (!P->w->fatal && !*P->prun->cancel &&
           (s->nq == 0 || (s->nq < depth && quick(&P->jobs[s->q[s->nq - 1]])))) {
        long j = next_job(P);
        if (j < 0)
            break;
        if (s->pid < 0 && spawn(P, s) != 0)
            return pledgex__engine_error(P->engine, PLEDGEX_FATAL,
                                         "cannot start a worker: %s", strerror(errno));
        int d = dispatch(P, s, j);
        if (d < 0)
            return pledgex__engine_error(P->engine, PLEDGEX_FATAL, "cannot talk to a worker");
        if (d > 0)
            (*active)++;
    }
    return PLEDGEX_OK;
}

static int run_pool(pool *P, int jobs)
{
    pledgex_engine *e = P->engine;
    writer *w = P->w;
    P->nslots = jobs;
    P->slots = calloc((size_t)jobs, sizeof *P->slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    if (!P->slots || !pfd) {
        free(pfd);
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    }
    for (int i = 0; i < jobs; i++) {
        P->slots[i].pid = -1;
        P->slots[i].nq = 0;
    }
    int active = 0, rc = PLEDGEX_OK;
    int64_t timeout = timeout_of(e);
    for (;;) {
        /* Hand out work. */
        for (int i = 0; i < jobs && rc == PLEDGEX_OK; i++)
            rc = top_up(P, i, &active);
        if (rc != PLEDGEX_OK)
            goto out;
        if (active == 0 || w->fatal || *P->prun->cancel)
            break;
        for (int i = 0; i < jobs; i++) {
            pfd[i].fd = P->slots[i].nq > 0 ? P->slots[i].result_fd : -1;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        int n = poll(pfd, (nfds_t)jobs, 0);
        if (n == 0) { /* nothing yet: nap, then wait (see POLL_NAP_NS) */
            int deep = 1; /* every busy worker has more queued than a nap takes */
            for (int i = 0; i < jobs; i++)
                if (P->slots[i].nq > 0 && P->slots[i].nq <= NAP_QUEUE_MIN)
                    deep = 0;
            struct timespec nap = {0, POLL_NAP_NS};
            if (deep)
                nanosleep(&nap, NULL); /* interrupted by a signal: poll() sees to it */
            n = poll(pfd, (nfds_t)jobs, 200);
        }
        if (n < 0 && errno != EINTR) {
            rc = pledgex__engine_error(e, PLEDGEX_FATAL, "poll: %s", strerror(errno));
            break;
        }
        if (n == 0 && pledgex__index_flush(w->index) != PLEDGEX_OK) {
            w->fatal = 1;
            rc = pledgex__engine_error(e, PLEDGEX_FATAL, "index error: %s",
                                       pledgex_index_errmsg(w->index));
            break;
        }
        time_t now = time(NULL);
        for (int i = 0; i < jobs; i++) {
            slot *s = &P->slots[i];
            if (s->nq == 0)
                continue;
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                int m = fill(s) == 1 ? 0 : -1;
                size_t off = 0;
                char type;
                unsigned char *p;
                uint32_t len;
                while (m >= 0 && s->nq > 0 && next_message(s, &off, &type, &p, &len)) {
                    /* payloads are read as strings: NUL after each, the
                     * byte there kept aside */
                    unsigned char keep = p[len];
                    p[len] = 0;
                    m = handle_message(P, i, type, p, len);
                    p[len] = keep;
                    if (m == 1) {
                        job *j = &P->jobs[s->q[0]];
                        /* a member whose document never came (it cannot,
                         * but never leave its container waiting) */
                        if (j->member && j->address)
                            resolved(P, j->address);
                        memmove(s->q, s->q + 1, (size_t)(--s->nq) * sizeof s->q[0]);
                        s->started = now;
                        job_ended(s);
                        active--;
                        m = 0;
                        /* more work now, not after the documents still
                         * buffered are stored (the parent's slow part) */
                        if ((rc = top_up(P, i, &active)) != PLEDGEX_OK)
                            goto out;
                    }
                }
                memmove(s->in, s->in + off, s->in_len - off);
                s->in_len -= off;
                if (m < 0) {
                    int status = 0;
                    long ji = s->q[0];
                    kill(s->pid, SIGKILL);
                    slot copy = *s;
                    copy.current = s->current ? strdup(s->current) : NULL;
                    copy.plugin = s->plugin ? strdup(s->plugin) : NULL;
                    reap(s, &status);
                    /* the jobs queued behind the one that killed the
                     * worker were never started: they go back */
                    for (int k = 1; k < s->nq; k++)
                        if (push_member(P, s->q[k]) != 0) {
                            rc = pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
                            w->fatal = 1;
                        }
                    active -= s->nq;
                    s->nq = 0;
                    if (!*P->prun->cancel && P->jobs[ji].address)
                        record_death(P, &copy, &P->jobs[ji], status);
                    free(copy.current);
                    free(copy.plugin);
                }
            } else if (timeout > 0 && now - s->started > timeout + 2 && !s->killed_for_time) {
                s->killed_for_time = 1;
                kill(s->pid, SIGKILL);
            }
        }
    }
out:
    for (int i = 0; i < jobs; i++) {
        if (P->slots[i].pid > 0) {
            if (*P->prun->cancel || w->fatal)
                kill(P->slots[i].pid, SIGKILL);
            int status;
            reap(&P->slots[i], &status);
        }
    }
    /* Containers still held (their members could not all be read): store
     * them, so the work done is kept. */
    while (!w->fatal && !*P->prun->cancel && P->ncontainers > 0) {
        container *c = &P->containers[0];
        pledgex_doc *doc = NULL;
        if (c->held && pledgex__doc_deserialize(c->held, c->held_len, &doc) == PLEDGEX_OK) {
            int replace = c->replace_tree;
            drop_container(P, c);
            store(P, doc, replace);
            pledgex__doc_free(&doc);
        } else {
            drop_container(P, c);
        }
    }
    while (P->ncontainers > 0)
        drop_container(P, &P->containers[0]);
    free(pfd);
    return rc;
}

static void pool_free(pool *P)
{
    for (size_t i = 0; i < P->njobs; i++) {
        if (P->jobs[i].path != P->jobs[i].address)
            free(P->jobs[i].path);
        free(P->jobs[i].address);
        free(P->jobs[i].name);
        free(P->jobs[i].parent);
    }
    free(P->jobs);
    free(P->memberq);
    free(P->containers);
    for (int i = 0; P->slots && i < P->nslots; i++)
        free(P->slots[i].in);
    free(P->slots);
}

int pledgex_ingest(pledgex_engine *e, pledgex_index *index, const char *const *paths,
                   size_t npaths, int jobs, pledgex_event_fn on_event, void *user,
                   pledgex_ingest_stats *stats)
{
    pledgex_ingest_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    e->cancel = 0;

    pledgex_task *tasks = NULL;
    size_t ntasks = 0;
    int follow = pledgex_engine_limit(e, "follow_links", 0) != 0;
    int rc = pledgex__walk(e, paths, npaths, follow, &tasks, &ntasks);
    if (rc)
        return rc;
    char *tmpbase = NULL;
    if (pledgex__mkdtemp_in(pledgex_engine_option(e, "tmpdir"), "pledgex", &tmpbase) !=
        PLEDGEX_OK) {
        pledgex__tasks_free(tasks, ntasks);
        return pledgex__engine_error(e, PLEDGEX_FATAL, "cannot create a temporary directory: %s",
                                     strerror(errno));
    }
    writer w = {e, index, on_event, user, stats, 0, ntasks, 0};
    pledgex_sink sink = {writer_put, writer_note, writer_unchanged, writer_warning, NULL, &w};
    pledgex_run prun = {.engine = e, .tmpbase = tmpbase, .sink = &sink, .cancel = &e->cancel};
    event(&w, PLEDGEX_EVENT_START, NULL, NULL, NULL, 0);

    if (jobs <= 0) {
        for (size_t i = 0; i < ntasks && !w.fatal && !e->cancel; i++) {
            const pledgex_task *t = &tasks[i];
            if (t->skip) {
                pledgex__put_status(&prun, t->address, t->address, NULL, 0, PLEDGEX_SKIP,
                                    t->skip);
                continue;
            }
            char *sha = NULL;
            int status = 0;
            if (pledgex__index_lookup(index, t->address, &sha, &status) != PLEDGEX_OK ||
                status != PLEDGEX_OK) {
                free(sha);
                sha = NULL;
            }
            pledgex__process_top(&prun, t->address, t->path, sha);
            free(sha);
        }
    } else {
        pool P = {.engine = e, .w = &w, .prun = &prun, .tmpbase = tmpbase};
        for (size_t i = 0; i < ntasks && rc == PLEDGEX_OK; i++) {
            /* the job takes the task's strings: one copy of the list */
            job j = {tasks[i].address, tasks[i].path, NULL, NULL, tasks[i].skip,
                     0, 0, tasks[i].size, 0, -1, 0, 0};
            if (add_job(&P, &j) != 0)
                rc = pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
            else
                tasks[i].address = tasks[i].path = NULL;
        }
        P.ntop = P.njobs;
        if (rc == PLEDGEX_OK)
            rc = run_pool(&P, jobs);
        pool_free(&P);
    }
    if (!w.fatal && pledgex__index_flush(index) != PLEDGEX_OK) {
        w.fatal = 1;
        pledgex__engine_error(e, PLEDGEX_FATAL, "index error: %s", pledgex_index_errmsg(index));
    }
    pledgex__remove_tree(tmpbase);
    free(tmpbase);
    pledgex__tasks_free(tasks, ntasks);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    event(&w, PLEDGEX_EVENT_FINISH, NULL, NULL, NULL, 0);
    if (rc != PLEDGEX_OK || w.fatal)
        return PLEDGEX_FATAL;
    if (e->cancel)
        return pledgex__engine_error(e, PLEDGEX_FATAL, "interrupted: documents committed so "
                                                       "far are kept; run again to finish");
    if (stats->failed > 0)
        return pledgex__engine_error(e, PLEDGEX_WARN, "%zu input(s) failed", stats->failed);
    return PLEDGEX_OK;
}

void pledgex_engine_cancel(pledgex_engine *e)
{
    e->cancel = 1;
}
