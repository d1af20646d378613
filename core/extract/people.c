/*
 * people.c -- people with their rank or role, and the signatories of a
 * pledge.
 *
 * In running text and captions: a title or rank and a name ("Đại tá Nguyễn
 * Kỳ Hồng", "Ông ..."), then optionally " - Role Unit" ("- Chính uỷ Bộ Chỉ
 * huy Quân sự tỉnh"); or a name that starts with a family name followed by
 * " - Role" ("Hoàng Thị Thu Trang - Giám đốc Sở Tư pháp").
 *
 * In a signature block ("ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", "TM. ...") the
 * page is laid out in columns: unit, role, name stacked in each.  Columns are
 * split at runs of spaces; when OCR has joined them into one line, the line
 * is split where roles, units and family names begin.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "textnorm.h"
#include "xctx.h"
#include "xphrase.h"

#define W(i) (&t->w[(i)])

typedef struct role {
    const char *f;
    const char *disp;
} role;

/* Longest first where one is the start of another. */
static const role roles[] = {
    {"pho chu tich thuong truc", "Phó Chủ tịch Thường trực"},
    {"pho bi thu thuong truc", "Phó Bí thư Thường trực"},
    {"pho tong giam doc", "Phó Tổng Giám đốc"},
    {"tong giam doc", "Tổng Giám đốc"},
    {"pho chu tich", "Phó Chủ tịch"},
    {"chu tich", "Chủ tịch"},
    {"pho bi thu", "Phó Bí thư"},
    {"bi thu", "Bí thư"},
    {"pho giam doc", "Phó Giám đốc"},
    {"giam doc", "Giám đốc"},
    {"pho chanh thanh tra", "Phó Chánh Thanh tra"},
    {"chanh thanh tra", "Chánh Thanh tra"},
    {"pho chanh van phong", "Phó Chánh Văn phòng"},
    {"chanh van phong", "Chánh Văn phòng"},
    {"pho chanh an", "Phó Chánh án"},
    {"chanh an", "Chánh án"},
    {"pho vien truong", "Phó Viện trưởng"},
    {"vien truong", "Viện trưởng"},
    {"pho chi cuc truong", "Phó Chi cục trưởng"},
    {"chi cuc truong", "Chi cục trưởng"},
    {"pho cuc truong", "Phó Cục trưởng"},
    {"cuc truong", "Cục trưởng"},
    {"pho chinh uy", "Phó Chính ủy"},
    {"chinh uy", "Chính ủy"},
    {"pho chi huy truong", "Phó Chỉ huy trưởng"},
    {"chi huy truong", "Chỉ huy trưởng"},
    {"pho tu lenh", "Phó Tư lệnh"},
    {"tu lenh", "Tư lệnh"},
    {"pho truong ban", "Phó Trưởng ban"},
    {"truong ban", "Trưởng ban"},
    {"pho truong phong", "Phó Trưởng phòng"},
    {"truong phong", "Trưởng phòng"},
    {"pho truong cong an", "Phó Trưởng Công an"},
    {"truong cong an", "Trưởng Công an"},
    {"pho hieu truong", "Phó Hiệu trưởng"},
    {"hieu truong", "Hiệu trưởng"},
    {"pho chu nhiem", "Phó Chủ nhiệm"},
    {"chu nhiem", "Chủ nhiệm"},
    {"pho thu truong", "Phó Thủ trưởng"},
    {"thu truong", "Thủ trưởng"},
    {"bo truong", "Bộ trưởng"},
    {"pho thu tuong", "Phó Thủ tướng"},
    {"thu tuong", "Thủ tướng"},
    {"khoi truong", "Khối trưởng"},
    {"khoi pho", "Khối phó"},
    {"cum truong", "Cụm trưởng"},
    {"cum pho", "Cụm phó"},
    {"truong khoi", "Trưởng khối"},
    {"pho khoi", "Phó khối"},
    {"truong cum", "Trưởng cụm"},
    {"ke toan truong", "Kế toán trưởng"},
    {"tong bien tap", "Tổng Biên tập"},
    {"uy vien", "Ủy viên"},
};

