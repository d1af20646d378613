/*
 * units.c -- organisations: a head word of a Vietnamese public body ("Sở",
 * "Ủy ban nhân dân", "UBND", "Công an", "Khối thi đua", ...) followed by its
 * name, its level ("tỉnh", "huyện", ...) and its place ("Nghệ An").
 *
 * Two readings of the same grammar.  In running text the name is what is
 * capitalised after the head plus the lower-case syllables that complete
 * those words ("Cục Thi hành án dân sự"), up to a function word or verb.
 * In CAPITALS (letterheads, signature blocks) case says nothing, so the unit
 * runs to the end of the capital segment and is title-cased the Vietnamese
 * way.  A gazetteer, when given, wins over both for the names it knows.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textnorm.h"
#include "xctx.h"
#include "xphrase.h"

#define W(i) (&t->w[(i)])

#define H_NAME 0x1u     /* needs a capitalised name after it ("Sở")        */
#define H_LEVEL 0x2u    /* a level or a place alone completes it           */
#define H_ALONE 0x4u    /* complete by itself ("Tỉnh ủy")                  */
#define H_LOWER 0x8u    /* may be written in lower case ("khối Nội chính") */

typedef struct head {
    const char *f;     /* shadow words                                    */
    const char *disp;  /* canonical spelling of the head                  */
    const char *exact; /* lower-case accented form of a one-word head that */
                       /* folds like a common word (bản/ban, số/sở)       */
    unsigned flags;
} head;

/* Longest first where one head is the start of another. */
static const head heads[] = {
    {"uy ban mat tran to quoc viet nam", "Ủy ban Mặt trận Tổ quốc Việt Nam", NULL, H_LEVEL | H_ALONE},
    {"mat tran to quoc viet nam", "Mặt trận Tổ quốc Việt Nam", NULL, H_LEVEL | H_ALONE},
    {"uy ban nhan dan", "Ủy ban nhân dân", NULL, H_LEVEL},
    {"ubnd", "Ủy ban nhân dân", NULL, H_LEVEL},
    {"hoi dong nhan dan", "Hội đồng nhân dân", NULL, H_LEVEL},
    {"hdnd", "Hội đồng nhân dân", NULL, H_LEVEL},
    {"uy ban", "Ủy ban", NULL, H_NAME},
    {"hoi dong", "Hội đồng", NULL, H_NAME},
    {"vien kiem sat nhan dan", "Viện Kiểm sát nhân dân", NULL, H_LEVEL},
    {"vksnd", "Viện Kiểm sát nhân dân", NULL, H_LEVEL},
    {"vien ksnd", "Viện Kiểm sát nhân dân", NULL, H_LEVEL},
    {"toa an nhan dan", "Tòa án nhân dân", NULL, H_LEVEL},
    {"tand", "Tòa án nhân dân", NULL, H_LEVEL},
    {"toa an nd", "Tòa án nhân dân", NULL, H_LEVEL},
    {"bo chi huy bo doi bien phong", "Bộ Chỉ huy Bộ đội Biên phòng", NULL, H_LEVEL},
    {"bo chi huy quan su", "Bộ Chỉ huy Quân sự", NULL, H_LEVEL},
    {"bchqs", "Bộ Chỉ huy Quân sự", NULL, H_LEVEL},
    {"ban chi huy quan su", "Ban Chỉ huy Quân sự", NULL, H_LEVEL},
    {"bo doi bien phong", "Bộ đội Biên phòng", NULL, H_LEVEL},
    {"bdbp", "Bộ đội Biên phòng", NULL, H_LEVEL},
    {"bo tu lenh", "Bộ Tư lệnh", NULL, H_NAME},
    {"cong an", "Công an", NULL, H_LEVEL},
    {"thanh tra", "Thanh tra", NULL, H_LEVEL},
    {"kho bac nha nuoc", "Kho bạc Nhà nước", NULL, H_LEVEL | H_ALONE},
    {"kho bac", "Kho bạc", NULL, H_NAME},
    {"ngan hang", "Ngân hàng", NULL, H_NAME},
    {"dai phat thanh va truyen hinh", "Đài Phát thanh và Truyền hình", NULL, H_LEVEL},
    {"bao hiem xa hoi", "Bảo hiểm xã hội", NULL, H_LEVEL},
    {"bhxh", "Bảo hiểm xã hội", NULL, H_LEVEL},
    {"lien doan lao dong", "Liên đoàn Lao động", NULL, H_LEVEL},
    {"doan thanh nien cong san ho chi minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", NULL, H_LEVEL | H_ALONE},
    {"tinh doan", "Tỉnh đoàn", NULL, H_ALONE},
    {"thanh doan", "Thành đoàn", NULL, H_ALONE},
    {"huyen doan", "Huyện đoàn", NULL, H_ALONE},
    {"tinh uy", "Tỉnh ủy", NULL, H_ALONE},
    {"huyen uy", "Huyện ủy", NULL, H_ALONE},
    {"thanh uy", "Thành ủy", NULL, H_ALONE},
    {"thi uy", "Thị ủy", NULL, H_ALONE},
    {"quan uy", "Quận ủy", NULL, H_ALONE},
    {"dang uy", "Đảng ủy", NULL, H_ALONE},
    {"dang bo", "Đảng bộ", NULL, H_LEVEL | H_NAME},
    {"chi cuc", "Chi cục", NULL, H_NAME},
    {"tong cuc", "Tổng cục", NULL, H_NAME},
    {"khoi thi dua", "Khối thi đua", NULL, H_NAME | H_LOWER},
    {"cum thi dua", "Cụm thi đua", NULL, H_NAME | H_LOWER},
    {"trung tam", "Trung tâm", NULL, H_NAME},
    {"van phong", "Văn phòng", NULL, H_NAME},
    {"benh vien", "Bệnh viện", NULL, H_NAME},
    {"so", "Sở", "sở", H_NAME},
    {"cuc", "Cục", "cục", H_NAME | H_LOWER},
    {"ban", "Ban", "ban", H_NAME | H_LOWER},
    {"bo", "Bộ", "bộ", H_NAME},
    /* "Khối Nội chính" is the emulation bloc "Khối thi đua Nội chính":
     * one spelling, so documents that shorten it group with those that
     * do not. */
    {"khoi", "Khối thi đua", "khối", H_NAME | H_LOWER},
    {"cum", "Cụm thi đua", "cụm", H_NAME | H_LOWER},
    {"hoi", "Hội", "hội", H_NAME},
    {"doan", "Đoàn", "đoàn", H_NAME},
    {"vien", "Viện", "viện", H_NAME},
    {"phong", "Phòng", "phòng", H_NAME},
    {"don", "Đồn", "đồn", H_NAME},
    {"doi", "Đội", "đội", H_NAME},
    {"tram", "Trạm", "trạm", H_NAME},
    {"truong", "Trường", "trường", H_NAME},
    {"hoc vien", "Học viện", NULL, H_NAME},
    {"quan khu", "Quân khu", NULL, H_NAME},
    {"tieu doan", "Tiểu đoàn", NULL, H_NAME},
    {"trung doan", "Trung đoàn", NULL, H_NAME},
    {"su doan", "Sư đoàn", NULL, H_NAME},
    {"lu doan", "Lữ đoàn", NULL, H_NAME},
};

