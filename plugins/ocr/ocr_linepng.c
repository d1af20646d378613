/*
 * ocr_linepng.c -- tesseract's line images stored without zlib's effort.
 *
 * tesseract 5 wraps every text line it recognises in an ImageData, which
 * keeps the line as a PNG (ImageData::SetPixInternal calls pixWriteMem
 * with IFF_PNG) and decodes it again moments later.  leptonica compresses
 * that PNG at zlib's default level: 5% of the plugin's CPU on the benchmark
 * pages (bench/ocr), for a buffer that lives a few milliseconds.  No
 * setting reaches it: the level comes from the image's `special` field,
 * which the line image tesseract cuts out of the page does not inherit.
 *
 * So the plugin exports its own pixWriteMem (plugins/ocr/local.mk), and
 * the dynamic linker binds tesseract's call to it: in the scope of the
 * plugin's dlopen the plugin comes before leptonica.  A line-sized PNG is
 * written with zlib level 0 (the same pixels, stored rather than
 * deflated); every other call goes to leptonica's pixWriteMem unchanged.
 * Where the binding does not happen (leptonica already loaded globally, a
 * static build), nothing changes but the speed.
 */
#define _GNU_SOURCE
#include <config.h>

#include <dlfcn.h>
#include <leptonica/allheaders.h>

/* Taller images are not text lines (a page written as PNG by someone
 * else keeps leptonica's compression). */
#define LINE_MAX_HEIGHT 512

typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format);

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
    if (format == IFF_PNG && pix && pixGetHeight(pix) <= LINE_MAX_HEIGHT) {
        pixSetZlibCompression(pix, 0);
        return pixWriteMemPng(pdata, psize, pix, 0.0f);
    }
    /* Looked up on each call: rare (no other caller in a worker writes
     * images to memory), and no static state for threads to share. */
    write_mem_fn next;
    *(void **)&next = dlsym(RTLD_NEXT, "pixWriteMem"); /* POSIX's idiom */
    if (!next) /* RTLD_NEXT never finds the caller's own definition */
        return 1; /* leptonica's error value */
    return next(pdata, psize, pix, format);
}
