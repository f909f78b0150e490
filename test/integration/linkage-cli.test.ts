/**
 * The linkage commands of the CLI contract (DESIGN.md): `duplicates`, `overlap`, `matches` print
 * one JSON document with the agreed shapes under --json, readable text without, and
 * `{"error": {...}}` with exit 1 on a handled error.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveFile, generateFile } from '../fixtures/gen';
import { runCli } from '../helpers/cli';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-linkage-cli-');
const P = { LEAKSCOPE_PASSPHRASE: 'une phrase de passe pour les tests' };
const file = join(dir, 'linkage.lscase');

beforeAll(async () => {
  await generateFile({ seed: 9, rows: 400, format: 'csv', out: join(dir, 'early.csv') });
  await deriveFile({
    seed: 9,
    fromRows: 400,
    rows: 300,
    overlap: 0.5,
    duplicates: 0.05,
    format: 'ndjson',
    out: join(dir, 'later.ndjson'),
    truth: join(dir, 'truth.csv'),
  });
  expect(runCli(['case', 'create', '--case', file], P).status).toBe(0);
  for (const f of ['early.csv', 'later.ndjson'])
    expect(runCli(['import', join(dir, f), '--case', file, '--json'], P).status).toBe(0);
}, 120_000);

describe('leakscope duplicates / overlap / matches (CLI contract)', () => {
  it('duplicates --json', () => {
    const r = runCli(['duplicates', 'later', '--case', file, '--json', '--limit', '2'], P);
    expect(r.status).toBe(0);
    const j = r.json as Record<string, unknown>;
    expect(j).toMatchObject({
      dataset: 'later',
      rows: 300,
      uniquePeople: 285,
      exactDuplicateRecords: expect.any(Number),
      headline: expect.stringMatching(/^300 records, 285 unique people/),
    });
    const groups = j.groups as { key: string; count: number; ordinals: number[] }[];
    expect(groups).toHaveLength(2);
    expect(Object.keys(groups[0]).sort()).toEqual(['count', 'key', 'kind', 'ordinals']);
    expect(groups[0].ordinals.length).toBe(groups[0].count);
    // DESIGN.md's shape: {"dataset", "exactDuplicateRecords", "groups": [{"key", "count",
    // "ordinals"}]}; a key group names its value as text, never the stored hash.
    for (const g of groups) {
      expect(g.key).toMatch(/^[a-z_]+:[^#]/);
      expect(Number.isInteger(g.count) && g.count >= 2).toBe(true);
      expect(g.ordinals.every((o) => Number.isInteger(o))).toBe(true);
    }
  });

  it('overlap --json and as text', () => {
    const r = runCli(['overlap', 'later', '--case', file, '--json'], P);
    expect(r.status).toBe(0);
    const j = r.json as {
      pairs: { a: string; b: string; records: number; byKey: Record<string, number> }[];
      verdicts: { verdict: string; text: string }[];
      upset: { datasets: string[]; people: number }[];
    };
    expect(j.pairs).toHaveLength(1);
    expect(j.pairs[0]).toMatchObject({ a: 'later', b: 'early' });
    expect(j.pairs[0].records).toBeGreaterThanOrEqual(200);
    expect(j.pairs[0].byKey.nir).toBeGreaterThan(100);
    expect(j.verdicts[0].verdict).toBe('partial_overlap');
    expect(j.upset.find((u) => u.datasets.join() === 'early,later')?.people).toBe(200);
    const t = runCli(['overlap', 'later', '--case', file, '--against', 'early', '--no-upset'], P);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/^later: PARTIAL OVERLAP — \d+\.\d% overlap/);
    expect(t.stdout).toContain('vs early:');
  });

  it('matches --fuzzy --json: pairs by provenance, blocking rules, model, trade-off', () => {
    const r = runCli(
      [
        'matches',
        'later',
        '--against',
        'early',
        '--fuzzy',
        '--limit',
        '5',
        '--case',
        file,
        '--json',
      ],
      P,
    );
    expect(r.status).toBe(0);
    const j = r.json as {
      pairs: {
        a: Record<string, unknown>;
        b: Record<string, unknown>;
        score: number;
        keys: string[];
      }[];
      pairsTotal: number;
      blocking: { rules: { name: string; pairs: number }[] };
      tradeoff: { threshold: number; precision: number; recall: number }[];
    };
    expect(j.pairs).toHaveLength(5);
    expect(j.pairs[0].a).toMatchObject({
      dataset: 'later',
      ordinal: expect.any(Number),
      line: expect.any(Number),
    });
    expect(j.pairs[0].b).toMatchObject({
      dataset: 'early',
      ordinal: expect.any(Number),
      line: expect.any(Number),
    });
    expect(j.pairs[0].score).toBeGreaterThanOrEqual(0.9);
    expect(j.pairs[0].keys.length).toBeGreaterThan(0);
    expect(j.pairsTotal).toBeGreaterThanOrEqual(150);
    expect(j.blocking.rules[0].name).toBe('strong keys');
    expect(j.tradeoff).toHaveLength(5);
  });

  it('matches without --fuzzy: strong keys, as text', () => {
    const r = runCli(['matches', 'later', '--against', 'early', '--limit', '2', '--case', file], P);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^later vs early: \d+ record pairs share a strong identity key/);
    expect(r.stdout).toMatch(/later#\d+ \(line \d+\) ↔ early#\d+ \(line \d+\)\s+1\.000/);
  });

  it('exits 1 with {"error"} for an unknown dataset', () => {
    const r = runCli(['duplicates', 'nope', '--case', file, '--json'], P);
    expect(r.status).toBe(1);
    expect(r.json).toEqual({
      error: { code: 'E_NOT_FOUND', message: 'no dataset named "nope" in this case' },
    });
  });
});
