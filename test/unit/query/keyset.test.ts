/**
 * Keyset pagination: walking every page with cursors gives exactly the full sorted order (one
 * and several sort keys, ascending and descending, NULLs and ties, with filters and search), the
 * sort index is built once and kept, and cursors are opaque, bound to their query and case, and
 * refused when altered.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../../src/main/engine/import/pipeline';
import { SORT_INDEX_MIN_ROWS } from '../../../src/main/engine/query/indexes';
import { decodeCursor, encodeCursor } from '../../../src/main/engine/query/keyset';
import type { WritableCase } from '../../../src/main/engine/store';
import type { RowRecord } from '../../../src/shared/api';
import { scratchDir } from '../../helpers/tmp';
import { allRows, importGenerated, query, testCase } from './helpers';

const dir = scratchDir('leakscope-query-keyset-');
let c: WritableCase;

// 60 records with many ties and missing values in `k` and `g`.
const N = 60;
beforeAll(async () => {
  c = testCase(dir);
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const rec: Record<string, string | null> = {
      k: i % 7 === 0 ? null : `v${(i * 37) % 5}`,
      g: i % 3 === 0 ? null : String.fromCharCode(65 + (i % 4)),
      n: String(i),
    };
    lines.push(JSON.stringify(rec));
  }
  const file = join(dir, 'ties.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await runImport(c.db, { path: file, name: 'ties', format: 'ndjson', encoding: 'auto' });
});
afterAll(() => c?.close());

/** Reference order: SQLite's (NULL first ascending, last descending), id following the last key. */
function sorted(rows: RowRecord[], keys: { column: string; desc: boolean }[]): number[] {
  const idDesc = keys.length ? keys[keys.length - 1]!.desc : false;
  const cmp = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      for (const k of keys) {
        const d = cmp(a.values[k.column] ?? null, b.values[k.column] ?? null);
        if (d) return k.desc ? -d : d;
      }
      return idDesc ? b.id - a.id : a.id - b.id;
    })
    .map((r) => r.id);
}

describe('keyset pages', () => {
  const sorts: { column: string; desc: boolean }[][] = [
    [],
    [{ column: 'k', desc: false }],
    [{ column: 'k', desc: true }],
    [
      { column: 'k', desc: false },
      { column: 'g', desc: true },
    ],
    [
      { column: 'g', desc: true },
      { column: 'k', desc: false },
    ],
    [
      { column: 'g', desc: true },
      { column: 'k', desc: true },
      { column: 'n', desc: false },
    ],
  ];
  for (const sort of sorts) {
    for (const limit of [1, 4, 7, 100]) {
      it(`walks ${JSON.stringify(sort)} by ${limit}`, async () => {
        const all = await allRows(c.db, { dataset: 'ties', limit: 1000 });
        expect(all).toHaveLength(N);
        const walked = await allRows(c.db, { dataset: 'ties', sort, limit });
        expect(walked.map((r) => r.id)).toEqual(sorted(all, sort));
      });
    }
  }

  it('pages a filtered and sorted result', async () => {
    const filter = { column: 'g', op: 'notEmpty' } as const;
    const sort = [{ column: 'k', desc: true }];
    const all = (await allRows(c.db, { dataset: 'ties', limit: 1000 })).filter((r) => r.values.g);
    const walked = await allRows(c.db, { dataset: 'ties', filter, sort, limit: 3 });
    expect(walked.map((r) => r.id)).toEqual(sorted(all, sort));
  });

  it('says where the last page is and counts exactly on a short first page', async () => {
    const p = await query(c.db, { dataset: 'ties', limit: N });
    expect(p.rows).toHaveLength(N);
    expect(p.cursor).toBeNull();
    expect(p).toMatchObject({ total: N, totalExact: true });
    const f = await query(c.db, {
      dataset: 'ties',
      filter: { column: 'k', op: 'equals', value: 'v1' },
      limit: 1000,
    });
    expect(f.cursor).toBeNull();
    expect(f.total).toBe(f.rows.length);
    expect(f.totalExact).toBe(true);
  });
});

