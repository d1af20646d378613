/*
 * textfile.h -- (internal, shared by the text and article plugins) reading
 * a text file in any encoding encoding.h knows, and storing it as plain
 * text.
 */
#ifndef PLEDGEX_TEXT_TEXTFILE_H
#define PLEDGEX_TEXT_TEXTFILE_H

#include <stddef.h>

#include "encoding.h"
#include "pledgex-plugin.h"

/* Files above this are not text documents (limit "max_text_bytes"). */
#define TEXT_MAX_BYTES_DEFAULT (64LL << 20)

/* Reads in->path within the limit and decodes it to UTF-8 NFC.  Refuses
 * binary data (NUL bytes in what is not UTF-16, or mostly control
 * characters once decoded) with the reason.  On PLEDGEX_OK, *out is the
 * caller's (free out->text). */
int pledgex__text_load(const pledgex_host *host, pledgex_ctx *ctx, const pledgex_input *in,
                       pledgex_decoded *out, char *err, size_t errlen);

/* Stores the decoded text as one block of kind "text" with kind=text and
 * encoding=...; returns PLEDGEX_WARN (with a warning) when bytes were
 * replaced or dropped. */
int pledgex__text_emit_plain(const pledgex_host *host, pledgex_ctx *ctx,
                             const pledgex_decoded *d, char *err, size_t errlen);

/* The encoding attribute and the replaced-bytes warning alone (for plugins
 * that emit their own blocks); returns PLEDGEX_OK or PLEDGEX_WARN. */
int pledgex__text_report(const pledgex_host *host, pledgex_ctx *ctx, const pledgex_decoded *d,
                         char *err, size_t errlen);

/* What an article looks like (shared with the article plugin). */

/* A date in s: "19/03/2024 17:01", "17:01 19-3-2024",
 * "2024-03-19T17:01:00+07:00", "Thứ ba, 19/03/2024 - 17:01 (GMT+7)" ->
 * ISO 8601 ("2024-03-19T17:01"); at and len (may be NULL) receive where the
 * date text starts and its length in s.  NULL when none; caller frees. */
char *pledgex__text_find_date(const char *s, size_t *at, size_t *len);

/* 1 when the (trimmed) line is just an image file name or URL. */
int pledgex__text_image_line(const char *line);

/* 1 when plain text reads like a news article: a title line then a byline
 * with date and time within three lines, or a photo file name on a line of
 * its own with its caption under it. */
int pledgex__text_is_article(const char *text);

#endif
