/*
 * pledgex-plugin.h -- the whole ABI between pledgex and its plugins.
 *
 * A plugin is a shared module that exports exactly one symbol,
 * PLEDGEX_PLUGIN_ENTRY ("pledgex_plugin_entry"), a function returning a
 * pointer to a static pledgex_plugin descriptor.  The host checks the ABI
 * major version (must be equal) and minor version (host >= plugin), then
 * routes every input whose MIME type matches one of the plugin's claims to
 * its process() callback.
 *
 * Plugins never touch the index.  Everything they find goes back to the host
 * through the pledgex_host services handed to init() and the pledgex_ctx
 * handed to process():
 *   - blocks of text (kind, page, text, confidence, flags),
 *   - attributes of the document (caption, credit, date taken, encoding...),
 *   - child inputs (archive members), routed like any other file,
 *   - delegation of a file to another plugin (a photo that turns out to be a
 *     scanned page goes to "ocr"; a PDF page rendered to PNG goes to "ocr"),
 *   - progress, limits, options, cancellation, warnings, a private temp dir.
 *
 * Ownership: every pointer the host hands to a plugin is borrowed and valid
 * only for the duration of the call that received it (or, for the
 * pledgex_input, for the duration of process()).  Every string a plugin
 * hands to the host is copied by the host before the call returns.
 *
 * Threads and processes: init() is called once, when the plugin is loaded,
 * in the process that loads it; a failing init() refuses the plugin.  Keep it
 * cheap and create heavy resources (a TessBaseAPI) lazily in process(): the
 * host forks its worker processes after loading, so each worker inherits the
 * state and builds its own heavy resources once, on first use.  fini() runs
 * when the engine is freed.  process() is never called concurrently on the
 * same state.  Plugins are never dlclose()d (C++/OpenMP libraries do not
 * survive it).
 */
#ifndef PLEDGEX_PLUGIN_H
#define PLEDGEX_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PLEDGEX_PLUGIN_ABI_MAJOR 1
#define PLEDGEX_PLUGIN_ABI_MINOR 2
#define PLEDGEX_PLUGIN_ENTRY "pledgex_plugin_entry"

/* Graded return codes, shared with the library (see pledgex.h). */
#define PLEDGEX_OK 0        /* success                                     */
#define PLEDGEX_WARN (-20)  /* success with a warning (message filled)     */
#define PLEDGEX_SKIP (-22)  /* input deliberately not processed (reason)   */
#define PLEDGEX_FAILED (-25)/* this input failed; the batch goes on         */
#define PLEDGEX_FATAL (-30) /* the plugin/handle is unusable               */

/* Flags of a text block. */
#define PLEDGEX_BLOCK_NEEDS_REVIEW 0x1u /* low confidence or garbage: check by eye */

/* Opaque per-input context owned by the host. */
typedef struct pledgex_ctx pledgex_ctx;

/* A MIME pattern the plugin claims: an exact type ("image/png"), a prefix
 * ending in a star ("image/x-" + "*", "image/" + "*"), or any type (a star,
 * slash, star).  Higher priority wins when several plugins match; ties are
 * broken by the more specific pattern.  Arrays end with {NULL, 0}. */
typedef struct pledgex_claim {
    const char *mime;
    int priority;
} pledgex_claim;

/* One input handed to process(). */
typedef struct pledgex_input {
    const char *address; /* "batch.zip!2024/photos.tar.gz!IMG_0528.JPG"        */
    const char *name;    /* last component: "IMG_0528.JPG" (member path inside  */
                         /* its archive for members: "2024/IMG_0528.JPG")        */
    const char *path;    /* a regular file to read (original or private copy)   */
    const char *mime;    /* detected type                                       */
    uint64_t size;       /* bytes                                               */
    int depth;           /* 0 top level, +1 per archive level                   */
} pledgex_input;

/* One block of text. */
typedef struct pledgex_block {
    const char *kind;  /* "text", "ocr", "caption", "title", "body", "pdf-text" */
    int page;          /* 1-based page, 0 when not paged                          */
    const char *text;  /* UTF-8; the host normalises to NFC                        */
    double confidence; /* 0..1, or -1 when not applicable                          */
    unsigned flags;    /* PLEDGEX_BLOCK_*                                          */
} pledgex_block;

/*
 * Services of the host.  The table grows only at the end (minor version);
 * check struct_size before using a member added after 1.0.
 */
