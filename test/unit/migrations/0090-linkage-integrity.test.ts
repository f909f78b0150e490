/**
 * Migration 0090: the linkage tables reference their datasets (ON DELETE CASCADE). Rows written
 * under 0060 survive the rebuild, orphans do not, deleting a dataset takes its keys, matches and
 * cluster memberships with it, and the plans held by 0060-linkage.test.ts are unchanged.
 */
import { describe, expect, it } from 'vitest';
import {
  CROSS_PAIRS_SQL,
  GROUPS_SQL,
  KEY_HOLDERS_SQL,
  PAIRS_SQL,
  RECORD_KEYS_SQL,
  registerLinkageFunctions,
} from '../../../src/main/engine/linkage/queries';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import type { WritableDB } from '../../../src/main/engine/store';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();

function plan(db: WritableDB, sql: string, params: Record<string, unknown> | unknown[]): string {
  const rows = (
    Array.isArray(params)
      ? db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params)
      : db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params)
  ) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

function count(db: WritableDB, table: string, where = '1'): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}

function foreignKeys(db: WritableDB, table: string): string[] {
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

/** A case at version 80 holding linkage rows for datasets 1 and 2, plus orphans of dataset 9. */
function atVersion80(): WritableDB {
  const db = createDbAtVersion(dir, 80);
  db.exec(`
    INSERT INTO sources (id, file_name, file_path, bytes, mtime, sha256, format, started_at, status)
      VALUES (1, 'a.csv', '/x/a.csv', 10, '2025-01-01T00:00:00Z', 'ab', 'csv', '2025-01-01T00:00:00Z', 'complete');
    INSERT INTO datasets (id, source_id, name, source_table, physical, rows, status, created_at) VALUES
      (1, 1, 'a', '', 'ds_1', 2, 'ready', '2025-01-01T00:00:00Z'),
      (2, 1, 'b', '', 'ds_2', 2, 'ready', '2025-01-01T00:00:00Z');
    INSERT INTO identity_keys (dataset_id, row_id, kind, key, dob) VALUES
      (1, 1, 'email', 'a@x.fr', 19800101), (1, 2, 'phone', '+33612345678', NULL),
      (2, 1, 'email', 'a@x.fr', 19800101), (2, 2, 'nir', '1800175123456', NULL),
      (9, 1, 'email', 'a@x.fr', NULL);
    INSERT INTO identity_keysets (dataset_id, roles, role_source, records, keys, seconds, created_at) VALUES
      (1, '{}', 'headers', 2, 2, 0, 'now'), (2, '{}', 'headers', 2, 2, 0, 'now');
    INSERT INTO match_runs (id, a_dataset, b_dataset, fuzzy, threshold, pairs, model, created_at) VALUES
      (1, 1, 2, 1, 0.9, 1, '{}', 'now'), (2, 1, 9, 0, 1, 1, '{}', 'now');
    INSERT INTO match_pairs (a_dataset, a_row, b_dataset, b_row, score, run_id, keys) VALUES
      (1, 1, 2, 1, 0.99, 1, 'email'), (1, 2, 9, 1, 1, 2, 'email');
    INSERT INTO clusters (dataset_id, row_id, cluster_id) VALUES (1, 1, 1), (2, 1, 1), (9, 1, 2);
    INSERT INTO cluster_sizes (cluster_id, size, datasets) VALUES (1, 2, 2);
  `);
  return db;
}

describe('migration 0090-linkage-integrity', () => {
  it('adds the foreign keys and keeps every row that has its dataset', () => {
    const db = atVersion80();
    migrate(db, new Date('2025-01-02T03:04:05Z'), 90);
    expect(schemaVersion(db)).toBe(90);
    expect(foreignKeys(db, 'identity_keys')).toEqual(['dataset_id->datasets CASCADE']);
    expect(foreignKeys(db, 'clusters')).toEqual(['dataset_id->datasets CASCADE']);
    expect(foreignKeys(db, 'match_runs')).toEqual([
      'a_dataset->datasets CASCADE',
      'b_dataset->datasets CASCADE',
    ]);
    expect(foreignKeys(db, 'match_pairs')).toEqual([
      'a_dataset->datasets CASCADE',
      'b_dataset->datasets CASCADE',
      'run_id->match_runs CASCADE',
    ]);
    // Orphans of the missing dataset 9 are gone; everything else is there.
    expect(count(db, 'identity_keys')).toBe(4);
    expect(count(db, 'identity_keys', 'dataset_id = 9')).toBe(0);
    expect(count(db, 'match_runs')).toBe(1);
    expect(count(db, 'match_pairs')).toBe(1);
    expect(count(db, 'clusters')).toBe(2);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const sql = (
      db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'identity_keys'").get() as {
        sql: string;
      }
    ).sql;
    expect(sql).toMatch(/PRIMARY KEY \(kind, key, dataset_id, row_id\)/);
    expect(sql).toMatch(/STRICT, WITHOUT ROWID/);
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'lk\\_hold%' ESCAPE '\\'").all(),
    ).toEqual([]);
    db.close();
  });

  it('refuses keys, runs and memberships of a dataset that does not exist', () => {
    const db = atVersion80();
    migrate(db, new Date(), 90);
    db.pragma('foreign_keys = ON');
    expect(() =>
      db
        .prepare(
          "INSERT INTO identity_keys (dataset_id, row_id, kind, key) VALUES (7, 1, 'email', 'b@x.fr')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO match_runs (a_dataset, b_dataset, fuzzy, threshold, pairs, model, created_at) VALUES (1, 7, 0, 1, 0, '{}', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare('INSERT INTO clusters (dataset_id, row_id, cluster_id) VALUES (7, 1, 3)').run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('deleting a dataset deletes its keys, its match runs and pairs, and its cluster rows', () => {
    const db = atVersion80();
    migrate(db, new Date(), 90);
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM datasets WHERE id = 2').run();
    expect(count(db, 'identity_keys', 'dataset_id = 2')).toBe(0);
    expect(count(db, 'identity_keys', 'dataset_id = 1')).toBe(2);
    expect(count(db, 'identity_keysets')).toBe(1);
    expect(count(db, 'match_runs')).toBe(0);
    expect(count(db, 'match_pairs')).toBe(0);
    expect(count(db, 'clusters')).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('a cascade is an index search, not a scan of the linkage tables', () => {
    const db = atVersion80();
    migrate(db, new Date(), 90);
    for (const [sql, index] of [
      ['DELETE FROM identity_keys WHERE dataset_id = ?', /INDEX identity_keys_record/],
      ['DELETE FROM clusters WHERE dataset_id = ?', /PRIMARY KEY \(dataset_id=\?\)/],
      ['DELETE FROM match_runs WHERE a_dataset = ?', /INDEX match_runs_datasets/],
      ['DELETE FROM match_runs WHERE b_dataset = ?', /INDEX match_runs_b/],
      ['DELETE FROM match_pairs WHERE a_dataset = ?', /PRIMARY KEY \(a_dataset=\?\)/],
      ['DELETE FROM match_pairs WHERE b_dataset = ?', /INDEX match_pairs_b/],
    ] as const) {
      expect(plan(db, sql, [1])).toMatch(index);
    }
    db.close();
  });

  it('keeps the query plans of the linkage and of the query engine filters', () => {
    const db = atVersion80();
    migrate(db, new Date(), 90);
    registerLinkageFunctions(db);
    expect(plan(db, KEY_HOLDERS_SQL, ['email', 'a@b.fr', 10])).toMatch(
      /SEARCH identity_keys USING PRIMARY KEY \(kind=\? AND key=\?\)/,
    );
    expect(plan(db, RECORD_KEYS_SQL, [1, 2])).toMatch(
      /SEARCH identity_keys USING (COVERING )?INDEX identity_keys_record \(dataset_id=\? AND row_id=\?\)/,
    );
    const scan = plan(db, CROSS_PAIRS_SQL.scan, { kind: 'email', a: 1 });
    expect(scan).toMatch(/SEARCH a USING PRIMARY KEY \(kind=\?\)/);
    expect(scan).not.toMatch(/TEMP B-TREE/);
    expect(plan(db, CROSS_PAIRS_SQL.seek, { kind: 'email', a: 1 })).toMatch(
      /SEARCH a USING (COVERING )?INDEX identity_keys_record \(dataset_id=\?\)/,
    );
    expect(plan(db, PAIRS_SQL.scan, { kind: 'nir', a: 1, b: 2 })).toMatch(
      /SEARCH b USING PRIMARY KEY \(kind=\? AND key=\? AND dataset_id=\?\)/,
    );
    expect(plan(db, GROUPS_SQL.scan, { kind: 'nir', a: 1 })).not.toMatch(/TEMP B-TREE/);
    expect(plan(db, 'SELECT * FROM clusters WHERE cluster_id = ?', [3])).toMatch(
      /INDEX clusters_cluster/,
    );
    db.close();
  });
});
