/**
 * Takes a dataset's identity keys out of both tables, before its keys are extracted again.
 *
 * Left to itself, `DELETE FROM identity_key_records WHERE dataset_id = ?` fires the trigger of
 * migration 0120 once per row: a primary-key search in identity_keys for each twin, in record
 * order, so at random places of a B-tree ordered by key. A 1M-record dataset (6.4M keys) took
 * 129 s that way (bench/RESULTS.md). Instead, in the caller's transaction, the trigger is set
 * aside and identity_keys is cleared of the dataset in key order, then the record table by its
 * primary-key range, and the trigger is created again from its own stored SQL:
 *  - a dataset holding a good share of the case's keys: one scan of identity_keys deleting its
 *    rows as it goes (9.7 s for the same dataset, 2.6 s of it in identity_keys);
 *  - a small one among many keys: a search per key in key order (SQLite puts the dataset's keys
 *    in order first), which reads each page of identity_keys once, not a scan of every key.
 * Either way the tables end as the trigger would leave them; the transaction makes it atomic.
 */
import type { WritableDB } from '../store/types';

const TRIGGER = 'identity_key_records_delete';

/**
 * A scan of every key beats a search per key once the dataset holds at least one key in
 * SCAN_SHARE (measured: a scan costs about 0.4 µs per key of the case, a search 3.8 µs per key
 * of the dataset).
 */
const SCAN_SHARE = 8;

/** `onStart` is told how many keys the dataset's last extraction recorded, when there are some. */
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
  if (counts.mine === 0) {
    // No extraction recorded: at most stray rows, which the trigger handles.
    db.prepare('DELETE FROM identity_key_records WHERE dataset_id = ?').run(datasetId);
    return;
  }
  onStart?.(counts.mine);
  const triggerSql = db
    .prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?")
    .pluck()
    .get(TRIGGER) as string | undefined;
  if (triggerSql === undefined) throw new Error(`the case has no ${TRIGGER} trigger`);
  // Read back and run again below: the trigger stays exactly as migration 0120 wrote it.
  db.exec('DROP TRIGGER identity_key_records_delete');
  if (counts.mine * SCAN_SHARE >= counts.total) {
    db.prepare('DELETE FROM identity_keys WHERE dataset_id = ?').run(datasetId);
  } else {
    db.prepare(
      `DELETE FROM identity_keys WHERE (kind, key, dataset_id, row_id) IN (
         SELECT kind, key, dataset_id, row_id FROM identity_key_records WHERE dataset_id = ?)`,
    ).run(datasetId);
  }
  db.prepare('DELETE FROM identity_key_records WHERE dataset_id = ?').run(datasetId);
  db.exec(triggerSql);
}
