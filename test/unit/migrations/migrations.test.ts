import { describe, expect, it } from 'vitest';
import { LeakscopeError } from '../../../src/shared/errors';
import {
  assertMonotonic,
  LATEST_VERSION,
  migrate,
  MIGRATIONS,
  schemaVersion,
} from '../../../src/main/engine/store/migrations';
import type { WritableDB } from '../../../src/main/engine/store';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();

function tables(db: WritableDB): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered in steps of 10 and strictly increasing', () => {
    expect(() => assertMonotonic()).not.toThrow();
    for (const m of MIGRATIONS) expect(m.version % 10).toBe(0);
    expect(() =>
      assertMonotonic([
        { version: 20, name: 'b', up: () => {} },
        { version: 10, name: 'a', up: () => {} },
      ]),
    ).toThrow(/not above 20/);
  });

  it('0010 creates case_meta with an id and creation time', () => {
    const db = createDbAtVersion(dir, 10);
    expect(schemaVersion(db)).toBe(10);
    expect(tables(db)).toEqual(['case_meta']);
    const meta = Object.fromEntries(
      (
        db.prepare('SELECT key, value FROM case_meta').all() as { key: string; value: string }[]
      ).map((r) => [r.key, r.value]),
    );
    expect(meta.case_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(meta.created_at!)).not.toBeNaN();
    db.close();
  });

  it('0020 adds the audit log as a STRICT table', () => {
    const db = createDbAtVersion(dir, 10);
    migrate(db, new Date(), 20);
    expect(tables(db)).toContain('audit_log');
    const sql = (
      db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'audit_log'").get() as { sql: string }
    ).sql;
    expect(sql).toMatch(/STRICT/);
    db.close();
  });

  it('runs all pending migrations in one transaction: a failing step leaves nothing behind', () => {
    const db = createDbAtVersion(dir, 10);
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 10,
        name: 'boom',
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, new Date(), LATEST_VERSION + 10, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(10);
    expect(tables(db)).toEqual(['case_meta']);
    db.close();
  });

  it('refuses a database from the future', () => {
    const db = createDbAtVersion(dir, LATEST_VERSION);
    db.pragma(`user_version = ${LATEST_VERSION + 100}`);
    let err: unknown;
    try {
      migrate(db, new Date());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LeakscopeError);
    expect((err as LeakscopeError).code).toBe('E_CASE_NEWER');
    db.close();
  });
});