typedef struct level {
    const char *f;
    const char *disp;
    const char *exact;
    int strict; /* the unaccented spelling is another word: "quan", "xa" */
} level;

static const level levels[] = {
    {"thanh pho", "thành phố", NULL, 0}, {"thi xa", "thị xã", NULL, 0},
    {"thi tran", "thị trấn", NULL, 0},   {"trung uong", "Trung ương", NULL, 0},
    {"khu vuc", "khu vực", NULL, 0},     {"tp", "thành phố", NULL, 0},
    {"tinh", "tỉnh", "tỉnh", 0},      {"huyen", "huyện", "huyện", 0},
    {"quan", "quận", "quận", 1},      {"xa", "xã", "xã", 1},
    {"phuong", "phường", "phường", 0},
};

static const level *level_at(const px_text *t, size_t i, size_t *n);

/* A level word, but not the "xã" of "xã hội". */
static const level *is_level(const px_text *t, size_t i, size_t *n)
{
    if (pledgex__xw_seq(t, i, "xa hoi", 0))
        return NULL;
    /* "các xã vùng cao": a plural noun, not the level of a unit */
    if (i && (pledgex__xw_is(t, i - 1, "cac") || pledgex__xw_is(t, i - 1, "nhung")))
        return NULL;
    return level_at(t, i, n);
}

/* Lower-case words that end a name in running text: function words and
 * the verbs that usually follow a unit.  Compared with their accents, so
 * "tư" (Đầu tư) is not "từ"; a word with no accents at all (OCR lost them)
 * is compared without. */
