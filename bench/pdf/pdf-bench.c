/*
 * pdf-bench.c -- the "pdf" plugin on PDF files for the benchmark, through
 * the test harness (one process, as one worker of the pipeline: the OCR
 * plugin it delegates to keeps its tesseract handle across files).
 *
 *   pdf-bench [-o OUTDIR] [-d PDFDIR] [-n REPEAT] FILE...
 *
 * Writes OUTDIR/NAME.pN.txt (the text of page N) per file and prints one
 * tab-separated line per file and page: name, page, kind, then per file:
 * name, "all", return code, seconds (median of REPEAT runs), pages, message.
 * PDFDIR is the "pdf_out" option (searchable PDFs).  Needs
 * PLEDGEX_PLUGIN_PATH.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plugin_harness.h"

#define MAX_REPEAT 100

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void write_pages(const char *outdir, const char *file, const harness_result *r)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    for (size_t b = 0; b < r->nblocks; b++) {
        char out[4096];
        snprintf(out, sizeof out, "%s/%s.p%d.txt", outdir, base, r->blocks[b].page);
        FILE *f = fopen(out, "a");
        if (!f)
            continue;
        fprintf(f, "%s\n", r->blocks[b].text ? r->blocks[b].text : "");
        fclose(f);
        printf("%s\t%d\t%s\n", base, r->blocks[b].page, r->blocks[b].kind);
    }
}

int main(int argc, char **argv)
{
    const char *outdir = NULL;
    int repeat = 1, opt;
    while ((opt = getopt(argc, argv, "o:d:n:")) != -1) {
        switch (opt) {
        case 'o': outdir = optarg; break;
        case 'd': harness_set_option("pdf_out", optarg); break;
        case 'n': repeat = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: pdf-bench [-o OUTDIR] [-d PDFDIR] [-n REPEAT] FILE...\n");
            return 2;
        }
    }
    if (repeat < 1 || repeat > MAX_REPEAT)
        repeat = 1;
    const char *why = NULL;
    const pledgex_plugin *p = harness_load("pdf", &why);
    if (!p) {
        fprintf(stderr, "pdf-bench: %s\n", why);
        return 1;
    }
    int bad = 0;
    for (int i = optind; i < argc; i++) {
        double secs[MAX_REPEAT];
        harness_result *last = NULL;
        for (int k = 0; k < repeat; k++) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            harness_result *r = harness_run(p, argv[i], "application/pdf");
            clock_gettime(CLOCK_MONOTONIC, &t1);
            secs[k] = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
            harness_result_free(last);
            last = r;
        }
        qsort(secs, (size_t)repeat, sizeof secs[0], cmp_double);
        if (outdir)
            write_pages(outdir, argv[i], last);
        const char *base = strrchr(argv[i], '/');
        printf("%s\tall\t%d\t%.4f\t%zu\t%s\n", base ? base + 1 : argv[i], last->rc,
               secs[repeat / 2], last->nblocks, last->err);
        if (last->rc != 0 && last->rc != -20)
            bad = 1;
        harness_result_free(last);
    }
    return bad;
}
