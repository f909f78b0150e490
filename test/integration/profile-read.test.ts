/**
 * The profiler's packed read (one string per record, built by SQLite) against the plain one
 * (one value at a time, fed to ProfileAccumulator.row): the same profile, including NULLs,
 * empty and whitespace-only values, non-BMP characters, the exact-distinct bound, and records
 * whose values hold the packing's separator (read again column by column).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/main/engine/import/pipeline';
import { profileDataset } from '../../src/main/engine/profile';
import {
  packedReadSql,
  ProfileAccumulator,
  type ProfileColumn,
} from '../../src/main/engine/profile/profiler';
import { sqlId } from '../../src/main/engine/store';
import type { ReadableDB } from '../../src/main/engine/store/types';
import { createTestCase, NATIVE_BINDING } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();
const NOW = new Date('2026-01-01T00:00:00Z');

/** The profile as the plain read computes it. */
function plainProfile(db: ReadableDB, datasetId: number) {
  const d = db.prepare('SELECT id, name, physical FROM datasets WHERE id = ?').get(datasetId) as {
    id: number;
    name: string;
    physical: string;
  };
  const columns = db
    .prepare('SELECT idx, name, path FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
    .all(datasetId) as ProfileColumn[];
  const acc = new ProfileAccumulator(columns);
  const sql = `SELECT ${columns.map((c) => sqlId(`c_${c.idx}`)).join(', ')} FROM ${sqlId(d.physical)} ORDER BY id`;
  for (const row of db.prepare(sql).raw(true).iterate() as IterableIterator<(string | null)[]>) {
    acc.row(row);
  }
  return acc.finish(d, { now: NOW, started: performance.now() });
}

function comparable(p: ReturnType<typeof plainProfile>) {
  return { ...p, seconds: 0, profiledAt: '' };
}

function importJson(rows: unknown[], name: string) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(rows));
  const c = createTestCase(dir);
  return { c, done: runImport(c.db, { path: file, format: 'auto', encoding: 'auto' }) };
}

describe('packed read of the profiler', () => {
  it('gives the same profile as reading value by value', async () => {
    const pick = <T>(i: number, xs: readonly T[]) => xs[(i * 7919) % xs.length]!;
    const rows = [];
    for (let i = 0; i < 12_000; i++) {
      const r: Record<string, unknown> = {
        name: pick(i, ['Jean', 'Marie', '  ', '', 'Zoé 😀', ' a b ', '\u00a0x\u00a0', null, '\t']),
        val: pick(i + 3, ['1', '2', null, '', ' ', '\u2003']),
        // 10 001 distinct values: one past the exact bound.
        k: String(i % 10_001),
        m: String(i % 10_000),
        email: i % 7 === 0 ? null : `user${i % 5000}@example.fr`,
      };
      if (i % 11 === 0) delete r.email;
      rows.push(r);
    }
    const { c, done } = importJson(rows, 'mixed');
    try {
      const r = await done;
      const id = r.datasets[0]!.id;
      const packed = await profileDataset(c.db, id, { now: () => NOW });
      expect(comparable(packed)).toEqual(comparable(plainProfile(c.db, id)));
      const byName = Object.fromEntries(packed.columns.map((x) => [x.name, x]));
      expect(byName.m).toMatchObject({ distinct: 10_000, distinctExact: true });
      expect(byName.k).toMatchObject({ distinctExact: false });
      expect(byName.name!.nulls).toBeGreaterThan(0);
      expect(byName.name!.empty).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });

  it('reads records whose values hold the separator column by column', async () => {
    const rows = [];
    for (let i = 0; i < 3000; i++) {
      rows.push({ a: i % 5 === 0 ? `x\u001fy${i % 3}` : `v${i % 4}`, b: i % 2 ? 'b' : null });
    }
    const { c, done } = importJson(rows, 'separator');
    try {
      const r = await done;
      const id = r.datasets[0]!.id;
      const packed = await profileDataset(c.db, id, { now: () => NOW });
      const plain = plainProfile(c.db, id);
      // Counts, distinct values and top values are exact whatever the order records are read in.
      for (const [i, col] of packed.columns.entries()) {
        const ref = plain.columns[i]!;
        expect(col).toMatchObject({
          nonEmpty: ref.nonEmpty,
          empty: ref.empty,
          nulls: ref.nulls,
          distinct: ref.distinct,
          top: ref.top,
          length: ref.length,
        });
      }
      expect(packed.columns[0]!.top.find((t) => t.value === 'x\u001fy0')?.count).toBe(200);
      expect(packed.summary.inventory).toEqual(plain.summary.inventory);
    } finally {
      c.close();
    }
  });

  it('wide tables: the packed read nests concat_ws groups and masks span several words', () => {
    const db = new Database(':memory:', NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {});
    try {
      const width = 1200;
      const columns: ProfileColumn[] = [];
      for (let i = 1; i <= width; i++) columns.push({ idx: i, name: `c${i}`, path: `c${i}` });
      const names = columns.map((c) => sqlId(`c_${c.idx}`));
      db.exec(
        `CREATE TABLE t (id INTEGER PRIMARY KEY, ${names.map((x) => `${x} TEXT`).join(', ')})`,
      );
      const insert = db.prepare(`INSERT INTO t VALUES (?, ${names.map(() => '?').join(', ')})`);
      for (let r = 1; r <= 50; r++) {
        insert.run(r, ...columns.map((c) => ((c.idx + r) % 7 === 0 ? null : `${c.idx % (r + 2)}`)));
      }
      const packed = new ProfileAccumulator(columns);
      const plain = new ProfileAccumulator(columns);
      const st = db.prepare(packedReadSql('t', columns)).pluck(true);
      for (const s of st.iterate(0, 1000) as IterableIterator<string>) {
        expect(packed.packed(s)).toBe(true);
      }
      for (const row of db
        .prepare(`SELECT ${names.join(', ')} FROM t ORDER BY id`)
        .raw(true)
        .iterate() as IterableIterator<(string | null)[]>) {
        plain.row(row);
      }
      const ds = { id: 1, name: 't' };
      const a = comparable(packed.finish(ds, { now: NOW, started: 0 }));
      const b = comparable(plain.finish(ds, { now: NOW, started: 0 }));
      expect(a).toEqual(b);
      expect(a.columns[5]!.nulls).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
