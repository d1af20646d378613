/*
 * ocr_phrases.c -- repairs the marks of common administrative compounds.
 *
 * Tesseract's typical error on Vietnamese is the right letters with a
 * wrong tone or vowel mark, and some of those errors make a syllable that
 * exists on its own: both `vie` and the `Vietnamese` model read the
 * capitals "THI ĐUA" as "THỊ ĐUA" in DejaVu Sans.  A per-word check cannot
 * see that ("thị" is a word); the pair can: "thị đua" is no Vietnamese
 * compound, while "thi đua" is the commonest one in these documents.
 *
 * So two neighbouring words whose letters, marks removed, spell one of the
 * compounds below, but whose marks differ from it, are rewritten to it, in
 * the case they were read in.  The list holds compounds of public-sector
 * text chosen so that no other reading of the same bare letters is a
 * plausible pair of Vietnamese words: "cơ quan" is left out ("có quan
 * hệ"), so are "công an" ("công ăn việc làm"), "tài chính" ("tại chính
 * quyền"), "cán bộ" ("cần bổ sung"), "tự do" ("từ đó"), "việt nam" ("viết
 * năm"), "an toàn" ("ăn toàn"), "nội vụ" ("nói vụ này"), "chi tiêu",
 * "môi trường", "bí thư", "thanh tra" (the pomelo "thanh trà"), "cải
 * cách" ("cái cách") and the like; "chỉ thị" too ("không chỉ thi đua").
 * A word right as read in the compound that follows is left to it, and a
 * pair read as its compound under either tone convention (Ủy/Uỷ) is left as
 * it is.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ocr.h"
#include "strbuf.h"
#include "textnorm.h"

static const char *const COMPOUNDS[] = {
    "thi đua",      "giao ước",    "khen thưởng", "phong trào",  "nhân dân",    "ủy ban",
    "tư pháp",      "tòa án",      "kiểm sát",    "chính trị",   "kinh tế",     "xã hội",
    "nhiệm vụ",     "kế hoạch",    "thực hiện",   "phát triển",  "hành chính",  "đơn vị",
    "lực lượng",    "vũ trang",    "biên phòng",  "tỉnh ủy",     "huyện ủy",    "thành phố",
    "ký kết",       "cộng hòa",    "chủ nghĩa",   "độc lập",     "hạnh phúc",   "an ninh",
    "trật tự",      "giao thông",  "pháp luật",   "tuyên truyền", "giáo dục",   "đào tạo",
    "thể thao",     "du lịch",     "nông nghiệp", "công thương", "xây dựng",    "lao động",
    "đầu tư",       "thông tin",   "truyền thông", "khoa học",   "kho bạc",     "thống kê",
    "bảo hiểm",     "mặt trận",    "tổ quốc",     "thanh niên",  "phụ nữ",      "chiến binh",
    "nông dân",     "chỉ huy",     "thi hành",    "hội nghị",    "tổng kết",    "triển khai",
    "nhiệm kỳ",     "giai đoạn",   "hoàn thành",  "xuất sắc",    "tiên tiến",   "điển hình",
    "đại tá",       "thượng tá",   "trung tá",    "giám đốc",    "chánh án",    "viện trưởng",
    "cục trưởng",   "chủ tịch",    "chính ủy",    "cụm trưởng",  "cụm phó",     "khối trưởng",
    "quyết định",
};
#define NCOMPOUNDS (sizeof COMPOUNDS / sizeof COMPOUNDS[0])

size_t pledgex__ocr_phrases_count(void)
{
    return NCOMPOUNDS;
}

const char *pledgex__ocr_phrases_at(size_t i)
{
    return i < NCOMPOUNDS ? COMPOUNDS[i] : NULL;
}

static int is_letter(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           k == UTF8PROC_CATEGORY_MN;
}

/* One run of letters in the text. */
typedef struct word {
    size_t start, end; /* byte offsets */
} word;

typedef enum word_case { CASE_LOWER, CASE_TITLE, CASE_UPPER, CASE_MIXED } word_case;