/* Ranks and forms of address that come before a name. */
static const role titles[] = {
    {"dai tuong", "Đại tướng"}, {"thuong tuong", "Thượng tướng"},
    {"trung tuong", "Trung tướng"}, {"thieu tuong", "Thiếu tướng"},
    {"dai ta", "Đại tá"},       {"thuong ta", "Thượng tá"},
    {"trung ta", "Trung tá"},   {"thieu ta", "Thiếu tá"},
    {"dai uy", "Đại úy"},       {"thuong uy", "Thượng úy"},
    {"trung uy", "Trung úy"},   {"thieu uy", "Thiếu úy"},
    {"dong chi", "Đồng chí"},   {"ong", "Ông"},
    {"ba", "Bà"},               {"luat su", "Luật sư"},
    {"tien si", "Tiến sĩ"},
};

/* Family names: a name in running text must start with one. */
static const char *const surnames[] = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui",
    "do", "ho", "ngo", "duong", "ly", "chu", "dinh", "lam", "mai", "truong", "dao", "cao",
    "luong", "ha", "thai", "ta", "trieu", "kieu", "doan", "vuong", "trinh", "tong", "quach",
    "la", "luu", "to", "khuc", "kim", "thach", "lo", "vi", "lai", "nong", "luc", "tang",
    "hua", "giang", "dam", "tieu", "van", "lu", "au", "khong", "dieu", "an", "cu", "ong",
    "hau", "nghiem", "quan", "son", "ton", "uong", "lang", "chau", "mac", "bach", "khuat",
    "phung", "san", "vang", "mua", "sin", "chao", "lieu", "khuu", "tiet", "thieu",
};

static px_phrase_index *_Atomic surnames_ix;

static int is_surname(const px_text *t, size_t i)
{
    const px_phrase_index *x = PX_PHRASE_LIST(surnames_ix, surnames);
    size_t k = x ? pledgex__xphrase_first(x, t, i) : 0;
    size_t end = x ? PX_PHRASE_END : sizeof surnames / sizeof surnames[0];
    while (k != end) {
        if (pledgex__xw_is(t, i, surnames[k]))
            return 1;
        k = x ? pledgex__xphrase_next(x, k) : k + 1;
    }
    return 0;
}

/* Longest entry of tab matching at word i (on one line). */
static const role *match(const role *tab, size_t n, const px_phrase_index *x, const px_text *t,
                         size_t i, size_t *len)
{
    size_t k = x ? pledgex__xphrase_first(x, t, i) : 0;
    size_t end = x ? PX_PHRASE_END : n;
    while (k != end) {
        size_t m = pledgex__xw_seq(t, i, tab[k].f, 0);
        if (m) {
            *len = m;
            return &tab[k];
        }
        k = x ? pledgex__xphrase_next(x, k) : k + 1;
    }
    return NULL;
}

static px_phrase_index *_Atomic roles_ix, *_Atomic titles_ix;

#define ROLE_AT(t, i, n)                                                                      \
    match(roles, sizeof roles / sizeof roles[0], PX_PHRASE_TABLE(roles_ix, roles, role, f), t, i, n)

int pledgex__x_role_at(const px_text *t, size_t i, size_t *n)
{
    return ROLE_AT(t, i, n) != NULL;
}
#define TITLE_AT(t, i, n)                                                                     \
    match(titles, sizeof titles / sizeof titles[0], PX_PHRASE_TABLE(titles_ix, titles, role, f), \
          t, i, n)

static int sep_only(const px_text *t, size_t i, const char *allowed)
{
    char buf[8];
    pledgex__xw_sep(t, i, buf, sizeof buf);
    if (!*buf)
        return 1;
    return strlen(buf) == 1 && strchr(allowed, buf[0]) != NULL;
}

static int column_gap(const px_text *t, size_t i)
{
    if (!i || W(i)->line != W(i - 1)->line)
        return 0;
    int run = 0, best = 0;
    for (size_t k = W(i - 1)->ob; k < W(i)->oa; k++) {
        if (t->orig[k] == ' ')
            run++;
        else if (t->orig[k] == '\t')
            run += 4;
        else
            run = 0;
        if (run > best)
            best = run;
    }
    return best >= 3;
}

