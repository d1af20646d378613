/*
 * detect.c -- the type of an input: libmagic first, the file name's
 * extension as a fallback (when magic only says "data" or "text") and as a
 * tie-breaker (a .docx is a ZIP to libmagic on some versions).
 */
#include <config.h>

#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"

static const struct {
    const char *ext;
    const char *mime;
} by_extension[] = {
    {"txt", "text/plain"},
    {"text", "text/plain"},
    {"md", "text/markdown"},
    {"markdown", "text/markdown"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"xhtml", "application/xhtml+xml"},
    {"xmp", "application/rdf+xml"},
    {"csv", "text/csv"},
    {"json", "application/json"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"png", "image/png"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"gif", "image/gif"},
    {"bmp", "image/bmp"},
    {"webp", "image/webp"},
    {"jp2", "image/jp2"},
    {"pnm", "image/x-portable-anymap"},
    {"pbm", "image/x-portable-bitmap"},
    {"pgm", "image/x-portable-greymap"},
    {"ppm", "image/x-portable-pixmap"},
    {"heic", "image/heic"},
    {"pdf", "application/pdf"},
    {"zip", "application/zip"},
    {"tar", "application/x-tar"},
    {"tgz", "application/gzip"},
    {"gz", "application/gzip"},
    {"bz2", "application/x-bzip2"},
    {"xz", "application/x-xz"},
    {"zst", "application/zstd"},
    {"7z", "application/x-7z-compressed"},
    {"rar", "application/vnd.rar"},
    {"cpio", "application/x-cpio"},
    {"iso", "application/x-iso9660-image"},
    {"ar", "application/x-archive"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"odt", "application/vnd.oasis.opendocument.text"},
};

/* MIME types that say little: the extension may know better. */
static int generic(const char *mime)
{
    return !strcmp(mime, "application/octet-stream") || !strcmp(mime, "text/plain") ||
           !strcmp(mime, "application/zip") || !strcmp(mime, "text/xml") ||
           !strcmp(mime, "application/xml");
}

static const char *extension_mime(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return NULL;
    for (size_t i = 0; i < sizeof by_extension / sizeof by_extension[0]; i++)
        if (!strcasecmp(dot + 1, by_extension[i].ext))
            return by_extension[i].mime;
    return NULL;
}

/* Whether the extension's type is a refinement of what magic saw (a ZIP
 * named .docx), not a contradiction (a JPEG named .txt). */
static int compatible(const char *magic_mime, const char *ext_mime)
{
    if (!strcmp(magic_mime, "application/octet-stream"))
        return 1;
    if (!strcmp(magic_mime, "text/plain") || !strncmp(magic_mime, "text/", 5) ||
        strstr(magic_mime, "xml"))
        return !strncmp(ext_mime, "text/", 5) || strstr(ext_mime, "xml") != NULL;
    if (!strcmp(magic_mime, "application/zip"))
        return strstr(ext_mime, "officedocument") || strstr(ext_mime, "opendocument");
    return 0;
}

/* Bytes of a file the UTF-8 sniff reads (all of it when it is shorter). */
#define SNIFF_BYTES 8192

/* The fast path for the commonest input of all, a UTF-8 text file named
 * .txt or .md: when its first bytes hold no NUL and decode as UTF-8, it is
 * text whatever libmagic would add, and libmagic's text rules (regular
 * expressions over the whole buffer) are most of the cost of ingesting a
 * short text.  Anything else, a PNG named .txt included (it has NULs), goes
 * to libmagic.  `head` holds the file's first headlen bytes when the caller
 * has read them (NULL: read them here). */
