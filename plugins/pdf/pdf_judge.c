/*
 * pdf_judge.c -- deciding whether a page's text layer can be trusted.
 *
 * Born-digital pages carry their text; scanned pages carry none, or a few
 * stray glyphs (a scanner's stamp, "Scanned by ..."), or an OCR layer.  The
 * hard case is the legacy Vietnamese 8-bit fonts (TCVN3 ".VnTime", VNI):
 * the glyphs look right on screen but the text layer holds the font's byte
 * codes read as Latin-1, "Hội nghị" comes out as "Héi nghÞ".  Such a layer
 * is unsearchable, so the page is OCR'd instead.
 *
 * The check does not need a dictionary: Vietnamese is written in syllables
 * of a rigid shape (onset, rhyme, one tone mark), and mojibake breaks that
 * shape in almost every accented word (symbols such as ¸ µ ¶ inside words,
 * letters like Þ ñ ÷ å that Vietnamese never uses, tones on stop endings
 * they cannot take).  Words the check cannot judge (ASCII, other scripts)
 * count for nothing either way, so English or Russian text is left alone.
 */
#include <config.h>

#include <string.h>

#include "pdf.h"

/* Thresholds, set from the test fixtures' mojibake (over 70% of the accented
 * words invalid) and real Vietnamese text (under 2%). */
#define JUDGE_MIN_INVALID 3         /* invalid words needed to call mojibake, */
#define JUDGE_MIN_JUDGED 8          /* ... with this many accented words, or   */
#define JUDGE_MIN_LEGACY 2          /* ... this many words with a TCVN3 trace  */
#define JUDGE_MAX_INVALID 0.35      /* share of invalid accented words        */
#define JUDGE_MAX_UNDECODABLE 0.10  /* share of U+FFFD/control/private chars   */
#define JUDGE_STRAY_LETTERS 200     /* fewer letters than this, ...            */
#define JUDGE_STRAY_TEXT 0.02       /* ... in boxes covering less of the page, */
#define JUDGE_STRAY_COVER PDF_SCAN_COVER /* ... over a picture this big    */
#define JUDGE_UNMARKED_MIN 20       /* plain words needed to call "unmarked"  */
#define JUDGE_UNMARKED_SHAPED 0.8   /* share of them shaped like syllables... */
#define JUDGE_UNMARKED_MARKED 0.1   /* ... with fewer accented words than this */

static const char *const onsets[] = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d",
    "đ",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x", "",
};

/* Every rhyme of standard Vietnamese, without its tone. */
static const char *const rhymes[] = {
    "a", "ai", "ao", "au", "ay", "ac", "ach", "am", "an", "ang", "anh", "ap", "at",
    "ăc", "ăm", "ăn", "ăng", "ăp", "ăt",
    "âc", "âm", "ân", "âng", "âp", "ât", "âu", "ây",
    "e", "eo", "ec", "em", "en", "eng", "ep", "et",
    "ê", "êu", "êch", "êm", "ên", "ênh", "êp", "êt",
    "i", "ia", "iu", "ich", "im", "in", "inh", "ip", "it",
    "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu",
    "o", "oi", "oc", "om", "on", "ong", "op", "ot", "ooc", "oong",
    "oa", "oai", "oao", "oay", "oac", "oach", "oam", "oan", "oang", "oanh", "oap", "oat",
    "oăc", "oăm", "oăn", "oăng", "oăt",
    "oe", "oeo", "oen", "oet", "oem",
    "ô", "ôi", "ôc", "ôm", "ôn", "ông", "ôp", "ôt",
    "ơ", "ơi", "ơm", "ơn", "ơp", "ơt",
    "u", "ua", "ui", "uc", "um", "un", "ung", "up", "ut",
    "uân", "uâng", "uât", "uây",
    "uê", "uêch", "uênh", "uêu",
    "uy", "uya", "uych", "uyên", "uyêt", "uyn", "uynh", "uyt", "uyu",
    "uôc", "uôi", "uôm", "uôn", "uông", "uôt",
    "uơ",
    "ư", "ưa", "ưi", "ưu", "ưc", "ưm", "ưn", "ưng", "ưt",
    "ươc", "ươi", "ươm", "ươn", "ương", "ươp", "ươt", "ươu",
    "y", "yêm", "yên", "yêt", "yêu",
};

enum { TONE_NONE, TONE_GRAVE, TONE_ACUTE, TONE_HOOK, TONE_TILDE, TONE_DOT };

static int tone_of(gunichar m)
{
    switch (m) {
    case 0x0300: return TONE_GRAVE;
    case 0x0301: return TONE_ACUTE;
    case 0x0309: return TONE_HOOK;
    case 0x0303: return TONE_TILDE;
    case 0x0323: return TONE_DOT;
    default: return -1;
    }
}

/* Appends one toneless letter (base + optional vowel mark) to the skeleton.
 * Returns 0 when the combination is not a Vietnamese letter. */
