/**
 * Opening, creating and rekeying an encrypted case file.
 *
 * Order matters (STYLE.md rule 8): cipher settings and key first, then a read that proves the key,
 * then the schema-version check, then the connection pragmas. Settings are SQLCipher 4 compatible
 * (`cipher='sqlcipher'`, `legacy=4`: AES-256-CBC, HMAC-SHA512, PBKDF2-HMAC-SHA512 256,000
 * iterations, 4 KiB pages), so the file opens in the standard `sqlcipher` shell with the same
 * passphrase. SQLite3MultipleCiphers encrypts the main file and the WAL but not temporary files:
 * `temp_store=MEMORY` is therefore mandatory and verified after it is set.
 *
 * Nothing here reads process.env or imports electron; the native binding path is passed in.
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { LeakscopeError } from '../../../shared/errors';
import { bulkExtensionPath } from './binding';
import { acquireLock, type CaseLock } from './lock';
import {
  assertNotFromFuture,
  LATEST_VERSION,
  migrate,
  schemaVersion,
  type UpgradeProgress,
} from './migrations';
import { pragmaString } from './sql';
import type { ReadableDB, WritableDB } from './types';

/** "LKSC": marks a SQLite file as a Leakscope case (PRAGMA application_id). */
export const APPLICATION_ID = 0x4c4b5343;

export const CIPHER = { name: 'sqlcipher', legacy: 4 } as const;

export const BAD_PASSPHRASE_MESSAGE = 'wrong passphrase, or not a Leakscope case';

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for this runtime (see binding.ts). */
  nativeBinding?: string;
  /** Page cache in MiB: decryption happens per cache miss, so a larger cache speeds reads. */
  cacheMiB?: number;
  /** Load the bulk-insert extension on writable connections when built (default true). */
  bulkInsert?: boolean;
  /** Take the advisory lock file (read-write opens in the owning process; not worker threads). */
  lock?: boolean;
  /** A lock on this path the caller took already: the handle releases it on close. */
  heldLock?: CaseLock;
  /** Progress of the schema upgrade this open runs, if the case needs one. */
  onUpgrade?: (p: UpgradeProgress) => void;
  now?: () => Date;
}

export interface CaseHandle<DB extends ReadableDB> {
  readonly path: string;
  readonly db: DB;
  readonly readOnly: boolean;
  close(): void;
}

export type WritableCase = CaseHandle<WritableDB>;
export type ReadableCase = CaseHandle<ReadableDB>;

function applyKey(db: Database.Database, passphrase: string): void {
  db.pragma(`cipher=${pragmaString(CIPHER.name)}`);
  db.pragma(`legacy=${CIPHER.legacy}`);
  db.pragma(`key=${pragmaString(passphrase)}`);
}

/** A read of the schema fails with SQLITE_NOTADB when the key is wrong or the file is foreign. */
function proveKey(db: Database.Database): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB')
      throw new LeakscopeError('E_BAD_PASSPHRASE', BAD_PASSPHRASE_MESSAGE);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new LeakscopeError('E_CASE_LOCKED', 'the case file is locked by another process');
    }
    throw e;
  }
}

