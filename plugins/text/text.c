/*
 * text.c -- the "text" plugin: plain text files.
 *
 * The whole file becomes one block of kind "text", normalised to NFC by the
 * host.  Invalid UTF-8 never reaches the index: bytes that do not decode are
 * replaced with U+FFFD and the document carries a warning saying how many.
 * A file that is mostly undecodable, or holds NUL bytes (binary data named
 * .txt), is refused with the reason.  Legacy Vietnamese encodings and UTF-16
 * are recognised by the article plugin when it is loaded (it claims text at
 * a higher priority).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pledgex-plugin.h"

/* Files above this are not "text documents"; the limit is a host limit. */
#define TEXT_MAX_BYTES_DEFAULT (64LL << 20)

static const pledgex_claim text_claims[] = {
    {"text/plain", 10},
    {"text/*", 5},
    {NULL, 0},
};

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    size_t n;
    unsigned min;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static int text_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                        const pledgex_input *in, char *err, size_t errlen)
{
    (void)state;
    int64_t max = host->limit(ctx, "max_text_bytes", TEXT_MAX_BYTES_DEFAULT);
    if (max > 0 && in->size > (uint64_t)max) {
        snprintf(err, errlen, "text file of %llu bytes exceeds the limit of %lld bytes",
                 (unsigned long long)in->size, (long long)max);
        return PLEDGEX_FAILED;
    }
    FILE *f = fopen(in->path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return PLEDGEX_FAILED;
    }
    size_t cap = in->size + 1, len = 0;
    unsigned char *raw = malloc(cap);
    if (!raw) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FAILED;
    }
    size_t k;
    while ((k = fread(raw + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap) {
            unsigned char *g = realloc(raw, cap * 2);
            if (!g) {
                free(raw);
                fclose(f);
                snprintf(err, errlen, "out of memory");
                return PLEDGEX_FAILED;
            }
            raw = g;
            cap *= 2;
        }
    }
    int bad_read = ferror(f);
    fclose(f);
    if (bad_read) {
        free(raw);
        snprintf(err, errlen, "read error");
        return PLEDGEX_FAILED;
    }
    size_t start = 0;
    if (len >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF)
        start = 3; /* UTF-8 BOM */

    /* Decode with replacement; each invalid byte costs 3 output bytes. */
    unsigned char *out = malloc((len - start) * 3 + 1);
    if (!out) {
        free(raw);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FAILED;
    }
    size_t w = 0, bad = 0, nul = 0;
    for (size_t i = start; i < len;) {
        if (raw[i] == 0) {
            nul++;
            i++;
            continue;
        }
        size_t n = utf8_seq(raw + i, len - i);
        if (n == 0) {
            memcpy(out + w, "\xEF\xBF\xBD", 3);
            w += 3;
            bad++;
            i++;
        } else {
            memcpy(out + w, raw + i, n);
            w += n;
            i += n;
        }
    }
    out[w] = 0;
    size_t total = len - start;
    free(raw);
    if (nul > 0 && nul * 8 > total) {
        free(out);
        snprintf(err, errlen,
                 "not text: %zu NUL bytes in %zu (UTF-16 or binary data; no plugin for it)",
                 nul, total);
        return PLEDGEX_FAILED;
    }
    if (bad > 0 && bad * 4 > total) {
        free(out);
        snprintf(err, errlen,
                 "not UTF-8 text: %zu of %zu bytes do not decode (a legacy encoding?)", bad,
                 total);
        return PLEDGEX_FAILED;
    }
    pledgex_block b = {"text", 0, (const char *)out, -1.0, 0};
    int rc = host->emit_block(ctx, &b);
    free(out);
    if (rc != PLEDGEX_OK) {
        snprintf(err, errlen, "cannot store the text");
        return PLEDGEX_FAILED;
    }
    host->set_attr(ctx, "kind", "text");
    host->set_attr(ctx, "encoding", "UTF-8");
    if (bad > 0 || nul > 0) {
        snprintf(err, errlen, "%zu invalid UTF-8 byte(s) replaced with U+FFFD%s", bad,
                 nul ? ", NUL bytes dropped" : "");
        host->warn(ctx, err);
        return PLEDGEX_WARN;
    }
    return PLEDGEX_OK;
}

static const pledgex_plugin text_plugin = {
    PLEDGEX_PLUGIN_ABI_MAJOR,
    PLEDGEX_PLUGIN_ABI_MINOR,
    "text",
    "1.0",
    "plain UTF-8 text",
    text_claims,
    NULL,
    NULL,
    text_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &text_plugin;
}
