/**
 * Identity key extraction: the post-import step that fills `identity_keys` (a row per key, by
 * key) and the record tables (a row per record, record-keys.ts) for a dataset (after the profile
 * step, whose column kinds choose the columns), and the on-demand extraction for datasets
 * imported before it existed.
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
 * - Reading and normalising the records runs in key threads (key-threads.ts) while this thread
 *   inserts, when the caller can start them (the import job): 26.2 → 20.0–21.2 s at 1M with the
 *   checkpoints in the job's checkpointer thread.
 * - Since migration 0130 the record table holds a row per record, its keys in a column per kind
 *   (record-keys.ts): 1M rows instead of 6.4M, 20.7k pages instead of 45k; and key threads
 *   normalise rows as SQLite steps through them (records.ts `each`), so no page of 20k records
 *   outlives a scavenge (their GC: 2.2 → 0.25 s each). The import job's key step at 1M, same
 *   host, back to back: 14.1–14.7 → 11.1–11.3 s. What is left is the key threads' reading and
 *   normalising (≈ 6.7 s of CPU each, the loop's pace) and, after them, the one ordered sweep
 *   into identity_keys (≈ 4.5 s) and the commit, alone on one core.
 * - The extraction writes in transactions of about a second and leaves the write lock free
 *   between them (KEY_TX_MS), so the engine's own writes are never held up for long. The keys
 *   of a dataset count only once its `identity_keysets` row is written, in the last one: until
 *   then queries leave them out (queries.ts KEYED_SQL), and an extraction that dies leaves rows
 *   that nothing reads and the next extraction removes.
 * - Since migration 0100 a key row is integers only (kind code, 64-bit hash of the value: hash.ts
 *   keyHash): the two B-trees hold 315 MB instead of 547 MB at 1M records, but the CPU time
 *   barely moved (93 s vs 97 s at 1M, same case, same load): per-row work, not page writes.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { LeakscopeError } from '../../../shared/errors';
import type { JobProgress } from '../../../shared/api';
import { getMeta, setMeta } from '../store/meta';
import type { ReadableDB, WritableDB } from '../store/types';
import { datasetRoles } from './columns';
import type { JobCaseAccess } from '../jobs/protocol';
import { sqlId } from '../store/sql';
import { KeyBuffer, NO_DOB } from './key-buffer';
import { deleteDatasetKeys } from './key-delete';
import type { KeyPage } from './key-pages';
import { localKeySource, threadKeySource, type KeySource } from './key-threads';
import { KEY_KIND_CODE, KEY_KINDS } from './kinds';
import { recordInserter } from './record-keys';
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
  /**
   * Read and normalise in key threads started from this script (a job worker's), beside the
   * inserts (key-threads.ts); without it, everything runs in the calling thread.
   */
  threads?: { url: string; access: JobCaseAccess };
}

export interface KeyExtraction {
  datasetId: number;
  records: number;
  keys: number;
  byKind: Partial<Record<KeyKind, number>>;
  roleSource: 'profile' | 'headers' | 'none';
  seconds: number;
  /** Pages of records read and normalised, and how many of them by key threads. */
  pages: number;
  threadPages: number;
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
/** Page cache of the connection while it extracts keys (MiB); restored afterwards. */
export const EXTRACT_CACHE_MIB = 256;

export interface ExtractTuning {
  /** Keys staged per sorted insert (default KEY_CHUNK_ROWS). */
  chunkRows?: number;
  /** Page cache during the extraction, MiB (default EXTRACT_CACHE_MIB; 0 keeps the connection's). */
  cacheMiB?: number;
  /** Key threads when `hooks.threads` allows them (default keyThreads(); 0: none). */
  threads?: number;
  /** Fewest records for which threads are started (default KEY_THREADS_MIN_ROWS). */
  threadMinRows?: number;
  /** Ids per page of records (default key-pages.ts RANGE_IDS). */
  rangeIds?: number;
  /** Least time between progress events (default 250 ms). */
  progressMs?: number;
  /** Write lock held before a commit and a pause (default KEY_TX_MS; see there). */
  txMs?: number;
  /** The pause, ms (default KEY_GAP_MS). */
  gapMs?: number;
}

/**
 * The extraction writes in transactions of about KEY_TX_MS and leaves the write lock free for
 * KEY_GAP_MS after each, as search index builds do (query/search.ts): the engine's own writes
 * (the audit entry of every call, sessions, tags) then wait a second at most, not the whole
 * extraction (11 s at 1M records, minutes at 10M). Meanwhile the dataset's keys are incomplete:
 * its `identity_keysets` row, written last, is what says they are whole, and every query that
 * reads other datasets' keys keeps to datasets that have one (queries.ts KEYED_SQL).
 */
export const KEY_TX_MS = 1000;
export const KEY_GAP_MS = 110;
/** Keys of the ordered sweep between two looks at the clock (and at a cancel request). */
const SWEEP_SLICE = 100_000;

/**
 * Key threads: two even on 2 cores, where this thread inserts while they read and normalise (1M
 * records, quiet: 26.2 s with none, 22.4–24.0 s with one, 20.0–21.2 s with two, 24.5 s with
 * three; bench/RESULTS.md "Linkage"); more cannot help much, the inserts and the commit here are
 * ≈ 16 s of it. None on a single core, where they could only take turns with this thread.
 */
export function keyThreads(cores = availableParallelism()): number {
  return cores > 1 ? 2 : 0;
}
/** Below this, a thread's start (its own connection: key derivation, ≈ 0.3 s) costs more than it saves. */
export const KEY_THREADS_MIN_ROWS = 100_000;

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
  const options: RecordOptions = { ...linkageOptions(db), keysOnly: true };
  const reader = recordReader(db, datasetId, options, roles);
  const total =
    (db.prepare('SELECT rows FROM datasets WHERE id = ?').get(datasetId) as { rows: number })
      ?.rows ?? 0;
  const chunkRows = Math.max(1, tuning.chunkRows ?? KEY_CHUNK_ROWS);
  const threads = tuning.threads ?? keyThreads();
  const threadMinRows = tuning.threadMinRows ?? KEY_THREADS_MIN_ROWS;

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
  const extras = inserter('identity_key_extras');
  const byRecord = recordInserter(db, datasetSql);
  const byCode = new Float64Array(256);
  let pages = 0;
  let threadPages = 0;
  const buffer = new KeyBuffer();
  let keyCount = 0;
  let records = 0;
  let lastProgress = 0;

