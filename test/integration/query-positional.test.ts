/**
 * Positional reads and superseded queries through the engine's contract and its query workers:
 * `at` and `from: 'end'` pages (outputs validated by the contract), a newer generation on a
 * channel cancelling an older query running in a worker, and a query pool warmed ahead of its
 * first request (which then runs on the warmed worker instead of starting another).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/main/engine';
import { closeQueryWorkers, QueryPool } from '../../src/main/engine/query';
import { CANCEL_GRACE_MS } from '../../src/main/engine/query/pool';
import { RowsQueryInput } from '../../src/shared/api';
import { generateFile } from '../fixtures/gen';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-query-positional-');
const ROWS = 30_000;
let engine: Engine;
let casePath: string;

beforeAll(async () => {
  ({ engine, path: casePath } = await engineWithCase(dir));
  await generateFile({ format: 'ndjson', seed: 31, rows: ROWS, out: `${dir}/people.ndjson` });
  const r = await engine.call('import.run', { path: `${dir}/people.ndjson`, name: 'people' });
  expect(r.rows).toBe(ROWS);
});
afterAll(() => {
  closeQueryWorkers();
  engine?.close();
});

describe('positional reads through the engine', () => {
  it('starts at an exact position and reads the last records from the end', async () => {
    const mid = await engine.call('rows.query', { dataset: 'people', at: 12_345, limit: 3 });
    expect(mid.position).toEqual({ at: 12_345, exact: true });
    expect(mid.rows.map((r) => r.ordinal)).toEqual([12_345, 12_346, 12_347]);
    const next = await engine.call('rows.query', {
      dataset: 'people',
      limit: 2,
      cursor: mid.cursor!,
    });
    expect(next.rows.map((r) => r.ordinal)).toEqual([12_348, 12_349]);
    const end = await engine.call('rows.query', { dataset: 'people', from: 'end', limit: 2 });
    expect(end.rows.map((r) => r.ordinal)).toEqual([ROWS - 1, ROWS - 2]);
    expect(end.total).toBe(ROWS);
  });

  it('cancels the older query of a channel when a newer one arrives', async () => {
    const channel = `test-${process.pid}`;
    // A scan search of one-letter words with an exact count: long enough to be overtaken.
    const slow = engine.call('rows.query', {
      dataset: 'people',
      search: 'a e i o',
      countMode: 'exact',
      limit: 5,
      supersede: { channel, generation: 1 },
    });
    const outcome = slow.then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 30));
    const fresh = await engine.call('rows.query', {
      dataset: 'people',
      limit: 2,
      supersede: { channel, generation: 2 },
    });
    expect(fresh.rows).toHaveLength(2);
    expect(await outcome).toMatchObject({ code: 'E_CANCELLED' });
    await expect(
      engine.call('rows.query', {
        dataset: 'people',
        limit: 1,
        supersede: { channel, generation: 1 },
      }),
    ).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });
});

const newPool = () =>
  new QueryPool(
    {
      casePath,
      key: TEST_PASSPHRASE,
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    },
    new URL('../../src/main/engine/query/worker-boot.mjs', import.meta.url),
  );

describe('query pool', () => {
  it('warms a worker ahead of the first query, runs on it, and keeps it through a cancel', async () => {
    const pool = newPool();
    try {
      pool.warm(1);
      expect(pool.size).toBe(1);
      const page = await pool.run(
        'query',
        RowsQueryInput.parse({ dataset: 'people', limit: 1, countMode: 'none' }),
      );
      expect(page.rows).toHaveLength(1);
      expect(pool.size).toBe(1);
      // Warm again: the idle worker is there already.
      pool.warm(1);
      expect(pool.size).toBe(1);
      // A cancelled scan stops at its next chunk: the worker answers and is kept, not restarted.
      const ac = new AbortController();
      const counting = pool.run(
        'count',
        { dataset: 'people', search: 'a e i o' },
        { signal: ac.signal },
      );
      setTimeout(() => ac.abort(), 50);
      await expect(counting).rejects.toMatchObject({ code: 'E_CANCELLED' });
      await new Promise((r) => setTimeout(r, CANCEL_GRACE_MS + 200));
      expect(pool.size).toBe(1);
      const again = await pool.run(
        'query',
        RowsQueryInput.parse({ dataset: 'people', limit: 2, countMode: 'none' }),
      );
      expect(again.rows).toHaveLength(2);
      expect(pool.size).toBe(1);
    } finally {
      pool.close();
    }
  });

  it('keeps a spare worker ready for pages while a parallel count holds the others', async () => {
    const pool = newPool();
    try {
      pool.warm(1);
      const input = { dataset: 'people', search: 'a e i o' };
      const counting = pool.count(input);
      // The two slices hold the warmed worker and a new one; a third starts for the next page.
      expect(pool.size).toBe(3);
      const page = await pool.run(
        'query',
        RowsQueryInput.parse({ dataset: 'people', limit: 5, countMode: 'none' }),
      );
      expect(page.rows).toHaveLength(5);
      const parallel = await counting;
      // No fourth worker: the pool's bound holds.
      expect(pool.size).toBe(3);
      const single = await pool.count(input, {}, 1);
      expect(parallel.total).toBe(single.total);
      expect(single.total).toBeGreaterThan(0);
    } finally {
      pool.close();
    }
  });
});
