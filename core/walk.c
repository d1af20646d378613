/*
 * walk.c -- inputs to top-level tasks.  Directories are walked recursively
 * with entries in byte order of their names, so a batch always runs (and
 * exports) in the same order.  Symbolic links found inside a directory are
 * not followed unless asked (--follow); then loops are cut by remembering
 * the directories visited.
 */
#include <config.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "pipeline.h"

typedef struct walk {
    pledgex_task *tasks;
    size_t n, cap;
    int follow;
    struct {
        dev_t dev;
        ino_t ino;
    } *seen;
    size_t nseen;
    int oom;
} walk;

static void add_skip(walk *w, const char *address, const char *path, const char *skip,
                     const struct stat *st)
{
    if (w->oom)
        return;
    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 64;
        pledgex_task *t = realloc(w->tasks, ncap * sizeof *t);
        if (!t) {
            w->oom = 1;
            return;
        }
        w->tasks = t;
        w->cap = ncap;
    }
    pledgex_task *t = &w->tasks[w->n];
    /* A batch of 100,000 files keeps this list for its whole run: an input
     * given by its path (the usual case) shares one string for both. */
    t->address = strdup(address);
    t->path = strcmp(path, address) ? strdup(path) : t->address;
    if (!t->address || !t->path) {
        if (t->path != t->address)
            free(t->path);
        free(t->address);
        w->oom = 1;
        return;
    }
    t->skip = skip;
    t->size = st && S_ISREG(st->st_mode) ? (int64_t)st->st_size : -1;
    w->n++;
}

static void add(walk *w, const char *address, const char *path, const struct stat *st)
{
    add_skip(w, address, path, NULL, st);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int visited(walk *w, const struct stat *st)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
            return 1;
    void *p = realloc(w->seen, (w->nseen + 1) * sizeof *w->seen);
    if (!p) {
        w->oom = 1;
        return 1;
    }
    w->seen = p;
    w->seen[w->nseen].dev = st->st_dev;
    w->seen[w->nseen].ino = st->st_ino;
    w->nseen++;
    return 0;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t len = n + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%.*s/%s", (int)n, dir, name);
    return p;
}

static void walk_dir(walk *w, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        add(w, dir, dir, NULL); /* reported as unreadable when processed */
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **g = realloc(names, cap * sizeof *g);
            if (!g) {
                w->oom = 1;
                break;
            }
            names = g;
        }
        if (!(names[n] = strdup(e->d_name))) {
            w->oom = 1;
            break;
        }
        n++;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    /* Entries are looked at relative to the open directory: a stat of the
     * whole path walked it from the root again for every file (3% of the
     * parent's time on 10,000 small files). */
    int dfd = dirfd(d);
    for (size_t i = 0; i < n; i++) {
        char *p = join(dir, names[i]);
        if (!p) {
            free(names[i]);
            w->oom = 1;
            continue;
        }
        struct stat lst, st;
        if (fstatat(dfd, names[i], &lst, AT_SYMLINK_NOFOLLOW) != 0) {
            add(w, p, p, NULL);
        } else if (S_ISLNK(lst.st_mode) && !w->follow) {
            /* Reported, not followed: it may lead out of the tree. */
            add_skip(w, p, p, "symbolic link not followed (use --follow)", NULL);
        } else if (!S_ISLNK(lst.st_mode) && !S_ISDIR(lst.st_mode)) {
            add(w, p, p, &lst); /* lstat said all: no second stat */
        } else if (fstatat(dfd, names[i], &st, 0) == 0 && S_ISDIR(st.st_mode)) {
            if (!visited(w, &st))
                walk_dir(w, p);
        } else {
            add(w, p, p, fstatat(dfd, names[i], &st, 0) == 0 ? &st : NULL);
        }
        free(names[i]);
        free(p);
    }
    closedir(d);
    free(names);
}

int pledgex__walk(pledgex_engine *e, const char *const *paths, size_t npaths, int follow,
                  pledgex_task **tasks, size_t *ntasks)
{
    walk w = {0};
    w.follow = follow;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!visited(&w, &st))
                walk_dir(&w, paths[i]);
        } else {
            add(&w, paths[i], paths[i], stat(paths[i], &st) == 0 ? &st : NULL);
        }
    }
    free(w.seen);
    if (w.oom) {
        pledgex__tasks_free(w.tasks, w.n);
        return pledgex__engine_error(e, PLEDGEX_FATAL, "out of memory while listing inputs");
    }
    *tasks = w.tasks;
    *ntasks = w.n;
    return PLEDGEX_OK;
}

void pledgex__tasks_free(pledgex_task *tasks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (tasks[i].path != tasks[i].address)
            free(tasks[i].path);
        free(tasks[i].address);
    }
    free(tasks);
}
