import { spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { LeakscopeError } from '../../../src/shared/errors';
import {
  APPLICATION_ID,
  BAD_PASSPHRASE_MESSAGE,
  createCase,
  LATEST_VERSION,
  openCase,
  rekeyCase,
  schemaVersion,
} from '../../../src/main/engine/store';
import { appendAudit } from '../../../src/main/engine/audit';
import { createTestCase, NATIVE_BINDING, ROOT, TEST_PASSPHRASE } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();
const bind = NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof LeakscopeError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

const SECRETS = [
  'Hélène Dupont-Laurent',
  '2 85 07 75 116 042 61',
  'helene.dupont@orange.fr',
  '06 12 34 56 78',
];

function fileContains(path: string, needle: string): boolean {
  if (!existsSync(path)) return false;
  const bytes = readFileSync(path);
  return (
    bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))
  );
}

describe('encrypted case file', () => {
  it('keeps no plaintext in the case file or its WAL', () => {
    const c = createTestCase(dir);
    c.db.exec('CREATE TABLE people (name TEXT, nir TEXT, email TEXT, phone TEXT) STRICT');
    const insert = c.db.prepare('INSERT INTO people VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 2000; i++) insert.run(...SECRETS);
    appendAudit(c.db, {
      at: new Date(),
      action: 'test',
      params: { note: SECRETS[0] },
      result: null,
    });
    // While open, the data sits in the WAL.
    expect(existsSync(`${c.path}-wal`)).toBe(true);
    for (const s of [...SECRETS, 'CREATE TABLE', 'people', 'case_meta', 'SQLite format 3']) {
      expect(fileContains(c.path, s), `${s} in main file`).toBe(false);
      expect(fileContains(`${c.path}-wal`, s), `${s} in WAL`).toBe(false);
    }
    c.close();
    for (const s of SECRETS) expect(fileContains(c.path, s)).toBe(false);
    // Still readable with the passphrase.
    const again = openCase(c.path, TEST_PASSPHRASE, { ...bind, lock: false });
    expect((again.db.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n).toBe(
      2000,
    );
    again.close();
  });

  it('applies the mandatory connection settings', () => {
    const c = createTestCase(dir);
    expect(c.db.pragma('temp_store', { simple: true })).toBe(2);
    expect(c.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(c.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(c.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(Number(c.db.pragma('kdf_iter', { simple: true }))).toBe(256000);
    expect(schemaVersion(c.db)).toBe(LATEST_VERSION);
    c.close();
  });

  it('fails cleanly on a wrong passphrase', () => {
    const c = createTestCase(dir);
    c.close();
    expect(code(() => openCase(c.path, 'not the passphrase', { ...bind, lock: false }))).toBe(
      `E_BAD_PASSPHRASE: ${BAD_PASSPHRASE_MESSAGE}`,
    );
  });

  it('refuses files that are not Leakscope cases with the same clear error', () => {
    const plain = join(dir, 'plain.sqlite');
    const db = new Database(plain, bind);
    db.exec('CREATE TABLE t (a); INSERT INTO t VALUES (1)');
    db.close();
    expect(code(() => openCase(plain, TEST_PASSPHRASE, { ...bind, lock: false }))).toBe(
      `E_BAD_PASSPHRASE: ${BAD_PASSPHRASE_MESSAGE}`,
    );
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'nom;prenom\nDupont;Hélène\n'.repeat(500));
    expect(code(() => openCase(text, TEST_PASSPHRASE, { ...bind, lock: false }))).toMatch(
      /^E_BAD_PASSPHRASE/,
    );
    // Encrypted with the same passphrase and settings, but not ours (no application_id).
    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign, bind);
    f.pragma("cipher='sqlcipher'");
    f.pragma('legacy=4');
    f.pragma(`key='${TEST_PASSPHRASE}'`);
    f.exec('CREATE TABLE t (a)');
    f.close();
    expect(code(() => openCase(foreign, TEST_PASSPHRASE, { ...bind, lock: false }))).toMatch(
      /^E_BAD_PASSPHRASE/,
    );
  });

  it('refuses to overwrite an existing file and reports a missing one', () => {
    const c = createTestCase(dir);
    c.close();
    expect(code(() => createCase(c.path, TEST_PASSPHRASE, { ...bind, lock: false }))).toMatch(
      /^E_CASE_EXISTS/,
    );
    expect(code(() => openCase(join(dir, 'missing.lscase'), 'x', bind))).toMatch(
      /^E_CASE_NOT_FOUND/,
    );
  });

  it('rekeys: the new passphrase opens the case, the old one does not, data intact', () => {
    const c = createTestCase(dir);
    c.db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
    rekeyCase(c, 'a brand new passphrase');
    expect(c.db.pragma('journal_mode', { simple: true })).toBe('wal');
    c.close();
    expect(code(() => openCase(c.path, TEST_PASSPHRASE, { ...bind, lock: false }))).toMatch(
      /^E_BAD_PASSPHRASE/,
    );
    const again = openCase(c.path, 'a brand new passphrase', { ...bind, lock: false });
    expect(again.db.prepare('SELECT v FROM t').get()).toEqual({ v: 'kept' });
    again.close();
  });

  it('refuses a case written by a newer version', () => {
    const c = createTestCase(dir);
    c.db.pragma(`user_version = ${LATEST_VERSION + 10}`);
    c.close();
    expect(code(() => openCase(c.path, TEST_PASSPHRASE, { ...bind, lock: false }))).toMatch(
      /^E_CASE_NEWER: this case was written by a newer version of Leakscope/,
    );
  });

  it('keeps read-only and read-write handles apart', () => {
    const c = createTestCase(dir);
    c.close();
    const ro = openCase(c.path, TEST_PASSPHRASE, { ...bind, readOnly: true });
    expect(ro.readOnly).toBe(true);
    expect(() => ro.db.exec('CREATE TABLE x (a)')).toThrow(/readonly/);
    ro.close();
  });

  it('reports a case held by another process as locked', async () => {
    const c = createTestCase(dir);
    c.close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/helpers/hold-case.ts'), c.path, TEST_PASSPHRASE],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('open') && resolve());
        child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      expect(code(() => openCase(c.path, TEST_PASSPHRASE, bind))).toMatch(
        new RegExp(`^E_CASE_LOCKED: the case is open in another process \\(pid ${child.pid} `),
      );
    } finally {
      child.stdin.end();
      await new Promise((r) => child.on('exit', r));
    }
    // Released when the holder closes: opening works again.
    const again = openCase(c.path, TEST_PASSPHRASE, bind);
    again.close();
    expect(existsSync(`${c.path}.lock`)).toBe(false);
  });

  it('takes over a stale lock left by a dead process', () => {
    const c = createTestCase(dir);
    c.close();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(`${c.path}.lock`, JSON.stringify({ pid: dead, host: hostname(), at: 'x' }));
    const again = openCase(c.path, TEST_PASSPHRASE, bind);
    again.close();
  });
});
