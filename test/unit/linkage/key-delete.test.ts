/**
 * Deleting a dataset's identity keys before a re-extraction (linkage/key-delete.ts): the tables
 * end as the per-row triggers of migration 0130 would leave them, by a scan for a dataset holding
 * a large share of the keys and by searches in key order for a small one; the triggers are back,
 * as written, afterwards; a rolled-back transaction leaves everything as it was.
 */
import { describe, expect, it } from 'vitest';
import { deleteDatasetKeys } from '../../../src/main/engine/linkage/key-delete';
import type { WritableDB } from '../../../src/main/engine/store';
import { createTestCase } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';
import { keyRows, writeRecordKeys } from '../migrations/linkage-helpers';

const dir = scratchDir();
/** Keys per dataset: 1 is small next to the others, 3 holds most keys. */
const SIZES = { 1: 40, 2: 300, 3: 2000 } as const;

function keysCase(): WritableDB {
  const { db } = createTestCase(dir);
  db.exec(`
    INSERT INTO sources (id, file_name, file_path, bytes, mtime, sha256, format, started_at, status)
      VALUES (1, 'a.csv', '/x/a.csv', 10, '2025-01-01T00:00:00Z', 'ab', 'csv', '2025-01-01T00:00:00Z', 'complete');
  `);
  const ds = db.prepare(
    "INSERT INTO datasets (id, source_id, name, source_table, physical, rows, status, created_at) VALUES (?, 1, ?, '', ?, 0, 'ready', 'now')",
  );
  const keyset = db.prepare(
    "INSERT INTO identity_keysets (dataset_id, roles, role_source, records, keys, seconds, created_at) VALUES (?, '{}', 'headers', ?, ?, 0, 'now')",
  );
  const key = db.prepare(
    'INSERT INTO identity_keys (dataset_id, row_id, kind, key, dob) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const [id, n] of Object.entries(SIZES)) {
      ds.run(Number(id), `d${id}`, `ds_${id}`);
      keyset.run(Number(id), n, n);
      const rows: [number, number, number, bigint, number | null][] = [];
      for (let i = 0; i < n; i++) {
        // Shared values across datasets (the same person in two leaks), 64-bit hashes; kinds 1-3
        // in their columns, a second email of every tenth record and kind 99 in the extras.
        const k = BigInt.asIntN(64, BigInt(i % 97) * 0x9e3779b97f4a7c15n);
        const row = 1 + Math.floor(i / 3);
        const kind = i % 30 === 0 ? 99 : i % 30 === 4 ? 1 : 1 + (i % 3);
        rows.push([Number(id), row, kind, k, row % 5 ? 19800101 : null]);
      }
      writeRecordKeys(db, rows);
      for (const r of rows) key.run(...r);
    }
  })();
  return db;
}

const triggerSql = (db: WritableDB) =>
  db
    .prepare(
      "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'identity_key_%' ORDER BY name)",
    )
    .pluck()
    .get();
const RECORDS = 'identity_key_record_keys';

describe('deleteDatasetKeys', () => {
  it.each([
    [1, 'a small dataset, by searches in key order'],
    [3, 'a dataset holding most keys, by a scan'],
  ])('dataset %i: %s', (id) => {
    const db = keysCase();
    const trigger = triggerSql(db);
    const expected = keyRows(db, 'identity_keys').filter((r) => !r.startsWith(`${id} `));
    db.transaction(() => deleteDatasetKeys(db, id))();
    expect(keyRows(db, 'identity_keys')).toEqual(expected);
    expect(keyRows(db, RECORDS)).toEqual(expected);
    expect(triggerSql(db)).toBe(trigger);
    // The triggers work again: record-table rows still take their twins with them.
    const other = id === 1 ? 2 : 1;
    db.prepare('DELETE FROM identity_key_records WHERE dataset_id = ?').run(other);
    db.prepare('DELETE FROM identity_key_extras WHERE dataset_id = ?').run(other);
    expect(keyRows(db, 'identity_keys').some((r) => r.startsWith(`${other} `))).toBe(false);
    expect(keyRows(db, 'identity_keys')).toEqual(keyRows(db, RECORDS));
  });

  it('the search path reads identity_keys by its primary key', () => {
    const db = keysCase();
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN DELETE FROM identity_keys WHERE (kind, key, dataset_id, row_id) IN (
             SELECT kind, key, dataset_id, row_id FROM identity_key_record_keys WHERE dataset_id = ?)`,
        )
        .all(1) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH identity_keys USING PRIMARY KEY/);
    expect(plan).toMatch(/SEARCH identity_key_records USING PRIMARY KEY \(dataset_id=\?\)/);
    expect(plan).toMatch(/SEARCH identity_key_extras USING PRIMARY KEY \(dataset_id=\?\)/);
  });

  it('is undone whole by a rollback, triggers included', () => {
    const db = keysCase();
    const before = keyRows(db, 'identity_keys');
    const trigger = triggerSql(db);
    expect(() =>
      db.transaction(() => {
        deleteDatasetKeys(db, 3);
        throw new Error('cancelled');
      })(),
    ).toThrow('cancelled');
    expect(keyRows(db, 'identity_keys')).toEqual(before);
    expect(keyRows(db, RECORDS)).toEqual(before);
    expect(triggerSql(db)).toBe(trigger);
  });

  it('the rows of an interrupted extraction (no keyset) are cleared the same way', () => {
    const db = keysCase();
    db.prepare('DELETE FROM identity_keysets WHERE dataset_id = 2').run();
    const expected = keyRows(db, 'identity_keys').filter((r) => !r.startsWith('2 '));
    db.transaction(() => deleteDatasetKeys(db, 2))();
    expect(keyRows(db, 'identity_keys')).toEqual(expected);
    expect(keyRows(db, RECORDS)).toEqual(expected);
  });
});
