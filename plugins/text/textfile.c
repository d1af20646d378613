/*
 * textfile.c -- see textfile.h.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "textfile.h"

/* Share of control characters (other than tab, line and page breaks) in
 * decoded text, in per cent (replaced bytes are judged by nbad). */
static unsigned junk_percent(const char *s, size_t len)
{
    size_t chars = 0, junk = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        chars++;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
            junk++;
        else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)
            junk++; /* C1 controls */
    }
    return chars ? (unsigned)(junk * 100 / chars) : 0;
}

int pledgex__text_load(const pledgex_host *host, pledgex_ctx *ctx, const pledgex_input *in,
                       pledgex_decoded *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int64_t max = host->limit(ctx, "max_text_bytes", TEXT_MAX_BYTES_DEFAULT);
    if (max > 0 && in->size > (uint64_t)max) {
        snprintf(err, errlen, "text file of %llu bytes exceeds the limit of %lld bytes",
                 (unsigned long long)in->size, (long long)max);
        return PLEDGEX_FAILED;
    }
    unsigned char *raw = NULL;
    size_t len = 0;
    /* the bytes the host read to hash the file, when it passes them on */
    pledgex_file_bytes *given = PLEDGEX_HOST_HAS(host, handoff_take)
                                    ? host->handoff_take(ctx, in->path, PLEDGEX_HANDOFF_BYTES)
                                    : NULL;
    int rc;
    if (given) {
        raw = given->data;
        len = given->len;
        rc = max > 0 && len > (size_t)max ? -2 : 0;
        if (rc)
            free(given);
    } else {
        rc = pledgex__read_file(in->path, max > 0 ? (size_t)max : SIZE_MAX - 1, &raw, &len);
    }
    if (rc == -2) {
        snprintf(err, errlen, "text file exceeds the limit of %lld bytes", (long long)max);
        return PLEDGEX_FAILED;
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot read: %s", strerror(errno));
        return PLEDGEX_FAILED;
    }
    /* what to free: the handed-off block holds raw */
    void *owner = given ? (void *)given : (void *)raw;
    if (pledgex__decode_text(raw, len, out) != 0) {
        free(owner);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FAILED;
    }
    free(owner);
    size_t total = len;
    if (out->nnul > 0 && out->nnul * 8 > total) {
        snprintf(err, errlen, "not text: %zu NUL bytes in %zu (binary data)", out->nnul, total);
        goto refuse;
    }
    if (total > 0 && (out->nbad * 4 > total || junk_percent(out->text, out->len) > 3)) {
        snprintf(err, errlen, "not text: mostly control characters or undecodable bytes in "
                              "every known encoding (binary data)");
        goto refuse;
    }
    return PLEDGEX_OK;
refuse:
    free(out->text);
    out->text = NULL;
    return PLEDGEX_FAILED;
}

int pledgex__text_report(const pledgex_host *host, pledgex_ctx *ctx, const pledgex_decoded *d,
                         char *err, size_t errlen)
{
    host->set_attr(ctx, "encoding", d->encoding);
    if (d->nbad > 0 || d->nnul > 0) {
        snprintf(err, errlen, "%zu invalid %s byte(s) replaced with U+FFFD%s", d->nbad,
                 d->encoding, d->nnul ? ", NUL bytes dropped" : "");
        host->warn(ctx, err);
        return PLEDGEX_WARN;
    }
    return PLEDGEX_OK;
}

int pledgex__text_emit_plain(const pledgex_host *host, pledgex_ctx *ctx,
                             const pledgex_decoded *d, char *err, size_t errlen)
{
    pledgex_block b = {"text", 0, d->text, -1.0, 0};
    if (host->emit_block(ctx, &b) != PLEDGEX_OK) {
        snprintf(err, errlen, "cannot store the text");
        return PLEDGEX_FAILED;
    }
    host->set_attr(ctx, "kind", "text");
    return pledgex__text_report(host, ctx, d, err, errlen);
}

/* ---- what an article looks like ----------------------------------------- */

int pledgex__text_image_line(const char *line)
{
    static const char *const ext[] = {".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff",
                                      ".heic", ".webp", ".bmp", NULL};
    size_t n = strlen(line);
    while (n > 0 && isspace((unsigned char)line[n - 1]))
        n--;
    if (n < 5 || n > 255)
        return 0;
    for (size_t i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strncasecmp(line + n - e, ext[i], e))
            return 1;
    }
    return 0;
}

static int num(const char *s, int maxd, int *v, int *nd)
{
    *v = 0;
    *nd = 0;
    while (*nd < maxd && isdigit((unsigned char)s[*nd])) {
        *v = *v * 10 + (s[*nd] - '0');
        (*nd)++;
    }
    return *nd > 0;
}

