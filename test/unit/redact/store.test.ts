/**
 * Migration 0070 (saved policies, the per-case pseudonym secret, export history) and the store
 * functions over it: the secret is created on first use only, stays the same afterwards, is 32
 * bytes and one row; policies round-trip and upgrade through restorePolicy; built-ins cannot be
 * replaced; the history query the export list runs uses its index.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICIES, restorePolicy } from '../../../src/shared/redaction';
import { ensureCaseSecret, loadCaseSecret } from '../../../src/main/engine/redact/keys';
import {
  deletePolicy,
  getPolicy,
  listPolicies,
  resolvePolicy,
  savePolicy,
} from '../../../src/main/engine/redact/policies';
import { migrate, schemaVersion } from '../../../src/main/engine/store/migrations';
import type { WritableDB } from '../../../src/main/engine/store';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();
const NOW = new Date('2025-02-03T04:05:06Z');

function fresh(): WritableDB {
  const db = createDbAtVersion(dir, 60);
  migrate(db, NOW, 70);
  return db;
}

describe('migration 0070-redaction', () => {
  it('adds three STRICT tables and bumps the version to 70', () => {
    const db = fresh();
    expect(schemaVersion(db)).toBe(70);
    const tables = db
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN ('redaction_policies', 'redaction_secret', 'export_history') ORDER BY name",
      )
      .all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual([
      'export_history',
      'redaction_policies',
      'redaction_secret',
    ]);
    for (const t of tables) expect(t.sql).toMatch(/\) STRICT$/);
    expect(
      (
        db
          .prepare(
            'EXPLAIN QUERY PLAN SELECT * FROM export_history WHERE dataset_id = ? ORDER BY at',
          )
          .all(1) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join(' | '),
    ).toMatch(/USING INDEX export_history_dataset/);
  });

  it('holds one 32-byte secret, created on first use and stable afterwards', () => {
    const db = fresh();
    expect(loadCaseSecret(db)).toBeNull();
    const s1 = ensureCaseSecret(db, NOW);
    expect(s1.length).toBe(32);
    expect(ensureCaseSecret(db, NOW).equals(s1)).toBe(true);
    expect(loadCaseSecret(db)!.equals(s1)).toBe(true);
    expect(() =>
      db
        .prepare(
          "INSERT INTO redaction_secret (id, secret, created_at) VALUES (2, zeroblob(32), 'x')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE redaction_secret SET secret = zeroblob(16)').run()).toThrow(
      /CHECK/,
    );
    const other = fresh();
    expect(ensureCaseSecret(other, NOW).equals(s1)).toBe(false);
  });
});

describe('saved policies', () => {
  it('round-trip, list after the built-ins, and can be deleted', () => {
    const db = fresh();
    const p = restorePolicy({ version: 1, name: 'cnil', kinds: { email: { op: 'drop' } } });
    expect(savePolicy(db, p, NOW)).toEqual({ name: 'cnil', created: true });
    expect(savePolicy(db, p, NOW)).toEqual({ name: 'cnil', created: false });
    expect(() => savePolicy(db, p, NOW, false)).toThrow(/already exists/);
    expect(getPolicy(db, 'cnil')).toEqual(p);
    expect(listPolicies(db).map((x) => [x.name, x.builtIn, x.updatedAt])).toEqual([
      ['share-with-authority', true, null],
      ['publish-statistics', true, null],
      ['internal', true, null],
      ['cnil', false, NOW.toISOString()],
    ]);
    expect(resolvePolicy(db, 'internal')).toBe(BUILTIN_POLICIES.internal);
    expect(resolvePolicy(db, { version: 1, name: 'inline' }).name).toBe('inline');
    expect(() => resolvePolicy(db, { version: 1 })).toThrow(/not a valid redaction policy: name/);
    expect(deletePolicy(db, 'cnil')).toBe(true);
    expect(deletePolicy(db, 'cnil')).toBe(false);
    expect(() => getPolicy(db, 'cnil')).toThrow(
      /no redaction policy named "cnil"; known policies: "share-with-authority"/,
    );
  });

  it('refuses to replace or delete a built-in policy', () => {
    const db = fresh();
    expect(() =>
      savePolicy(db, { ...BUILTIN_POLICIES.internal!, description: 'mine' }, NOW),
    ).toThrow(/built-in/);
    expect(() => deletePolicy(db, 'share-with-authority')).toThrow(/built-in/);
  });
});
