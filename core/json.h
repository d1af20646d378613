/*
 * json.h -- (internal) JSON escaping into a growable string, for the export
 * format and --json output.
 */
#ifndef PLEDGEX_JSON_H
#define PLEDGEX_JSON_H

#include <stddef.h>

#include "strbuf.h"

/* A JSON string literal (with quotes), or null when s is NULL. */
void pledgex__sb_json_str(pledgex_strbuf *b, const char *s);

#endif
