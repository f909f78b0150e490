/**
 * Compact identity keys (issue 5, "key extraction keeps import within its targets").
 *
 * Under 0060/0090 every key was written twice as text: in the (kind, key, dataset_id, row_id)
 * primary key and in the (dataset_id, row_id) record index, ≈ 45-byte entries, 6.4 keys per
 * record of a French leak: 2.4× the bytes of the imported rows. Here the same two B-trees hold
 * integers only, same column names, same index names, so every query plan stays as it was:
 *
 * - `kind`: an integer code (linkage/kinds.ts KEY_KIND_CODE, frozen);
 * - `key`: the 64-bit hash of the normalised value (linkage/hash.ts keyHash64; the collision
 *   rate is argued there). The text is not stored: wherever a key is shown (duplicate groups,
 *   the record detail pane) it is recomputed from the record, which is the evidence anyway.
 *
 * Existing keys are converted in place (hashed by a function registered for the copy), in
 * primary-key order; rows of an unknown kind cannot come from the engine and are dropped. Rebuilt
 * without ALTER TABLE … RENAME, like 0090 (see there why).
 */
import { keyHash64 } from '../../linkage/hash';
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.function('lk_m0100_hash', { deterministic: true }, (key: unknown) => keyHash64(String(key)));
  // The codes of linkage/kinds.ts KEY_KIND_CODE, written out: a migration is frozen in time.
  db.exec(`
    CREATE TABLE lk_hold_keys AS
      SELECT dataset_id, row_id,
        CASE kind WHEN 'email' THEN 1 WHEN 'phone' THEN 2 WHEN 'nir' THEN 3
          WHEN 'france_travail_id' THEN 4 WHEN 'iban' THEN 5 WHEN 'national_id' THEN 6
          WHEN 'name_dob' THEN 7 WHEN 'name_postal' THEN 8 END AS kind,
        lk_m0100_hash(key) AS key, dob
      FROM identity_keys;
    DELETE FROM lk_hold_keys WHERE kind IS NULL;
    DROP TABLE identity_keys;
    CREATE TABLE identity_keys (
      dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      row_id     INTEGER NOT NULL,
      kind       INTEGER NOT NULL,
      key        INTEGER NOT NULL,
      dob        INTEGER,
      PRIMARY KEY (kind, key, dataset_id, row_id)
    ) STRICT, WITHOUT ROWID;
    INSERT OR IGNORE INTO identity_keys (dataset_id, row_id, kind, key, dob)
      SELECT dataset_id, row_id, kind, key, dob FROM lk_hold_keys
      ORDER BY kind, key, dataset_id, row_id;
    DROP TABLE lk_hold_keys;
    CREATE INDEX identity_keys_record ON identity_keys (dataset_id, row_id);
  `);
}
