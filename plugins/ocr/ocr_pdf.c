/*
 * ocr_pdf.c -- a searchable PDF of the input (page images with tesseract's
 * invisible text layer) written next to the archive when the user asks for
 * one (option pdf_out = a directory).  The file name comes from the input's
 * address, made safe, and never replaces an existing file: the name is
 * reserved with O_EXCL before tesseract writes into it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ocr.h"

#define PDF_NAME_MAX 120 /* bytes of the base name, before "-N.pdf" */

struct ocr_pdf {
    ocr_engine *eng;
    TessResultRenderer *renderer;
    char base[4096]; /* path without ".pdf" (what tesseract wants) */
    char path[4200];
    int pages;
    int finished;
};

/* "batch.zip!2024/Scan 01.tif" -> "batch.zip_2024_Scan_01": letters,
 * digits and UTF-8 kept, everything else '_', no leading dots, the last
 * extension dropped, cut on a character boundary. */
static void safe_name(const char *address, char *out, size_t outlen)
{
    const char *a = address;
    while (*a == '/' || *a == '.')
        a++;
    /* Drop the extension of the last component. */
    const char *end = a + strlen(a);
    const char *dot = strrchr(a, '.');
    const char *sep = a;
    for (const char *q = a; *q; q++)
        if (*q == '/' || *q == '!')
            sep = q + 1;
    if (dot && dot > sep)
        end = dot;
    size_t n = 0;
    for (const char *q = a; q < end && n + 1 < outlen && n < PDF_NAME_MAX; q++) {
        unsigned char c = (unsigned char)*q;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '.' || c >= 0x80;
        out[n++] = keep ? (char)c : '_';
    }
    /* Never end in the middle of a UTF-8 sequence. */
    while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
        n--;
    if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80) {
        size_t lead = n - 1;
        while (lead > 0 && ((unsigned char)out[lead] & 0xC0) == 0x80)
            lead--;
        unsigned char l = (unsigned char)out[lead];
        size_t need = l >= 0xF0 ? 4 : l >= 0xE0 ? 3 : l >= 0xC0 ? 2 : 1;
        if (n - lead < need)
            n = lead;
    }
    out[n] = 0;
    if (n == 0)
        snprintf(out, outlen, "ocr");
}

int pledgex__ocr_pdf_begin(ocr_engine *eng, const char *dir, const char *address,
                           ocr_pdf **out, char *err, size_t errlen)
{
    *out = NULL;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "pdf_out %s is not a directory", dir);
        return PLEDGEX_FAILED;
    }
    ocr_pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf) {
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FAILED;
    }
    pdf->eng = eng;
    char name[PDF_NAME_MAX + 8];
    safe_name(address, name, sizeof name);
    int fd = -1;
    for (int i = 0; i < 10000 && fd < 0; i++) {
        if (i == 0)
            snprintf(pdf->base, sizeof pdf->base, "%s/%s", dir, name);
        else
            snprintf(pdf->base, sizeof pdf->base, "%s/%s-%d", dir, name, i);
        snprintf(pdf->path, sizeof pdf->path, "%s.pdf", pdf->base);
        fd = open(pdf->path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", pdf->path, strerror(errno));
            free(pdf);
            return PLEDGEX_FAILED;
        }
    }
    if (fd < 0) {
        snprintf(err, errlen, "no free file name for %s.pdf in %s", name, dir);
        free(pdf);
        return PLEDGEX_FAILED;
    }
    close(fd);
    pdf->renderer = TessPDFRendererCreate(pdf->base, pledgex__ocr_engine_datadir(eng), 0);
    if (!pdf->renderer || !TessResultRendererBeginDocument(pdf->renderer, name)) {
        snprintf(err, errlen, "cannot start the searchable PDF %s", pdf->path);
        pledgex__ocr_pdf_free(&pdf);
        return PLEDGEX_FAILED;
    }
    *out = pdf;
    return PLEDGEX_OK;
}

int pledgex__ocr_pdf_add(ocr_pdf *pdf, char *err, size_t errlen)
{
    TessBaseAPI *api = pledgex__ocr_engine_api(pdf->eng);
    /* An input name that is a JPEG file would be embedded as is (unrotated);
     * the empty name makes tesseract use the page image it was given. */
    if (api)
        TessBaseAPISetInputName(api, "");
    if (!api || !TessResultRendererAddImage(pdf->renderer, api)) {
        snprintf(err, errlen, "cannot add page %d to the searchable PDF", pdf->pages + 1);
        return PLEDGEX_FAILED;
    }
    pdf->pages++;
    return PLEDGEX_OK;
}

int pledgex__ocr_pdf_end(ocr_pdf *pdf, const char **path, char *err, size_t errlen)
{
    *path = NULL;
    if (pdf->pages == 0) {
        snprintf(err, errlen, "no page could be added to the searchable PDF");
        return PLEDGEX_FAILED;
    }
    if (!TessResultRendererEndDocument(pdf->renderer)) {
        snprintf(err, errlen, "cannot finish the searchable PDF %s", pdf->path);
        return PLEDGEX_FAILED;
    }
    /* Deleting the renderer closes (flushes) the file. */
    TessDeleteResultRenderer(pdf->renderer);
    pdf->renderer = NULL;
    pdf->finished = 1;
    *path = pdf->path;
    return PLEDGEX_OK;
}

void pledgex__ocr_pdf_free(ocr_pdf **pdf)
{
    if (!pdf || !*pdf)
        return;
    if ((*pdf)->renderer)
        TessDeleteResultRenderer((*pdf)->renderer);
    if (!(*pdf)->finished)
        unlink((*pdf)->path);
    free(*pdf);
    *pdf = NULL;
}
