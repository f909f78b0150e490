/**
 * Profiling in the import's pass (profile/import-pass.ts) against profiling by reading the stored
 * table afterwards (`profileDataset`, the `profile.run` path): the same profile, value for value,
 * on generated leaks with NULLs and blanks, rejects, several datasets per import (SQL dump with
 * two tables, zip with two members), and JSON records that add columns late, enough of them to
 * make the table wide (multi-word presence masks, a smaller record sample). A cancelled import
 * hands no profile over; the import job's post-import steps store the pass's profile, then
 * compute linkage keys from it.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetProfile, ImportResult } from '../../src/shared/api';
import { runImport } from '../../src/main/engine/import/pipeline';
import { runPostImport } from '../../src/main/engine/jobs/post-import';
import { JOBS } from '../../src/main/engine/jobs/registry';
import {
  ImportProfiles,
  loadProfile,
  profileDataset,
  profileFromPass,
} from '../../src/main/engine/profile';
import { ProfileAccumulator } from '../../src/main/engine/profile/profiler';
import type { WritableCase } from '../../src/main/engine/store';
import { generateFile, generateRows, makeStyle } from '../fixtures/gen';
import { createTestCase } from '../helpers/case';
import {
  comparable,
  importCancelledAfterFirstBatch,
  now,
  twoTableDump,
  zipOf,
} from '../helpers/profile';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();

afterEach(() => {
  vi.restoreAllMocks();
});

/** Imports `file` with the pass on; returns the case, the result and the pass. */
async function importWithPass(
  file: string,
  pass = new ImportProfiles(),
): Promise<{ c: WritableCase; r: ImportResult; pass: ImportProfiles }> {
  const c = createTestCase(dir);
  const r = await runImport(
    c.db,
    { path: file, format: 'auto', encoding: 'auto' },
    { observe: pass.observe, now },
  );
  return { c, r, pass };
}

/** Every dataset of the import: profile from the pass equals profile from the table. */
async function expectSameProfiles(file: string): Promise<{ r: ImportResult; p: DatasetProfile[] }> {
  const { c, r, pass } = await importWithPass(file);
  try {
    const out: DatasetProfile[] = [];
    for (const d of r.datasets) {
      const acc = pass.take(d.id);
      expect(acc, d.name).not.toBeNull();
      const fromPass = await profileFromPass(c.db, d.id, acc!, { now });
      expect(fromPass, d.name).not.toBeNull();
      const fromTable = await profileDataset(c.db, d.id, { now });
      expect(comparable(fromPass!)).toEqual(comparable(fromTable));
      out.push(fromPass!);
    }
    return { r, p: out };
  } finally {
    c.close();
  }
}

