/**
 * A compiled query on one dataset: filter and search together, as the FROM clause, the row-id
 * expression and the WHERE conjuncts that pages, counts and facets all build on.
 *
 * With an index-backed search the FTS table drives: `FROM fts_<id> JOIN ds_<id> t ON t.id =
 * fts.rowid WHERE fts MATCH @q ...`, so a page reads matches in rowid order and stops after the
 * limit, instead of materialising every match first (what `t.id IN (SELECT rowid ...)` does).
 */
import { describeQuery, type FilterNode } from '../../../shared/filter';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { compileFilter } from './compile';
import { SqlParams, type QueryDataset } from './dataset';
import { compileSearch, type CompiledSearch } from './search';

export interface QueryPlan {
  ds: QueryDataset;
  params: SqlParams;
  fromSql: string;
  /** Row id expression: `t.id`, or the FTS rowid when the index drives. */
  idSql: string;
  /** WHERE conjuncts (filter, search match and re-checks). */
  conds: string[];
  /** Whether anything narrows the dataset (else counts are the dataset's row count). */
  narrowed: boolean;
  search: CompiledSearch;
  description: string;
  notes: string[];
}

export function planQuery(
  db: ReadableDB,
  ds: QueryDataset,
  filter: FilterNode | undefined,
  search: string | undefined,
): QueryPlan {
  const params = new SqlParams();
  const f = compileFilter(db, ds, filter, params);
  const s = compileSearch(db, ds, search, params);
  const tableSql = `${sqlId(ds.physical)} t`;
  const conds: string[] = [];
  let fromSql = tableSql;
  let idSql = 't.id';
  if (s.match && s.ftsTable) {
    const ftsSql = sqlId(s.ftsTable);
    fromSql = `${ftsSql} JOIN ${tableSql} ON t.id = ${ftsSql}.rowid`;
    idSql = `${ftsSql}.rowid`;
    conds.push(`${ftsSql} MATCH ${params.bind(s.match)}`);
  }
  if (filter) conds.push(f.sql);
  conds.push(...s.conds);
  return {
    ds,
    params,
    fromSql,
    idSql,
    conds,
    narrowed: filter !== undefined || s.mode !== 'none',
    search: s,
    description: describeQuery(filter, search, ds.columns),
    notes: [...f.notes, ...s.notes],
  };
}

export function whereSql(conds: readonly string[]): string {
  return conds.length ? conds.join(' AND ') : '1';
}

/** The conjunct restricting a plan to ids @lo..@hi (bound per chunk by the scanners). */
export function rangeCond(plan: QueryPlan): string {
  return `${plan.idSql} BETWEEN @lo AND @hi`;
}