typedef struct stop_word {
    const char *f, *exact;
} stop_word;
static const stop_word stops[] = {
    {"va", "và"}, {"cua", "của"}, {"voi", "với"}, {"trong", "trong"},
    {"tai", "tại"}, {"thuoc", "thuộc"}, {"da", "đã"}, {"duoc", "được"},
    {"dang", "đang"}, {"se", "sẽ"}, {"la", "là"}, {"co", "có"},
    {"cac", "các"}, {"nhung", "những"}, {"ve", "về"}, {"cho", "cho"},
    {"de", "để"}, {"den", "đến"}, {"theo", "theo"}, {"tu", "từ"},
    {"o", "ở"}, {"ra", "ra"}, {"vao", "vào"}, {"khi", "khi"},
    {"nay", "này"}, {"do", "đó"}, {"phat", "phát"}, {"thong", "thông"},
    {"chu", "chủ"}, {"to", "tổ"}, {"ky", "ký"}, {"gom", "gồm"},
    {"cung", "cùng"}, {"tham", "tham"}, {"tiep", "tiếp"}, {"quyet", "quyết"},
    {"hoan", "hoàn"}, {"ghi", "ghi"}, {"dai", "đại"}, {"lanh", "lãnh"},
    {"chi", "chỉ"}, {"nhu", "như"}, {"nhieu", "nhiều"}, {"mot", "một"},
    {"tren", "trên"}, {"duoi", "dưới"}, {"sau", "sau"}, {"truoc", "trước"},
    {"nham", "nhằm"}, {"neu", "nếu"}, {"thi", "thì"}, {"ma", "mà"},
    {"ca", "cả"}, {"nen", "nên"}, {"vi", "vì"}, {"boi", "bởi"},
    {"deu", "đều"}, {"luon", "luôn"}, {"bao", "bảo"}, {"trien", "triển"},
    {"thuc", "thực"}, {"xay", "xây"}, {"nang", "nâng"}, {"tang", "tăng"},
    {"dong", "đồng"}, {"danh", "danh"}, {"nam", "năm"}, {"ngay", "ngày"},
    {"thang", "tháng"}, {"quy", "quý"}, {"giua", "giữa"}, {"doi", "đối"},
    {"can", "cần"}, {"phai", "phải"}, {"nhan", "nhận"}, {"kiem", "kiểm"},
    {"giao", "giao"}, {"trao", "trao"}, {"tang", "tặng"}, {"gui", "gửi"},
    {"len", "lên"}, {"xuong", "xuống"}, {"tien", "tiến"}, {"kip", "kịp"},
    {"biet", "biết"}, {"hop", "họp"}, {"so", "số"}, {"kem", "kèm"},
    {"cap", "cấp"}, {"gan", "gắn"}, {"du", "dự"}, {"de", "đề"},
    {"trinh", "trình"}, {"chao", "chào"}, {"tap", "tập"},
    /* "Khối thi đua Kinh tế tổng hợp thống nhất ký": the verbs after a
     * name whose words are lower case. */
    {"thong", "thống"}, {"cam", "cam"},
};

static int accents_agree(const px_text *t, size_t i, const char *exact);

static px_phrase_index *_Atomic stops_ix;

static int is_stop(const px_text *t, size_t i)
{
    const px_phrase_index *x = PX_PHRASE_TABLE(stops_ix, stops, stop_word, f);
    size_t k = x ? pledgex__xphrase_first(x, t, i) : 0;
    size_t end = x ? PX_PHRASE_END : sizeof stops / sizeof stops[0];
    while (k != end) {
        if (pledgex__xw_is(t, i, stops[k].f) && accents_agree(t, i, stops[k].exact))
            return 1;
        k = x ? pledgex__xphrase_next(x, k) : k + 1;
    }
    return 0;
}

/* The accented word in the original matches exact, or carries no accents
 * at all (OCR lost them); so "BẢN" is not "Ban" but "BAN" is. */
/* pledgex__fold_exact of a table's literal, remembered: the tables are
 * static, so a few dozen entries per thread hold them all. */
#define LITERAL_MEMO 128

static const char *exact_literal(const char *lit)
{
    static _Thread_local struct {
        const char *lit;
        char *fold;
    } memo[LITERAL_MEMO];
    size_t h = ((uintptr_t)lit >> 3) % LITERAL_MEMO;
    if (memo[h].lit == lit && memo[h].fold)
        return memo[h].fold;
    char *f = pledgex__fold_exact(lit, strlen(lit));
    if (!f)
        return NULL;
    free(memo[h].fold);
    memo[h].lit = lit;
    memo[h].fold = f;
    return f;
}

static int accents_agree(const px_text *t, size_t i, const char *exact)
{
    if (!exact)
        return 1;
    const px_word *w = W(i);
    int ascii = 1;
    for (size_t k = w->oa; k < w->ob; k++)
        if ((unsigned char)t->orig[k] >= 0x80)
            ascii = 0;
    if (ascii)
        return 1;
    const char *e = pledgex__xw_exact(t, i);
    const char *x = exact_literal(exact);
    return e && x && !strcmp(e, x);
}

/* Separator between word i-1 and word i, spaces dropped: "" "-" "," ... */
static int sep_is(const px_text *t, size_t i, const char *allowed)
{
    char buf[8];
    pledgex__xw_sep(t, i, buf, sizeof buf);
    if (!*buf)
        return 1;
    return strlen(buf) == 1 && strchr(allowed, buf[0]) != NULL;
}

/* A column gap: three spaces or more between words on one line. */
static int column_gap(const px_text *t, size_t i)
{
    if (!i || W(i)->line != W(i - 1)->line)
        return 0;
    size_t a = W(i - 1)->ob, b = W(i)->oa;
    int run = 0, best = 0;
    for (size_t k = a; k < b; k++) {
        if (t->orig[k] == ' ' || t->orig[k] == '\t')
            run += t->orig[k] == '\t' ? 4 : 1;
        else
            run = 0;
        if (run > best)
            best = run;
    }
    return best >= 3;
}

/* Head words that start common words too: "Hội nghị", "BAN HÀNH", "phòng,
 * chống", "ĐOÀN KẾT", "bộ máy"...  In CAPITALS nothing else tells them
 * apart. */
