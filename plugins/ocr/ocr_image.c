/*
 * ocr_image.c -- reading page images with leptonica: size checked from the
 * header before decoding, one TIFF page at a time, EXIF orientation applied,
 * every depth brought to 8 bpp gray or 32 bpp RGB with alpha flattened on
 * white (SetImage would otherwise drop the alpha and leave a transparent
 * background black).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libexif/exif-data.h>

#include "ocr.h"

struct ocr_image {
    char *path;
    int format;      /* IFF_* */
    int npages;
    int64_t max_pixels;
    int orientation; /* EXIF orientation 1..8 (1 when none) */
    int width, height; /* of a single image, from its header */
    PIX *given;        /* its decoding, handed over (ocr_image_adopt), or NULL */
};

/* ---- leptonica's messages ---------------------------------------------- */

static _Thread_local char lept_last[512];

static void lept_handler(const char *msg)
{
    /* Keep the last message as a failure reason; never print. */
    snprintf(lept_last, sizeof lept_last, "%s", msg);
    size_t n = strlen(lept_last);
    while (n > 0 && (lept_last[n - 1] == '\n' || lept_last[n - 1] == ' '))
        lept_last[--n] = 0;
}

void pledgex__ocr_lept_quiet(void)
{
    leptSetStderrHandler(lept_handler);
}

const char *pledgex__ocr_lept_last(void)
{
    return lept_last;
}

void pledgex__ocr_lept_clear(void)
{
    lept_last[0] = 0;
}

/* ---- header checks ----------------------------------------------------- */

static const char *format_name(int format)
{
    switch (format) {
    case IFF_BMP: return "BMP";
    case IFF_JFIF_JPEG: return "JPEG";
    case IFF_PNG: return "PNG";
    case IFF_TIFF: case IFF_TIFF_PACKBITS: case IFF_TIFF_RLE: case IFF_TIFF_G3:
    case IFF_TIFF_G4: case IFF_TIFF_LZW: case IFF_TIFF_ZIP: case IFF_TIFF_JPEG:
        return "TIFF";
    case IFF_PNM: return "PNM";
    case IFF_GIF: return "GIF";
    case IFF_JP2: return "JPEG 2000";
    case IFF_WEBP: return "WebP";
    case IFF_SPIX: return "SPIX";
    default: return "unknown";
    }
}

static int is_tiff(int format)
{
    return !strcmp(format_name(format), "TIFF");
}

static int check_size(int64_t w, int64_t h, int page, int npages, int64_t max_pixels,
                      char *err, size_t errlen)
{
    if (w <= 0 || h <= 0) {
        snprintf(err, errlen, "image header gives an invalid size %lldx%lld",
                 (long long)w, (long long)h);
        return PLEDGEX_FAILED;
    }
    if (max_pixels > 0 && w * h > max_pixels) {
        if (npages > 1)
            snprintf(err, errlen,
                     "page %d is %lldx%lld = %lld pixels, over the limit of %lld "
                     "(--max-pixels); not decoded",
                     page, (long long)w, (long long)h, (long long)(w * h),
                     (long long)max_pixels);
        else
            snprintf(err, errlen,
                     "image is %lldx%lld = %lld pixels, over the limit of %lld "
                     "(--max-pixels); not decoded",
                     (long long)w, (long long)h, (long long)(w * h), (long long)max_pixels);
        return PLEDGEX_FAILED;
    }
    return PLEDGEX_OK;
}

/* EXIF orientation of a JPEG (1 when absent or unreadable). */
static int exif_orientation(const char *path)
{
    ExifData *ed = exif_data_new_from_file(path);
    if (!ed)
        return 1;
    int o = 1;
    ExifEntry *e = exif_data_get_entry(ed, EXIF_TAG_ORIENTATION);
    if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1) {
        o = exif_get_short(e->data, exif_data_get_byte_order(ed));
        if (o < 1 || o > 8)
            o = 1;
    }
    exif_data_unref(ed);
    return o;
}

/* A JPEG whose end-of-image marker is missing from its last 64 KiB was
 * cut short.  Checked up front so the failure has a plain reason and
 * libjpeg never gets to print its own warning. */
static int jpeg_truncated(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char tail[65536];
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long from = size > (long)sizeof tail ? size - (long)sizeof tail : 0;
    size_t n = size > 0 && fseek(f, from, SEEK_SET) == 0 ? fread(tail, 1, sizeof tail, f) : 0;
    fclose(f);
    if (n < 2)
        return 1;
    for (size_t i = n - 1; i > 0; i--)
        if (tail[i - 1] == 0xFF && tail[i] == 0xD9)
            return 0;
    return 1;
}

