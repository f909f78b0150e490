/**
 * The case file must open in standard SQLCipher tools with nothing but the passphrase
 * (README "Opening a case elsewhere"). The oracle here is Zetetic's SQLCipher 4 library itself,
 * compiled by @journeyapps/sqlcipher, not the SQLite3MultipleCiphers build the app uses.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createCase, newCaseKey } from '../../../src/main/engine/store';
import { createTestCase, NATIVE_BINDING, TEST_PASSPHRASE } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

interface SqlcipherDb {
  serialize(fn: () => void): void;
  run(sql: string): void;
  all(sql: string, cb: (err: Error | null, rows: Record<string, unknown>[]) => void): void;
  close(cb?: () => void): void;
}
const require = createRequire(import.meta.url);
const sqlcipher = require('@journeyapps/sqlcipher') as {
  Database: new (path: string) => SqlcipherDb;
};

const dir = scratchDir();

function query(path: string, pragmas: string[], sql: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(path);
    db.serialize(() => {
      for (const p of pragmas) db.run(p);
      db.all(sql, (err, rows) => {
        db.close();
        if (err) reject(err);
        else resolve(rows);
      });
    });
  });
}

describe('SQLCipher compatibility', () => {
  it('opens in SQLCipher 4 with only PRAGMA key, and refuses a wrong key', async () => {
    const c = createTestCase(dir);
    c.db.exec("CREATE TABLE evidence (v TEXT); INSERT INTO evidence VALUES ('Élodie Marchand')");
    c.close();
    const version = await query(
      c.path,
      [`PRAGMA key = '${TEST_PASSPHRASE}'`],
      'PRAGMA cipher_version',
    );
    expect(String(version[0]!.cipher_version)).toMatch(/^4\./);
    const rows = await query(
      c.path,
      [`PRAGMA key = '${TEST_PASSPHRASE}'`],
      'SELECT v FROM evidence',
    );
    expect(rows).toEqual([{ v: 'Élodie Marchand' }]);
    const meta = await query(
      c.path,
      [`PRAGMA key = '${TEST_PASSPHRASE}'`],
      "SELECT value FROM case_meta WHERE key = 'case_id'",
    );
    expect(String(meta[0]!.value)).toMatch(/^[0-9a-f-]{36}$/);
    await expect(query(c.path, ["PRAGMA key = 'wrong'"], 'SELECT v FROM evidence')).rejects.toThrow(
      /file is not a database/,
    );
  });

  it('a case created with the derived raw key, as the engine creates it, opens with the passphrase', async () => {
    // store/case-key.ts: the engine derives the key once and creates the file with key and salt.
    const path = join(dir, 'derived.lscase');
    const c = createCase(path, newCaseKey(TEST_PASSPHRASE).create, {
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
      lock: false,
    });
    c.db.exec("CREATE TABLE evidence (v TEXT); INSERT INTO evidence VALUES ('Loïc Lefèvre')");
    c.close();
    const rows = await query(path, [`PRAGMA key = '${TEST_PASSPHRASE}'`], 'SELECT v FROM evidence');
    expect(rows).toEqual([{ v: 'Loïc Lefèvre' }]);
  });
});
