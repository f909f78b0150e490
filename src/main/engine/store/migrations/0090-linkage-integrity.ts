/**
 * Referential integrity of the linkage tables (issue 5 follow-up).
 *
 * Migration 0060 left `identity_keys`, `match_runs`, `match_pairs` and `clusters` without a
 * foreign key to the dataset their rows describe, so deleting a dataset would have left its keys,
 * its matches and its cluster memberships behind (and overlap, duplicates and the query engine's
 * "seen in" filter would have kept counting them). Every other per-dataset table
 * (`dataset_columns`, `rejects`, `column_pii`, `identity_keysets`, `record_tags`...) references
 * `datasets (id) ON DELETE CASCADE`; this migration gives the linkage tables the same rule:
 *
 * - `identity_keys.dataset_id`, `clusters.dataset_id`: cascade with their dataset;
 * - `match_runs.a_dataset` / `b_dataset`: a run goes with either of its datasets, and its pairs
 *   with it (`match_pairs.run_id` already cascades);
 * - `match_pairs.a_dataset` / `b_dataset`: cascade too, so a pair never outlives a dataset even
 *   if its run row is kept.
 *
 * SQLite cannot add a constraint to an existing table, so each table is rebuilt, keeping its columns, primary key, STRICT / WITHOUT
 * ROWID and index names, so every query plan held by test/unit/migrations/0060-linkage.test.ts
 * stays as it was. Rows that already point to a missing dataset are orphans and are not copied.
 * Each cascade is served by an index that starts with the referencing column (the record index
 * `identity_keys_record`, the `clusters` and `match_pairs` primary keys, `match_pairs_b`,
 * `match_runs_datasets`, and the new `match_runs_b`).
 *
 * `cluster_sizes` holds no dataset column: it is a summary rewritten by every `clusters` run.
 *
 * Rebuilt without ALTER TABLE … RENAME (SQLite's documented create-copy-drop-rename procedure):
 * on this build a rename leaves the connection unable to checkpoint after a rekey ("database
 * table is locked", caught by test/unit/store/case-file.test.ts), so the rows are set aside in
 * holding tables, the tables dropped and recreated under their own names, and the rows copied
 * back. Runs inside migrate()'s transaction with foreign keys on: `match_pairs` is dropped before
 * `match_runs`, so no drop cascades.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  // Rows to keep, set aside in plain holding tables (orphans of a missing dataset are left out).
  db.exec(`
    CREATE TABLE lk_hold_keys AS
      SELECT dataset_id, row_id, kind, key, dob FROM identity_keys
      WHERE dataset_id IN (SELECT id FROM datasets);
    CREATE TABLE lk_hold_runs AS
      SELECT id, a_dataset, b_dataset, fuzzy, threshold, pairs, model, created_at FROM match_runs
      WHERE a_dataset IN (SELECT id FROM datasets) AND b_dataset IN (SELECT id FROM datasets);
    CREATE TABLE lk_hold_pairs AS
      SELECT a_dataset, a_row, b_dataset, b_row, score, run_id, keys FROM match_pairs
      WHERE run_id IN (SELECT id FROM lk_hold_runs)
        AND a_dataset IN (SELECT id FROM datasets) AND b_dataset IN (SELECT id FROM datasets);
    CREATE TABLE lk_hold_clusters AS
      SELECT dataset_id, row_id, cluster_id FROM clusters
      WHERE dataset_id IN (SELECT id FROM datasets);

    DROP TABLE identity_keys;
    DROP TABLE match_pairs;
    DROP TABLE match_runs;
    DROP TABLE clusters;

    CREATE TABLE identity_keys (
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id     INTEGER NOT NULL,
      kind       TEXT NOT NULL,
      key        TEXT NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (kind, key, dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE match_runs (
      id          INTEGER PRIMARY KEY,
      a_dataset   INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      b_dataset   INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      fuzzy       INTEGER NOT NULL,
      threshold   REAL NOT NULL,
      pairs       INTEGER NOT NULL,
      model       TEXT NOT NULL,
      created_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE match_pairs (
      a_dataset INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      a_row     INTEGER NOT NULL,
      b_dataset INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      b_row     INTEGER NOT NULL,
      score     REAL NOT NULL,
      run_id    INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
      keys      TEXT NOT NULL,
      PRIMARY KEY (a_dataset, a_row, b_dataset, b_row)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE clusters (
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id     INTEGER NOT NULL,
      cluster_id INTEGER NOT NULL,
      PRIMARY KEY (dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;

    -- Copied back in primary-key order (an append per B-tree), indexes built after.
    INSERT INTO identity_keys (dataset_id, row_id, kind, key, dob)
      SELECT dataset_id, row_id, kind, key, dob FROM lk_hold_keys
      ORDER BY kind, key, dataset_id, row_id;
    INSERT INTO match_runs (id, a_dataset, b_dataset, fuzzy, threshold, pairs, model, created_at)
      SELECT id, a_dataset, b_dataset, fuzzy, threshold, pairs, model, created_at FROM lk_hold_runs
      ORDER BY id;
    INSERT INTO match_pairs (a_dataset, a_row, b_dataset, b_row, score, run_id, keys)
      SELECT a_dataset, a_row, b_dataset, b_row, score, run_id, keys FROM lk_hold_pairs
      ORDER BY a_dataset, a_row, b_dataset, b_row;
    INSERT INTO clusters (dataset_id, row_id, cluster_id)
      SELECT dataset_id, row_id, cluster_id FROM lk_hold_clusters
      ORDER BY dataset_id, row_id;

    DROP TABLE lk_hold_keys;
    DROP TABLE lk_hold_runs;
    DROP TABLE lk_hold_pairs;
    DROP TABLE lk_hold_clusters;

    CREATE INDEX identity_keys_record ON identity_keys (dataset_id, row_id);
    CREATE INDEX match_runs_datasets ON match_runs (a_dataset, b_dataset);
    CREATE INDEX match_runs_b ON match_runs (b_dataset);
    CREATE INDEX match_pairs_b ON match_pairs (b_dataset, b_row);
    CREATE INDEX match_pairs_run ON match_pairs (run_id);
    CREATE INDEX clusters_cluster ON clusters (cluster_id);
  `);
}
