/*
 * bundle_json.c -- just enough JSON reading for pack (the export documents)
 * and verify (the manifest): spans of values, strings decoded.  Input may be
 * hostile (a tampered manifest): every scan is bounded by its end.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* End of the value starting at p (after whitespace), or NULL if malformed. */
static const char *skip_value(const char *p, const char *end, int depth)
{
    if (depth > 64 || p >= end)
        return NULL;
    if (*p == '"') {
        for (p++; p < end; p++) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                return p + 1;
        }
        return NULL;
    }
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = skip_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                p = skip_value(p, end, depth + 1); /* key */
                p = p ? skip_ws(p, end) : NULL;
                if (!p || p >= end || *p != ':')
                    return NULL;
                p = skip_ws(p + 1, end);
            }
            p = skip_value(p, end, depth + 1);
            p = p ? skip_ws(p, end) : NULL;
            if (!p || p >= end)
                return NULL;
            if (*p == close)
                return p + 1;
            if (*p != ',')
                return NULL;
            p = skip_ws(p + 1, end);
        }
    }
    /* number, true, false, null */
    const char *s = p;
    while (p < end && !strchr(",]} \t\r\n", *p))
        p++;
    return p > s ? p : NULL;
}

int pledgex__bj_member(const char *json, size_t len, const char *key, const char **val,
                       size_t *vlen)
{
    const char *end = json + len;
    const char *p = skip_ws(json, end);
    if (p >= end || *p != '{')
        return -1;
    p = skip_ws(p + 1, end);
    size_t klen = strlen(key);
    while (p < end && *p == '"') {
        const char *k = p;
        p = skip_value(p, end, 0);
        if (!p)
            return -1;
        int match = (size_t)(p - k) == klen + 2 && !memcmp(k + 1, key, klen);
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            return -1;
        p = skip_ws(p + 1, end);
        const char *v = p;
        p = skip_value(p, end, 0);
        if (!p)
            return -1;
        if (match) {
            *val = v;
            *vlen = (size_t)(p - v);
            return 0;
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',')
            p = skip_ws(p + 1, end);
    }
    return -1;
}

int pledgex__bj_next(const char **pp, const char *end, const char **val, size_t *vlen)
{
    const char *p = skip_ws(*pp, end);
    if (p < end && *p == '[')
        p = skip_ws(p + 1, end);
    if (p < end && *p == ',')
        p = skip_ws(p + 1, end);
    if (p >= end || *p == ']')
        return -1;
    const char *v = p;
    p = skip_value(p, end, 0);
    if (!p)
        return -1;
    *val = v;
    *vlen = (size_t)(p - v);
    *pp = p;
    return 0;
}

static int hex4(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            v |= (uint32_t)((c | 0x20) - 'a' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

char *pledgex__bj_string(const char *val, size_t vlen)
{
    if (vlen < 2 || val[0] != '"' || val[vlen - 1] != '"')
        return NULL;
    char *out = malloc(vlen + 1);
    if (!out)
        return NULL;
    char *o = out;
    const char *p = val + 1, *end = val + vlen - 1;
    while (p < end) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        if (++p >= end)
            break;
        char c = *p++;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            uint32_t cp, lo;
            if (end - p < 4 || hex4(p, &cp)) {
                free(out);
                return NULL;
            }
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                !hex4(p + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            o = put_utf8(o, cp);
            break;
        }
        default: *o++ = c; break; /* \" \\ \/ */
        }
    }
    *o = 0;
    return out;
}

/* Appends every string value of key inside [p, end) to the buffer. */
static void collect(const char *p, const char *end, const char *key, const char *sep,
                    char **buf, size_t *len, int depth)
{
    if (depth > 64)
        return;
    p = skip_ws(p, end);
    if (p >= end)
        return;
    if (*p == '{') {
        const char *q = skip_ws(p + 1, end);
        size_t klen = strlen(key);
        while (q < end && *q == '"') {
            const char *k = q;
            q = skip_value(q, end, 0);
            if (!q)
                return;
            int match = (size_t)(q - k) == klen + 2 && !memcmp(k + 1, key, klen);
            q = skip_ws(q, end);
            if (q >= end || *q != ':')
                return;
            q = skip_ws(q + 1, end);
            const char *v = q;
            q = skip_value(q, end, 0);
            if (!q)
                return;
            char *s = match ? pledgex__bj_string(v, (size_t)(q - v)) : NULL;
            if (s) {
                size_t n = strlen(s), sl = *len ? strlen(sep) : 0;
                char *nb = realloc(*buf, *len + sl + n + 1);
                if (nb) {
                    memcpy(nb + *len, sep, sl);
                    memcpy(nb + *len + sl, s, n + 1);
                    *buf = nb;
                    *len += sl + n;
                }
                free(s);
            } else if (!match) {
                collect(v, q, key, sep, buf, len, depth + 1);
            }
            q = skip_ws(q, end);
            if (q < end && *q == ',')
                q = skip_ws(q + 1, end);
        }
    } else if (*p == '[') {
        const char *q = p, *v;
        size_t vl;
        while (pledgex__bj_next(&q, end, &v, &vl) == 0)
            collect(v, v + vl, key, sep, buf, len, depth + 1);
    }
}

char *pledgex__bj_strings(const char *val, size_t vlen, const char *key, const char *sep)
{
    char *buf = NULL;
    size_t len = 0;
    collect(val, val + vlen, key, sep, &buf, &len, 0);
    return buf ? buf : strdup("");
}
