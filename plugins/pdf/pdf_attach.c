/*
 * pdf_attach.c -- files embedded in a PDF (attachments, PDF portfolios: the
 * Word original of a signed pledge, the scans of an annex) handed back to
 * the pipeline as members of the PDF, like the members of an archive.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf.h"

#define DEFAULT_MAX_MEMBER_BYTES (INT64_C(1) << 30) /* as --max-member-bytes */
#define DEFAULT_MAX_MEMBERS 100000                  /* as --max-members      */

typedef struct sink {
    FILE *f;
    int64_t written, max;
} sink;

/* Writes one block of the attachment; refuses to go past the size limit
 * whatever size the attachment claims. */
static gboolean save_block(const gchar *buf, gsize count, gpointer data, GError **error)
{
    sink *s = data;
    if (s->written + (int64_t)count > s->max) {
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "over the size limit");
        return FALSE;
    }
    if (fwrite(buf, 1, count, s->f) != count) {
        g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write to the temp dir");
        return FALSE;
    }
    s->written += (int64_t)count;
    return TRUE;
}

int pledgex__pdf_attachments(PopplerDocument *doc, const pledgex_host *host, pledgex_ctx *ctx,
                             const char *tmpdir, int *emitted)
{
    *emitted = 0;
    if (!poppler_document_has_attachments(doc) || !host->emit_child_file)
        return PLEDGEX_OK;
    int64_t max_bytes = host->limit ? host->limit(ctx, "max_member_bytes", DEFAULT_MAX_MEMBER_BYTES)
                                    : DEFAULT_MAX_MEMBER_BYTES;
    int64_t max_members = host->limit ? host->limit(ctx, "max_members", DEFAULT_MAX_MEMBERS)
                                      : DEFAULT_MAX_MEMBERS;
    GList *list = poppler_document_get_attachments(doc);
    int index = 0;
    for (GList *l = list; l; l = l->next, index++) {
        PopplerAttachment *a = l->data;
        const char *name = poppler_attachment_get_name(a);
        char fallback[32];
        if (!name || !*name) {
            snprintf(fallback, sizeof fallback, "attachment-%d", index + 1);
            name = fallback;
        }
        if (max_members > 0 && index >= max_members) {
            if (host->record_member)
                host->record_member(ctx, name, PLEDGEX_SKIP,
                                    "over the number of members allowed (--max-members)");
            continue;
        }
        if (max_bytes > 0 && (int64_t)poppler_attachment_get_size(a) > max_bytes) {
            if (host->record_member)
                host->record_member(ctx, name, PLEDGEX_SKIP,
                                    "larger than the member size limit (--max-member-bytes)");
            continue;
        }
        char path[4200];
        snprintf(path, sizeof path, "%s/attachment-%d", tmpdir, index);
        sink s = {.f = fopen(path, "wb"), .max = max_bytes > 0 ? max_bytes : INT64_MAX};
        GError *gerr = NULL;
        gboolean ok = s.f && poppler_attachment_save_to_callback(a, save_block, &s, &gerr);
        if (s.f && fclose(s.f) != 0)
            ok = FALSE;
        if (ok)
            host->emit_child_file(ctx, name, path);
        else if (host->record_member) {
            char why[300];
            snprintf(why, sizeof why, "embedded file not extracted: %s",
                     gerr && gerr->message ? gerr->message : "cannot write to the temp dir");
            host->record_member(ctx, name, PLEDGEX_FAILED, why);
        }
        g_clear_error(&gerr);
        unlink(path);
        if (ok)
            (*emitted)++;
    }
    g_list_free_full(list, g_object_unref);
    return PLEDGEX_OK;
}