static const char *sniff_utf8_text(const char *path, const unsigned char *head, size_t headlen,
                                   const char *ext_mime)
{
    if (!ext_mime || (strcmp(ext_mime, "text/plain") && strcmp(ext_mime, "text/markdown")))
        return NULL;
    unsigned char own[SNIFF_BYTES];
    const unsigned char *buf = head;
    size_t n = headlen < SNIFF_BYTES ? headlen : SNIFF_BYTES;
    if (!head) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return NULL;
        n = fread(own, 1, sizeof own, f);
        fclose(f);
        buf = own;
    }
    if (n == 0)
        return NULL;
    /* a UTF-8 byte order mark, or none; no UTF-16/32 */
    size_t i = (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) ? 3 : 0;
    while (i < n) {
        unsigned char c = buf[i];
        if (c == 0)
            return NULL;
        size_t k = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                                   : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        if (k == 0)
            return NULL;
        if (i + k > n) /* cut by the buffer: fine */
            break;
        for (size_t j = 1; j < k; j++)
            if ((buf[i + j] & 0xC0) != 0x80)
                return NULL;
        i += k;
    }
    /* HTML saved as .txt is still HTML: leave markup to libmagic */
    size_t s = 0;
    while (s < n && (buf[s] == ' ' || buf[s] == '\n' || buf[s] == '\r' || buf[s] == '\t'))
        s++;
    if (s < n && buf[s] == '<')
        return NULL;
    return ext_mime;
}

int pledgex__detect_mime(pledgex_engine *e, const char *path, const char *name, char **mime,
                         char *err, size_t errlen)
{
    return pledgex__detect_mime_head(e, path, name, NULL, 0, mime, err, errlen);
}

int pledgex__detect_mime_head(pledgex_engine *e, const char *path, const char *name,
                              const unsigned char *head, size_t headlen, char **mime, char *err,
                              size_t errlen)
{
    *mime = NULL;
    const char *fast = sniff_utf8_text(path, head, headlen, extension_mime(name ? name : path));
    if (fast) {
        *mime = strdup(fast);
        if (!*mime) {
            pledgex__fmt(err, errlen, "out of memory");
            return PLEDGEX_FATAL;
        }
        return PLEDGEX_OK;
    }
    if (!e->magic) {
        /* Checks that cost time and name nothing a plugin reads are off:
         * decompression (archives are the archive plugin's), ELF, OS/2
         * apptype, CSV/JSON (both text to us), and the text tokens. */
        int flags = MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS |
                    MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_APPTYPE | MAGIC_NO_CHECK_TOKENS;
#ifdef MAGIC_NO_CHECK_CSV
        flags |= MAGIC_NO_CHECK_CSV;
#endif
#ifdef MAGIC_NO_CHECK_JSON
        flags |= MAGIC_NO_CHECK_JSON;
#endif
        magic_t m = magic_open(flags);
        if (!m || magic_load(m, NULL) != 0) {
            pledgex__fmt(err, errlen, "cannot load libmagic's database: %s",
                         m ? magic_error(m) : "out of memory");
            if (m)
                magic_close(m);
            return PLEDGEX_FATAL;
        }
        /* The type is in the first bytes; reading megabytes of a large
         * text only slows detection down. */
        size_t bytes_max = 256 * 1024;
        magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max);
        e->magic = m;
    }
    const char *m = magic_file((magic_t)e->magic, path);
    if (!m) {
        pledgex__fmt(err, errlen, "cannot detect type: %s", magic_error((magic_t)e->magic));
        return PLEDGEX_FAILED;
    }
    const char *ext = extension_mime(name ? name : path);
    const char *chosen = m;
    if (ext && generic(m) && compatible(m, ext))
        chosen = ext;
    *mime = strdup(chosen);
    if (!*mime) {
        pledgex__fmt(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    return PLEDGEX_OK;
}

int pledgex_detect(pledgex_engine *e, const char *path, char **mime,
                   const pledgex_plugin **plugin)
{
    char err[1024];
    int rc = pledgex__detect_mime(e, path, NULL, mime, err, sizeof err);
    if (rc != PLEDGEX_OK)
        return pledgex__engine_error(e, rc, "%s: %s", path, err);
    const pledgex_loaded_plugin *lp = pledgex__route(e, *mime);
    if (plugin)
        *plugin = lp ? lp->desc : NULL;
    return PLEDGEX_OK;
}
