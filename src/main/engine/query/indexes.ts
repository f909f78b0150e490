/**
 * Column indexes built on demand and kept: `ix_ds_<id>_c_<n>` on one dataset column, recorded in
 * `column_indexes` (migration 0050). A sort on a large dataset builds the index of its first key
 * (keyset pages then seek instead of sorting millions of rows); `rows.index` builds one for
 * equality, `in`, prefix and text-range filters. SQLite picks the index by itself once it exists.
 *
 * Building is one CREATE INDEX statement holding the case's write lock for its whole run (about a
 * minute per 10M rows): SQLite builds an index in one statement, it cannot be split into short
 * transactions the way the search index is. An import writing at the same time would wait on that
 * lock and could time out, so a sort does not start a build while a dataset is importing; it
 * sorts without an index and says so. Audit entries written meanwhile wait for the lock (audit
 * log's busy retry) rather than fail.
 */
import { LeakscopeError } from '../../../shared/errors';
import { sqlId } from '../store/sql';
import type { ReadableDB, WritableDB } from '../store/types';
import type { QueryColumn, QueryDataset } from './dataset';

/** Below this, sorting without an index is instant; above it, a kept index pays off. */
export const SORT_INDEX_MIN_ROWS = 20_000;

export function indexName(ds: QueryDataset, col: QueryColumn): string {
  return `ix_${ds.physical}_c_${col.idx}`;
}

export function hasIndex(db: ReadableDB, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name) !==
    undefined
  );
}

export function importInProgress(db: ReadableDB): boolean {
  return (
    db.prepare("SELECT 1 FROM datasets WHERE status = 'importing' LIMIT 1").get() !== undefined
  );
}

export interface EnsureResult {
  index: string;
  created: boolean;
  seconds: number;
}

/** Creates the column's index if missing and records it. */
export function ensureColumnIndex(
  db: WritableDB,
  ds: QueryDataset,
  col: QueryColumn,
  now: () => Date = () => new Date(),
): EnsureResult {
  const name = indexName(ds, col);
  if (hasIndex(db, name)) return { index: name, created: false, seconds: 0 };
  if (importInProgress(db)) {
    throw new LeakscopeError(
      'E_CASE_LOCKED',
      'an import is writing to the case: build the index when it has finished',
    );
  }
  const started = performance.now();
  db.transaction(() => {
    db.exec(
      `CREATE INDEX IF NOT EXISTS ${sqlId(name)} ON ${sqlId(ds.physical)} (${sqlId(`c_${col.idx}`)})`,
    );
    db.prepare(
      'INSERT OR REPLACE INTO column_indexes (dataset_id, column_idx, name, created_at, seconds) VALUES (?, ?, ?, ?, ?)',
    ).run(ds.id, col.idx, name, now().toISOString(), (performance.now() - started) / 1000);
  }).immediate();
  return { index: name, created: true, seconds: (performance.now() - started) / 1000 };
}

/** Indexes recorded for a dataset (column index → index name). */
export function listColumnIndexes(db: ReadableDB, datasetId: number): Map<number, string> {
  const rows = db
    .prepare('SELECT column_idx AS idx, name FROM column_indexes WHERE dataset_id = ?')
    .all(datasetId) as { idx: number; name: string }[];
  return new Map(rows.map((r) => [r.idx, r.name]));
}
