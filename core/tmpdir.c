/*
 * tmpdir.c -- private temporary directories (0700), removed whole.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"

int pledgex__mkdtemp_in(const char *base, const char *prefix, char **out)
{
    const char *dir = base;
    if (!dir) {
        dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
    }
    size_t n = strlen(dir) + strlen(prefix) + 16;
    char *t = malloc(n);
    if (!t)
        return PLEDGEX_FATAL;
    snprintf(t, n, "%s/%s.XXXXXX", dir, prefix);
    /* mkdtemp creates the directory 0700. */
    if (!mkdtemp(t)) {
        free(t);
        return PLEDGEX_FAILED;
    }
    *out = t;
    return PLEDGEX_OK;
}

void pledgex__remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        /* A plugin may have left a directory it cannot list: make it ours. */
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                size_t n = strlen(path) + strlen(e->d_name) + 2;
                char *p = malloc(n);
                if (!p)
                    continue;
                snprintf(p, n, "%s/%s", path, e->d_name);
                pledgex__remove_tree(p);
                free(p);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path); /* links are removed, never followed */
    }
}
