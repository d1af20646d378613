/*
 * fuzz_encoding.c -- libFuzzer harness for the text decoder shared by the
 * text, article, photo and office plugins (plugins/text/encoding.c): the
 * encoding guess (UTF-8, UTF-16, CP1258, VISCII, TCVN3, VNI) and the
 * decoding with a given encoding, which metadata fields use.
 *
 * Input format: the first byte picks the encoding for pledgex__decode_as;
 * the rest is the text.  Whatever the bytes, the output must be valid UTF-8
 * of the length reported (encoding.h promises it).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "textnorm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *enc)
{
    fprintf(stderr, "fuzz_encoding: %s (%s)\n", what, enc);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[] = {"VNI", "CP1258", "VISCII", "TCVN",
                                            "UTF-16LE", "UTF-16BE", "UTF-8", "CP437"};
    if (size < 1)
        return 0;
    const char *as = encodings[data[0] % (sizeof encodings / sizeof encodings[0])];
    data++;
    size--;

    pledgex_decoded d;
    memset(&d, 0, sizeof d);
    if (pledgex__decode_text(data, size, &d) == 0) {
        if (!d.text || !d.encoding)
            fail("decode_text succeeded without text or encoding", "guess");
        if (strlen(d.text) != d.len)
            fail("decode_text reported a length other than the text's", d.encoding);
        if (!pledgex__utf8_valid(d.text, d.len))
            fail("decode_text returned invalid UTF-8", d.encoding);
        free(d.text);
    }
    char *t = pledgex__decode_as(data, size, as);
    if (t) {
        if (!pledgex__utf8_valid(t, strlen(t)))
            fail("decode_as returned invalid UTF-8", as);
        free(t);
    }
    (void)pledgex__is_utf8(data, size);
    return 0;
}
