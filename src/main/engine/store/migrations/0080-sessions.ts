/**
 * Saved query sessions and investigators' marks on records (issue 8).
 *
 * - `sessions`: named session documents (src/shared/session.ts), stored as JSON with the schema
 *   version they were written in, so an old document is upgraded by `restore()` when read rather
 *   than rewritten here (a migration never needs to understand session JSON).
 * - `session_autosave`: the one unnamed "last session" slot, overwritten on every autosave and
 *   restored when the case opens; a single-row table because SQLite's UNIQUE lets any number of
 *   NULL names through, so "unnamed" cannot live in `sessions`.
 * - `record_tags` / `record_notes`: tags ("victim contacted", "fake", ...) and one free-text note
 *   per record, keyed by the record's row id in its dataset table. Both are WITHOUT ROWID: the
 *   primary key is the lookup, and the filter nodes `{tag}` / `{hasNote}` read them by
 *   `(dataset_id, tag)` and `(dataset_id, row_id)`.
 *
 * Never edit a shipped migration: add a new one.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE sessions (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
      version     INTEGER NOT NULL,
      document    TEXT NOT NULL CHECK (json_valid(document)),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sessions_updated ON sessions (updated_at);

    CREATE TABLE session_autosave (
      slot        INTEGER PRIMARY KEY CHECK (slot = 1),
      version     INTEGER NOT NULL,
      document    TEXT NOT NULL CHECK (json_valid(document)),
      updated_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE record_tags (
      dataset_id  INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id      INTEGER NOT NULL,
      tag         TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 100),
      author      TEXT,
      at          TEXT NOT NULL,
      PRIMARY KEY (dataset_id, row_id, tag)
    ) STRICT, WITHOUT ROWID;
    -- "rows of dataset D tagged T" (the {tag} filter node) and per-tag counts.
    CREATE INDEX record_tags_by_tag ON record_tags (dataset_id, tag, row_id);

    CREATE TABLE record_notes (
      dataset_id  INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id      INTEGER NOT NULL,
      note        TEXT NOT NULL CHECK (length(note) > 0),
      author      TEXT,
      at          TEXT NOT NULL,
      PRIMARY KEY (dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;
  `);
}
