/*
 * photo_caption.c -- the caption candidates of a photo: collecting them,
 * decoding metadata strings, dates, and the credit written in a caption.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "encoding.h"
#include "photo.h"

static const char *const source_names[PHOTO_SRC_N] = {"xmp", "iptc", "exif", "xpcomment",
                                                      "sidecar", "comment"};

const char *pledgex__photo_source_name(photo_source s)
{
    return s < PHOTO_SRC_N ? source_names[s] : "?";
}

void pledgex__photo_meta_clear(photo_meta *m)
{
    for (size_t i = 0; i < m->ncaptions; i++)
        free(m->captions[i].text);
    for (int i = 0; i < PHOTO_SRC_N; i++) {
        free(m->credit[i]);
        free(m->taken[i]);
    }
    memset(m, 0, sizeof *m);
}

/* Text cameras and editors write when nobody wrote a caption. */
static int boilerplate(const char *s)
{
    static const char *const known[] = {"OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA",
                                        "Exif_JPEG_PICTURE", "DCIM", "default", "Picture",
                                        "Image", "Photo", "Untitled", "No description",
                                        "Screenshot", NULL};
    for (size_t i = 0; known[i]; i++)
        if (!strcasecmp(s, known[i]))
            return 1;
    int letters = 0, lower = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        letters += isalpha(*p) || *p >= 0x80;
        lower += islower(*p) || *p >= 0x80;
    }
    if (letters == 0)
        return 1; /* only digits and punctuation: "IMG_0528", "   " */
    /* "KODAK DC240 ZOOM DIGITAL CAMERA", "NIKON D750 DSC": shouting ASCII
     * that names the device */
    if (!lower && (strstr(s, "CAMERA") || strstr(s, "DSC") || strstr(s, "PICTURE")))
        return 1;
    return 0;
}

void pledgex__photo_add_caption(photo_meta *m, photo_source src, char *text)
{
    if (!text)
        return;
    if (!*text || boilerplate(text) || m->ncaptions >= PHOTO_MAX_CAPTIONS) {
        free(text);
        return;
    }
    m->captions[m->ncaptions].source = src;
    m->captions[m->ncaptions++].text = text;
}

void pledgex__photo_set_credit(photo_meta *m, photo_source src, char *value)
{
    if (!value || !*value || m->credit[src]) {
        free(value);
        return;
    }
    m->credit[src] = value;
}

void pledgex__photo_set_taken(photo_meta *m, photo_source src, char *value)
{
    if (!value || m->taken[src]) {
        free(value);
        return;
    }
    m->taken[src] = value;
}

/* Trims ASCII space, control characters and NULs at both ends, in place. */
static char *trim(char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s), a = 0;
    while (a < n && ((unsigned char)s[a] <= 0x20))
        a++;
    while (n > a && ((unsigned char)s[n - 1] <= 0x20))
        n--;
    memmove(s, s + a, n - a);
    s[n - a] = 0;
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

char *pledgex__photo_field_text(const unsigned char *s, size_t len, const char *charset)
{
    if (!s)
        return NULL;
    int wide = charset && !strncmp(charset, "UTF-16", 6);
    while (!wide && len > 0 && s[len - 1] == 0)
        len--; /* EXIF ASCII fields end with NULs (UTF-16 callers trim pairs) */
    if (len == 0)
        return NULL;
    char *out = NULL;
    if (charset)
        out = pledgex__decode_as(s, len, charset);
    if (!out) {
        pledgex_decoded d;
        if (pledgex__decode_text(s, len, &d) != 0)
            return NULL;
        out = d.text;
    }
    return trim(out);
}

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

char *pledgex__photo_iso_date(const char *date, const char *time)
{
    if (!date)
        return NULL;
    int y, mo = 0, d = 0, h = -1, mi = 0, sec = 0;
    const char *p = date;
    while (*p == ' ')
        p++;
    if (!digits(p, 4, &y) || y < 1800 || y > 2200)
        return NULL;
    p += 4;
    /* "YYYY:MM:DD", "YYYY-MM-DD" or "YYYYMMDD" */
    if (*p == ':' || *p == '-')
        p++;
    if (digits(p, 2, &mo)) {
        p += 2;
        if (*p == ':' || *p == '-')
            p++;
        if (digits(p, 2, &d))
            p += 2;
    }
    if ((mo && (mo < 1 || mo > 12)) || (d && (d < 1 || d > 31)))
        return NULL;
    const char *t = time;
    if (!t && (*p == ' ' || *p == 'T'))
        t = p + 1;
    char zone[16] = "";
    if (t) {
        if (digits(t, 2, &h)) {
            t += 2;
            if (*t == ':')
                t++;
            if (digits(t, 2, &mi)) {
                t += 2;
                if (*t == ':')
                    t++;
                if (digits(t, 2, &sec))
                    t += 2;
            }
            if (*t == '.')
                while (isdigit((unsigned char)*++t))
                    ;
            int zh, zm;
            if (*t == 'Z')
                snprintf(zone, sizeof zone, "Z");
            else if ((*t == '+' || *t == '-') && digits(t + 1, 2, &zh)) {
                const char *z = t + 3;
                if (*z == ':')
                    z++;
                if (!digits(z, 2, &zm))
                    zm = 0;
                snprintf(zone, sizeof zone, "%c%02d:%02d", *t, zh % 24, zm % 60);
            }
            if (h > 23 || mi > 59 || sec > 60)
                h = -1;
        }
    }
    char buf[40];
    if (!mo)
        snprintf(buf, sizeof buf, "%04d", y);
    else if (!d)
        snprintf(buf, sizeof buf, "%04d-%02d", y, mo);
    else if (h < 0)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
    else
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, sec, zone);
    return strdup(buf);
}
