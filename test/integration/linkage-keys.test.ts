/**
 * Identity key extraction (linkage/keys.ts): the bulk paths (record index dropped and rebuilt,
 * or kept; one sorted chunk or many) store exactly the same keys, leave the schema as the
 * migrations made it, and a cancelled extraction leaves neither partial keys nor a missing index.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractKeys, hasKeys } from '../../src/main/engine/linkage/keys';
import type { WritableCase } from '../../src/main/engine/store';
import { generateFile } from '../fixtures/gen';
import { createTestCase } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';
import { importWithSteps } from './linkage-fixtures';

const dir = scratchDir('leakscope-linkage-keys-');
let c: WritableCase;
let a: { id: number; name: string; rows: number };
let b: { id: number; name: string; rows: number };

function keysOf(id: number): string[] {
  return (
    c.db
      .prepare(
        'SELECT kind, key, row_id, coalesce(dob, 0) AS dob FROM identity_keys WHERE dataset_id = ? ORDER BY kind, key, row_id',
      )
      .raw(true)
      .safeIntegers(true)
      .all(id) as unknown[][]
  ).map((r) => r.join('\u0001'));
}

function recordIndex(): string | undefined {
  return (
    c.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'identity_keys_record'").get() as
      { sql: string } | undefined
  )?.sql;
}

beforeAll(async () => {
  const file = join(dir, 'people.csv');
  await generateFile({ seed: 7, rows: 1500, format: 'csv', out: file });
  c = createTestCase(dir);
  a = await importWithSteps(c.db, file, 'a');
  b = await importWithSteps(c.db, file, 'b');
}, 120_000);

afterAll(() => c?.close());

describe('identity key extraction', () => {
  it('the post-import step stored the keys of both datasets, with the record index', () => {
    expect(hasKeys(c.db, a.id)).toBe(true);
    expect(hasKeys(c.db, b.id)).toBe(true);
    expect(keysOf(a.id).length).toBeGreaterThan(a.rows * 5);
    // Same file twice: same keys.
    expect(keysOf(b.id)).toEqual(keysOf(a.id));
    expect(recordIndex()).toMatch(/ON identity_keys \(dataset_id, row_id\)/);
  });

  it('gives the same keys whatever the chunking and index strategy', () => {
    const reference = keysOf(a.id);
    const cache = c.db.pragma('cache_size', { simple: true }) as number;
    const threads = c.db.pragma('threads', { simple: true }) as number;
    const byKind = extractKeys(c.db, a.id).byKind;
    for (const tuning of [
      { rebuildIndex: true, chunkRows: 1000 },
      { rebuildIndex: false, chunkRows: 1000 },
      { rebuildIndex: false },
      { rebuildIndex: true, chunkRows: 1, cacheMiB: 0 },
    ]) {
      const r = extractKeys(c.db, a.id, {}, tuning);
      expect(keysOf(a.id)).toEqual(reference);
      expect(r.byKind).toEqual(byKind);
      expect(recordIndex()).toMatch(/ON identity_keys \(dataset_id, row_id\)/);
    }
    expect(keysOf(b.id)).toEqual(reference);
    expect(c.db.pragma('foreign_key_check')).toEqual([]);
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The staging table is gone and the page cache is back to the connection's setting.
    expect(
      c.db.prepare("SELECT name FROM temp.sqlite_schema WHERE name = 'lk_key_stage'").get(),
    ).toBeUndefined();
    expect(c.db.pragma('cache_size', { simple: true })).toBe(cache);
    expect(c.db.pragma('threads', { simple: true })).toBe(threads);
  });

  it('a cancelled extraction rolls back: old keys kept, record index kept', () => {
    const before = keysOf(b.id);
    // Aborted before the first page: after the old keys were deleted and the index dropped.
    const ac = new AbortController();
    ac.abort();
    expect(() => extractKeys(c.db, b.id, { signal: ac.signal }, { rebuildIndex: true })).toThrow();
    expect(keysOf(b.id)).toEqual(before);
    expect(hasKeys(c.db, b.id)).toBe(true);
    expect(recordIndex()).toMatch(/ON identity_keys \(dataset_id, row_id\)/);
  });

  it('deleting a dataset takes its keys with it (migration 0090)', () => {
    const n = keysOf(b.id).length;
    expect(n).toBeGreaterThan(0);
    c.db.prepare('DELETE FROM datasets WHERE id = ?').run(b.id);
    expect(keysOf(b.id)).toEqual([]);
    expect(hasKeys(c.db, b.id)).toBe(false);
    expect(keysOf(a.id).length).toBe(n);
  });
});