static word_case case_of(const char *s, size_t len)
{
    int upper = 0, lower = 0, first_upper = 0, n = 0;
    utf8proc_ssize_t i = 0;
    while ((size_t)i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)len - i, &c);
        if (k <= 0)
            return CASE_MIXED;
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_LU) {
            upper++;
            if (n == 0)
                first_upper = 1;
        } else if (cat == UTF8PROC_CATEGORY_LL) {
            lower++;
        }
        n++;
        i += k;
    }
    if (lower == 0 && upper > 0)
        return upper == 1 && n == 1 ? CASE_TITLE : CASE_UPPER;
    if (upper == 0)
        return CASE_LOWER;
    return upper == 1 && first_upper ? CASE_TITLE : CASE_MIXED;
}

/* Appends syllable (lower case, NFC) to out in the given case. */
static void add_in_case(pledgex_strbuf *out, const char *syl, word_case wc)
{
    utf8proc_ssize_t i = 0, len = (utf8proc_ssize_t)strlen(syl);
    int first = 1;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)syl + i, len - i, &c);
        if (k <= 0)
            break;
        if (wc == CASE_UPPER || (wc == CASE_TITLE && first))
            c = utf8proc_toupper(c);
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t m = utf8proc_encode_char(c, buf);
        pledgex__sb_add(out, (const char *)buf, (size_t)m);
        first = 0;
        i += k;
    }
}

/* The words of text and whether only white space separates each from the
 * next.  Returns the count, or -1 when out of memory. */
static long words_of(const char *text, word **out, unsigned char **joined)
{
    size_t cap = 0, n = 0, len = strlen(text);
    word *w = NULL;
    unsigned char *j = NULL;
    utf8proc_ssize_t i = 0;
    int in_word = 0, gap_clean = 0;
    while ((size_t)i <= len) {
        utf8proc_int32_t c = 0;
        utf8proc_ssize_t k = 1;
        if ((size_t)i < len) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                 (utf8proc_ssize_t)len - i, &c);
            if (k <= 0) {
                c = -1;
                k = 1;
            }
        }
        int letter = (size_t)i < len && c >= 0 && is_letter(c);
        if (letter && !in_word) {
            if (n == cap) {
                size_t ncap = cap ? 2 * cap : 256;
                word *nw = realloc(w, ncap * sizeof *nw);
                unsigned char *nj = nw ? realloc(j, ncap) : NULL;
                if (nw)
                    w = nw;
                if (!nw || !nj) {
                    free(w);
                    free(j);
                    return -1;
                }
                j = nj;
                cap = ncap;
            }
            if (n > 0)
                j[n - 1] = (unsigned char)gap_clean;
            w[n].start = (size_t)i;
            j[n] = 0;
            n++;
            in_word = 1;
        } else if (!letter && in_word) {
            w[n - 1].end = (size_t)i;
            in_word = 0;
            gap_clean = 1;
        }
        if (!letter && (size_t)i < len && c != ' ' && c != '\t' && c != '\n')
            gap_clean = 0;
        i += k;
    }
    *out = w;
    *joined = j;
    return (long)n;
}

/* fold_ascii and fold_exact of s[0..len); -1 (both NULL) when out of memory. */
static int folds(const char *s, size_t len, char **bare, char **exact)
{
    *bare = pledgex__fold_ascii(s, len);
    *exact = pledgex__fold_exact(s, len);
    if (*bare && *exact)
        return 0;
    free(*bare);
    free(*exact);
    *bare = *exact = NULL;
    return -1;
}

/* A compound's forms: its bare letters ("thi dua"), and each word's exact
 * key (tone-canonical, lower case) and spelling as listed. */
typedef struct compound {
    char *bare;
    char *exact[2];
    char *word[2];
} compound;

static void compounds_free(compound *c)
{
    for (size_t i = 0; i < NCOMPOUNDS; i++) {
        free(c[i].bare);
        for (int k = 0; k < 2; k++) {
            free(c[i].exact[k]);
            free(c[i].word[k]);
        }
    }
}

/* Fills c[0..NCOMPOUNDS); -1 when out of memory (what was made is freed
 * by compounds_free). */
