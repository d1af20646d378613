/*
 * photo_comment.c -- captions kept as a plain comment: the JPEG COM
 * segment (what GIMP, IrfanView and many older tools write) and PNG text
 * chunks keyed Description or Comment (tEXt, iTXt).  The lowest source in
 * precedence: such comments often hold the writing software's name, which
 * is dropped here.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "encoding.h"
#include "photo.h"

/* JPEG headers sit before the scan; a COM segment beyond this is not
 * looked for. */
#define COMMENT_SCAN_BYTES (2u << 20)

/* Comments that name the software, not the picture. */
static int software_note(const char *s)
{
    static const char *const prefixes[] = {"CREATOR:", "Created with", "File written by",
                                           "LEAD Technologies", "Intel(R) JPEG", "AppleMark",
                                           "Optimized by", "Processed By", "Compressed by",
                                           "Made with", NULL};
    for (size_t i = 0; prefixes[i]; i++)
        if (!strncasecmp(s, prefixes[i], strlen(prefixes[i])))
            return 1;
    return strstr(s, "gd-jpeg") != NULL || strstr(s, "IJG JPEG") != NULL;
}

static void add(photo_meta *m, const unsigned char *s, size_t n)
{
    char *text = pledgex__photo_field_text(s, n, NULL);
    if (text && software_note(text)) {
        free(text);
        return;
    }
    pledgex__photo_add_caption(m, PHOTO_SRC_COMMENT, text);
}

static void jpeg_comments(const unsigned char *d, size_t n, photo_meta *m)
{
    if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
        return;
    size_t i = 2;
    while (i + 4 <= n) {
        if (d[i] != 0xFF)
            return; /* not a marker: damaged, stop */
        unsigned char marker = d[i + 1];
        if (marker == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            return; /* end of image, start of scan */
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += 2; /* markers without a length */
            continue;
        }
        size_t len = ((size_t)d[i + 2] << 8) | d[i + 3];
        if (len < 2 || len > n - i - 2)
            return;
        if (marker == 0xFE)
            add(m, d + i + 4, len - 2);
        i += 2 + len;
    }
}

/* The value of a PNG text chunk whose keyword is Description or Comment,
 * or NULL; *vlen its length.  iTXt values are UTF-8 (compressed ones are
 * skipped), tEXt values are Latin-1 by the standard and UTF-8 in practice:
 * the field decoder tells. */
static const unsigned char *png_text_value(const unsigned char *c, size_t clen, int itxt,
                                           size_t *vlen)
{
    const unsigned char *nul = memchr(c, 0, clen);
    if (!nul)
        return NULL;
    size_t klen = (size_t)(nul - c);
    if (!((klen == 11 && !memcmp(c, "Description", 11)) || (klen == 7 && !memcmp(c, "Comment", 7))))
        return NULL;
    const unsigned char *v = nul + 1, *end = c + clen;
    if (itxt) {
        if (end - v < 2 || v[0] != 0) /* compressed */
            return NULL;
        v += 2;
        for (int skip = 0; skip < 2; skip++) { /* language tag, translated keyword */
            const unsigned char *z = memchr(v, 0, (size_t)(end - v));
            if (!z)
                return NULL;
            v = z + 1;
        }
    }
    *vlen = (size_t)(end - v);
    return v;
}

static int text_chunk(const unsigned char *type, const unsigned char *c, size_t clen, void *user)
{
    int itxt = !memcmp(type, "iTXt", 4);
    if (itxt || !memcmp(type, "tEXt", 4)) {
        size_t vlen = 0;
        const unsigned char *v = png_text_value(c, clen, itxt, &vlen);
        if (v)
            add(user, v, vlen);
    }
    return 0; /* every text chunk, to the end */
}

void pledgex__photo_read_comments(const char *path, const char *mime, photo_meta *m)
{
    int png = !strcmp(mime, "image/png");
    if (!png && strcmp(mime, "image/jpeg"))
        return;
    unsigned char *d = NULL;
    size_t n = 0;
    if (png) {
        /* text chunks may follow the image data: the whole file */
        if (pledgex__read_file(path, PHOTO_MAX_META_BYTES, &d, &n) == 0 && n > 8 &&
            !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
            pledgex__photo_png_chunks(d, n, text_chunk, m);
        free(d);
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    d = malloc(COMMENT_SCAN_BYTES);
    if (d) {
        n = fread(d, 1, COMMENT_SCAN_BYTES, f);
        jpeg_comments(d, n, m);
        free(d);
    }
    fclose(f);
}
