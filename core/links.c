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
    size_t max = shorter / 10; /* about one typo per ten letters */
    return bounded_distance(a, b, max) <= max;
}
