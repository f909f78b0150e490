/**
 * The query layer's bookkeeping (issue 6).
 *
 * - `search_indexes`: one row per dataset whose full-text index (`fts_<id>`, FTS5 trigram,
 *   contentless) exists, with its state: `building` until the last chunk is in, then `ready`.
 *   A search only uses an index marked ready; anything else falls back to a scan and says so.
 * - `column_indexes`: the column indexes built on demand (`ix_ds_<id>_c_<n>`, for sorts and
 *   equality filters) and kept: which exist, when they were built and how long it took.
 * - `case_meta.cursor_key`: a random AES-256 key for the opaque page cursors. Cursors carry the
 *   last sort key of a page, which is a record value; encrypting them keeps record values out of
 *   the audit log (which records a call's input, cursor included) and makes tampering detectable.
 *
 * Never edit a shipped migration: add a new one.
 */
import { randomBytes } from 'node:crypto';
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE search_indexes (
      dataset_id  INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
      fts_table   TEXT NOT NULL UNIQUE,
      tokenizer   TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('building', 'ready')),
      rows        INTEGER NOT NULL DEFAULT 0,
      started_at  TEXT NOT NULL,
      seconds     REAL
    ) STRICT;

    CREATE TABLE column_indexes (
      dataset_id  INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      column_idx  INTEGER NOT NULL,
      name        TEXT NOT NULL UNIQUE,
      created_at  TEXT NOT NULL,
      seconds     REAL NOT NULL,
      PRIMARY KEY (dataset_id, column_idx)
    ) STRICT;
  `);
  db.prepare("INSERT INTO case_meta (key, value) VALUES ('cursor_key', ?)").run(
    randomBytes(32).toString('hex'),
  );
}
