/**
 * The hot SQL of the linkage, in one place so that test/unit/migrations/0060-linkage.test.ts can
 * hold every plan to the index it depends on (EXPLAIN QUERY PLAN).
 *
 * Two plans per question, chosen by the share of the case's records the dataset holds:
 * - `scan`: walk the (kind, key, dataset_id, row_id) primary key for one kind, keeping the
 *   dataset's rows (`+dataset_id` keeps SQLite from reading it another way); equal keys of
 *   other datasets are next door, so each lookup hits a page already in cache. Cost ∝ the case's
 *   keys of that kind, read in order: right when the dataset is a large share of the case.
 * - `seek`: take the dataset's keys by record (the view `identity_key_record_keys` over the
 *   record table and its extras, each keyed by dataset_id, row_id; migration 0130) and look each
 *   one up in the primary key. Cost ∝ the dataset's keys, but each lookup is a random page: right
 *   for a small dataset in a large case.
 *
 * A shared key only counts when the two dates of birth do not conflict (`lk_dob_ok`): a mailbox
 * or a phone shared by people born on different days is a family's or an office's.
 *
 * `kind` is a kind's integer code (kinds.ts KEY_KIND_CODE) and `key` the 64-bit hash of the value
 * (migration 0100): bind codes, and read keys with safeIntegers where their value matters.
 */
import type { ReadableDB } from '../store/types';
import { datesConflict } from './normalize';

export type Plan = 'scan' | 'seek';

/** Seek when the dataset holds less than this share of the case's records. */
export const SEEK_BELOW_SHARE = 0.02;

const registered = new WeakSet<object>();

/** Registers the SQL functions the linkage queries use on this connection (once). */
export function registerLinkageFunctions(db: ReadableDB): void {
  if (registered.has(db)) return;
  db.function('lk_dob_ok', { deterministic: true }, (a: unknown, b: unknown): number =>
    datesConflict(typeof a === 'number' ? a : null, typeof b === 'number' ? b : null) ? 0 : 1,
  );
  registered.add(db);
}

export function choosePlan(db: ReadableDB, datasetId: number): Plan {
  const row = db
    .prepare(
      'SELECT coalesce(sum(records), 0) AS total, coalesce(sum(CASE WHEN dataset_id = ? THEN records END), 0) AS mine FROM identity_keysets',
    )
    .get(datasetId) as { total: number; mine: number };
  return row.total > 0 && row.mine < row.total * SEEK_BELOW_SHARE ? 'seek' : 'scan';
}

/**
 * Datasets whose keys are whole: an extraction writes its `identity_keysets` row last, after
 * transactions that leave the write lock free (keys.ts KEY_TX_MS), so the keys of a dataset being
 * extracted are read by nobody. An uncorrelated IN: SQLite builds the set once per statement;
 * written `+dataset_id IN` so that it filters the rows of a key's range instead of turning the
 * range into one search per keyed dataset.
 */
export const KEYED_SQL = '(SELECT dataset_id FROM identity_keysets)';

const DOB_OK = '(a.dob IS NULL OR b.dob IS NULL OR a.dob = b.dob OR lk_dob_ok(a.dob, b.dob) = 1)';

/** Groups of dataset @a's records sharing a key of kind @kind: (key, "row:dob,row:dob,..."). */
export const GROUPS_SQL: Record<Plan, string> = {
  scan: `SELECT key, group_concat(row_id || ':' || coalesce(dob, 0), ',') AS m
         FROM identity_keys WHERE kind = @kind AND +dataset_id = @a
         GROUP BY key HAVING count(*) > 1`,
  seek: `SELECT key, group_concat(row_id || ':' || coalesce(dob, 0), ',') AS m
         FROM identity_key_record_keys WHERE dataset_id = @a AND kind = @kind
         GROUP BY key HAVING count(*) > 1`,
};

/** Records of dataset @a sharing a key of kind @kind with a record of another dataset. */
export const CROSS_PAIRS_SQL: Record<Plan, string> = {
  scan: `SELECT a.row_id, b.dataset_id, b.row_id
         FROM identity_keys AS a CROSS JOIN identity_keys AS b
         WHERE a.kind = @kind AND +a.dataset_id = @a
           AND b.kind = a.kind AND b.key = a.key AND b.dataset_id <> a.dataset_id
           AND +b.dataset_id IN ${KEYED_SQL} AND ${DOB_OK}`,
  seek: `SELECT a.row_id, b.dataset_id, b.row_id
         FROM identity_key_record_keys AS a CROSS JOIN identity_keys AS b
         WHERE a.dataset_id = @a AND a.kind = @kind
           AND b.kind = a.kind AND b.key = a.key AND b.dataset_id <> a.dataset_id
           AND +b.dataset_id IN ${KEYED_SQL} AND ${DOB_OK}`,
};

/**
 * Record pairs of dataset @a and dataset @b sharing a key of kind @kind (@a = @b: pairs inside one
 * dataset, each once).
 */
export const PAIRS_SQL: Record<Plan, string> = {
  scan: `SELECT a.row_id, b.row_id
         FROM identity_keys AS a CROSS JOIN identity_keys AS b
         WHERE a.kind = @kind AND +a.dataset_id = @a
           AND b.kind = a.kind AND b.key = a.key AND b.dataset_id = @b
           AND (@a <> @b OR b.row_id > a.row_id) AND ${DOB_OK}`,
  seek: `SELECT a.row_id, b.row_id
         FROM identity_key_record_keys AS a CROSS JOIN identity_keys AS b
         WHERE a.dataset_id = @a AND a.kind = @kind
           AND b.kind = a.kind AND b.key = a.key AND b.dataset_id = @b
           AND (@a <> @b OR b.row_id > a.row_id) AND ${DOB_OK}`,
};

/** The keys of one record (detail pane): the record table and its extras (migration 0130). */
export const RECORD_KEYS_SQL =
  'SELECT kind, key, dob FROM identity_key_record_keys WHERE dataset_id = ? AND row_id = ?';

/** Other records carrying one key value (detail pane): uses the primary key. */
export const KEY_HOLDERS_SQL = `SELECT dataset_id, row_id, dob FROM identity_keys
  WHERE kind = ? AND key = ? AND +dataset_id IN ${KEYED_SQL} LIMIT ?`;
