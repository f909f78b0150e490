/**
 * Positional access (`rows.query` with `at`): where a page chain starts when the grid jumps to a
 * position (scrollbar drag) instead of paging to it. Never OFFSET on a large result:
 *
 * - a whole dataset in import order: rows are never deleted, so ids are dense (checked: the id
 *   range spans exactly the dataset's rows) and position p is the id minId + p, one seek, exact;
 * - anything else (filtered, searched or sorted): a sample of the result gives the keys at the
 *   wanted quantile, and the chain starts after the sampled row just before it. The position is
 *   then an estimate (`exact: false`); the pages after it are exact keyset pages. The sample is
 *   evenly spaced ids for a whole dataset (sorted views), and chunks spread over the id range
 *   within a time budget for a filter or search (scan.ts); when such a scan completes, the result
 *   is small and its exact OFFSET is cheap, so the position is exact.
 */
import type { ReadableDB } from '../store/types';
import type { QueryDataset } from './dataset';
import type { SortColumn } from './keyset';
import { rangeCond, whereSql, type QueryPlan } from './plan';
import { idRange, scanChunks } from './scan';

/** Time a seek may spend sampling a filtered or searched result. */
export const SEEK_BUDGET_MS = 150;
/** Evenly spaced records read to estimate a sorted position on a whole dataset. */
export const SEEK_SAMPLE = 2000;
/** Rows kept from a scanned sample (a uniform reservoir beyond it). */
const SAMPLE_CAP = 50_000;

/** A sampled row of the result: its sort keys and id. */
export interface KeyRow {
  k: (string | null)[];
  id: number;
}

export type Seek =
  /** Start at the first row (position 0, or a quantile before the first sampled row). */
  | { kind: 'start'; exact: boolean }
  /** Start after this row (the keyset predicates of keyset.ts). */
  | { kind: 'after'; after: KeyRow; exact: boolean }
  /** A small result, scanned whole: its exact OFFSET. */
  | { kind: 'offset'; offset: number };

/** Dense ids: the id range spans exactly the dataset's rows (a finished import, nothing deleted). */
export function denseRange(
  db: ReadableDB,
  ds: QueryDataset,
): { minId: number; maxId: number } | null {
  if (ds.status !== 'ready') return null;
  const r = idRange(db, ds);
  return r.maxId - r.minId + 1 === ds.rows ? r : null;
}

/** SQLite's order of one key (BINARY collation; NULL first ascending). */
function cmpKey(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Compares two rows in the order a page reads them (`sort` already reversed when reading back). */
export function compareRows(sort: readonly SortColumn[], idDesc: boolean) {
  return (a: KeyRow, b: KeyRow): number => {
    for (let i = 0; i < sort.length; i++) {
      const d = cmpKey(a.k[i] ?? null, b.k[i] ?? null);
      if (d) return sort[i]!.desc ? -d : d;
    }
    return idDesc ? b.id - a.id : a.id - b.id;
  };
}

function keySelect(sort: readonly SortColumn[], idSql: string): string {
  return [...sort.map((s, i) => `${s.sql} AS k${i}`), `${idSql} AS id`].join(', ');
}

function toKeyRow(sort: readonly SortColumn[], r: Record<string, unknown>): KeyRow {
  return {
    k: sort.map((_, i) => {
      const v = r[`k${i}`];
      return v === null || v === undefined ? null : String(v);
    }),
    id: Number(r.id),
  };
}

/** Evenly spaced rows of a whole dataset (by id seeks). */
function spacedSample(db: ReadableDB, plan: QueryPlan, sort: readonly SortColumn[]): KeyRow[] {
  const { minId, maxId } = idRange(db, plan.ds);
  const span = maxId - minId + 1;
  if (span <= 0) return [];
  const n = Math.min(SEEK_SAMPLE, span);
  const { fromSql } = plan;
  const select = keySelect(sort, 't.id');
  const stmt = db.prepare(`SELECT ${select} FROM ${fromSql} WHERE t.id >= ? ORDER BY t.id LIMIT 1`);
  const out: KeyRow[] = [];
  for (let i = 0; i < n; i++) {
    const r = stmt.get(minId + Math.floor(((i + 0.5) * span) / n)) as
      Record<string, unknown> | undefined;
    if (r) out.push(toKeyRow(sort, r));
  }
  return out;
}

/** Matching rows from chunks spread over the id range, within the budget. */
async function scannedSample(
  db: ReadableDB,
  plan: QueryPlan,
  sort: readonly SortColumn[],
  budgetMs: number,
  signal: AbortSignal | undefined,
): Promise<{ rows: KeyRow[]; matched: number; share: number; complete: boolean }> {
  const { fromSql } = plan;
  const select = keySelect(sort, plan.idSql);
  const where = whereSql([...plan.conds, rangeCond(plan)]);
  const stmt = db.prepare(`SELECT ${select} FROM ${fromSql} WHERE ${where}`);
  const rows: KeyRow[] = [];
  let matched = 0;
  const r = await scanChunks(
    idRange(db, plan.ds),
    (lo, hi) => {
      for (const raw of stmt.iterate({ ...plan.params.values, lo, hi }) as Iterable<
        Record<string, unknown>
      >) {
        matched++;
        if (rows.length < SAMPLE_CAP) rows.push(toKeyRow(sort, raw));
        else {
          // Reservoir: every match seen so far is kept with the same probability.
          const j = Math.floor(Math.random() * matched);
          if (j < SAMPLE_CAP) rows[j] = toKeyRow(sort, raw);
        }
      }
    },
    { deadline: performance.now() + budgetMs, spread: true, ...(signal ? { signal } : {}) },
  );
  return {
    rows,
    matched,
    share: r.totalIds ? r.scannedIds / r.totalIds : 1,
    complete: r.complete,
  };
}

/** The row just before quantile `f` of a sample sorted in page order (null: start at the top). */
function beforeQuantile(sample: readonly KeyRow[], f: number): KeyRow | null {
  const j = Math.min(sample.length, Math.max(0, Math.round(f * sample.length)));
  return j === 0 ? null : sample[j - 1]!;
}

/**
 * Where a chain starting at position `at` (counted in page order) begins. `sort` is the sort as
 * run (reversed when reading from the end), `idDesc` the id direction.
 */
export async function seek(
  db: ReadableDB,
  plan: QueryPlan,
  sort: readonly SortColumn[],
  idDesc: boolean,
  at: number,
  opts: { signal?: AbortSignal; budgetMs?: number } = {},
): Promise<Seek> {
  if (at === 0) return { kind: 'start', exact: true };
  const order = compareRows(sort, idDesc);
  if (!plan.narrowed) {
    const dense = sort.length === 0 ? denseRange(db, plan.ds) : null;
    if (dense) {
      const id = idDesc ? dense.maxId - at + 1 : dense.minId + at - 1;
      return { kind: 'after', after: { k: [], id }, exact: true };
    }
    const sample = spacedSample(db, plan, sort).sort(order);
    const f = at / Math.max(1, plan.ds.rows);
    const before = beforeQuantile(sample, f);
    return before
      ? { kind: 'after', after: before, exact: false }
      : { kind: 'start', exact: false };
  }
  const s = await scannedSample(db, plan, sort, opts.budgetMs ?? SEEK_BUDGET_MS, opts.signal);
  if (s.complete) return { kind: 'offset', offset: at };
  const total = s.share > 0 ? s.matched / s.share : 0;
  const before = beforeQuantile(s.rows.sort(order), total > 0 ? at / total : 0);
  return before ? { kind: 'after', after: before, exact: false } : { kind: 'start', exact: false };
}