/* A name at word i: 2 to 5 capitalised words on one line, none of them a
 * role or unit head; stops before limit.  Returns its length. */
static size_t name_at(const px_ctx *cx, const px_text *t, size_t i, size_t limit, int need_surname)
{
    size_t e = i;
    while (e < t->nw && e < limit && e - i < 5) {
        const px_word *w = W(e);
        if (!(w->flags & PX_W_ALPHA) || !(w->flags & PX_W_CAP))
            break;
        if (e > i && (w->line != W(i)->line || !sep_only(t, e, "") || column_gap(t, e)))
            break;
        size_t n;
        if (ROLE_AT(t, e, &n) || TITLE_AT(t, e, &n) ||
            (e > i && pledgex__x_unit_at(cx, t, e, 0, NULL)))
            break;
        /* A second family name after a full name starts another person
         * (columns joined by OCR). */
        if (e - i >= 3 && is_surname(t, e) && need_surname == 2 && e + 1 < t->nw &&
            e + 1 < limit && W(e + 1)->line == w->line && (W(e + 1)->flags & PX_W_CAP) &&
            (W(e + 1)->flags & PX_W_ALPHA) && sep_only(t, e + 1, ""))
            break;
        e++;
    }
    size_t n = e - i;
    if (n < 2)
        return 0;
    if (need_surname && !is_surname(t, i))
        return 0;
    /* Not a unit or a place: "Nghệ An" after "tỉnh" is no one. */
    if (i && W(i - 1)->line == W(i)->line && !(W(i - 1)->flags & PX_W_CAP) &&
        sep_only(t, i, "") &&
        (pledgex__xw_is(t, i - 1, "tinh") || pledgex__xw_is(t, i - 1, "huyen") ||
         pledgex__xw_is(t, i - 1, "tai")))
        return 0;
    return n;
}

/* The name as it should read: CAPITALS become title case per word. */
static char *name_text(const px_text *t, size_t a, size_t b)
{
    char *s = pledgex__x_span(t, a, b);
    if (!s || !(W(a)->flags & PX_W_UPPER))
        return s;
    size_t len = strlen(s), o = 0;
    char *out = malloc(len * 2 + 1);
    if (!out) {
        free(s);
        return NULL;
    }
    out[0] = '\0';
    for (size_t k = a; k < b; k++) {
        char *w = pledgex__nfc(t->orig + W(k)->oa, W(k)->ob - W(k)->oa, NULL);
        char *c = w ? pledgex__x_case(w, 1) : NULL;
        free(w);
        if (!c) {
            free(s);
            free(out);
            return NULL;
        }
        size_t cl = strlen(c);
        if (o + cl + 2 > len * 2) {
            free(c);
            break;
        }
        if (o)
            out[o++] = ' ';
        memcpy(out + o, c, cl);
        o += cl;
        out[o] = '\0';
        free(c);
    }
    free(s);
    return out;
}

/* Role as written, or its canonical spelling when written in CAPITALS. */
static char *role_text(const px_text *t, size_t a, size_t n, const role *r)
{
    if (W(a)->flags & PX_W_UPPER)
        return strdup(r->disp);
    return pledgex__x_span(t, a, a + n);
}

/* Adds a person; unit (may be NULL) is a mention to file too. */
static int add_person(px_ctx *cx, char *name, char *role, int rank, px_unit *unit)
{
    px_person p = {name, role, NULL, rank};
    if (!name) {
        free(role);
        if (unit)
            pledgex__x_unit_clear(unit);
        return -1;
    }
    if (unit && unit->key) {
        p.unit_key = strdup(unit->key);
        if (!p.unit_key || pledgex__x_unit_add(cx, unit)) {
            pledgex__x_unit_clear(unit);
            free(p.name);
            free(p.role);
            free(p.unit_key);
            return -1;
        }
    }
    int rc = pledgex__x_person_add(cx, &p);
    free(p.name);
    free(p.role);
    free(p.unit_key);
    return rc;
}

/* " - Role Unit" after a name ending at word e: role (may be NULL) and the
 * unit mention (key NULL when none).  Returns words used. */
