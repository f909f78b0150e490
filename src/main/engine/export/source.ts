/**
 * The records an export reads: one dataset under a filter, a search and a sort, streamed in a
 * stable order (sort keys, then row id) straight from SQLite, so a second run of the same
 * selection (verification) meets the records in the same order.
 *
 * Filter and search are compiled by the query engine (query/plan.ts): the export selects exactly
 * the records `rows.query` would page through, and describes them the same way.
 */
import type { FilterNode } from '../../../shared/filter';
import { LeakscopeError } from '../../../shared/errors';
import { loadDataset, resolveColumn, type QueryDataset } from '../query/dataset';
import { registerQueryFunctions } from '../query/functions';
import { orderSql } from '../query/keyset';
import { planQuery, whereSql } from '../query/plan';
import type { ReadableDB } from '../store/types';

export interface Selection {
  dataset: string;
  filter?: FilterNode | undefined;
  search?: string | undefined;
  sort?: readonly { column: string; desc: boolean }[] | undefined;
}

export interface SourceRecord {
  id: number;
  ordinal: number;
  line: number | null;
  /** Values in dataset column order (null: absent). */
  values: (string | null)[];
}

export interface RecordSource {
  ds: QueryDataset;
  /** The selection in plain language ("all records", `nom is "PICARD"`...). */
  description: string;
  notes: string[];
  /**
   * A fresh pass over the selected records, in export order. With `reuse`, every step yields
   * the same record object (and values array), overwritten: for callers that keep nothing of a
   * record once they ask for the next one (no allocation per record).
   */
  records(limit?: number, reuse?: boolean): IterableIterator<SourceRecord>;
  /**
   * A fresh pass over the `[id, ordinal]` of the selected records, in export order: what
   * verification walks in lockstep with the file it reads back (no value is read).
   */
  keys(): IterableIterator<[number, number]>;
  /** One record by id (a record of the selection), or null. */
  get(id: number): SourceRecord | null;
  /** Exact number of selected records. */
  count(): number;
}

/** The packed read (see `packedSelect`): fields joined by U+001F, NULL written as U+001E. */
const SEP = '\x1f';
const NUL = '\x1e';
/** Arguments per concat_ws call (SQLite's limit on function arguments): wide tables nest. */
const CONCAT_GROUP = 500;

function concatWs(args: readonly string[]): string {
  if (args.length <= CONCAT_GROUP) return `concat_ws(char(31), ${args.join(', ')})`;
  const groups: string[] = [];
  for (let i = 0; i < args.length; i += CONCAT_GROUP) {
    groups.push(concatWs(args.slice(i, i + CONCAT_GROUP)));
  }
  return concatWs(groups);
}

/**
 * Each record as one string `flag␟id␟ordinal␟line␟v1␟v2…` built by SQLite in C, so JavaScript
 * gets one string per record instead of one per value (the profiler's packed read: about half
 * the cost of reading values one by one, measured on the export too). NULL is written as
 * U+001E; `flag` is 1 when a value is exactly U+001E (it would read as NULL), and a value
 * holding U+001F changes the field count: either way that record is read again by id.
 */
function packedSelect(idSql: string, columnsSql: readonly string[]): string {
  const values = columnsSql.map((c) => `coalesce(${c}, char(30))`);
  const flag = `coalesce(char(30) IN (${columnsSql.join(', ')}), 0)`;
  return concatWs([flag, idSql, 't.ordinal', 'coalesce(t.line, char(30))', ...values]);
}

