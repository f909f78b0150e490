/**
 * Totals and facets: exact counts agree with SQL, a budgeted count gives an estimate marked as
 * such when it cannot finish, facets give exact top values when they complete and `partial: true`
 * with sampled counts when cut by their time budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetedCount, exactCount } from '../../../src/main/engine/query/count';
import { loadDataset } from '../../../src/main/engine/query/dataset';
import { runFacets } from '../../../src/main/engine/query/facets';
import { planQuery } from '../../../src/main/engine/query/plan';
import { scanChunks } from '../../../src/main/engine/query/scan';
import type { WritableCase } from '../../../src/main/engine/store';
import type { FilterNode } from '../../../src/shared/filter';
import { scratchDir } from '../../helpers/tmp';
import { importGenerated, query, testCase } from './helpers';

const dir = scratchDir('leakscope-query-count-');
const ROWS = 30_000;
let c: WritableCase;

beforeAll(async () => {
  c = testCase(dir);
  await importGenerated(c.db, dir, 'gen', ROWS, 9);
});
afterAll(() => c?.close());

const sqlCount = (where: string) =>
  (c.db.prepare(`SELECT count(*) AS n FROM ds_1 WHERE ${where}`).get() as { n: number }).n;

describe('counts', () => {
  it('are exact and agree with SQL', async () => {
    const ds = loadDataset(c.db, 'gen');
    const f: FilterNode = {
      column: 'email',
      op: 'endsWith',
      value: '@orange.fr',
      caseSensitive: true,
    };
    const truth = sqlCount("c_7 LIKE '%@orange.fr'");
    expect(truth).toBeGreaterThan(100);
    expect(await exactCount(c.db, planQuery(c.db, ds, f, undefined))).toBe(truth);
    expect(await budgetedCount(c.db, planQuery(c.db, ds, f, undefined), 10_000)).toEqual({
      total: truth,
      exact: true,
    });
    expect(await exactCount(c.db, planQuery(c.db, ds, undefined, undefined))).toBe(ROWS);
    expect(await exactCount(c.db, planQuery(c.db, ds, undefined, 'orange.fr'))).toBe(truth);
  });

  it('are estimated, and marked so, when the budget runs out', async () => {
    const ds = loadDataset(c.db, 'gen');
    const f: FilterNode = {
      column: 'prenom',
      op: 'regex',
      value: '[aeiou]{2}',
      caseSensitive: false,
    };
    const truth = await exactCount(c.db, planQuery(c.db, ds, f, undefined));
    const est = await budgetedCount(c.db, planQuery(c.db, ds, f, undefined), 1);
    expect(est.exact).toBe(false);
    // A spread sample: within 35% of the truth even from a small share of the rows.
    expect(Math.abs(est.total - truth) / truth).toBeLessThan(0.35);
  });

  it('reports progress and stops when aborted', async () => {
    const ds = loadDataset(c.db, 'gen');
    const plan = planQuery(c.db, ds, { column: 'nom', op: 'contains', value: 'ar' }, undefined);
    const seen: number[] = [];
    await exactCount(c.db, plan, { onProgress: (p) => seen.push(p.bytesDone) });
    const controller = new AbortController();
    controller.abort();
    await expect(exactCount(c.db, plan, { signal: controller.signal })).rejects.toThrow();
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
  });

  it('scan chunks cover every id exactly once, spread or not', async () => {
    for (const spread of [false, true]) {
      const covered: number[] = [];
      const r = await scanChunks(
        { minId: 3, maxId: 20_002 },
        (lo, hi) => {
          for (let i = lo; i <= hi; i++) covered.push(i);
        },
        { spread },
      );
      expect(r).toEqual({ scannedIds: 20_000, totalIds: 20_000, complete: true });
      expect(covered.sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20_000 }, (_, i) => i + 3),
      );
    }
  });

  it('a page gives the exact total when cheap, an estimate otherwise', async () => {
    const all = await query(c.db, { dataset: 'gen', limit: 10 });
    expect(all).toMatchObject({ total: ROWS, totalExact: true });
    const eq = await query(c.db, {
      dataset: 'gen',
      limit: 5,
      filter: { column: 'ville', op: 'equals', value: 'PARIS' },
    });
    expect(eq.total).toBe(sqlCount("c_11 = 'PARIS'"));
    const none = await query(c.db, {
      dataset: 'gen',
      limit: 5,
      search: 'orange',
      countMode: 'none',
    });
    expect(none).toMatchObject({ total: -1, totalExact: false });
    const exact = await query(c.db, {
      dataset: 'gen',
      limit: 5,
      search: 'orange',
      countMode: 'exact',
    });
    expect(exact.totalExact).toBe(true);
    expect(exact.total).toBe(
      await exactCount(c.db, planQuery(c.db, loadDataset(c.db, 'gen'), undefined, 'orange')),
    );
  });
});

describe('facets', () => {
  it('give exact top values when they complete', async () => {
    const r = await runFacets(c.db, {
      dataset: 'gen',
      column: 'ville',
      limit: 5,
      timeoutMs: 30_000,
    });
    const expected = c.db
      .prepare(
        'SELECT c_11 AS value, count(*) AS count FROM ds_1 GROUP BY c_11 ORDER BY count DESC, c_11 LIMIT 5',
      )
      .all();
    expect(r.values).toEqual(expected);
    expect(r).toMatchObject({
      partial: false,
      reason: null,
      scannedRows: ROWS,
      totalRows: ROWS,
      column: 'ville',
    });
  });

  it('apply the filter and search', async () => {
    const r = await runFacets(c.db, {
      dataset: 'gen',
      column: 'ville',
      filter: { column: 'code_postal', op: 'startsWith', value: '75' },
      search: 'orange',
      limit: 3,
      timeoutMs: 30_000,
    });
    const expected = c.db
      .prepare(
        "SELECT c_11 AS value, count(*) AS count FROM ds_1 WHERE c_10 LIKE '75%' AND id IN (SELECT id FROM ds_1 WHERE concat_ws(char(31), c_1, c_2, c_3, c_4, c_5, c_6, c_7, c_8, c_9, c_10, c_11, c_12, c_13, c_14, c_15, c_16) LIKE '%orange%') GROUP BY c_11 ORDER BY count DESC, c_11 LIMIT 3",
      )
      .all();
    expect(r.values).toEqual(expected);
    expect(r.description).toBe(
      'code_postal starts with "75" AND containing "orange" (any column, ignoring case and accents)',
    );
  });

  it('are partial, with sampled counts, when the time budget is spent', async () => {
    const filter: FilterNode = {
      column: 'adresse',
      op: 'regex',
      value: '(rue|avenue).*[0-9]',
      caseSensitive: false,
    };
    const full = await runFacets(c.db, {
      dataset: 'gen',
      column: 'ville',
      filter,
      limit: 1000,
      timeoutMs: 60_000,
    });
    const cut = await runFacets(c.db, {
      dataset: 'gen',
      column: 'ville',
      filter,
      limit: 1000,
      timeoutMs: 10,
    });
    expect(full.partial).toBe(false);
    expect(cut).toMatchObject({ partial: true, reason: 'timeout' });
    expect(cut.scannedRows).toBeGreaterThan(0);
    expect(cut.scannedRows).toBeLessThan(ROWS);
    const exact = new Map(full.values.map((v) => [v.value, v.count]));
    for (const v of cut.values) expect(v.count).toBeLessThanOrEqual(exact.get(v.value)!);
  });

  it('name an unknown column plainly', async () => {
    await expect(
      runFacets(c.db, { dataset: 'gen', column: 'zz', limit: 3, timeoutMs: 100 }),
    ).rejects.toMatchObject({
      code: 'E_BAD_INPUT',
    });
  });
});
