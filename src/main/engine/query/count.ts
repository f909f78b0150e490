/**
 * Totals: exact where cheap, otherwise an estimate marked `totalExact: false`, refined by an exact
 * count run aside (`rows.count`, in a worker, cancellable, with progress).
 *
 * Strategy for a page (`countMode: 'auto'`):
 * 1. no filter and no search: the dataset's row count (kept exact by the import);
 * 2. the first page was not full: the total is the rows on it;
 * 3. otherwise count by id chunks within a small time budget (scan.ts): an index-backed filter or
 *    search makes chunks cheap, and the count usually completes (exact); a scan that cannot
 *    finish in time gives matches / share scanned, from chunks spread over the whole dataset.
 */
import type { JobProgress } from '../../../shared/api';
import type { ReadableDB } from '../store/types';
import { rangeCond, whereSql, type QueryPlan } from './plan';
import { idRange, scanChunks } from './scan';

/** Time a page may spend on its total before answering with an estimate. */
export const PAGE_COUNT_BUDGET_MS = 60;

export interface CountOutcome {
  total: number;
  exact: boolean;
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
  opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void } = {},
): Promise<number> {
  if (!plan.narrowed) return plan.ds.rows;
  const counter = chunkCounter(db, plan);
  const started = performance.now();
  let last = 0;
  await scanChunks(idRange(db, plan.ds), counter.run, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onChunk: (done, total) => {
      const now = performance.now();
      if (!opts.onProgress || now - last < 250) return;
      last = now;
      const seconds = (now - started) / 1000;
      const rate = done / Math.max(seconds, 1e-3);
      opts.onProgress({
        step: 'count',
        bytesDone: done,
        bytesTotal: total,
        records: counter.matched(),
        rejected: 0,
        rowsPerSecond: Math.round(rate),
        etaSeconds: rate > 0 ? (total - done) / rate : null,
      });
    },
  });
  return counter.matched();
}