static size_t role_unit_after(const px_ctx *cx, const px_text *t, size_t e, char **role_out,
                              px_unit *unit)
{
    memset(unit, 0, sizeof *unit);
    *role_out = NULL;
    if (e >= t->nw || W(e)->line != W(e - 1)->line || !sep_only(t, e, "-,"))
        return 0;
    size_t rn;
    const role *r = ROLE_AT(t, e, &rn);
    if (!r)
        return 0;
    *role_out = role_text(t, e, rn, r);
    size_t u = e + rn;
    size_t un = 0;
    if (u < t->nw && W(u)->line == W(e)->line && sep_only(t, u, ""))
        un = pledgex__x_unit_at(cx, t, u, 0, unit);
    /* "Chánh Thanh tra tỉnh": the role names its unit's head. */
    if (!un && rn >= 2) {
        size_t h = e + 1;
        if (pledgex__xw_is(t, e, "pho"))
            h++;
        if (h < e + rn)
            un = pledgex__x_unit_at(cx, t, h, 0, unit);
        if (un && h + un <= e + rn) {
            pledgex__x_unit_clear(unit);
            un = 0;
        }
        if (un)
            return h + un - e;
    }
    return rn + un;
}

static int running_text(px_ctx *cx, const px_text *t)
{
    for (size_t i = 0; i < t->nw; i++) {
        size_t tn = 0, nn;
        const role *title = TITLE_AT(t, i, &tn);
        size_t s = i + tn;
        if (title) {
            /* "Bà Rịa" after "tỉnh" is a place. */
            if (i && (pledgex__xw_is(t, i - 1, "tinh") || pledgex__xw_is(t, i - 1, "thanh")))
                continue;
            if (!(nn = name_at(cx, t, s, t->nw, 2)) && !(nn = name_at(cx, t, s, t->nw, 0)))
                continue;
            if (W(s)->line != W(i)->line || !sep_only(t, s, ":"))
                continue;
        } else {
            if (i && (W(i - 1)->flags & PX_W_CAP) && W(i - 1)->line == W(i)->line &&
                sep_only(t, i, ""))
                continue; /* inside a run of capitals */
            if (!(nn = name_at(cx, t, i, t->nw, 2)))
                continue;
            s = i;
        }
        char *role = NULL;
        px_unit unit;
        size_t ru = role_unit_after(cx, t, s + nn, &role, &unit);
        if (!title && !ru)
            continue; /* a bare run of capitals is not known to be a person */
        char *name = name_text(t, s, s + nn);
        int rank = 0;
        if (!role && title && strcmp(title->f, "ong") && strcmp(title->f, "ba") &&
            strcmp(title->f, "dong chi")) {
            role = pledgex__x_span(t, i, i + tn);
            rank = 1;
        }
        if (add_person(cx, name, role, rank, unit.key ? &unit : NULL))
            return -1;
        i = s + nn + ru - 1;
    }
    return 0;
}

/* ---- signature blocks ------------------------------------------------ */

typedef struct cell {
    size_t a, b;   /* words [a, b)                            */
    size_t col;    /* character column of its start            */
} cell;

/* Character column (code points) of word i on its line. */
static size_t char_col(const px_text *t, size_t i)
{
    size_t ls = t->map[t->lines[W(i)->line].fa], col = 0;
    for (size_t k = ls; k < W(i)->oa; k++)
        col += ((unsigned char)t->orig[k] & 0xC0) != 0x80;
    return col;
}

/* Word i sits inside "( ... )" on its line. */
static int inside_paren(const px_text *t, const px_line *l, size_t i)
{
    int depth = 0;
    for (size_t f = l->fa; f < W(i)->fa; f++)
        depth += t->fold[f] == '(' ? 1 : (t->fold[f] == ')' && depth) ? -1 : 0;
    return depth > 0;
}

/* Splits the words of line l at column gaps and, failing that, where a new
 * role, unit or family name begins after a complete one. */