typedef struct pledgex_host {
    size_t struct_size;
    unsigned abi_major, abi_minor;

    /* Add a text block to the current document. */
    int (*emit_block)(pledgex_ctx *ctx, const pledgex_block *block);

    /* Set a document attribute.  Known keys (exported by name):
     *   caption.text, caption.credit, caption.source (xmp|iptc|exif|xpcomment|
     *   sidecar|ocr|article), taken (ISO 8601), encoding, title, byline,
     *   published (ISO 8601), kind (scan|photo|article|text), pdf.
     * A key given twice keeps both values in order (e.g. "photo.ref" of an
     * article: "FILE.JPG\tcaption text"; "caption.alt": "source\ttext"). */
    int (*set_attr)(pledgex_ctx *ctx, const char *key, const char *value);

    /* Hand a member of an archive back to the pipeline.  `member` is its name
     * inside the container (UTF-8, as stored: the host sanitises it for
     * display and never uses it as a file-system path).  The content is a
     * regular file (path) the plugin created in tmpdir(); the host may process
     * it before returning and the plugin deletes it afterwards.  The returned
     * code is informational: a failed child never fails its parent. */
    int (*emit_child_file)(pledgex_ctx *ctx, const char *member, const char *path);

    /* Record a member that was not extracted (over a limit, encrypted, a
     * link or device): it appears in the index with status "skipped" or
     * "failed" and the reason. */
    int (*record_member)(pledgex_ctx *ctx, const char *member, int status,
                         const char *reason);

    /* Run another plugin (by name, e.g. "ocr") on a file, emitting its blocks
     * into the current document.  page_offset is added to its page numbers.
     * Returns that plugin's code; PLEDGEX_SKIP when no such plugin is loaded. */
    int (*delegate)(pledgex_ctx *ctx, const char *plugin, const char *path,
                    const char *mime, int page_offset, char *err, size_t errlen);

    /* Progress within the current input, 0..1, with an optional label. */
    void (*progress)(pledgex_ctx *ctx, double fraction, const char *what);

    /* A numeric limit by name, or `fallback` when unset.  Names:
     *   max_pixels, page_timeout_s, max_depth, max_member_bytes,
     *   max_total_bytes, max_ratio, max_members, max_pages, jobs. */
    int64_t (*limit)(pledgex_ctx *ctx, const char *name, int64_t fallback);

    /* A string option by name (lang, password, password_file, pdf_out), or
     * NULL.  Borrowed. */
    const char *(*option)(pledgex_ctx *ctx, const char *name);

    /* Non-zero when the user interrupted or the input ran out of time. */
    int (*cancelled)(pledgex_ctx *ctx);

    /* A warning about the current input (shown to the user, kept in the
     * index). */
    void (*warn)(pledgex_ctx *ctx, const char *message);

    /* A private (0700) directory for temporary files of this input; the host
     * removes it and anything left in it after process() returns. */
    const char *(*tmpdir)(pledgex_ctx *ctx);

    /* Since ABI 1.1 (check struct_size first; NULL in older hosts).  The
     * text of the blocks emitted into the current document so far, from
     * block `first` (0-based) on, joined by newlines, or NULL when there are
     * none (or out of memory).  *count (may be NULL) receives the number of
     * blocks the document has.  The caller frees the text.  It lets a plugin
     * read what a delegate found: the photo plugin makes the OCR'd caption
     * of an album page the photo's caption. */
    char *(*doc_text)(pledgex_ctx *ctx, size_t first, size_t *count);

    /* Since ABI 1.2 (check struct_size first; NULL in older hosts).  A
     * decoded form of a file, handed from one plugin to the next one that
     * reads the same file for the current document, so a delegate does not
     * decode again what its caller just decoded: the photo plugin decodes a
     * page to find out that it is a page, then OCR reads it.  `kind` names
     * the object's type as the two plugins agree on it (see
     * PLEDGEX_HANDOFF_PIX).
     * handoff_put: the host owns `object` from then on, and calls
     *   release(object) when nobody has taken it by the time the document
     *   is done.  A second put for the same path and kind releases the
     *   first.  Returns PLEDGEX_OK, or PLEDGEX_FATAL (out of memory: the
     *   object has been released).
     * handoff_take: the object put for this path and kind, now the
     *   caller's, or NULL (none, or taken already). */
    int (*handoff_put)(pledgex_ctx *ctx, const char *path, const char *kind, void *object,
                       void (*release)(void *object));
    void *(*handoff_take)(pledgex_ctx *ctx, const char *path, const char *kind);
} pledgex_host;

/* The handoff kind of a leptonica PIX (the whole image as pixRead, or
 * pixReadJpeg at full scale without a hint, returns it: the reader may
 * treat it as what it would have decoded itself). */
#define PLEDGEX_HANDOFF_PIX "leptonica.pix"

/* The handoff kind of a file's whole content, put by the host for the
 * plugin it routes a small file to (the host reads such a file once, to
 * hash and detect it): a pledgex_file_bytes, which the taker frees with
 * free().  A plugin that finds none reads the file itself. */
#define PLEDGEX_HANDOFF_BYTES "pledgex.file-bytes"
typedef struct pledgex_file_bytes {
    size_t len;
    unsigned char *data; /* len bytes and a NUL, in the same allocation */
} pledgex_file_bytes;

/* Whether a host offers a service added after 1.0 (a plugin built against
 * a newer header may be loaded by an older host). */
#define PLEDGEX_HOST_HAS(host, member)                                                    \
    ((host)->struct_size >= offsetof(pledgex_host, member) + sizeof((host)->member) &&     \
     (host)->member != NULL)

/* The descriptor a plugin returns from pledgex_plugin_entry(). */
typedef struct pledgex_plugin {
    unsigned abi_major;          /* PLEDGEX_PLUGIN_ABI_MAJOR at build time */
    unsigned abi_minor;          /* PLEDGEX_PLUGIN_ABI_MINOR at build time */
    const char *name;            /* unique, [a-z0-9_-]+                     */
    const char *version;
    const char *description;
    const pledgex_claim *claims; /* ends with {NULL, 0}                     */

    /* Optional.  Called once at load time (see above).  Fill *state; on
     * failure return PLEDGEX_FATAL with a message in err: the plugin is
     * refused with that reason. */
    int (*init)(const pledgex_host *host, void **state, char *err, size_t errlen);

    /* Optional.  Releases state. */
    void (*fini)(void *state);

    /* Required.  Reads one input and reports what it finds through host.
     * Returns PLEDGEX_OK, PLEDGEX_WARN, PLEDGEX_SKIP or PLEDGEX_FAILED with
     * a reason in err (the host adds the address). */
    int (*process)(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                   const pledgex_input *in, char *err, size_t errlen);
} pledgex_plugin;

/* The entry symbol every plugin exports. */
typedef const pledgex_plugin *(*pledgex_plugin_entry_fn)(void);
const pledgex_plugin *pledgex_plugin_entry(void);

#ifdef __cplusplus
}
#endif
#endif /* PLEDGEX_PLUGIN_H */
