/**
 * `rows.query`: one keyset page of a dataset under a filter, search and sort, with its total.
 *
 * - The page reads `limit + 1` rows (the extra one says whether a next page exists), through the
 *   segments of keyset.ts when a cursor is given; never OFFSET on a large result.
 * - `from: 'end'` reads the exact reverse order (every sort key and the id flipped): the last
 *   page of any result, filtered or not, is one page away.
 * - `at` starts the chain at a position (position.ts): exact for a whole dataset in import
 *   order, estimated from a sample otherwise (`position.exact`).
 * - A sort on a large dataset builds (once, kept) the index of its first column, unless an import
 *   is writing (indexes.ts); the notes say when a sort runs without an index.
 * - Values come back by column name, with the record's id and provenance (ordinal, line, offset).
 */
import type { RowRecord, RowsQueryRequest, RowsQueryResult } from '../../../shared/api';
import { sqlId } from '../store/sql';
import type { WritableDB } from '../store/types';
import { budgetedCount, exactCount, PAGE_COUNT_BUDGET_MS } from './count';
import { loadDataset, resolveColumn, type QueryColumn, type QueryDataset } from './dataset';
import { registerQueryFunctions } from './functions';
import {
  afterSegments,
  decodeCursor,
  encodeCursor,
  idDescending,
  orderSql,
  queryFingerprint,
  runSort,
  type CursorPayload,
} from './keyset';
import {
  ensureColumnIndex,
  hasIndex,
  importInProgress,
  indexName,
  SORT_INDEX_MIN_ROWS,
} from './indexes';
import { planQuery, whereSql } from './plan';
import { seek } from './position';

export interface RunOptions {
  signal?: AbortSignal;
  now?: () => Date;
}

interface RawRow {
  id: number;
  ordinal: number;
  line: number | null;
  offset: number;
  [column: string]: unknown;
}

/** SELECT list: provenance, then every column as `c_<n>`. */
function selectSql(ds: QueryDataset): string {
  return [
    't.id AS id',
    't.ordinal AS ordinal',
    't.line AS line',
    't.offset AS offset',
    ...ds.columns.map((c) => `${c.sql} AS ${sqlId(`c_${c.idx}`)}`),
  ].join(', ');
}

export function toRecord(ds: QueryDataset, r: RawRow): RowRecord {
  const values: Record<string, string | null> = {};
  for (const c of ds.columns) {
    const v = r[`c_${c.idx}`];
    values[c.name] = v === null || v === undefined ? null : String(v);
  }
  return { id: r.id, ordinal: r.ordinal, line: r.line, offset: r.offset, values };
}

/** Makes sure the first sort column is indexed when it matters; returns a note if it is not. */
function sortIndex(
  db: WritableDB,
  ds: QueryDataset,
  col: QueryColumn,
  now: () => Date,
): string | null {
  if (ds.rows < SORT_INDEX_MIN_ROWS || hasIndex(db, indexName(ds, col))) return null;
  if (importInProgress(db)) {
    return `sorted by ${JSON.stringify(col.name)} without an index while an import is running: pages may be slow`;
  }
  const r = ensureColumnIndex(db, ds, col, now);
  return `built the index of ${JSON.stringify(col.name)} for sorting (${r.seconds.toFixed(1)} s, kept for later queries)`;
}

export async function runRowsQuery(
  db: WritableDB,
  input: RowsQueryRequest,
  opts: RunOptions = {},
): Promise<RowsQueryResult> {
  registerQueryFunctions(db);
  const now = opts.now ?? (() => new Date());
  const ds = loadDataset(db, input.dataset);
  const sortCols = input.sort.map((s) => ({ col: resolveColumn(ds, s.column), desc: s.desc }));
  const plan = planQuery(db, ds, input.filter, input.search);
  const notes = [...plan.notes];
  if (plan.filterIndexed) {
    notes.push(
      "the search index narrows the filter's text conditions (each candidate record is re-checked exactly)",
    );
  }
  if (sortCols.length) {
    const note = sortIndex(db, ds, sortCols[0]!.col, now);
    if (note) notes.push(note);
  }
  const reverse = input.from === 'end';
  const sort = runSort(
    sortCols.map((s) => ({ sql: s.col.sql, desc: s.desc })),
    reverse,
  );
  const idDesc = idDescending(sort, reverse);
  const fingerprint = queryFingerprint({
    datasetId: ds.id,
    filter: input.filter,
    search: input.search,
    sort: sortCols.map((s) => ({ column: `c_${s.col.idx}`, desc: s.desc })),
    reverse,
  });
  let after: Pick<CursorPayload, 'k' | 'id'> | null = input.cursor
    ? decodeCursor(db, input.cursor, fingerprint, sort.length)
    : null;
  let offset = 0;
  let position: RowsQueryResult['position'];
  if (input.at !== undefined) {
    const s = await seek(db, plan, sort, idDesc, input.at, {
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (s.kind === 'after') after = s.after;
    if (s.kind === 'offset') offset = s.offset;
    position = { at: input.at, exact: s.kind === 'offset' || s.exact };
    if (!position.exact)
      notes.push('the position is an estimate from a sample of the result (a far jump)');
  }
  const segments = after ? afterSegments(sort, after, plan.idSql, plan.params, idDesc) : ['1'];
  const headSql = `SELECT ${selectSql(ds)} FROM ${plan.fromSql} WHERE`;
  const order = orderSql(sort, plan.idSql, idDesc);
  const want = input.limit + 1;
  const raw: RawRow[] = [];
  for (const segment of segments) {
    if (raw.length >= want) break;
    opts.signal?.throwIfAborted();
    const where = whereSql([...plan.conds, segment]);
    // OFFSET only for a small result the seek scanned whole (position.ts).
    const offsetSql = offset ? ' OFFSET @offset' : '';
    const rows = db.prepare(`${headSql} ${where} ORDER BY ${order} LIMIT @limit${offsetSql}`).all({
      ...plan.params.values,
      limit: want - raw.length,
      ...(offset ? { offset } : {}),
    }) as RawRow[];
    raw.push(...rows);
  }
  const more = raw.length > input.limit;
  const page = raw.slice(0, input.limit);
  const last = page[page.length - 1];
  const cursor =
    more && last
      ? encodeCursor(db, {
          q: fingerprint,
          k: sortCols.map((s) => {
            const v = last[`c_${s.col.idx}`];
            return v === null || v === undefined ? null : String(v);
          }),
          id: last.id,
        })
      : null;

  let total = -1;
  let totalExact = false;
  const fromTop = !input.cursor && (position === undefined || position.exact);
  if (input.countMode !== 'none') {
    // An empty page past the end of the result says nothing about its size.
    if (fromTop && !more && (page.length > 0 || !position?.at)) {
      total = (position?.at ?? 0) + page.length;
      totalExact = true;
    } else if (input.countMode === 'exact') {
      total = await exactCount(db, plan, opts.signal ? { signal: opts.signal } : {});
      totalExact = true;
    } else {
      const c = await budgetedCount(db, plan, PAGE_COUNT_BUDGET_MS, opts.signal);
      total = c.total;
      totalExact = c.exact;
      if (fromTop && page.length)
        total = Math.max(total, (position?.at ?? 0) + page.length + (more ? 1 : 0));
      if (!c.exact)
        notes.push('the total is an estimate from part of the dataset; ask for an exact count');
    }
  }
  return {
    dataset: ds.name,
    rows: page.map((r) => toRecord(ds, r)),
    total,
    totalExact,
    cursor,
    description: plan.description,
    searchMode: plan.search.mode,
    notes,
    ...(position ? { position } : {}),
  };
}
