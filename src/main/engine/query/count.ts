/**
 * Totals: exact where cheap, otherwise an estimate marked `totalExact: false`, refined by an exact
 * count run aside (`rows.count`, in a worker, cancellable, with progress).
 *
 * Strategy for a page (`countMode: 'auto'`):
 * 1. no filter and no search: the dataset's row count (kept exact by the import);
 * 2. the first page was not full: the total is the rows on it;
 * 3. a full-text search drives the query: stream its matches (in rowid order) until the budget is
 *    spent; exact if the stream ends, else matches / share of the id range covered;
 * 4. otherwise count by id chunks within the budget (scan.ts): an index-backed filter makes
 *    chunks cheap and the count usually completes (exact); a scan that cannot finish in time
 *    gives matches / share scanned, from chunks spread over the whole dataset.
 */
import type { JobProgress } from '../../../shared/api';
import type { ReadableDB } from '../store/types';
import { rangeCond, whereSql, type QueryPlan } from './plan';
import { idRange, scanChunks, streamRows } from './scan';

/** How often an exact count over the search index lets the event loop run (cancel messages). */
const YIELD_MS = 50;

/** Time a page may spend on its total before answering with an estimate. */
export const PAGE_COUNT_BUDGET_MS = 60;

export interface CountOutcome {
  total: number;
  exact: boolean;
}

/**
 * The plan's matching ids, in rowid order (for plans the full-text index drives), optionally
 * within ids lo..hi (FTS5 seeks its doclists to the range: a part costs its share).
 */
function idStream(
  db: ReadableDB,
  plan: QueryPlan,
  range?: { minId: number; maxId: number },
): Iterable<{ id: number }> {
  const { fromSql, idSql } = plan;
  const condSql = whereSql(range ? [...plan.conds, rangeCond(plan)] : plan.conds);
  const values = range
    ? { ...plan.params.values, lo: range.minId, hi: range.maxId }
    : plan.params.values;
  return db
    .prepare(`SELECT ${idSql} AS id FROM ${fromSql} WHERE ${condSql}`)
    .iterate(values) as Iterable<{ id: number }>;
}

/**
 * Part `index` of `parts` of an id range (contiguous slices): the exact count split across query
 * workers (pool.ts) counts each slice on its own thread and connection.
 */
export function rangePart(
  range: { minId: number; maxId: number },
  index: number,
  parts: number,
): { minId: number; maxId: number } {
  const total = Math.max(0, range.maxId - range.minId + 1);
  const width = Math.ceil(total / parts);
  const minId = range.minId + index * width;
  return { minId, maxId: Math.min(range.maxId, minId + width - 1) };
}

function chunkCounter(db: ReadableDB, plan: QueryPlan) {
  const { fromSql } = plan;
  const condSql = whereSql([...plan.conds, rangeCond(plan)]);
  const stmt = db.prepare(`SELECT count(*) AS n FROM ${fromSql} WHERE ${condSql}`);
  let matched = 0;
  return {
    run: (lo: number, hi: number) => {
      matched += (stmt.get({ ...plan.params.values, lo, hi }) as { n: number }).n;
    },
    matched: () => matched,
  };
}

/** A count within `budgetMs`: exact if the scan completes, else extrapolated. */
export async function budgetedCount(
  db: ReadableDB,
  plan: QueryPlan,
  budgetMs: number,
  signal?: AbortSignal,
): Promise<CountOutcome> {
  if (!plan.narrowed) return { total: plan.ds.rows, exact: true };
  if (plan.match) {
    const deadline = performance.now() + budgetMs;
    const s = streamRows(idStream(db, plan), () => {}, { deadline });
    if (s.complete) return { total: s.rows, exact: true };
    const { minId, maxId } = idRange(db, plan.ds);
    const share = (s.lastId - minId + 1) / Math.max(1, maxId - minId + 1);
    return { total: Math.round(s.rows / Math.max(share, 1e-9)), exact: false };
  }
  const counter = chunkCounter(db, plan);
  const r = await scanChunks(idRange(db, plan.ds), counter.run, {
    deadline: performance.now() + budgetMs,
    spread: true,
    ...(signal ? { signal } : {}),
  });
  if (r.complete) return { total: counter.matched(), exact: true };
  const share = r.scannedIds / r.totalIds;
  return { total: share > 0 ? Math.round(counter.matched() / share) : 0, exact: false };
}

/** The exact count, in id order with progress (records = matches so far). */
export async function exactCount(
  db: ReadableDB,
  plan: QueryPlan,
  opts: {
    signal?: AbortSignal;
    onProgress?: (p: JobProgress) => void;
    /** Count only this slice of the id range (one part of a parallel count). */
    part?: { index: number; parts: number };
  } = {},
): Promise<number> {
  if (!plan.narrowed) {
    if (!opts.part) return plan.ds.rows;
    const r = rangePart(idRange(db, plan.ds), opts.part.index, opts.part.parts);
    return Math.max(0, r.maxId - r.minId + 1);
  }
  const whole = idRange(db, plan.ds);
  const range = opts.part ? rangePart(whole, opts.part.index, opts.part.parts) : whole;
  const totalIds = Math.max(0, range.maxId - range.minId + 1);
  const started = performance.now();
  let last = 0;
  // Progress in ids covered (bytesDone / bytesTotal) and matches so far (records).
  const report = (done: number, matched: number) => {
    const now = performance.now();
    if (!opts.onProgress || now - last < 250) return;
    last = now;
    const rate = done / Math.max((now - started) / 1000, 1e-3);
    opts.onProgress({
      step: 'count',
      bytesDone: done,
      bytesTotal: totalIds,
      records: matched,
      rejected: 0,
      rowsPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? (totalIds - done) / rate : null,
    });
  };
  if (plan.match) {
    // One stream (FTS5 setup paid once), paused every YIELD_MS so that a cancel message reaches
    // the worker and stops it here instead of costing the thread (pool.ts).
    let rows = 0;
    let lastYield = performance.now();
    for (const r of idStream(db, plan, opts.part ? range : undefined)) {
      if ((++rows & 255) !== 0) continue;
      report(r.id - range.minId + 1, rows);
      if (performance.now() - lastYield > YIELD_MS) {
        await new Promise((res) => setImmediate(res));
        opts.signal?.throwIfAborted();
        lastYield = performance.now();
      }
    }
    return rows;
  }
  const counter = chunkCounter(db, plan);
  await scanChunks(range, counter.run, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onChunk: (done) => report(done, counter.matched()),
  });
  return counter.matched();
}
