/*
 * links.c -- see links.h.
 */
#include <config.h>

#include "links.h"

#include <stdlib.h>
#include <string.h>

#include "textnorm.h"

char *pledgex__photo_key(const char *file_name)
{
    if (!file_name)
        return NULL;
    const char *slash = strrchr(file_name, '/');
    const char *base = slash ? slash + 1 : file_name;
    const char *bang = strrchr(base, '!');
    if (bang)
        base = bang + 1;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base && strlen(dot) <= 5)
        n = (size_t)(dot - base);
    char *folded = pledgex__fold_ascii(base, n);
    if (!folded)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; folded[i]; i++) {
        char c = folded[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            folded[w++] = c;
    }
    folded[w] = 0;
    if (w == 0) {
        free(folded);
        return NULL;
    }
    return folded;
}

/* Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. */
static size_t bounded_distance(const char *a, const char *b, size_t max)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    size_t *prev = malloc((lb + 1) * sizeof *prev), *cur = malloc((lb + 1) * sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return max + 1;
    }
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t rowmin = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t m = sub < del ? sub : del;
            cur[j] = m < ins ? m : ins;
            if (cur[j] < rowmin)
                rowmin = cur[j];
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
        if (rowmin > max) {
            free(prev);
            free(cur);
            return max + 1;
        }
    }
    size_t d = prev[lb];
    free(prev);
    free(cur);
    return d;
}

int pledgex__photo_keys_match(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    if (!strcmp(a, b))
        return 1;
    size_t la = strlen(a), lb = strlen(b);
    size_t shorter = la < lb ? la : lb;
    /* Short names (4.JPG, IMG_0528) must match exactly: one edit turns one
     * camera number into another. */
    if (shorter < 16)
        return 0;
    /* Numbers are not typos: "... thi dua 1.jpg" and "... thi dua 2.jpg"
     * are two photos. */
    const char *p = a, *q = b;
    for (;;) {
        while (*p && !(*p >= '0' && *p <= '9'))
            p++;
        while (*q && !(*q >= '0' && *q <= '9'))
            q++;
        if (*p != *q)
            return 0;
        if (!*p)
            break;
        p++;
        q++;
    }
    size_t max = shorter / 10; /* about one typo per ten letters */
    return bounded_distance(a, b, max) <= max;
}

size_t pledgex__address_folder_len(const char *address)
{
    size_t n = 0;
    for (size_t i = 0; address && address[i]; i++)
        if (address[i] == '/' || address[i] == '!')
            n = i + 1;
    return n;
}

int pledgex__sidecar_mime(const char *mime)
{
    return mime && (!strcmp(mime, "text/plain") || !strcmp(mime, "application/rdf+xml"));
}

/* Markers of a photo credit inside a caption. */
static const char *const credit_markers[] = {"\xE1\xBA\xA2nh", "\xE1\xBA\xA3nh", "\xE1\xBA\xA2NH",
                                             "Photo", "photo", "PHOTO",
                                             NULL};

char *pledgex__caption_credit(const char *caption)
{
    if (!caption)
        return NULL;
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; credit_markers[i]; i++) {
        size_t n = strlen(credit_markers[i]);
        for (const char *p = strstr(caption, credit_markers[i]); p;
             p = strstr(p + 1, credit_markers[i])) {
            /* a word of its own: at the start or after a space, '(' or '.' */
            if (p != caption && !strchr(" (.[-\t\n", p[-1]))
                continue;
            if (!best || p > best || (p == best && n > best_len)) {
                best = p;
                best_len = n;
            }
        }
    }
    if (!best)
        return NULL;
    const char *q = best + best_len;
    while (*q == ' ')
        q++;
    if (*q != ':' && *q != '-' && *q != '/')
        return NULL; /* "ảnh" as a plain word ("hình ảnh đẹp") */
    q++;
    while (*q == ' ')
        q++;
    size_t n = strcspn(q, ")]\n");
    while (n > 0 && strchr(" .;,", q[n - 1]))
        n--;
    if (n == 0 || n > 80)
        return NULL;
    /* nothing but closing punctuation may follow: a credit ends the caption */
    for (const char *r = q + n; *r; r++)
        if (!strchr(" .;,)]\n\t", *r))
            return NULL;
    return strndup(q, n);
}
