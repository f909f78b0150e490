/**
 * The import's pass with its decisions on a profiling thread (profile/pass-thread.ts): the thread
 * starts once a table reaches `warmRows` rows and warms up while the import goes on; the profile
 * it gives is the same, value for value, as the decisions taken on the writer's thread and as
 * reading the stored table. A thread that fails or dies gives nothing: the decisions are then
 * taken on the writer's thread, with the same result. Small imports never start the thread.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { DatasetProfile } from '../../src/shared/api';
import { runImport } from '../../src/main/engine/import/pipeline';
import { JOBS } from '../../src/main/engine/jobs/registry';
import {
  defaultPassWorkerUrl,
  ImportProfiles,
  loadProfile,
  profileDataset,
  profileFromPass,
} from '../../src/main/engine/profile';
import { ProfileThread, profileThreadWanted } from '../../src/main/engine/profile/pass-thread';
import { ProfileAccumulator } from '../../src/main/engine/profile/profiler';
import { generateFile, generateRows, makeStyle } from '../fixtures/gen';
import { createTestCase } from '../helpers/case';
import { comparable, now } from '../helpers/profile';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();
const threaded = (opts: ConstructorParameters<typeof ImportProfiles>[0] = {}) =>
  new ImportProfiles({ warmRows: 1000, ...opts, thread: defaultPassWorkerUrl() });

/** Imports `file` with `pass`; per dataset: the pass's profile and the table read's. */
async function importAndProfile(file: string, pass: ImportProfiles) {
  const c = createTestCase(dir);
  try {
    const r = await runImport(
      c.db,
      { path: file, format: 'auto', encoding: 'auto' },
      { observe: pass.observe, now },
    );
    const out: { fromPass: DatasetProfile; fromTable: DatasetProfile }[] = [];
    for (const d of r.datasets) {
      const acc = pass.take(d.id);
      expect(acc, d.name).not.toBeNull();
      const fromPass = await profileFromPass(c.db, d.id, acc!, { now });
      expect(fromPass, d.name).not.toBeNull();
      out.push({ fromPass: fromPass!, fromTable: await profileDataset(c.db, d.id, { now }) });
    }
    return out;
  } finally {
    pass.close();
    c.close();
  }
}

describe('profiling in the import pass, decisions on a profiling thread', () => {
  it('CSV with blanks and rejects: same profile as on the writer thread and from the table', async () => {
    const csv = join(dir, 'fuite.csv');
    await generateFile({ seed: 21, rows: 6000, format: 'csv', headers: 'fr', out: csv });
    const decide = vi.spyOn(ProfileThread.prototype, 'decide');
    const pass = threaded();
    const [thread] = await importAndProfile(csv, pass);
    expect(decide).toHaveBeenCalledTimes(1);
    expect(await decide.mock.results[0]!.value).not.toBeNull();
    decide.mockRestore();
    const [inThread] = await importAndProfile(csv, new ImportProfiles());
    expect(comparable(thread!.fromPass)).toEqual(comparable(thread!.fromTable));
    expect(comparable(thread!.fromPass)).toEqual(comparable(inThread!.fromPass));
    expect(thread!.fromPass.columns.map((x) => x.kind)).toContain('nir');
  });

  it('JSON records that add columns late, with NULLs: same profile as from the table', async () => {
    const style = makeStyle(8, {});
    const lines: string[] = [];
    let i = 0;
    for (const person of generateRows({ seed: 8, rows: 5000 }, style)) {
      const rec: Record<string, string | null> = { ...person };
      if (i === 3000) for (let k = 0; k < 100; k++) rec[`extra_${k}`] = `e${k}`;
      if (i > 3000) rec[`extra_${(i * 37) % 100}`] = i % 3 === 0 ? '' : `v${i % 13}`;
      if (i % 7 === 0) rec.late_null = null;
      lines.push(JSON.stringify(rec));
      i++;
    }
    const file = join(dir, 'union.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const pass = threaded();
    const [p] = await importAndProfile(file, pass);
    expect(pass.thread).not.toBeNull();
    expect(p!.fromPass.columns.length).toBeGreaterThan(100);
    expect(comparable(p!.fromPass)).toEqual(comparable(p!.fromTable));
  });

  it('a thread that dies before its decisions: they are taken on the writer thread', async () => {
    const csv = join(dir, 'exit.csv');
    await generateFile({ seed: 24, rows: 3000, format: 'csv', headers: 'fr', out: csv });
    const decide = vi.spyOn(ProfileThread.prototype, 'decide');
    const finish = vi.spyOn(ProfileAccumulator.prototype, 'finish');
    const pass = threaded({ threadTest: { exitOnDecide: true, failWarmUp: true } });
    const [p] = await importAndProfile(csv, pass);
    expect(pass.thread!.broken).toBe(true);
    expect(await decide.mock.results[0]!.value).toBeNull();
    // The pass's decisions on this thread, then the table read's.
    expect(finish).toHaveBeenCalledTimes(2);
    decide.mockRestore();
    finish.mockRestore();
    expect(comparable(p!.fromPass)).toEqual(comparable(p!.fromTable));
  });

  it('an import smaller than warmRows starts no thread', async () => {
    const csv = join(dir, 'small.csv');
    await generateFile({ seed: 25, rows: 800, format: 'csv', headers: 'en', out: csv });
    const pass = threaded();
    const [p] = await importAndProfile(csv, pass);
    expect(pass.thread).toBeNull();
    expect(comparable(p!.fromPass)).toEqual(comparable(p!.fromTable));
  });

  it('the import job uses the thread with cores to spare, or when told to', () => {
    expect(profileThreadWanted(2, undefined)).toBe(false);
    expect(profileThreadWanted(4, undefined)).toBe(true);
    expect(profileThreadWanted(2, '1')).toBe(true);
    expect(profileThreadWanted(8, '0')).toBe(false);
  });

  it('the import job in a worker stores the same profile as the table read', async () => {
    const csv = join(dir, 'job.csv');
    const setting = process.env.LEAKSCOPE_PROFILE_THREAD;
    process.env.LEAKSCOPE_PROFILE_THREAD = '1';
    await generateFile({ seed: 26, rows: 21_000, format: 'csv', headers: 'fr', out: csv });
    const c = createTestCase(dir);
    try {
      const decide = vi.spyOn(ProfileThread.prototype, 'decide');
      const packed = vi.spyOn(ProfileAccumulator.prototype, 'packed');
      const r = await JOBS.import(
        c.db,
        { path: csv, format: 'auto', encoding: 'auto' },
        {
          signal: new AbortController().signal,
          onProgress: () => undefined,
          workerUrl: new URL('../../src/main/engine/jobs/worker-boot.mjs', import.meta.url).href,
        },
      );
      // 21,000 rows > WARM_ROWS: decided on the thread, without reading the table.
      expect(decide).toHaveBeenCalledTimes(1);
      expect(await decide.mock.results[0]!.value).not.toBeNull();
      expect(packed).not.toHaveBeenCalled();
      decide.mockRestore();
      packed.mockRestore();
      const id = r.datasets[0]!.id;
      const stored = loadProfile(c.db, id)!;
      expect(stored.rows).toBe(21_000);
      const fromTable = await profileDataset(c.db, id, { now: () => new Date(stored.profiledAt) });
      expect(comparable(stored)).toEqual(comparable(fromTable));
    } finally {
      c.close();
      if (setting === undefined) delete process.env.LEAKSCOPE_PROFILE_THREAD;
      else process.env.LEAKSCOPE_PROFILE_THREAD = setting;
    }
  });
});