static size_t split_line(const px_ctx *cx, const px_text *t, const px_line *l, cell *out,
                         size_t max)
{
    size_t n = 0;
    if (l->w0 == l->w1)
        return 0;
    out[0] = (cell){l->w0, l->w0 + 1, char_col(t, l->w0)};
    n = 1;
    for (size_t i = l->w0 + 1; i < l->w1; i++) {
        if (column_gap(t, i) && n < max)
            out[n++] = (cell){i, i + 1, char_col(t, i)};
        else
            out[n - 1].b = i + 1;
    }
    if (n > 1)
        return n;
    /* One cell: look for columns OCR joined into one line. */
    n = 0;
    size_t i = l->w0;
    while (i < l->w1 && n < max) {
        size_t len = 0, rn;
        int starts = 1;
        px_unit u;
        if (ROLE_AT(t, i, &rn))
            len = rn;
        else if ((pledgex__xw_is(t, i, "tm") || pledgex__xw_is(t, i, "kt")) && i + 1 < l->w1 &&
                 t->fold[W(i)->fb] == '.') {
            /* "TM. UBND XÃ ..." opens a column */
            len = 1 + pledgex__x_unit_at(cx, t, i + 1, pledgex__x_caps_end(t, i + 1), &u);
            if (len > 1)
                pledgex__x_unit_clear(&u);
        } else if ((len = pledgex__x_unit_at(cx, t, i, pledgex__x_caps_end(t, i), &u)))
            pledgex__x_unit_clear(&u);
        else if (!((W(i)->flags & PX_W_CAP) && is_surname(t, i) &&
                   (len = name_at(cx, t, i, l->w1, 2)))) {
            len = 1;
            starts = 0;
        }
        if (n && (!starts || inside_paren(t, l, i)))
            out[n - 1].b = i + len;
        else
            out[n++] = (cell){i, i + len, char_col(t, i)};
        i += len;
    }
    return n;
}

/* Is this line the header of a signature block? */
static int sig_header(const px_text *t, const px_line *l)
{
    if (l->w0 == l->w1)
        return 0;
    for (size_t i = l->w0; i < l->w1; i++)
        if (pledgex__xw_seq(t, i, "dai dien", 0) && (W(i)->flags & PX_W_UPPER) &&
            (W(i + 1)->flags & PX_W_UPPER))
            return 1;
    if ((pledgex__xw_is(t, l->w0, "tm") || pledgex__xw_is(t, l->w0, "kt")) &&
        (W(l->w0)->flags & PX_W_UPPER))
        return 1;
    if (l->upper && pledgex__xw_seq(t, l->w0, "cac don vi ky", 0))
        return 1;
    return 0;
}

#define MAXCOLS 8

typedef struct column {
    size_t col;
    px_unit unit;     /* current unit (key NULL: none) */
    char *role;
    int has_unit;
    int signed_by;    /* a name was filed under the unit already */
    long sig;         /* its signatory in cx->units, or -1 */
} column;

static size_t nearest(column *c, size_t nc, size_t col)
{
    size_t best = 0, bd = (size_t)-1;
    for (size_t k = 0; k < nc; k++) {
        size_t d = c[k].col > col ? c[k].col - col : col - c[k].col;
        if (d < bd)
            bd = d, best = k;
    }
    return best;
}

/* The "(Cụm trưởng)" after a unit in its cell. */
static char *paren_role(const px_text *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        size_t rn;
        const role *r = ROLE_AT(t, i, &rn);
        if (r && i > a && memchr(t->fold + W(i - 1)->fb, '(', W(i)->fa - W(i - 1)->fb))
            return role_text(t, i, rn, r);
    }
    return NULL;
}

/* A line of names OCR joined ("Chu Thế Huyền Hoàng Thị Thu Trang") cut
 * into nc names: before family names, names of three syllables or more
 * first, then two; failing that, into equal parts of three syllables or
 * more.  Returns the number of cells (n, unchanged, when the line is not
 * only names or cannot be cut). */
