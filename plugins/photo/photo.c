/*
 * photo.c -- the "photo" plugin: the caption of a photo, wherever it is
 * kept, and the decision whether the image is a page for OCR.
 *
 * Captions come from XMP, IPTC, EXIF (ImageDescription, UserComment),
 * Windows XPComment and a sidecar NAME.txt / NAME.xmp beside the file.  The
 * first by preference (photo.h) becomes caption.text/caption.source and a
 * block of kind "caption" (so it is searchable); different texts from other
 * sources are kept as "caption.alt" = "source\ttext".  The credit is the one
 * written in the caption ("Ảnh: KL"), else an explicit credit/by-line.
 *
 * The plugin claims images above the "ocr" plugin, so it also decides what
 * OCR sees: a page of text (a scan, a pledge photographed on a table) is
 * delegated whole; an album page (a picture with a printed caption) has its
 * caption rows cut out and delegated, and the text read becomes the caption
 * (source "ocr"); a photo is never OCR'd.  See photo_page.c for the rule.
 */
#include <config.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <leptonica/allheaders.h>

#include "encoding.h"
#include "links.h"
#include "photo.h"

static const pledgex_claim photo_claims[] = {
    {"image/jpeg", 70},
    {"image/png", 70},
    {"image/tiff", 70},
    {"image/heic", 70},
    {"image/heif", 70},
    {"image/webp", 70}, /* phones and news sites */
    {"image/gif", 70},
    {"image/bmp", 70},
    {"application/rdf+xml", 40}, /* a .xmp sidecar on its own */
    {NULL, 0},
};

/* ---- sidecars ----------------------------------------------------------- */

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* NAME.txt (or .TXT) beside the photo: its whole text is the caption. */
static void sidecar_txt(const char *path, photo_meta *m)
{
    unsigned char *d = NULL;
    size_t n = 0;
    if (pledgex__read_file(path, PHOTO_MAX_SIDECAR_BYTES, &d, &n) != 0)
        return; /* missing, unreadable, or too long to be a caption */
    char *s = pledgex__photo_field_text(d, n, NULL);
    free(d);
    pledgex__photo_add_caption(m, PHOTO_SRC_SIDECAR, s);
}

/* Sidecars exist only beside an original file: a member of an archive is a
 * private copy (its sidecar is another member, linked in the index). */
static void read_sidecars(const pledgex_input *in, photo_meta *m)
{
    if (strcmp(base_of(in->path), base_of(in->name)))
        return;
    const char *base = base_of(in->path);
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - in->path) : strlen(in->path);
    size_t full = strlen(in->path);
    char *buf = malloc(full + 8);
    if (!buf)
        return;
    static const char *const txt[] = {".txt", ".TXT", ".Txt"};
    for (size_t i = 0; i < 3; i++) {
        memcpy(buf, in->path, stem);
        strcpy(buf + stem, txt[i]);
        if (is_file(buf)) {
            sidecar_txt(buf, m);
            break;
        }
    }
    /* NAME.xmp (Lightroom, Bridge) or NAME.JPG.xmp (darktable) */
    static const char *const xmp[] = {".xmp", ".XMP"};
    for (size_t i = 0; i < 4; i++) {
        size_t keep = i < 2 ? stem : full;
        memcpy(buf, in->path, keep);
        strcpy(buf + keep, xmp[i % 2]);
        if (is_file(buf)) {
            char err[16];
            pledgex__photo_read_xmp(buf, PHOTO_SRC_SIDECAR, m, err, sizeof err);
            break;
        }
    }
    free(buf);
}

/* ---- EXIF in HEIF ------------------------------------------------------- */

/* HEIF keeps EXIF as an item whose payload is "Exif\0\0" + TIFF header;
 * found by scanning (no HEIF library here), read by libexif from memory. */
static void heif_exif(const char *path, photo_meta *m)
{
    unsigned char *d = NULL;
    size_t n = 0;
    if (pledgex__read_file(path, PHOTO_MAX_META_BYTES, &d, &n) != 0)
        return;
    for (size_t i = 0; i + 10 < n; i++) {
        if (d[i] == 'E' && !memcmp(d + i, "Exif\0\0", 6) &&
            (!memcmp(d + i + 6, "II*\0", 4) || !memcmp(d + i + 6, "MM\0*", 4))) {
            pledgex__photo_read_exif_mem(d + i, n - i, m);
            break;
        }
    }
    free(d);
}

