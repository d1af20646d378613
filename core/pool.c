/*
 * pool.c -- pledgex_ingest(): the batch.  The parent walks the inputs, hands
 * top-level tasks to worker processes and is the only writer to the index.
 *
 * Workers are forked after the plugins are loaded (GNU libextractor's
 * out-of-process model): a plugin that crashes, hangs or eats memory costs
 * the input it was reading, never the batch.  The parent notices a dead
 * worker by the end of its pipe, records the input as failed with the
 * signal and the plugin, and starts a new worker.  A watchdog kills a worker
 * whose input runs past the time limit.  jobs == 0 runs everything in the
 * parent, for debugging.
 *
 * Pipe protocol, worker -> parent: a 1-byte type, a 4-byte length, payload.
 *   'N' address NUL plugin      work on a document starts
 *   'D' flag(1) serialized doc  a finished document (flag: replace_tree)
 *   'U' address                 the input is unchanged
 *   'W' address NUL message     a warning
 *   'E'                         the task is over
 * Parent -> worker: a 4-byte length and "address NUL path NUL known_sha".
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

static void event(writer *w, pledgex_event_type type, const char *address, const char *status,
                  const char *message, size_t pages)
{
    if (!w->on_event)
        return;
    pledgex_event ev = {type, address, status, message, w->done, w->total, pages};
    w->on_event(w->user, &ev);
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
    event(w, PLEDGEX_EVENT_DONE, doc->address, pledgex__status_name(doc->status), doc->error,
          pages);
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

/* ------------------------------------------------------------ pipe I/O */

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(fd, c, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c += k;
        n -= (size_t)k;
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
    uint32_t len = (uint32_t)(na + nb);
    if (write_all(fd, &type, 1) || write_all(fd, &len, 4))
        return -1;
    if (na && write_all(fd, a, na))
        return -1;
    if (nb && write_all(fd, b, nb))
        return -1;
    return 0;
}

/* ---------------------------------------------------------------- worker */

typedef struct worker_sink {
    int fd;
} worker_sink;

static int pipe_put(void *u, const pledgex_doc *doc, int replace_tree)
{
    worker_sink *s = u;
    unsigned char *buf;
    size_t len;
    if (pledgex__doc_serialize(doc, &buf, &len))
        return PLEDGEX_FATAL;
    unsigned char flag = (unsigned char)(replace_tree != 0);
    int rc = send_msg(s->fd, 'D', &flag, 1, buf, len);
    free(buf);
    return rc ? PLEDGEX_FATAL : PLEDGEX_OK;
}

static void pipe_note(void *u, const char *address, const char *plugin)
{
    worker_sink *s = u;
    send_msg(s->fd, 'N', address, strlen(address) + 1, plugin, strlen(plugin) + 1);
}

static void pipe_unchanged(void *u, const char *address)
{
    worker_sink *s = u;
    send_msg(s->fd, 'U', address, strlen(address) + 1, NULL, 0);
}

static void pipe_warning(void *u, const char *address, const char *message)
{
    worker_sink *s = u;
    send_msg(s->fd, 'W', address, strlen(address) + 1, message, strlen(message) + 1);
}

static void on_alarm(int sig)
{
    (void)sig;
    worker_cancel = 1;
}

static void worker_main(pledgex_engine *e, const char *tmpbase, int task_fd, int result_fd)
{
    signal(SIGINT, SIG_IGN); /* the parent decides; it kills us */
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    int64_t mem_mb = pledgex_engine_limit(e, "max_memory_mb", 4096);
    if (mem_mb > 0) {
        struct rlimit rl = {(rlim_t)mem_mb << 20, (rlim_t)mem_mb << 20};
        setrlimit(RLIMIT_AS, &rl);
    }
    int64_t timeout = pledgex_engine_limit(e, "input_timeout_s", 600);
    worker_sink ws = {result_fd};
    pledgex_sink sink = {pipe_put, pipe_note, pipe_unchanged, pipe_warning, &ws};
    for (;;) {
        uint32_t len;
        if (read_all(task_fd, &len, 4) != 1)
            break;
        char *msg = malloc((size_t)len + 1);
        if (!msg || read_all(task_fd, msg, len) != 1) {
            free(msg);
            break;
        }
        msg[len] = 0;
        const char *address = msg;
        const char *path = address + strlen(address) + 1;
        const char *sha = path + strlen(path) + 1;
        pledgex_run run = {.engine = e, .tmpbase = tmpbase, .sink = &sink, .cancel = &worker_cancel};
        worker_cancel = 0;
        /* The plugin is asked to stop a little before the parent kills. */
        if (timeout > 0)
            alarm((unsigned)(timeout > 2 ? timeout - 1 : timeout));
        pledgex__process_top(&run, address, path, *sha ? sha : NULL);
        alarm(0);
        free(msg);
        if (send_msg(result_fd, 'E', NULL, 0, NULL, 0))
            break;
    }
    _exit(0);
}