static int put_letter(GString *sk, gunichar base, gunichar mark)
{
    if (!mark) {
        if (base > 0x7f || !g_ascii_islower((char)base))
            return 0;
        g_string_append_c(sk, (char)base);
        return 1;
    }
    static const struct {
        char base;
        gunichar mark;
        const char *out;
    } marked[] = {
        {'a', 0x0306, "ă"}, {'a', 0x0302, "â"}, {'e', 0x0302, "ê"},
        {'o', 0x0302, "ô"}, {'o', 0x031B, "ơ"}, {'u', 0x031B, "ư"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(marked); i++)
        if ((gunichar)marked[i].base == base && marked[i].mark == mark) {
            g_string_append(sk, marked[i].out);
            return 1;
        }
    return 0;
}

static int is_vowel(gunichar c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Lower-cased word -> toneless skeleton ("nghiệp" -> "nghiêp") and its tone.
 * Returns 0 when a character cannot belong to a Vietnamese syllable. */
static int skeleton(const char *w, GString *sk, int *tone)
{
    *tone = TONE_NONE;
    for (const char *p = w; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == 0x0111) { /* đ has no decomposition */
            g_string_append(sk, "đ");
            continue;
        }
        gunichar d[8];
        gsize n = g_unichar_fully_decompose(c, FALSE, d, G_N_ELEMENTS(d));
        if (n == 0 || n > 3)
            return 0;
        gunichar vmark = 0;
        for (gsize i = 1; i < n; i++) {
            int t = tone_of(d[i]);
            if (t > 0) {
                if (*tone != TONE_NONE || !is_vowel(d[0]))
                    return 0;
                *tone = t;
            } else if (!vmark)
                vmark = d[i];
            else
                return 0;
        }
        if (!put_letter(sk, d[0], vmark))
            return 0;
    }
    return 1;
}

static int known_rhyme(const char *r)
{
    for (size_t i = 0; i < G_N_ELEMENTS(rhymes); i++)
        if (!strcmp(rhymes[i], r))
            return 1;
    return 0;
}

static int stop_ending(const char *r)
{
    size_t n = strlen(r);
    char last = n ? r[n - 1] : 0;
    return last == 'c' || last == 'p' || last == 't' || (n >= 2 && !strcmp(r + n - 2, "ch"));
}

/* The syllable check; with strict_tone, stop endings need sắc or nặng
 * (which an unmarked word cannot have). */
static int syllable(const char *word, size_t len, int strict_tone);

int pledgex__pdf_viet_syllable(const char *word, size_t len)
{
    return syllable(word, len, 1);
}

static int syllable(const char *word, size_t len, int strict_tone)
{
    if (!word || len == 0 || !g_utf8_validate(word, (gssize)len, NULL))
        return 0;
    char *low = g_utf8_strdown(word, (gssize)len);
    char *nfc = low ? g_utf8_normalize(low, -1, G_NORMALIZE_NFC) : NULL;
    g_free(low);
    if (!nfc)
        return 0;
    GString *sk = g_string_new(NULL);
    int tone = TONE_NONE, ok = 0;
    if (skeleton(nfc, sk, &tone)) {
        for (size_t i = 0; i < G_N_ELEMENTS(onsets) && !ok; i++) {
            size_t n = strlen(onsets[i]);
            if (strncmp(sk->str, onsets[i], n) != 0)
                continue;
            const char *rhyme = sk->str + n;
            if (known_rhyme(rhyme))
                ok = !strict_tone || !stop_ending(rhyme) || tone == TONE_ACUTE ||
                     tone == TONE_DOT;
        }
    }
    g_string_free(sk, TRUE);
    g_free(nfc);
    return ok;
}

static int undecodable(gunichar c)
{
    return c == 0xFFFD || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
           (c >= 0x7f && c <= 0x9f) || (c >= 0xE000 && c <= 0xF8FF);
}

/* Characters that can occur in a Latin-script word the judge looks at:
 * Latin-1 letters and symbols (where TCVN3 puts its letters), Latin
 * Extended-A/B and Additional (Vietnamese letters), combining marks. */
static int latin_nonascii(gunichar c)
{
    return (c >= 0xA1 && c <= 0x24F) || (c >= 0x1E00 && c <= 0x1EFF) ||
           (c >= 0x300 && c <= 0x36F);
}

/* Punctuation trimmed from both ends of a word before it is judged: ASCII
 * punctuation and the usual typographic quotes, dashes and brackets.  The
 * Latin-1 symbols are NOT trimmed: in TCVN3 they are letters. */
static int trim_char(gunichar c)
{
    if (c < 0x80)
        return g_ascii_ispunct((char)c);
    return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D || c == 0x2013 ||
           c == 0x2014 || c == 0x2026 || c == 0xAB || c == 0xBB || c == 0x2022;
}

/* Judges one word (already split on spaces, hyphens and slashes). */
static void judge_word(const char *w, size_t len, pdf_layer_stats *st)
{
    const char *end = w + len;
    while (w < end && trim_char(g_utf8_get_char(w)))
        w = g_utf8_next_char(w);
    while (end > w) {
        const char *prev = g_utf8_prev_char(end);
        if (!trim_char(g_utf8_get_char(prev)))
            break;
        end = prev;
    }
    if (w >= end)
        return;
    int nonascii = 0, foreign = 0;
    for (const char *p = w; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x80)
            continue;
        if (latin_nonascii(c))
            nonascii = 1;
        else
            foreign = 1;
    }
    /* ASCII words cannot be judged (English, numbers, unaccented syllables),
     * nor words of other scripts; plain letters are counted for the
     * "Vietnamese without marks" check. */
    if (!nonascii && !foreign) {
        int letters = 1;
        for (const char *p = w; p < end && letters; p++)
            letters = g_ascii_isalpha(*p);
        if (letters) {
            st->plain++;
            if (syllable(w, (size_t)(end - w), 0))
                st->plain_viet++;
        }
        return;
    }
    if (foreign)
        return;
    st->judged++;
    /* TCVN3 puts letters on Latin-1 symbols and capitals: "ph¸t", "nghÞ".
     * French or German words never look like that. */
    gunichar prev = 0;
    for (const char *p = w; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        int symbol = (c >= 0xA1 && c <= 0xBF) || c == 0xD7 || c == 0xF7;
        int capital_inside = c >= 0xC0 && g_unichar_isupper(c) && prev && g_unichar_islower(prev);
        if ((symbol && (prev || g_utf8_next_char(p) < end)) || capital_inside) {
            st->legacy++;
            break;
        }
        prev = c;
    }
    if (!pledgex__pdf_viet_syllable(w, (size_t)(end - w)))
        st->invalid++;
}

