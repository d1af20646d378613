/*
 * photo_xmp.c -- captions in XMP.
 *
 * Every container (JPEG APP1, PNG iTXt, TIFF tag 700, WebP, HEIF, a .xmp
 * sidecar) stores the XMP packet as plain UTF-8 XML, so the packet is found
 * by scanning the bytes for <x:xmpmeta ...> (the "packet scanning" the XMP
 * specification allows for readers that do not know the container) and
 * parsed with libxml2.  Properties may be elements or attributes of
 * rdf:Description; language alternatives prefer x-default, then Vietnamese.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "photo.h"

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_PS "http://ns.adobe.com/photoshop/1.0/"
#define NS_EXIF "http://ns.adobe.com/exif/1.0/"
#define NS_XMP "http://ns.adobe.com/xap/1.0/"
#define NS_TIFF "http://ns.adobe.com/tiff/1.0/"
#define NS_XML "http://www.w3.org/XML/1998/namespace"

static int is(const xmlNode *n, const char *ns, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name);
}

static char *content(const xmlNode *n)
{
    xmlChar *c = xmlNodeGetContent(n);
    if (!c)
        return NULL;
    char *s = pledgex__photo_field_text(c, strlen((const char *)c), "UTF-8");
    xmlFree(c);
    return s;
}

/* The rdf:li items of an Alt/Seq/Bag under property element p, or NULL. */
static xmlNode *container_items(const xmlNode *p)
{
    for (xmlNode *c = p->children; c; c = c->next)
        if (is(c, NS_RDF, "Alt") || is(c, NS_RDF, "Seq") || is(c, NS_RDF, "Bag"))
            return c->children;
    return NULL;
}

static int li_lang_is(xmlNode *li, const char *lang)
{
    xmlChar *l = xmlGetNsProp(li, (const xmlChar *)"lang", (const xmlChar *)NS_XML);
    int r = l && !strcasecmp((const char *)l, lang);
    xmlFree(l);
    return r;
}

/* A language alternative: the preferred item first, the others after. */
static void add_alternatives(const xmlNode *p, photo_source src, photo_meta *m)
{
    xmlNode *items = container_items(p);
    if (!items) {
        pledgex__photo_add_caption(m, src, content(p));
        return;
    }
    xmlNode *best = NULL;
    static const char *const prefer[] = {"x-default", "vi", "vi-VN", NULL};
    for (size_t k = 0; prefer[k] && !best; k++)
        for (xmlNode *li = items; li; li = li->next)
            if (is(li, NS_RDF, "li") && li_lang_is(li, prefer[k])) {
                best = li;
                break;
            }
    if (best)
        pledgex__photo_add_caption(m, src, content(best));
    for (xmlNode *li = items; li; li = li->next) {
        if (li == best || !is(li, NS_RDF, "li"))
            continue;
        char *s = content(li);
        int dup = 0;
        for (size_t i = 0; s && i < m->ncaptions; i++)
            dup |= !strcmp(m->captions[i].text, s);
        if (dup)
            free(s);
        else
            pledgex__photo_add_caption(m, src, s);
    }
}

/* The first item of a Seq/Bag (dc:creator), or the element's text. */
static char *first_item(const xmlNode *p)
{
    for (xmlNode *li = container_items(p); li; li = li->next)
        if (is(li, NS_RDF, "li"))
            return content(li);
    return content(p);
}

static void property(const xmlNode *p, photo_source src, photo_meta *m)
{
    if (is(p, NS_DC, "description") || is(p, NS_TIFF, "ImageDescription") ||
        is(p, NS_EXIF, "UserComment")) {
        add_alternatives(p, src, m);
    } else if (is(p, NS_PS, "Credit")) {
        char *c = content(p);
        free(m->credit[src]); /* photoshop:Credit wins over dc:creator */
        m->credit[src] = NULL;
        pledgex__photo_set_credit(m, src, c);
    } else if (is(p, NS_DC, "creator") || is(p, NS_TIFF, "Artist")) {
        pledgex__photo_set_credit(m, src, first_item(p));
    } else if (is(p, NS_EXIF, "DateTimeOriginal") || is(p, NS_PS, "DateCreated") ||
               is(p, NS_XMP, "CreateDate")) {
        char *s = content(p);
        pledgex__photo_set_taken(m, src, pledgex__photo_iso_date(s, NULL));
        free(s);
    }
}

