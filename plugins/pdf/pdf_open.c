/*
 * pdf_open.c -- opening a PDF: its password, poppler's messages kept off
 * stderr, and a second chance for files whose tail was cut off.
 *
 * Poppler 22 rebuilds a lost cross-reference table by scanning the file for
 * objects, but it still needs a trailer to find the document catalog; the
 * trailer sits at the very end, so a truncated download loses it and with it
 * every page.  When opening fails as "damaged", we give poppler a copy of
 * the file (in the host's temp dir) with a minimal trailer naming the
 * catalog object, and poppler reads whatever pages survived.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

#define PASSWORD_MAX 4096 /* bytes read from a password file */
#define HEADER_WINDOW 1024 /* "%PDF-" must start within this (as in poppler) */

/* ---- poppler's messages --------------------------------------------------- */

static void log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message,
                        gpointer user)
{
    (void)domain;
    (void)level;
    pdf_log *log = user;
    if (log->count++ == 0 && message)
        snprintf(log->first, sizeof log->first, "%s", message);
}

void pledgex__pdf_log_begin(pdf_log *log)
{
    memset(log, 0, sizeof *log);
    log->handler = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
                                                    G_LOG_FLAG_RECURSION,
                                     log_handler, log);
}

void pledgex__pdf_log_end(pdf_log *log)
{
    if (log->handler)
        g_log_remove_handler("Poppler", log->handler);
    log->handler = 0;
}

/* ---- password ------------------------------------------------------------- */

int pledgex__pdf_password(const pledgex_host *host, pledgex_ctx *ctx, char **out, char *err,
                          size_t errlen)
{
    *out = NULL;
    if (!host->option)
        return PLEDGEX_OK;
    const char *pw = host->option(ctx, "password");
    if (pw) {
        *out = strdup(pw);
        if (!*out) {
            snprintf(err, errlen, "out of memory");
            return PLEDGEX_FAILED;
        }
        return PLEDGEX_OK;
    }
    const char *file = host->option(ctx, "password_file");
    if (!file || !*file)
        return PLEDGEX_OK;
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read the password file %s: %s", file, strerror(errno));
        return PLEDGEX_FAILED;
    }
    char *line = calloc(1, PASSWORD_MAX + 1);
    if (!line) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FAILED;
    }
    if (!fgets(line, PASSWORD_MAX + 1, f))
        line[0] = 0;
    fclose(f);
    line[strcspn(line, "\r\n")] = 0;
    *out = line;
    return PLEDGEX_OK;
}

/* ---- opening ------------------------------------------------------------- */

static PopplerDocument *open_uri(const char *path, const char *password, GError **gerr)
{
    char *abs = g_canonicalize_filename(path, NULL);
    char *uri = abs ? g_filename_to_uri(abs, NULL, gerr) : NULL;
    g_free(abs);
    if (!uri)
        return NULL;
    PopplerDocument *doc = poppler_document_new_from_file(uri, password, gerr);
    g_free(uri);
    return doc;
}

static const char *memmem_last(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (n < k)
        return NULL;
    for (size_t i = n - k + 1; i-- > 0;)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, k))
            return hay + i;
    return NULL;
}

/* Finds "N G obj" of the last object holding "/Type /Catalog".  Returns 1
 * and fills num/gen when found. */
static int find_catalog(const char *data, size_t n, long *num, long *gen)
{
    size_t limit = n;
    const char *cat;
    while ((cat = memmem_last(data, limit, "/Catalog"))) {
        limit = (size_t)(cat - data);
        /* "/Type" (and white space) must come right before it. */
        const char *p = cat;
        while (p > data && g_ascii_isspace(p[-1]))
            p--;
        if (p - data < 5 || memcmp(p - 5, "/Type", 5) != 0)
            continue;
        const char *obj = memmem_last(data, (size_t)(p - data), "obj");
        const char *endobj = memmem_last(data, (size_t)(p - data), "endobj");
        if (!obj || (endobj && endobj + 3 == obj))
            continue; /* the nearest keyword closes another object */
        /* Back over "G" then "N". */
        const char *q = obj;
        long vals[2] = {0, 0};
        for (int k = 1; k >= 0; k--) {
            while (q > data && g_ascii_isspace(q[-1]))
                q--;
            const char *e = q;
            while (q > data && g_ascii_isdigit(q[-1]))
                q--;
            if (q == e || e - q > 10)
                return 0;
            vals[k] = strtol(q, NULL, 10);
        }
        *num = vals[0];
        *gen = vals[1];
        return *num > 0;
    }
    return 0;
}

