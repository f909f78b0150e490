/**
 * Identity keys by record in a table of their own (issue 5, "key extraction keeps import within
 * its targets").
 *
 * Up to 0110 a record's keys were found through `identity_keys_record`, an index on
 * (dataset_id, row_id) of `identity_keys`. An extraction inserts keys in primary-key order
 * (kind, key), a random order for that index: it was dropped and rebuilt by sorting every key
 * again (10.8 s of a 36.7 s extraction of 1M records, bench/RESULTS.md "Linkage"), or kept and
 * filled at random places when the case already held more keys than the dataset adds.
 *
 * Now `identity_key_records` holds the same rows keyed by (dataset_id, row_id, kind, key), with
 * the date of birth, so every record-side query stays covered. An extraction reads records in
 * row order and appends to it; it appends to `identity_keys` in primary-key order: no sort in
 * SQLite and no random insert in either B-tree, whatever the case already holds.
 *
 * The dataset's foreign key moves to `identity_key_records`. `identity_keys` keeps none: any
 * reference to `datasets` makes deleting a dataset look up its children, and without an index on
 * identity_keys (dataset_id) — one more B-tree to fill on every extraction (+3.6 s at 1M,
 * measured) — that lookup is a scan of every key of the case. A trigger takes a record-table row's
 * twin out of `identity_keys` instead (a primary-key search), so a cascade from `datasets` and
 * a re-extraction's delete stay index searches, as 0090 made them. Only linkage/keys.ts writes
 * keys, always to both tables in one transaction.
 *
 * Rebuilt without ALTER TABLE … RENAME, like 0090 (see there why): the rows are set aside in a
 * holding table in primary-key order, and copied from it into both tables.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  // Each copy reads its source in the order it writes: only the record table's needs a sort, with
  // SQLite's sorter on two threads (6.4M keys: 12.4 → 9.9 s). Reading the old record index for
  // that order instead costs a primary-key search per key for `dob`: 110.8 s against 32.0 s for
  // the whole migration of 6.4M keys (bench/RESULTS.md "Linkage").
  const threads = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    copy(db);
  } finally {
    db.pragma(`threads = ${threads}`);
  }
}

function copy(db: WritableDB): void {
  db.exec(`
    CREATE TABLE lk_hold_keys AS
      SELECT dataset_id, row_id, kind, key, dob FROM identity_keys
      ORDER BY kind, key, dataset_id, row_id;
    DROP TABLE identity_keys;
    CREATE TABLE identity_keys (
      dataset_id INTEGER NOT NULL,
      row_id     INTEGER NOT NULL,
      kind       INTEGER NOT NULL,
      key        INTEGER NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (kind, key, dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO identity_keys (dataset_id, row_id, kind, key, dob)
      SELECT dataset_id, row_id, kind, key, dob FROM lk_hold_keys ORDER BY rowid;
    CREATE TABLE identity_key_records (
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id     INTEGER NOT NULL,
      kind       INTEGER NOT NULL,
      key        INTEGER NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (dataset_id, row_id, kind, key)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO identity_key_records (dataset_id, row_id, kind, key, dob)
      SELECT dataset_id, row_id, kind, key, dob FROM lk_hold_keys
      ORDER BY dataset_id, row_id, kind, key;
    DROP TABLE lk_hold_keys;
    CREATE TRIGGER identity_key_records_delete AFTER DELETE ON identity_key_records BEGIN
      DELETE FROM identity_keys
        WHERE kind = OLD.kind AND key = OLD.key AND dataset_id = OLD.dataset_id AND row_id = OLD.row_id;
    END;
  `);
}
