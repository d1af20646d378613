/*
 * fuzz_photo_meta.c -- libFuzzer harness for the caption metadata readers
 * of the photo plugin: XMP (libxml2), IPTC (libiptcdata), EXIF (libexif,
 * from a file and from memory as in HEIF), JPEG/PNG comments, and the caption helpers (credit
 * inside a caption, dates).  They are called directly rather than through
 * process(), which also decodes the whole image for the page rule: that
 * costs most of the time and is covered by the fuzz_photo harness.
 *
 * Input format: the first byte picks the MIME type (JPEG, PNG, TIFF); the
 * rest is the file.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_host.h"
#include "links.h"
#include "photo.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_host_init(NULL);
    return 0;
}

static void check_err(const char *err, size_t errlen)
{
    if (!memchr(err, 0, errlen)) {
        fprintf(stderr, "fuzz_photo_meta: a reader left err without a NUL\n");
        abort();
    }
}

/* Touches every string the readers stored, so a dangling or unterminated
 * one shows up under ASan here rather than later in the host. */
static void use_meta(const photo_meta *m)
{
    for (size_t i = 0; i < m->ncaptions; i++) {
        (void)strlen(m->captions[i].text);
        free(pledgex__caption_credit(m->captions[i].text));
    }
    for (int s = 0; s < PHOTO_SRC_N; s++) {
        if (m->credit[s])
            (void)strlen(m->credit[s]);
        if (m->taken[s])
            (void)strlen(m->taken[s]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const mimes[] = {"image/jpeg", "image/png", "image/tiff"};
    if (size < 1)
        return 0;
    const char *mime = mimes[data[0] % 3];
    data++;
    size--;
    fuzz_host_write_input(data, size);
    const char *path = fuzz_host_input_path();

    photo_meta m = {0};
    char *err = malloc(256);
    if (!err)
        abort();
    err[0] = 0;
    pledgex__photo_read_xmp(path, PHOTO_SRC_XMP, &m, err, 256);
    check_err(err, 256);
    pledgex__photo_read_iptc(path, mime, &m, err, 256);
    check_err(err, 256);
    pledgex__photo_read_exif(path, mime, &m, err, 256);
    check_err(err, 256);
    pledgex__photo_read_comments(path, mime, &m);
    free(err);
    use_meta(&m);
    pledgex__photo_meta_clear(&m);

    /* The same bytes as an XMP packet and as an in-memory EXIF block. */
    photo_meta x = {0};
    pledgex__photo_parse_xmp((const char *)data, size, PHOTO_SRC_SIDECAR, &x);
    if (size >= 6 && !memcmp(data, "Exif\0\0", 6))
        pledgex__photo_read_exif_mem(data, size, &x);
    use_meta(&x);
    pledgex__photo_meta_clear(&x);

    /* The helpers on the bytes as text: date (EXIF, XMP or IPTC split in
     * date and time at the first space) and field decoding. */
    char *text = pledgex__photo_field_text(data, size, NULL);
    if (text) {
        char *sp = strchr(text, ' ');
        if (sp)
            *sp = 0;
        free(pledgex__photo_iso_date(text, sp ? sp + 1 : NULL));
        free(text);
    }
    return 0;
}