/* Writes tmpdir/repaired.pdf: the file plus a trailer naming its catalog. */
static int write_repaired(const char *path, const char *tmpdir, char *out, size_t outlen)
{
    GError *gerr = NULL;
    GMappedFile *map = g_mapped_file_new(path, FALSE, &gerr);
    if (!map) {
        g_clear_error(&gerr);
        return 0;
    }
    const char *data = g_mapped_file_get_contents(map);
    size_t n = g_mapped_file_get_length(map);
    long num = 0, gen = 0;
    int ok = data && find_catalog(data, n, &num, &gen);
    if (ok) {
        snprintf(out, outlen, "%s/repaired.pdf", tmpdir);
        FILE *f = fopen(out, "wb");
        ok = f && fwrite(data, 1, n, f) == n &&
             fprintf(f, "\ntrailer\n<< /Root %ld %ld R >>\n", num, gen) > 0;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok)
            remove(out);
    }
    g_mapped_file_unref(map);
    return ok;
}

/* 1 when "%PDF-" starts within the first HEADER_WINDOW bytes. */
static int has_pdf_header(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[HEADER_WINDOW];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    for (size_t i = 0; i + 5 <= n; i++)
        if (!memcmp(buf + i, "%PDF-", 5))
            return 1;
    return 0;
}

int pledgex__pdf_open(const char *path, const char *password, const char *tmpdir,
                      PopplerDocument **out, int *repaired, char *err, size_t errlen)
{
    *out = NULL;
    *repaired = 0;
    if (!has_pdf_header(path)) {
        snprintf(err, errlen, "not a PDF: no %%PDF- header in its first %d bytes",
                 HEADER_WINDOW);
        return PLEDGEX_FAILED;
    }
    GError *gerr = NULL;
    PopplerDocument *doc = open_uri(path, password, &gerr);
    if (!doc && gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_DAMAGED &&
        tmpdir) {
        char fixed[4200];
        if (write_repaired(path, tmpdir, fixed, sizeof fixed)) {
            GError *gerr2 = NULL;
            doc = open_uri(fixed, password, &gerr2);
            if (doc) {
                *repaired = 1;
                g_clear_error(&gerr);
            } else if (gerr2 && gerr2->domain == POPPLER_ERROR &&
                       gerr2->code == POPPLER_ERROR_ENCRYPTED) {
                /* The repaired copy got further: report what stops it now. */
                g_clear_error(&gerr);
                gerr = gerr2;
                gerr2 = NULL;
            }
            g_clear_error(&gerr2);
        }
    }
    if (doc) {
        *out = doc;
        return PLEDGEX_OK;
    }
    int rc = PLEDGEX_FAILED;
    if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED) {
        if (password)
            snprintf(err, errlen, "encrypted PDF: the password given does not open it");
        else {
            snprintf(err, errlen, "encrypted PDF: needs a password (--password or "
                                  "--password-file)");
            rc = PLEDGEX_SKIP;
        }
    } else if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_DAMAGED) {
        snprintf(err, errlen, "damaged PDF: no page could be found (truncated or corrupt)");
    } else {
        snprintf(err, errlen, "cannot open the PDF: %s",
                 gerr && gerr->message ? gerr->message : "unknown error");
    }
    g_clear_error(&gerr);
    return rc;
}