int pledgex__ocr_image_open(const char *path, int64_t max_pixels, ocr_image **out,
                            char *err, size_t errlen)
{
    *out = NULL;
    pledgex__ocr_lept_clear();
    int format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (pixReadHeader(path, &format, &w, &h, &bps, &spp, &cmap) != 0) {
        /* leptonica's message here only repeats the (private) path. */
        snprintf(err, errlen, "not a readable image (unknown format or damaged header)");
        return PLEDGEX_FAILED;
    }
    int npages = 1;
    if (is_tiff(format)) {
        FILE *fp = fopen(path, "rb");
        if (!fp || tiffGetCount(fp, &npages) != 0 || npages < 1) {
            if (fp)
                fclose(fp);
            snprintf(err, errlen, "damaged TIFF: cannot count its pages");
            return PLEDGEX_FAILED;
        }
        fclose(fp);
        /* Each page's size is checked from its own header just before it
         * is decoded (pledgex__ocr_image_page): one oversized page fails
         * alone, the others are still read. */
    } else {
        int rc = check_size(w, h, 1, 1, max_pixels, err, errlen);
        if (rc != PLEDGEX_OK)
            return rc;
    }
    if (format == IFF_JFIF_JPEG && jpeg_truncated(path)) {
        snprintf(err, errlen, "truncated JPEG (no end-of-image marker); not decoded");
        return PLEDGEX_FAILED;
    }
    ocr_image *img = calloc(1, sizeof *img);
    if (!img || !(img->path = strdup(path))) {
        free(img);
        snprintf(err, errlen, "out of memory");
        return PLEDGEX_FATAL;
    }
    img->format = format;
    img->npages = npages;
    img->max_pixels = max_pixels;
    img->orientation = format == IFF_JFIF_JPEG ? exif_orientation(path) : 1;
    img->width = w;
    img->height = h;
    *out = img;
    return PLEDGEX_OK;
}

int pledgex__ocr_image_pages(const ocr_image *img)
{
    return img->npages;
}

void pledgex__ocr_image_adopt(ocr_image *img, PIX *pix)
{
    pixDestroy(&img->given);
    /* Only what this reader would have decoded: a single image of the
     * size its header gives. */
    if (pix && !is_tiff(img->format) && img->npages == 1 && pixGetWidth(pix) == img->width &&
        pixGetHeight(pix) == img->height)
        img->given = pix;
    else
        pixDestroy(&pix);
}

void pledgex__ocr_image_close(ocr_image **img)
{
    if (!img || !*img)
        return;
    pixDestroy(&(*img)->given);
    free((*img)->path);
    free(*img);
    *img = NULL;
}

/* An RGBA page composited on white, as pixAlphaBlendUniform(pix,
 * 0xffffff00) does (same values), in one pass: leptonica's general blend
 * copies the page and its alpha first and costs ~0.1 s on an A4 scan.
 * Returns a new 32 bpp RGB Pix or NULL. */
static PIX *flatten_on_white(PIX *pix)
{
    PIX *out = pixCreateTemplateNoInit(pix);
    if (!out)
        return NULL;
    pixSetSpp(out, 3);
    const l_uint32 white = 0xffffff00u;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    int wpls = pixGetWpl(pix), wpld = pixGetWpl(out);
    const l_uint32 *src = pixGetData(pix);
    l_uint32 *dst = pixGetData(out);
    for (int y = 0; y < h; y++) {
        const l_uint32 *ls = src + (size_t)y * wpls;
        l_uint32 *ld = dst + (size_t)y * wpld;
        for (int x = 0; x < w; x++) {
            l_uint32 v = ls[x];
            int a = (int)((v >> L_ALPHA_SHIFT) & 0xff);
            if (a == 255) {
                ld[x] = v & ~((l_uint32)0xff << L_ALPHA_SHIFT);
            } else if (a == 0) {
                ld[x] = white;
            } else {
                /* Paper weighted by transparency, the page by opacity. */
                float f = (float)(a / 255.);
                int r = (int)((1.0 - f) * 255 + f * (float)((v >> L_RED_SHIFT) & 0xff));
                int g = (int)((1.0 - f) * 255 + f * (float)((v >> L_GREEN_SHIFT) & 0xff));
                int b = (int)((1.0 - f) * 255 + f * (float)((v >> L_BLUE_SHIFT) & 0xff));
                ld[x] = ((l_uint32)r << L_RED_SHIFT) | ((l_uint32)g << L_GREEN_SHIFT) |
                        ((l_uint32)b << L_BLUE_SHIFT);
            }
        }
    }
    return out;
}