describe('cursors', () => {
  it('are opaque: no record value appears in them', async () => {
    const p = await query(c.db, {
      dataset: 'ties',
      sort: [{ column: 'k', desc: false }],
      limit: 10,
    });
    const cursor = p.cursor!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(decoded).not.toMatch(/v[0-4]/);
  });

  it('refuses an altered cursor', async () => {
    const p = await query(c.db, {
      dataset: 'ties',
      sort: [{ column: 'k', desc: false }],
      limit: 10,
    });
    const cursor = p.cursor!;
    const flipped = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
    for (const bad of [flipped, cursor.slice(0, -2), 'not*base64', 'AAAA', `${cursor}AA`]) {
      await expect(
        query(c.db, {
          dataset: 'ties',
          sort: [{ column: 'k', desc: false }],
          limit: 10,
          cursor: bad,
        }),
      ).rejects.toMatchObject({
        code: 'E_BAD_INPUT',
        message: expect.stringMatching(/invalid cursor/),
      });
    }
  });

  it('refuses a cursor of another query or another case', async () => {
    const p = await query(c.db, {
      dataset: 'ties',
      sort: [{ column: 'k', desc: false }],
      limit: 10,
    });
    await expect(
      query(c.db, {
        dataset: 'ties',
        sort: [{ column: 'k', desc: true }],
        limit: 10,
        cursor: p.cursor!,
      }),
    ).rejects.toMatchObject({
      code: 'E_BAD_INPUT',
      message: expect.stringMatching(/another query/),
    });
    await expect(
      query(c.db, {
        dataset: 'ties',
        sort: [{ column: 'k', desc: false }],
        filter: { column: 'g', op: 'empty' },
        cursor: p.cursor!,
      }),
    ).rejects.toMatchObject({ code: 'E_BAD_INPUT' });
    const other = testCase(dir);
    try {
      expect(() => decodeCursor(other.db, p.cursor!, 'x'.repeat(24), 1)).toThrow(/invalid cursor/);
    } finally {
      other.close();
    }
  });

  it('validates the decrypted payload', () => {
    const forged = encodeCursor(c.db, { q: 'q'.repeat(24), k: ['a', 'b'], id: 3 });
    expect(decodeCursor(c.db, forged, 'q'.repeat(24), 2)).toEqual({
      v: 1,
      q: 'q'.repeat(24),
      k: ['a', 'b'],
      id: 3,
    });
    expect(() => decodeCursor(c.db, forged, 'q'.repeat(24), 1)).toThrow(/invalid cursor/);
  });
});

describe('sort indexes', () => {
  it('are built on demand for large datasets, recorded and kept; deep pages seek', async () => {
    const g = testCase(dir);
    try {
      const rows = SORT_INDEX_MIN_ROWS + 500;
      await importGenerated(g.db, dir, 'big', rows, 5);
      const first = await query(g.db, {
        dataset: 'big',
        sort: [{ column: 'nom', desc: false }],
        limit: 5,
      });
      expect(first.notes.join(' ')).toMatch(/built the index of "nom"/);
      const recorded = g.db.prepare('SELECT name FROM column_indexes').all() as { name: string }[];
      expect(recorded).toEqual([{ name: 'ix_ds_1_c_1' }]);
      const again = await query(g.db, {
        dataset: 'big',
        sort: [{ column: 'nom', desc: true }],
        limit: 5,
      });
      expect(again.notes.join(' ')).not.toMatch(/built the index/);
      // The plan of a page after a cursor is an index seek, not a scan and sort.
      const plan = g.db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT t.id FROM "ds_1" t WHERE t."c_1" > ? ORDER BY t."c_1", t.id LIMIT 5',
        )
        .all('M') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(
        /SEARCH t USING (COVERING )?INDEX ix_ds_1_c_1/,
      );
      // A walk from a deep cursor continues in order.
      const deep = await query(g.db, {
        dataset: 'big',
        sort: [{ column: 'nom', desc: false }],
        limit: 1000,
      });
      const next = await query(g.db, {
        dataset: 'big',
        sort: [{ column: 'nom', desc: false }],
        limit: 3,
        cursor: deep.cursor!,
      });
      const expected = g.db
        .prepare('SELECT id FROM ds_1 ORDER BY c_1, id LIMIT 3 OFFSET 1000')
        .all() as { id: number }[];
      expect(next.rows.map((r) => r.id)).toEqual(expected.map((e) => e.id));
    } finally {
      g.close();
    }
  });
});
