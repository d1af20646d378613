/*
 * index_sqlite_schema.h -- (internal) the SQLite schema, as numbered
 * migrations.  PRAGMA user_version holds the number of migrations applied;
 * opening an older database applies the rest, in one transaction each.
 * Never edit a released migration: add a new one.
 */
#ifndef PLEDGEX_INDEX_SQLITE_SCHEMA_H
#define PLEDGEX_INDEX_SQLITE_SCHEMA_H

static const char *const pledgex_migrations[] = {
    /* 1: documents, blocks with FTS5, attributes, entities, photo links */
    "CREATE TABLE docs ("
    "  id INTEGER PRIMARY KEY,"
    "  address TEXT NOT NULL UNIQUE,"
    "  parent TEXT, name TEXT, name_key TEXT, sha256 TEXT, mime TEXT, plugin TEXT,"
    "  status TEXT NOT NULL, error TEXT, size INTEGER, mtime INTEGER, depth INTEGER,"
    "  kind TEXT, ingested INTEGER, task INTEGER);"
    "CREATE INDEX docs_name_key ON docs(name_key);"
    "CREATE TABLE blocks ("
    "  id INTEGER PRIMARY KEY,"
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, kind TEXT NOT NULL, page INTEGER NOT NULL,"
    "  text TEXT NOT NULL, confidence REAL, flags INTEGER NOT NULL DEFAULT 0,"
    "  weight REAL NOT NULL DEFAULT 1.0);"
    "CREATE INDEX blocks_doc ON blocks(doc_id);"
    "CREATE VIRTUAL TABLE blocks_fts USING fts5("
    "  text, content='blocks', content_rowid='id', tokenize='pledgex');"
    "CREATE TRIGGER blocks_ai AFTER INSERT ON blocks BEGIN"
    "  INSERT INTO blocks_fts(rowid, text) VALUES (new.id, new.text); END;"
    "CREATE TRIGGER blocks_ad AFTER DELETE ON blocks BEGIN"
    "  INSERT INTO blocks_fts(blocks_fts, rowid, text) VALUES ('delete', old.id, old.text); END;"
    "CREATE TABLE attrs ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, key TEXT NOT NULL, value TEXT);"
    "CREATE INDEX attrs_doc ON attrs(doc_id);"
    "CREATE TABLE entities ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, type TEXT NOT NULL, text TEXT, value TEXT, role TEXT,"
    "  folded TEXT, date_start TEXT, date_end TEXT);"
    "CREATE INDEX entities_doc ON entities(doc_id);"
    "CREATE INDEX entities_folded ON entities(type, folded);"
    "CREATE INDEX entities_dates ON entities(type, date_start, date_end);"
    "CREATE TABLE photo_refs ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL);"
    "CREATE INDEX photo_refs_doc ON photo_refs(doc_id);"
    "CREATE TABLE links ("
    "  a INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  b INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (a, b)) WITHOUT ROWID;"
    "CREATE INDEX links_b ON links(b);",

    /* 2: search.  The full-text index gets one column per ranking lane, so
     * BM25 applies field weights itself (no per-row join while ranking):
     * head (titles, captions: block weight > 1), body, weak (doubtful OCR:
     * weight < 1).  Each block fills exactly one lane; a view gives FTS5
     * the lane texts back for snippets.  The rank function is stored, so
     * "ORDER BY rank" is BM25 with those weights.  entity_names holds each
     * distinct folded unit/signatory/person name once, so a --unit filter
     * scans a few hundred names, not every entity. */
    "DROP TRIGGER blocks_ai;"
    "DROP TRIGGER blocks_ad;"
    "DROP TABLE blocks_fts;"
    "CREATE VIEW blocks_lanes AS SELECT id,"
    "  CASE WHEN weight > 1.0 THEN text END AS head,"
    "  CASE WHEN weight = 1.0 THEN text END AS body,"
    "  CASE WHEN weight < 1.0 THEN text END AS weak FROM blocks;"
    "CREATE VIRTUAL TABLE blocks_fts USING fts5("
    "  head, body, weak, content='blocks_lanes', content_rowid='id', tokenize='pledgex');"
    "CREATE TRIGGER blocks_ai AFTER INSERT ON blocks BEGIN"
    "  INSERT INTO blocks_fts(rowid, head, body, weak) VALUES (new.id,"
    "    CASE WHEN new.weight > 1.0 THEN new.text END,"
    "    CASE WHEN new.weight = 1.0 THEN new.text END,"
    "    CASE WHEN new.weight < 1.0 THEN new.text END); END;"
    "CREATE TRIGGER blocks_ad AFTER DELETE ON blocks BEGIN"
    "  INSERT INTO blocks_fts(blocks_fts, rowid, head, body, weak) VALUES ('delete', old.id,"
    "    CASE WHEN old.weight > 1.0 THEN old.text END,"
    "    CASE WHEN old.weight = 1.0 THEN old.text END,"
    "    CASE WHEN old.weight < 1.0 THEN old.text END); END;"
    "INSERT INTO blocks_fts(blocks_fts) VALUES ('rebuild');"
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0, 0.5)');"
    "CREATE TABLE entity_names ("
    "  type TEXT NOT NULL, folded TEXT NOT NULL, PRIMARY KEY (type, folded)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO entity_names SELECT type, folded FROM entities"
    "  WHERE type IN ('unit','signatory','person') AND folded IS NOT NULL;"
    "CREATE INDEX entities_doc_type ON entities(doc_id, type);"
    /* Covering indexes: the filters read doc ids without touching rows. */
    "DROP INDEX entities_folded;"
    "CREATE INDEX entities_folded ON entities(type, folded, doc_id);"
    "DROP INDEX entities_dates;"
    "CREATE INDEX entities_dates ON entities(type, date_start, date_end, doc_id);"
    "CREATE INDEX docs_kind ON docs(kind);",

    /* 3: date spans of two calendar years or more (periods such as
     * 2021/2025) get their own small index, so a date filter reads the
     * short dates from one year before its start on, and these apart.
     * entities_doc is a prefix of entities_doc_type: dropped. */
    "CREATE INDEX entities_long_dates ON entities(type, date_start, date_end, doc_id)"
    "  WHERE substr(date_end,1,4) - substr(date_start,1,4) >= 2;"
    "DROP INDEX entities_doc;",

    /* 4: blocks enter the full-text index when their batch commits (see
     * sq_flush), not row by row inside each document's savepoint, where
     * FTS5 writes a segment per document.  fts_pending lists the blocks
     * written since; a block deleted before it was indexed is only
     * struck from the list. */
    "CREATE TABLE fts_pending (id INTEGER PRIMARY KEY);"
    "DROP TRIGGER blocks_ai;"
    "DROP TRIGGER blocks_ad;"
    "CREATE TRIGGER blocks_ai AFTER INSERT ON blocks BEGIN"
    "  INSERT INTO fts_pending(id) VALUES (new.id); END;"
    "CREATE TRIGGER blocks_ad AFTER DELETE ON blocks BEGIN"
    "  INSERT INTO blocks_fts(blocks_fts, rowid, head, body, weak) SELECT 'delete', old.id,"
    "    CASE WHEN old.weight > 1.0 THEN old.text END,"
    "    CASE WHEN old.weight = 1.0 THEN old.text END,"
    "    CASE WHEN old.weight < 1.0 THEN old.text END"
    "    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id);"
    "  DELETE FROM fts_pending WHERE id = old.id; END;",

    /* 5: (ingest speed, index size) entities and attributes are clustered
     * by document (WITHOUT ROWID, keyed by doc_id and seq), which the
     * per-document reads and the cascade need and which makes the separate
     * doc_id indexes unnecessary.  The filter indexes cover only the rows a
     * filter can match (named entities, dated ones): every entity row paid
     * for four indexes, most of them for nothing.  An entity's text is
     * NULL when it equals its value (most units are written canonically);
     * readers take coalesce(text, value). */
    "CREATE TABLE entities_new ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, type TEXT NOT NULL, text TEXT, value TEXT, role TEXT,"
    "  folded TEXT, date_start TEXT, date_end TEXT,"
    "  PRIMARY KEY (doc_id, seq)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO entities_new SELECT doc_id, seq, type,"
    "  CASE WHEN text = value THEN NULL ELSE text END, value, role, folded, date_start, date_end"
    "  FROM entities;"
    "DROP TABLE entities;"
    "ALTER TABLE entities_new RENAME TO entities;"
    "CREATE INDEX entities_folded ON entities(type, folded, doc_id) WHERE folded IS NOT NULL;"
    "CREATE INDEX entities_dates ON entities(type, date_start, date_end, doc_id)"
    "  WHERE date_start IS NOT NULL;"
    "CREATE INDEX entities_long_dates ON entities(type, date_start, date_end, doc_id)"
    "  WHERE substr(date_end,1,4) - substr(date_start,1,4) >= 2;"
    "CREATE TABLE attrs_new ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, key TEXT NOT NULL, value TEXT,"
    "  PRIMARY KEY (doc_id, seq)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO attrs_new SELECT doc_id, seq, key, value FROM attrs;"
    "DROP TABLE attrs;"
    "ALTER TABLE attrs_new RENAME TO attrs;",

    /* 6: (search) identical copies of a file -- a photo in its folder, in
     * a ZIP, in a tar -- are one hit that lists the others, found by their
     * SHA-256.  The index keys on its first 16 hex digits (64 bits: short
     * keys, cheap to insert); readers compare the whole digest too. */
    "CREATE INDEX IF NOT EXISTS docs_sha ON docs(substr(sha256, 1, 16))"
    "  WHERE sha256 IS NOT NULL;",

    /* 7: (ingest speed) FTS5 gathers the terms of pending blocks in a hash
     * table and writes a segment each time it outgrows 'hashsize' (1 MB by
     * default): a batch of text then made several small segments, and
     * merging them cost the writer more than writing them.  8 MB is about
     * one segment per batch (bench/search/RESULTS.md). */
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('hashsize', 8388608);",

    /* 8: (ingest speed) filter keys in small integer tables.  Each entity
     * row paid for up to three text indexes (entities_folded,
     * entities_dates, entities_long_dates) repeating its type, folded name
     * and dates: the writer's biggest cost after the full-text insert.
     * Now a named entity stores the id of its (type, folded) row in
     * entity_names, and the filters read name_keys (name id -> document)
     * and date_keys (dates as YYYYMMDD integers -> document; multi_year marks
     * spans of two calendar years or more, read apart, as migration 3's
     * partial index did).  The writer adds a document's keys with its
     * entities; the trigger removes them before the document's rows go,
     * found through its entities, so no key outlives its document. */
    "CREATE TABLE names_new (id INTEGER PRIMARY KEY, type TEXT NOT NULL, folded TEXT NOT NULL,"
    "  UNIQUE (type, folded));"
    "INSERT INTO names_new(type, folded) SELECT type, folded FROM entity_names"
    "  UNION SELECT type, folded FROM entities WHERE folded IS NOT NULL;"
    "DROP TABLE entity_names;"
    "ALTER TABLE names_new RENAME TO entity_names;"
    "CREATE TABLE entities_new ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, type TEXT NOT NULL, text TEXT, value TEXT, role TEXT,"
    "  name_id INTEGER, date_start TEXT, date_end TEXT,"
    "  PRIMARY KEY (doc_id, seq)) WITHOUT ROWID;"
    "INSERT INTO entities_new SELECT e.doc_id, e.seq, e.type, e.text, e.value, e.role, n.id,"
    "  e.date_start, e.date_end FROM entities e"
    "  LEFT JOIN entity_names n ON n.type = e.type AND n.folded = e.folded;"
    "DROP TABLE entities;"
    "ALTER TABLE entities_new RENAME TO entities;"
    "CREATE TABLE name_keys (name_id INTEGER NOT NULL, doc_id INTEGER NOT NULL,"
    "  PRIMARY KEY (name_id, doc_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO name_keys SELECT name_id, doc_id FROM entities"
    "  WHERE name_id IS NOT NULL;"
    "CREATE TABLE date_keys (multi_year INTEGER NOT NULL, start_day INTEGER NOT NULL,"
    "  end_day INTEGER NOT NULL, doc_id INTEGER NOT NULL,"
    "  PRIMARY KEY (multi_year, start_day, end_day, doc_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO date_keys SELECT"
    "  substr(date_end,1,4) - substr(date_start,1,4) >= 2,"
    "  CAST(replace(date_start,'-','') AS INTEGER), CAST(replace(date_end,'-','') AS INTEGER),"
    "  doc_id FROM entities WHERE type = 'date' AND date_start IS NOT NULL;"
    "CREATE TRIGGER docs_keys_bd BEFORE DELETE ON docs BEGIN"
    "  DELETE FROM name_keys WHERE doc_id = old.id AND name_id IN"
    "    (SELECT name_id FROM entities WHERE doc_id = old.id AND name_id IS NOT NULL);"
    "  DELETE FROM date_keys WHERE doc_id = old.id AND (multi_year, start_day, end_day) IN"
    "    (SELECT substr(date_end,1,4) - substr(date_start,1,4) >= 2,"
    "      CAST(replace(date_start,'-','') AS INTEGER), CAST(replace(date_end,'-','') AS INTEGER)"
    "     FROM entities WHERE doc_id = old.id AND type = 'date' AND date_start IS NOT NULL);"
    "  END;",

    /* 9: (index size) the full-text index holds each word once, in its
     * exact form: it held the accent-free form too, at the same position,
     * which made it twice as large.  fold_vocab lists, for each accent-free
     * form, the exact forms the documents have; a query word typed without
     * accents is expanded into them (fts_tokenizer.c).  The writer adds the
     * pairs of each batch in the batch's transaction.
     * The body lane becomes the first column: FTS5 writes a column number
     * (two bytes) before the positions of a word in any other column, and
     * almost every block is body text -- a third of the index.  The rank
     * weights follow the columns (pxfeat's lane_weight too).
     * The index is rebuilt (the migration runner stores the pairs the
     * rebuild met); blocks waiting in fts_pending are in it already. */
    "CREATE TABLE fold_vocab (ascii TEXT NOT NULL, exact TEXT NOT NULL,"
    "  PRIMARY KEY (ascii, exact)) WITHOUT ROWID;"
    "DROP TABLE blocks_fts;"
    "CREATE VIRTUAL TABLE blocks_fts USING fts5("
    "  body, head, weak, content='blocks_lanes', content_rowid='id', tokenize='pledgex');"
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('rank', 'bm25(1.0, 2.0, 0.5)');"
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('hashsize', 8388608);"
    "DELETE FROM fts_pending;"
    "INSERT INTO blocks_fts(blocks_fts) VALUES ('rebuild');",

    /* 10: (index size) entity rows hold integers only.  Their type, text,
     * value and role strings repeat across documents (a few hundred unit
     * names, their capitalised forms and aliases, the same commitments
     * and date phrases in thousands of documents): each distinct string
     * is stored once in `strings`, and rows hold its id.  The text is
     * NULL when it is the value (as in migration 5); a date's bounds are
     * YYYYMMDD integers (start_day, end_day, as in date_keys).  Attribute
     * keys are interned too, and so are short values (kind=text,
     * encoding=UTF-8 in every document): value_id, else the text in
     * value (long values such as captions are mostly unique and would be
     * stored twice).  Strings are never deleted: they are shared, and
     * bounded by the distinct values ever seen, like entity_names.  The
     * views entities_v and attrs_v give the rows back as strings. */
    "DROP TRIGGER docs_keys_bd;"
    "CREATE TABLE strings (id INTEGER PRIMARY KEY, s TEXT NOT NULL UNIQUE);"
    /* the frequent short strings first: their ids take one byte */
    "INSERT INTO strings(s) SELECT type FROM entities UNION SELECT role FROM entities"
    "  WHERE role IS NOT NULL UNION SELECT key FROM attrs;"
    "INSERT OR IGNORE INTO strings(s) SELECT value FROM entities WHERE value IS NOT NULL"
    "  UNION SELECT text FROM entities WHERE text IS NOT NULL"
    "  UNION SELECT value FROM attrs WHERE length(CAST(value AS BLOB)) <= 16;"
    "CREATE TABLE entities_new ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, type INTEGER NOT NULL, text INTEGER, value INTEGER, role INTEGER,"
    "  name_id INTEGER, start_day INTEGER, end_day INTEGER,"
    "  PRIMARY KEY (doc_id, seq)) WITHOUT ROWID;"
    "INSERT INTO entities_new SELECT e.doc_id, e.seq, t.id,"
    "  CASE WHEN e.text = e.value THEN NULL ELSE x.id END, v.id, r.id, e.name_id,"
    "  CASE WHEN e.type = 'date' THEN CAST(replace(e.date_start,'-','') AS INTEGER) END,"
    "  CASE WHEN e.type = 'date' THEN CAST(replace(e.date_end,'-','') AS INTEGER) END"
    "  FROM entities e JOIN strings t ON t.s = e.type LEFT JOIN strings x ON x.s = e.text"
    "  LEFT JOIN strings v ON v.s = e.value LEFT JOIN strings r ON r.s = e.role;"
    "DROP TABLE entities;"
    "ALTER TABLE entities_new RENAME TO entities;"
    "CREATE TABLE attrs_new ("
    "  doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, key INTEGER NOT NULL, value_id INTEGER, value TEXT,"
    "  PRIMARY KEY (doc_id, seq)) WITHOUT ROWID;"
    "INSERT INTO attrs_new SELECT a.doc_id, a.seq, k.id, v.id,"
    "  CASE WHEN v.id IS NULL THEN a.value END"
    "  FROM attrs a JOIN strings k ON k.s = a.key LEFT JOIN strings v ON v.s = a.value;"
    "DROP TABLE attrs;"
    "ALTER TABLE attrs_new RENAME TO attrs;"
    "CREATE VIEW entities_v AS SELECT e.doc_id, e.seq, t.s AS type,"
    "  coalesce(x.s, v.s) AS text, v.s AS value, r.s AS role, e.name_id, e.start_day, e.end_day"
    "  FROM entities e JOIN strings t ON t.id = e.type LEFT JOIN strings x ON x.id = e.text"
    "  LEFT JOIN strings v ON v.id = e.value LEFT JOIN strings r ON r.id = e.role;"
    "CREATE VIEW attrs_v AS SELECT a.doc_id, a.seq, k.s AS key, coalesce(a.value, v.s) AS value"
    "  FROM attrs a JOIN strings k ON k.id = a.key LEFT JOIN strings v ON v.id = a.value_id;"
    /* migration 8's trigger, reading the integer days */
    "CREATE TRIGGER docs_keys_bd BEFORE DELETE ON docs BEGIN"
    "  DELETE FROM name_keys WHERE doc_id = old.id AND name_id IN"
    "    (SELECT name_id FROM entities WHERE doc_id = old.id AND name_id IS NOT NULL);"
    "  DELETE FROM date_keys WHERE doc_id = old.id AND (multi_year, start_day, end_day) IN"
    "    (SELECT end_day / 10000 - start_day / 10000 >= 2, start_day, end_day"
    "     FROM entities WHERE doc_id = old.id AND start_day IS NOT NULL);"
    "  END;",

    /* 11: (index size) block text compressed with zstd and a dictionary
     * trained on the index's own text (core/text_store.c): blocks.text is
     * the text (TEXT) or a zstd frame (BLOB) naming its dictionary in
     * text_dicts, and pxtext(text) is the text either way.  The view FTS5
     * reads its content from and the trigger that takes a block out of
     * the full-text index read pxtext(), so they see the text that was
     * indexed.  Rows stay as they are: the writer compresses them when it
     * trains the dictionary.  (IF NOT EXISTS: tests replay migrations on
     * a database that went back only in part.) */
    "CREATE TABLE IF NOT EXISTS text_dicts (id INTEGER PRIMARY KEY, dict BLOB NOT NULL);"
    "DROP VIEW blocks_lanes;"
    "CREATE VIEW blocks_lanes AS SELECT id,"
    "  CASE WHEN weight > 1.0 THEN pxtext(text) END AS head,"
    "  CASE WHEN weight = 1.0 THEN pxtext(text) END AS body,"
    "  CASE WHEN weight < 1.0 THEN pxtext(text) END AS weak FROM blocks;"
    "DROP TRIGGER blocks_ad;"
    "CREATE TRIGGER blocks_ad AFTER DELETE ON blocks BEGIN"
    "  INSERT INTO blocks_fts(blocks_fts, rowid, head, body, weak) SELECT 'delete', old.id,"
    "    CASE WHEN old.weight > 1.0 THEN pxtext(old.text) END,"
    "    CASE WHEN old.weight = 1.0 THEN pxtext(old.text) END,"
    "    CASE WHEN old.weight < 1.0 THEN pxtext(old.text) END"
    "    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id);"
    "  DELETE FROM fts_pending WHERE id = old.id; END;",

    /* 12: (ingest speed) FTS5 merges a level's segments once 'automerge'
     * of them are there (4 by default): during an ingest the same postings
     * were merged again and again.  At 16, the index alone of the 100k
     * benchmark corpus is written 6% faster (7.3 -> 6.85 s, twice each,
     * alternated), the whole ingest 2% (100k, medians of 4: 12.32 ->
     * 12.08 s) to 5% (10k, of 3: 1.23 -> 1.14 s); the full-text data is
     * the same size, and the 114 benchmark queries are as fast or faster
     * (p50 3.7 -> 3.3 ms, p99 26.7 -> 26.4 ms). */
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('automerge', 16);",

    /* 13: (search, ingest speed) no merging while a session writes: the
     * writer merges what it wrote when it closes (index_sqlite.c,
     * merge_segments), all of a bulk ingest's segments in one pass, where
     * merging 16 at a time during the ingest and once more at close wrote
     * each posting twice.  100k benchmark documents through the index API,
     * alternated, 3 runs each: 9.5-9.95 s -> 8.25-8.9 s, the result one
     * segment either way.  'crisismerge' still bounds the segments of a
     * session that never closes (killed): FTS5 merges a level of 128. */
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('automerge', 0);"
    "INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('crisismerge', 128);",
};

#define PLEDGEX_SCHEMA_VERSION ((int)(sizeof pledgex_migrations / sizeof pledgex_migrations[0]))

#endif
