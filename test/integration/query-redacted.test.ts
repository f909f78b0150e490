/**
 * rows.query and rows.facets read through a redaction policy (issue 7, "redacted reading"): the
 * page's values come from the redact capability's reader; no original value of a column whose
 * rule is not `keep` leaves the engine, whatever the way in (pages, later pages, search, filters,
 * facets); aggregate-only policies refuse records; the audit entry names the policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/main/engine';
import { closeQueryWorkers } from '../../src/main/engine/query';
import type { RowsQueryInput, RowsQueryResult } from '../../src/shared/api';
import { generateFile } from '../fixtures/gen';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-query-redacted-');
let engine: Engine;
/** Original values (6+ characters) of the columns the policy redacts, and of the kept ones. */
let redactedRaw: Set<string>;
let keptRaw: Set<string>;
let redactedColumns: string[];

async function allPages(input: RowsQueryInput): Promise<RowsQueryResult[]> {
  const pages: RowsQueryResult[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await engine.call('rows.query', { ...input, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    if (!page.cursor) return pages;
    cursor = page.cursor;
  }
}

/** Every original value of a redacted column found anywhere in `output` (serialised). */
function leaks(output: unknown): string[] {
  const text = JSON.stringify(output);
  return [...redactedRaw].filter((v) => text.includes(JSON.stringify(v).slice(1, -1)));
}

beforeAll(async () => {
  ({ engine } = await engineWithCase(dir));
  await generateFile({ format: 'csv', seed: 5, rows: 400, out: `${dir}/people.csv` });
  await engine.call('import.run', { path: `${dir}/people.csv` });
  const page = await engine.call('rows.query', {
    dataset: 'people',
    limit: 1,
    policy: 'share-with-authority',
  });
  const rules = page.redaction!.columns;
  redactedColumns = rules.filter((c) => c.rule.op !== 'keep').map((c) => c.name);
  const kept = rules.filter((c) => c.rule.op === 'keep').map((c) => c.name);
  redactedRaw = new Set();
  keptRaw = new Set();
  for (const p of await allPages({ dataset: 'people', limit: 1000 })) {
    for (const r of p.rows) {
      for (const [k, v] of Object.entries(r.values)) {
        if (v === null || v.length < 6) continue;
        if (redactedColumns.includes(k)) redactedRaw.add(v);
        if (kept.includes(k)) keptRaw.add(v);
      }
    }
  }
  // A value that also sits in a kept column may legitimately appear there.
  for (const v of keptRaw) redactedRaw.delete(v);
});
afterAll(() => {
  closeQueryWorkers();
  engine?.close();
});

describe('rows.query with a policy', () => {
  it('redacts identifiers, contact data and passwords: no original value comes back', async () => {
    expect(redactedColumns).toEqual(
      expect.arrayContaining(['nom', 'prenom', 'nir', 'email', 'telephone', 'mdp_hash']),
    );
    expect(redactedRaw.size).toBeGreaterThan(1000);
    const pages = await allPages({ dataset: 'people', limit: 150, policy: 'share-with-authority' });
    expect(pages.length).toBe(3);
    const rows = pages.flatMap((p) => p.rows);
    expect(rows).toHaveLength(400);
    expect(leaks(pages)).toEqual([]);
    const first = rows[0]!;
    expect(first.values).not.toHaveProperty('mdp_hash');
    expect(first.values.nom).toMatch(/^[A-Z_]+-[0-9a-f]{8,}$/);
    expect(first.values.email).toContain('•');
    expect(pages[0]!.redaction).toMatchObject({ policy: 'share-with-authority' });
    expect(pages[0]!.redaction!.columns.find((c) => c.name === 'mdp_hash')?.output).toBeNull();
    // Provenance is kept: the grid and the record pane still locate the record.
    expect(first).toMatchObject({ id: 1, ordinal: 0, line: 2 });
  });

  it('pseudonyms are stable across pages and queries (records can still be linked)', async () => {
    const a = await engine.call('rows.query', {
      dataset: 'people',
      limit: 5,
      policy: 'share-with-authority',
    });
    const b = await engine.call('rows.query', {
      dataset: 'people',
      limit: 5,
      sort: [{ column: 'nom', desc: false }],
      policy: 'share-with-authority',
    });
    const byId = new Map(b.rows.map((r) => [r.id, r.values.nir]));
    for (const r of a.rows) if (byId.has(r.id)) expect(byId.get(r.id)).toBe(r.values.nir);
    const again = await engine.call('rows.query', {
      dataset: 'people',
      limit: 5,
      policy: 'share-with-authority',
    });
    expect(again.rows).toEqual(a.rows);
  });

  it('searches, filters and sorts on the original values but returns only redacted ones', async () => {
    const inputs: RowsQueryInput[] = [
      { dataset: 'people', search: 'orange.fr', limit: 50, policy: 'share-with-authority' },
      {
        dataset: 'people',
        filter: { column: 'email', op: 'contains', value: 'laposte' },
        sort: [{ column: 'nom', desc: true }],
        limit: 20,
        policy: 'share-with-authority',
      },
      {
        dataset: 'people',
        filter: { kind: 'email', op: 'endsWith', value: '.fr' },
        countMode: 'exact',
        limit: 30,
        policy: 'share-with-authority',
      },
    ];
    for (const input of inputs) {
      const pages = await allPages(input);
      const plain = await allPages({ ...input, policy: undefined } as RowsQueryInput);
      expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(
        plain.flatMap((p) => p.rows.map((r) => r.id)),
      );
      expect(pages[0]!.rows.length).toBeGreaterThan(0);
      expect(leaks(pages)).toEqual([]);
      expect(leaks(plain).length).toBeGreaterThan(0);
    }
  });

  it('facets through a policy: redacted top values, counts merged, dropped columns refused', async () => {
    const plain = await engine.call('rows.facets', {
      dataset: 'people',
      column: 'prenom',
      limit: 50,
    });
    expect(leaks(plain).length).toBeGreaterThan(0);
    const red = await engine.call('rows.facets', {
      dataset: 'people',
      column: 'prenom',
      limit: 50,
      policy: 'share-with-authority',
    });
    expect(leaks(red)).toEqual([]);
    expect(red.values.reduce((n, v) => n + v.count, 0)).toBe(
      plain.values.reduce((n, v) => n + v.count, 0),
    );
    const emails = await engine.call('rows.facets', {
      dataset: 'people',
      column: 'email',
      policy: 'share-with-authority',
    });
    expect(leaks(emails)).toEqual([]);
    await expect(
      engine.call('rows.facets', {
        dataset: 'people',
        column: 'mdp_hash',
        policy: 'share-with-authority',
      }),
    ).rejects.toMatchObject({ code: 'E_BAD_INPUT' });
  });

  it('an inline policy document works; keep-everything returns the originals', async () => {
    const doc = {
      version: 1,
      name: 'names-only',
      description: 'mask names',
      kinds: { last_name: { op: 'mask' } },
      defaultRule: { op: 'keep' },
    };
    const r = await engine.call('rows.query', { dataset: 'people', limit: 3, policy: doc });
    const plain = await engine.call('rows.query', { dataset: 'people', limit: 3 });
    expect(r.rows[0]!.values.email).toBe(plain.rows[0]!.values.email);
    expect(r.rows[0]!.values.nom).not.toBe(plain.rows[0]!.values.nom);
    expect(r.rows[0]!.values.nom).toMatch(/^•+$/);
    const internal = await engine.call('rows.query', {
      dataset: 'people',
      limit: 3,
      policy: 'internal',
    });
    expect(internal.rows).toEqual(plain.rows);
  });

  it('refuses aggregate-only policies and unknown policies', async () => {
    await expect(
      engine.call('rows.query', { dataset: 'people', policy: 'publish-statistics' }),
    ).rejects.toMatchObject({
      code: 'E_BAD_INPUT',
      message: expect.stringContaining('aggregates'),
    });
    await expect(
      engine.call('rows.query', { dataset: 'people', policy: 'no-such-policy' }),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('audits the policy with the read, never the values', async () => {
    await engine.call('rows.query', {
      dataset: 'people',
      limit: 2,
      policy: 'share-with-authority',
    });
    const { entries } = await engine.call('audit.list', { afterSeq: 0, limit: 1000 });
    const last = entries.filter((e) => e.action === 'rows.query').at(-1)!;
    expect(last.result).toMatchObject({ policy: 'share-with-authority', rows: 2 });
    expect(leaks(last)).toEqual([]);
  });
});
