/**
 * The generator's command line: generate and derive write their files and exit 0; bad options
 * exit 1 with a usage message.
 */

import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../fixtures/gen/cli';
import { tempDir } from './util';

const tmp = tempDir('gencli');
afterAll(() => tmp.cleanup());

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

describe('cli', () => {
  it('generates a Latin-1 ;-separated CSV with CRLF', async () => {
    const out = tmp.path('x.csv');
    const code = await main([
      '--rows',
      '500',
      '--format',
      'csv',
      '--out',
      out,
      '--seed',
      '42',
      '--delimiter',
      ';',
      '--encoding',
      'latin1',
      '--crlf',
    ]);
    expect(code).toBe(0);
    const text = readFileSync(out).toString('latin1');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'nom;prenom;sexe;date_naissance;nir;identifiant_ft;email;telephone;adresse;code_postal;ville;iban;bic;siret;rpps;mdp_hash',
    );
    expect(lines).toHaveLength(502); // header + 500 + trailing empty
    const summary = JSON.parse(stderr.trim()) as { rows: number; bytes: number };
    expect(summary.rows).toBe(500);
    expect(summary.bytes).toBe(readFileSync(out).length);
  });

  it('generates nested JSON with English headers and chosen columns', async () => {
    const out = tmp.path('x.json');
    expect(
      await main([
        'generate',
        '--rows',
        '50',
        '--format',
        'json',
        '--nested',
        '--headers',
        'en',
        '--columns',
        'nom,prenom,email,nir',
        '--out',
        out,
      ]),
    ).toBe(0);
    const arr = JSON.parse(readFileSync(out, 'utf8')) as Array<{
      trainee: Record<string, unknown>;
    }>;
    expect(arr).toHaveLength(50);
    expect(Object.keys(arr[0].trainee).sort()).toEqual(
      ['contact', 'first_name', 'last_name', 'ssn'].sort(),
    );
  });

  it('derives a later leak with its ground truth', async () => {
    const out = tmp.path('later.ndjson');
    const truth = tmp.path('truth.csv');
    const code = await main([
      'derive',
      '--from-seed',
      '42',
      '--from-rows',
      '1000',
      '--rows',
      '800',
      '--overlap',
      '0.3',
      '--format',
      'ndjson',
      '--out',
      out,
      '--truth',
      truth,
    ]);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(800);
    const truthLines = readFileSync(truth, 'utf8').trimEnd().split('\n');
    expect(truthLines).toHaveLength(801);
    expect(JSON.parse(stderr.trim())).toMatchObject({
      overlapRows: 300,
      overlapShareOfEarlier: 0.3,
    });
  });

  it('rejects bad options with exit code 1', async () => {
    expect(await main(['--rows', '10', '--format', 'xml', '--out', tmp.path('y')])).toBe(1);
    expect(stderr).toContain('--format must be one of');
    expect(await main(['--rows', '-3', '--out', tmp.path('y')])).toBe(1);
    expect(
      await main([
        'derive',
        '--from-seed',
        '1',
        '--rows',
        '10',
        '--out',
        tmp.path('y'),
        '--truth',
        tmp.path('t'),
      ]),
    ).toBe(1);
    expect(stderr).toContain('--overlap is required');
    expect(await main(['--bogus'])).toBe(1);
    expect(await main(['--delimiter', ':', '--out', tmp.path('y')])).toBe(1);
  });
});