/* ---- choosing and reporting --------------------------------------------- */

static const photo_caption *primary_caption(const photo_meta *m)
{
    const photo_caption *best = NULL;
    for (size_t i = 0; i < m->ncaptions; i++)
        if (!best || m->captions[i].source < best->source)
            best = &m->captions[i];
    return best;
}

static const char *first_of(char *const *v)
{
    for (int s = 0; s < PHOTO_SRC_N; s++)
        if (v[s])
            return v[s];
    return NULL;
}

static int report_caption(const pledgex_host *host, pledgex_ctx *ctx, const photo_meta *m)
{
    const photo_caption *c = primary_caption(m);
    if (!c)
        return PLEDGEX_OK;
    host->set_attr(ctx, "caption.text", c->text);
    host->set_attr(ctx, "caption.source", pledgex__photo_source_name(c->source));
    char *credit = pledgex__caption_credit(c->text);
    const char *explicit_credit = c->source < PHOTO_SRC_N ? m->credit[c->source] : NULL;
    if (!explicit_credit)
        explicit_credit = first_of(m->credit);
    if (credit || explicit_credit)
        host->set_attr(ctx, "caption.credit", credit ? credit : explicit_credit);
    free(credit);
    /* The others, when they say something else. */
    for (size_t i = 0; i < m->ncaptions; i++) {
        const photo_caption *o = &m->captions[i];
        if (o == c || !strcmp(o->text, c->text))
            continue;
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= &m->captions[j] != c && !strcmp(m->captions[j].text, o->text);
        if (seen)
            continue;
        const char *src = pledgex__photo_source_name(o->source);
        size_t n = strlen(src) + strlen(o->text) + 2;
        char *v = malloc(n);
        if (!v)
            return PLEDGEX_FATAL;
        snprintf(v, n, "%s\t%s", src, o->text);
        host->set_attr(ctx, "caption.alt", v);
        free(v);
    }
    pledgex_block b = {"caption", 0, c->text, -1.0, 0};
    return host->emit_block(ctx, &b);
}

/* ---- album pages and documents ------------------------------------------ */

/* Cuts the caption rows of an album page out into a PNG in tmpdir, so OCR
 * reads the caption and not the picture.  Returns the path (caller frees)
 * or NULL, in which case the whole page goes to OCR. */
static char *crop_caption(const char *tmpdir, const char *path, PIX *full,
                          const photo_page_features *f)
{
    if (!tmpdir || f->cap_w <= 0 || f->cap_h <= 0)
        return NULL;
    /* The rule checked the size against --max-pixels before decoding. */
    PIX *pix = full ? pixClone(full) : pixRead(path);
    if (!pix)
        return NULL;
    double sx = (double)pixGetWidth(pix) / f->width, sy = (double)pixGetHeight(pix) / f->height;
    int pad = (int)(f->cap_h * sy / 4) + 8;
    int x = (int)(f->cap_x * sx) - pad, y = (int)(f->cap_y * sy) - pad;
    int w = (int)(f->cap_w * sx) + 2 * pad, h = (int)(f->cap_h * sy) + 2 * pad;
    BOX *box = boxCreate(x < 0 ? 0 : x, y < 0 ? 0 : y, w, h);
    PIX *crop = box ? pixClipRectangle(pix, box, NULL) : NULL;
    boxDestroy(&box);
    pixDestroy(&pix);
    if (!crop)
        return NULL;
    size_t n = strlen(tmpdir) + 32;
    char *out = malloc(n);
    if (out) {
        snprintf(out, n, "%s/caption-rows.png", tmpdir);
        if (pixWrite(out, crop, IFF_PNG) != 0) {
            free(out);
            out = NULL;
        }
    }
    pixDestroy(&crop);
    return out;
}

