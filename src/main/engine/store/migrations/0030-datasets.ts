/**
 * Imported evidence: one `sources` row per imported file (its identity and chain-of-custody
 * facts), one `datasets` row per table found in it, the original column names of each dataset
 * (user strings are values here, never SQL: the physical table is `ds_<id>` with columns `c_<n>`),
 * and the rejects (malformed records with their location, reason and raw text).
 *
 * A dataset is `importing` while its rows are being written; only the final step marks it
 * `ready` (or `incomplete` for a truncated source). A killed import leaves `importing`, which the
 * next open turns into `interrupted`: never shown as complete.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE sources (
      id           INTEGER PRIMARY KEY,
      file_name    TEXT NOT NULL,
      file_path    TEXT NOT NULL,
      bytes        INTEGER NOT NULL,
      mtime        TEXT NOT NULL,
      sha256       TEXT,
      format       TEXT NOT NULL,
      encoding     TEXT,
      compression  TEXT,
      details      TEXT NOT NULL DEFAULT '{}',
      started_at   TEXT NOT NULL,
      finished_at  TEXT,
      status       TEXT NOT NULL CHECK (status IN ('importing', 'complete', 'truncated', 'failed', 'cancelled', 'interrupted')),
      message      TEXT
    ) STRICT;

    CREATE TABLE datasets (
      id           INTEGER PRIMARY KEY,
      source_id    INTEGER NOT NULL REFERENCES sources (id),
      name         TEXT NOT NULL UNIQUE,
      source_table TEXT NOT NULL,
      source_member TEXT,
      physical     TEXT NOT NULL UNIQUE,
      rows         INTEGER NOT NULL DEFAULT 0,
      rejected     INTEGER NOT NULL DEFAULT 0,
      status       TEXT NOT NULL CHECK (status IN ('importing', 'ready', 'incomplete', 'failed', 'cancelled', 'interrupted')),
      created_at   TEXT NOT NULL
    ) STRICT;
    CREATE INDEX datasets_source ON datasets (source_id);

    CREATE TABLE dataset_columns (
      dataset_id   INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      idx          INTEGER NOT NULL,
      name         TEXT NOT NULL,
      path         TEXT NOT NULL,
      PRIMARY KEY (dataset_id, idx)
    ) STRICT;

    CREATE TABLE rejects (
      id           INTEGER PRIMARY KEY,
      source_id    INTEGER NOT NULL REFERENCES sources (id),
      dataset_id   INTEGER REFERENCES datasets (id) ON DELETE CASCADE,
      ordinal      INTEGER,
      line         INTEGER,
      offset       INTEGER NOT NULL,
      reason       TEXT NOT NULL,
      raw          TEXT NOT NULL
    ) STRICT;
    CREATE INDEX rejects_dataset ON rejects (dataset_id, ordinal);
    CREATE INDEX rejects_source ON rejects (source_id);
  `);
}
