/**
 * Setup shared by the linkage migration tests (0060, 0090, 0100, 0120) and the key-delete tests:
 * query plans, table shapes, key rows, and a case holding linkage rows written the way 0060's
 * schema stored them (text kinds and keys).
 */
import { expect } from 'vitest';
import {
  CROSS_PAIRS_SQL,
  GROUPS_SQL,
  KEY_HOLDERS_SQL,
  PAIRS_SQL,
  RECORD_KEYS_SQL,
  registerLinkageFunctions,
} from '../../../src/main/engine/linkage/queries';
import { keyHash64 } from '../../../src/main/engine/linkage/hash';
import { KEY_KIND_CODE } from '../../../src/main/engine/linkage/kinds';
import { recordHasKey, RECORD_KEY_COLUMNS } from '../../../src/main/engine/linkage/record-keys';
import type { WritableDB } from '../../../src/main/engine/store';
import { LATEST_VERSION, schemaVersion } from '../../../src/main/engine/store/migrations';
import { createDbAtVersion } from '../../helpers/case';

/**
 * The key rows of `table` (identity_keys, identity_key_records up to 0120, or from 0130 on the
 * view identity_key_record_keys) as sorted text, 64-bit exact.
 */
export function keyRows(db: WritableDB, table: string): string[] {
  return (
    db
      .prepare(`SELECT dataset_id, row_id, kind, key, dob FROM ${table}`)
      .raw(true)
      .safeIntegers(true)
      .all() as unknown[][]
  )
    .map((r) => r.join(' '))
    .sort();
}

/**
 * Writes key rows by record as the latest schema holds them (migration 0130): the record's first
 * key of a kind in its column, the others (and kinds without a column) in identity_key_extras.
 */
export function writeRecordKeys(
  db: WritableDB,
  rows: readonly (readonly [number, number, number, bigint | number, number | null])[],
): void {
  const row = db.prepare(
    'INSERT INTO identity_key_records (dataset_id, row_id, dob) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const extra = db.prepare(
    'INSERT OR IGNORE INTO identity_key_extras (dataset_id, row_id, kind, key, dob) VALUES (?, ?, ?, ?, ?)',
  );
  for (const [dataset, rowId, kind, key, dob] of rows) {
    const column = RECORD_KEY_COLUMNS.find((c) => c.code === kind)?.column;
    if (column === undefined) {
      extra.run(dataset, rowId, kind, key, dob);
      continue;
    }
    row.run(dataset, rowId, dob);
    const set = db
      .prepare(
        `UPDATE identity_key_records SET ${column} = ? WHERE dataset_id = ? AND row_id = ? AND ${column} IS NULL`,
      )
      .run(key, dataset, rowId);
    if (set.changes === 0) extra.run(dataset, rowId, kind, key, dob);
  }
}

export function plan(
  db: WritableDB,
  sql: string,
  params: Record<string, unknown> | unknown[],
): string {
  const rows = (
    Array.isArray(params)
      ? db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params)
      : db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params)
  ) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

export function columns(db: WritableDB, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
    (c) => c.name,
  );
}

export function count(db: WritableDB, table: string, where = '1'): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}

export function tableSql(db: WritableDB, name: string): string {
  return (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string })
    .sql;
}

export function foreignKeys(db: WritableDB, table: string): string[] {
  return (
    db.prepare('SELECT "from", "table", on_delete FROM pragma_foreign_key_list(?)').all(table) as {
      from: string;
      table: string;
      on_delete: string;
    }[]
  )
    .map((r) => `${r.from}->${r.table} ${r.on_delete}`)
    .sort();
}

/**
 * The plans every linkage query depends on (queries.ts), on the latest schema (the queries are
 * the current ones): lookups by (kind, key) on the identity_keys primary key, a record's keys on
 * the primary keys of identity_key_records and identity_key_extras (migration 0130), joins
 * without a sort, and never a table scanned or an automatic index built.
 */
