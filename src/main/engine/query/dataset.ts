/**
 * The dataset a query runs on, with its columns resolved to physical names, and the bound-value
 * collector every compiled fragment shares.
 *
 * Column references from users (a header such as `x"; DROP TABLE datasets; --`, or a dotted JSON
 * path) are looked up as VALUES in `dataset_columns`; SQL only ever sees the generated physical
 * name `c_<n>`, quoted by `sqlId`. A reference that names no column is a plain E_BAD_INPUT.
 */
import { LeakscopeError } from '../../../shared/errors';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';

export interface QueryColumn {
  idx: number;
  name: string;
  path: string;
  /** `t."c_<idx>"`: the column as an SQL expression on the dataset table aliased `t`. */
  sql: string;
}

export interface QueryDataset {
  id: number;
  name: string;
  /** `ds_<id>` */
  physical: string;
  rows: number;
  status: string;
  columns: QueryColumn[];
}

export function loadDataset(db: ReadableDB, ref: string): QueryDataset {
  type Row = { id: number; name: string; physical: string; rows: number; status: string };
  const select = 'SELECT id, name, physical, rows, status FROM datasets';
  let row = db.prepare(`${select} WHERE name = ?`).get(ref) as Row | undefined;
  if (!row && /^\d+$/.test(ref))
    row = db.prepare(`${select} WHERE id = ?`).get(Number(ref)) as Row | undefined;
  if (!row)
    throw new LeakscopeError('E_NOT_FOUND', `no dataset named ${JSON.stringify(ref)} in this case`);
  const columns = (
    db
      .prepare('SELECT idx, name, path FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
      .all(row.id) as { idx: number; name: string; path: string }[]
  ).map((c) => ({ ...c, sql: `t.${sqlId(`c_${c.idx}`)}` }));
  return { ...row, columns };
}

/** A column by name, else by dotted path (names win: they are what the grid shows). */
export function resolveColumn(ds: QueryDataset, ref: string): QueryColumn {
  const found = ds.columns.find((c) => c.name === ref) ?? ds.columns.find((c) => c.path === ref);
  if (found) return found;
  const some = ds.columns.slice(0, 30).map((c) => JSON.stringify(c.name));
  const more = ds.columns.length > 30 ? `, … (${ds.columns.length} in all)` : '';
  throw new LeakscopeError(
    'E_BAD_INPUT',
    `dataset ${JSON.stringify(ds.name)} has no column ${JSON.stringify(ref)}; its columns are ${some.join(', ')}${more}`,
  );
}

/** Whether a table exists (linkage and profile tables arrive with other capabilities). */
export function hasTable(db: ReadableDB, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

/**
 * Collects bound values under generated names (`@p1`, `@p2`...): compiled SQL refers to values
 * only through these placeholders, never by splicing them into the text.
 */
export class SqlParams {
  readonly values: Record<string, unknown> = {};
  private n = 0;

  bind(value: string | number | null): string {
    const name = `p${++this.n}`;
    this.values[name] = value;
    return `@${name}`;
  }
}
