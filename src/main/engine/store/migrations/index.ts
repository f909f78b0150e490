/**
 * Ordered, forward-only schema migrations (Signal-Desktop's ts/sql/migrations model).
 *
 * `PRAGMA user_version` holds the version of the last applied migration. Versions go up in steps
 * of 10; all pending migrations run in one transaction, so a case is never half-migrated; a case
 * written by a newer Leakscope (user_version above the last known migration) is refused rather
 * than opened and silently damaged.
 */
import { LeakscopeError } from '../../../../shared/errors';
import type { ReadableDB, WritableDB } from '../types';
import { up as caseMeta } from './0010-case-meta';
import { up as auditLog } from './0020-audit-log';
import { up as datasets } from './0030-datasets';
import { up as profiles } from './0040-profiles';
import { up as query } from './0050-query';
import { up as linkage } from './0060-linkage';
import { up as redaction } from './0070-redaction';
import { up as sessions } from './0080-sessions';
import { up as linkageIntegrity } from './0090-linkage-integrity';
import { up as identityKeyHashes } from './0100-identity-key-hashes';
import { up as exportHistoryPdf } from './0110-export-history-pdf';
import { up as identityKeyRecords } from './0120-identity-key-records';
import { up as identityKeyRecordRows } from './0130-identity-key-record-rows';

/** How far a long migration is: what it does now, and its units done of a total (0: unknown). */
export type MigrationStep = (step: string, done: number, total: number) => void;

/** Progress of an upgrade, as `migrate` reports it: the migration running and its step. */
export interface UpgradeProgress {
  migration: string;
  /** 1-based position of the migration among the pending ones, and their count. */
  index: number;
  count: number;
  step: string;
  done: number;
  total: number;
}

export interface Migration {
  version: number;
  name: string;
  /** `step` may be called between statements: a migration that copies much data says how far. */
  up(db: WritableDB, now: Date, step: MigrationStep): void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'case-meta', up: caseMeta },
  { version: 20, name: 'audit-log', up: auditLog },
  { version: 30, name: 'datasets', up: datasets },
  { version: 40, name: 'profiles', up: profiles },
  { version: 50, name: 'query', up: query },
  { version: 60, name: 'linkage', up: linkage },
  { version: 70, name: 'redaction', up: redaction },
  { version: 80, name: 'sessions', up: sessions },
  { version: 90, name: 'linkage-integrity', up: linkageIntegrity },
  { version: 100, name: 'identity-key-hashes', up: identityKeyHashes },
  { version: 110, name: 'export-history-pdf', up: exportHistoryPdf },
  { version: 120, name: 'identity-key-records', up: identityKeyRecords },
  { version: 130, name: 'identity-key-record-rows', up: identityKeyRecordRows },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: ReadableDB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws when the list is not strictly increasing (checked by a test and at startup). */
export function assertMonotonic(migrations: readonly Migration[] = MIGRATIONS): void {
  let last = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new Error(`migration ${m.name} has version ${m.version}, not above ${last}`);
    }
    last = m.version;
  }
}

export function assertNotFromFuture(db: ReadableDB, latest: number = LATEST_VERSION): void {
  const current = schemaVersion(db);
  if (current > latest) {
    throw new LeakscopeError(
      'E_CASE_NEWER',
      `this case was written by a newer version of Leakscope (schema ${current}, this version knows up to ${latest}); update Leakscope to open it`,
      { caseVersion: current, knownVersion: latest },
    );
  }
}

/** Applies every pending migration (up to `target`) in one transaction; returns the new version. */
export function migrate(
  db: WritableDB,
  now: Date,
  target: number = LATEST_VERSION,
  migrations: readonly Migration[] = MIGRATIONS,
  onProgress?: (p: UpgradeProgress) => void,
): number {
  assertMonotonic(migrations);
  assertNotFromFuture(db, migrations[migrations.length - 1]!.version);
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return current;
  db.transaction(() => {
    const position = (i: number) => ({
      migration: pending[i]!.name,
      index: i + 1,
      count: pending.length,
    });
    pending.forEach((m, i) => {
      const at = position(i);
      onProgress?.({ ...at, step: 'started', done: 0, total: 0 });
      m.up(db, now, (step, done, total) => onProgress?.({ ...at, step, done, total }));
    });
    // PRAGMA cannot be bound; the version is an integer from our own list.
    db.pragma(`user_version = ${pending[pending.length - 1]!.version}`);
    // The commit writes every page the upgrade changed: seconds on a large case.
    onProgress?.({
      ...position(pending.length - 1),
      step: 'writing the upgraded case',
      done: 0,
      total: 0,
    });
  }).immediate();
  return schemaVersion(db);
}
