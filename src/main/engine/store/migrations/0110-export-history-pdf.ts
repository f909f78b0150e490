/**
 * The export history records PDF reports (issue 7, point 3).
 *
 * A PDF of the report printed in the app is a file handed to someone like any export: it gets
 * its own `export_history` row (format `pdf`, the PDF's path, size and SHA-256, the policy and
 * manifest of the verified report it was printed from). 0070's CHECK allowed only the four
 * engine formats, and SQLite cannot change a CHECK in place, so the table is rebuilt with the
 * same columns, index and STRICT, rows kept as they are.
 *
 * Rebuilt without ALTER TABLE … RENAME, as 0090 explains (a rename leaves this build unable to
 * checkpoint after a rekey): rows set aside in a holding table, the table dropped and recreated
 * under its own name, rows copied back with their ids. Nothing references `export_history`, so
 * the drop cascades nowhere.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE ex_hold_history AS SELECT * FROM export_history;
    DROP TABLE export_history;

    CREATE TABLE export_history (
      id            INTEGER PRIMARY KEY,
      at            TEXT NOT NULL,
      dataset_id    INTEGER REFERENCES datasets (id) ON DELETE SET NULL,
      dataset_name  TEXT NOT NULL,
      format        TEXT NOT NULL CHECK (format IN ('csv', 'ndjson', 'xlsx', 'html', 'pdf')),
      out_path      TEXT NOT NULL,
      policy_name   TEXT NOT NULL,
      policy        TEXT NOT NULL CHECK (json_valid(policy)),
      filter        TEXT CHECK (filter IS NULL OR json_valid(filter)),
      description   TEXT NOT NULL,
      rows          INTEGER NOT NULL,
      bytes         INTEGER NOT NULL,
      sha256        TEXT NOT NULL,
      manifest      TEXT NOT NULL CHECK (json_valid(manifest))
    ) STRICT;
    CREATE INDEX export_history_dataset ON export_history (dataset_id, at);

    INSERT INTO export_history
      (id, at, dataset_id, dataset_name, format, out_path, policy_name, policy, filter,
       description, rows, bytes, sha256, manifest)
    SELECT id, at, dataset_id, dataset_name, format, out_path, policy_name, policy, filter,
       description, rows, bytes, sha256, manifest
    FROM ex_hold_history;
    DROP TABLE ex_hold_history;
  `);
}