/* hh:mm[:ss] at s; returns characters used or 0. */
static int clock_at(const char *s, int *h, int *m, int *sec)
{
    int nd, nd2, nd3;
    if (!num(s, 2, h, &nd) || s[nd] != ':' || !num(s + nd + 1, 2, m, &nd2) || nd2 != 2)
        return 0;
    int used = nd + 1 + nd2;
    *sec = -1;
    if ((s[used] == ':') && num(s + used + 1, 2, sec, &nd3) && nd3 == 2)
        used += 1 + nd3;
    if (*h > 23 || *m > 59 || *sec > 60)
        return 0;
    return used;
}

char *pledgex__text_find_date(const char *s, size_t *at, size_t *len)
{
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
            continue;
        int a, b, c, na, nb, nc, y, mo, d;
        const char *q = p;
        if (!num(q, 4, &a, &na))
            continue;
        q += na;
        char sep = *q;
        if (sep != '/' && sep != '-' && sep != '.')
            continue;
        if (!num(q + 1, 2, &b, &nb))
            continue;
        q += 1 + nb;
        if (*q != sep || !num(q + 1, 4, &c, &nc))
            continue;
        q += 1 + nc;
        if (na == 4 && nc <= 2) { /* 2024-03-19 */
            y = a;
            mo = b;
            d = c;
        } else if (na <= 2 && nc == 4) { /* 19/03/2024 */
            d = a;
            mo = b;
            y = c;
        } else {
            continue;
        }
        if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31)
            continue;
        /* a clock after ("19/03/2024 17:01", "2024-03-19T17:01:00", "- 17:01")
         * or before ("17:01 19/03/2024", "17:01, 19/03/2024") */
        int h = -1, mi = 0, sec = -1, used;
        const char *r = q;
        if (*r == 'T')
            r++;
        else
            while (*r == ' ' || *r == '-' || *r == '|' || *r == ',')
                r++;
        const char *end = q;
        if ((used = clock_at(r, &h, &mi, &sec)) > 0) {
            end = r + used;
        } else {
            h = -1;
            const char *bk = p;
            while (bk > s && strchr(" ,-|", bk[-1]))
                bk--;
            for (int back = 5; back <= 8 && bk - back >= s; back++) {
                const char *t = bk - back;
                if ((t == s || !isdigit((unsigned char)t[-1])) &&
                    (used = clock_at(t, &h, &mi, &sec)) == back)
                    break;
                h = -1;
            }
        }
        char zone[16] = "";
        if (h >= 0 && (*end == 'Z' || *end == '+' || *end == '-')) {
            int zh, zm, n1, n2;
            if (*end == 'Z')
                snprintf(zone, sizeof zone, "Z");
            else if (num(end + 1, 2, &zh, &n1) && n1 == 2 && end[3] == ':' &&
                     num(end + 4, 2, &zm, &n2) && n2 == 2)
                snprintf(zone, sizeof zone, "%c%02d:%02d", *end, zh % 24, zm % 60);
        }
        char buf[48];
        if (h < 0)
            snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
        else if (sec < 0)
            snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d%s", y, mo, d, h, mi, zone);
        else
            snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, sec,
                     zone);
        if (at)
            *at = (size_t)(p - s);
        if (len)
            *len = (size_t)(end - p);
        return strdup(buf);
    }
    return NULL;
}


/* A line [s, e) is a news byline: short, with a date and a clock time
 * ("Khánh Ly 19/03/2024 17:01").  A date alone is not enough: the heading
 * of a pledge or a letter ("Nghệ An, 19/3/2024") has one too. */
static int dated_line(const char *s, const char *e)
{
    size_t n = (size_t)(e - s);
    if (n == 0 || n > 160)
        return 0;
    char *line = strndup(s, n);
    char *d = line ? pledgex__text_find_date(line, NULL, NULL) : NULL;
    int timed = d && strchr(d, 'T') != NULL;
    free(line);
    free(d);
    return timed;
}

int pledgex__text_is_article(const char *text)
{
    /* the first non-empty lines: a title (<= 250 bytes), then a dated
     * byline among the next three */
    const char *p = text;
    int seen = 0;
    size_t title_len = 0;
    while (*p && seen < 4) {
        const char *e = strchr(p, '\n');
        if (!e)
            e = p + strlen(p);
        const char *s = p, *t = e;
        while (s < t && isspace((unsigned char)*s))
            s++;
        while (t > s && isspace((unsigned char)t[-1]))
            t--;
        if (t > s) {
            if (seen == 0)
                title_len = (size_t)(t - s);
            else if (title_len <= 250 && dated_line(s, t))
                return 1;
            seen++;
        }
        p = *e ? e + 1 : e;
    }
    /* or a photo file name on a line of its own, its caption right under */
    int prev_image = 0;
    for (p = text; *p;) {
        const char *e = strchr(p, '\n');
        if (!e)
            e = p + strlen(p);
        size_t n = (size_t)(e - p);
        char *line = n < 300 ? strndup(p, n) : NULL;
        int blank = 1;
        for (const char *q = p; q < e && blank; q++)
            blank = isspace((unsigned char)*q);
        int image = line && pledgex__text_image_line(line);
        free(line);
        if (prev_image && !blank && !image)
            return 1;
        prev_image = image;
        p = *e ? e + 1 : e;
    }
    return 0;
}