pdf_verdict pledgex__pdf_judge(const char *utf8, double image_cover, double text_cover,
                               pdf_layer_stats *stp)
{
    pdf_layer_stats local, *st = stp ? stp : &local;
    memset(st, 0, sizeof *st);
    if (!utf8)
        return PDF_LAYER_EMPTY;
    if (!g_utf8_validate(utf8, -1, NULL)) {
        st->chars = st->undecodable = 1;
        return PDF_LAYER_UNDECODABLE;
    }
    char *nfc = g_utf8_normalize(utf8, -1, G_NORMALIZE_NFC);
    if (!nfc)
        return PDF_LAYER_UNDECODABLE;
    const char *word = NULL;
    for (const char *p = nfc;; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        int sep = c == 0 || g_unichar_isspace(c) || c == '-' || c == '/' || c == 0xAD;
        if (c && !g_unichar_isspace(c)) {
            st->chars++;
            if (g_unichar_isalpha(c))
                st->letters++;
            if (undecodable(c))
                st->undecodable++;
        }
        if (sep) {
            if (word)
                judge_word(word, (size_t)(p - word), st);
            word = NULL;
        } else if (!word)
            word = p;
        if (!c)
            break;
    }
    g_free(nfc);

    if (st->chars == 0)
        return PDF_LAYER_EMPTY;
    if (st->undecodable > JUDGE_MAX_UNDECODABLE * st->chars)
        return PDF_LAYER_UNDECODABLE;
    if (st->invalid >= JUDGE_MIN_INVALID && st->invalid > JUDGE_MAX_INVALID * st->judged &&
        (st->judged >= JUDGE_MIN_JUDGED || st->legacy >= JUDGE_MIN_LEGACY))
        return PDF_LAYER_MOJIBAKE;
    if (st->letters < JUDGE_STRAY_LETTERS && text_cover < JUDGE_STRAY_TEXT &&
        image_cover >= JUDGE_STRAY_COVER)
        return PDF_LAYER_STRAY;
    /* Over a scan, Vietnamese read without its marks is an OCR layer made
     * for another language: our OCR does better.  Typed without marks (no
     * picture behind), it is what the author wrote: kept. */
    if (image_cover >= JUDGE_STRAY_COVER && st->plain >= JUDGE_UNMARKED_MIN &&
        st->plain_viet >= JUDGE_UNMARKED_SHAPED * st->plain &&
        st->judged < JUDGE_UNMARKED_MARKED * (st->judged + st->plain))
        return PDF_LAYER_UNMARKED;
    return PDF_LAYER_REAL;
}

const char *pledgex__pdf_verdict_name(pdf_verdict v)
{
    switch (v) {
    case PDF_LAYER_REAL: return "a real text layer";
    case PDF_LAYER_EMPTY: return "no text layer";
    case PDF_LAYER_STRAY: return "a few glyphs over a scanned image";
    case PDF_LAYER_MOJIBAKE: return "a legacy-font (TCVN3/VNI) text layer";
    case PDF_LAYER_UNDECODABLE: return "an undecodable text layer";
    case PDF_LAYER_UNMARKED: return "a text layer of Vietnamese without its marks";
    }
    return "?";
}