static const char *const not_units[] = {
    "hoi nghi", "hoi thi", "hoi thao", "hoi dien", "hoi trai", "hoi giang", "hoi cho",
    "hoi xuan", "hoi nhap", "ban hanh", "ban bo", "so huu", "so di",
    "so thich", "bo phan", "bo may", "bo luat", "bo tieu chi", "bo chi so", "cuc dien",
    "doan ket", "doan vien", "doi ngu", "phong chong", "phong ngua", "phong trao",
    "truong hop", "khoi luong", "cum tu", "vien dan", "trung tam diem",
    /* places and people named like units */
    "hoi an", "truong sa", "truong son", "truong chinh", "ban me", "tram tau", "doi can",
};

static px_phrase_index *_Atomic not_units_ix, *_Atomic heads_ix, *_Atomic levels_ix;

static int not_unit(const px_text *t, size_t i)
{
    const px_phrase_index *x = PX_PHRASE_LIST(not_units_ix, not_units);
    if (!x) {
        for (size_t k = 0; k < sizeof not_units / sizeof not_units[0]; k++)
            if (pledgex__xw_seq(t, i, not_units[k], 1))
                return 1;
        return 0;
    }
    for (size_t k = pledgex__xphrase_first(x, t, i); k != PX_PHRASE_END;
         k = pledgex__xphrase_next(x, k))
        if (pledgex__xw_seq(t, i, not_units[k], 1))
            return 1;
    return 0;
}

/* The head starting at word i; cross: it may wrap onto the next line
 * (running text; OCR even leaves blank lines inside paragraphs). */
static const head *head_at(const px_text *t, size_t i, size_t *n, int cross)
{
    if (not_unit(t, i))
        return NULL;
    const px_phrase_index *x = PX_PHRASE_TABLE(heads_ix, heads, head, f);
    size_t k = x ? pledgex__xphrase_first(x, t, i) : 0;
    size_t end = x ? PX_PHRASE_END : sizeof heads / sizeof heads[0];
    while (k != end) {
        size_t m = pledgex__xw_seq(t, i, heads[k].f, cross);
        if (m && accents_agree(t, i, heads[k].exact)) {
            *n = m;
            return &heads[k];
        }
        k = x ? pledgex__xphrase_next(x, k) : k + 1;
    }
    return NULL;
}

static int ascii_word(const px_text *t, size_t i)
{
    for (size_t k = W(i)->oa; k < W(i)->ob; k++)
        if ((unsigned char)t->orig[k] >= 0x80)
            return 0;
    return 1;
}

/* OCR under a seal often loses the last letter of TỈNH ("TỈNE", "TỈNF",
 * "TỈN"): a word with the tell-tale ỉ whose shadow is "tin" plus at most one
 * wrong letter is the level "tỉnh".  No Vietnamese word other than tỉnh
 * spells "tỉn?" and "tỉ" alone (a billion) is left alone. */
static int damaged_tinh(const px_text *t, size_t i)
{
    size_t a = W(i)->fa, b = W(i)->fb;
    if (b - a < 3 || b - a > 4 || memcmp(t->fold + a, "tin", 3) != 0)
        return 0;
    if (b - a == 4 && t->fold[a + 3] == 'h')
        return 0; /* the word itself: matched the ordinary way */
    const char *o = t->orig + W(i)->oa;
    size_t on = W(i)->ob - W(i)->oa;
    for (size_t k = 0; k + 3 <= on; k++)
        if (!memcmp(o + k, "\xe1\xbb\x89", 3) || !memcmp(o + k, "\xe1\xbb\x88", 3))
            return 1; /* ỉ or Ỉ */
    return 0;
}

static const level *level_at(const px_text *t, size_t i, size_t *n)
{
    const px_phrase_index *x = PX_PHRASE_TABLE(levels_ix, levels, level, f);
    size_t k = x ? pledgex__xphrase_first(x, t, i) : 0;
    size_t end = x ? PX_PHRASE_END : sizeof levels / sizeof levels[0];
    while (k != end) {
        size_t m = pledgex__xw_seq(t, i, levels[k].f, 0);
        if (m && accents_agree(t, i, levels[k].exact) &&
            !(levels[k].strict && ascii_word(t, i))) {
            *n = m;
            return &levels[k];
        }
        k = x ? pledgex__xphrase_next(x, k) : k + 1;
    }
    if (i < t->nw && damaged_tinh(t, i)) {
        for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++)
            if (!strcmp(levels[k].f, "tinh")) {
                *n = 1;
                return &levels[k];
            }
    }
    return NULL;
}

/* Growable string. */
typedef struct str {
    char *s;
    size_t n, cap;
    int oom;
} str;

