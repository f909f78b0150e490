/**
 * Test helpers for encrypted cases (Signal's createDB / updateToVersion): a fresh case per call,
 * a raw connection at a chosen migration version, and reads through a read-only connection.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import {
  createCase,
  migrate,
  openCase,
  pragmaString,
  resolveNativeBinding,
} from '../../src/main/engine/store';
import type { ReadableDB, WritableCase, WritableDB } from '../../src/main/engine/store';

export const ROOT = join(import.meta.dirname, '..', '..');
export const NATIVE_BINDING = resolveNativeBinding(ROOT);
export const TEST_PASSPHRASE = 'correct horse battery staple';

let counter = 0;

export function createTestCase(dir: string, passphrase = TEST_PASSPHRASE): WritableCase {
  counter++;
  return createCase(join(dir, `case-${process.pid}-${counter}.lscase`), passphrase, {
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    lock: false,
  });
}

/** An encrypted database migrated only up to `version`, to test one migration at a time. */
export function createDbAtVersion(dir: string, version: number): WritableDB {
  counter++;
  const db = new Database(join(dir, `raw-${process.pid}-${counter}.db`), {
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
  db.pragma(`key=${pragmaString(TEST_PASSPHRASE)}`);
  migrate(db as WritableDB, new Date(), version);
  return db as WritableDB;
}

/** Runs `read` on its own read-only connection to the case (WAL lets it read beside a writer). */
export function readCase<T>(casePath: string, read: (db: ReadableDB) => T): T {
  const c = openCase(casePath, TEST_PASSPHRASE, {
    readOnly: true,
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  try {
    return read(c.db);
  } finally {
    c.close();
  }
}
