/**
 * Migration 0130: a record's identity keys in one `identity_key_records` row (a column per kind)
 * plus `identity_key_extras`, instead of a row per key. Keys written before are all still there,
 * read back through the view; identity_keys is untouched; deleting a dataset or a record row
 * still takes the twins in identity_keys with it; every linkage query keeps a primary-key plan.
 */
import { describe, expect, it } from 'vitest';
import { KEY_KIND_CODE } from '../../../src/main/engine/linkage/kinds';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import { scratchDir } from '../../helpers/tmp';
import {
  columns,
  count,
  expectLinkagePlans,
  foreignKeys,
  keyRows,
  linkageCaseAt,
  tableSql,
} from './linkage-helpers';

const dir = scratchDir();

/**
 * A case under 0120 whose records hold, besides the fixture's keys, a second email and a key of
 * a kind without a column (99), migrated to 0130.
 */
function migrated() {
  const db = linkageCaseAt(dir, 90);
  migrate(db, new Date('2026-11-24T00:00:00Z'), 120);
  db.exec(`
    INSERT INTO identity_key_records (dataset_id, row_id, kind, key, dob) VALUES
      (1, 1, 1, -5, 19800101), (1, 1, 99, 42, 19800101), (2, 3, 99, 42, NULL);
    INSERT INTO identity_keys SELECT * FROM identity_key_records WHERE kind = 99 OR key = -5;
  `);
  const before = keyRows(db, 'identity_key_records');
  migrate(db, new Date('2026-11-24T00:00:00Z'));
  return { db, before };
}

describe('migration 0130-identity-key-record-rows', () => {
  it('folds every key into a row per record and its extras, and keeps identity_keys', () => {
    const { db, before } = migrated();
    expect(schemaVersion(db)).toBe(130);
    expect(before).toHaveLength(7);
    expect(keyRows(db, 'identity_key_record_keys')).toEqual(before);
    expect(keyRows(db, 'identity_keys')).toEqual(before);
    // Records 1/1, 1/2, 2/1, 2/2 have a row; 2/3 holds only a kind without a column.
    expect(count(db, 'identity_key_records')).toBe(4);
    // The smaller of the two emails of record 1/1 is in its column, the other in the extras.
    expect(
      count(
        db,
        'identity_key_extras x JOIN identity_key_records r USING (dataset_id, row_id)',
        'x.kind = 1 AND x.key > r.email',
      ),
    ).toBe(1);
    expect(count(db, 'identity_key_extras')).toBe(3);
    expect(columns(db, 'identity_key_records').slice(0, 3)).toEqual([
      'dataset_id',
      'row_id',
      'dob',
    ]);
    expect(tableSql(db, 'identity_key_records')).toMatch(
      /PRIMARY KEY \(dataset_id, row_id\)\s*\) STRICT, WITHOUT ROWID/,
    );
    expect(foreignKeys(db, 'identity_key_records')).toEqual(['dataset_id->datasets CASCADE']);
    expect(foreignKeys(db, 'identity_key_extras')).toEqual(['dataset_id->datasets CASCADE']);
    expect(count(db, 'sqlite_schema', "name = 'lk_hold_records'")).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a dataset deleted takes its keys out of every table', () => {
    const { db } = migrated();
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM datasets WHERE id = 2').run();
    expect(count(db, 'identity_key_record_keys', 'dataset_id = 2')).toBe(0);
    expect(count(db, 'identity_keys', 'dataset_id = 2')).toBe(0);
    expect(keyRows(db, 'identity_keys')).toEqual(keyRows(db, 'identity_key_record_keys'));
    expect(count(db, 'identity_keys', 'dataset_id = 1')).toBe(4);
    db.close();
  });

  it('deleting one record row or one extra deletes its twins only', () => {
    const { db } = migrated();
    db.prepare('DELETE FROM identity_key_records WHERE dataset_id = 1 AND row_id = 1').run();
    expect(keyRows(db, 'identity_keys')).toEqual(keyRows(db, 'identity_key_record_keys'));
    // Its extras are rows of their own: still there, twins included.
    expect(count(db, 'identity_keys', 'dataset_id = 1 AND row_id = 1')).toBe(2);
    db.prepare('DELETE FROM identity_key_extras WHERE kind = 99').run();
    expect(keyRows(db, 'identity_keys')).toEqual(keyRows(db, 'identity_key_record_keys'));
    // The same email of dataset 2 is still there.
    expect(count(db, 'identity_keys', `kind = ${KEY_KIND_CODE.email}`)).toBe(2);
    db.close();
  });

  it('serves every linkage query and the query engine filters from a primary key', () => {
    const { db } = migrated();
    expectLinkagePlans(db);
    db.close();
  });
});