static void s_add(str *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t ncap = (b->n + n + 1) * 2;
        char *q = realloc(b->s, ncap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->s = q;
        b->cap = ncap;
    }
    memcpy(b->s + b->n, p, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void s_cat(str *b, const char *p)
{
    s_add(b, p, strlen(p));
}

/* Appends word i of the original, cased: 0 as written, 1 lower, 2 first
 * letter upper and the rest lower. */
static void s_word(str *b, const px_text *t, size_t i, int mode)
{
    const px_word *w = W(i);
    if (mode == 0) {
        s_add(b, t->orig + w->oa, w->ob - w->oa);
        return;
    }
    char *lo = pledgex__nfc(t->orig + w->oa, w->ob - w->oa, NULL);
    if (!lo) {
        b->oom = 1;
        return;
    }
    char *c = pledgex__x_case(lo, mode == 2);
    free(lo);
    if (!c) {
        b->oom = 1;
        return;
    }
    s_cat(b, c);
    free(c);
}

static void s_sep(str *b, const px_text *t, size_t i)
{
    char buf[8];
    pledgex__xw_sep(t, i, buf, sizeof buf);
    if (buf[0] == '-')
        s_cat(b, " - ");
    else if (buf[0] == ',')
        s_cat(b, ", ");
    else
        s_cat(b, " ");
}

/* Extent of a capital segment starting at i: consecutive UPPER words on
 * one line, not split by a column gap or by ( ) : ; . */
static size_t caps_end(const px_text *t, size_t i)
{
    size_t e = i;
    while (e < t->nw && (W(e)->flags & PX_W_UPPER) && !(W(e)->flags & PX_W_NUM)) {
        if (e > i && (W(e)->line != W(i)->line || column_gap(t, e) || !sep_is(t, e, "-,&")))
            break;
        e++;
    }
    return e;
}

size_t pledgex__x_caps_end(const px_text *t, size_t i)
{
    if (i >= t->nw || !(W(i)->flags & PX_W_UPPER) || (W(i)->flags & PX_W_NUM))
        return 0;
    size_t e = caps_end(t, i);
    return e - i >= 2 ? e : 0;
}

static int breaker(const px_text *t, size_t e);

/* Place name after a level (or straight after a head that allows it):
 * capitalised words, or numbers ("Phường 3"); in CAPITALS up to limit. */
static size_t place_len(const px_text *t, size_t i, size_t limit, int caps)
{
    size_t e = i;
    while (e < t->nw && e < limit && e - i < 4) {
        const px_word *w = W(e);
        if (e > i && !sep_is(t, e, "-"))
            break;
        if (e > i && (w->line != W(i)->line || column_gap(t, e)))
            break;
        size_t hn;
        if (e > i && (head_at(t, e, &hn, 0) || breaker(t, e) || pledgex__xw_is(t, e, "so")))
            break;
        if (caps) {
            if (!(w->flags & (PX_W_UPPER | PX_W_NUM)))
                break;
        } else if (!(w->flags & PX_W_CAP) && !((w->flags & PX_W_NUM) && e == i))
            break;
        e++;
    }
    /* A one-letter word starts a place ("A Lưới") but never ends one: at the
     * end it is OCR noise from a rule or a column edge. */
    while (e > i && W(e - 1)->fb - W(e - 1)->fa == 1 && !(W(e - 1)->flags & PX_W_NUM))
        e--;
    return e - i;
}

/* Abbreviated heads written inside a name ("Văn phòng UBND tỉnh"). */
static const head *acronym_at(const px_text *t, size_t i)
{
    size_t n;
    if (!(W(i)->flags & PX_W_UPPER))
        return NULL;
    const head *h = head_at(t, i, &n, 0);
    return (h && n == 1 && !h->exact) ? h : NULL;
}

/* Words that open the other column of a letterhead or a signature cell
 * OCR joined to a unit: "CỘNG HÒA XÃ HỘI...", "Độc lập - Tự do", "TM.". */
static int breaker(const px_text *t, size_t e)
{
    return pledgex__xw_seq(t, e, "cong hoa", 0) || pledgex__xw_seq(t, e, "doc lap", 0) ||
           ((pledgex__xw_is(t, e, "tm") || pledgex__xw_is(t, e, "kt") ||
             pledgex__xw_is(t, e, "tl") || pledgex__xw_is(t, e, "tuq")) &&
            t->fold[t->w[e].fb] == '.');
}

/* May the name go on from word e-1 to word e? */
static int continues(const px_text *t, size_t e, int caps)
{
    if (W(e)->line != W(e - 1)->line) {
        if (caps)
            return 0;
        /* Running text wraps; a blank line ends the name unless a dash
         * left it hanging ("Nội chính -" / "Lực lượng vũ trang"). */
        char sp[8];
        pledgex__xw_sep(t, e, sp, sizeof sp);
        if (pledgex__xw_para(t, e) && strcmp(sp, "-"))
            return 0;
    }
    return !column_gap(t, e) && sep_is(t, e, "-");
}

/* The name after a head, from word e: capitalised words and the lower-case
 * syllables that complete them, "số 2", "và" before another capitalised
 * word, an abbreviation such as UBND.  In CAPITALS everything up to limit
 * (or a level word), title-cased.  Appends to b; returns the number of name
 * words and sets *end. */
static size_t read_name(const px_text *t, const head *h, size_t e, size_t limit, int caps,
                        str *b, size_t *end)
{
    size_t name_words = 0, ln, hn2;
    int place_like = (h->flags & H_ALONE) || !(h->flags & H_NAME);
    int cap_next = 1;
    int lower_lead = (h->flags & H_LOWER) && (h->f[0] == 'k' || h->f[0] == 'c');
    while (e < limit && e < t->nw && !breaker(t, e)) {
        const px_word *w = W(e);
        if (!continues(t, e, caps)) {
            /* "GD&ĐT", "LĐ-TB&XH": abbreviations joined by & */
            if (sep_is(t, e, "&") && W(e)->line == W(e - 1)->line &&
                (W(e - 1)->flags & PX_W_UPPER) && (W(e)->flags & PX_W_UPPER) &&
                !column_gap(t, e)) {
                s_cat(b, "&");
                s_word(b, t, e, 0);
                e++;
                continue;
            }
            /* "các Sở, ngành", "Sở, ban, ngành": one collocation */
            size_t m = 0;
            if (name_words && pledgex__xw_is(t, e - 1, "so") && sep_is(t, e, ",") &&
                W(e)->line == W(e - 1)->line)
                m = pledgex__xw_seq(t, e, "ban nganh", 0) ? 2
                    : pledgex__xw_is(t, e, "nganh") ? 1 : 0;
            if (!m)
                break;
            for (size_t k = 0; k < m; k++) {
                s_cat(b, ", ");
                s_word(b, t, e + k, caps ? 1 : 0);
            }
            e += m;
            continue;
        }
        if (pledgex__x_role_at(t, e, &ln))
            break; /* "Chánh Thanh tra / Giám đốc": a role, not the name */
        if (is_level(t, e, &ln) &&
            !((w->flags & PX_W_CAP) && !caps && ln == 1 && !pledgex__xw_is(t, e, "tp")))
            break;
        /* "Cụm thi đua số 2" */
        if (pledgex__xw_is(t, e, "so") && e + 1 < t->nw && (W(e + 1)->flags & PX_W_NUM) &&
            W(e + 1)->line == w->line && sep_is(t, e + 1, "")) {
            s_cat(b, " số ");
            s_word(b, t, e + 1, 0);
            name_words++;
            e += 2;
            continue;
        }
        const head *ac = acronym_at(t, e);
        if (ac && (name_words || e > 0)) {
            s_cat(b, " ");
            s_cat(b, ac->disp);
            name_words++;
            e++;
            continue;
        }
        if (caps) {
            if (name_words && head_at(t, e, &hn2, 0))
                break;
            char sp[8];
            pledgex__xw_sep(t, e, sp, sizeof sp);
            int plural = pledgex__xw_is(t, e, "cac") || pledgex__xw_is(t, e, "nhung");
            int title = !plural && (cap_next || place_like || sp[0] == '-');
            s_sep(b, t, e);
            s_word(b, t, e, title ? 2 : 1);
            cap_next = pledgex__xw_is(t, e, "va");
            name_words++;
            e++;
            continue;
        }
        if (name_words && head_at(t, e, &hn2, 1) && (w->flags & PX_W_CAP))
            break;
        if (w->flags & (PX_W_CAP | PX_W_UPPER)) {
            s_sep(b, t, e);
            s_word(b, t, e, 0);
            name_words++;
            e++;
            continue;
        }
        if (w->flags & PX_W_NUM)
            break;
        if (!name_words) {
            /* "Khối các cơ quan Tổng hợp": a lower-case lead, then a
             * capitalised word. */
            size_t r = e;
            while (lower_lead && r < t->nw && r - e < 4 && !(W(r)->flags & (PX_W_CAP | PX_W_NUM)) &&
                   continues(t, r, 0) && !is_level(t, r, &ln))
                r++;
            int plural = 0;
            for (size_t k = e; k < r; k++)
                plural |= pledgex__xw_is(t, k, "cac");
            /* "Khối các Sở": after "các" a head is part of the name */
            if (r == e || r >= t->nw || !(W(r)->flags & PX_W_CAP) || !continues(t, r, 0) ||
                (head_at(t, r, &hn2, 1) && !plural))
                break;
            for (size_t k = e; k < r; k++) {
                s_cat(b, " ");
                s_word(b, t, k, 0);
            }
            e = r;
            continue;
        }
        if (pledgex__xw_is(t, e, "va") && e + 1 < t->nw && (W(e + 1)->flags & PX_W_CAP) &&
            continues(t, e + 1, 0)) {
            if (head_at(t, e + 1, &hn2, 1))
                break;
            s_cat(b, " ");
            s_word(b, t, e, 0);
            e++;
            continue;
        }
        if (is_stop(t, e))
            break;
        /* A run of lower-case syllables completes the capitalised word
         * before it ("Thi hành án dân sự"); five or more is prose. */
        size_t r = e, run = 0;
        while (r < t->nw && run < 5 && !(W(r)->flags & (PX_W_CAP | PX_W_NUM)) &&
               (r == e || continues(t, r, 0)) && sep_is(t, r, "") && !is_stop(t, r) &&
               !is_level(t, r, &ln))
            r++, run++;
        if (run == 0 || run == 5)
            break;
        for (size_t k = e; k < r; k++) {
            s_cat(b, " ");
            s_word(b, t, k, 0);
        }
        e = r;
    }
    *end = e;
    return name_words;
}

size_t pledgex__x_unit_at(const px_ctx *cx, const px_text *t, size_t i, size_t limit,
                          px_unit *m)
{
    if (i >= t->nw)
        return 0;
    const px_word *w0 = W(i);
    if (!(w0->flags & PX_W_ALPHA))
        return 0;
    size_t hn = 0;
    const head *h = head_at(t, i, &hn, limit <= i);
    const char *gcanon = NULL, *glevel = NULL;
    size_t gn = 0;
    if (cx && cx->gz && (w0->flags & PX_W_CAP))
        gn = pledgex__gz_match(cx->gz, t, i, limit, &gcanon, &glevel);
    if (!h && !gn)
        return 0;
    if (h && !(w0->flags & PX_W_CAP) && !(h->flags & H_LOWER))
        return 0;
    int caps = limit > i;
    if (!caps)
        limit = t->nw;
    else if (i + hn > limit)
        return 0;
    if (h && !gn && i + hn < t->nw) {
        size_t hn2;
        /* "Cục trưởng", "Khối phó" are roles, not units. */
        if (pledgex__xw_is(t, i + hn, "truong") || pledgex__xw_is(t, i + hn, "pho"))
            return 0;
        /* "Trưởng ban Ban Thi đua": the capitalised head is the unit. */
        if (!(w0->flags & PX_W_CAP) && head_at(t, i + hn, &hn2, 0))
            return 0;
    }
    str b = {0};
    size_t e;
    int quality;
    const char *lvl = NULL;
    size_t name_words = 0;
    if (gn) {
        s_cat(&b, gcanon);
        e = i + gn;
        quality = 3;
        lvl = glevel;
        name_words = 1;
        /* What the text adds after a known name that takes a place
         * ("Kho bạc Nhà nước Hà Nội"). */
        if (h && !(h->flags & H_NAME) && e < limit)
            read_name(t, h, e, limit, caps, &b, &e);
    } else {
        s_cat(&b, h->disp);
        e = i + hn;
        quality = caps ? 1 : 2;
        if ((W(i)->flags & PX_W_UPPER) && hn == 1 && !caps)
            quality = 1; /* an abbreviation: "UBND" */
        name_words = read_name(t, h, i + hn, limit, caps, &b, &e);
        if ((h->flags & H_NAME) && !name_words && !(h->flags & H_LEVEL)) {
            free(b.s);
            return 0;
        }
    }
    /* "Ban Tuyên giáo Tỉnh ủy": a party committee names whose body it is. */
    if (!caps && e < t->nw && W(e)->line == W(e - 1)->line && sep_is(t, e, "") &&
        (W(e)->flags & PX_W_CAP)) {
        size_t an;
        const head *ah = head_at(t, e, &an, 0);
        if (ah && (ah->flags & H_ALONE) && !(ah->flags & H_LEVEL)) {
            s_cat(&b, " ");
            s_cat(&b, ah->disp);
            e += an;
        }
    }
    /* CAPITALS may stop before a level written in lower case ("SỞ GD&ĐT
     * tỉnh Hà Tĩnh"): read the rest as running text. */
    if (caps && e == limit && e < t->nw && !(W(e)->flags & PX_W_CAP) &&
        W(e)->line == W(e - 1)->line) {
        caps = 0;
        limit = t->nw;
    }
    /* A letterhead in CAPITALS breaks before the level: "ỦY BAN NHÂN DÂN" /
     * "HUYỆN BÁT XÁT". */
    int wrapped = 0;
    size_t ln = 0, first_end = e;
    if (caps && !gn && (e == limit || breaker(t, e)) && (size_t)W(e - 1)->line + 1 < t->nlines) {
        /* the next line's first cell, wherever the right column is */
        size_t n0 = t->lines[W(e - 1)->line + 1].w0;
        if (n0 < t->lines[W(e - 1)->line + 1].w1 && (W(n0)->flags & PX_W_UPPER) &&
            is_level(t, n0, &ln)) {
            size_t ce = pledgex__x_caps_end(t, n0);
            if (ce) {
                e = n0;
                limit = ce;
                wrapped = 1;
            }
        }
    }
    /* Level and place. */
    size_t base_len = b.n, lvl_len = b.n;
    const level *lv = NULL;
    if (e < limit && e < t->nw && (W(e)->line == W(e - 1)->line || wrapped) &&
        !column_gap(t, e) &&
        sep_is(t, e, "") && (lv = is_level(t, e, &ln)) &&
        (caps || !(W(e)->flags & PX_W_CAP) || pledgex__xw_is(t, e, "tp") ||
         pledgex__xw_seq(t, e, "trung uong", 0))) {
        s_cat(&b, " ");
        s_cat(&b, lv->disp);
        e += ln;
        lvl_len = b.n;
        size_t pn = 0;
        if (e < limit && e < t->nw && W(e)->line == W(e - 1)->line && !column_gap(t, e) &&
            sep_is(t, e, pledgex__xw_is(t, e - 1, "tp") ? "." : ""))
            pn = place_len(t, e, limit, caps);
        for (size_t k = 0; k < pn; k++) {
            s_sep(&b, t, e + k);
            /* the one place everybody abbreviates */
            if (pledgex__xw_is(t, e + k, "hcm"))
                s_cat(&b, "Hồ Chí Minh");
            else
                s_word(&b, t, e + k, caps ? 2 : 0);
        }
        e += pn;
        lvl = lv->disp;
    }
    int complete = gn || (h->flags & H_ALONE) || name_words ||
                   ((h->flags & H_LEVEL) && lv);
    if (!complete || b.oom) {
        free(b.s);
        return 0;
    }
    if (!m) {
        free(b.s);
        return (wrapped ? first_end : e) - i;
    }
    memset(m, 0, sizeof *m);
    m->display = b.s;
    if (wrapped) {
        /* Two pieces: the head line and the level line. */
        char *p1 = pledgex__x_span(t, i, first_end);
        char *p2 = pledgex__x_span(t, t->lines[W(e - 1)->line].w0, e);
        if (p1 && p2 && (m->text = malloc(strlen(p1) + strlen(p2) + 2)))
            sprintf(m->text, "%s %s", p1, p2);
        free(p1);
        free(p2);
    } else
        m->text = pledgex__x_span(t, i, e);
    if (lv && !strcmp(lv->f, "tinh") && lvl_len < b.n) {
        /* "Công an tỉnh Nghệ An" and "Công an Nghệ An" are one unit: the
         * province level says nothing the province name does not.  (Not so
         * below it: "huyện X" and "thị trấn X" differ.) */
        size_t drop = lvl_len - base_len;
        char *k = malloc(b.n - drop + 1);
        if (k) {
            memcpy(k, b.s, base_len);
            memcpy(k + base_len, b.s + lvl_len, b.n - lvl_len + 1);
            m->key = pledgex__unit_key(k);
            free(k);
        }
    } else
        m->key = pledgex__unit_key(b.s);
    char save = b.s[lvl_len];
    b.s[lvl_len] = '\0';
    m->key_lvl = pledgex__unit_key(b.s);
    b.s[lvl_len] = save;
    save = b.s[base_len];
    b.s[base_len] = '\0';
    m->key_base = pledgex__unit_key(b.s);
    b.s[base_len] = save;
    m->level = lvl ? strdup(lvl) : NULL;
    m->quality = quality;
    if (!m->text || !m->key || !m->key_lvl || !m->key_base || (lvl && !m->level)) {
        pledgex__x_unit_clear(m);
        return 0;
    }
    /* The gazetteer may know the whole name once the level is on it. */
    if (cx && cx->gz && m->quality < 3) {
        const char *gl = NULL;
        const char *gc = pledgex__gz_lookup(cx->gz, m->key, &gl);
        char *d = gc ? strdup(gc) : NULL;
        if (d) {
            free(m->display);
            m->display = d;
            m->quality = 3;
        }
    }
    return (wrapped ? first_end : e) - i;
}

void pledgex__x_unit_clear(px_unit *m)
{
    free(m->text);
    free(m->display);
    free(m->key);
    free(m->key_lvl);
    free(m->key_base);
    free(m->level);
    free(m->sigrole);
    memset(m, 0, sizeof *m);
}

int pledgex__x_unit_add(px_ctx *cx, px_unit *m)
{
    if (cx->nunits >= PX_MAX_UNITS) {
        pledgex__x_unit_clear(m);
        return 0;
    }
    if (cx->nunits == cx->capunits) {
        size_t ncap = cx->capunits ? cx->capunits * 2 : 16;
        px_unit *p = realloc(cx->units, ncap * sizeof *p);
        if (!p)
            return -1;
        cx->units = p;
        cx->capunits = ncap;
    }
    cx->units[cx->nunits++] = *m;
    memset(m, 0, sizeof *m);
    return 0;
}

/* Where a unit may start inside a capital segment: at its start, or after
 * a word that joins two names ("CỦA", "VÀ"). */
static int caps_start_ok(const px_text *t, size_t i, size_t seg_start)
{
    if (i == seg_start)
        return 1;
    return pledgex__xw_is(t, i - 1, "cua") || pledgex__xw_is(t, i - 1, "va") ||
           pledgex__xw_is(t, i - 1, "tai");
}

int pledgex__x_units(px_ctx *cx, const px_text *t)
{
    size_t i = 0;
    while (i < t->nw) {
        size_t seg = i;
        /* A capital segment of two words or more is read in caps mode. */
        if ((W(i)->flags & PX_W_UPPER) && !(W(i)->flags & PX_W_NUM)) {
            size_t ce = caps_end(t, i);
            if (ce - i >= 2) {
                size_t j = i;
                while (j < ce) {
                    px_unit m;
                    size_t n = caps_start_ok(t, j, seg) ? pledgex__x_unit_at(cx, t, j, ce, &m) : 0;
                    if (n) {
                        if (pledgex__x_unit_add(cx, &m)) {
                            pledgex__x_unit_clear(&m);
                            return -1;
                        }
                        j += n;
                        seg = j;
                    } else
                        j++;
                }
                i = ce;
                continue;
            }
        }
        px_unit m;
        size_t n = pledgex__x_unit_at(cx, t, i, 0, &m);
        if (n) {
            if (pledgex__x_unit_add(cx, &m)) {
                pledgex__x_unit_clear(&m);
                return -1;
            }
            i += n;
        } else
            i++;
    }
    return 0;
}
