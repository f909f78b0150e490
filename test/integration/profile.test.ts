/**
 * Profiling through the public contract and the CLI: every import profiles its datasets (post-
 * import step in the import's worker), `profile.get` reads the stored profile, `profile.run`
 * profiles again in a worker and is audited without record values, `column_pii` is queryable,
 * and `leakscope profile --json` prints DESIGN.md's profile shape.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../../src/main/engine/store';
import { generateFile } from '../fixtures/gen';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();

describe('profile through the engine and the CLI', async () => {
  const csv = join(dir, 'fuite.csv');
  await generateFile({ seed: 5, rows: 1500, format: 'csv', headers: 'en', out: csv });
  const { engine, path } = await engineWithCase(dir);
  const imported = await engine.call('import.run', { path: csv, name: 'fuite' });

  it('the import stored a profile of the new dataset', async () => {
    expect(imported.datasets[0]!.rows).toBe(1500);
    const p = await engine.call('profile.get', { dataset: 'fuite' });
    expect(p).not.toBeNull();
    expect(p!.rows).toBe(1500);
    const kinds = Object.fromEntries(p!.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({
      last_name: 'last_name',
      first_name: 'first_name',
      birth_date: 'date_of_birth',
      ssn: 'nir',
      france_travail_id: 'france_travail_id',
      email: 'email',
      phone: 'phone',
      iban: 'iban',
      siret: 'siret',
      rpps: 'rpps',
      password_hash: 'password_hash',
    });
    expect(p!.summary.sensitivity.level).toBe('critical');
    expect(p!.summary.consistency?.verdict).toBe('consistent');
  });

  it('profile.run profiles again with progress and audits a summary without values', async () => {
    const steps = new Set<string>();
    const p = await engine.call(
      'profile.run',
      { dataset: 'fuite' },
      { onProgress: (e) => steps.add(e.step) },
    );
    expect(p.dataset).toBe('fuite');
    const audit = await engine.call('audit.list', {});
    const entry = audit.entries.find((e) => e.action === 'profile.run')!;
    expect(entry).toBeDefined();
    const logged = JSON.stringify(entry.result);
    expect(logged).toContain('"kind":"email"');
    const someEmail = p.columns.find((c) => c.name === 'email')!.top[0]!.value;
    expect(logged).not.toContain(someEmail);
    expect(logged).not.toContain('"top"');
  });

  it('column_pii answers "which columns hold e-mails / NIRs" directly', () => {
    const c = openCase(path, TEST_PASSPHRASE, {
      lock: false,
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    try {
      const rows = c.db
        .prepare(
          `SELECT dc.name, p.kind, p.confidence, p.share FROM column_pii p
           JOIN dataset_columns dc ON dc.dataset_id = p.dataset_id AND dc.idx = p.column_idx
           WHERE p.kind IN ('email', 'nir') AND p.confidence >= 0.5 ORDER BY dc.idx`,
        )
        .all() as { name: string; kind: string; confidence: number; share: number }[];
      expect(rows.map((r) => [r.name, r.kind])).toEqual([
        ['ssn', 'nir'],
        ['email', 'email'],
      ]);
      for (const r of rows) expect(r.share).toBe(1);
    } finally {
      c.close();
    }
  });

  it('unknown datasets are a typed error', async () => {
    await expect(engine.call('profile.get', { dataset: 'nope' })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
    await expect(engine.call('profile.run', { dataset: 'nope' })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
  });

  it('leakscope profile --json prints the DESIGN.md shape, pii best first', () => {
    engine.close();
    const env = { LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE };
    const r = runCli(['profile', 'fuite', '--case', path, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const p = r.json as {
      dataset: string;
      rows: number;
      columns: {
        name: string;
        path: string;
        type: string;
        nonEmpty: number;
        distinct: number;
        top: { value: string; count: number }[];
        pii: { kind: string; confidence: number; share: number; scheme: string | null }[];
      }[];
      summary: Record<string, unknown>;
    };
    expect(p).toMatchObject({ dataset: 'fuite', rows: 1500, summary: expect.any(Object) });
    for (const c of p.columns) {
      expect(c).toMatchObject({
        name: expect.any(String),
        path: expect.any(String),
        type: expect.any(String),
        nonEmpty: expect.any(Number),
        distinct: expect.any(Number),
      });
      for (const t of c.top)
        expect(t).toEqual({ value: expect.any(String), count: expect.any(Number) });
      for (const f of c.pii)
        expect(Object.keys(f)).toEqual(
          expect.arrayContaining(['kind', 'confidence', 'share', 'scheme']),
        );
      const conf = c.pii.map((f) => f.confidence);
      expect(conf).toEqual([...conf].sort((a, b) => b - a));
    }
    const sex = p.columns.find((c) => c.name === 'sex')!;
    expect(sex.top.reduce((s, t) => s + t.count, 0)).toBe(sex.nonEmpty);

    const text = runCli(['profile', 'fuite', '--case', path], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^fuite: 1,500 rows, 16 columns/);
    expect(text.stdout).toContain('sensitivity: CRITICAL');
    expect(text.stdout).toMatch(/NIR consistency \(ssn\): consistent, 100%/);

    const missing = runCli(['profile', 'nope', '--case', path, '--json'], env);
    expect(missing.status).toBe(1);
    expect(missing.json).toMatchObject({ error: { code: 'E_NOT_FOUND' } });
  });
});
