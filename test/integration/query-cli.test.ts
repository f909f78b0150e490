/**
 * `leakscope query` (DESIGN.md command line contract): the JSON shape, paging with --after, filter
 * / search / sort options, the text table, and errors as exit 1 with {"error": {code, message}}.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSPHRASE } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-query-cli-');
const env = { LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE };
let casePath: string;

interface QueryJson {
  rows: {
    id: number;
    ordinal: number;
    line: number | null;
    offset: number;
    values: Record<string, string | null>;
  }[];
  total: number;
  totalExact: boolean;
  cursor: string | null;
  description: string;
}

beforeAll(async () => {
  const { engine, path } = await engineWithCase(dir);
  casePath = path;
  const file = join(dir, 'clients.csv');
  writeFileSync(
    file,
    [
      'nom,prenom,email,ville',
      'PICARD,Hélène,helene.picard@orange.fr,PARIS',
      'DUPONT,Jean,jean.dupont@francetravail.fr,LYON',
      'MARTIN,Zoé,zoe.martin@orange.fr,NICE',
      'DURAND,Luc,luc@free.fr,PARIS',
      'BERNARD,Anne,anne.bernard@francetravail.fr,LILLE',
    ].join('\n'),
  );
  await engine.call('import.run', { path: file });
  engine.close();
});

describe('leakscope query', () => {
  it('prints DESIGN.md JSON and pages with --after', () => {
    const r = runCli(
      ['query', 'clients', '--case', casePath, '--sort', 'nom:desc', '--limit', '2', '--json'],
      env,
    );
    expect(r.status).toBe(0);
    const page = r.json as QueryJson;
    expect(Object.keys(page)).toEqual(
      expect.arrayContaining(['rows', 'total', 'totalExact', 'cursor']),
    );
    expect(page.rows.map((x) => x.values.nom)).toEqual(['PICARD', 'MARTIN']);
    expect(page.rows[0]).toEqual({
      id: 1,
      ordinal: 0,
      line: 2,
      offset: expect.any(Number),
      values: { nom: 'PICARD', prenom: 'Hélène', email: 'helene.picard@orange.fr', ville: 'PARIS' },
    });
    expect(page).toMatchObject({ total: 5, totalExact: true, cursor: expect.any(String) });
    const next = runCli(
      [
        'query',
        'clients',
        '--case',
        casePath,
        '--sort',
        'nom:desc',
        '--limit',
        '2',
        '--after',
        page.cursor!,
        '--json',
      ],
      env,
    );
    expect((next.json as QueryJson).rows.map((x) => x.values.nom)).toEqual(['DURAND', 'DUPONT']);
  });

  it('filters and searches', () => {
    const f = runCli(
      [
        'query',
        'clients',
        '--case',
        casePath,
        '--filter',
        '{"column":"email","op":"endsWith","value":"@francetravail.fr"}',
        '--json',
      ],
      env,
    );
    const page = f.json as QueryJson;
    expect(page.rows.map((x) => x.values.nom)).toEqual(['DUPONT', 'BERNARD']);
    expect(page).toMatchObject({
      total: 2,
      totalExact: true,
      cursor: null,
      description: 'email ends with "@francetravail.fr"',
    });
    const s = runCli(['query', 'clients', '--case', casePath, '--search', 'helene', '--json'], env);
    expect((s.json as QueryJson).rows.map((x) => x.id)).toEqual([1]);
  });

  it('prints a table without --json', () => {
    const r = runCli(
      ['query', 'clients', '--case', casePath, '--search', 'orange', '--limit', '1'],
      env,
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('containing "orange" (any column, ignoring case and accents)');
    expect(lines[1]).toMatch(/^id\s+line\s+nom\s+prenom\s+email\s+ville$/);
    expect(lines[3]).toMatch(/^1\s+2\s+PICARD\s+Hélène\s+helene\.picard@orange\.fr\s+PARIS$/);
    expect(r.stdout).toMatch(/1 record of 2\n/);
    expect(r.stdout).toMatch(/next page: --after [A-Za-z0-9_-]+/);
  });

  it('fails with exit 1 and an error envelope', () => {
    const bad = runCli(
      [
        'query',
        'clients',
        '--case',
        casePath,
        '--filter',
        '{"column":"nom","op":"near"}',
        '--json',
      ],
      env,
    );
    expect(bad.status).toBe(1);
    expect(bad.json).toEqual({
      error: { code: 'E_BAD_INPUT', message: expect.stringMatching(/^filter\.op: /) },
    });
    const unknown = runCli(['query', 'nope', '--case', casePath, '--json'], env);
    expect(unknown.json).toMatchObject({ error: { code: 'E_NOT_FOUND' } });
    const cursor = runCli(
      [
        'query',
        'clients',
        '--case',
        casePath,
        '--after',
        'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        '--json',
      ],
      env,
    );
    expect(cursor.json).toMatchObject({
      error: { code: 'E_BAD_INPUT', message: expect.stringMatching(/invalid cursor/) },
    });
  });
});
