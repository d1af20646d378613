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
    "  kind TEXT, ingested INTEGER);"
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
};

#define PLEDGEX_SCHEMA_VERSION ((int)(sizeof pledgex_migrations / sizeof pledgex_migrations[0]))

#endif
