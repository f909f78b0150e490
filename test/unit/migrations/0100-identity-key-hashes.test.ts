/**
 * Migration 0100: identity keys become integers (kind code, 64-bit hash of the value). Keys
 * written under 0090 are converted, not lost: equal values still meet, the foreign key, the
 * record index and every query plan are kept, and text can no longer be stored.
 */
import { describe, expect, it } from 'vitest';
import { keyHash64 } from '../../../src/main/engine/linkage/hash';
import { KEY_KIND_CODE, KEY_KINDS } from '../../../src/main/engine/linkage/kinds';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import { scratchDir } from '../../helpers/tmp';
import {
  columns,
  count,
  expectLinkagePlans,
  foreignKeys,
  linkageCaseAt,
  plan,
  tableSql,
} from './linkage-helpers';

const dir = scratchDir();

function migrated() {
  const db = linkageCaseAt(dir, 90);
  // A kind the engine never wrote cannot be mapped to a code: it is dropped.
  db.exec("INSERT INTO identity_keys VALUES (1, 3, 'shoe_size', '42', NULL)");
  migrate(db, new Date('2026-11-23T00:00:00Z'), 100);
  return db;
}

describe('migration 0100-identity-key-hashes', () => {
  it('converts every key to (kind code, hash of the value), keeping the schema around it', () => {
    const db = migrated();
    expect(schemaVersion(db)).toBe(100);
    expect(columns(db, 'identity_keys')).toEqual(['dataset_id', 'row_id', 'kind', 'key', 'dob']);
    const sql = tableSql(db, 'identity_keys');
    expect(sql).toMatch(/kind\s+INTEGER NOT NULL/);
    expect(sql).toMatch(/key\s+INTEGER NOT NULL/);
    expect(sql).toMatch(/PRIMARY KEY \(kind, key, dataset_id, row_id\)/);
    expect(sql).toMatch(/STRICT, WITHOUT ROWID/);
    expect(foreignKeys(db, 'identity_keys')).toEqual(['dataset_id->datasets CASCADE']);
    expect(tableSql(db, 'identity_keys_record')).toMatch(/ON identity_keys \(dataset_id, row_id\)/);
    const rows = db
      .prepare(
        'SELECT dataset_id, row_id, kind, key, dob FROM identity_keys ORDER BY dataset_id, row_id',
      )
      .safeIntegers(true)
      .all() as Record<string, bigint | null>[];
    expect(rows).toEqual([
      { dataset_id: 1n, row_id: 1n, kind: 1n, key: keyHash64('a@x.fr'), dob: 19800101n },
      { dataset_id: 1n, row_id: 2n, kind: 2n, key: keyHash64('+33612345678'), dob: null },
      { dataset_id: 2n, row_id: 1n, kind: 1n, key: keyHash64('a@x.fr'), dob: 19800101n },
      { dataset_id: 2n, row_id: 2n, kind: 3n, key: keyHash64('1800175123456'), dob: null },
    ]);
    expect(count(db, 'sqlite_schema', "name LIKE 'lk\\_%' ESCAPE '\\'")).toBe(0);
    db.close();
  });

  it('equal values of two datasets still meet on the primary key', () => {
    const db = migrated();
    const holders = db
      .prepare('SELECT dataset_id, row_id FROM identity_keys WHERE kind = ? AND key = ?')
      .all(KEY_KIND_CODE.email, keyHash64('a@x.fr'));
    expect(holders).toEqual([
      { dataset_id: 1, row_id: 1 },
      { dataset_id: 2, row_id: 1 },
    ]);
    db.close();
  });

  it('refuses text keys and cascades with the dataset through the record index', () => {
    const db = migrated();
    expect(() =>
      db.prepare("INSERT INTO identity_keys VALUES (1, 5, 'email', 'b@x.fr', NULL)").run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(plan(db, 'DELETE FROM identity_keys WHERE dataset_id = ?', [1])).toMatch(
      /INDEX identity_keys_record/,
    );
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM datasets WHERE id = 2').run();
    expect(count(db, 'identity_keys', 'dataset_id = 2')).toBe(0);
    expect(count(db, 'identity_keys', 'dataset_id = 1')).toBe(2);
    db.close();
  });

  it('writes each kind under the code the engine uses', () => {
    const db = linkageCaseAt(dir, 90);
    const insert = db.prepare(
      "INSERT INTO identity_keys (dataset_id, row_id, kind, key) VALUES (1, ?, ?, 'v')",
    );
    KEY_KINDS.forEach((kind, i) => insert.run(100 + i, kind));
    migrate(db, new Date(), 100);
    const codes = db
      .prepare('SELECT row_id, kind FROM identity_keys WHERE row_id >= 100 ORDER BY row_id')
      .all() as { row_id: number; kind: number }[];
    expect(codes.map((r) => r.kind)).toEqual(KEY_KINDS.map((k) => KEY_KIND_CODE[k]));
    db.close();
  });

  it('keeps the query plans of the linkage and of the query engine filters', () => {
    const db = migrated();
    expect(
      plan(db, 'SELECT kind FROM identity_keys WHERE dataset_id = ? AND row_id = ?', [1, 2]),
    ).toMatch(/INDEX identity_keys_record/);
    migrate(db, new Date());
    expectLinkagePlans(db);
    db.close();
  });
});
