/*
 * text.c -- the "text" plugin: plain text files.
 *
 * The whole file becomes one block of kind "text".  The encoding is
 * recognised (UTF-8, UTF-16 with or without BOM, CP1258, VISCII, TCVN3,
 * VNI: encoding.c), converted to UTF-8 NFC and reported as the "encoding"
 * attribute.  Invalid UTF-8 never reaches the index: bytes that do not
 * decode are replaced with U+FFFD and the document carries a warning saying
 * how many.  Binary data named .txt (NUL bytes, control characters) is
 * refused with the reason.  Plain text that reads like a news article (a
 * title and a dated byline, photo file names with captions) is handed to
 * the "article" plugin when it is loaded (host->delegate), which stores its
 * title, byline, date, paragraphs and photo references.
 */
#include <config.h>

#include <stdlib.h>

#include "textfile.h"

static const pledgex_claim text_claims[] = {
    {"text/plain", 10},
    {"text/*", 5},
    {NULL, 0},
};

static int text_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                        const pledgex_input *in, char *err, size_t errlen)
{
    (void)state;
    pledgex_decoded d;
    int rc = pledgex__text_load(host, ctx, in, &d, err, errlen);
    if (rc != PLEDGEX_OK)
        return rc;
    if (pledgex__text_is_article(d.text)) {
        /* a news article: the article plugin reads its structure */
        rc = host->delegate(ctx, "article", in->path, in->mime, 0, err, errlen);
        if (rc != PLEDGEX_SKIP) {
            free(d.text);
            return rc;
        }
        err[0] = 0; /* no article plugin: plain text it is */
    }
    rc = pledgex__text_emit_plain(host, ctx, &d, err, errlen);
    free(d.text);
    return rc;
}

static const pledgex_plugin text_plugin = {
    PLEDGEX_PLUGIN_ABI_MAJOR,
    PLEDGEX_PLUGIN_ABI_MINOR,
    "text",
    "1.1",
    "plain text in UTF-8, UTF-16 and legacy Vietnamese encodings",
    text_claims,
    NULL,
    NULL,
    text_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &text_plugin;
}
