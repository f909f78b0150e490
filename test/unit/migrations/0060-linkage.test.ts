import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/engine/store/migrations';
import {
  CROSS_PAIRS_SQL,
  GROUPS_SQL,
  KEY_HOLDERS_SQL,
  PAIRS_SQL,
  RECORD_KEYS_SQL,
  registerLinkageFunctions,
} from '../../../src/main/engine/linkage/queries';
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

function columns(db: WritableDB, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
    (c) => c.name,
  );
}

describe('0060 linkage', () => {
  const db = createDbAtVersion(dir, 50);
  migrate(db, new Date(), 60);
  registerLinkageFunctions(db);

  it('creates the tables the query engine filters on, with the agreed columns', () => {
    expect(columns(db, 'identity_keys')).toEqual(['dataset_id', 'row_id', 'kind', 'key', 'dob']);
    expect(columns(db, 'match_pairs')).toEqual(
      expect.arrayContaining(['a_dataset', 'a_row', 'b_dataset', 'b_row', 'score']),
    );
    expect(columns(db, 'clusters')).toEqual(['dataset_id', 'row_id', 'cluster_id']);
    expect(columns(db, 'cluster_sizes')).toEqual(['cluster_id', 'size', 'datasets']);
    const sql = (
      db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'identity_keys'").get() as {
        sql: string;
      }
    ).sql;
    expect(sql).toMatch(/PRIMARY KEY \(kind, key, dataset_id, row_id\)/);
    expect(sql).toMatch(/STRICT, WITHOUT ROWID/);
  });

  it('looks keys up by (kind, key) and a record by (dataset_id, row_id)', () => {
    expect(plan(db, KEY_HOLDERS_SQL, ['email', 'a@b.fr', 10])).toMatch(
      /SEARCH identity_keys USING PRIMARY KEY \(kind=\? AND key=\?\)/,
    );
    expect(plan(db, RECORD_KEYS_SQL, [1, 2])).toMatch(
      /SEARCH identity_keys USING (COVERING )?INDEX identity_keys_record \(dataset_id=\? AND row_id=\?\)/,
    );
  });

  it('overlap joins walk the primary key (scan plan) or seek from the record index', () => {
    const scan = plan(db, CROSS_PAIRS_SQL.scan, { kind: 'email', a: 1 });
    expect(scan).toMatch(/SEARCH a USING PRIMARY KEY \(kind=\?\)/);
    expect(scan).toMatch(/SEARCH b USING PRIMARY KEY \(kind=\? AND key=\?\)/);
    expect(scan).not.toMatch(/TEMP B-TREE/);
    const seek = plan(db, CROSS_PAIRS_SQL.seek, { kind: 'email', a: 1 });
    expect(seek).toMatch(/SEARCH a USING (COVERING )?INDEX identity_keys_record \(dataset_id=\?\)/);
    expect(seek).toMatch(/SEARCH b USING PRIMARY KEY \(kind=\? AND key=\?\)/);
    const pairs = plan(db, PAIRS_SQL.scan, { kind: 'nir', a: 1, b: 2 });
    expect(pairs).toMatch(/SEARCH b USING PRIMARY KEY \(kind=\? AND key=\? AND dataset_id=\?\)/);
  });

  it('duplicate groups come out of the primary key without a sort', () => {
    const scan = plan(db, GROUPS_SQL.scan, { kind: 'nir', a: 1 });
    expect(scan).toMatch(/SEARCH identity_keys USING PRIMARY KEY \(kind=\?\)/);
    expect(scan).not.toMatch(/TEMP B-TREE/);
  });

  it('match pairs and clusters are indexed both ways', () => {
    expect(plan(db, 'SELECT * FROM match_pairs WHERE b_dataset = ? AND b_row = ?', [1, 2])).toMatch(
      /INDEX match_pairs_b/,
    );
    expect(plan(db, 'SELECT * FROM match_pairs WHERE a_dataset = ? AND a_row = ?', [1, 2])).toMatch(
      /PRIMARY KEY \(a_dataset=\? AND a_row=\?\)/,
    );
    expect(plan(db, 'SELECT * FROM clusters WHERE cluster_id = ?', [3])).toMatch(
      /INDEX clusters_cluster/,
    );
    expect(plan(db, 'SELECT cluster_id FROM cluster_sizes WHERE size >= ?', [3])).toMatch(
      /INDEX cluster_sizes_size/,
    );
  });
});
