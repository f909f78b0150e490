/**
 * One `identity_key_records` row per record instead of one per key (issue 5, "key extraction
 * keeps import within its targets").
 *
 * Under 0120 an extraction wrote every key twice: into `identity_keys` by (kind, key) and into
 * `identity_key_records` by (dataset_id, row_id, kind, key). At 1M records that is 12.8M B-tree
 * rows and 90k pages to encrypt; the record table's inserts were about a quarter of the
 * extracting thread's work (bench/RESULTS.md "Linkage").
 *
 * Now a record's keys sit in one row, a column per kind: the first key of each kind (most
 * records have one of each, from one column per role). A second key of a kind (two email
 * columns), or a key of a kind that has no column here (kinds added after this migration), is a
 * row of `identity_key_extras`, laid out as the old record table. The view
 * `identity_key_record_keys` gives both back as (dataset_id, row_id, kind, key, dob) rows, the
 * shape every record-side query read before: SQLite pushes a `dataset_id` (and `row_id`) term
 * down into each arm of the view, so each arm stays a primary-key search.
 *
 * Deleting a record row takes its keys out of `identity_keys` by eight primary-key searches (a
 * NULL column matches nothing), as 0120's trigger did for one key; `identity_key_extras` gets
 * 0120's trigger. Column names and kind codes are frozen here: linkage/record-keys.ts reads and
 * writes this layout, and its test holds the two in step.
 *
 * Rebuilt without ALTER TABLE … RENAME (see 0090): the rows are folded into a holding table in
 * the old table's primary-key order (a GROUP BY with no sort), the old table dropped, and the
 * holding table copied into the new one in the same order.
 */
import type { MigrationStep } from './index';
import type { WritableDB } from '../types';

/** Kind codes (linkage/kinds.ts) and their column, frozen as this migration writes them. */
const COLUMNS: readonly (readonly [number, string])[] = [
  [1, 'email'],
  [2, 'phone'],
  [3, 'nir'],
  [4, 'france_travail_id'],
  [5, 'iban'],
  [6, 'national_id'],
  [7, 'name_dob'],
  [8, 'name_postal'],
];

export function up(db: WritableDB, _now: Date, step: MigrationStep): void {
  const total = Number(
    db.prepare('SELECT coalesce(sum(keys), 0) FROM identity_keysets').pluck().get() as number,
  );
  // SQL fragments from the frozen list above (integers and fixed names only).
  const codesSql = COLUMNS.map(([code]) => code).join(', ');
  const namesSql = COLUMNS.map(([, name]) => name).join(', ');
  const foldSql = COLUMNS.map(
    ([code, name]) => `min(key) FILTER (WHERE kind = ${code}) AS ${name}`,
  ).join(',\n             ');
  const columnsSql = COLUMNS.map(([, name]) => `${name} INTEGER`).join(',\n      ');
  const deletesSql = COLUMNS.map(
    ([code, name]) => `DELETE FROM identity_keys
        WHERE kind = ${code} AND key = OLD.${name} AND dataset_id = OLD.dataset_id AND row_id = OLD.row_id;`,
  ).join('\n      ');
  const armsSql = COLUMNS.map(
    ([code, name]) =>
      `SELECT dataset_id, row_id, ${code}, ${name}, dob FROM identity_key_records WHERE ${name} IS NOT NULL`,
  ).join('\n      UNION ALL ');
  step('folding the identity keys by record', 0, total);
  db.exec(`
    CREATE TABLE identity_key_extras (
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id     INTEGER NOT NULL,
      kind       INTEGER NOT NULL,
      key        INTEGER NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (dataset_id, row_id, kind, key)
    ) STRICT, WITHOUT ROWID;
    -- The first (smallest) key of each kind goes to its column, the others here.
    INSERT INTO identity_key_extras (dataset_id, row_id, kind, key, dob)
      SELECT dataset_id, row_id, kind, key, dob FROM (
        SELECT dataset_id, row_id, kind, key, dob,
               row_number() OVER (PARTITION BY dataset_id, row_id, kind ORDER BY key) AS n
        FROM identity_key_records)
      WHERE n > 1 OR kind NOT IN (${codesSql});
    CREATE TABLE lk_hold_records AS
      SELECT dataset_id, row_id, max(dob) AS dob,
             ${foldSql}
      FROM identity_key_records
      GROUP BY dataset_id, row_id
      HAVING count(*) FILTER (WHERE kind IN (${codesSql})) > 0;
  `);
  step('folding the identity keys by record', total, total);
  step('writing the record table', 0, 0);
  db.exec(`
    DROP TRIGGER identity_key_records_delete;
    DROP TABLE identity_key_records;
    CREATE TABLE identity_key_records (
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id     INTEGER NOT NULL,
      dob        INTEGER,
      ${columnsSql},
      PRIMARY KEY (dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO identity_key_records (dataset_id, row_id, dob, ${namesSql})
      SELECT dataset_id, row_id, dob, ${namesSql} FROM lk_hold_records ORDER BY rowid;
    DROP TABLE lk_hold_records;
    CREATE TRIGGER identity_key_records_delete AFTER DELETE ON identity_key_records BEGIN
      ${deletesSql}
    END;
    CREATE TRIGGER identity_key_extras_delete AFTER DELETE ON identity_key_extras BEGIN
      DELETE FROM identity_keys
        WHERE kind = OLD.kind AND key = OLD.key AND dataset_id = OLD.dataset_id AND row_id = OLD.row_id;
    END;
    CREATE VIEW identity_key_record_keys (dataset_id, row_id, kind, key, dob) AS
      ${armsSql}
      UNION ALL SELECT dataset_id, row_id, kind, key, dob FROM identity_key_extras;
  `);
  step('writing the record table', 1, 1);
}
