/*
 * xctx.h -- (internal to core/extract) what the extractors collect over all
 * blocks of one document before it becomes entities: unit mentions to group,
 * dates whose year comes from context, counts to check.
 */
#ifndef PLEDGEX_EXTRACT_XCTX_H
#define PLEDGEX_EXTRACT_XCTX_H

#include <stddef.h>

#include "doc.h"
#include "extract.h"
#include "xtext.h"

/* Date roles, in the order of precedence when one value has several. */
enum px_role {
    PX_ROLE_NONE = 0,
    PX_ROLE_PERIOD,
    PX_ROLE_EVENT,
    PX_ROLE_DEADLINE,
    PX_ROLE_TAKEN,
    PX_ROLE_PUBLISHED,
    PX_ROLE_DOCUMENT,
};

typedef struct px_date {
    char *text;     /* as found                                       */
    int y, m, d;    /* y = 0: year from context; m, d = 0: absent      */
    int q;          /* quarter 1..4, or 0                              */
    int y2;         /* end of a period, or 0                           */
    int hh, mi, ss; /* -1 when absent                                  */
    int near_year;  /* nearest year written in the same block, or 0   */
    int role;
} px_date;

typedef struct px_unit {
    char *text;     /* as found                                       */
    char *display;  /* canonical spelling proposed by this mention    */
    char *key;      /* grouping key                                   */
    char *key_lvl;  /* key without the place                          */
    char *key_base; /* key without the level and place                */
    char *level;    /* tỉnh, huyện, ... or NULL                        */
    int quality;    /* 3 gazetteer, 2 mixed case, 1 CAPITALS/abbrev   */
    int signatory;  /* found in a signature block                     */
    char *sigrole;  /* "Cụm trưởng" or NULL                            */
} px_unit;

typedef struct px_person {
    char *name;
    char *role;     /* "Giám đốc", "Đại tá", or NULL                   */
    char *unit_key; /* key of the unit mention, or NULL                */
    int rank;       /* role is a rank ("Đại tá"): a function wins       */
} px_person;

/* Per-document caps on what is collected: grouping and de-duplication are
 * quadratic, and no real document comes near these. */
#define PX_MAX_DATES 5000u
#define PX_MAX_UNITS 4000u
#define PX_MAX_PEOPLE 1000u
#define PX_MAX_MOVEMENTS 1000u

typedef struct px_ctx {
    pledgex_doc *doc;
    const pledgex_gazetteer *gz;
    px_date *dates;
    size_t ndates, capdates;
    px_unit *units;
    size_t nunits, capunits;
    px_person *people;
    size_t npeople, cappeople;
    int stated_count;   /* "với 8 nội dung", or 0                      */
    int stated_strong;  /* it followed "với", "gồm" or "có"            */
    int items_found;
    char *stated_text;
    char **movements;   /* texts of the movements emitted so far       */
    size_t nmovements;
    char **gname;       /* canonical per unit index (group members)    */
} px_ctx;

/* Each returns 0, or -1 when out of memory. */
int pledgex__x_dates(px_ctx *cx, const px_text *t);
int pledgex__x_date_attr(px_ctx *cx, const char *value, int role);
int pledgex__x_dates_emit(px_ctx *cx);

/* Finds a unit starting at word i; returns the number of words it spans
 * (0: none) and, when mention is non-NULL, fills it (caller owns the
 * strings; pledgex__x_unit_clear frees them).  limit > i: the words from i
 * to limit (exclusive) are a CAPITALS segment (pledgex__x_caps_end) and are
 * read as such; limit <= i: running text. */
size_t pledgex__x_unit_at(const px_ctx *cx, const px_text *t, size_t i, size_t limit,
                          px_unit *mention);
int pledgex__x_units(px_ctx *cx, const px_text *t);
/* End of the capital segment (two words or more) starting at word i, or 0
 * when none starts there: the limit to give pledgex__x_unit_at. */
size_t pledgex__x_caps_end(const px_text *t, size_t i);
int pledgex__x_unit_add(px_ctx *cx, px_unit *m);
void pledgex__x_unit_clear(px_unit *m);
int pledgex__x_units_emit(px_ctx *cx);

int pledgex__x_commitments(px_ctx *cx, const px_text *t);
int pledgex__x_commitments_emit(px_ctx *cx);

int pledgex__x_people(px_ctx *cx, const px_text *t);
/* 1 when a role ("Giám đốc", "Chánh Thanh tra") starts at word i. */
int pledgex__x_role_at(const px_text *t, size_t i, size_t *n);
/* Takes the strings (NULLs them in p). */
int pledgex__x_person_add(px_ctx *cx, px_person *p);
int pledgex__x_people_emit(px_ctx *cx);
/* Canonical name of the group a unit key ended in, or NULL (borrowed,
 * valid after pledgex__x_units_emit). */
const char *pledgex__x_unit_group_name(const px_ctx *cx, const char *key);

/* Gazetteer look-up by grouping key: canonical name and level, or NULL. */
const char *pledgex__gz_lookup(const pledgex_gazetteer *gz, const char *key,
                               const char **level);
/* Longest gazetteer name that matches the words at i; returns words matched
 * and the entry's canonical name. */
size_t pledgex__gz_match(const pledgex_gazetteer *gz, const px_text *t, size_t i,
                         size_t limit, const char **canonical, const char **level);


/* s lower-cased, or with only its first letter upper case when title.
 * Caller frees. */
char *pledgex__x_case(const char *s, int title);

#endif