static int run_ocr(const pledgex_host *host, pledgex_ctx *ctx, const char *path,
                   const char *mime, char *err, size_t errlen)
{
    char why[512] = "";
    int rc = host->delegate(ctx, "ocr", path, mime, 0, why, sizeof why);
    if (rc == PLEDGEX_SKIP) { /* no OCR plugin loaded (or it refused) */
        snprintf(err, errlen, "a page of text, but no OCR plugin: %s", why);
        host->warn(ctx, err);
        return PLEDGEX_WARN;
    }
    if (rc != PLEDGEX_OK && rc != PLEDGEX_WARN)
        snprintf(err, errlen, "OCR: %s", why[0] ? why : "failed");
    else if (rc == PLEDGEX_WARN)
        snprintf(err, errlen, "%s", why);
    return rc;
}

/* Hosts before ABI 1.1 cannot return the text a delegate found. */
static int host_can_read_text(const pledgex_host *host)
{
    return PLEDGEX_HOST_HAS(host, doc_text);
}

static void release_pix(void *object)
{
    PIX *pix = object;
    pixDestroy(&pix);
}

/* A page decoded for the rule goes on to OCR, which then need not decode
 * it again (bench/e2e: a decoding is 5-40% of the rule's cost and as much
 * again of OCR's).  *full is the host's (or freed) afterwards. */
static void hand_on(const pledgex_host *host, pledgex_ctx *ctx, const char *path, PIX **full)
{
    if (*full && PLEDGEX_HOST_HAS(host, handoff_put))
        host->handoff_put(ctx, path, PLEDGEX_HANDOFF_PIX, *full, release_pix);
    else
        pixDestroy(full);
    *full = NULL;
}

/* The OCR'd caption rows of an album page: one line of text; the caption
 * unless the metadata had one (then kept as an alternative). */
static int ocr_caption(const pledgex_host *host, pledgex_ctx *ctx, const photo_meta *m,
                       char *text)
{
    size_t w = 0;
    int space = 1;
    for (size_t i = 0; text[i]; i++) {
        char c = text[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            if (!space)
                text[w++] = ' ';
            space = 1;
        } else {
            text[w++] = c;
            space = 0;
        }
    }
    while (w > 0 && text[w - 1] == ' ')
        w--;
    text[w] = 0;
    if (!*text)
        return PLEDGEX_OK;
    if (primary_caption(m)) {
        size_t n = strlen(text) + 5;
        char *v = malloc(n);
        if (!v)
            return PLEDGEX_FATAL;
        snprintf(v, n, "ocr\t%s", text);
        host->set_attr(ctx, "caption.alt", v);
        free(v);
        return PLEDGEX_OK;
    }
    host->set_attr(ctx, "caption.text", text);
    host->set_attr(ctx, "caption.source", "ocr");
    char *credit = pledgex__caption_credit(text);
    if (credit)
        host->set_attr(ctx, "caption.credit", credit);
    free(credit);
    return PLEDGEX_OK;
}

