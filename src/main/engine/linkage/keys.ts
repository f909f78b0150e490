/**
 * Identity key extraction: the post-import step that fills `identity_keys` and
 * `identity_key_records` (the same rows by key and by record) for a dataset (after
 * the profile step, whose column kinds choose the columns), and the on-demand extraction for
 * datasets imported before it existed.
 *
 * What it costs and why it is built this way (profiled with `node --cpu-prof`, 1M generated
 * records = 6.4M keys, see bench/RESULTS.md):
 * - Inserting into the two B-trees of `identity_keys` is the cost, not normalisation. The old
 *   code sorted 400k-key buffers in JavaScript (a comparator sort: ≈ 1.5 s per million keys) and
 *   inserted each buffer in its own transaction; every buffer was a sweep across the whole
 *   (kind, key) primary key, so the cost grew with the square of the dataset (124 s at 1M).
 * - Then key rows went to an in-memory staging table and SQLite sorted them (`INSERT … SELECT …
 *   ORDER BY kind, key, row_id`): its sorter was most of that insert (13.1 s of it at 1M records;
 *   2.2 s once the input was already in order). Now the key rows are held in typed arrays
 *   (key-buffer.ts), put in primary-key order by a radix sort in JavaScript (0.7 s for 6.4M keys)
 *   and inserted in that order, four bound values a row: every insert lands on the right edge of
 *   the B-tree. One ordered sweep per chunk of KEY_CHUNK_ROWS keys. 1M records: 46.2 → 36.7 s.
 * - A record's keys are also kept by record, in `identity_key_records` (migration 0120): records
 *   are read in row order, so that table is appended to as well. Until 0110 it was an index on
 *   (dataset_id, row_id) of identity_keys, which the key-ordered insert filled at random places:
 *   it was dropped and rebuilt by a second sort of every key (10.8 s of the 36.7 s at 1M), or,
 *   in a case already holding more keys, kept and filled at random (11.7× the import at 10M).
 *   Now: 36.7 → 28.9 s at 1M (records 4.9 s, keys 6.6 s of it).
 * - Everything runs in one transaction: the keys of a dataset appear whole or not at all.
 * - Since migration 0100 a key row is integers only (kind code, 64-bit hash of the value: hash.ts
 *   keyHash): the two B-trees hold 315 MB instead of 547 MB at 1M records, but the CPU time
 *   barely moved (93 s vs 97 s at 1M, same case, same load): per-row work, not page writes.
 */
import type { JobProgress } from '../../../shared/api';
import { getMeta } from '../store/meta';
import type { ReadableDB, WritableDB } from '../store/types';
import { datasetRoles } from './columns';
import { keyHash } from './hash';
import { KeyBuffer, NO_DOB } from './key-buffer';
import { KEY_KIND_CODE } from './kinds';
import { recordReader, type KeyKind, type RecordOptions } from './records';

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

/**
 * Key rows buffered before one sorted insert: 8M keys ≈ 1.25M records of a French leak, one
 * ordered sweep for the 1M-record benchmark (≈ 25 bytes a key in the buffer, ≈ 18 more while
 * it is sorted). A larger dataset is inserted in several ordered sweeps.
 */
export const KEY_CHUNK_ROWS = 8_000_000;
/** Key rows per INSERT statement. */
const INSERT_ROWS = 100;
const PAGE_ROWS = 10_000;
/** Page cache of the connection while it extracts keys (MiB); restored afterwards. */
export const EXTRACT_CACHE_MIB = 256;

export interface ExtractTuning {
  /** Keys staged per sorted insert (default KEY_CHUNK_ROWS). */
  chunkRows?: number;
  /** Page cache during the extraction, MiB (default EXTRACT_CACHE_MIB; 0 keeps the connection's). */
  cacheMiB?: number;
}

