/**
 * The query layer through the engine's contract: query worker threads, the search index built by
 * the import job, audit entries without record values, cancellation (cooperative, else by
 * terminating the worker),
 * and cursors that stay valid while another import writes to the case (WAL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/main/engine';
import { closeQueryWorkers } from '../../src/main/engine/query';
import type { RowRecord } from '../../src/shared/api';
import { generateFile } from '../fixtures/gen';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-query-engine-');
let engine: Engine;

async function walk(input: {
  dataset: string;
  sort?: { column: string; desc: boolean }[];
  limit: number;
}) {
  const out: RowRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await engine.call('rows.query', {
      ...input,
      countMode: 'none',
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.rows);
    if (!page.cursor) return out;
    cursor = page.cursor;
  }
}

beforeAll(async () => {
  ({ engine } = await engineWithCase(dir));
  await generateFile({ format: 'csv', seed: 21, rows: 3000, out: `${dir}/people.csv` });
  await generateFile({ format: 'ndjson', seed: 22, rows: 30_000, out: `${dir}/later.ndjson` });
  const r = await engine.call('import.run', { path: `${dir}/people.csv` });
  expect(r.rows).toBe(3000);
});
afterAll(() => {
  closeQueryWorkers();
  engine?.close();
});

describe('rows.* through the engine', () => {
  it('queries in a worker, with the search index the import built', async () => {
    const r = await engine.call('rows.query', { dataset: 'people', search: 'orange.fr', limit: 5 });
    expect(r.searchMode).toBe('index');
    expect(r.rows).toHaveLength(5);
    for (const row of r.rows) {
      expect(Object.values(row.values).some((v) => v?.toLowerCase().includes('orange.fr'))).toBe(
        true,
      );
      expect(row).toMatchObject({ id: expect.any(Number), ordinal: row.id - 1, line: row.id + 1 });
    }
    expect(r.totalExact).toBe(true);
  });

  it('audits reads with descriptions and counts, never record values', async () => {
    const first = await engine.call('rows.query', {
      dataset: 'people',
      filter: { column: 'email', op: 'contains', value: '@' },
      sort: [{ column: 'nom', desc: false }],
      limit: 3,
    });
    await engine.call('rows.query', {
      dataset: 'people',
      filter: { column: 'email', op: 'contains', value: '@' },
      sort: [{ column: 'nom', desc: false }],
      limit: 3,
      cursor: first.cursor!,
    });
    const one = await engine.call('rows.get', { dataset: 'people', id: first.rows[0]!.id });
    expect(one.row).toEqual(first.rows[0]);
    expect(one.provenance).toMatchObject({
      dataset: 'people',
      file: 'people.csv',
      format: 'csv',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await engine.call('rows.facets', { dataset: 'people', column: 'ville', limit: 3 });
    const { entries } = await engine.call('audit.list', { limit: 1000 });
    const reads = entries.filter((e) => e.action.startsWith('rows.'));
    expect(reads.map((e) => e.action)).toEqual(
      expect.arrayContaining(['rows.query', 'rows.get', 'rows.facets']),
    );
    const text = JSON.stringify(reads);
    for (const v of Object.values(first.rows[0]!.values))
      if (v && v.length > 3) expect(text).not.toContain(v);
    const q = reads.filter((e) => e.action === 'rows.query').at(-1)!;
    expect(JSON.stringify(q.params)).not.toContain(first.rows[2]!.values.nom!);
    expect(q.result).toMatchObject({
      dataset: 'people',
      description: 'email contains "@"',
      rows: expect.any(Number),
    });
  });

  it('builds a kept column index on request', async () => {
    const r = await engine.call('rows.index', { dataset: 'people', column: 'email' });
    expect(r).toMatchObject({ index: 'ix_ds_1_c_7', created: true, column: 'email' });
    expect(await engine.call('rows.index', { dataset: 'people', column: 'email' })).toMatchObject({
      created: false,
    });
  });

  it('answers bad input with typed errors', async () => {
    await expect(engine.call('rows.query', { dataset: 'nope' })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
    const bad = await engine.invoke('rows.query', {
      dataset: 'people',
      filter: { and: [{ column: 'nom', op: 'equals' }] },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'E_BAD_INPUT', message: expect.stringMatching(/filter\.and\.0\.value/) },
    });
    await expect(
      engine.call('rows.query', {
        dataset: 'people',
        filter: { column: 'nom', op: 'regex', value: '(a)\\1' },
      }),
    ).rejects.toMatchObject({ code: 'E_BAD_INPUT' });
  });

  it('cancels a running query (stopped between chunks, or its worker terminated), then carries on', async () => {
    await engine.call('rows.query', { dataset: 'people', limit: 1 });
    const controller = new AbortController();
    const started = performance.now();
    // A scan search of one-letter words over every column: long enough to be cut mid-statement.
    const running = engine.call(
      'rows.count',
      { dataset: 'people', search: 'a e i' },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 5);
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(performance.now() - started).toBeLessThan(1000);
    const after = await engine.call('rows.query', { dataset: 'people', limit: 2 });
    expect(after.rows).toHaveLength(2);
  });

  it('keeps cursors stable while another import writes to the case', async () => {
    const sort = [{ column: 'ville', desc: true }];
    const before = await walk({ dataset: 'people', sort, limit: 1000 });
    expect(before).toHaveLength(3000);
    const page1 = await engine.call('rows.query', { dataset: 'people', sort, limit: 700 });
    const importing = engine.call('import.run', { path: `${dir}/later.ndjson`, name: 'later' });
    const seen = [...page1.rows];
    let cursor = page1.cursor;
    let pagesDuringImport = 0;
    let done = false;
    void importing.then(() => (done = true));
    while (cursor) {
      await new Promise((r) => setTimeout(r, 40));
      const page = await engine.call('rows.query', { dataset: 'people', sort, limit: 300, cursor });
      if (!done) pagesDuringImport++;
      seen.push(...page.rows);
      cursor = page.cursor;
    }
    const imported = await importing;
    expect(imported.rows).toBe(30_000);
    expect(pagesDuringImport).toBeGreaterThan(0);
    expect(seen.map((r) => r.id)).toEqual(before.map((r) => r.id));
    const later = await engine.call('rows.query', { dataset: 'later', search: 'orange', limit: 1 });
    expect(later.searchMode).toBe('index');
  });
});
