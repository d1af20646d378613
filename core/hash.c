/*
 * hash.c -- SHA-256 of files, through nettle, streamed so memory does not
 * grow with the file; and of a small file the caller has read already.
 */
#include <config.h>

#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

/* The digest of ctx as 64 lower-case hex digits + NUL. */
static void hex_digest(struct sha256_ctx *ctx, char hex[65])
{
    static const char digit[] = "0123456789abcdef";
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++) {
        hex[2 * i] = digit[digest[i] >> 4];
        hex[2 * i + 1] = digit[digest[i] & 15];
    }
    hex[2 * SHA256_DIGEST_SIZE] = 0;
}

int pledgex__sha256_file(const char *path, char hex[65], char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        pledgex__fmt(err, errlen, "cannot open: %s", strerror(errno));
        return PLEDGEX_FAILED;
    }
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sha256_update(&ctx, n, chunk);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        pledgex__fmt(err, errlen, "read error: %s", strerror(saved));
        return PLEDGEX_FAILED;
    }
    hex_digest(&ctx, hex);
    return PLEDGEX_OK;
}

void pledgex__sha256_bytes(const void *data, size_t len, char hex[65])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    hex_digest(&ctx, hex);
}