/* Properties written as attributes: <rdf:Description photoshop:Credit="KL">. */
static void attributes(const xmlNode *d, photo_source src, photo_meta *m)
{
    for (xmlAttr *a = d->properties; a; a = a->next) {
        if (!a->ns || !a->ns->href)
            continue;
        const char *ns = (const char *)a->ns->href, *name = (const char *)a->name;
        xmlChar *v = xmlNodeListGetString(d->doc, a->children, 1);
        if (!v)
            continue;
        char *s = pledgex__photo_field_text(v, strlen((const char *)v), "UTF-8");
        xmlFree(v);
        if (!strcmp(ns, NS_PS) && !strcmp(name, "Credit")) {
            free(m->credit[src]);
            m->credit[src] = NULL;
            pledgex__photo_set_credit(m, src, s);
        } else if ((!strcmp(ns, NS_EXIF) && !strcmp(name, "DateTimeOriginal")) ||
                   (!strcmp(ns, NS_PS) && !strcmp(name, "DateCreated")) ||
                   (!strcmp(ns, NS_XMP) && !strcmp(name, "CreateDate"))) {
            pledgex__photo_set_taken(m, src, pledgex__photo_iso_date(s, NULL));
            free(s);
        } else if (!strcmp(ns, NS_TIFF) && !strcmp(name, "Artist")) {
            pledgex__photo_set_credit(m, src, s);
        } else {
            free(s);
        }
    }
}

static void walk(const xmlNode *n, photo_source src, photo_meta *m, int depth)
{
    if (depth > 64)
        return;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is(n, NS_RDF, "Description")) {
            attributes(n, src, m);
            for (xmlNode *p = n->children; p; p = p->next)
                if (p->type == XML_ELEMENT_NODE)
                    property(p, src, m);
        } else {
            walk(n->children, src, m, depth + 1);
        }
    }
}

int pledgex__photo_parse_xmp(const char *xml, size_t len, photo_source src, photo_meta *m)
{
    if (len > (size_t)0x7fffffff)
        return PLEDGEX_FAILED;
    /* No network, no entity substitution, no DTD loading: a hostile packet
     * can only fail to parse. */
    xmlDoc *doc = xmlReadMemory(xml, (int)len, NULL, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                    XML_PARSE_NOBLANKS);
    if (!doc)
        return PLEDGEX_FAILED;
    walk(xmlDocGetRootElement(doc), src, m, 0);
    xmlFreeDoc(doc);
    return PLEDGEX_OK;
}

static const char *find(const char *hay, size_t n, const char *needle)
{
    return memmem(hay, n, needle, strlen(needle));
}

int pledgex__photo_read_xmp(const char *path, photo_source src, photo_meta *m, char *err,
                            size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return PLEDGEX_FAILED;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        return PLEDGEX_OK;
    }
    size_t n = (size_t)st.st_size;
    if (n > PHOTO_MAX_META_BYTES)
        n = PHOTO_MAX_META_BYTES; /* packets live near the start or the end */
    const char *d = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (d == MAP_FAILED) {
        snprintf(err, errlen, "cannot map: %s", strerror(errno));
        return PLEDGEX_FAILED;
    }
    /* Several packets may exist (an edited file keeps old ones in
     * thumbnails); read each, the first found wins per field. */
    const char *p = d, *end = d + n;
    int found = 0;
    while (p < end && found < 4) {
        const char *s = find(p, (size_t)(end - p), "<x:xmpmeta");
        const char *close_tag = "</x:xmpmeta>";
        if (!s) {
            s = find(p, (size_t)(end - p), "<rdf:RDF");
            close_tag = "</rdf:RDF>";
        }
        if (!s)
            break;
        const char *e = find(s, (size_t)(end - s), close_tag);
        if (!e)
            break;
        e += strlen(close_tag);
        pledgex__photo_parse_xmp(s, (size_t)(e - s), src, m);
        found++;
        p = e;
    }
    munmap((void *)d, n);
    return PLEDGEX_OK;
}
