/**
 * Finding a session's datasets in a case: by id in the case that saved it, by source SHA-256 +
 * member + table anywhere else, by name only for version 1 sessions; what is missing is named.
 */
import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../src/shared/api';
import type { SessionDataset } from '../../../src/shared/session';
import { matchDataset, missingMessage } from '../../../src/main/engine/session/datasets';

const H = 'c'.repeat(64);
const OTHER = 'd'.repeat(64);

function ds(id: number, name: string, over: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    id,
    name,
    table: null,
    format: 'csv',
    encoding: 'utf-8',
    sha256: H,
    bytes: 100,
    rows: 300,
    rejected: 0,
    complete: true,
    status: 'ready',
    source: { member: null, fileName: `${name}.csv` } as DatasetSummary['source'],
    columns: [],
    ...over,
  };
}

const saved: SessionDataset = {
  key: 'd1',
  id: 2,
  name: 'clients',
  sha256: H,
  member: null,
  table: null,
  fileName: 'clients.csv',
  rows: 300,
};

describe('matchDataset', () => {
  it('stays on the same dataset id in the case that saved the session', () => {
    const m = matchDataset(saved, [ds(1, 'clients'), ds(2, 'clients-2')], true);
    expect(m).toMatchObject({ by: 'id', local: { id: 2, name: 'clients-2' }, warning: null });
  });

  it('ignores ids in another case and matches the source, whatever its name', () => {
    const m = matchDataset(saved, [ds(2, 'other', { sha256: OTHER }), ds(5, 'fichier-1')], false);
    expect(m).toMatchObject({ by: 'sha256', local: { id: 5, name: 'fichier-1' }, warning: null });
  });

  it('needs the same table and archive member too', () => {
    const sql = { ...saved, table: 'users' };
    const all = [
      ds(1, 'dump.orders', { table: 'orders' }),
      ds(2, 'dump.users', { table: 'users' }),
    ];
    expect(matchDataset(sql, all, false).local?.name).toBe('dump.users');
    const zipped = { ...saved, member: 'a/clients.csv' };
    expect(matchDataset(zipped, [ds(1, 'clients')], false).local).toBeNull();
  });

  it('chooses among several imports of one file: the saved name, else the newest complete', () => {
    const all = [ds(3, 'x'), ds(4, 'clients'), ds(6, 'y', { complete: false, status: 'failed' })];
    expect(matchDataset(saved, all, false)).toMatchObject({
      by: 'sha256',
      local: { name: 'clients' },
      warning: '3 datasets of this case hold the source of "clients"; using "clients"',
    });
    const unnamed = matchDataset(
      saved,
      [ds(3, 'x'), ds(6, 'y', { complete: false }), ds(5, 'z')],
      false,
    );
    expect(unnamed.local?.name).toBe('z');
  });

  it('warns when the very dataset is incomplete and a complete re-import exists', () => {
    const all = [ds(2, 'clients', { complete: false, status: 'interrupted' }), ds(7, 'clients-2')];
    expect(matchDataset(saved, all, true)).toMatchObject({
      by: 'id',
      local: { id: 2 },
      warning:
        'dataset "clients" is not complete (status interrupted): results may differ; a complete import of the same source exists: "clients-2"',
    });
  });

  it('matches version 1 sessions by name, with a warning', () => {
    const v1 = { ...saved, id: null, sha256: null, fileName: null, rows: null };
    expect(matchDataset(v1, [ds(9, 'clients', { sha256: OTHER })], false)).toMatchObject({
      by: 'name',
      local: { id: 9 },
      warning: 'dataset "clients" matched by name only: the session predates source hashes',
    });
    expect(matchDataset(v1, [], false).warning).toBe(
      'dataset "clients" is missing from this case, and the session recorded no source hash to find it by (saved by an older Leakscope)',
    );
  });

  it('names every missing file in one message', () => {
    const a = matchDataset(saved, [], false);
    const b = matchDataset(
      { ...saved, key: 'd2', name: 'dump.users', table: 'users', fileName: 'dump.sql', rows: null },
      [],
      false,
    );
    const found = matchDataset(saved, [ds(1, 'clients')], false);
    expect(missingMessage([found])).toBeNull();
    expect(missingMessage([a, b, found])).toBe(
      '2 of the 3 datasets of this session are missing from this case: import clients.csv (SHA-256 cccccccc…cccc, 300 rows when saved); import dump.sql (SHA-256 cccccccc…cccc, table "users")',
    );
  });
});
