/**
 * A case written by an earlier version is upgraded when it opens, in a job worker: the engine's
 * thread stays free (timers run during the open), the upgrade reports its steps as progress (the
 * CLI prints them on stderr), keys written before are kept, and the case's lock is held from
 * before the upgrade until the case is closed.
 */
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/api';
import { createEngine } from '../../src/main/engine';
import { APPLICATION_ID, LATEST_VERSION, migrate } from '../../src/main/engine/store';
import { acquireLock } from '../../src/main/engine/store/lock';
import { LeakscopeError } from '../../src/shared/errors';
import { NATIVE_BINDING, readCase, TEST_PASSPHRASE } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { scratchDir } from '../helpers/tmp';
import { linkageCaseAt } from '../unit/migrations/linkage-helpers';

const dir = scratchDir();

/** A case as version 0110 left it: two datasets and their identity keys. */
function caseAt110(): string {
  const db = linkageCaseAt(dir, 90);
  migrate(db, new Date('2026-11-24T00:00:00Z'), 110);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  for (const ds of ['ds_1', 'ds_2']) {
    db.exec(
      `CREATE TABLE ${ds} (id INTEGER PRIMARY KEY, ordinal INTEGER NOT NULL, line INTEGER, offset INTEGER NOT NULL)`,
    );
  }
  const path = db.name;
  db.close();
  return path;
}

const lockError = (path: string): string => {
  try {
    acquireLock(path).release();
    return 'free';
  } catch (e) {
    return e instanceof LeakscopeError ? e.code : String(e);
  }
};

describe('case upgrade on open', () => {
  it('runs in a job worker with progress, keeps the keys, and holds the lock', async () => {
    const path = caseAt110();
    const engine = createEngine({
      appVersion: 'test',
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    const events: JobProgress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await expect(
        engine.call('case.open', { path, passphrase: 'not the passphrase' }),
      ).rejects.toMatchObject({ code: 'E_BAD_PASSPHRASE' });
      expect(lockError(path)).toBe('free');
      const info = await engine.call(
        'case.open',
        { path, passphrase: TEST_PASSPHRASE },
        { onProgress: (p) => events.push(p) },
      );
      expect(info.schemaVersion).toBe(LATEST_VERSION);
      // The open awaited a worker: this thread ran its timers meanwhile.
      expect(ticks).toBeGreaterThan(0);
      expect(lockError(path)).toBe('E_CASE_LOCKED');
      const steps = events.map((e) => e.step);
      expect(steps[0]).toBe('upgrading the case (1/2 identity-key-records)');
      expect(steps).toContain(
        'upgrading the case (1/2 identity-key-records): copying the identity keys, 100%',
      );
      expect(steps).toContain(
        'upgrading the case (2/2 identity-key-record-rows): folding the identity keys by record, 100%',
      );
      expect(events.find((e) => e.step.includes('copying'))).toMatchObject({ records: 4 });
      expect(steps[steps.length - 1]).toBe(
        'upgrading the case (2/2 identity-key-record-rows): writing the upgraded case',
      );
      expect((await engine.call('datasets.list', {})).datasets.map((d) => d.name)).toEqual([
        'a',
        'b',
      ]);
    } finally {
      clearInterval(timer);
      engine.close();
    }
    expect(lockError(path)).toBe('free');
    expect(
      readCase(path, (db) =>
        db.prepare('SELECT count(*) FROM identity_key_record_keys').pluck().get(),
      ),
    ).toBe(4);
  }, 60_000);

  it('the CLI prints the upgrade on stderr, then the command', () => {
    const path = caseAt110();
    const r = runCli(['case', 'info', '--case', path, '--json'], {
      LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^upgrading the case \(1\/2 identity-key-records\): 0 records/);
    expect(r.json).toMatchObject({ schemaVersion: LATEST_VERSION });
  }, 60_000);
});
