/**
 * Time-bounded scans by rowid ranges. better-sqlite3 cannot interrupt a running statement, so
 * counts and facets never run one statement over a whole large dataset: they run it on id ranges
 * (chunks) sized to take ~15 ms each, check the time budget and the abort signal between chunks,
 * and stop when the budget is spent (the caller then reports an estimate or a partial result).
 *
 * Chunks are taken round-robin from 64 stripes spread over the id range, so whatever has been
 * scanned when the budget runs out is a spread sample of the dataset, not its first rows (which,
 * in a dump sorted by name or date, would say little about the rest).
 */
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import type { QueryDataset } from './dataset';

const STRIPES = 64;
const TARGET_MS = 15;
const MIN_CHUNK = 512;
const MAX_CHUNK = 2_000_000;
/** How often a synchronous scan yields to the event loop (so an abort can be delivered). */
const YIELD_MS = 50;

export interface ScanResult {
  /** Ids covered (ids are dense: rows of a dataset are never deleted). */
  scannedIds: number;
  totalIds: number;
  complete: boolean;
}

export interface ScanOptions {
  /** performance.now() value after which the scan stops (undefined: scan everything). */
  deadline?: number;
  signal?: AbortSignal;
  /** Spread the chunks over the range (a sample if cut) instead of scanning in id order. */
  spread?: boolean;
  onChunk?: (scannedIds: number, totalIds: number) => void;
  /** Stop early when this returns true (e.g. too many distinct values). */
  stop?: () => boolean;
}

export function idRange(db: ReadableDB, ds: QueryDataset): { minId: number; maxId: number } {
  // Two plain queries: SQLite answers a bare min() or max() of the rowid from the b-tree's edge,
  // but scans the whole table for any other shape (e.g. both in one SELECT, or inside ifnull()).
  const tableSql = sqlId(ds.physical);
  const min = db.prepare(`SELECT min(id) AS v FROM ${tableSql}`).get() as { v: number | null };
  const max = db.prepare(`SELECT max(id) AS v FROM ${tableSql}`).get() as { v: number | null };
  return { minId: min.v ?? 1, maxId: max.v ?? 0 };
}

/**
 * Calls `run(lo, hi)` (inclusive bounds) over [minId, maxId] in chunks until done, out of time,
 * aborted or stopped.
 */
export async function scanChunks(
  range: { minId: number; maxId: number },
  run: (lo: number, hi: number) => void,
  opts: ScanOptions = {},
): Promise<ScanResult> {
  const { minId, maxId } = range;
  const totalIds = Math.max(0, maxId - minId + 1);
  if (totalIds === 0) return { scannedIds: 0, totalIds, complete: true };
  const stripes = opts.spread ? Math.min(STRIPES, Math.ceil(totalIds / MIN_CHUNK)) : 1;
  const width = Math.ceil(totalIds / stripes);
  const pos = Array.from({ length: stripes }, (_, i) => minId + i * width);
  const end = pos.map((p) => Math.min(maxId, p + width - 1));
  let chunk = 4096;
  let scannedIds = 0;
  let lastYield = performance.now();
  let s = 0;
  let open = stripes;
  while (open > 0) {
    opts.signal?.throwIfAborted();
    if (opts.deadline !== undefined && performance.now() >= opts.deadline) break;
    if (opts.stop?.()) break;
    while (pos[s]! > end[s]!) s = (s + 1) % stripes;
    const lo = pos[s]!;
    const hi = Math.min(end[s]!, lo + chunk - 1);
    const t0 = performance.now();
    run(lo, hi);
    const ms = performance.now() - t0;
    scannedIds += hi - lo + 1;
    pos[s] = hi + 1;
    if (pos[s]! > end[s]!) open--;
    s = (s + 1) % stripes;
    // Aim each chunk at TARGET_MS: long enough to amortise the statement, short enough to stop.
    const factor = ms <= 0.01 ? 4 : Math.min(4, Math.max(0.25, TARGET_MS / ms));
    chunk = Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, chunk * factor)));
    opts.onChunk?.(scannedIds, totalIds);
    if (performance.now() - lastYield > YIELD_MS) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
  }
  return { scannedIds, totalIds, complete: open === 0 };
}

export interface StreamResult {
  /** Rows read. */
  rows: number;
  /** Id of the last row read (rows come in id order). */
  lastId: number;
  complete: boolean;
}

/**
 * Reads the rows of an index-driven query (the full-text index yields matches in rowid order)
 * one by one, checking the deadline every 256 rows: an iterator can stop between rows, which a
 * statement cannot. Chunks by rowid range would restart the full-text query for each chunk,
 * paying its setup every time; a stream pays it once.
 */
export function streamRows<R extends { id: number }>(
  rows: Iterable<R>,
  onRow: (row: R) => void,
  opts: { deadline?: number; onTick?: (rows: number, lastId: number) => void } = {},
): StreamResult {
  let n = 0;
  let lastId = 0;
  for (const row of rows) {
    onRow(row);
    n++;
    lastId = row.id;
    if ((n & 255) === 0) {
      opts.onTick?.(n, lastId);
      // Leaving the loop early resets the statement (the iterator's return()).
      if (opts.deadline !== undefined && performance.now() >= opts.deadline) {
        return { rows: n, lastId, complete: false };
      }
    }
  }
  return { rows: n, lastId, complete: true };
}