export function expectLinkagePlans(db: WritableDB) {
  expect(schemaVersion(db)).toBe(LATEST_VERSION);
  registerLinkageFunctions(db);
  const kind = KEY_KIND_CODE.email;
  const key = keyHash64('a@b.fr');
  const byRecord = (p: string, on: string) => {
    expect(p).toMatch(new RegExp(`SEARCH identity_key_records USING PRIMARY KEY \\(${on}\\)`));
    expect(p).toMatch(new RegExp(`SEARCH identity_key_extras USING PRIMARY KEY \\(${on}\\)`));
    expect(p).not.toMatch(/SCAN identity_key_(records|extras)|AUTOMATIC/);
  };
  expect(plan(db, KEY_HOLDERS_SQL, [kind, key, 10])).toMatch(
    /SEARCH identity_keys USING PRIMARY KEY \(kind=\? AND key=\?\)/,
  );
  byRecord(plan(db, RECORD_KEYS_SQL, [1, 2]), 'dataset_id=\\? AND row_id=\\?');
  const scan = plan(db, CROSS_PAIRS_SQL.scan, { kind, a: 1 });
  expect(scan).toMatch(/SEARCH a USING PRIMARY KEY \(kind=\?\)/);
  expect(scan).toMatch(/SEARCH b USING PRIMARY KEY \(kind=\? AND key=\?\)/);
  expect(scan).not.toMatch(/TEMP B-TREE/);
  const seek = plan(db, CROSS_PAIRS_SQL.seek, { kind, a: 1 });
  byRecord(seek, 'dataset_id=\\?');
  expect(seek).toMatch(/SEARCH b USING PRIMARY KEY \(kind=\? AND key=\?\)/);
  expect(plan(db, PAIRS_SQL.scan, { kind, a: 1, b: 2 })).toMatch(
    /SEARCH b USING PRIMARY KEY \(kind=\? AND key=\? AND dataset_id=\?\)/,
  );
  const pairs = plan(db, PAIRS_SQL.seek, { kind, a: 1, b: 2 });
  byRecord(pairs, 'dataset_id=\\?');
  expect(pairs).toMatch(/SEARCH b USING PRIMARY KEY \(kind=\? AND key=\? AND dataset_id=\?\)/);
  byRecord(plan(db, GROUPS_SQL.seek, { kind, a: 1 }), 'dataset_id=\\?');
  const groups = plan(db, GROUPS_SQL.scan, { kind, a: 1 });
  expect(groups).toMatch(/SEARCH identity_keys USING PRIMARY KEY \(kind=\?\)/);
  expect(groups).not.toMatch(/TEMP B-TREE/);
  // The query engine's "seen in" filter, per row of the grid (query/compile.ts), as it compiles it.
  const seenIn = plan(
    db,
    `SELECT 1 WHERE ${recordHasKey('?', '?', (k, v) => `EXISTS (SELECT 1 FROM identity_keys k2 WHERE k2.kind = ${k} AND k2.key = ${v} AND k2.dataset_id = 2)`)}`,
    [1, 5, 1, 5],
  );
  expect(seenIn).toMatch(/SEARCH r USING PRIMARY KEY \(dataset_id=\? AND row_id=\?\)/);
  expect(seenIn).toMatch(/SEARCH x USING PRIMARY KEY \(dataset_id=\? AND row_id=\?\)/);
  expect(seenIn).toMatch(
    /SEARCH k2 (EXISTS )?USING PRIMARY KEY \(kind=\? AND key=\? AND dataset_id=\?\)/,
  );
  expect(seenIn).not.toMatch(/SCAN (?!CONSTANT ROW)|AUTOMATIC/);
}

/**
 * A case at `version` (80 or 90) holding linkage rows for datasets 1 and 2, written as 0060 stored
 * them (text kinds and keys), plus rows of a dataset 9 that does not exist (orphans).
 */
export function linkageCaseAt(dir: string, version: number): WritableDB {
  const db = createDbAtVersion(dir, version);
  // From 0090 on, foreign keys refuse rows of the missing dataset 9: orphans only exist before.
  const orphans = version < 90;
  db.exec(`
    INSERT INTO sources (id, file_name, file_path, bytes, mtime, sha256, format, started_at, status)
      VALUES (1, 'a.csv', '/x/a.csv', 10, '2025-01-01T00:00:00Z', 'ab', 'csv', '2025-01-01T00:00:00Z', 'complete');
    INSERT INTO datasets (id, source_id, name, source_table, physical, rows, status, created_at) VALUES
      (1, 1, 'a', '', 'ds_1', 2, 'ready', '2025-01-01T00:00:00Z'),
      (2, 1, 'b', '', 'ds_2', 2, 'ready', '2025-01-01T00:00:00Z');
    INSERT INTO identity_keys (dataset_id, row_id, kind, key, dob) VALUES
      (1, 1, 'email', 'a@x.fr', 19800101), (1, 2, 'phone', '+33612345678', NULL),
      (2, 1, 'email', 'a@x.fr', 19800101), (2, 2, 'nir', '1800175123456', NULL)
      ${orphans ? ", (9, 1, 'email', 'a@x.fr', NULL)" : ''};
    INSERT INTO identity_keysets (dataset_id, roles, role_source, records, keys, seconds, created_at) VALUES
      (1, '{}', 'headers', 2, 2, 0, 'now'), (2, '{}', 'headers', 2, 2, 0, 'now');
    INSERT INTO match_runs (id, a_dataset, b_dataset, fuzzy, threshold, pairs, model, created_at) VALUES
      (1, 1, 2, 1, 0.9, 1, '{}', 'now')${orphans ? ", (2, 1, 9, 0, 1, 1, '{}', 'now')" : ''};
    INSERT INTO match_pairs (a_dataset, a_row, b_dataset, b_row, score, run_id, keys) VALUES
      (1, 1, 2, 1, 0.99, 1, 'email')${orphans ? ", (1, 2, 9, 1, 1, 2, 'email')" : ''};
    INSERT INTO clusters (dataset_id, row_id, cluster_id) VALUES
      (1, 1, 1), (2, 1, 1)${orphans ? ', (9, 1, 2)' : ''};
    INSERT INTO cluster_sizes (cluster_id, size, datasets) VALUES (1, 2, 2);
  `);
  return db;
}
