/*
 * torture.c -- a test plugin ("torture") that misbehaves on request, to
 * prove the host's isolation, addressing and recursion.  It claims
 * text/plain above every real plugin and obeys the first word of each line:
 *   CRASH            dereference NULL (SIGSEGV)
 *   ABORT            abort() (SIGABRT)
 *   HANG             sleep until killed
 *   SLEEP ms         sleep that long, then go on
 *   ALLOC            allocate and touch memory without end
 *   FAIL reason      return PLEDGEX_FAILED with the reason
 *   NICE             add "nice N" to the text: the process's scheduling
 *                    priority (getpriority), as the worker runs
 *   PUT kind         hand an object of that kind on for this file (ABI
 *                    1.2 handoff); TAKE kind adds "took kind" or "none
 *                    kind" to the text; RELEASED adds "released N": how
 *                    many objects the host has released in this process
 *   CHILD name text  emit a member "name" whose content is "text" (a line
 *                    of the member may itself be CHILD ..., written with
 *                    "\n" as the two characters backslash-n)
 *   anything else    becomes the text of the document
 * Built only for the tests (check_LTLIBRARIES), never installed.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "pledgex-plugin.h"

static const pledgex_claim claims[] = {{"text/plain", 1000}, {NULL, 0}};

static int child(const pledgex_host *host, pledgex_ctx *ctx, const char *rest)
{
    const char *sp = strchr(rest, ' ');
    if (!sp)
        return PLEDGEX_FAILED;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(sp - rest), rest);
    char path[4096];
    static int counter;
    snprintf(path, sizeof path, "%s/member-%d", host->tmpdir(ctx), counter++);
    FILE *f = fopen(path, "wb");
    if (!f)
        return PLEDGEX_FAILED;
    for (const char *p = sp + 1; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') {
            fputc('\n', f);
            p++;
        } else {
            fputc(*p, f);
        }
    }
    fclose(f);
    host->emit_child_file(ctx, name, path);
    unlink(path);
    return PLEDGEX_OK;
}

static int released;

static void release(void *object)
{
    free(object);
    released++;
}

static int torture_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                           const pledgex_input *in, char *err, size_t errlen)
{
    (void)state;
    FILE *f = fopen(in->path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open");
        return PLEDGEX_FAILED;
    }
    char line[8192];
    char text[65536] = "";
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!strcmp(line, "CRASH")) {
            volatile int *p = NULL;
            *p = 1;
        } else if (!strcmp(line, "ABORT")) {
            abort();
        } else if (!strcmp(line, "HANG")) {
            for (;;)
                pause();
        } else if (!strcmp(line, "ALLOC")) {
            /* Each block is kept reachable: a compiler may drop a malloc
             * whose result is never read (clang -O1 does). */
            static char *volatile last;
            for (;;) {
                char *p = malloc(1 << 20);
                if (!p)
                    abort(); /* as C++ code does on bad_alloc */
                memset(p, 1, 1 << 20);
                *(char *volatile *)p = last;
                last = p;
            }
        } else if (!strncmp(line, "SLEEP ", 6)) {
            long ms = atol(line + 6);
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        } else if (!strncmp(line, "FAIL ", 5)) {
            fclose(f);
            snprintf(err, errlen, "%s", line + 5);
            return PLEDGEX_FAILED;
        } else if (!strncmp(line, "CHILD ", 6)) {
            child(host, ctx, line + 6);
        } else if (!strncmp(line, "PUT ", 4) && PLEDGEX_HOST_HAS(host, handoff_put)) {
            host->handoff_put(ctx, in->path, line + 4, strdup(line + 4), release);
        } else if (!strncmp(line, "TAKE ", 5) && PLEDGEX_HOST_HAS(host, handoff_take)) {
            char *o = host->handoff_take(ctx, in->path, line + 5);
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, "%s %s\n", o ? "took" : "none",
                     o ? o : line + 5);
            free(o);
        } else if (!strcmp(line, "RELEASED")) {
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, "released %d\n", released);
        } else if (!strcmp(line, "NICE")) {
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, "nice %d\n",
                     getpriority(PRIO_PROCESS, 0));
        } else {
            size_t used = strlen(text), room = sizeof text - used;
            if (room > 2)
                snprintf(text + used, room, "%s\n", line);
        }
    }
    fclose(f);
    pledgex_block b = {"text", 0, text, -1, 0};
    host->emit_block(ctx, &b);
    return PLEDGEX_OK;
}

static const pledgex_plugin torture = {
    PLEDGEX_PLUGIN_ABI_MAJOR, PLEDGEX_PLUGIN_ABI_MINOR, "torture", "1.0",
    "misbehaves on request (tests only)", claims, NULL, NULL, torture_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &torture;
}