/* ---------------------------------------------------------------- parent */

typedef struct slot {
    pid_t pid;
    int task_fd, result_fd;
    long task;          /* index of the task in progress, or -1 */
    time_t started;
    char *current;      /* address being read (from 'N')         */
    char *plugin;       /* plugin reading it                     */
    int killed_for_time;
} slot;

static int spawn(pledgex_engine *e, const char *tmpbase, slot *s, slot *all, int nall)
{
    int tp[2], rp[2];
    if (pipe(tp) != 0)
        return -1;
    if (pipe(rp) != 0) {
        close(tp[0]);
        close(tp[1]);
        return -1;
    }
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
        /* Close the other workers' pipes so their EOFs work. */
        for (int i = 0; i < nall; i++)
            if (all[i].pid > 0) {
                close(all[i].task_fd);
                close(all[i].result_fd);
            }
        close(tp[1]);
        close(rp[0]);
        worker_main(e, tmpbase, tp[0], rp[1]);
    }
    close(tp[0]);
    close(rp[1]);
    s->pid = pid;
    s->task_fd = tp[1];
    s->result_fd = rp[0];
    s->task = -1;
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
}

static int64_t timeout_of(pledgex_engine *e)
{
    return pledgex_engine_limit(e, "input_timeout_s", 600);
}

/* Sends task i to slot s; handles tasks the parent can settle itself. */
static int dispatch(writer *w, pledgex_run *prun, slot *s, const pledgex_task *t, long i)
{
    if (t->skip) {
        pledgex__put_status(prun, t->address, t->address, NULL, 0, PLEDGEX_SKIP, t->skip);
        return 0;
    }
    char *sha = NULL;
    int status = 0;
    if (pledgex__index_lookup(w->index, t->address, &sha, &status) != PLEDGEX_OK ||
        status != PLEDGEX_OK) {
        free(sha);
        sha = NULL;
    }
    size_t la = strlen(t->address) + 1, lp = strlen(t->path) + 1, ls = sha ? strlen(sha) : 0;
    uint32_t len = (uint32_t)(la + lp + ls);
    char *msg = malloc(len);
    if (!msg) {
        free(sha);
        return -1;
    }
    memcpy(msg, t->address, la);
    memcpy(msg + la, t->path, lp);
    if (sha)
        memcpy(msg + la + lp, sha, ls);
    free(sha);
    int rc = write_all(s->task_fd, &len, 4) || write_all(s->task_fd, msg, len);
    free(msg);
    if (rc)
        return -1;
    s->task = i;
    s->started = time(NULL);
    return 1;
}

/* Reads one message from a worker.  Returns 0 ok, 1 end of task, -1 the
 * worker is gone. */
static int handle_message(writer *w, pledgex_run *prun, slot *s)
{
    char type;
    uint32_t len;
    if (read_all(s->result_fd, &type, 1) != 1 || read_all(s->result_fd, &len, 4) != 1)
        return -1;
    unsigned char *p = malloc((size_t)len + 1);
    if (!p)
        return -1;
    if (len && read_all(s->result_fd, p, len) != 1) {
        free(p);
        return -1;
    }
    p[len] = 0;
    int rc = 0;
    switch (type) {
    case 'N': {
        const char *addr = (const char *)p;
        const char *plugin = addr + strlen(addr) + 1;
        free(s->current);
        free(s->plugin);
        s->current = strdup(addr);
        s->plugin = strdup(plugin);
        writer_note(w, addr, plugin);
        break;
    }
    case 'D': {
        pledgex_doc *doc = NULL;
        if (len >= 1 && pledgex__doc_deserialize(p + 1, len - 1, &doc) == PLEDGEX_OK) {
            prun->sink->put(prun->sink->u, doc, p[0]);
            pledgex__doc_free(&doc);
        }
        break;
    }
    case 'U':
        writer_unchanged(w, (const char *)p);
        break;
    case 'W': {
        const char *addr = (const char *)p;
        writer_warning(w, addr, addr + strlen(addr) + 1);
        break;
    }
    case 'E':
        rc = 1;
        break;
    default:
        rc = -1;
    }
    free(p);
    return rc;
}

