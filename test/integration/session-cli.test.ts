/**
 * `leakscope session ...` through the real CLI (DESIGN.md "Command line contract"): JSON shapes
 * of save, list, show, check, export, import and delete, and `{"error": ...}` with exit 1.
 * The cases and their imports are made in-process (faster), then closed for the CLI.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../fixtures/gen';
import { TEST_PASSPHRASE } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();
const P = { LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE };
let caseA: string;
let caseB: string;
let column: string;

beforeAll(async () => {
  const file = join(dir, 'agents.csv');
  await generateFile({ format: 'csv', seed: 21, rows: 120, out: file });
  const copy = join(dir, 'copie.csv');
  copyFileSync(file, copy);
  const a = await engineWithCase(dir, 'cli-a');
  const r = await a.engine.call('import.run', { path: file });
  column = r.datasets[0]!.columns[1]!.name;
  a.engine.close();
  caseA = a.path;
  const b = await engineWithCase(dir, 'cli-b');
  await b.engine.call('import.run', { path: copy, name: 'copie' });
  b.engine.close();
  caseB = b.path;
});

describe('leakscope session (CLI contract)', () => {
  const out = () => join(dir, 'session.json');

  it('save --json returns the stored session with its fingerprint', () => {
    const filter = JSON.stringify({ column, op: 'contains', value: 'e' });
    const r = runCli(
      [
        'session',
        'save',
        'triage',
        '--dataset',
        'agents',
        '--filter',
        filter,
        '--sort',
        `${column}:desc`,
        '--notes',
        'first pass',
        '--case',
        caseA,
        '--json',
      ],
      P,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      name: 'triage',
      created: true,
      storedVersion: 2,
      datasets: ['agents'],
      views: 1,
      document: {
        version: 2,
        views: [
          {
            filter: { column, op: 'contains', value: 'e' },
            sort: [{ column, desc: true }],
            fingerprint: { algorithm: 'sha256-ordinals-v1', datasetRows: 120 },
          },
        ],
        notes: 'first pass',
      },
      matches: [{ key: 'd1', by: 'id', local: { name: 'agents', rows: 120, complete: true } }],
      warnings: [],
    });
  });

  it('list, show and check --json', () => {
    const list = runCli(['session', 'list', '--case', caseA, '--json'], P);
    expect(list.status).toBe(0);
    const sessions = (list.json as { sessions: { name: string; rows: number }[] }).sessions;
    expect(sessions.map((s) => s.name)).toEqual(['triage']);
    expect(sessions[0]!.rows).toBeGreaterThan(0);

    const show = runCli(['session', 'show', 'triage', '--case', caseA, '--json'], P);
    expect(show.status).toBe(0);
    expect(show.json).toMatchObject({ name: 'triage', rows: sessions[0]!.rows });

    const check = runCli(['session', 'check', 'triage', '--case', caseA], P);
    expect(check.status).toBe(0);
    expect(check.stdout).toBe(
      `the session gives the same records as when it was saved\nagents: identical (${sessions[0]!.rows} records)\n`,
    );
  });

  it('export --out writes a file another case imports, matched by SHA-256', () => {
    const exp = runCli(
      ['session', 'export', 'triage', '--out', out(), '--case', caseA, '--json'],
      P,
    );
    expect(exp.status, exp.stderr).toBe(0);
    expect(exp.json).toMatchObject({ out: out(), name: 'triage', flaggedRecords: 0 });
    const file = JSON.parse(readFileSync(out(), 'utf8')) as { format: string; name: string };
    expect(file).toMatchObject({ format: 'leakscope.session-file', name: 'triage' });

    const imp = runCli(['session', 'import', out(), '--case', caseB, '--json'], P);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.json).toMatchObject({
      name: 'triage',
      saved: true,
      matches: [{ by: 'sha256', local: { name: 'copie' } }],
      warnings: [],
    });
    const check = runCli(['session', 'check', 'triage', '--case', caseB, '--json'], P);
    expect(check.json).toMatchObject({ status: 'identical' });
  });

  it('delete --json, then errors as {"error": ...} with exit 1', () => {
    const del = runCli(['session', 'delete', 'triage', '--case', caseB, '--json'], P);
    expect(del.json).toEqual({ name: 'triage', deleted: true });
    const again = runCli(['session', 'show', 'triage', '--case', caseB, '--json'], P);
    expect(again.status).toBe(1);
    expect(again.json).toEqual({
      error: {
        code: 'E_NOT_FOUND',
        message: 'no session named "triage" in this case (none saved yet)',
      },
    });
    const badFilter = runCli(
      [
        'session',
        'save',
        'x',
        '--dataset',
        'copie',
        '--filter',
        '{"column":',
        '--case',
        caseB,
        '--json',
      ],
      P,
    );
    expect(badFilter.status).toBe(1);
    expect((badFilter.json as { error: { message: string } }).error.message).toMatch(
      /^the filter is not valid JSON/,
    );
  });
});
