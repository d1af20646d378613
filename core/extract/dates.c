/*
 * dates.c -- Vietnamese dates: "ngày 19 tháng 3 năm 2024", "19/03/2024
 * 17:01", "ngày 19/3", "tháng 7/2023", "Quý IV/2023", "năm 2024", periods
 * "(2021-2025)", "giai đoạn 2016 - 2020", and their role in the document.
 *
 * Rules read the words of the accent-free shadow, so "NGÀY", "ngay" (OCR
 * lost the marks) and "ngày" are one word; what separates two numbers is
 * checked byte by byte, so "45/KH-HĐTĐKT", "95%" and "14.100 tỷ" are never
 * dates: a date needs a day and a month that exist, or a year next to
 * "năm", "tháng" or "quý".
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xctx.h"

#define W(i) (&t->w[(i)])

static int wnum(const px_text *t, size_t i, int maxdigits)
{
    if (i >= t->nw || !(W(i)->flags & PX_W_NUM))
        return -1;
    size_t n = W(i)->fb - W(i)->fa;
    if (n > (size_t)maxdigits || n == 0)
        return -1;
    int v = 0;
    for (size_t k = W(i)->fa; k < W(i)->fb; k++)
        v = v * 10 + (t->fold[k] - '0');
    return v;
}

static int wyear(const px_text *t, size_t i)
{
    if (i >= t->nw || W(i)->fb - W(i)->fa != 4)
        return -1;
    int y = wnum(t, i, 4);
    return (y >= 1900 && y <= 2099) ? y : -1;
}

/* The raw shadow bytes between word i-1 and word i. */
static void gap(const px_text *t, size_t i, const char **p, size_t *n)
{
    size_t a = i ? W(i - 1)->fb : 0;
    size_t b = i < t->nw ? W(i)->fa : t->flen;
    *p = t->fold + a;
    *n = b > a ? b - a : 0;
}

static int gap_is(const px_text *t, size_t i, const char *lit)
{
    const char *p;
    size_t n;
    gap(t, i, &p, &n);
    return n == strlen(lit) && !memcmp(p, lit, n);
}

/* The gap holds only spaces and the characters of allowed (no newline
 * unless allowed has one); empty counts only when allow_empty. */
static int gap_only(const px_text *t, size_t i, const char *allowed, int allow_empty)
{
    const char *p;
    size_t n;
    gap(t, i, &p, &n);
    if (!n)
        return allow_empty;
    for (size_t k = 0; k < n; k++)
        if (p[k] != ' ' && !strchr(allowed, p[k]))
            return 0;
    return 1;
}

/* The gap is a dash with optional spaces around. */
static int gap_dash(const px_text *t, size_t i)
{
    const char *p;
    size_t n;
    gap(t, i, &p, &n);
    int dashes = 0;
    for (size_t k = 0; k < n; k++) {
        if (p[k] == '-')
            dashes++;
        else if (p[k] != ' ')
            return 0;
    }
    return dashes == 1;
}

static int same_line(const px_text *t, size_t a, size_t b)
{
    return a < t->nw && b < t->nw && W(a)->line == W(b)->line;
}

static int days_in(int y, int m)
{
    static const int dm[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && y > 0)
        return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28;
    return dm[m - 1];
}

