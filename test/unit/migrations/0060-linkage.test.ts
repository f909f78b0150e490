import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/engine/store/migrations';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';
import { columns, expectLinkagePlans, plan, tableSql } from './linkage-helpers';

const dir = scratchDir();

describe('0060 linkage', () => {
  const db = createDbAtVersion(dir, 50);
  migrate(db, new Date(), 60);

  it('creates the tables the query engine filters on, with the agreed columns', () => {
    expect(columns(db, 'identity_keys')).toEqual(['dataset_id', 'row_id', 'kind', 'key', 'dob']);
    expect(columns(db, 'match_pairs')).toEqual(
      expect.arrayContaining(['a_dataset', 'a_row', 'b_dataset', 'b_row', 'score']),
    );
    expect(columns(db, 'clusters')).toEqual(['dataset_id', 'row_id', 'cluster_id']);
    expect(columns(db, 'cluster_sizes')).toEqual(['cluster_id', 'size', 'datasets']);
    const sql = tableSql(db, 'identity_keys');
    expect(sql).toMatch(/PRIMARY KEY \(kind, key, dataset_id, row_id\)/);
    expect(sql).toMatch(/STRICT, WITHOUT ROWID/);
  });

  it('migrated on to the latest schema, serves every linkage query from a primary key', () => {
    const later = createDbAtVersion(dir, 50);
    migrate(later, new Date(), 60);
    migrate(later, new Date());
    expectLinkagePlans(later);
    later.close();
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
