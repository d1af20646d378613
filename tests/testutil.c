/*
 * testutil.c -- see testutil.h.
 */
#include <config.h>

#include "testutil.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char scratch[1024];

static void mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0700);
            *p = '/';
        }
    mkdir(tmp, 0700);
}

const char *tu_scratch(void)
{
    if (!scratch[0]) {
        const char *base = getenv("PLEDGEX_TEST_TMP");
        if (!base || !*base)
            base = "/tmp";
        mkdirs(base);
        snprintf(scratch, sizeof scratch, "%s/t.XXXXXX", base);
        if (!mkdtemp(scratch)) {
            perror("mkdtemp");
            exit(99);
        }
    }
    return scratch;
}

const char *tu_path(const char *name)
{
    static char bufs[8][4096];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", tu_scratch(), name);
    return b;
}

void tu_write(const char *path, const void *data, size_t len)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
        mkdirs(dir);
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(99);
    }
    fwrite(data, 1, len, f);
    fclose(f);
}

void tu_write_str(const char *path, const char *text)
{
    tu_write(path, text, strlen(text));
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 >= cap) {
            char *g = realloc(buf, cap *= 2);
            if (!g) {
                free(buf);
                buf = NULL;
            }
            buf = g;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

int tu_run(const char *cmd, char **out)
{
    char full[8192];
    snprintf(full, sizeof full, "(%s) 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap);
    while ((k = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = 0;
    int st = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *tu_cli(void)
{
    const char *c = getenv("PLEDGEX_CLI");
    return c ? c : "pledgex";
}

static sqlite3 *json_db(void)
{
    static sqlite3 *db;
    if (!db && sqlite3_open(":memory:", &db) != SQLITE_OK)
        exit(99);
    return db;
}

char *tu_json_get(const char *json, const char *path)
{
    sqlite3_stmt *st;
    char *res = NULL;
    if (sqlite3_prepare_v2(json_db(),
                           "SELECT CASE WHEN json_valid(?1) THEN json_extract(?1, ?2) END", -1,
                           &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        res = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return res;
}

int tu_json_valid(const char *json)
{
    sqlite3_stmt *st;
    int ok = 0;
    if (sqlite3_prepare_v2(json_db(), "SELECT json_valid(?1)", -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        ok = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ok;
}

int tu_main(void)
{
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    int err = CU_get_error();
    CU_cleanup_registry();
    if (err)
        return 99;
    if (failed)
        return 1;
    /* Leave nothing behind on success. */
    if (scratch[0]) {
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
        if (system(cmd) != 0)
            return 0;
    }
    return 0;
}
