/**
 * Migration 0090: the linkage tables reference their datasets (ON DELETE CASCADE). Rows written
 * under 0060 survive the rebuild, orphans do not, deleting a dataset takes its keys, matches and
 * cluster memberships with it, and the plans held by 0060-linkage.test.ts are unchanged.
 */
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import { scratchDir } from '../../helpers/tmp';
import {
  count,
  expectLinkagePlans,
  foreignKeys,
  linkageCaseAt,
  plan,
  tableSql,
} from './linkage-helpers';

const dir = scratchDir();
const atVersion80 = () => linkageCaseAt(dir, 80);

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
    const sql = tableSql(db, 'identity_keys');
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
    expect(
      plan(db, 'SELECT * FROM identity_keys WHERE dataset_id = ? AND row_id = ?', [1, 2]),
    ).toMatch(/INDEX identity_keys_record/);
    migrate(db, new Date());
    expectLinkagePlans(db);
    expect(plan(db, 'SELECT * FROM clusters WHERE cluster_id = ?', [3])).toMatch(
      /INDEX clusters_cluster/,
    );
    db.close();
  });
});
