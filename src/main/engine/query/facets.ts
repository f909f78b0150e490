/**
 * Facets: the most frequent values of one column under the current filter and search, with
 * counts. Time-bounded like Datasette's facets: the scan runs by id chunks (scan.ts) until
 * `timeoutMs`; when cut, the result is `partial: true` with counts from the records scanned so far
 * (a spread sample), which is a normal answer, not an error. A column with more than
 * MAX_DISTINCT distinct values stops early too (reason 'distinct'): its top values are still
 * meaningful, and memory stays bounded.
 */
import type { FacetsResult } from '../../../shared/api';
import type { FilterNode } from '../../../shared/filter';
import type { ReadableDB } from '../store/types';
import { loadDataset, resolveColumn } from './dataset';
import { planQuery, rangeCond, whereSql } from './plan';
import { idRange, scanChunks, streamRows } from './scan';

export const MAX_DISTINCT = 200_000;

export interface FacetsRequest {
  dataset: string;
  column: string;
  filter?: FilterNode | undefined;
  search?: string | undefined;
  limit: number;
  timeoutMs: number;
}

export async function runFacets(
  db: ReadableDB,
  input: FacetsRequest,
  signal?: AbortSignal,
): Promise<FacetsResult> {
  const deadline = performance.now() + input.timeoutMs;
  const ds = loadDataset(db, input.dataset);
  const col = resolveColumn(ds, input.column);
  const plan = planQuery(db, ds, input.filter, input.search);
  const { fromSql, idSql } = plan;
  const colSql = col.sql;
  const counts = new Map<string | null, number>();
  const add = (v: string | null, n: number) => counts.set(v, (counts.get(v) ?? 0) + n);
  let complete: boolean;
  let scannedRows: number;
  if (plan.match) {
    // The full-text index drives: stream its matches once (see scan.ts streamRows).
    const condSql = whereSql(plan.conds);
    const rows = db
      .prepare(`SELECT ${colSql} AS v, ${idSql} AS id FROM ${fromSql} WHERE ${condSql}`)
      .iterate(plan.params.values) as Iterable<{ v: string | null; id: number }>;
    signal?.throwIfAborted();
    const r = streamRows(rows, (row) => add(row.v, 1), { deadline });
    const { minId } = idRange(db, ds);
    complete = r.complete;
    scannedRows = complete ? ds.rows : Math.max(0, r.lastId - minId + 1);
  } else {
    const condSql = whereSql([...plan.conds, rangeCond(plan)]);
    const stmt = db.prepare(
      `SELECT ${colSql} AS v, count(*) AS n FROM ${fromSql} WHERE ${condSql} GROUP BY 1`,
    );
    const r = await scanChunks(
      idRange(db, ds),
      (lo, hi) => {
        const rows = stmt.iterate({ ...plan.params.values, lo, hi }) as Iterable<{
          v: string | null;
          n: number;
        }>;
        for (const row of rows) add(row.v, row.n);
      },
      {
        deadline,
        spread: true,
        stop: () => counts.size > MAX_DISTINCT,
        ...(signal ? { signal } : {}),
      },
    );
    complete = r.complete;
    scannedRows = Math.min(r.scannedIds, ds.rows);
  }
  const values = [...counts]
    .sort((a, b) => b[1] - a[1] || compareValues(a[0], b[0]))
    .slice(0, input.limit)
    .map(([value, count]) => ({ value, count }));
  const partial = !complete;
  return {
    dataset: ds.name,
    column: col.name,
    values,
    partial,
    reason: partial ? (counts.size > MAX_DISTINCT ? 'distinct' : 'timeout') : null,
    scannedRows,
    totalRows: ds.rows,
    description: plan.description,
  };
}

function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
