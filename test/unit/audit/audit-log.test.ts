import { describe, expect, it } from 'vitest';
import {
  appendAudit,
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  listAudit,
  verifyAudit,
} from '../../../src/main/engine/audit';
import { createTestCase } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();

function caseWithEntries(n: number) {
  const c = createTestCase(dir);
  for (let i = 1; i <= n; i++) {
    appendAudit(c.db, {
      at: new Date(Date.UTC(2026, 10, 23, 9, 0, i)),
      action: i % 2 ? 'rows.page' : 'export.start',
      params: {
        dataset: 'ft-2024',
        filter: { column: 'email', op: 'endsWith', value: '@orange.fr' },
        i,
      },
      result: { rows: i * 10 },
    });
  }
  return c;
}

describe('canonical JSON', () => {
  it('sorts keys recursively and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'é', null], c: true }, u: undefined })).toBe(
      '{"a":{"c":true,"d":[1,"é",null]},"b":1}',
    );
  });
  it('refuses values JSON cannot represent faithfully', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('hash-chained audit log', () => {
  it('chains each entry to the previous one', () => {
    const c = caseWithEntries(3);
    const entries = listAudit(c.db, 0, 10);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[2]!.hash).toBe(
      entryHash(entries[1]!.hash, {
        seq: 3,
        at: '2026-11-23T09:00:03.000Z',
        action: 'rows.page',
        params: entries[2]!.params,
        result: { rows: 30 },
      }),
    );
    expect(verifyAudit(c.db)).toEqual({ ok: true, entries: 3, firstBroken: null, reason: null });
    c.close();
  });

  it('detects an edited entry and names it', () => {
    const c = caseWithEntries(6);
    c.db
      .prepare(
        "UPDATE audit_log SET params = replace(params, 'orange.fr', 'free.fr') WHERE seq = 4",
      )
      .run();
    const r = verifyAudit(c.db);
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toBe(4);
    expect(r.reason).toMatch(/entry 4 was modified/);
    c.close();
  });

  it('detects an edit even when the hash is recomputed (the next link breaks)', () => {
    const c = caseWithEntries(5);
    const e2 = listAudit(c.db, 1, 1)[0]!;
    const forged = entryHash(e2.prevHash, { ...e2, result: { rows: 0 } });
    c.db
      .prepare('UPDATE audit_log SET result = \'{"rows":0}\', hash = ? WHERE seq = 2')
      .run(forged);
    const r = verifyAudit(c.db);
    expect(r.firstBroken).toBe(3);
    expect(r.reason).toMatch(/entry 3 does not link/);
    c.close();
  });

  it('detects a deleted entry in the middle', () => {
    const c = caseWithEntries(6);
    c.db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    const r = verifyAudit(c.db);
    expect(r).toMatchObject({ ok: false, firstBroken: 3 });
    expect(r.reason).toMatch(/entry 3 is missing/);
    c.close();
  });

  it('detects deletion of the newest entries through the chain head', () => {
    const c = caseWithEntries(6);
    c.db.prepare('DELETE FROM audit_log WHERE seq >= 5').run();
    const r = verifyAudit(c.db);
    expect(r).toMatchObject({ ok: false, firstBroken: 5 });
    expect(r.reason).toMatch(/entries 5 to 6 were deleted/);
    c.close();
  });

  it('detects entries appended outside Leakscope', () => {
    const c = caseWithEntries(2);
    const last = listAudit(c.db, 1, 1)[0]!;
    const at = '2026-11-23T10:00:00.000Z';
    const hash = entryHash(last.hash, { seq: 3, at, action: 'fake', params: {}, result: {} });
    c.db
      .prepare('INSERT INTO audit_log VALUES (3, ?, ?, ?, ?, ?, ?)')
      .run(at, 'fake', '{}', '{}', last.hash, hash);
    expect(verifyAudit(c.db)).toMatchObject({ ok: false, firstBroken: 3 });
    c.close();
  });
});