  /**
   * Buffered keys into one table, in the order of its primary key: appends at its right edge.
   * `between` runs every SWEEP_SLICE keys, between two statements (it may commit).
   */
  const insertInOrder = (
    order: Uint32Array,
    into: ReturnType<typeof inserter>,
    between?: (done: number) => void,
  ) => {
    const params: unknown[] = [];
    const { kind, lo, row, dob } = buffer;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const d = dob[i]!;
      params.push(row[i], kind[i], buffer.hi(i), lo[i], d === NO_DOB ? null : d);
      if (params.length === INSERT_ROWS * 5) {
        into.many.run(params);
        params.length = 0;
        if (between && (k + 1) % SWEEP_SLICE === 0) between(k + 1);
      }
    }
    for (let i = 0; i < params.length; i += 5) into.one.run(params.slice(i, i + 5));
  };
  /** A page into the record tables at once (row order), into the buffer for the key sort. */
  const take = (page: KeyPage) => {
    const from = buffer.length;
    buffer.append(page);
    const extra = byRecord.add(buffer, from);
    if (extra.length > 0) insertInOrder(extra, extras);
    for (let i = 0; i < page.length; i++) byCode[page.kind[i]!]++;
    keyCount += page.length;
    records += page.records;
    if (buffer.length >= chunkRows) flushKeys();
  };
  const flushKeys = () => {
    progress('identity keys: sorting', 0, buffer.length, true);
    const order = buffer.order();
    insertInOrder(order, byKey, (done) => {
      hooks.signal?.throwIfAborted();
      progress('identity keys: writing the key index', done, order.length);
      tx.yieldLock();
    });
    buffer.clear();
  };

  /** Progress of a sweep, in keys (records are reported by the loop below). */
  let sweepStart = 0;
  const progress = (step: string, done: number, of: number, force = false) => {
    const now = Date.now();
    if (done === 0) sweepStart = now;
    if (!hooks.onProgress || (!force && now - lastProgress < (tuning.progressMs ?? 250))) return;
    lastProgress = now;
    const rate = done / Math.max((now - sweepStart) / 1000, 1e-3);
    hooks.onProgress({
      step,
      bytesDone: done,
      bytesTotal: of,
      records,
      rejected: 0,
      rowsPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.max(0, (of - done) / rate) : null,
    });
  };
  const tx = lockYielder(db, datasetId, tuning.txMs ?? KEY_TX_MS, tuning.gapMs ?? KEY_GAP_MS);

  const run = () => {
    // Cancelled before it starts: the keys of an earlier extraction stay.
    hooks.signal?.throwIfAborted();
    // Seconds on a large dataset extracted before (key-delete.ts): said before it starts.
    deleteDatasetKeys(db, datasetId, (previous) =>
      hooks.onProgress?.({
        step: `identity keys: removing the ${previous.toLocaleString('en')} previous keys`,
        bytesDone: 0,
        bytesTotal: total,
        records: 0,
        rejected: 0,
        rowsPerSecond: 0,
        etaSeconds: null,
      }),
    );
    db.prepare('DELETE FROM identity_keysets WHERE dataset_id = ?').run(datasetId);
    tx.yieldLock(true);
    // Ids first..last (an empty table: 1..0, no range).
    const { first, last } = db
      .prepare(
        `SELECT coalesce(min(id), 1) AS first, coalesce(max(id), 0) AS last FROM ${sqlId(roles.physical)}`,
      )
      .get() as { first: number; last: number };
    const source: KeySource =
      threads > 0 && hooks.threads && total >= threadMinRows
        ? threadKeySource(
            {
              ...hooks.threads,
              threads,
              datasetId,
              roles,
              options,
              signal: hooks.signal,
              rangeIds: tuning.rangeIds,
            },
            reader,
            first,
            last,
          )
        : localKeySource(reader, first, last, tuning.rangeIds);
    try {
      for (;;) {
        hooks.signal?.throwIfAborted();
        const page = source.next();
        if (!page) break;
        pages++;
        take(page);
        tx.yieldLock();
        const now = Date.now();
        if (hooks.onProgress && now - lastProgress >= (tuning.progressMs ?? 250)) {
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
    } finally {
      threadPages = source.threadPages;
      source.close();
    }
    byRecord.flush();
    flushKeys();
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
    seconds = tx.run(run);
  } finally {
    buffer.clear();
    db.pragma(`cache_size = ${previousCache}`);
  }
  const byKind: Partial<Record<KeyKind, number>> = {};
  for (const kind of KEY_KINDS) {
    const n = byCode[KEY_KIND_CODE[kind]]!;
    if (n > 0) byKind[kind] = n;
  }
  return {
    datasetId,
    records,
    keys: keyCount,
    byKind,
    roleSource: roles.source,
    seconds,
    pages,
    threadPages,
  };
}

/** case_meta key of the claim on a dataset's extraction (see lockYielder). */
export const extractionClaimKey = (datasetId: number) => `linkage.extracting.${datasetId}`;
/** A claim not renewed for this long is an extraction that died (killed, crashed). */
export const CLAIM_STALE_MS = 30_000;

/**
 * Runs `fn` in write transactions that `yieldLock` commits and reopens after `gapMs` once one has
 * held the lock for `txMs` (KEY_TX_MS), or at once with `now`. A failure rolls back only the
 * transaction in progress. Inside a caller's transaction it never commits: one transaction, as
 * the caller asked.
 *
 * Between its transactions another job could start extracting the same dataset (its keyset row is
 * gone until the end): the extraction claims the dataset in case_meta (a token and the time),
 * renews the claim at every commit and checks it is still its own at every begin. A live claim
 * of another extraction refuses the start; a claim not renewed for CLAIM_STALE_MS is a dead
 * extraction's, taken over.
 */
function lockYielder(db: WritableDB, datasetId: number, txMs: number, gapMs: number) {
  const nested = db.inTransaction;
  const key = extractionClaimKey(datasetId);
  const token = `${process.pid}:${randomUUID()}`;
  const writeClaim = () => setMeta(db, key, JSON.stringify({ token, at: Date.now() }));
  let since = 0;
  const begin = (first: boolean) => {
    db.exec('BEGIN IMMEDIATE');
    since = performance.now();
    const raw = getMeta(db, key);
    const claim = raw ? (JSON.parse(raw) as { token: string; at: number }) : null;
    if (claim?.token === token) return;
    if (!first || (claim && Date.now() - claim.at < CLAIM_STALE_MS)) {
      db.exec('ROLLBACK');
      throw new LeakscopeError(
        'E_LIMIT',
        first
          ? `the identity keys of dataset ${datasetId} are being extracted by another job: try again when it ends`
          : `the extraction of dataset ${datasetId} was taken over by another job`,
      );
    }
    writeClaim();
  };
  const commit = () => {
    writeClaim();
    db.exec('COMMIT');
  };
  return {
    run<T>(fn: () => T): T {
      if (nested) return fn();
      begin(true);
      try {
        const out = fn();
        db.prepare('DELETE FROM case_meta WHERE key = ?').run(key);
        db.exec('COMMIT');
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        // The claim goes with the failed extraction (its partial keys stay unkeyed, unread).
        try {
          db.prepare('DELETE FROM case_meta WHERE key = ? AND value LIKE ?').run(key, `%${token}%`);
        } catch {
          // The lock is busy: the claim goes stale on its own.
        }
        throw e;
      }
    },
    yieldLock(now = false): void {
      if (nested || (!now && performance.now() - since < txMs)) return;
      commit();
      // A synchronous pause: the extraction's thread has nothing else to do meanwhile.
      if (gapMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, gapMs);
      begin(false);
    },
  };
}

/** Extracts keys for the datasets that have none yet (cases imported before linkage existed). */
export function ensureKeys(db: WritableDB, datasetIds: readonly number[], hooks: KeyHooks = {}) {
  for (const id of datasetIds) if (!hasKeys(db, id)) extractKeys(db, id, hooks);
}

/** The post-import step (jobs/post-import.ts), after profiling. */
export function identityKeysStep(
  db: WritableDB,
  datasetId: number,
  hooks: {
    signal: AbortSignal;
    onProgress: (p: JobProgress) => void;
    workerUrl?: string;
    access?: JobCaseAccess;
  },
): void {
  const { workerUrl, access, ...rest } = hooks;
  extractKeys(db, datasetId, {
    ...rest,
    ...(workerUrl && access ? { threads: { url: workerUrl, access } } : {}),
  });
}