static int photo_process(void *state, const pledgex_host *host, pledgex_ctx *ctx,
                         const pledgex_input *in, char *err, size_t errlen)
{
    (void)state;
    photo_meta m = {0};
    int sidecar_doc = !strcmp(in->mime, "application/rdf+xml");
    if (sidecar_doc) {
        /* NAME.xmp on its own (a member of an archive): its caption, linked
         * to NAME.JPG by the index. */
        int rc = pledgex__photo_read_xmp(in->path, PHOTO_SRC_SIDECAR, &m, err, errlen);
        if (rc == PLEDGEX_OK && m.ncaptions == 0 && !first_of(m.taken)) {
            pledgex__photo_meta_clear(&m);
            snprintf(err, errlen, "no XMP metadata found");
            return PLEDGEX_SKIP;
        }
        if (rc == PLEDGEX_OK)
            rc = report_caption(host, ctx, &m);
        if (first_of(m.taken))
            host->set_attr(ctx, "taken", first_of(m.taken));
        host->set_attr(ctx, "kind", "text");
        pledgex__photo_meta_clear(&m);
        return rc;
    }

    pledgex__photo_read_xmp(in->path, PHOTO_SRC_XMP, &m, err, errlen);
    pledgex__photo_read_iptc(in->path, in->mime, &m, err, errlen);
    if (!strcmp(in->mime, "image/heic") || !strcmp(in->mime, "image/heif"))
        heif_exif(in->path, &m);
    else
        pledgex__photo_read_exif(in->path, in->mime, &m, err, errlen);
    read_sidecars(in, &m);
    pledgex__photo_read_comments(in->path, in->mime, &m);
    err[0] = 0;

    int rc = report_caption(host, ctx, &m);
    if (rc != PLEDGEX_OK) {
        pledgex__photo_meta_clear(&m);
        snprintf(err, errlen, "cannot store the caption");
        return PLEDGEX_FAILED;
    }
    /* The date a photo was taken: the camera's own clock first. */
    const char *taken = m.taken[PHOTO_SRC_EXIF] ? m.taken[PHOTO_SRC_EXIF] : first_of(m.taken);
    if (taken)
        host->set_attr(ctx, "taken", taken);

    /* Picture or page? (HEIF cannot be decoded here: a picture.) */
    photo_page_features f;
    photo_page_kind kind = PHOTO_PAGE_PICTURE;
    PIX *full = NULL;
    int64_t max_pixels = host->limit(ctx, "max_pixels", PHOTO_DEFAULT_MAX_PIXELS);
    if (strcmp(in->mime, "image/heic") && strcmp(in->mime, "image/heif")) {
        char why[256] = "";
        if (pledgex__photo_page_features(in->path, max_pixels, &f, &full, why, sizeof why) ==
            PLEDGEX_OK) {
            kind = pledgex__photo_page_classify(&f);
        } else if (m.ncaptions == 0) {
            pledgex__photo_meta_clear(&m);
            snprintf(err, errlen, "%s", why);
            return PLEDGEX_FAILED;
        } else {
            snprintf(err, errlen, "image not analysed: %s", why);
            host->warn(ctx, err);
            rc = PLEDGEX_WARN;
        }
    }
    char layout[96];
    snprintf(layout, sizeof layout, "%s",
             kind == PHOTO_PAGE_DOCUMENT ? "document" : kind == PHOTO_PAGE_ALBUM ? "album"
                                                                                 : "picture");
    host->set_attr(ctx, "image.layout", layout);

    if (kind == PHOTO_PAGE_DOCUMENT) {
        host->set_attr(ctx, "kind", "scan");
        hand_on(host, ctx, in->path, &full);
        int orc = run_ocr(host, ctx, in->path, in->mime, err, errlen);
        pledgex__photo_meta_clear(&m);
        return orc == PLEDGEX_OK ? rc : orc;
    }
    host->set_attr(ctx, "kind", "photo");
    if (kind == PHOTO_PAGE_ALBUM) {
        char *crop = crop_caption(host->tmpdir(ctx), in->path, full, &f);
        if (crop)
            pixDestroy(&full);
        else
            hand_on(host, ctx, in->path, &full); /* the whole page goes to OCR */
        int can_read = host_can_read_text(host);
        size_t before = 0;
        if (can_read)
            free(host->doc_text(ctx, (size_t)-1, &before));
        int orc = run_ocr(host, ctx, crop ? crop : in->path, crop ? "image/png" : in->mime,
                          err, errlen);
        free(crop);
        if (orc == PLEDGEX_OK || orc == PLEDGEX_WARN) {
            if (can_read) {
                char *text = host->doc_text(ctx, before, NULL);
                if (text && ocr_caption(host, ctx, &m, text) != PLEDGEX_OK)
                    orc = PLEDGEX_FAILED;
                free(text);
            } else if (orc == PLEDGEX_OK) {
                snprintf(err, errlen, "the caption of this album page was read by OCR, but "
                                      "the host cannot hand the text back (needs plugin ABI "
                                      "1.1 doc_text)");
                host->warn(ctx, err);
                orc = PLEDGEX_WARN;
            }
        }
        if (orc != PLEDGEX_OK)
            rc = orc;
    }
    pixDestroy(&full);
    pledgex__photo_meta_clear(&m);
    return rc;
}

static const pledgex_plugin photo_plugin = {
    PLEDGEX_PLUGIN_ABI_MAJOR,
    PLEDGEX_PLUGIN_ABI_MINOR,
    "photo",
    "1.0",
    "photo captions (XMP, IPTC, EXIF, XPComment, sidecars); pages of text to OCR",
    photo_claims,
    NULL,
    NULL,
    photo_process,
};

const pledgex_plugin *pledgex_plugin_entry(void)
{
    return &photo_plugin;
}