function applyConnectionPragmas(db: Database.Database, readOnly: boolean, cacheMiB: number): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = ${-Math.round(cacheMiB * 1024)}`);
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  // Refuse to run if temp data could reach disk unencrypted.
  if (db.pragma('temp_store', { simple: true }) !== 2) {
    throw new LeakscopeError(
      'E_CASE_INSECURE',
      'temp_store=MEMORY could not be set; refusing to open',
    );
  }
}

function openConnection(
  path: string,
  readOnly: boolean,
  fileMustExist: boolean,
  opts: OpenOptions,
) {
  try {
    return new Database(path, {
      readonly: readOnly,
      fileMustExist,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN') {
      throw new LeakscopeError('E_CASE_NOT_FOUND', `cannot open the case file ${path}`);
    }
    throw e;
  }
}

function assertLeakscopeCase(db: Database.Database): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID)
    throw new LeakscopeError('E_BAD_PASSPHRASE', BAD_PASSPHRASE_MESSAGE);
}

/** Creates a new case file; refuses to overwrite anything. */
export function createCase(path: string, passphrase: string, opts: OpenOptions = {}): WritableCase {
  if (existsSync(path)) {
    throw new LeakscopeError(
      'E_CASE_EXISTS',
      `a file already exists at ${path}; choose another name`,
    );
  }
  const lock = opts.lock === false ? null : acquireLock(path);
  let db: Database.Database | null = null;
  try {
    db = openConnection(path, false, false, opts);
    applyKey(db, passphrase);
    proveKey(db);
    applyConnectionPragmas(db, false, opts.cacheMiB ?? 64);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db as WritableDB, (opts.now ?? (() => new Date()))());
    loadBulkInsert(db, opts);
    return handle(path, db as WritableDB, false, lock);
  } catch (e) {
    db?.close();
    lock?.release();
    throw e;
  }
}

export function openCase(
  path: string,
  passphrase: string,
  opts?: OpenOptions & { readOnly?: false },
): WritableCase;
export function openCase(
  path: string,
  passphrase: string,
  opts: OpenOptions & { readOnly: true },
): ReadableCase;
export function openCase(
  path: string,
  passphrase: string,
  opts: OpenOptions & { readOnly?: boolean } = {},
): WritableCase | ReadableCase {
  if (!existsSync(path)) throw new LeakscopeError('E_CASE_NOT_FOUND', `no case file at ${path}`);
  const readOnly = opts.readOnly === true;
  const lock = opts.heldLock ?? (readOnly || opts.lock === false ? null : acquireLock(path));
  let db: Database.Database | null = null;
  try {
    db = openConnection(path, readOnly, true, opts);
    applyKey(db, passphrase);
    proveKey(db);
    assertLeakscopeCase(db);
    assertNotFromFuture(db as ReadableDB);
    applyConnectionPragmas(db, readOnly, opts.cacheMiB ?? 64);
    if (readOnly) {
      if (schemaVersion(db as ReadableDB) < LATEST_VERSION) {
        throw new LeakscopeError(
          'E_CASE_NEWER',
          'this case needs a schema upgrade; open it once read-write with this version',
        );
      }
      return handle(path, db as ReadableDB, true, null);
    }
    migrate(
      db as WritableDB,
      (opts.now ?? (() => new Date()))(),
      LATEST_VERSION,
      undefined,
      opts.onUpgrade,
    );
    loadBulkInsert(db, opts);
    return handle(path, db as WritableDB, false, lock);
  } catch (e) {
    db?.close();
    lock?.release();
    throw e;
  }
}

/**
 * Whether opening the case read-write would run a schema upgrade (store/handlers.ts runs a long
 * one in a job worker). Proves the key and refuses a foreign or newer file first, as an open does.
 */
export function caseNeedsUpgrade(path: string, key: string, opts: OpenOptions = {}): boolean {
  if (!existsSync(path)) throw new LeakscopeError('E_CASE_NOT_FOUND', `no case file at ${path}`);
  const db = openConnection(path, false, true, opts);
  try {
    applyKey(db, key);
    proveKey(db);
    assertLeakscopeCase(db);
    assertNotFromFuture(db as ReadableDB);
    return schemaVersion(db as ReadableDB) < LATEST_VERSION;
  } finally {
    db.close();
  }
}

/**
 * Writable connections get the bulk-insert function (import/bulk-insert.c) when it was built
 * beside the binding. Optional by design: the import probes for it and binds record by record
 * without it, so a failure to load is not an error.
 */
function loadBulkInsert(db: Database.Database, opts: OpenOptions): void {
  const path = opts.bulkInsert === false ? undefined : bulkExtensionPath(opts.nativeBinding);
  if (!path) return;
  try {
    db.loadExtension(path);
  } catch {
    // A library for another platform or a damaged build: the import's fallback covers it.
  }
}

function handle<DB extends ReadableDB>(
  path: string,
  db: DB,
  readOnly: boolean,
  lock: CaseLock | null,
): CaseHandle<DB> {
  let open = true;
  return {
    path,
    db,
    readOnly,
    close() {
      if (!open) return;
      open = false;
      try {
        if (!readOnly) db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
        lock?.release();
      }
    },
  };
}

/**
 * Re-encrypts the case under a new passphrase. SQLite3MultipleCiphers cannot rekey in WAL mode,
 * so the journal is switched to DELETE for the rekey (after a full checkpoint) and back after.
 */
export function rekeyCase(c: WritableCase, newPassphrase: string): void {
  const { db } = c;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const mode = db.pragma('journal_mode = DELETE', { simple: true });
  if (mode !== 'delete') {
    throw new LeakscopeError(
      'E_CASE_LOCKED',
      'cannot rekey while another connection uses the case',
    );
  }
  try {
    db.pragma(`rekey=${pragmaString(newPassphrase)}`);
  } finally {
    db.pragma('journal_mode = WAL');
  }
}

export function caseFileBytes(path: string): number {
  let total = statSync(path).size;
  if (existsSync(`${path}-wal`)) total += statSync(`${path}-wal`).size;
  return total;
}