static size_t split_names(const px_text *t, const px_line *l, size_t nc, cell *cells, size_t n)
{
    size_t w = l->w1 - l->w0;
    if (nc > MAXCOLS || w < 2 * nc || w > 5 * nc)
        return n;
    for (size_t i = l->w0; i < l->w1; i++) {
        size_t rn;
        if (!(W(i)->flags & PX_W_ALPHA) || !(W(i)->flags & PX_W_CAP) || ROLE_AT(t, i, &rn) ||
            (i > l->w0 && !sep_only(t, i, "")))
            return n;
    }
    size_t cuts[MAXCOLS];
    size_t nk = 0;
    for (size_t min = 3; min >= 2 && nk != nc; min--) {
        nk = 0;
        cuts[nk++] = l->w0;
        for (size_t k = l->w0 + min; k + 2 <= l->w1 && nk < nc; k++)
            if (is_surname(t, k) && k - cuts[nk - 1] >= min)
                cuts[nk++] = k;
        if (nk == nc && l->w1 - cuts[nk - 1] < 2)
            nk = 0;
    }
    if (nk != nc) {
        /* Equal parts only when every part is a full name. */
        if (w % nc || w < 3 * nc)
            return n;
        for (size_t k = 0; k < nc; k++)
            cuts[k] = l->w0 + k * (w / nc);
    }
    for (size_t k = 0; k < nc; k++)
        cells[k] = (cell){cuts[k], k + 1 < nc ? cuts[k + 1] : l->w1, char_col(t, cuts[k])};
    return nc;
}

/* Every cell of the line opens with a unit (after "TM."/"KT."). */
static int all_units(const px_ctx *cx, const px_text *t, const cell *cells, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t a = cells[k].a;
        if ((pledgex__xw_is(t, a, "tm") || pledgex__xw_is(t, a, "kt")) && a + 1 < cells[k].b)
            a++;
        size_t rn;
        if (ROLE_AT(t, a, &rn) || !pledgex__x_unit_at(cx, t, a, pledgex__x_caps_end(t, a), NULL))
            return 0;
    }
    return 1;
}

/* Files a signatory: a copy of the unit mention u, kept apart, with its
 * role in the block (owned, may be NULL).  Its index in cx->units, or -1
 * when out of memory. */
static long add_signatory(px_ctx *cx, const px_unit *u, char *sigrole)
{
    px_unit sig;
    memset(&sig, 0, sizeof sig);
    sig.text = strdup(u->text);
    sig.display = strdup(u->display);
    sig.key = strdup(u->key);
    sig.key_lvl = strdup(u->key_lvl);
    sig.key_base = strdup(u->key_base);
    sig.level = u->level ? strdup(u->level) : NULL;
    sig.quality = u->quality;
    sig.signatory = 1;
    sig.sigrole = sigrole;
    if (!sig.text || !sig.display || !sig.key || !sig.key_lvl || !sig.key_base ||
        pledgex__x_unit_add(cx, &sig)) {
        pledgex__x_unit_clear(&sig);
        return -1;
    }
    return (long)cx->nunits - 1;
}

