/**
 * A compiled query on one dataset: filter and search together, as the FROM clause, the row-id
 * expression and the WHERE conjuncts that pages, counts and facets all build on.
 *
 * With an index-backed search the FTS table drives: `FROM fts_<id> JOIN ds_<id> t ON t.id =
 * fts.rowid WHERE fts MATCH @q ...`, so a page reads matches in rowid order and stops after the
 * limit, instead of materialising every match first (what `t.id IN (SELECT rowid ...)` does).
 * Text filters of 3+ characters drive through the same index when it is ready (fts-filter.ts):
 * their trigrams join the MATCH, and the compiled filter re-checks every candidate exactly.
 */
import { DEFAULT_KIND_CONFIDENCE, describeQuery, type FilterNode } from '../../../shared/filter';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { compileFilter } from './compile';
import { hasTable, SqlParams, type QueryDataset } from './dataset';
import { filterFtsMatch } from './fts-filter';
import { listColumnIndexes } from './indexes';
import { compileSearch, ftsTableName, searchIndexReady, type CompiledSearch } from './search';

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
  /** The FTS5 condition driving the query (search words and text filters), or null. */
  match: string | null;
  /** Whether the filter's text conditions are narrowed by the search index. */
  filterIndexed: boolean;
  search: CompiledSearch;
  description: string;
  notes: string[];
}

export function planQuery(
  db: ReadableDB,
  ds: QueryDataset,
  filter: FilterNode | undefined,
  search: string | undefined,
  /** `filterIndex: false`: scan for the filter even when the search index could narrow it. */
  opts: { filterIndex?: boolean } = {},
): QueryPlan {
  const params = new SqlParams();
  const f = compileFilter(db, ds, filter, params);
  const s = compileSearch(db, ds, search, params);
  const notes = [...f.notes, ...s.notes];
  const fm =
    filter && opts.filterIndex !== false && searchIndexReady(db, ds.id)
      ? filterMatch(db, ds, filter)
      : null;
  const matches = [s.match, fm].filter((m): m is string => m !== null);
  const match =
    matches.length === 0
      ? null
      : matches.length === 1
        ? matches[0]!
        : `(${matches.join(') AND (')})`;
  const tableSql = `${sqlId(ds.physical)} t`;
  const conds: string[] = [];
  let fromSql = tableSql;
  let idSql = 't.id';
  if (match) {
    const ftsSql = sqlId(ftsTableName(ds.id));
    fromSql = `${ftsSql} JOIN ${tableSql} ON t.id = ${ftsSql}.rowid`;
    idSql = `${ftsSql}.rowid`;
    conds.push(`${ftsSql} MATCH ${params.bind(match)}`);
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
    match,
    filterIndexed: fm !== null,
    search: s,
    description: describeQuery(filter, search, ds.columns),
    notes,
  };
}

/** The filter's FTS5 condition (fts-filter.ts) with this dataset's kept indexes and PII kinds. */
function filterMatch(db: ReadableDB, ds: QueryDataset, filter: FilterNode): string | null {
  const indexed = new Set(listColumnIndexes(db, ds.id).keys());
  const profiled = hasTable(db, 'column_pii');
  return filterFtsMatch(filter, {
    ds,
    indexed,
    kindColumns: (kind, min) =>
      profiled
        ? (
            db
              .prepare(
                'SELECT DISTINCT column_idx AS idx FROM column_pii WHERE dataset_id = ? AND kind = ? AND confidence >= ?',
              )
              .all(ds.id, kind, min ?? DEFAULT_KIND_CONFIDENCE) as { idx: number }[]
          ).map((r) => r.idx)
        : null,
  });
}

export function whereSql(conds: readonly string[]): string {
  return conds.length ? conds.join(' AND ') : '1';
}

/** The conjunct restricting a plan to ids @lo..@hi (bound per chunk by the scanners). */
export function rangeCond(plan: QueryPlan): string {
  return `${plan.idSql} BETWEEN @lo AND @hi`;
}
