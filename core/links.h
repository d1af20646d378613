/*
 * links.h -- (internal) matching photos to the articles that caption them.
 * An article names its photos by file name ("photo.ref" attributes); a photo
 * document is known by its own name.  Both reduce to a key that forgives
 * case, diacritics, spacing and punctuation; near keys (typos) are compared
 * with an edit distance.
 */
#ifndef PLEDGEX_LINKS_H
#define PLEDGEX_LINKS_H

#include <stddef.h>

/* Key of a file name: base name without extension, accent-folded, only
 * [a-z0-9], e.g. "Đại diện ... thi dua.JPG" -> "daidien...thidua".  Caller
 * frees; NULL for an empty key. */
char *pledgex__photo_key(const char *file_name);

/* 1 when two keys name the same photo: equal, or long enough and within a
 * small edit distance (typos in real file names). */
int pledgex__photo_keys_match(const char *a, const char *b);

/* Length of the folder part of an address: up to and including its last
 * '/' or '!' ("a.zip!2024/IMG.JPG" -> "a.zip!2024/"), 0 when none. */
size_t pledgex__address_folder_len(const char *address);

/* 1 for the MIME types of a sidecar caption file (NAME.txt, NAME.xmp). */
int pledgex__sidecar_mime(const char *mime);

/* The credit written at the end of a caption ("... Ảnh: KL", "(Ảnh: Thu
 * Hà)", "Photo: ..."), or NULL.  Caller frees.  Shared with the photo
 * plugin (which compiles this file). */
char *pledgex__caption_credit(const char *caption);

#endif