static int sig_block(px_ctx *cx, const px_text *t, size_t first_line, int has_header)
{
    column cols[MAXCOLS];
    size_t nc = 0;
    int rc = 0;
    memset(cols, 0, sizeof cols);
    for (size_t k = 0; k < MAXCOLS; k++)
        cols[k].sig = -1;
    /* A block is a few rows of columns: up to 24 lines with text. */
    size_t seen = 0;
    for (size_t li = first_line; li < t->nlines && seen < 24 && !rc; li++) {
        const px_line *l = &t->lines[li];
        cell cells[MAXCOLS];
        size_t n = split_line(cx, t, l, cells, MAXCOLS);
        if (!n)
            continue;
        seen++;
        if (nc && all_units(cx, t, cells, n)) {
            /* A new row of units: its own columns, nothing carried over. */
            for (size_t k = 0; k < MAXCOLS; k++) {
                pledgex__x_unit_clear(&cols[k].unit);
                free(cols[k].role);
                cols[k].role = NULL;
                cols[k].has_unit = 0;
                cols[k].signed_by = 0;
                cols[k].sig = -1;
            }
            for (size_t k = 0; k < n; k++)
                cols[k].col = cells[k].col;
            nc = n;
        }
        if (has_header && li == first_line && !pledgex__xw_is(t, l->w0, "tm") &&
            !pledgex__xw_is(t, l->w0, "kt"))
            continue; /* "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC" */
        if (nc >= 2 && n == 1)
            n = split_names(t, l, nc, cells, n);
        if (n > nc) {
            /* More columns than seen so far: the layout is set by this line. */
            for (size_t k = 0; k < n; k++)
                if (k >= nc)
                    cols[k].col = cells[k].col;
            if (nc <= 1)
                for (size_t k = 0; k < n; k++)
                    cols[k].col = cells[k].col;
            nc = n;
        }
        for (size_t k = 0; k < n && !rc; k++) {
            size_t c = n == nc ? k : nearest(cols, nc, cells[k].col);
            size_t a = cells[k].a, b = cells[k].b;
            /* TM. / KT. prefixes */
            if ((pledgex__xw_is(t, a, "tm") || pledgex__xw_is(t, a, "kt") ||
                 pledgex__xw_is(t, a, "ktm")) && a + 1 < b)
                a++;
            size_t rn, un;
            const role *r = ROLE_AT(t, a, &rn);
            px_unit u;
            if (r && a > 0 && memchr(t->fold + W(a - 1)->fb, '(', W(a)->fa - W(a - 1)->fb)) {
                /* "(Khối trưởng)" under a unit: the signatory's role. */
                if (cols[c].sig >= 0 && !cx->units[cols[c].sig].sigrole &&
                    !(cx->units[cols[c].sig].sigrole = role_text(t, a, rn, r)))
                    rc = -1;
                continue;
            }
            if (r) {
                free(cols[c].role);
                cols[c].role = role_text(t, a, rn, r);
                if (!cols[c].role)
                    rc = -1;
                if (cols[c].signed_by) {
                    /* the next signer of the column: the unit above was
                     * the last one's */
                    pledgex__x_unit_clear(&cols[c].unit);
                    cols[c].has_unit = 0;
                    cols[c].signed_by = 0;
                    cols[c].sig = -1;
                }
                /* "GIÁM ĐỐC SỞ TƯ PHÁP": role and unit on one line, the
                 * unit signs; "CHÁNH THANH TRA TỈNH": the unit is the
                 * role's tail and the level after it */
                un = 0;
                for (size_t from = a + rn; !un && from > a && a + rn < b; from--)
                    if ((un = pledgex__x_unit_at(cx, t, from, pledgex__x_caps_end(t, from), &u)) &&
                        from + un <= a + rn) {
                        pledgex__x_unit_clear(&u);
                        un = 0;
                    }
                if (un) {
                    pledgex__x_unit_clear(&cols[c].unit);
                    cols[c].unit = u;
                    cols[c].has_unit = 1;
                    if (rc == 0 && (cols[c].sig = add_signatory(cx, &u, NULL)) < 0)
                        rc = -1;
                }
                continue;
            }
            un = pledgex__x_unit_at(cx, t, a, pledgex__x_caps_end(t, a), &u);
            if (un) {
                pledgex__x_unit_clear(&cols[c].unit);
                cols[c].unit = u;
                cols[c].has_unit = 1;
                cols[c].signed_by = 0;
                if ((cols[c].sig = add_signatory(cx, &u, paren_role(t, a, b))) < 0)
                    rc = -1;
                continue;
            }
            /* "Đại tá Võ Văn Dũng": a rank before the name */
            size_t tn = 0;
            const role *title = TITLE_AT(t, a, &tn);
            if (title && a + tn < b)
                a += tn;
            else
                title = NULL;
            size_t nn = name_at(cx, t, a, b, 0);
            if (nn >= 2 && a + nn == b) {
                char *name = name_text(t, a, b);
                char *role = cols[c].role;
                int rank = 0;
                if (!role && title && strcmp(title->f, "ong") && strcmp(title->f, "ba") &&
                    strcmp(title->f, "dong chi")) {
                    role = strdup(title->disp);
                    rank = 1;
                }
                cols[c].role = NULL;
                cols[c].signed_by = 1;
                px_person p = {name, role, NULL, rank};
                if (cols[c].has_unit)
                    p.unit_key = strdup(cols[c].unit.key);
                if (!name || (cols[c].has_unit && !p.unit_key) || pledgex__x_person_add(cx, &p))
                    rc = -1;
                free(p.name);
                free(p.role);
                free(p.unit_key);
            }
        }
    }
    for (size_t k = 0; k < MAXCOLS; k++) {
        pledgex__x_unit_clear(&cols[k].unit);
        free(cols[k].role);
    }
    return rc;
}

