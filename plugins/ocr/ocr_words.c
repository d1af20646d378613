/*
 * ocr_words.c -- word-level checks on recognised text with hunspell:
 *   - how many words are neither Vietnamese nor known to tesseract (a page
 *     that reads as garbage needs a clerk's eye);
 *   - repairing Vietnamese syllables that came out with a wrong tone or
 *     vowel mark, the typical error of stock tesseract on Vietnamese.
 * Words valid as read are never changed.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hunspell.h>

#include "ocr.h"
#include "strbuf.h"
#include "textnorm.h"

#define VI_AFF "/usr/share/hunspell/vi_VN.aff"
#define VI_DIC "/usr/share/hunspell/vi_VN.dic"
#define EN_AFF "/usr/share/hunspell/en_US.aff"
#define EN_DIC "/usr/share/hunspell/en_US.dic"
/* Longest Vietnamese syllable ("nghiêng") is 7 letters; longer tokens are
 * not syllables and hunspell's suggestions get slow on them. */
#define MAX_SYLLABLE_BYTES 24

struct ocr_words {
    Hunhandle *vi, *en;
};

static Hunhandle *open_dict(const char *aff, const char *dic)
{
    FILE *f = fopen(dic, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return Hunspell_create(aff, dic);
}

ocr_words *pledgex__ocr_words_new(void)
{
    ocr_words *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->vi = open_dict(VI_AFF, VI_DIC);
    w->en = open_dict(EN_AFF, EN_DIC);
    return w;
}

void pledgex__ocr_words_free(ocr_words **w)
{
    if (!w || !*w)
        return;
    if ((*w)->vi)
        Hunspell_destroy((*w)->vi);
    if ((*w)->en)
        Hunspell_destroy((*w)->en);
    free(*w);
    *w = NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* ASCII punctuation around a word, e.g. "(Cụm" or "trưởng),". */
static int is_punct(unsigned char c)
{
    return c < 0x80 && c > ' ' && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                                    (c >= 'a' && c <= 'z'));
}

/* Core of a token: [*b, *e) without surrounding punctuation. */
static void trim(const char *s, size_t len, size_t *b, size_t *e)
{
    *b = 0;
    *e = len;
    while (*b < *e && is_punct((unsigned char)s[*b]))
        (*b)++;
    while (*e > *b && is_punct((unsigned char)s[*e - 1]))
        (*e)--;
}

/* 1 when the word has only letters (no digits, no inner punctuation). */
static int letters_only(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return 0;
    }
    return len > 0;
}

static int has_non_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

static int all_upper_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!(s[i] >= 'A' && s[i] <= 'Z'))
            return 0;
    return 1;
}

static int known(ocr_words *w, ocr_engine *eng, const char *word)
{
    if (w && w->vi && Hunspell_spell(w->vi, word))
        return 1;
    if (w && w->en && Hunspell_spell(w->en, word))
        return 1;
    return eng && pledgex__ocr_engine_valid_word(eng, word);
}

double pledgex__ocr_words_unknown_share(ocr_words *w, ocr_engine *eng,
                                        const char *text, int *nwords)
{
    int n = 0, bad = 0;
    const char *p = text;
    char word[256];
    while (*p) {
        while (*p && is_space(*p))
            p++;
        const char *start = p;
        while (*p && !is_space(*p))
            p++;
        size_t b, e, len = (size_t)(p - start);
        if (len == 0)
            break;
        trim(start, len, &b, &e);
        if (e - b == 0 || e - b >= sizeof word)
            continue;
        memcpy(word, start + b, e - b);
        word[e - b] = 0;
        if (!letters_only(word, e - b))
            continue;
        /* Short capitals are abbreviations ("UBND", "KH"). */
        if (all_upper_ascii(word, e - b) && e - b <= 6)
            continue;
        n++;
        if (!known(w, eng, word))
            bad++;
    }
    if (nwords)
        *nwords = n;
    return n ? (double)bad / n : 0.0;
}

/* Same letters once every mark is ignored (đ counts as d)? */
static int same_letters(const char *a, const char *b)
{
    char *fa = pledgex__fold_ascii(a, strlen(a));
    char *fb = pledgex__fold_ascii(b, strlen(b));
    int same = fa && fb && !strcmp(fa, fb);
    free(fa);
    free(fb);
    return same;
}

/* Same word under either tone-placement convention (hòa / hoà)? */
static int same_word(const char *a, const char *b)
{
    char *fa = pledgex__fold_exact(a, strlen(a));
    char *fb = pledgex__fold_exact(b, strlen(b));
    int same = fa && fb && !strcmp(fa, fb);
    free(fa);
    free(fb);
    return same;
}

/* The one Vietnamese syllable `word` could have been with other marks, or
 * NULL (none, or several: then we cannot know which).  Caller frees. */
static char *mark_fix(ocr_words *w, const char *word)
{
    char **sugg = NULL;
    int n = Hunspell_suggest(w->vi, &sugg, word);
    char *pick = NULL;
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (!same_letters(word, sugg[i]))
            continue;
        if (same_word(word, sugg[i])) {
            /* Valid under the other tone convention: keep as read. */
            count = 0;
            break;
        }
        if (pick && !strcmp(pick, sugg[i]))
            continue;
        count++;
        free(pick);
        pick = strdup(sugg[i]);
    }
    if (sugg)
        Hunspell_free_list(w->vi, &sugg, n);
    if (count != 1) {
        free(pick);
        return NULL;
    }
    return pick;
}

char *pledgex__ocr_words_fix_marks(ocr_words *w, const char *text, int *nfixed)
{
    *nfixed = 0;
    pledgex_strbuf out = {0};
    pledgex__sb_add(&out, "", 0);
    const char *p = text;
    char word[MAX_SYLLABLE_BYTES + 1];
    while (*p) {
        const char *sp = p;
        while (*p && is_space(*p))
            p++;
        pledgex__sb_add(&out, sp, (size_t)(p - sp));
        const char *start = p;
        while (*p && !is_space(*p))
            p++;
        size_t len = (size_t)(p - start), b, e;
        if (len == 0)
            break;
        trim(start, len, &b, &e);
        char *fix = NULL;
        /* Only words that were read with Vietnamese marks, are letters
         * only, and that no dictionary accepts as read. */
        if (w && w->vi && e - b > 0 && e - b <= MAX_SYLLABLE_BYTES) {
            memcpy(word, start + b, e - b);
            word[e - b] = 0;
            if (letters_only(word, e - b) && has_non_ascii(word, e - b) &&
                !known(w, NULL, word))
                fix = mark_fix(w, word);
        }
        if (fix) {
            pledgex__sb_add(&out, start, b);
            pledgex__sb_add(&out, fix, strlen(fix));
            pledgex__sb_add(&out, start + e, len - e);
            (*nfixed)++;
            free(fix);
        } else
            pledgex__sb_add(&out, start, len);
    }
    if (out.oom) {
        free(out.s);
        return NULL;
    }
    return out.s;
}