static void record_death(writer *w, pledgex_run *prun, slot *s, const pledgex_task *t,
                         int status)
{
    char reason[1200];
    const char *plugin = s->plugin ? s->plugin : "?";
    const char *where = s->current ? s->current : t->address;
    if (s->killed_for_time) {
        snprintf(reason, sizeof reason, "timed out after %lld s in plugin %s while reading %s",
                 (long long)timeout_of(w->engine), plugin, where);
    } else if (WIFSIGNALED(status)) {
        const char *abbrev = sigabbrev_np(WTERMSIG(status));
        snprintf(reason, sizeof reason, "crashed: SIG%s in plugin %s while reading %s",
                 abbrev ? abbrev : "?", plugin, where);
    } else {
        snprintf(reason, sizeof reason,
                 "worker exited with status %d in plugin %s while reading %s",
                 WEXITSTATUS(status), plugin, where);
    }
    pledgex__put_status(prun, t->address, t->address, NULL, 0, PLEDGEX_FAILED, reason);
}

static int run_pool(pledgex_engine *e, writer *w, pledgex_run *prun, const pledgex_task *tasks,
                    size_t ntasks, int jobs, const char *tmpbase)
{
    if ((size_t)jobs > ntasks)
        jobs = ntasks > 0 ? (int)ntasks : 1;
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    if (!slots)
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    for (int i = 0; i < jobs; i++) {
        slots[i].pid = -1;
        slots[i].task = -1;
    }
    size_t next = 0;
    int active = 0, rc = PLEDGEX_OK;
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    if (!pfd) {
        free(slots);
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory");
    }
    int64_t timeout = timeout_of(e);
    for (;;) {
        /* Hand out work. */
        for (int i = 0; i < jobs && !w->fatal && !*prun->cancel; i++) {
            while (slots[i].task < 0 && next < ntasks) {
                if (slots[i].pid < 0 && spawn(e, tmpbase, &slots[i], slots, jobs) != 0) {
                    rc = pledgex__engine_error(e, PLEDGEX_FATAL, "cannot start a worker: %s",
                                               strerror(errno));
                    goto out;
                }
                int d = dispatch(w, prun, &slots[i], &tasks[next], (long)next);
                next++;
                if (d < 0) {
                    rc = pledgex__engine_error(e, PLEDGEX_FATAL, "cannot talk to a worker");
                    goto out;
                }
                if (d > 0)
                    active++;
            }
        }
        if (active == 0 || w->fatal || *prun->cancel)
            break;
        for (int i = 0; i < jobs; i++) {
            pfd[i].fd = slots[i].task >= 0 ? slots[i].result_fd : -1;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        int n = poll(pfd, (nfds_t)jobs, 200);
        if (n == 0 && pledgex__index_flush(w->index) != PLEDGEX_OK) {
            w->fatal = 1;
            rc = pledgex__engine_error(e, PLEDGEX_FATAL, "index error: %s",
                                       pledgex_index_errmsg(w->index));
            break;
        }
        if (n < 0 && errno != EINTR) {
            rc = pledgex__engine_error(e, PLEDGEX_FATAL, "poll: %s", strerror(errno));
            break;
        }
        time_t now = time(NULL);
        for (int i = 0; i < jobs; i++) {
            slot *s = &slots[i];
            if (s->task < 0)
                continue;
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                int m = handle_message(w, prun, s);
                if (m == 1) {
                    s->task = -1;
                    active--;
                } else if (m < 0) {
                    int status = 0;
                    const pledgex_task *t = &tasks[s->task];
                    kill(s->pid, SIGKILL);
                    slot copy = *s;
                    copy.current = s->current ? strdup(s->current) : NULL;
                    copy.plugin = s->plugin ? strdup(s->plugin) : NULL;
                    reap(s, &status);
                    if (!*prun->cancel)
                        record_death(w, prun, &copy, t, status);
                    free(copy.current);
                    free(copy.plugin);
                    s->task = -1;
                    active--;
                }
            } else if (timeout > 0 && now - s->started > timeout + 2 && !s->killed_for_time) {
                s->killed_for_time = 1;
                kill(s->pid, SIGKILL);
            }
        }
    }
out:
    for (int i = 0; i < jobs; i++) {
        if (slots[i].pid > 0) {
            if (*prun->cancel || w->fatal)
                kill(slots[i].pid, SIGKILL);
            int status;
            reap(&slots[i], &status);
        }
    }
    free(pfd);
    free(slots);
    return rc;
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
    pledgex_sink sink = {writer_put, writer_note, writer_unchanged, writer_warning, &w};
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
        rc = run_pool(e, &w, &prun, tasks, ntasks, jobs, tmpbase);
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
