#!/usr/bin/env python3
"""Bare FTS5 baseline: the texts of a corpus inserted into a plain FTS5
table (unicode61, diacritics removed) in batched transactions, from Python.

usage: fts5_baseline.py MANIFEST DIR DB [BATCH]
Prints: docs, seconds, docs/s, database bytes."""
import os
import sqlite3
import sys
import time


def main():
    manifest, root, db = sys.argv[1:4]
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    files = [line.split("\t", 1)[0] for line in open(manifest, encoding="utf-8")]
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    t0 = time.monotonic()
    con.execute("BEGIN")
    for i, name in enumerate(files):
        with open(os.path.join(root, name), encoding="utf-8") as f:
            con.execute("INSERT INTO t(body) VALUES (?)", (f.read(),))
        if (i + 1) % batch == 0:
            con.execute("COMMIT")
            con.execute("BEGIN")
    con.execute("COMMIT")
    seconds = time.monotonic() - t0
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    print(f"fts5\t{len(files)} docs\t{seconds:.2f} s\t{len(files) / seconds:.0f} docs/s\t"
          f"{os.path.getsize(db)} bytes")


if __name__ == "__main__":
    main()
