/**
 * Text filters driven by the full-text index (fts-filter.ts): same results as a scan and as a JS
 * oracle (accents, case, NFD input, other scripts, values found in another column, groups), the
 * decisions of when the index is used, parallel count slices, the short-transaction search index
 * build, and the {tag} / {hasNote} nodes compiled against the marks tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactCount, rangePart } from '../../../src/main/engine/query/count';
import { loadDataset, resolveColumn } from '../../../src/main/engine/query/dataset';
import { filterFtsMatch } from '../../../src/main/engine/query/fts-filter';
import { fold } from '../../../src/main/engine/query/functions';
import { ensureColumnIndex } from '../../../src/main/engine/query/indexes';
import { planQuery } from '../../../src/main/engine/query/plan';
import { buildSearchIndex, searchIndexStatus } from '../../../src/main/engine/query/search';
import { addTags, setNote } from '../../../src/main/engine/session/flags';
import type { WritableCase } from '../../../src/main/engine/store';
import type { FilterNode } from '../../../src/shared/filter';
import { scratchDir } from '../../helpers/tmp';
import { csvText, ids, importCsv, importGenerated, noHooks, testCase } from './helpers';

const dir = scratchDir('leakscope-query-fts-filter-');
let c: WritableCase;

const HEADER = ['nom', 'prenom', 'email', 'adresse', 'ville'];
const ROWS: (string | null)[][] = [
  ['PICARD', 'Hélène', 'helene.picard@orange.fr', '3 impasse des Lilas', 'PARIS'],
  ['RICHARD', 'He\u0301le\u0300ne', 'h.richard@laposte.net', '12 rue de la Paix', 'Nice'],
  ['DUPONT', 'helene', 'dupont@impasse.fr', '7 avenue Foch', 'LYON'],
  ['Nguyễn', 'Thị', 'nguyen@example.com', 'IMPASSE DES ROSES', 'Hanoï'],
  ['ΣΊΣΥΦΟΣ', 'Γιώργος', 'sisyfos@example.gr', 'οδός Σίσυφου', 'ΑΘΗΝΑ'],
  ['Œdipe', 'Ægis', 'oedipe@example.fr', 'rue de l’Œuvre', 'Strasbourg'],
  ['MARTIN', null, null, null, 'Marseille'],
  ['Lévêque', 'Zoé', 'zoe@levêque.fr', 'Impasse Dès', 'Saint-Étienne'],
];

function oracle(pred: (r: (string | null)[]) => boolean): number[] {
  return ROWS.map((r, i) => (pred(r) ? i + 1 : 0)).filter((i) => i > 0);
}
const has = (v: string | null, needle: string) => v !== null && fold(v).includes(fold(needle));

beforeAll(async () => {
  c = testCase(dir);
  await importCsv(c.db, dir, 'indexed', csvText(HEADER, ROWS));
  await importCsv(c.db, dir, 'plain', csvText(HEADER, ROWS), { search: false });
});
afterAll(() => c?.close());

const CASES: { name: string; filter: FilterNode; expected: number[]; indexed: boolean }[] = [
  {
    name: 'contains, ASCII needle over accented and NFD values',
    filter: { column: 'prenom', op: 'contains', value: 'helene' },
    expected: oracle((r) => has(r[1]!, 'helene')),
    indexed: true,
  },
  {
    name: 'contains an accented needle (folds to ASCII)',
    filter: { column: 'prenom', op: 'contains', value: 'HÉLÈ' },
    expected: oracle((r) => has(r[1]!, 'hele')),
    indexed: true,
  },
  {
    name: 'contains: the word in another column is not a match',
    filter: { column: 'adresse', op: 'contains', value: 'impasse' },
    expected: [1, 4, 8],
    indexed: true,
  },
  {
    name: 'contains with a space',
    filter: { column: 'adresse', op: 'contains', value: 'impasse des' },
    expected: [1, 4, 8],
    indexed: true,
  },
  {
    name: 'case-sensitive contains',
    filter: { column: 'adresse', op: 'contains', value: 'IMPASSE', caseSensitive: true },
    expected: [4],
    indexed: true,
  },
  {
    name: 'startsWith and endsWith',
    filter: {
      or: [
        { column: 'email', op: 'endsWith', value: '@example.com' },
        { column: 'ville', op: 'startsWith', value: 'saint' },
      ],
    },
    expected: [4, 8],
    indexed: true,
  },
  {
    name: 'equals (no column index)',
    filter: { column: 'ville', op: 'equals', value: 'Nice' },
    expected: [2],
    indexed: true,
  },
  {
    name: 'Greek needle: scanned (folds differ), still exact',
    filter: { column: 'nom', op: 'contains', value: 'σισυφος' },
    expected: [5],
    indexed: false,
  },
  {
    name: 'ligature needle: scanned',
    filter: { column: 'nom', op: 'contains', value: 'œdi' },
    expected: [6],
    indexed: false,
  },
  {
    name: 'two-character needle: scanned',
    filter: { column: 'ville', op: 'contains', value: 'ar' },
    expected: oracle((r) => has(r[4]!, 'ar')),
    indexed: false,
  },
  {
    name: 'or with a branch the index cannot answer: scanned',
    filter: {
      or: [
        { column: 'adresse', op: 'contains', value: 'impasse' },
        { column: 'ville', op: 'regex', value: '^nic' },
      ],
    },
    expected: [1, 4, 8],
    indexed: false,
  },
  {
    name: 'and: the indexable part drives, the rest re-checks',
    filter: {
      and: [
        { column: 'adresse', op: 'contains', value: 'impasse' },
        { column: 'ville', op: 'regex', value: 'paris|hano', caseSensitive: false },
      ],
    },
    expected: [1, 4],
    indexed: true,
  },
  {
    name: 'not: no index, NULLs kept',
    filter: { not: { column: 'adresse', op: 'contains', value: 'impasse' } },
    expected: [2, 3, 5, 6, 7],
    indexed: false,
  },
  {
    name: 'and with a not',
    filter: {
      and: [
        { column: 'email', op: 'contains', value: 'example' },
        { not: { column: 'ville', op: 'equals', value: 'ΑΘΗΝΑ' } },
      ],
    },
    expected: [4, 6],
    indexed: true,
  },
];

describe('text filters through the search index', () => {
  for (const t of CASES) {
    it(t.name, async () => {
      const withIndex = await ids(c.db, { dataset: 'indexed', filter: t.filter });
      const scanned = await ids(c.db, { dataset: 'plain', filter: t.filter });
      expect(withIndex).toEqual(t.expected);
      expect(scanned).toEqual(t.expected);
      const plan = planQuery(c.db, loadDataset(c.db, 'indexed'), t.filter, undefined);
      expect(plan.filterIndexed).toBe(t.indexed);
      expect(await exactCount(c.db, plan)).toBe(t.expected.length);
      const plainPlan = planQuery(c.db, loadDataset(c.db, 'plain'), t.filter, undefined);
      expect(plainPlan.filterIndexed).toBe(false);
    });
  }

  it('combines with a search: both narrow through the index', async () => {
    const filter: FilterNode = { column: 'adresse', op: 'contains', value: 'impasse' };
    const plan = planQuery(c.db, loadDataset(c.db, 'indexed'), filter, 'example');
    expect(plan.search.mode).toBe('index');
    expect(plan.filterIndexed).toBe(true);
    expect(await ids(c.db, { dataset: 'indexed', filter, search: 'example' })).toEqual([4]);
  });

  it('values are bound, never spliced: FTS syntax in a needle is just text', async () => {
    const filter: FilterNode = { column: 'adresse', op: 'contains', value: '" OR * NEAR(' };
    expect(await ids(c.db, { dataset: 'indexed', filter })).toEqual([]);
    const quote: FilterNode = { column: 'adresse', op: 'contains', value: 'l’Œuvre' };
    expect(await ids(c.db, { dataset: 'indexed', filter: quote })).toEqual([6]);
  });

  it('leaves an equality on a kept column index to that index', async () => {
    const ds = loadDataset(c.db, 'indexed');
    const ctx = { ds, indexed: new Set<number>(), kindColumns: () => null };
    const eq: FilterNode = { column: 'ville', op: 'equals', value: 'Nice' };
    const both: FilterNode = {
      and: [eq, { column: 'adresse', op: 'contains', value: 'paix' }],
    };
    expect(filterFtsMatch(both, ctx)).toBe('("nic" AND "ice") AND ("pai" AND "aix")');
    const ville = resolveColumn(ds, 'ville').idx;
    const withIndex = { ...ctx, indexed: new Set([ville]) };
    expect(filterFtsMatch(eq, withIndex)).toBeNull();
    expect(filterFtsMatch(both, withIndex)).toBeNull();
    ensureColumnIndex(c.db, ds, resolveColumn(ds, 'ville'));
    expect(planQuery(c.db, ds, both, undefined).filterIndexed).toBe(false);
    expect(await ids(c.db, { dataset: 'indexed', filter: both })).toEqual([2]);
  });
});

describe('counts split by id range', () => {
  it('slices cover the range exactly once', () => {
    const r = { minId: 1, maxId: 10 };
    const parts = [0, 1, 2].map((i) => rangePart(r, i, 3));
    expect(parts).toEqual([
      { minId: 1, maxId: 4 },
      { minId: 5, maxId: 8 },
      { minId: 9, maxId: 10 },
    ]);
    expect(rangePart({ minId: 1, maxId: 1 }, 1, 2)).toEqual({ minId: 2, maxId: 1 });
  });

  it('the parts of a count add up to the whole, scanned or through the index', async () => {
    const db = c.db;
    await importGenerated(db, dir, 'gen', 4000, 7);
    const ds = loadDataset(db, 'gen');
    const filters: FilterNode[] = [
      { column: 'email', op: 'contains', value: 'orange' },
      { column: 'email', op: 'contains', value: 'or' },
      { column: 'nom', op: 'regex', value: '^m', caseSensitive: false },
    ];
    for (const f of filters) {
      const plan = planQuery(db, ds, f, undefined);
      const whole = await exactCount(db, plan);
      expect(whole).toBeGreaterThan(0);
      for (const parts of [2, 3]) {
        let sum = 0;
        for (let index = 0; index < parts; index++)
          sum += await exactCount(db, plan, { part: { index, parts } });
        expect(sum).toBe(whole);
      }
    }
    const none = planQuery(db, ds, undefined, undefined);
    const a = await exactCount(db, none, { part: { index: 0, parts: 2 } });
    const b = await exactCount(db, none, { part: { index: 1, parts: 2 } });
    expect(a + b).toBe(4000);
  });
});

describe('search index build in short transactions', () => {
  it('commits in many small transactions when asked, then is ready with every record', async () => {
    const db = c.db;
    const ds = loadDataset(db, 'gen');
    const progress: number[] = [];
    const r = await buildSearchIndex(
      db,
      ds.id,
      { signal: new AbortController().signal, onProgress: (p) => progress.push(p.records) },
      () => new Date(),
      { txMs: 5, gapMs: 1 },
    );
    expect(r.rows).toBe(4000);
    expect(r.transactions).toBeGreaterThan(3);
    expect(progress.at(-1)).toBe(4000);
    expect(searchIndexStatus(db, ds)).toMatchObject({ status: 'ready', rows: 4000 });
    const filter: FilterNode = { column: 'email', op: 'contains', value: 'orange' };
    expect(planQuery(db, ds, filter, undefined).filterIndexed).toBe(true);
  });

  it('a cancelled build leaves the index not ready (queries scan), a new build fixes it', async () => {
    const db = c.db;
    const ds = loadDataset(db, 'gen');
    const ac = new AbortController();
    ac.abort();
    await expect(
      buildSearchIndex(db, ds.id, { signal: ac.signal, onProgress: () => {} }),
    ).rejects.toThrow();
    expect(searchIndexStatus(db, ds).status).toBe('building');
    const filter: FilterNode = { column: 'email', op: 'contains', value: 'orange' };
    const plan = planQuery(db, ds, filter, undefined);
    expect(plan.filterIndexed).toBe(false);
    const scanned = await exactCount(db, plan);
    await buildSearchIndex(db, ds.id, noHooks);
    expect(searchIndexStatus(db, ds).status).toBe('ready');
    expect(await exactCount(db, planQuery(db, ds, filter, undefined))).toBe(scanned);
  });
});

describe('investigators’ marks in filters', () => {
  it('compiles {tag} and {hasNote} against record_tags / record_notes', async () => {
    const db = c.db;
    const ds = loadDataset(db, 'indexed');
    const now = new Date();
    addTags(db, ds, [1, 4], ['victim contacted'], null, now);
    addTags(db, ds, [4], ['fake'], null, now);
    setNote(db, ds, 4, 'called on Monday', null, now);
    setNote(db, ds, 2, '   ', null, now);
    expect(await ids(db, { dataset: 'indexed', filter: { tag: '  victim   contacted ' } })).toEqual(
      [1, 4],
    );
    expect(await ids(db, { dataset: 'indexed', filter: { hasNote: true } })).toEqual([4]);
    expect(await ids(db, { dataset: 'indexed', filter: { hasNote: false } })).toEqual([
      1, 2, 3, 5, 6, 7, 8,
    ]);
    expect(
      await ids(db, {
        dataset: 'indexed',
        filter: {
          and: [
            { tag: 'victim contacted' },
            { not: { hasNote: true } },
            { column: 'adresse', op: 'contains', value: 'impasse' },
          ],
        },
      }),
    ).toEqual([1]);
    expect(await ids(db, { dataset: 'indexed', filter: { tag: 'nobody' } })).toEqual([]);
  });
});
