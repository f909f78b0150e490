/**
 * Migration 0040: stored profiles and the queryable column_pii table (exact columns other
 * modules rely on), its indexes and query plans, constraints and cascades.
 */
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import type { WritableDB } from '../../../src/main/engine/store';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();

function fresh(): WritableDB {
  const db = createDbAtVersion(dir, 30);
  migrate(db, new Date('2025-01-02T03:04:05Z'), 40);
  db.pragma('foreign_keys = ON');
  db.exec(`
    INSERT INTO sources (id, file_name, file_path, bytes, mtime, sha256, format, started_at, status)
      VALUES (1, 'a.csv', '/x/a.csv', 10, '2025-01-01T00:00:00Z', 'ab', 'csv', '2025-01-01T00:00:00Z', 'complete');
    INSERT INTO datasets (id, source_id, name, source_table, physical, rows, status, created_at)
      VALUES (1, 1, 'a', '', 'ds_1', 2, 'ready', '2025-01-01T00:00:00Z');
    INSERT INTO dataset_columns (dataset_id, idx, name, path) VALUES (1, 1, 'email', 'email'), (1, 2, 'nir', 'nir');
  `);
  return db;
}

function plan(db: WritableDB, sql: string): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');
}

describe('migration 0040-profiles', () => {
  it('creates profiles and column_pii with exactly the agreed columns', () => {
    const db = fresh();
    expect(schemaVersion(db)).toBe(40);
    const cols = (t: string) =>
      (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
    expect(cols('column_pii')).toEqual(['dataset_id', 'column_idx', 'kind', 'confidence', 'share']);
    expect(cols('profiles')).toEqual(['dataset_id', 'version', 'profiled_at', 'profile']);
    const sql = (
      db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'column_pii'").get() as { sql: string }
    ).sql;
    expect(sql).toMatch(/STRICT/);
    db.close();
  });
  it('"any email column" and "kinds of this dataset" use the indexes', () => {
    const db = fresh();
    expect(
      plan(
        db,
        "SELECT dataset_id, column_idx FROM column_pii WHERE kind = 'email' AND confidence >= 0.5",
      ),
    ).toMatch(/USING (?:COVERING )?INDEX column_pii_kind/);
    expect(
      plan(db, 'SELECT kind FROM column_pii WHERE dataset_id = 1 ORDER BY confidence DESC'),
    ).toMatch(/column_pii_dataset|PRIMARY KEY|sqlite_autoindex/);
    db.close();
  });
  it('rejects out-of-range values and unknown columns, cascades with the dataset', () => {
    const db = fresh();
    const ins = db.prepare(
      'INSERT INTO column_pii (dataset_id, column_idx, kind, confidence, share) VALUES (?, ?, ?, ?, ?)',
    );
    ins.run(1, 1, 'email', 0.99, 1);
    ins.run(1, 2, 'nir', 0.95, 0.97);
    expect(() => ins.run(1, 1, 'phone', 1.5, 0.1)).toThrow(/CHECK/);
    expect(() => ins.run(1, 9, 'phone', 0.5, 0.1)).toThrow(/FOREIGN KEY/);
    expect(() => ins.run(1, 1, 'email', 0.5, 0.5)).toThrow(/UNIQUE|PRIMARY/);
    db.prepare("INSERT INTO profiles VALUES (1, 1, '2025-01-01T00:00:00Z', '{}')").run();
    db.prepare('DELETE FROM dataset_columns WHERE dataset_id = 1').run();
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect((db.prepare('SELECT count(*) AS n FROM column_pii').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM profiles').get() as { n: number }).n).toBe(0);
    db.close();
  });
});