export function openSource(db: ReadableDB, sel: Selection): RecordSource {
  const ds = loadDataset(db, sel.dataset);
  if (ds.status === 'importing') {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `dataset ${JSON.stringify(ds.name)} is still being imported`,
    );
  }
  registerQueryFunctions(db);
  const plan = planQuery(db, ds, sel.filter, sel.search);
  const sort = (sel.sort ?? []).map((k) => ({
    sql: resolveColumn(ds, k.column).sql,
    desc: k.desc,
  }));
  const { fromSql, idSql } = plan;
  const condSql = whereSql(plan.conds);
  const orderBySql = orderSql(sort, idSql);
  const columnsSql = ds.columns.map((c) => c.sql).join(', ');
  const selectSql = `SELECT ${idSql} AS id, t.ordinal, t.line${columnsSql ? `, ${columnsSql}` : ''} FROM ${fromSql} WHERE ${condSql} ORDER BY ${orderBySql}`;
  const width = ds.columns.length;
  const packedSql =
    width > 0
      ? `SELECT ${packedSelect(
          idSql,
          ds.columns.map((c) => c.sql),
        )} FROM ${fromSql} WHERE ${condSql} ORDER BY ${orderBySql}`
      : null;
  const keysSql = `SELECT ${idSql} AS id, t.ordinal FROM ${fromSql} WHERE ${condSql} ORDER BY ${orderBySql}`;
  const getSql = `SELECT ${idSql} AS id, t.ordinal, t.line${columnsSql ? `, ${columnsSql}` : ''} FROM ${fromSql} WHERE ${idSql} = ?`;
  let getStmt: ReturnType<ReadableDB['prepare']> | null = null;
  const toRecord = (r: unknown[], into?: SourceRecord): SourceRecord => {
    const values = into ? into.values : new Array<string | null>(width);
    for (let i = 0; i < width; i++) {
      const v = r[i + 3];
      values[i] = typeof v === 'string' ? v : v === null || v === undefined ? null : String(v);
    }
    if (!into) {
      return { id: r[0] as number, ordinal: r[1] as number, line: r[2] as number | null, values };
    }
    into.id = r[0] as number;
    into.ordinal = r[1] as number;
    into.line = r[2] as number | null;
    return into;
  };
  const getById = (id: number): SourceRecord | null => {
    getStmt ??= db.prepare(getSql).raw(true);
    const r = getStmt.get(id) as unknown[] | undefined;
    return r ? toRecord(r) : null;
  };
  /** One packed record (see `packedSelect`), into `into` when given. */
  const unpack = (s: string, into?: SourceRecord): SourceRecord => {
    const f = s.split(SEP);
    if (f.length !== width + 4 || f[0] !== '0') {
      // The id comes before any value, so it reads right even when a value holds U+001F.
      const rec = getById(Number(f[1]));
      if (!rec) throw new LeakscopeError('E_INTERNAL', 'a record changed while it was exported');
      if (!into) return rec;
      into.id = rec.id;
      into.ordinal = rec.ordinal;
      into.line = rec.line;
      for (let i = 0; i < width; i++) into.values[i] = rec.values[i]!;
      return into;
    }
    const rec = into ?? { id: 0, ordinal: 0, line: null, values: new Array<string | null>(width) };
    rec.id = Number(f[1]);
    rec.ordinal = Number(f[2]);
    rec.line = f[3] === NUL ? null : Number(f[3]);
    const values = rec.values;
    for (let i = 0; i < width; i++) {
      const v = f[i + 4]!;
      values[i] = v === NUL ? null : v;
    }
    return rec;
  };
  return {
    ds,
    description: plan.description,
    notes: plan.notes,
    *records(limit?: number, reuse = false) {
      const shared: SourceRecord | undefined = reuse
        ? { id: 0, ordinal: 0, line: null, values: new Array<string | null>(width) }
        : undefined;
      if (packedSql !== null) {
        const packed = db
          .prepare(limit === undefined ? packedSql : `${packedSql} LIMIT ?`)
          .pluck(true);
        const it = (
          limit === undefined
            ? packed.iterate(plan.params.values)
            : packed.iterate(plan.params.values, limit)
        ) as IterableIterator<string>;
        for (const s of it) yield unpack(s, shared);
        return;
      }
      const stmt = db.prepare(limit === undefined ? selectSql : `${selectSql} LIMIT ?`).raw(true);
      const it = (
        limit === undefined
          ? stmt.iterate(plan.params.values)
          : stmt.iterate(plan.params.values, limit)
      ) as IterableIterator<unknown[]>;
      for (const r of it) yield toRecord(r, shared);
    },
    keys() {
      return db.prepare(keysSql).raw(true).iterate(plan.params.values) as IterableIterator<
        [number, number]
      >;
    },
    get: getById,
    count() {
      const row = db
        .prepare(`SELECT count(*) AS n FROM ${fromSql} WHERE ${condSql}`)
        .get(plan.params.values) as { n: number };
      return row.n;
    },
  };
}
