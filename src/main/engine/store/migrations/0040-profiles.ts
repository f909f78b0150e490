/**
 * Column profiles: the stored profile of each dataset (the whole DatasetProfile as JSON, as the
 * CLI and the UI show it), and `column_pii`, one row per (dataset, column, kind) with the
 * detector's confidence and share, which other modules query directly: the query engine's
 * "any email column" filters, the linkage engine's choice of identity columns, redaction
 * policies by kind. Both are replaced whole each time a dataset is profiled.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE profiles (
      dataset_id   INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
      version      INTEGER NOT NULL,
      profiled_at  TEXT NOT NULL,
      profile      TEXT NOT NULL
    ) STRICT;

    CREATE TABLE column_pii (
      dataset_id   INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      column_idx   INTEGER NOT NULL,
      kind         TEXT NOT NULL,
      confidence   REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
      share        REAL NOT NULL CHECK (share >= 0 AND share <= 1),
      PRIMARY KEY (dataset_id, column_idx, kind),
      FOREIGN KEY (dataset_id, column_idx) REFERENCES dataset_columns (dataset_id, idx) ON DELETE CASCADE
    ) STRICT;
    CREATE INDEX column_pii_kind ON column_pii (kind, confidence);
    CREATE INDEX column_pii_dataset ON column_pii (dataset_id, confidence);
  `);
}
