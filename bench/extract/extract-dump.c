/*
 * extract-dump.c -- runs extraction on text files and prints the entities
 * as JSON, one object per file: what bench/extract/eval.py scores against
 * gold files.  Usage: extract-dump [-g units.tsv|-G] [-a key=value]... FILE...
 * -G runs without a gazetteer; -a adds a document attribute (published=...).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "extract.h"

static void json_str(const char *s)
{
    if (!s) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(fp);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    char err[512] = "";
    pledgex_gazetteer *gz = NULL;
    const char *gzpath = NULL;
    int nogz = 0, argi = 1;
    const char *attrs[32];
    size_t nattrs = 0;
    while (argi < argc && argv[argi][0] == '-') {
        if (!strcmp(argv[argi], "-G"))
            nogz = 1;
        else if (!strcmp(argv[argi], "-g") && argi + 1 < argc)
            gzpath = argv[++argi];
        else if (!strcmp(argv[argi], "-a") && argi + 1 < argc && nattrs < 32)
            attrs[nattrs++] = argv[++argi];
        else {
            fprintf(stderr, "usage: %s [-g units.tsv|-G] [-a key=value]... FILE...\n", argv[0]);
            return 2;
        }
        argi++;
    }
    if (!nogz && pledgex__gazetteer_load(&gz, gzpath, err, sizeof err) != PLEDGEX_OK)
        fprintf(stderr, "extract-dump: %s (going on without)\n", err);
    int status = 0;
    printf("[");
    for (int f = argi; f < argc; f++) {
        size_t len;
        char *text = slurp(argv[f], &len);
        if (!text) {
            fprintf(stderr, "extract-dump: %s: cannot read\n", argv[f]);
            status = 1;
            continue;
        }
        pledgex_doc *doc = pledgex__doc_new(argv[f]);
        if (!doc || pledgex__doc_add_block(doc, "text", 1, text, 1.0, 0)) {
            free(text);
            pledgex__doc_free(&doc);
            return 1;
        }
        free(text);
        for (size_t k = 0; k < nattrs; k++) {
            const char *eq = strchr(attrs[k], '=');
            if (!eq)
                continue;
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)(eq - attrs[k]), attrs[k]);
            pledgex__doc_add_attr(doc, key, eq + 1);
        }
        int rc = pledgex__extract_doc(doc, gz, err, sizeof err);
        if (rc != PLEDGEX_OK)
            fprintf(stderr, "extract-dump: %s: %s\n", argv[f], err);
        printf("%s{\"file\": ", f > argi ? ",\n" : "");
        json_str(argv[f]);
        printf(", \"entities\": [");
        for (size_t i = 0; i < doc->nentities; i++) {
            pledgex_doc_entity *e = &doc->entities[i];
            printf("%s\n  {\"type\": ", i ? "," : "");
            json_str(e->type);
            printf(", \"text\": ");
            json_str(e->text);
            printf(", \"value\": ");
            json_str(e->value);
            printf(", \"role\": ");
            json_str(e->role);
            printf("}");
        }
        printf("]}");
        pledgex__doc_free(&doc);
    }
    printf("]\n");
    pledgex__gazetteer_free(&gz);
    return status;
}