static int valid_dm(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* Nothing that continues a number code on the left ("số 45/..."), i.e. the
 * word before is not glued to this one by / - . */
static int left_free(const px_text *t, size_t i)
{
    if (i == 0)
        return 1;
    const char *p;
    size_t n;
    gap(t, i, &p, &n);
    if (n == 0)
        return 0;
    char c = p[n - 1];
    return !(c == '/' || c == '-' || c == '.' || c == ':' || c == ',') || n > 1;
}

/* Nothing glued on the right of word i that would make it a code, a
 * percentage or a bigger number. */
static int right_free(const px_text *t, size_t i)
{
    size_t e = W(i)->fb;
    if (e >= t->flen)
        return 1;
    char c = t->fold[e];
    if (c == '%')
        return 0;
    if ((c == '/' || c == '-' || c == '.' || c == ',' || c == ':') && e + 1 < t->flen) {
        char d = t->fold[e + 1];
        if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z'))
            return 0;
    }
    return 1;
}

static int month_word(const px_text *t, size_t i, size_t *used)
{
    static const struct {
        const char *w;
        int m;
    } mw[] = {{"muoi mot", 11}, {"muoi hai", 12}, {"gieng", 1}, {"hai", 2}, {"ba", 3},
              {"tu", 4},        {"nam", 5},       {"sau", 6},   {"bay", 7}, {"tam", 8},
              {"chin", 9},      {"muoi", 10},     {"chap", 12}};
    for (size_t k = 0; k < sizeof mw / sizeof mw[0]; k++) {
        size_t n = pledgex__xw_seq(t, i, mw[k].w, 0);
        if (n) {
            *used = n;
            return mw[k].m;
        }
    }
    return 0;
}

static int roman_quarter(const px_text *t, size_t i)
{
    static const char *r[] = {"i", "ii", "iii", "iv"};
    for (int k = 0; k < 4; k++)
        if (pledgex__xw_is(t, i, r[k]))
            return k + 1;
    int v = wnum(t, i, 1);
    return (v >= 1 && v <= 4) ? v : 0;
}

static int add_date(px_ctx *cx, const px_text *t, size_t a, size_t b, px_date d)
{
    if (cx->ndates >= PX_MAX_DATES)
        return 0;
    if (cx->ndates == cx->capdates) {
        size_t ncap = cx->capdates ? cx->capdates * 2 : 16;
        px_date *p = realloc(cx->dates, ncap * sizeof *p);
        if (!p)
            return -1;
        cx->dates = p;
        cx->capdates = ncap;
    }
    d.text = pledgex__x_span(t, a, b);
    if (!d.text)
        return -1;
    cx->dates[cx->ndates++] = d;
    return 0;
}

static px_date blank(void)
{
    px_date d;
    memset(&d, 0, sizeof d);
    d.hh = d.mi = d.ss = -1;
    return d;
}

/* Words before a date that make it a deadline. */
static int is_deadline(const px_text *t, size_t i)
{
    size_t s = i;
    if (s && pledgex__xw_is(t, s - 1, "ngay"))
        s--;
    if (s && (pledgex__xw_is(t, s - 1, "truoc") || pledgex__xw_is(t, s - 1, "han")))
        return 1;
    if (s >= 2 && pledgex__xw_seq(t, s - 2, "cham nhat", 1))
        return 1;
    if (s >= 2 && pledgex__xw_seq(t, s - 2, "den het", 1))
        return 1;
    if (s >= 2 && pledgex__xw_seq(t, s - 2, "han chot", 1))
        return 1;
    return 0;
}

/* Words around a day that make it the day something happened: "Chiều
 * ngày 19/3", "hôm nay, ngày ...", "ngày 19/3, tại ...". */
static int is_event(const px_text *t, size_t a, size_t b)
{
    static const char *before[] = {"sang", "chieu", "toi", "trua", "hom", "vao", "dem"};
    size_t p = a;
    if (!pledgex__xw_is(t, p, "ngay") && p && pledgex__xw_is(t, p - 1, "ngay"))
        p--;
    for (size_t k = 0; k < sizeof before / sizeof before[0]; k++) {
        if (p && pledgex__xw_is(t, p - 1, before[k]))
            return 1;
        if (p >= 2 && pledgex__xw_is(t, p - 2, before[k]) && pledgex__xw_is(t, p - 1, "nay"))
            return 1;
    }
    if (b < t->nw && (pledgex__xw_is(t, b, "tai") || pledgex__xw_seq(t, b, "dien ra", 0)))
        return 1;
    return 0;
}

/* "Nghệ An, ngày 19 tháng 3 năm 2024" alone on its line: the date of the
 * document.  a is the first word of the date ("ngày"), b one past it. */
static int is_document_line(const px_text *t, size_t a, size_t b)
{
    int line = W(a)->line;
    if (b < t->nw && W(b)->line == line)
        return 0;
    size_t k = a, places = 0;
    if (!k || !gap_only(t, k, ",", 0))
        return 0;
    {
        const char *p;
        size_t n;
        gap(t, k, &p, &n);
        if (!memchr(p, ',', n))
            return 0;
    }
    /* Walk back over the place name; it must open the line, or follow a
     * column gap or a run of CAPITALS (OCR may join two columns). */
    while (k && W(k - 1)->line == line && places < 5) {
        const px_word *w = W(k - 1);
        if (!(w->flags & PX_W_ALPHA) || !(w->flags & PX_W_CAP))
            break;
        if ((w->flags & PX_W_UPPER) && places && !(W(k)->flags & PX_W_UPPER))
            break;
        places++;
        k--;
        if (!gap_only(t, k, "-", 1))
            break;
    }
    /* "Thứ Tư, 08/01/2025" is a weekday, not a place. */
    if (places < 1 || pledgex__xw_is(t, k, "thu") || pledgex__xw_seq(t, k, "chu nhat", 0))
        return 0;
    if (!k || W(k - 1)->line != line)
        return 1;
    if ((W(k - 1)->flags & PX_W_UPPER) && !(W(k)->flags & PX_W_UPPER))
        return 1;
    const char *p;
    size_t n;
    gap(t, k, &p, &n);
    return n >= 3 && !memcmp(p + n - 3, "   ", 3);
}

/* Time "17:01" or "17h01" right after word i-1; returns words used. */
static size_t time_at(const px_text *t, size_t i, int *hh, int *mi, int *ss)
{
    if (!same_line(t, i - 1, i) || !gap_only(t, i, ",-|", 0))
        return 0;
    int h = wnum(t, i, 2);
    if (h >= 0 && h < 24 && i + 1 < t->nw && gap_is(t, i + 1, ":")) {
        int m = wnum(t, i + 1, 2);
        if (m >= 0 && m < 60 && W(i + 1)->fb - W(i + 1)->fa == 2) {
            *hh = h;
            *mi = m;
            if (i + 2 < t->nw && gap_is(t, i + 2, ":")) {
                int s = wnum(t, i + 2, 2);
                if (s >= 0 && s < 60) {
                    *ss = s;
                    return 3;
                }
            }
            return 2;
        }
    }
    return 0;
}

/* One date starting at word i: fills d and returns the words used, 0 when
 * none starts here. */
static size_t date_at(const px_text *t, size_t i, px_date *d)
{
    *d = blank();
    /* ngày D tháng M [năm Y] */
    if (pledgex__xw_is(t, i, "ngay")) {
        int dd = wnum(t, i + 1, 2);
        if (dd > 0 && gap_only(t, i + 1, "", 0) && pledgex__xw_is(t, i + 2, "thang") &&
            gap_only(t, i + 2, ",", 0)) {
            size_t used = 0;
            int mm = wnum(t, i + 3, 2);
            if (mm > 0)
                used = 1;
            else
                mm = month_word(t, i + 3, &used);
            if (mm > 0 && gap_only(t, i + 3, "", 0)) {
                size_t e = i + 3 + used;
                int yy = 0;
                if (pledgex__xw_is(t, e, "nam") && gap_only(t, e, ",", 0) &&
                    gap_only(t, e + 1, "", 0) && (yy = wyear(t, e + 1)) > 0 && right_free(t, e + 1))
                    e += 2;
                else if ((yy = wyear(t, e)) > 0 && gap_only(t, e, ",/-", 0) && right_free(t, e))
                    e += 1;
                else
                    yy = 0;
                if (valid_dm(yy, mm, dd)) {
                    d->y = yy;
                    d->m = mm;
                    d->d = dd;
                    return e - i;
                }
            }
        }
        /* ngày D/M[/Y] or D-M[-Y] */
        if (dd > 0 && i + 2 < t->nw && gap_only(t, i + 1, "", 0) &&
            (gap_is(t, i + 2, "/") || gap_is(t, i + 2, "-") || gap_is(t, i + 2, "."))) {
            const char *sp;
            size_t sn;
            gap(t, i + 2, &sp, &sn);
            int mm = wnum(t, i + 2, 2);
            size_t e = i + 3;
            int yy = 0;
            if (mm > 0 && i + 3 < t->nw && gap_is(t, i + 3, (char[]){sp[0], 0}) &&
                (yy = wyear(t, i + 3)) > 0)
                e = i + 4;
            else
                yy = 0;
            if (mm > 0 && right_free(t, e - 1) && valid_dm(yy, mm, dd)) {
                d->y = yy;
                d->m = mm;
                d->d = dd;
                return e - i;
            }
        }
        return 0;
    }
    /* D/M/YYYY [hh:mm], also with - or . ; YYYY-MM-DD */
    if ((W(i)->flags & PX_W_NUM) && left_free(t, i)) {
        size_t len = W(i)->fb - W(i)->fa;
        const char *sp;
        size_t sn;
        if (i + 2 < t->nw) {
            gap(t, i + 1, &sp, &sn);
            char sep = sn == 1 ? sp[0] : 0;
            if ((sep == '/' || sep == '-' || sep == '.') && gap_is(t, i + 2, (char[]){sep, 0})) {
                int a = wnum(t, i, 4), b = wnum(t, i + 1, 2), c = wnum(t, i + 2, 4);
                int y = 0, m = 0, dd = 0;
                if (len <= 2 && W(i + 2)->fb - W(i + 2)->fa == 4) {
                    dd = a;
                    m = b;
                    y = c >= 1900 && c <= 2099 ? c : 0;
                } else if (len == 4 && sep == '-' && W(i + 2)->fb - W(i + 2)->fa <= 2) {
                    y = a >= 1900 && a <= 2099 ? a : 0;
                    m = b;
                    dd = c;
                }
                if (y && right_free(t, i + 2) && valid_dm(y, m, dd)) {
                    d->y = y;
                    d->m = m;
                    d->d = dd;
                    size_t e = i + 3;
                    e += time_at(t, e, &d->hh, &d->mi, &d->ss);
                    return e - i;
                }
            }
        }
        /* "Sáng 8/1": a day and month straight after a time of day. */
        if (len <= 2 && i > 0 && i + 1 < t->nw && (gap_is(t, i + 1, "/") || gap_is(t, i + 1, "-")) &&
            (pledgex__xw_is(t, i - 1, "sang") || pledgex__xw_is(t, i - 1, "chieu") ||
             pledgex__xw_is(t, i - 1, "toi") || pledgex__xw_is(t, i - 1, "trua") ||
             pledgex__xw_is(t, i - 1, "dem") || pledgex__xw_is(t, i - 1, "hom"))) {
            int dd = wnum(t, i, 2), mm = wnum(t, i + 1, 2);
            if (mm > 0 && right_free(t, i + 1) && valid_dm(0, mm, dd)) {
                d->m = mm;
                d->d = dd;
                return 2;
            }
        }
        /* YYYY - YYYY: a period */
        int y1 = wyear(t, i);
        if (y1 > 0 && i + 1 < t->nw && gap_dash(t, i + 1) && same_line(t, i, i + 1)) {
            int y2 = wyear(t, i + 1);
            if (y2 > y1 && y2 - y1 <= 30 && right_free(t, i + 1)) {
                d->y = y1;
                d->y2 = y2;
                d->role = PX_ROLE_PERIOD;
                return 2;
            }
        }
        return 0;
    }
    /* tháng M/YYYY, tháng M năm YYYY, tháng Năm (May) */
    if (pledgex__xw_is(t, i, "thang")) {
        /* "ngày ... tháng ... năm 2024" is a blank template: the year only. */
        if (i && pledgex__xw_is(t, i - 1, "ngay"))
            return 0;
        size_t used = 0;
        int mm = wnum(t, i + 1, 2);
        if (mm > 0)
            used = 1;
        else
            mm = month_word(t, i + 1, &used);
        if (mm < 1 || mm > 12 || !gap_only(t, i + 1, "", 0))
            return 0;
        size_t e = i + 1 + used;
        int yy;
        if (used == 1 && mm != 5 && (W(i + 1)->flags & PX_W_NUM) == 0 &&
            !pledgex__xw_is(t, e, "nam"))
            return 0; /* "tháng ba" without a year: too ambiguous */
        if ((gap_is(t, e, "/") || gap_is(t, e, "-")) && (yy = wyear(t, e)) > 0 && right_free(t, e)) {
            d->y = yy;
            d->m = mm;
            return e + 1 - i;
        }
        if (pledgex__xw_is(t, e, "nam") && gap_only(t, e, ",", 0) && (yy = wyear(t, e + 1)) > 0 &&
            gap_only(t, e + 1, "", 0) && right_free(t, e + 1)) {
            d->y = yy;
            d->m = mm;
            return e + 2 - i;
        }
        if (mm == 5 && used == 1 && !(W(i + 1)->flags & PX_W_NUM)) {
            /* "tháng năm 2024": May of 2024; "tháng năm" alone: May. */
            if ((yy = wyear(t, e)) > 0 && gap_only(t, e, "", 0) && right_free(t, e)) {
                d->y = yy;
                d->m = 5;
                return e + 1 - i;
            }
            d->m = 5;
            return e - i;
        }
        return 0; /* "tháng 3" alone is not dated enough */
    }
    /* Quý IV/2023, quý 4 năm 2023 */
    if (pledgex__xw_is(t, i, "quy")) {
        int q = roman_quarter(t, i + 1);
        if (!q || !gap_only(t, i + 1, "", 0))
            return 0;
        size_t e = i + 2;
        int yy;
        if ((gap_is(t, e, "/") || gap_dash(t, e)) && (yy = wyear(t, e)) > 0 && right_free(t, e)) {
            d->y = yy;
            d->q = q;
            return e + 1 - i;
        }
        if (pledgex__xw_is(t, e, "nam") && (yy = wyear(t, e + 1)) > 0 &&
            gap_only(t, e + 1, "", 0) && right_free(t, e + 1)) {
            d->y = yy;
            d->q = q;
            return e + 2 - i;
        }
        return 0;
    }
    /* năm 2024; năm 2021-2025; giai đoạn / nhiệm kỳ come out as periods */
    if (pledgex__xw_is(t, i, "nam")) {
        int yy = wyear(t, i + 1);
        if (yy < 0 || !gap_only(t, i + 1, "", 0))
            return 0;
        if (i + 2 < t->nw && gap_dash(t, i + 2) && same_line(t, i + 1, i + 2)) {
            int y2 = wyear(t, i + 2);
            if (y2 > yy && y2 - yy <= 30 && right_free(t, i + 2)) {
                d->y = yy;
                d->y2 = y2;
                d->role = PX_ROLE_PERIOD;
                return 3;
            }
        }
        if (!right_free(t, i + 1))
            return 0;
        d->y = yy;
        return 2;
    }
    /* từ năm 2021 đến năm 2025 */
    if (pledgex__xw_seq(t, i, "tu nam", 0)) {
        int y1 = wyear(t, i + 2);
        size_t e = i + 3;
        if (y1 > 0 && pledgex__xw_is(t, e, "den")) {
            e++;
            if (pledgex__xw_is(t, e, "nam"))
                e++;
            int y2 = wyear(t, e);
            if (y2 > y1 && y2 - y1 <= 30) {
                d->y = y1;
                d->y2 = y2;
                d->role = PX_ROLE_PERIOD;
                return e + 1 - i;
            }
        }
    }
    return 0;
}

int pledgex__x_dates(px_ctx *cx, const px_text *t)
{
    size_t first = cx->ndates;
    for (size_t i = 0; i < t->nw;) {
        px_date d;
        size_t n = date_at(t, i, &d);
        if (!n) {
            i++;
            continue;
        }
        size_t b = i + n, a = i;
        /* "17:01 19/03/2024": a byline's time may come first. */
        if (d.d && d.y && d.hh < 0 && i >= 2 && same_line(t, i - 2, i) &&
            gap_is(t, i - 1, ":") && W(i - 1)->fb - W(i - 1)->fa == 2 &&
            gap_only(t, i, ",-|", 0)) {
            int hh = wnum(t, i - 2, 2), mi = wnum(t, i - 1, 2);
            if (hh >= 0 && hh < 24 && mi >= 0 && mi < 60) {
                d.hh = hh;
                d.mi = mi;
                a = i - 2;
            }
        }
        if (d.role != PX_ROLE_PERIOD) {
            /* A date with a time is a byline, never the document line. */
            if (d.d && d.hh < 0 && is_document_line(t, i, b))
                d.role = PX_ROLE_DOCUMENT;
            else if (is_deadline(t, i))
                d.role = PX_ROLE_DEADLINE;
            else if (d.hh >= 0 && t->lines[W(i)->line].w1 - t->lines[W(i)->line].w0 <= 12)
                d.role = PX_ROLE_PUBLISHED;
            else if (d.d && is_event(t, i, b))
                d.role = PX_ROLE_EVENT;
        }
        if (add_date(cx, t, a, b, d))
            return -1;
        i = b;
    }
    /* Nearest year written in this block, for "ngày 19/3": the last one
     * before it, else the first one after. */
    int before = 0;
    for (size_t k = first; k < cx->ndates; k++) {
        if (cx->dates[k].y)
            before = cx->dates[k].y;
        else
            cx->dates[k].near_year = before;
    }
    int after = 0;
    for (size_t k = cx->ndates; k-- > first;) {
        if (cx->dates[k].y)
            after = cx->dates[k].y;
        else if (!cx->dates[k].near_year)
            cx->dates[k].near_year = after;
    }
    return 0;
}

/* "2024:03:19 14:05:10" (EXIF), "2024-03-19T14:05:10Z", "2024-03-19". */
int pledgex__x_date_attr(px_ctx *cx, const char *value, int role)
{
    if (!value)
        return 0;
    int y, m, dd, hh = -1, mi = -1, ss = -1, n = 0;
    if (sscanf(value, "%4d%*1[:-]%2d%*1[:-]%2d%n", &y, &m, &dd, &n) != 3 || n < 8)
        return 0;
    const char *p = value + n;
    if (*p == ' ' || *p == 'T') {
        int k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &hh, &mi, &k) == 2) {
            /* Whole minutes say no more than the minute: "17:01:00" and
             * the byline's "17:01" are one value. */
            if (sscanf(p + 1 + k, ":%2d", &ss) != 1 || ss == 0)
                ss = -1;
        } else
            hh = mi = -1;
    }
    if (y < 1900 || y > 2099 || !valid_dm(y, m, dd) || hh > 23 || mi > 59 || ss > 59)
        return 0;
    if (cx->ndates == cx->capdates) {
        size_t ncap = cx->capdates ? cx->capdates * 2 : 16;
        px_date *q = realloc(cx->dates, ncap * sizeof *q);
        if (!q)
            return -1;
        cx->dates = q;
        cx->capdates = ncap;
    }
    px_date d = blank();
    d.y = y;
    d.m = m;
    d.d = dd;
    d.hh = hh;
    d.mi = mi;
    d.ss = ss;
    d.role = role;
    if (!(d.text = strdup(value)))
        return -1;
    cx->dates[cx->ndates++] = d;
    return 0;
}

