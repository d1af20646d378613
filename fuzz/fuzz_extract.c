/*
 * fuzz_extract.c -- libFuzzer harness for the extractors (core/extract):
 * dates, units, commitments, people, run by pledgex__extract_doc over a
 * document of one block, as the pipeline runs them after a plugin.
 *
 * Input format: fields separated by 0x1F (unit separator): the block text,
 * then optionally the "published", "taken" and "caption.text" attributes
 * that give dates their context.  Every field goes through pledgex__nfc
 * first, as the host does with what a plugin emits, so the extractors see
 * valid NFC UTF-8 of any shape.  The first line also goes through
 * pledgex__unit_canonical and the search folds.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "extract.h"
#include "textnorm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pledgex_gazetteer *gz;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512] = "";
    /* The shipped gazetteer when it is there ($PLEDGEX_DATA_DIR): units
     * found through it take other code paths than units found by shape. */
    if (pledgex__gazetteer_load(&gz, NULL, err, sizeof err) != PLEDGEX_OK) {
        fprintf(stderr, "fuzz_extract: no gazetteer (%s); fuzzing without\n", err);
        gz = NULL;
    }
    return 0;
}

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_extract: %s\n", what);
    abort();
}

static const char *const attr_keys[] = {"published", "taken", "caption.text"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pledgex_doc *doc = pledgex__doc_new("fuzz");
    if (!doc)
        abort();
    const char *s = (const char *)data;
    size_t field = 0;
    for (size_t start = 0; start <= size && field < 4; field++) {
        const char *sep = memchr(s + start, 0x1F, size - start);
        size_t end = sep ? (size_t)(sep - s) : size;
        char *t = pledgex__nfc(s + start, end - start, NULL);
        if (!t)
            abort();
        if (field == 0) {
            pledgex__doc_add_block(doc, "text", 0, t, -1.0, 0);
            const char *nl = strchr(t, '\n');
            size_t n = nl ? (size_t)(nl - t) : strlen(t);
            if (n > 0 && n < 300) {
                char *line = strndup(t, n);
                char *canon = line ? pledgex__unit_canonical(line, gz) : NULL;
                free(canon);
                free(pledgex__fold_ascii(t, n));
                free(pledgex__fold_exact(t, n));
                free(line);
            }
        } else {
            pledgex__doc_add_attr(doc, attr_keys[field - 1], t);
        }
        free(t);
        start = end + 1;
        if (!sep)
            break;
    }
    char err[512] = "";
    int rc = pledgex__extract_doc(doc, gz, err, sizeof err);
    if (rc != PLEDGEX_OK && rc != PLEDGEX_WARN && rc != PLEDGEX_FAILED) {
        fprintf(stderr, "fuzz_extract: pledgex__extract_doc returned %d\n", rc);
        abort();
    }
    /* Every entity is a well-formed string set (the index stores them). */
    for (size_t i = 0; i < doc->nentities; i++) {
        const pledgex_doc_entity *e = &doc->entities[i];
        if (!e->type)
            fail("an entity without a type");
        if (e->text && !pledgex__utf8_valid(e->text, strlen(e->text)))
            fail("an entity text that is not UTF-8 (a cut inside a character?)");
        if (e->value && !pledgex__utf8_valid(e->value, strlen(e->value)))
            fail("an entity value that is not UTF-8 (a cut inside a character?)");
    }
    pledgex__doc_free(&doc);
    return 0;
}
