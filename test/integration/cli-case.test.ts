import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();
const P = { LEAKSCOPE_PASSPHRASE: 'Un mot de passe assez long' };

describe('leakscope case / audit (CLI contract)', () => {
  const file = join(dir, 'enquete.lscase');

  it('creates a case and prints its description as JSON', () => {
    const r = runCli(['case', 'create', '--case', file, '--json'], P);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({
      path: file,
      schemaVersion: expect.any(Number),
      cipher: { name: 'sqlcipher', legacy: 4, kdfIter: 256000 },
      datasets: 0,
      auditEntries: 0,
    });
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('case info --json', () => {
    const r = runCli(['case', 'info', '--case', file, '--json'], P);
    expect(r.status).toBe(0);
    // case.create, then this command's own case.open.
    expect(r.json).toMatchObject({ path: file, auditEntries: 2 });
  });

  it('exits 1 with {"error": {code, message}} on a wrong passphrase', () => {
    const r = runCli(['case', 'info', '--case', file, '--json'], { LEAKSCOPE_PASSPHRASE: 'faux' });
    expect(r.status).toBe(1);
    expect(r.json).toEqual({
      error: { code: 'E_BAD_PASSPHRASE', message: 'wrong passphrase, or not a Leakscope case' },
    });
    expect(r.stderr).toContain('wrong passphrase, or not a Leakscope case');
  });

  it('without a passphrase and without a terminal, says how to give one', () => {
    const r = runCli(['case', 'info', '--case', file, '--json']);
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({
      error: { code: 'E_BAD_INPUT', message: expect.stringMatching(/LEAKSCOPE_PASSPHRASE/) },
    });
  });

  it('rekeys with LEAKSCOPE_NEW_PASSPHRASE', () => {
    const r = runCli(['case', 'rekey', '--case', file, '--json'], {
      ...P,
      LEAKSCOPE_NEW_PASSPHRASE: 'nouvelle phrase secrète',
    });
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ rekeyed: true });
    expect(runCli(['case', 'info', '--case', file, '--json'], P).status).toBe(1);
    expect(
      runCli(['case', 'info', '--case', file, '--json'], {
        LEAKSCOPE_PASSPHRASE: 'nouvelle phrase secrète',
      }).status,
    ).toBe(0);
  });

  it('audit verify --json reports an intact chain', () => {
    const r = runCli(['audit', 'verify', '--case', file, '--json'], {
      LEAKSCOPE_PASSPHRASE: 'nouvelle phrase secrète',
    });
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ ok: true, firstBroken: null });
    expect((r.json as { entries: number }).entries).toBeGreaterThanOrEqual(4);
  });

  it('refuses to overwrite an existing case', () => {
    const r = runCli(['case', 'create', '--case', file, '--json'], P);
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'E_CASE_EXISTS' } });
  });

  it('prints help for every command', () => {
    for (const args of [
      ['--help'],
      ['case', '--help'],
      ['case', 'create', '--help'],
      ['audit', 'verify', '--help'],
    ]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: leakscope/);
    }
  });
});
