/*
 * text_store.h -- (internal) how the index stores block text.
 *
 * blocks.text holds either the text itself (TEXT) or a zstd frame (BLOB)
 * compressed with a dictionary trained on the index's own text; the frame
 * header names the dictionary (a row of text_dicts).  The SQL function
 * pxtext(x) gives the text back for either, so every reader of
 * blocks.text -- the full-text index's view and triggers included -- reads
 * pxtext(text).  Text stays plain until the index holds enough of it to
 * train a dictionary, when it is compressed in place (see
 * pledgex__text_store_train); blocks too short to gain stay plain.
 *
 * One store per connection, owned by the connection: it holds the
 * compression contexts and the digested dictionaries, so no row pays for
 * digesting a dictionary.
 */
#ifndef PLEDGEX_TEXT_STORE_H
#define PLEDGEX_TEXT_STORE_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct pledgex_text_store pledgex_text_store;

/* Registers pxtext() on db, with a new store.  The connection owns the
 * store (sqlite3_close frees it); *out is borrowed, valid while db is
 * open.  PLEDGEX_OK, or PLEDGEX_FATAL with a message in err. */
int pledgex__text_store_register(sqlite3 *db, pledgex_text_store **out, char *err,
                                 size_t errlen);

/* When the store has no dictionary to write with, takes the index's newest
 * one (text_dicts) if it has one: at the start of each write transaction,
 * under the write lock (another writer may have trained one since).  A
 * connection that only reads never digests a dictionary for writing. */
int pledgex__text_store_load(pledgex_text_store *ts, char *err, size_t errlen);

/* How to store `len` bytes of text: *blob gets a zstd frame of *size
 * bytes (owned by the store, valid until its next call), or NULL when the
 * text is to be stored as it is (no dictionary yet, too short, or no
 * smaller compressed). */
int pledgex__text_store_pack(pledgex_text_store *ts, const char *text, size_t len,
                             const void **blob, size_t *size, char *err, size_t errlen);

/* Inside the writer's transaction: when the index has no dictionary and
 * holds at least PLEDGEX_TEXT_TRAIN_BYTES of plain block text, trains one
 * on that text, stores it and compresses every plain block with it.  The
 * full-text index needs no change: pxtext() of a compressed block is the
 * text it had.  PLEDGEX_OK when nothing was to be done, or training
 * failed (too few samples: retried when the plain text has doubled). */
int pledgex__text_store_train(pledgex_text_store *ts, char *err, size_t errlen);

/* Forgets the dictionaries read or made and what was counted: after a
 * rollback, a dictionary this connection trained is gone and its id may
 * be given to another. */
void pledgex__text_store_forget(pledgex_text_store *ts);

/* Plain block text an index needs before a dictionary is trained on it. */
#define PLEDGEX_TEXT_TRAIN_BYTES (1 << 20)

#endif