static void format(const px_date *d, int year, char *buf, size_t n)
{
    if (d->y2)
        snprintf(buf, n, "%04d/%04d", d->y, d->y2);
    else if (d->q)
        snprintf(buf, n, "%04d-Q%d", d->y, d->q);
    else if (d->d && year && d->hh >= 0 && d->ss >= 0)
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d", year, d->m, d->d, d->hh, d->mi, d->ss);
    else if (d->d && year && d->hh >= 0)
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d", year, d->m, d->d, d->hh, d->mi);
    else if (d->d && year)
        snprintf(buf, n, "%04d-%02d-%02d", year, d->m, d->d);
    else if (d->d)
        snprintf(buf, n, "--%02d-%02d", d->m, d->d);
    else if (d->m && year)
        snprintf(buf, n, "%04d-%02d", year, d->m);
    else if (d->m)
        snprintf(buf, n, "--%02d", d->m);
    else
        snprintf(buf, n, "%04d", year);
}

static const char *role_name(int r)
{
    switch (r) {
    case PX_ROLE_DOCUMENT: return "document";
    case PX_ROLE_PUBLISHED: return "published";
    case PX_ROLE_TAKEN: return "taken";
    case PX_ROLE_DEADLINE: return "deadline";
    case PX_ROLE_EVENT: return "event";
    case PX_ROLE_PERIOD: return "period";
    default: return NULL;
    }
}

