/**
 * Reading from the end and positional access (rows.query `from` and `at`): a backwards chain is
 * exactly the forward order reversed (sorts with ties and NULLs, filters, search); `at` on a whole
 * dataset in import order is exact from either end; on a small filtered result it is exact; on a
 * sorted whole dataset it is an estimate close to the position, followed by exact keyset pages.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../../src/main/engine/import/pipeline';
import { loadDataset } from '../../../src/main/engine/query/dataset';
import { runSort, type SortColumn } from '../../../src/main/engine/query/keyset';
import { planQuery } from '../../../src/main/engine/query/plan';
import { compareRows, denseRange, seek } from '../../../src/main/engine/query/position';
import type { WritableCase } from '../../../src/main/engine/store';
import type { RowsQueryInput } from '../../../src/shared/api';
import { RowsQueryInput as RowsQuerySchema } from '../../../src/shared/api';
import { scratchDir } from '../../helpers/tmp';
import { allRows, importGenerated, query, testCase } from './helpers';

const dir = scratchDir('leakscope-query-position-');
let c: WritableCase;
const N = 90;
const PEOPLE = 5000;

beforeAll(async () => {
  c = testCase(dir);
  const words = ['é', 'Z', 'a', 'ab', 'Émile', 'z', '10', '9', null];
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    lines.push(
      JSON.stringify({
        k: words[(i * 7) % words.length],
        g: i % 4 === 0 ? null : String.fromCharCode(65 + (i % 3)),
        n: String(i),
      }),
    );
  }
  const file = join(dir, 'ties.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await runImport(c.db, { path: file, name: 'ties', format: 'ndjson', encoding: 'auto' });
  await importGenerated(c.db, dir, 'people', PEOPLE);
});
afterAll(() => c?.close());

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

describe('reading from the end', () => {
  const sorts = [
    [],
    [{ column: 'k', desc: false }],
    [{ column: 'k', desc: true }],
    [
      { column: 'g', desc: true },
      { column: 'k', desc: false },
    ],
  ];
  const filters: (RowsQueryInput['filter'] | undefined)[] = [
    undefined,
    { column: 'g', op: 'notEmpty' },
  ];
  for (const sort of sorts) {
    for (const filter of filters) {
      it(`walks ${JSON.stringify(sort)}${filter ? ' filtered' : ''} backwards`, async () => {
        const base = { dataset: 'ties', sort, ...(filter ? { filter } : {}) };
        const forward = await allRows(c.db, { ...base, limit: 1000 });
        const backward = await allRows(c.db, { ...base, from: 'end', limit: 7 });
        expect(ids(backward)).toEqual(ids(forward).reverse());
      });
    }
  }

  it('reads the last matches of a search first', async () => {
    const base = { dataset: 'people', search: 'orange.fr' };
    const forward = await allRows(c.db, { ...base, limit: 1000 });
    expect(forward.length).toBeGreaterThan(10);
    const last = await query(c.db, { ...base, from: 'end', limit: 5 });
    expect(ids(last.rows)).toEqual(ids(forward).reverse().slice(0, 5));
  });

  it('refuses a forward cursor for a backwards page', async () => {
    const p = await query(c.db, { dataset: 'ties', limit: 5 });
    await expect(
      query(c.db, { dataset: 'ties', limit: 5, from: 'end', cursor: p.cursor! }),
    ).rejects.toMatchObject({ code: 'E_BAD_INPUT' });
  });
});

describe('positional access', () => {
  it('reaches any position of a whole dataset in import order exactly, from either end', async () => {
    const forward = ids(await allRows(c.db, { dataset: 'people', limit: 1000 }));
    expect(denseRange(c.db, loadDataset(c.db, 'people'))).not.toBeNull();
    for (const at of [0, 1, 2499, PEOPLE - 3]) {
      const p = await query(c.db, { dataset: 'people', at, limit: 10 });
      expect(p.position).toEqual({ at, exact: true });
      expect(ids(p.rows)).toEqual(forward.slice(at, at + 10));
      if (p.cursor) {
        const next = await query(c.db, { dataset: 'people', limit: 10, cursor: p.cursor });
        expect(ids(next.rows)).toEqual(forward.slice(at + 10, at + 20));
      }
      const e = await query(c.db, { dataset: 'people', from: 'end', at, limit: 10 });
      expect(e.position).toEqual({ at, exact: true });
      expect(ids(e.rows)).toEqual([...forward].reverse().slice(at, at + 10));
    }
  });

  it('returns an empty page past the end without claiming a total', async () => {
    const p = await query(c.db, { dataset: 'people', at: PEOPLE + 5, limit: 10 });
    expect(p.rows).toEqual([]);
    expect(p.cursor).toBeNull();
    expect(p.total).toBe(PEOPLE);
  });

  it('is exact on a small filtered and sorted result (scanned whole)', async () => {
    const base = {
      dataset: 'ties',
      filter: { column: 'g', op: 'notEmpty' } as const,
      sort: [{ column: 'k', desc: true }],
    };
    const forward = ids(await allRows(c.db, { ...base, limit: 1000 }));
    for (const from of ['start', 'end'] as const) {
      const order = from === 'start' ? forward : [...forward].reverse();
      for (const at of [3, 40, order.length - 1]) {
        const p = await query(c.db, { ...base, from, at, limit: 4 });
        expect(p.position).toEqual({ at, exact: true });
        expect(ids(p.rows)).toEqual(order.slice(at, at + 4));
      }
    }
  });

  it('estimates a position of a sorted whole dataset, then pages exactly', async () => {
    const sort = [{ column: 'ville', desc: false }];
    const forward = ids(await allRows(c.db, { dataset: 'people', sort, limit: 1000 }));
    for (const at of [1000, 2500, 4000]) {
      const p = await query(c.db, { dataset: 'people', sort, at, limit: 20 });
      expect(p.position).toEqual({ at, exact: false });
      expect(p.notes.join(' ')).toMatch(/estimate/);
      const real = forward.indexOf(p.rows[0]!.id);
      // A 2,000-record sample: within a few percent of the dataset.
      expect(Math.abs(real - at)).toBeLessThan(PEOPLE * 0.05);
      // The page itself is a contiguous run of the exact order.
      expect(ids(p.rows)).toEqual(forward.slice(real, real + 20));
    }
  });

  it('refuses `at` with a cursor', () => {
    expect(RowsQuerySchema.safeParse({ dataset: 'ties', at: 3, cursor: 'abc' }).success).toBe(
      false,
    );
    expect(RowsQuerySchema.parse({ dataset: 'ties', at: 3 })).toMatchObject({
      from: 'start',
      at: 3,
    });
  });
});

describe('sample order', () => {
  it("orders rows exactly as SQLite's ORDER BY does (NULLs, accents, digits, both ways)", async () => {
    const ds = loadDataset(c.db, 'ties');
    const col = (name: string) => ds.columns.find((x) => x.name === name)!.sql;
    const all = await allRows(c.db, { dataset: 'ties', limit: 1000 });
    for (const sort of [
      [{ column: 'k', desc: false }],
      [
        { column: 'g', desc: true },
        { column: 'k', desc: false },
      ],
    ]) {
      for (const reverse of [false, true]) {
        const run: SortColumn[] = runSort(
          sort.map((s) => ({ sql: col(s.column), desc: s.desc })),
          reverse,
        );
        const idDesc = run[run.length - 1]!.desc;
        const sample = all.map((r) => ({
          k: sort.map((s) => r.values[s.column] ?? null),
          id: r.id,
        }));
        const expected = ids(
          await allRows(c.db, {
            dataset: 'ties',
            sort,
            limit: 1000,
            from: reverse ? 'end' : 'start',
          }),
        );
        expect(sample.sort(compareRows(run, idDesc)).map((r) => r.id)).toEqual(expected);
      }
    }
  });

  it('starts at the top for position 0 and gives up exactness when the sample is cut', async () => {
    const ds = loadDataset(c.db, 'people');
    const plan = planQuery(c.db, ds, { column: 'nom', op: 'notEmpty' }, undefined);
    expect(await seek(c.db, plan, [], false, 0)).toEqual({ kind: 'start', exact: true });
    // No time at all: nothing scanned, so no claim of exactness.
    const cut = await seek(c.db, plan, [], false, 100, { budgetMs: -1 });
    expect(cut).toMatchObject({ exact: false });
  });
});
