/**
 * The one place the session capability runs a view's query: the ordinals of the records a filter
 * and search match, for fingerprints. The plan (FROM clause, predicates, bound values) comes from
 * the query engine (issue 6) unchanged, so a fingerprint counts exactly what `rows.query` shows.
 *
 * Only the ordinal column is read, in row-id order (the table's own order, or the search index's,
 * which is the same), so rows stream with flat memory however many match.
 */
import { loadDataset } from '../query/dataset';
import { registerQueryFunctions } from '../query/functions';
import { planQuery, whereSql } from '../query/plan';
import type { OrdinalSource } from './fingerprint';

export const matchingOrdinals: OrdinalSource = (db, ds, view) => {
  registerQueryFunctions(db);
  const plan = planQuery(
    db,
    // By name: names are unique, and loadDataset tries a reference as a name before an id.
    loadDataset(db, ds.name),
    view.filter ?? undefined,
    view.search ?? undefined,
  );
  const { fromSql, idSql } = plan;
  const where = whereSql(plan.conds);
  return db
    .prepare(`SELECT t.ordinal FROM ${fromSql} WHERE ${where} ORDER BY ${idSql}`)
    .pluck()
    .iterate(plan.params.values) as IterableIterator<number>;
};
