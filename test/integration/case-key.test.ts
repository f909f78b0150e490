/**
 * The case key derived once by the engine (store/case-key.ts): a case created with it is the same
 * SQLCipher 4 file a passphrase would give (both open it), a case created with the passphrase
 * opens with the derived key, a wrong passphrase is still refused as one, and the job workers the
 * engine starts open the case with the key it hands them, also after a rekey.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import {
  caseKeyFor,
  createCase,
  newCaseKey,
  openCase,
  rekeyCase,
} from '../../src/main/engine/store';
import { CASE_KDF } from '../../src/main/engine/store/case-key';
import { LeakscopeError } from '../../src/shared/errors';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();
const bind = { ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}), lock: false };
let n = 0;
const newPath = () => join(dir, `key-${++n}.lscase`);

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof LeakscopeError) return e.code;
    throw e;
  }
  return 'no error';
}

function readBack(path: string, key: string): unknown {
  const c = openCase(path, key, { ...bind, readOnly: true });
  try {
    return c.db.prepare('SELECT v FROM t').get();
  } finally {
    c.close();
  }
}

describe('case key', () => {
  it('a case created with the derived key opens with the passphrase and with the key', () => {
    const path = newPath();
    const key = newCaseKey('pässwörd à la française');
    expect(key.create).toMatch(/^x'[0-9a-f]{96}'$/);
    expect(key.open).toBe(key.create.slice(0, 66) + "'");
    const c = createCase(path, key.create, bind);
    c.db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
    c.close();
    // The salt the key was derived with is the one the file carries.
    const salt = readFileSync(path).subarray(0, CASE_KDF.saltBytes).toString('hex');
    expect(key.create.slice(66, -1)).toBe(salt);
    expect(readBack(path, 'pässwörd à la française')).toEqual({ v: 'kept' });
    expect(readBack(path, key.open)).toEqual({ v: 'kept' });
    expect(caseKeyFor(path, 'pässwörd à la française')).toBe(key.open);
  });

  it('a case created with the passphrase opens with the key derived from its salt', () => {
    const path = newPath();
    const c = createCase(path, TEST_PASSPHRASE, bind);
    c.db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('old case')");
    c.close();
    const key = caseKeyFor(path, TEST_PASSPHRASE);
    expect(key).toMatch(/^x'[0-9a-f]{64}'$/);
    expect(readBack(path, key)).toEqual({ v: 'old case' });
    expect(errorCode(() => readBack(path, caseKeyFor(path, 'not the passphrase')))).toBe(
      'E_BAD_PASSPHRASE',
    );
  });

  it('keeps what is not a case file to the open, and raw keys as written', () => {
    expect(caseKeyFor(join(dir, 'missing.lscase'), 'p')).toBe('p');
    const folder = join(dir, 'folder.lscase');
    mkdirSync(folder);
    expect(caseKeyFor(folder, 'p')).toBe('p');
    const short = join(dir, 'short.lscase');
    writeFileSync(short, 'tiny');
    expect(caseKeyFor(short, 'p')).toBe('p');
    const raw = `x'${'ab'.repeat(32)}${'cd'.repeat(16)}'`;
    expect(caseKeyFor(short, raw)).toBe(`x'${'ab'.repeat(32)}'`);
    expect(newCaseKey(raw)).toEqual({ create: raw, open: `x'${'ab'.repeat(32)}'` });
  });

  it('the engine refuses a wrong passphrase and its jobs open the case, also after a rekey', async () => {
    const path = newPath();
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, 'nom;prenom\nDUPONT;Hélène\nMARTIN;Loïc\n');
    const engine = createEngine({
      appVersion: 'test',
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    try {
      await engine.call('case.create', { path, passphrase: TEST_PASSPHRASE });
      // The import runs in a job worker, which opens the case with the engine's key.
      expect((await engine.call('import.run', { path: csv })).rows).toBe(2);
      await engine.call('case.close', {});
      await expect(
        engine.call('case.open', { path, passphrase: 'not the passphrase' }),
      ).rejects.toMatchObject({ code: 'E_BAD_PASSPHRASE' });
      await engine.call('case.open', { path, passphrase: TEST_PASSPHRASE });
      await engine.call('case.rekey', { newPassphrase: 'a brand new passphrase' });
      expect((await engine.call('import.run', { path: csv })).rows).toBe(2);
      expect((await engine.call('datasets.list', {})).datasets).toHaveLength(2);
    } finally {
      engine.close();
    }
    expect(errorCode(() => openCase(path, TEST_PASSPHRASE, bind))).toBe('E_BAD_PASSPHRASE');
    const c = openCase(path, 'a brand new passphrase', bind);
    expect((c.db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n).toBe(2);
    c.close();
  }, 60_000);

  it('a rekey by the store keeps a key that the new passphrase derives', () => {
    const path = newPath();
    const c = createCase(path, newCaseKey(TEST_PASSPHRASE).create, bind);
    c.db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('rekeyed')");
    rekeyCase(c, 'another one');
    c.close();
    expect(readBack(path, caseKeyFor(path, 'another one'))).toEqual({ v: 'rekeyed' });
  });
});
