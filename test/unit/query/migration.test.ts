/**
 * Migration 0050 (the query layer's bookkeeping): the search-index and column-index registries,
 * and the per-case cursor key.
 */
import { describe, expect, it } from 'vitest';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir('leakscope-query-migration-');

describe('migration 0050', () => {
  it('creates search_indexes, column_indexes and a random cursor key', () => {
    const a = createDbAtVersion(dir, 50);
    const b = createDbAtVersion(dir, 50);
    const tables = (
      a.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['search_indexes', 'column_indexes']));
    const key = (db: typeof a) =>
      (
        db.prepare("SELECT value FROM case_meta WHERE key = 'cursor_key'").get() as {
          value: string;
        }
      ).value;
    expect(key(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(key(a)).not.toBe(key(b));
    expect(() =>
      a
        .prepare(
          "INSERT INTO search_indexes (dataset_id, fts_table, tokenizer, status, started_at) VALUES (1, 'fts_1', 't', 'done', 'x')",
        )
        .run(),
    ).toThrow(/CHECK|FOREIGN KEY/);
    a.close();
    b.close();
  });
});