/** (Re-)extracts the identity keys of one dataset. Idempotent: old keys are replaced. */
export function extractKeys(
  db: WritableDB,
  datasetId: number,
  hooks: KeyHooks = {},
  tuning: ExtractTuning = {},
): KeyExtraction {
  const t0 = performance.now();
  // The dataset id is written into SQL below: it must be an integer.
  if (!Number.isSafeInteger(datasetId)) throw new Error(`bad dataset id ${datasetId}`);
  const roles = datasetRoles(db, datasetId);
  const reader = recordReader(db, datasetId, { ...linkageOptions(db), keysOnly: true }, roles);
  const total =
    (db.prepare('SELECT rows FROM datasets WHERE id = ?').get(datasetId) as { rows: number })
      ?.rows ?? 0;
  const chunkRows = Math.max(1, tuning.chunkRows ?? KEY_CHUNK_ROWS);

  // A key goes to SQLite as its two 32-bit hash lanes (numbers bind fast; a BigInt per key
  // would not), combined there into the stored 64-bit value; the dataset id is a literal (a safe
  // integer, checked above) so each row binds four values.
  const datasetSql = String(datasetId);
  const rowSql = `(${datasetSql}, ?, ?, (? << 32) | ?, ?)`;
  const inserter = (table: string) => {
    const sql = (n: number) =>
      `INSERT OR IGNORE INTO ${table} (dataset_id, row_id, kind, key, dob) VALUES ${new Array<string>(n).fill(rowSql).join(', ')}`;
    return { many: db.prepare(sql(INSERT_ROWS)), one: db.prepare(sql(1)) };
  };
  const byKey = inserter('identity_keys');
  const byRecord = inserter('identity_key_records');

  const byKind: Partial<Record<KeyKind, number>> = {};
  const buffer = new KeyBuffer();
  const hash = [0, 0];
  let keyCount = 0;
  let records = 0;
  let lastProgress = 0;

  /** The buffered keys into one table, in the order of its primary key: appends at its right edge. */
  const insertInOrder = (order: Uint32Array, into: ReturnType<typeof inserter>) => {
    const params: unknown[] = [];
    const { kind, lo, row, dob } = buffer;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const d = dob[i]!;
      params.push(row[i], kind[i], buffer.hi(i), lo[i], d === NO_DOB ? null : d);
      if (params.length === INSERT_ROWS * 5) {
        into.many.run(params);
        params.length = 0;
      }
    }
    for (let i = 0; i < params.length; i += 5) into.one.run(params.slice(i, i + 5));
  };
  const flush = () => {
    insertInOrder(buffer.rowOrder(), byRecord);
    insertInOrder(buffer.order(), byKey);
    buffer.clear();
  };

  const run = () => {
    // A trigger deletes each row's twin in identity_keys (migration 0120).
    db.prepare('DELETE FROM identity_key_records WHERE dataset_id = ?').run(datasetId);
    db.prepare('DELETE FROM identity_keysets WHERE dataset_id = ?').run(datasetId);
    let after = 0;
    for (;;) {
      hooks.signal?.throwIfAborted();
      const page = reader.page(after, PAGE_ROWS);
      if (page.length === 0) break;
      for (let p = 0; p < page.length; p++) {
        const r = page[p];
        const kinds = r.keyKinds;
        for (let k = 0; k < kinds.length; k++) {
          keyHash(r.keyValues[k], hash);
          buffer.push(KEY_KIND_CODE[kinds[k]], hash[0], hash[1] >>> 0, r.rowId, r.dob);
          byKind[kinds[k]] = (byKind[kinds[k]] ?? 0) + 1;
        }
        keyCount += kinds.length;
      }
      records += page.length;
      after = page[page.length - 1].rowId;
      if (buffer.length >= chunkRows) flush();
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
    return seconds;
  };

  const previousCache = db.pragma('cache_size', { simple: true }) as number;
  const cacheMiB = tuning.cacheMiB ?? EXTRACT_CACHE_MIB;
  if (cacheMiB > 0) db.pragma(`cache_size = ${-Math.round(cacheMiB * 1024)}`);
  let seconds: number;
  try {
    seconds = db.transaction(run).immediate();
  } finally {
    buffer.clear();
    db.pragma(`cache_size = ${previousCache}`);
  }
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
