/**
 * The compiler's guarantees and its dependent leaves: values never appear in SQL text, regexes are
 * bounded (linear-time subset, catastrophic patterns run fast or are refused), linkage filters
 * work on the linkage engine's tables (hand-made here) and say what to run when they are absent,
 * PII-kind filters need the profile.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../../src/main/engine/import/pipeline';
import { compileFilter } from '../../../src/main/engine/query/compile';
import { loadDataset, SqlParams } from '../../../src/main/engine/query/dataset';
import { compileRegex, parseNumber, parseIsoDate } from '../../../src/main/engine/query/functions';
import type { WritableCase } from '../../../src/main/engine/store';
import type { FilterNode } from '../../../src/shared/filter';
import { scratchDir } from '../../helpers/tmp';
import { csvText, ids, importCsv, query, testCase } from './helpers';

const dir = scratchDir('leakscope-query-compile-');
let c: WritableCase;

beforeAll(async () => {
  c = testCase(dir);
  const header = ['nom', 'email', 'x"; DROP TABLE datasets; --'];
  await importCsv(
    c.db,
    dir,
    'a',
    csvText(header, [
      ['PICARD', 'p@x.fr', '1'],
      ['DUPONT', 'd@x.fr', '2'],
      ['MARTIN', 'm@x.fr', '3'],
      ['DURAND', 'du@x.fr', '4'],
    ]),
  );
  await importCsv(
    c.db,
    dir,
    'b',
    csvText(
      ['name', 'mail'],
      [
        ['PICARD', 'p@x.fr'],
        ['BERNARD', 'b@x.fr'],
      ],
    ),
  );
});
afterAll(() => c?.close());

describe('compiled SQL', () => {
  it('holds placeholders, never values, and only generated identifiers', () => {
    const ds = loadDataset(c.db, 'a');
    const params = new SqlParams();
    const evil = "'; DROP TABLE datasets; --";
    const f: FilterNode = {
      or: [
        { column: 'x"; DROP TABLE datasets; --', op: 'equals', value: evil },
        { column: 'nom', op: 'in', value: [evil, 'x'] },
        { column: 'email', op: 'contains', value: evil },
        { column: 'email', op: 'regex', value: 'DROP' },
        { column: 'nom', op: 'range', type: 'date', value: { min: '2020' } },
      ],
    };
    const { sql } = compileFilter(c.db, ds, f, params);
    expect(sql).not.toMatch(/DROP|'; /);
    expect(sql).toMatch(/t\."c_3" = @p1/);
    expect(sql.match(/"[^"]*"/g)!.every((id) => /^"c_\d+"$/.test(id))).toBe(true);
    expect(Object.values(params.values)).toContain(evil);
  });
});

describe('regex safety', () => {
  it('refuses constructs that cannot run in linear time, with a plain message', () => {
    expect(() => compileRegex('(a)\\1')).toThrow(/backreferences/);
    expect(() => compileRegex('(?<=a)b')).toThrow(/lookarounds/);
    expect(() => compileRegex('(?=a)')).toThrow(/linear time/);
    expect(() => compileRegex('a'.repeat(501))).toThrow(/at most 500/);
    expect(() => compileRegex('(')).toThrow(/invalid regex/);
  });

  it('runs catastrophic patterns in linear time', async () => {
    const long = 'a'.repeat(5000);
    const file = join(dir, 'evil.ndjson');
    writeFileSync(
      file,
      [long, `${long}!`, 'x'.repeat(3000)].map((v) => JSON.stringify({ v })).join('\n'),
    );
    await runImport(c.db, { path: file, name: 'evil', format: 'ndjson', encoding: 'auto' });
    const t0 = performance.now();
    for (const value of ['^(a+)+$', '^(a|aa)*$', '(x+x+)+y', '^(\\w+\\s?)*$', '.*a.*a.*a.*a.*b']) {
      await ids(c.db, { dataset: 'evil', filter: { column: 'v', op: 'regex', value } });
    }
    expect(
      await ids(c.db, { dataset: 'evil', filter: { column: 'v', op: 'regex', value: '^(a+)+$' } }),
    ).toEqual([1]);
    // Backtracking engines take years on these inputs; ours takes milliseconds.
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('value parsing', () => {
  it('reads numbers and dates as leaks write them', () => {
    expect(
      ['12', '-3', '1 234,50', '1,234.50', '1.234,5', '1e3', ' 7 ', '0,5'].map(parseNumber),
    ).toEqual([12, -3, 1234.5, 1234.5, 1234.5, 1000, 7, 0.5]);
    expect(['abc', '', '1,2,3', '--1', '12abc'].map(parseNumber)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(
      [
        '1985-03-12',
        '12/05/1990',
        '20010624',
        '24 juin 2001',
        '1er mai 1990',
        '31.12.1969',
        'x',
      ].map(parseIsoDate),
    ).toEqual([
      '1985-03-12',
      '1990-05-12',
      '2001-06-24',
      '2001-06-24',
      '1990-05-01',
      '1969-12-31',
      null,
    ]);
  });
});

describe('linkage filters', () => {
  it('match nothing before linkage has run (the tables come with the case)', async () => {
    for (const f of [
      { linkage: 'seenIn', dataset: 'b' },
      { linkage: 'duplicate' },
      { linkage: 'matched', minScore: 0.5 },
      { linkage: 'clusterSize', min: 2 },
    ] as FilterNode[]) {
      expect(await ids(c.db, { dataset: 'a', filter: f })).toEqual([]);
    }
    const seen = await query(c.db, { dataset: 'a', filter: { linkage: 'seenIn', dataset: 'b' } });
    expect(seen.notes).toEqual([
      '"a" has no identity keys yet (run overlap): the linkage condition selects nothing until then',
      '"b" has no identity keys yet (run overlap): the linkage condition selects nothing until then',
    ]);
    const matched = await query(c.db, {
      dataset: 'a',
      filter: { linkage: 'matched', minScore: 0.5 },
    });
    expect(matched.notes[0]).toMatch(/no record matching has run on "a" yet/);
  });

  it('work on the linkage tables', async () => {
    c.db.exec(`
      INSERT INTO match_runs VALUES (1, 1, 2, 1, 0.5, 3, '{}', '2026-11-23T00:00:00Z');
      -- kind: code (1 email, 7 name_dob, 99 a kind without a column), key: the value's hash
      -- (migration 0100); by record (a column per kind, the rest in extras: migration 0130) and
      -- by key, as linkage/keys.ts writes them
      INSERT INTO identity_key_records (dataset_id, row_id, email, name_dob) VALUES
        (1, 1, 101, NULL), (2, 1, 101, NULL),
        (1, 2, NULL, 102), (1, 4, NULL, 102), (2, 2, NULL, 102),
        (1, 3, 103, NULL), (2, 3, 105, NULL);
      -- Record a3's second email is b3's; a1 and a3 share a key of kind 99.
      INSERT INTO identity_key_extras (dataset_id, row_id, kind, key) VALUES
        (1, 3, 1, 105), (1, 1, 99, 300), (1, 3, 99, 300);
      INSERT INTO identity_keys (dataset_id, row_id, kind, key, dob)
        SELECT dataset_id, row_id, kind, key, dob FROM identity_key_record_keys;
      -- Both extractions ran to their end (a keyset row is what says so).
      INSERT INTO identity_keysets (dataset_id, roles, role_source, records, keys, seconds, created_at)
        VALUES (1, '{}', 'headers', 4, 7, 0, 'now'), (2, '{}', 'headers', 3, 3, 0, 'now');
      INSERT INTO match_pairs VALUES (1, 3, 2, 2, 0.72, 1, '[]'), (2, 1, 1, 4, 0.95, 1, '[]'),
        (1, 2, 1, 4, 0.99, 1, '[]');
      INSERT INTO clusters VALUES (1, 1, 10), (2, 1, 10), (1, 2, 11), (1, 4, 11), (2, 2, 11), (1, 3, 12);
      INSERT INTO cluster_sizes VALUES (10, 2, 2), (11, 3, 2), (12, 1, 1);
    `);
    expect(await ids(c.db, { dataset: 'a', filter: { linkage: 'seenIn', dataset: 'b' } })).toEqual([
      1, 2, 3, 4,
    ]);
    expect(
      await ids(c.db, {
        dataset: 'a',
        filter: { linkage: 'seenIn', dataset: 'b', keyKind: 'email' },
      }),
    ).toEqual([1, 3]);
    expect(
      await ids(c.db, {
        dataset: 'a',
        filter: { linkage: 'seenIn', dataset: 'b', keyKind: 'name_dob' },
      }),
    ).toEqual([2, 4]);
    expect(await ids(c.db, { dataset: 'a', filter: { linkage: 'duplicate' } })).toEqual([
      1, 2, 3, 4,
    ]);
    expect(
      await ids(c.db, { dataset: 'a', filter: { linkage: 'duplicate', keyKind: 'name_dob' } }),
    ).toEqual([2, 4]);
    expect(
      await ids(c.db, { dataset: 'a', filter: { linkage: 'duplicate', keyKind: 'email' } }),
    ).toEqual([]);
    expect(
      await ids(c.db, { dataset: 'a', filter: { linkage: 'matched', minScore: 0.7 } }),
    ).toEqual([2, 3, 4]);
    expect(
      await ids(c.db, {
        dataset: 'a',
        filter: { linkage: 'matched', minScore: 0.9, dataset: 'b' },
      }),
    ).toEqual([4]);
    expect(
      await ids(c.db, { dataset: 'b', filter: { linkage: 'matched', minScore: 0.5 } }),
    ).toEqual([1, 2]);
    expect(await ids(c.db, { dataset: 'a', filter: { linkage: 'clusterSize', min: 3 } })).toEqual([
      2, 4,
    ]);
    expect(
      await ids(c.db, { dataset: 'a', filter: { not: { linkage: 'clusterSize', min: 2 } } }),
    ).toEqual([3]);
    await expect(
      ids(c.db, { dataset: 'a', filter: { linkage: 'seenIn', dataset: 'a' } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/another dataset/),
    });
    await expect(
      ids(c.db, { dataset: 'a', filter: { linkage: 'seenIn', dataset: 'zz' } }),
    ).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
  });
});

describe('PII-kind filters', () => {
  it('need the profile', async () => {
    c.db.exec('DROP TABLE IF EXISTS column_pii');
    await expect(
      ids(c.db, { dataset: 'a', filter: { kind: 'email', op: 'endsWith', value: '@x.fr' } }),
    ).rejects.toMatchObject({
      code: 'E_BAD_INPUT',
      message: expect.stringMatching(/run profile first/),
    });
  });
});