static int compounds_make(compound *c)
{
    for (size_t i = 0; i < NCOMPOUNDS; i++) {
        const char *s = COMPOUNDS[i], *sp = strchr(s, ' ');
        c[i].bare = pledgex__fold_ascii(s, strlen(s));
        c[i].word[0] = strndup(s, (size_t)(sp - s));
        c[i].word[1] = strdup(sp + 1);
        for (int k = 0; k < 2; k++)
            c[i].exact[k] = c[i].word[k] ? pledgex__fold_exact(c[i].word[k],
                                                               strlen(c[i].word[k]))
                                         : NULL;
        if (!c[i].bare || !c[i].exact[0] || !c[i].exact[1])
            return -1;
    }
    return 0;
}

/* The compound whose bare letters are "a b", or NULL. */
static const compound *compound_for(const char *a, const char *b, const compound *c)
{
    size_t la = strlen(a);
    for (size_t i = 0; i < NCOMPOUNDS; i++) {
        const char *k = c[i].bare;
        if (!strncmp(k, a, la) && k[la] == ' ' && !strcmp(k + la + 1, b))
            return &c[i];
    }
    return NULL;
}

/* 1 when words i and i + 1 are a compound read with its right marks. */
static int right_as_read(char *const *bare, char *const *exact, long i, const compound *c)
{
    const compound *m = compound_for(bare[i], bare[i + 1], c);
    return m && !strcmp(m->exact[0], exact[i]) && !strcmp(m->exact[1], exact[i + 1]);
}

char *pledgex__ocr_phrases_fix(const char *text, int *nfixed)
{
    *nfixed = 0;
    compound cs[NCOMPOUNDS];
    memset(cs, 0, sizeof cs);
    int oom = compounds_make(cs) != 0;
    word *w = NULL;
    unsigned char *joined = NULL;
    long n = oom ? -1 : words_of(text, &w, &joined);
    char **bare = n > 0 ? calloc((size_t)n, sizeof *bare) : NULL;
    char **exact = n > 0 ? calloc((size_t)n, sizeof *exact) : NULL;
    if (n < 0 || (n > 0 && (!bare || !exact)))
        oom = 1;
    for (long i = 0; i < n && !oom; i++)
        oom = folds(text + w[i].start, w[i].end - w[i].start, &bare[i], &exact[i]) != 0;

    pledgex_strbuf out = {0};
    pledgex__sb_add(&out, "", 0);
    size_t copied = 0;
    for (long i = 0; i + 1 < n && !oom; i++) {
        if (!joined[i])
            continue;
        const compound *m = compound_for(bare[i], bare[i + 1], cs);
        if (!m)
            continue;
        int differs[2] = {strcmp(m->exact[0], exact[i]) != 0,
                          strcmp(m->exact[1], exact[i + 1]) != 0};
        if (!differs[0] && !differs[1])
            continue;
        /* Syllables are dense: "tòa an ninh" spells "tòa án" too, but its
         * "an" is right as read in the compound that follows. */
        if (differs[1] && i + 2 < n && joined[i + 1] &&
            right_as_read(bare, exact, i + 1, cs))
            continue;
        word_case wc0 = case_of(text + w[i].start, w[i].end - w[i].start);
        word_case wc1 = case_of(text + w[i + 1].start, w[i + 1].end - w[i + 1].start);
        if (wc0 == CASE_MIXED || wc1 == CASE_MIXED)
            continue; /* "tHị": not a reading to guess the case of */
        /* Half a compound in capitals makes it all capitals: "ĐƠN Vĩ" is
         * tesseract losing the case of a marked capital, not a title. */
        if (wc0 == CASE_UPPER || wc1 == CASE_UPPER)
            wc0 = wc1 = CASE_UPPER;
        for (int k = 0; k < 2; k++) {
            const word *x = &w[i + k];
            if (!differs[k])
                continue;
            pledgex__sb_add(&out, text + copied, x->start - copied);
            add_in_case(&out, m->word[k], k == 0 ? wc0 : wc1);
            copied = x->end;
        }
        (*nfixed)++;
        i++; /* the second word is taken */
    }
    if (!oom)
        pledgex__sb_add(&out, text + copied, strlen(text + copied));
    for (long i = 0; i < n; i++) {
        if (bare)
            free(bare[i]);
        if (exact)
            free(exact[i]);
    }
    free(bare);
    free(exact);
    free(w);
    free(joined);
    compounds_free(cs);
    if (oom || out.oom) {
        free(out.s);
        *nfixed = 0;
        return NULL;
    }
    return out.s;
}
