/**
 * Migration 0120: a record's identity keys in `identity_key_records` instead of an index on
 * identity_keys. Keys written before are copied, not lost; the two tables hold the same rows;
 * deleting a dataset (or a record-table row) takes the twin in identity_keys with it, through
 * primary-key searches only; every linkage query keeps a plan without a scan or a sort.
 */
import { describe, expect, it } from 'vitest';
import { KEY_KIND_CODE } from '../../../src/main/engine/linkage/kinds';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import { up } from '../../../src/main/engine/store/migrations/0120-identity-key-records';
import { scratchDir } from '../../helpers/tmp';
import {
  columns,
  count,
  foreignKeys,
  keyRows,
  linkageCaseAt,
  plan,
  tableSql,
} from './linkage-helpers';

const dir = scratchDir();

/** A case written under 0110 (keys as 0100 stores them), migrated to 0120. */
function migrated() {
  const db = linkageCaseAt(dir, 90);
  migrate(db, new Date('2026-11-24T00:00:00Z'), 110);
  const before = keyRows(db, 'identity_keys');
  migrate(db, new Date('2026-11-24T00:00:00Z'), 120);
  return { db, before };
}

describe('migration 0120-identity-key-records', () => {
  it('copies every key into the record table and keeps identity_keys as it was', () => {
    const { db, before } = migrated();
    expect(schemaVersion(db)).toBe(120);
    expect(before).toHaveLength(4);
    expect(keyRows(db, 'identity_key_records')).toEqual(before);
    expect(keyRows(db, 'identity_keys')).toEqual(before);
    expect(columns(db, 'identity_key_records')).toEqual([
      'dataset_id',
      'row_id',
      'kind',
      'key',
      'dob',
    ]);
    expect(tableSql(db, 'identity_key_records')).toMatch(
      /PRIMARY KEY \(dataset_id, row_id, kind, key\)\s*\) STRICT, WITHOUT ROWID/,
    );
    expect(tableSql(db, 'identity_keys')).toMatch(
      /PRIMARY KEY \(kind, key, dataset_id, row_id\)\s*\) STRICT, WITHOUT ROWID/,
    );
    expect(foreignKeys(db, 'identity_key_records')).toEqual(['dataset_id->datasets CASCADE']);
    // No reference from identity_keys: deleting a dataset would look its keys up by a scan.
    expect(foreignKeys(db, 'identity_keys')).toEqual([]);
    expect(count(db, 'sqlite_schema', "name = 'identity_keys_record'")).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The sorter's threads, raised for the copy, are the connection's again.
    expect(db.pragma('threads', { simple: true })).toBe(0);
    db.close();
  });

  it('a dataset deleted takes its keys out of both tables, by primary-key searches', () => {
    const { db } = migrated();
    db.pragma('foreign_keys = ON');
    expect(plan(db, 'DELETE FROM identity_key_records WHERE dataset_id = ?', [2])).toMatch(
      /SEARCH identity_key_records USING PRIMARY KEY \(dataset_id=\?\)/,
    );
    expect(
      plan(
        db,
        'DELETE FROM identity_keys WHERE kind = ? AND key = ? AND dataset_id = ? AND row_id = ?',
        [1, 2, 3, 4],
      ),
    ).toMatch(
      /SEARCH identity_keys USING PRIMARY KEY \(kind=\? AND key=\? AND dataset_id=\? AND row_id=\?\)/,
    );
    db.prepare('DELETE FROM datasets WHERE id = 2').run();
    expect(count(db, 'identity_key_records', 'dataset_id = 2')).toBe(0);
    expect(count(db, 'identity_keys', 'dataset_id = 2')).toBe(0);
    expect(keyRows(db, 'identity_keys')).toEqual(keyRows(db, 'identity_key_records'));
    expect(count(db, 'identity_keys', 'dataset_id = 1')).toBe(2);
    db.close();
  });

  it('deleting one record-table row deletes its twin only', () => {
    const { db } = migrated();
    db.prepare('DELETE FROM identity_key_records WHERE dataset_id = 1 AND kind = ?').run(
      KEY_KIND_CODE.email,
    );
    expect(keyRows(db, 'identity_keys')).toEqual(keyRows(db, 'identity_key_records'));
    expect(count(db, 'identity_keys')).toBe(3);
    // The same email of dataset 2 is still there.
    expect(count(db, 'identity_keys', `kind = ${KEY_KIND_CODE.email}`)).toBe(1);
    db.close();
  });

  it.each([1, 3, 4])('copies in chunks of %i keys and says how far it is at each one', (chunk) => {
    const db = linkageCaseAt(dir, 90);
    migrate(db, new Date('2026-11-24T00:00:00Z'), 110);
    const before = keyRows(db, 'identity_keys');
    const steps: string[] = [];
    db.transaction(() =>
      up(db, new Date(), (step, done, total) => steps.push(`${step} ${done}/${total}`), chunk),
    )();
    expect(keyRows(db, 'identity_keys')).toEqual(before);
    expect(keyRows(db, 'identity_key_records')).toEqual(before);
    const n = before.length;
    const ends = Array.from({ length: Math.ceil(n / chunk) }, (_, i) =>
      Math.min(n, (i + 1) * chunk),
    );
    // The keysets of the fixture count its keys: the total is known from the first chunk.
    expect(steps).toEqual([
      ...ends.map((d) => `setting the identity keys aside ${d}/${n}`),
      'dropping the old key table 0/0',
      ...ends.map((d) => `copying the identity keys ${d}/${n}`),
      `sorting the identity keys by record 0/${n}`,
      `sorting the identity keys by record ${n}/${n}`,
    ]);
    db.close();
  });

  it('resumes each chunk from the last key by a primary-key search, without a sort', () => {
    const db = linkageCaseAt(dir, 90);
    migrate(db, new Date('2026-11-24T00:00:00Z'), 110);
    expect(
      plan(
        db,
        `SELECT dataset_id, row_id, kind, key, dob FROM identity_keys
           WHERE (kind, key, dataset_id, row_id) > (?, ?, ?, ?)
           ORDER BY kind, key, dataset_id, row_id LIMIT 10`,
        [1, 2, 3, 4],
      ),
    ).toMatch(
      /SEARCH identity_keys USING PRIMARY KEY \(\(kind,key,dataset_id,row_id\)>\(\?,\?,\?,\?\)\)/,
    );
    db.close();
  });

  it('reports each pending migration through migrate', () => {
    const db = linkageCaseAt(dir, 90);
    const seen: string[] = [];
    migrate(db, new Date('2026-11-24T00:00:00Z'), 120, undefined, (p) => {
      if (p.step === 'started') seen.push(`${p.index}/${p.count} ${p.migration}`);
    });
    expect(seen).toEqual([
      '1/3 identity-key-hashes',
      '2/3 export-history-pdf',
      '3/3 identity-key-records',
    ]);
    db.close();
  });
});