PIX *pledgex__ocr_normalise_depth(PIX *pix)
{
    PIX *p = pixGetColormap(pix) ? pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC)
                                 : pixClone(pix);
    if (!p)
        return NULL;
    PIX *q = NULL;
    switch (pixGetDepth(p)) {
    case 32:
        if (pixGetSpp(p) == 4) {
            /* Composite on white: transparent areas become paper. */
            q = flatten_on_white(p);
        } else
            q = pixClone(p);
        break;
    case 24:
        q = pixConvert24To32(p);
        break;
    case 16:
        q = pixConvert16To8(p, L_MS_BYTE);
        break;
    case 8:
        q = pixClone(p);
        break;
    default: /* 1, 2, 4 bpp */
        q = pixConvertTo8(p, 0);
        break;
    }
    pixDestroy(&p);
    if (q && pixGetColormap(q)) {
        /* A gray conversion can leave a colormap; one more pass removes it. */
        PIX *r = pixRemoveColormap(q, REMOVE_CMAP_BASED_ON_SRC);
        pixDestroy(&q);
        q = r;
    }
    return q;
}

/* Applies an EXIF orientation (1..8) to show the image upright. */
static PIX *apply_orientation(PIX *pix, int o)
{
    PIX *r = NULL, *t = NULL;
    switch (o) {
    case 2: return pixFlipLR(NULL, pix);
    case 3: return pixRotateOrth(pix, 2);
    case 4: return pixFlipTB(NULL, pix);
    case 5: /* transpose: quarter turn clockwise, then mirror */
        t = pixRotateOrth(pix, 1);
        r = t ? pixFlipLR(NULL, t) : NULL;
        pixDestroy(&t);
        return r;
    case 6: return pixRotateOrth(pix, 1);
    case 7: /* transverse: quarter turn clockwise, then flip */
        t = pixRotateOrth(pix, 1);
        r = t ? pixFlipTB(NULL, t) : NULL;
        pixDestroy(&t);
        return r;
    case 8: return pixRotateOrth(pix, 3);
    default: return pixClone(pix);
    }
}

int pledgex__ocr_image_page(ocr_image *img, int index, PIX **out, char *err,
                            size_t errlen)
{
    *out = NULL;
    if (index < 0 || index >= img->npages) {
        snprintf(err, errlen, "no page %d", index + 1);
        return PLEDGEX_FAILED;
    }
    pledgex__ocr_lept_clear();
    PIX *raw = NULL;
    if (is_tiff(img->format)) {
        int w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, f2 = 0;
        if (readHeaderTiff(img->path, index, &w, &h, &bps, &spp, &res, &cmap, &f2) != 0) {
            snprintf(err, errlen, "damaged TIFF: cannot read the header of page %d", index + 1);
            return PLEDGEX_FAILED;
        }
        int rc = check_size(w, h, index + 1, img->npages, img->max_pixels, err, errlen);
        if (rc != PLEDGEX_OK)
            return rc;
        raw = pixReadTiff(img->path, index);
    } else if (img->given) {
        raw = img->given;
        img->given = NULL;
    } else if (img->format == IFF_JFIF_JPEG) {
        /* Hint 0: a truncated or corrupt JPEG fails instead of coming back
         * half gray (L_JPEG_CONTINUE_WITH_BAD_DATA): its text would be
         * silently incomplete. */
        int nwarn = 0;
        raw = pixReadJpeg(img->path, 0, 1, &nwarn, 0);
    } else
        raw = pixRead(img->path);
    if (!raw) {
        /* leptonica's reason, without the (private) path it may name. */
        char why[512];
        snprintf(why, sizeof why, "%s", pledgex__ocr_lept_last());
        char *at = strstr(why, img->path);
        if (at) {
            *at = 0;
            char *in_file = strstr(why, " in file ");
            if (in_file)
                *in_file = 0;
        }
        if (img->npages > 1)
            snprintf(err, errlen, "cannot decode page %d of this %s image%s%s", index + 1,
                     format_name(img->format), why[0] ? ": " : "", why);
        else
            snprintf(err, errlen, "cannot decode this %s image (truncated or damaged%s%s)",
                     format_name(img->format), why[0] ? ": " : "", why);
        return PLEDGEX_FAILED;
    }
    PIX *flat = pledgex__ocr_normalise_depth(raw);
    PIX *up = flat ? apply_orientation(flat, img->orientation) : NULL;
    if (up && pixGetXRes(up) <= 0 && pixGetXRes(raw) > 0)
        pixCopyResolution(up, raw);
    pixDestroy(&raw);
    pixDestroy(&flat);
    if (!up) {
        snprintf(err, errlen, "out of memory converting the image");
        return PLEDGEX_FAILED;
    }
    *out = up;
    return PLEDGEX_OK;
}
