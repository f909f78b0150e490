/**
 * Identity key extraction: the post-import step that fills `identity_keys` for a dataset (after
 * the profile step, whose column kinds choose the columns), and the on-demand extraction for
 * datasets imported before it existed.
 *
 * Rows are streamed in keyset pages; key rows are buffered, sorted by (kind, key) and inserted in
 * large transactions with multi-row statements. Inserting into the two B-trees of
 * `identity_keys` (one ordered by key across the whole case, one by record) is most of the cost;
 * sorted buffers cut it by about 40% once the case already holds millions of keys (measured while
 * building bench/linkage-speed.bench.ts). Memory stays bounded by the buffer.
 */
import type { JobProgress } from '../../../shared/api';
import { getMeta } from '../store/meta';
import type { ReadableDB, WritableDB } from '../store/types';
import { datasetRoles } from './columns';
import { recordReader, type KeyKind, type RecordOptions } from './records';

/** Key rows buffered before one sorted, transactional insert. */
export const KEY_BUFFER_ROWS = 400_000;
/** Key rows per INSERT statement. */
const INSERT_ROWS = 100;
const valuesSql = new Array(INSERT_ROWS).fill('(?, ?, ?, ?, ?)').join(', ');
const PAGE_ROWS = 10_000;

/** Case setting: region of phone numbers written without a country code (default FR). */
export const PHONE_REGION_META = 'linkage.phone_region';

export function linkageOptions(db: ReadableDB): RecordOptions {
  let region: string | null = null;
  try {
    region = getMeta(db, PHONE_REGION_META);
  } catch {
    region = null;
  }
  return { defaultRegion: region ?? 'FR' };
}

export interface KeyHooks {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  now?: () => Date;
}

export interface KeyExtraction {
  datasetId: number;
  records: number;
  keys: number;
  byKind: Partial<Record<KeyKind, number>>;
  roleSource: 'profile' | 'headers' | 'none';
  seconds: number;
}

/** True when the dataset's keys were extracted (by the import step or on demand). */
export function hasKeys(db: ReadableDB, datasetId: number): boolean {
  return (
    db.prepare('SELECT 1 FROM identity_keysets WHERE dataset_id = ?').get(datasetId) !== undefined
  );
}

/** (Re-)extracts the identity keys of one dataset. Idempotent: old keys are replaced. */
export function extractKeys(
  db: WritableDB,
  datasetId: number,
  hooks: KeyHooks = {},
): KeyExtraction {
  const t0 = performance.now();
  const roles = datasetRoles(db, datasetId);
  const reader = recordReader(db, datasetId, { ...linkageOptions(db), keysOnly: true }, roles);
  const total =
    (db.prepare('SELECT rows FROM datasets WHERE id = ?').get(datasetId) as { rows: number })
      ?.rows ?? 0;
  db.prepare('DELETE FROM identity_keys WHERE dataset_id = ?').run(datasetId);
  db.prepare('DELETE FROM identity_keysets WHERE dataset_id = ?').run(datasetId);
  // Multi-row VALUES: one statement execution per INSERT_ROWS key rows roughly halves the cost
  // of crossing into SQLite row by row (measured in bench/linkage-speed.bench.ts).
  const insertMany = db.prepare(
    `INSERT OR IGNORE INTO identity_keys (dataset_id, row_id, kind, key, dob) VALUES ${valuesSql}`,
  );
  const insertOne = db.prepare(
    'INSERT OR IGNORE INTO identity_keys (dataset_id, row_id, kind, key, dob) VALUES (?, ?, ?, ?, ?)',
  );
  const byKind: Partial<Record<KeyKind, number>> = {};
  // Pending key rows, flat: dataset, row, kind, key, dob, dataset, row, ...
  let pending: unknown[] = [];
  let keyCount = 0;
  let records = 0;
  let lastProgress = 0;

  const flush = () => {
    const n = pending.length / 5;
    if (n === 0) return;
    // Insert in (kind, key) order: the primary key then takes the buffer as one ordered sweep
    // (each page read and written once), while the record index only receives rows of this
    // buffer's row range, a small tail that stays in cache.
    const sortKey = new Array<string>(n);
    for (let i = 0; i < n; i++)
      sortKey[i] = `${pending[i * 5 + 2] as string}\u0000${pending[i * 5 + 3] as string}`;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((x, y) => (sortKey[x] < sortKey[y] ? -1 : sortKey[x] > sortKey[y] ? 1 : 0));
    db.transaction(() => {
      const params = new Array<unknown>(INSERT_ROWS * 5);
      let i = 0;
      for (; i + INSERT_ROWS <= n; i += INSERT_ROWS) {
        for (let j = 0; j < INSERT_ROWS; j++) {
          const src = order[i + j] * 5;
          for (let f = 0; f < 5; f++) params[j * 5 + f] = pending[src + f];
        }
        insertMany.run(params);
      }
      for (; i < n; i++) insertOne.run(pending.slice(order[i] * 5, order[i] * 5 + 5));
    })();
    pending = [];
  };

  let after = 0;
  for (;;) {
    hooks.signal?.throwIfAborted();
    const page = reader.page(after, PAGE_ROWS);
    if (page.length === 0) break;
    for (const r of page) {
      for (let k = 0; k < r.keyKinds.length; k++) {
        const kind = r.keyKinds[k];
        const key = r.keyValues[k];
        pending.push(datasetId, r.rowId, kind, key, r.dob);
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        keyCount++;
      }
    }
    records += page.length;
    after = page[page.length - 1].rowId;
    if (pending.length >= KEY_BUFFER_ROWS * 5) flush();
    const now = Date.now();
    if (hooks.onProgress && now - lastProgress > 250) {
      lastProgress = now;
      const seconds = Math.max((performance.now() - t0) / 1000, 1e-3);
      const rate = records / seconds;
      hooks.onProgress({
        step: 'identity keys',
        bytesDone: records,
        bytesTotal: total,
        records,
        rejected: 0,
        rowsPerSecond: Math.round(rate),
        etaSeconds: rate > 0 ? Math.max(0, (total - records) / rate) : null,
      });
    }
  }
  flush();
  const seconds = (performance.now() - t0) / 1000;
  db.prepare(
    'INSERT INTO identity_keysets (dataset_id, roles, role_source, records, keys, seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    datasetId,
    JSON.stringify(roles.names),
    roles.source,
    records,
    keyCount,
    seconds,
    (hooks.now ?? (() => new Date()))().toISOString(),
  );
  return { datasetId, records, keys: keyCount, byKind, roleSource: roles.source, seconds };
}

/** Extracts keys for the datasets that have none yet (cases imported before linkage existed). */
export function ensureKeys(db: WritableDB, datasetIds: readonly number[], hooks: KeyHooks = {}) {
  for (const id of datasetIds) if (!hasKeys(db, id)) extractKeys(db, id, hooks);
}

/** The post-import step (jobs/post-import.ts), after profiling. */
export function identityKeysStep(
  db: WritableDB,
  datasetId: number,
  hooks: { signal: AbortSignal; onProgress: (p: JobProgress) => void },
): void {
  extractKeys(db, datasetId, hooks);
}
