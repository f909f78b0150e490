/**
 * Linkage tables (issue 5), shared by every dataset of the case and read by the query engine's
 * linkage filters (issue 6: "seen in dataset X", "matched with score ≥ s", "cluster size ≥ n").
 *
 * - `identity_keys`: one row per identity key of a record (kind: email, phone, nir,
 *   france_travail_id, iban, national_id, name_dob, name_postal; key: its normalised value) with
 *   the record's date of birth as yyyymmdd (a shared mailbox with an incompatible date of birth is
 *   a family or an employer, not one person). WITHOUT ROWID with the primary key
 *   (kind, key, dataset_id, row_id): that key IS the (kind, key) index, and because equal keys of
 *   every dataset sit side by side, an overlap is a merge along one index. A second index on
 *   (dataset_id, row_id) serves "the keys of this record".
 * - `identity_keysets`: which datasets have keys, from which column roles (profile or headers).
 * - `match_runs` / `match_pairs`: record pairs found by a `matches` run, stored once per pair in a
 *   canonical orientation (a_dataset < b_dataset, or a_row < b_row inside one dataset).
 * - `clusters` / `cluster_sizes`: the person view (union-find across all datasets). Only records
 *   of clusters of two or more records are listed; a record absent from `clusters` is alone.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE identity_keys (
      dataset_id INTEGER NOT NULL,
      row_id     INTEGER NOT NULL,
      kind       TEXT NOT NULL,
      key        TEXT NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (kind, key, dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX identity_keys_record ON identity_keys (dataset_id, row_id);

    CREATE TABLE identity_keysets (
      dataset_id  INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
      roles       TEXT NOT NULL,
      role_source TEXT NOT NULL CHECK (role_source IN ('profile', 'headers', 'none')),
      records     INTEGER NOT NULL,
      keys        INTEGER NOT NULL,
      seconds     REAL NOT NULL,
      created_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE match_runs (
      id          INTEGER PRIMARY KEY,
      a_dataset   INTEGER NOT NULL,
      b_dataset   INTEGER NOT NULL,
      fuzzy       INTEGER NOT NULL,
      threshold   REAL NOT NULL,
      pairs       INTEGER NOT NULL,
      model       TEXT NOT NULL,
      created_at  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX match_runs_datasets ON match_runs (a_dataset, b_dataset);

    CREATE TABLE match_pairs (
      a_dataset INTEGER NOT NULL,
      a_row     INTEGER NOT NULL,
      b_dataset INTEGER NOT NULL,
      b_row     INTEGER NOT NULL,
      score     REAL NOT NULL,
      run_id    INTEGER NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
      keys      TEXT NOT NULL,
      PRIMARY KEY (a_dataset, a_row, b_dataset, b_row)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX match_pairs_b ON match_pairs (b_dataset, b_row);
    CREATE INDEX match_pairs_run ON match_pairs (run_id);

    CREATE TABLE clusters (
      dataset_id INTEGER NOT NULL,
      row_id     INTEGER NOT NULL,
      cluster_id INTEGER NOT NULL,
      PRIMARY KEY (dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX clusters_cluster ON clusters (cluster_id);

    CREATE TABLE cluster_sizes (
      cluster_id INTEGER PRIMARY KEY,
      size       INTEGER NOT NULL,
      datasets   INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX cluster_sizes_size ON cluster_sizes (size);
  `);
}
