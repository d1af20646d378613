/*
 * textnorm.h -- (internal) Vietnamese-aware text normalisation shared by the
 * pipeline, extraction and the search tokenizer.  All functions return a new
 * NUL-terminated UTF-8 string the caller frees, or NULL when out of memory.
 */
#ifndef PLEDGEX_TEXTNORM_H
#define PLEDGEX_TEXTNORM_H

#include <stddef.h>
#include <stdint.h>

/* Valid UTF-8, NFC.  Invalid byte sequences become U+FFFD; *nbad (may be
 * NULL) receives how many were replaced.  NUL bytes are dropped. */
char *pledgex__nfc(const char *s, size_t len, size_t *nbad);

/* NFC with the tone mark of every syllable moved to one canonical place
 * (the "new" convention: hoà, uỷ, toà), case preserved.  Two spellings of one
 * word under either convention give the same string. */
char *pledgex__tone_canonical(const char *s, size_t len);

/* Lower case + tone_canonical: the exact-accent search key. */
char *pledgex__fold_exact(const char *s, size_t len);

/* Lower case, every diacritic removed and đ -> d: the accent-free key
 * ("Đảng bộ" -> "dang bo"). */
char *pledgex__fold_ascii(const char *s, size_t len);

/* The one code point a character folds to when case and marks are
 * removed (Ế -> e, đ -> d), or -1 when it folds to several or to none (ß,
 * a lone combining mark): callers then take the general path.  Memoised:
 * the inner loop of extraction calls it for every letter. */
int32_t pledgex__fold_char(int32_t cp);

/* 1 when s[0..len) is valid UTF-8. */
int pledgex__utf8_valid(const char *s, size_t len);

#endif
