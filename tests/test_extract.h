/*
 * test_extract.h -- helpers shared by the extraction tests: run extraction
 * on a string and look entities up.
 */
#ifndef PLEDGEX_TEST_EXTRACT_H
#define PLEDGEX_TEST_EXTRACT_H

#include <CUnit/Basic.h>

#include "doc.h"
#include "extract.h"

/* Extracts from text (one block) with optional attributes "k=v", NULL
 * terminated; gz may be NULL.  Fails the test if extraction fails. */
pledgex_doc *tx_run(const char *text, const pledgex_gazetteer *gz, const char *const *attrs);
/* The first entity of type whose field (value when by_value, text
 * otherwise) equals s, or NULL. */
const pledgex_doc_entity *tx_find(const pledgex_doc *doc, const char *type, const char *s,
                                  int by_value);
size_t tx_count(const pledgex_doc *doc, const char *type, const char *role);
/* Asserts a date with this value and role (role NULL: any). */
void tx_expect_date(const char *text, const char *value, const char *role);
/* Asserts no date at all in text. */
void tx_expect_no_date(const char *text);
/* The shipped gazetteer ($PLEDGEX_DATA_DIR/units.tsv), or NULL. */
const pledgex_gazetteer *tx_gazetteer(void);

void tx_add_unit_tests(CU_pSuite s);
void tx_add_people_tests(CU_pSuite s);

#endif