describe('profiling in the import pass', () => {
  it('CSV with blanks and rejected records: same profile as reading the table', async () => {
    const csv = join(dir, 'fuite.csv');
    await generateFile({ seed: 11, rows: 7000, format: 'csv', headers: 'fr', out: csv });
    // Records with the wrong field count are rejected, not stored: not profiled either.
    appendFileSync(csv, 'a;b\nx,y\n');
    const { r, p } = await expectSameProfiles(csv);
    expect(r.rejected).toBeGreaterThan(0);
    expect(p[0]!.rows).toBe(7000);
    expect(p[0]!.columns.some((x) => x.empty > 0)).toBe(true);
    expect(p[0]!.columns.map((x) => x.kind)).toContain('nir');
  });

  it('SQL dump with two tables and a zip with two members: one profile per dataset', async () => {
    const dump = await twoTableDump(dir);
    const sql = await expectSameProfiles(dump);
    expect(sql.p.map((x) => x.rows)).toEqual([3000, 1200]);

    const csv = join(dir, 'member.csv');
    const ndjson = join(dir, 'member.ndjson');
    await generateFile({ seed: 5, rows: 2500, format: 'csv', headers: 'en', out: csv });
    await generateFile({ seed: 6, rows: 1800, format: 'ndjson', out: ndjson });
    const zip = zipOf(join(dir, 'leak.zip'), [csv, ndjson]);
    const zipped = await expectSameProfiles(zip);
    expect(zipped.p.map((x) => x.rows)).toEqual([2500, 1800]);
    expect(zipped.p[1]!.columns.some((x) => x.nulls > 0)).toBe(true);
  });

  it('JSON records that add columns late, up to a wide table', async () => {
    // 6,000 generated people; record 4,000 brings 800 new sparse keys (the table becomes wide:
    // a smaller record sample, presence masks over many words), later records fill a few.
    const style = makeStyle(7, {});
    const lines: string[] = [];
    let i = 0;
    for (const person of generateRows({ seed: 7, rows: 6000 }, style)) {
      const rec: Record<string, string | null> = { ...person };
      if (i === 4000) for (let k = 0; k < 800; k++) rec[`extra_${k}`] = `e${k}`;
      if (i > 4000) rec[`extra_${(i * 37) % 800}`] = i % 3 === 0 ? '' : `v${i % 13}`;
      if (i % 9 === 0) rec.late_null = null;
      lines.push(JSON.stringify(rec));
      i++;
    }
    const file = join(dir, 'union.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { p } = await expectSameProfiles(file);
    expect(p[0]!.columns.length).toBeGreaterThan(800);
    // 1e6 sampled cells over > 800 columns: fewer than the 2,500-record target.
    expect(p[0]!.sampledRecords).toBeLessThan(2500);
    const extra = p[0]!.columns.find((x) => x.name === 'extra_5')!;
    expect(extra.nulls).toBeGreaterThan(4000);
  });

  it('a cancelled import hands no profile over', async () => {
    const csv = join(dir, 'cancel.csv');
    await generateFile({ seed: 8, rows: 60_000, format: 'csv', headers: 'en', out: csv });
    const c = createTestCase(dir);
    const pass = new ImportProfiles();
    try {
      const d = await importCancelledAfterFirstBatch(c.db, csv, pass);
      expect(d.status).toBe('cancelled');
      expect(d.rows).toBeGreaterThan(0);
      expect(pass.take(d.id)).toBeNull();
    } finally {
      c.close();
    }
  });

  it('post-import steps store the pass profile without reading the table, then linkage keys', async () => {
    const csv = join(dir, 'steps.csv');
    await generateFile({ seed: 9, rows: 2000, format: 'csv', headers: 'en', out: csv });
    const { c, r, pass } = await importWithPass(csv);
    try {
      const packed = vi.spyOn(ProfileAccumulator.prototype, 'packed');
      const ac = new AbortController();
      await runPostImport(c.db, r, { signal: ac.signal, onProgress: () => undefined }, pass);
      expect(packed).not.toHaveBeenCalled();
      const id = r.datasets[0]!.id;
      const stored = loadProfile(c.db, id)!;
      expect(stored.rows).toBe(2000);
      expect(comparable(stored)).toMatchObject({
        ...comparable(await profileDataset(c.db, id, { now: () => new Date(stored.profiledAt) })),
      });
      const keys = c.db.prepare('SELECT count(*) AS n FROM identity_keys').get() as { n: number };
      expect(keys.n).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });

  it('the import job profiles in its pass and stores the profile', async () => {
    const csv = join(dir, 'job.csv');
    await generateFile({ seed: 12, rows: 1500, format: 'csv', headers: 'fr', out: csv });
    const c = createTestCase(dir);
    try {
      const packed = vi.spyOn(ProfileAccumulator.prototype, 'packed');
      const ac = new AbortController();
      const r = await JOBS.import(
        c.db,
        { path: csv, format: 'auto', encoding: 'auto' },
        { signal: ac.signal, onProgress: () => undefined },
      );
      expect(packed).not.toHaveBeenCalled();
      const stored = loadProfile(c.db, r.datasets[0]!.id)!;
      expect(stored.rows).toBe(1500);
      expect(stored.columns.map((x) => x.kind)).toContain('nir');
    } finally {
      c.close();
    }
  });

  it('columns past the budget fall back to reading the table', async () => {
    const csv = join(dir, 'budget.csv');
    await generateFile({ seed: 10, rows: 500, format: 'csv', headers: 'en', out: csv });
    const { c, r, pass } = await importWithPass(csv, new ImportProfiles({ maxColumns: 3 }));
    try {
      expect(pass.take(r.datasets[0]!.id)).toBeNull();
    } finally {
      c.close();
    }
  });
});