/* The year for a date written without one: the document's own date, then
 * when it was published or taken, then the nearest year in its text. */
static int context_year(const px_ctx *cx, const px_date *d)
{
    static const int order[] = {PX_ROLE_DOCUMENT, PX_ROLE_PUBLISHED, PX_ROLE_TAKEN};
    for (size_t o = 0; o < 3; o++)
        for (size_t k = 0; k < cx->ndates; k++)
            if (cx->dates[k].role == order[o] && cx->dates[k].y && !cx->dates[k].y2)
                return cx->dates[k].y;
    if (d->near_year)
        return d->near_year;
    for (size_t k = 0; k < cx->ndates; k++)
        if (cx->dates[k].y)
            return cx->dates[k].y;
    return 0;
}

int pledgex__x_dates_emit(px_ctx *cx)
{
    size_t n = cx->ndates;
    char (*vals)[40] = calloc(n ? n : 1, sizeof *vals);
    if (!vals)
        return -1;
    for (size_t k = 0; k < n; k++) {
        px_date *d = &cx->dates[k];
        format(d, d->y ? d->y : context_year(cx, d), vals[k], sizeof vals[k]);
    }
    /* One entity per value, with the strongest role it was seen in and the
     * text of that mention. */
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++) {
        size_t best = k;
        int dup = 0;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(vals[j], vals[k]))
                continue;
            if (j < k) {
                dup = 1;
                break;
            }
            if (cx->dates[j].role > cx->dates[best].role)
                best = j;
        }
        if (dup)
            continue;
        if (pledgex__doc_add_entity(cx->doc, "date", cx->dates[best].text, vals[k],
                                    role_name(cx->dates[best].role)))
            rc = -1;
    }
    free(vals);
    return rc;
}
