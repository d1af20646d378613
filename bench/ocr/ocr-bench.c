/*
 * ocr-bench.c -- one OCR worker for the benchmark: loads the "ocr" plugin
 * through the test harness (as the pipeline's worker would: one process,
 * one tesseract handle for all its files) and runs it on each file.
 *
 *   ocr-bench [-o OUTDIR] [-p PREP] [-l LANG] [-f FIRST] [-d PDFDIR] FILE...
 *
 * Writes OUTDIR/NAME.txt (the text of all pages) per file and prints one
 * tab-separated line per file: name, return code, seconds, pages, mean
 * confidence, review flags, message.  PREP is the plugin's "ocr_prep"
 * option ("-osd,+marks"); FIRST its "ocr_first" (first-pass language, ""
 * for one pass); PDFDIR its "pdf_out" (searchable PDFs).  Needs
 * PLEDGEX_PLUGIN_PATH.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plugin_harness.h"

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    static const struct {
        const char *ext, *mime;
    } map[] = {
        {".png", "image/png"},   {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
        {".tif", "image/tiff"},  {".tiff", "image/tiff"}, {".pnm", "image/x-portable-anymap"},
        {".pgm", "image/x-portable-graymap"}, {".ppm", "image/x-portable-pixmap"},
        {".bmp", "image/bmp"},   {".gif", "image/gif"},  {".webp", "image/webp"},
        {".jp2", "image/jp2"},
    };
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (!strcasecmp(dot, map[i].ext))
            return map[i].mime;
    return "application/octet-stream";
}

int main(int argc, char **argv)
{
    const char *outdir = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "o:p:l:f:d:")) != -1) {
        switch (opt) {
        case 'o': outdir = optarg; break;
        case 'p': harness_set_option("ocr_prep", optarg); break;
        case 'l': harness_set_option("lang", optarg); break;
        case 'f': harness_set_option("ocr_first", optarg); break;
        case 'd': harness_set_option("pdf_out", optarg); break;
        default:
            fprintf(stderr, "usage: ocr-bench [-o OUTDIR] [-p PREP] [-l LANG] [-f FIRST] [-d PDFDIR] FILE...\n");
            return 2;
        }
    }
    const char *why = NULL;
    const pledgex_plugin *p = harness_load("ocr", &why);
    if (!p) {
        fprintf(stderr, "ocr-bench: %s\n", why);
        return 1;
    }
    int bad = 0;
    for (int i = optind; i < argc; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        harness_result *r = harness_run(p, argv[i], mime_of(argv[i]));
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        double conf = 0;
        unsigned flags = 0;
        for (size_t b = 0; b < r->nblocks; b++) {
            conf += r->blocks[b].confidence;
            flags |= r->blocks[b].flags;
        }
        const char *text = harness_text(r);
        if (outdir) {
            const char *base = strrchr(argv[i], '/');
            base = base ? base + 1 : argv[i];
            char out[4096];
            snprintf(out, sizeof out, "%s/%s.txt", outdir, base);
            FILE *f = fopen(out, "w");
            if (f) {
                fputs(text, f);
                fclose(f);
            }
        }
        printf("%s\t%d\t%.2f\t%zu\t%.3f\t%u\t%s\n", argv[i], r->rc, secs, r->nblocks,
               r->nblocks ? conf / r->nblocks : 0.0, flags, r->err);
        fflush(stdout);
        if (r->rc != 0 && r->rc != -20)
            bad = 1;
        harness_result_free(r);
    }
    return bad;
}
