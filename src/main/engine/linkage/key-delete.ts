/**
 * Takes a dataset's identity keys out of the three tables, before its keys are extracted again.
 *
 * Left to themselves, `DELETE FROM identity_key_records WHERE dataset_id = ?` (and the same on
 * `identity_key_extras`) fire the triggers of migration 0130 once per row: primary-key searches
 * in identity_keys for the record's keys, in record order, so at random places of a B-tree
 * ordered by key. A 1M-record dataset (6.4M keys) took 129 s that way (bench/RESULTS.md, under
 * 0120's one-row-per-key trigger). Instead, in the caller's transaction, the triggers are set
 * aside and identity_keys is cleared of the dataset in key order, then the record tables by their
 * primary-key range, and the triggers are created again from their own stored SQL:
 *  - a dataset holding a good share of the case's keys: one scan of identity_keys deleting its
 *    rows as it goes (9.7 s for the same dataset, 2.6 s of it in identity_keys);
 *  - a small one among many keys: a search per key in key order (SQLite puts the dataset's keys
 *    in order first), which reads each page of identity_keys once, not a scan of every key.
 * Either way the tables end as the triggers would leave them; the transaction makes it atomic.
 */
import type { WritableDB } from '../store/types';

/** The record tables (migration 0130), each with the trigger that deletes its keys' twins. */
const RECORD_TABLES = [
  { tableSql: 'identity_key_records', trigger: 'identity_key_records_delete' },
  { tableSql: 'identity_key_extras', trigger: 'identity_key_extras_delete' },
] as const;

/**
 * A scan of every key beats a search per key once the dataset holds at least one key in
 * SCAN_SHARE (measured: a scan costs about 0.4 µs per key of the case, a search 3.8 µs per key
 * of the dataset).
 */
const SCAN_SHARE = 8;

/** `onStart` is told how many keys the dataset holds, when there are some. */
export function deleteDatasetKeys(
  db: WritableDB,
  datasetId: number,
  onStart?: (keys: number) => void,
): void {
  const counts = db
    .prepare(
      'SELECT coalesce(sum(keys) FILTER (WHERE dataset_id = ?), 0) AS mine, coalesce(sum(keys), 0) AS total FROM identity_keysets',
    )
    .get(datasetId) as { mine: number; total: number };
  // No extraction recorded: none, or the rows an interrupted one left (its keyset row is written
  // last, keys.ts), counted from the record tables (a primary-key range per table).
  const mine =
    counts.mine ||
    (db
      .prepare('SELECT count(*) FROM identity_key_record_keys WHERE dataset_id = ?')
      .pluck()
      .get(datasetId) as number);
  if (mine === 0) return;
  const total = counts.mine ? counts.total : counts.total + mine;
  onStart?.(mine);
  const triggers = RECORD_TABLES.map(({ trigger }) => {
    const sql = db
      .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?")
      .pluck()
      .get(trigger) as string | undefined;
    if (sql === undefined) throw new Error(`the case has no ${trigger} trigger`);
    return { dropSql: `DROP TRIGGER ${trigger}`, sql };
  });
  // Read back and run again below: the triggers stay exactly as migration 0130 wrote them.
  for (const { dropSql } of triggers) db.exec(dropSql);
  if (mine * SCAN_SHARE >= total) {
    db.prepare('DELETE FROM identity_keys WHERE dataset_id = ?').run(datasetId);
  } else {
    db.prepare(
      `DELETE FROM identity_keys WHERE (kind, key, dataset_id, row_id) IN (
         SELECT kind, key, dataset_id, row_id FROM identity_key_record_keys WHERE dataset_id = ?)`,
    ).run(datasetId);
  }
  for (const { tableSql } of RECORD_TABLES)
    db.prepare(`DELETE FROM ${tableSql} WHERE dataset_id = ?`).run(datasetId);
  for (const { sql } of triggers) db.exec(sql);
}
