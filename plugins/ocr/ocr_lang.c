/*
 * ocr_lang.c -- finding tesseract's language data before starting it, so a
 * missing language is reported by name with the Debian package to install
 * (tesseract's own Init only says "failed").
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ocr.h"

/* Script models whose Debian package name is not derived from the name. */
static const struct {
    const char *script, *package;
} script_packages[] = {
    {"Vietnamese", "tesseract-ocr-script-viet"},
    {"Latin", "tesseract-ocr-script-latn"},
    {"Cyrillic", "tesseract-ocr-script-cyrl"},
    {"HanS", "tesseract-ocr-script-hans"},
    {"HanT", "tesseract-ocr-script-hant"},
    {"Han_Simplified", "tesseract-ocr-script-hans"},
    {"Han_Traditional", "tesseract-ocr-script-hant"},
    {"Greek", "tesseract-ocr-script-grek"},
    {"Arabic", "tesseract-ocr-script-arab"},
};

void pledgex__ocr_lang_package(const char *component, char *out, size_t outlen)
{
    if (!strcmp(component, "osd")) {
        snprintf(out, outlen, "tesseract-ocr-osd");
        return;
    }
    for (size_t i = 0; i < sizeof script_packages / sizeof script_packages[0]; i++)
        if (!strcmp(component, script_packages[i].script)) {
            snprintf(out, outlen, "%s", script_packages[i].package);
            return;
        }
    if (isupper((unsigned char)component[0])) {
        /* Other script models: tesseract-ocr-script-<first four letters>. */
        char abbr[5] = {0};
        for (size_t i = 0; i < 4 && component[i]; i++)
            abbr[i] = (char)tolower((unsigned char)component[i]);
        snprintf(out, outlen, "tesseract-ocr-script-%s", abbr);
        return;
    }
    /* Languages: chi_sim -> tesseract-ocr-chi-sim. */
    size_t n = snprintf(out, outlen, "tesseract-ocr-");
    for (size_t i = 0; component[i] && n + 1 < outlen; i++)
        out[n++] = component[i] == '_' ? '-' : (char)tolower((unsigned char)component[i]);
    if (n < outlen)
        out[n] = 0;
}

/* Directories tesseract looks in, in its own order: $TESSDATA_PREFIX (with
 * or without a trailing tessdata), then the Debian locations.  Returns how
 * many were written to cand. */
static int candidates(char cand[4][1024])
{
    const char *prefix = getenv("TESSDATA_PREFIX");
    int n = 0;
    if (prefix && *prefix) {
        snprintf(cand[n++], sizeof cand[0], "%.1000s", prefix);
        snprintf(cand[n++], sizeof cand[0], "%.1000s/tessdata", prefix);
    }
    snprintf(cand[n++], sizeof cand[0], "/usr/share/tesseract-ocr/5/tessdata");
    snprintf(cand[n++], sizeof cand[0], "/usr/share/tesseract-ocr/4.00/tessdata");
    return n;
}

static int has_data(const char *dir, const char *component)
{
    char file[1200];
    snprintf(file, sizeof file, "%.1020s/%.150s.traineddata", dir, component);
    return access(file, R_OK) == 0;
}

int pledgex__ocr_lang_check(const char *lang, char *datadir, size_t dirlen,
                            char *err, size_t errlen)
{
    datadir[0] = 0;
    size_t len = strlen(lang);
    if (len == 0 || len >= OCR_LANG_MAX) {
        snprintf(err, errlen, "invalid OCR language \"%.40s\"", lang);
        return PLEDGEX_FAILED;
    }
    /* Components become file names: letters, digits and '_' only. */
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)lang[i]) && lang[i] != '_' && lang[i] != '+') {
            snprintf(err, errlen, "invalid OCR language \"%s\" (expected names like vie+eng)",
                     lang);
            return PLEDGEX_FAILED;
        }
    /* Tesseract reads every component from one directory: the first
     * candidate that has them all. */
    char cand[4][1024];
    int ncand = candidates(cand);
    for (int d = 0; d < ncand; d++) {
        char copy[OCR_LANG_MAX];
        snprintf(copy, sizeof copy, "%s", lang);
        int all = 1, any = 0;
        for (char *save = NULL, *c = strtok_r(copy, "+", &save); c;
             c = strtok_r(NULL, "+", &save)) {
            any = 1;
            if (!has_data(cand[d], c)) {
                all = 0;
                break;
            }
        }
        if (!any)
            break;
        if (all) {
            snprintf(datadir, dirlen, "%.1023s", cand[d]);
            return PLEDGEX_OK;
        }
    }
    /* Name what is missing: a component found nowhere, or else the split. */
    char copy[OCR_LANG_MAX];
    snprintf(copy, sizeof copy, "%s", lang);
    int ncomp = 0;
    for (char *save = NULL, *c = strtok_r(copy, "+", &save); c; c = strtok_r(NULL, "+", &save)) {
        ncomp++;
        int found = 0;
        for (int d = 0; d < ncand && !found; d++)
            found = has_data(cand[d], c);
        if (!found) {
            char pkg[128];
            pledgex__ocr_lang_package(c, pkg, sizeof pkg);
            snprintf(err, errlen,
                     "OCR language data \"%s\" (%s.traineddata) is not installed: "
                     "install the Debian package %s",
                     c, c, pkg);
            return PLEDGEX_FAILED;
        }
    }
    if (ncomp == 0) {
        snprintf(err, errlen, "invalid OCR language \"%s\"", lang);
        return PLEDGEX_FAILED;
    }
    snprintf(err, errlen,
             "OCR language data for \"%s\" is spread over several directories; tesseract "
             "needs it in one (check TESSDATA_PREFIX)",
             lang);
    return PLEDGEX_FAILED;
}