/* A third of the words of the line or more belong to roles (OCR damages
 * the others), and it has at most
 * eight words. */
static int role_line(const px_ctx *cx, const px_text *t, const px_line *l)
{
    size_t n = l->w1 - l->w0, covered = 0;
    if (n > 8) {
        /* Columns of "GIÁM ĐỐC CÔNG AN TỈNH    CHÁNH ÁN TAND TỈNH": every
         * cell between column gaps opens with a role. */
        /* (ingest speed) Without a column gap on the line the test below
         * fails whatever split_line finds (its second cell starts after
         * the first word, where there is no gap): skip its search for
         * columns OCR joined, a unit and name scan of every word of every
         * long line, most of pledgex__x_people's time on prose. */
        size_t g = l->w0 + 1;
        while (g < l->w1 && !column_gap(t, g))
            g++;
        if (g == l->w1)
            return 0;
        cell cells[MAXCOLS];
        size_t nc = split_line(cx, t, l, cells, MAXCOLS), rn;
        if (nc < 2 || !column_gap(t, cells[1].a))
            return 0;
        for (size_t k = 0; k < nc; k++) {
            size_t a = cells[k].a;
            if ((pledgex__xw_is(t, a, "tm") || pledgex__xw_is(t, a, "kt")) && a + 1 < cells[k].b)
                a++;
            if (!ROLE_AT(t, a, &rn))
                return 0;
        }
        return 1;
    }
    if (!n)
        return 0;
    for (size_t i = l->w0; i < l->w1;) {
        size_t rn;
        if (ROLE_AT(t, i, &rn)) {
            covered += rn;
            i += rn;
        } else
            i++;
    }
    return covered * 3 >= n;
}

/* A line of capitalised names within two lines after line li. */
static int names_follow(const px_ctx *cx, const px_text *t, size_t li)
{
    for (size_t k = li + 1; k < t->nlines && k <= li + 3; k++) {
        const px_line *l = &t->lines[k];
        if (l->w0 == l->w1)
            continue;
        size_t a = l->w0, tn; /* "Đại tá Nguyễn Văn Hùng" */
        if (TITLE_AT(t, a, &tn) && a + tn < l->w1)
            a += tn;
        return name_at(cx, t, a, l->w1, 0) >= 2;
    }
    return 0;
}

int pledgex__x_people(px_ctx *cx, const px_text *t)
{
    size_t sig_from = t->nlines;
    for (size_t li = 0; li < t->nlines; li++)
        if (sig_header(t, &t->lines[li])) {
            sig_from = li;
            break;
        }
    int has_header = sig_from < t->nlines;
    if (!has_header) {
        /* OCR may lose the header: a line of roles ("Chánh Thanh tra
         * Giám đốc") followed by a line of names still marks the block;
         * it starts at the unit line above the roles. */
        for (size_t li = t->nlines; li-- > 0;) {
            if (role_line(cx, t, &t->lines[li]) && names_follow(cx, t, li)) {
                /* Rows of columns: the block starts at its first row of
                 * roles, a few lines above the last one. */
                for (size_t up = li; up-- > 0 && li - up <= 12;)
                    if (role_line(cx, t, &t->lines[up]) && names_follow(cx, t, up))
                        li = up;
                sig_from = li;
                for (size_t up = li; up-- > 0 && li - up <= 3;)
                    if (t->lines[up].w0 != t->lines[up].w1) {
                        sig_from = up;
                        break;
                    }
                break;
            }
        }
    }
    /* Running text before the block; the block by its own rules. */
    if (running_text(cx, t))
        return -1;
    if (sig_from < t->nlines && sig_block(cx, t, sig_from, has_header))
        return -1;
    return 0;
}
