/**
 * Profiling on a thread of its own (profile/pass-thread.ts, pass-worker.ts): the import forwards
 * each member's bytes, the thread parses them again with the same reader and counts the profile
 * there, and the writer's thread counts nothing per value. The profile is the same, value for
 * value, as the one counted in the writer's thread and as reading the stored table, for every
 * shape of import: rejects, a gzip, a SQL dump with two tables, a zip with two members, JSON
 * records adding columns late, a truncated gzip. A thread that dies gives nothing, and the
 * table is read instead; the import waits for a thread that falls behind; a cancelled import
 * hands nothing over; small sources stay in the writer's thread.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetProfile, ImportResult } from '../../src/shared/api';
import { runImport } from '../../src/main/engine/import/pipeline';
import { JOBS } from '../../src/main/engine/jobs/registry';
import {
  defaultPassWorkerUrl,
  ImportProfiles,
  loadProfile,
  profileDataset,
  profileFromPass,
  profileStep,
} from '../../src/main/engine/profile';
import type { PassMode } from '../../src/main/engine/profile/pass-protocol';
import { ProfileThread, profileThreadWanted } from '../../src/main/engine/profile/pass-thread';
import { ProfileAccumulator } from '../../src/main/engine/profile/profiler';
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

type PassOptions = NonNullable<ConstructorParameters<typeof ImportProfiles>[0]>;
const threaded = (opts: PassOptions = {}) =>
  new ImportProfiles({ minBytes: 0, ...opts, thread: defaultPassWorkerUrl() });

interface Profiled {
  r: ImportResult;
  /** Per dataset: the pass's profile (null when it gave none) and the table read's. */
  p: { fromPass: DatasetProfile | null; fromTable: DatasetProfile }[];
}

/** Imports `file` with `pass`; per dataset the pass's profile and the table read's. */
async function importAndProfile(file: string, pass: ImportProfiles): Promise<Profiled> {
  const c = createTestCase(dir);
  try {
    const r = await runImport(
      c.db,
      { path: file, format: 'auto', encoding: 'auto' },
      { ...pass.importOptions, now },
    );
    const p: Profiled['p'] = [];
    for (const d of r.datasets) {
      const acc = pass.take(d.id);
      const fromPass = acc ? await profileFromPass(c.db, d.id, acc, { now }) : null;
      p.push({ fromPass, fromTable: await profileDataset(c.db, d.id, { now }) });
    }
    return { r, p };
  } finally {
    pass.close();
    c.close();
  }
}

/**
 * Through the thread: every dataset's profile equals the table read's. None is counted here,
 * but in parse mode those of JSON, NDJSON and SQL members, which the writer's observers count
 * (`inWriter`: whether the file holds such members).
 */
async function expectThreadProfiles(
  file: string,
  mode: PassMode,
  inWriter = false,
): Promise<DatasetProfile[]> {
  const row = vi.spyOn(ProfileAccumulator.prototype, 'row');
  const batch = vi.spyOn(ProfileAccumulator.prototype, 'batch');
  const pass = threaded({ mode });
  const { r, p } = await importAndProfile(file, pass);
  expect(pass.thread).not.toBeNull();
  expect(p.length).toBe(r.datasets.length);
  for (const [i, x] of p.entries()) {
    expect(x.fromPass, r.datasets[i]!.name).not.toBeNull();
    expect(comparable(x.fromPass!)).toEqual(comparable(x.fromTable));
  }
  // Where the values were counted (the table read goes through `packed`, not `row`): the
  // writer's observers count the batches the thread parsed, without splitting them.
  expect(row).not.toHaveBeenCalled();
  if (mode === 'parse' && inWriter) expect(batch).toHaveBeenCalled();
  else expect(batch).not.toHaveBeenCalled();
  return p.map((x) => x.fromPass!);
}

describe.each<{ mode: PassMode; how: string }>([
  { mode: 'bytes', how: 'reads the forwarded bytes again' },
  { mode: 'parse', how: 'parses the forwarded bytes for the writer too (bulk insert)' },
])('profiling on a thread that $how', ({ mode }) => {
  it('CSV with blanks and rejects: same profile as in the writer thread and from the table', async () => {
    const csv = join(dir, 'fuite.csv');
    await generateFile({ seed: 21, rows: 6000, format: 'csv', headers: 'fr', out: csv });
    writeFileSync(csv, `${readFileSync(csv, 'utf8')}a;b\nx,y\n`);
    const [p] = await expectThreadProfiles(csv, mode);
    const writer = await importAndProfile(csv, new ImportProfiles());
    expect(comparable(p!)).toEqual(comparable(writer.p[0]!.fromPass!));
    expect(writer.r.rejected).toBeGreaterThan(0);
    expect(p!.rows).toBe(6000);
    expect(p!.columns.map((x) => x.kind)).toContain('nir');
  });

  it('gzip, a SQL dump with two tables, a zip with two members: one profile per dataset', async () => {
    const csv = join(dir, 'member.csv');
    const ndjson = join(dir, 'member.ndjson');
    await generateFile({ seed: 5, rows: 2500, format: 'csv', headers: 'en', out: csv });
    await generateFile({ seed: 6, rows: 1800, format: 'ndjson', out: ndjson });
    const gz = join(dir, 'leak.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(csv)));
    expect((await expectThreadProfiles(gz, mode)).map((x) => x.rows)).toEqual([2500]);

    const dump = await twoTableDump(dir);
    expect((await expectThreadProfiles(dump, mode, true)).map((x) => x.rows)).toEqual([3000, 1200]);

    const zip = zipOf(join(dir, 'leak.zip'), [csv, ndjson]);
    const zipped = await expectThreadProfiles(zip, mode, true);
    expect(zipped.map((x) => x.rows)).toEqual([2500, 1800]);
    expect(zipped[1]!.columns.some((x) => x.nulls > 0)).toBe(true);
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
    const [p] = await expectThreadProfiles(file, mode, true);
    expect(p!.columns.length).toBeGreaterThan(100);
  });

  it('a truncated gzip: the records before the cut, as the writer stored them', async () => {
    const csv = join(dir, 'cut.csv');
    await generateFile({ seed: 27, rows: 4000, format: 'csv', headers: 'fr', out: csv });
    const whole = gzipSync(readFileSync(csv));
    const gz = join(dir, 'cut.csv.gz');
    writeFileSync(gz, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const [p] = await expectThreadProfiles(gz, mode);
    expect(p!.rows).toBeGreaterThan(1000);
    expect(p!.rows).toBeLessThan(4000);
  });

  it('the import waits for a thread that falls behind, and the profile is unchanged', async () => {
    const csv = join(dir, 'slow.csv');
    await generateFile({ seed: 28, rows: 12_000, format: 'csv', headers: 'en', out: csv });
    const chunk = vi.spyOn(ProfileThread.prototype, 'chunk');
    const pass = threaded({ threadInFlight: 64 * 1024, mode });
    const { p } = await importAndProfile(csv, pass);
    expect(chunk).toHaveBeenCalled();
    // Every chunk (1 MiB from the file) is over the bound: the import waited for each.
    expect(chunk.mock.results.every((x) => x.value instanceof Promise)).toBe(true);
    expect(comparable(p[0]!.fromPass!)).toEqual(comparable(p[0]!.fromTable));
  });

  it('a thread that dies mid-import or when asked gives nothing: the table is read', async () => {
    const csv = join(dir, 'exit.csv');
    await generateFile({ seed: 24, rows: 3000, format: 'csv', headers: 'fr', out: csv });
    if (mode === 'parse') {
      // The records of the member it was parsing die with it: the import fails, and says why.
      const c = createTestCase(dir);
      const pass = threaded({ threadTest: { exitOnChunk: true }, mode });
      try {
        await expect(
          runImport(
            c.db,
            { path: csv, format: 'auto', encoding: 'auto' },
            { ...pass.importOptions, now },
          ),
        ).rejects.toMatchObject({ code: 'E_INTERNAL', message: /parsing thread stopped/ });
        expect(c.db.prepare('SELECT status FROM sources').pluck().all()).toEqual(['failed']);
        const datasets = c.db.prepare('SELECT status FROM datasets').pluck().all();
        expect(datasets.every((s) => s === 'failed')).toBe(true);
      } finally {
        pass.close();
        c.close();
      }
    }
    for (const test of mode === 'parse'
      ? [{ exitOnProfile: true }]
      : [{ exitOnChunk: true }, { exitOnProfile: true }]) {
      const pass = threaded({ threadTest: test, mode });
      const { r, p } = await importAndProfile(csv, pass);
      expect(r.rows).toBe(3000);
      expect(pass.thread!.broken).toBe(true);
      expect(p[0]!.fromPass).toBeNull();
    }
    // What the post-import step then does: read the stored table.
    const c = createTestCase(dir);
    const pass = threaded({ threadTest: { exitOnProfile: true }, mode });
    try {
      const r = await runImport(
        c.db,
        { path: csv, format: 'auto', encoding: 'auto' },
        { ...pass.importOptions, now },
      );
      const packed = vi.spyOn(ProfileAccumulator.prototype, 'packed');
      const hooks = { signal: new AbortController().signal, onProgress: () => undefined };
      await profileStep(c.db, r.datasets[0]!.id, hooks, pass);
      expect(packed).toHaveBeenCalled();
      const stored = loadProfile(c.db, r.datasets[0]!.id)!;
      const fromTable = await profileDataset(c.db, stored.datasetId, {
        now: () => new Date(stored.profiledAt),
      });
      expect(comparable(stored)).toEqual(comparable(fromTable));
    } finally {
      pass.close();
      c.close();
    }
  });

  it('a cancelled import with its thread hands no profile over and stops the thread', async () => {
    const csv = join(dir, 'cancel.csv');
    await generateFile({ seed: 29, rows: 60_000, format: 'csv', headers: 'en', out: csv });
    const c = createTestCase(dir);
    // A small in-flight bound: the import is often waiting on the thread when the cancel comes.
    const pass = threaded({ threadInFlight: 64 * 1024, mode });
    try {
      const d = await importCancelledAfterFirstBatch(c.db, csv, pass);
      expect(d.status).toBe('cancelled');
      expect(pass.take(d.id)).toBeNull();
      expect(pass.thread).not.toBeNull();
    } finally {
      pass.close();
      c.close();
    }
    expect(pass.thread!.broken).toBe(true);
  });

  it('a source under the size bound is counted in the writer thread, with no thread', async () => {
    const csv = join(dir, 'small.csv');
    await generateFile({ seed: 25, rows: 800, format: 'csv', headers: 'en', out: csv });
    const pass = new ImportProfiles({ thread: defaultPassWorkerUrl(), mode });
    const { p } = await importAndProfile(csv, pass);
    expect(pass.thread).toBeNull();
    expect(comparable(p[0]!.fromPass!)).toEqual(comparable(p[0]!.fromTable));
  });
});

describe('the import job and its profiling thread', () => {
  it('uses the thread with a second core, or when told to', () => {
    expect(profileThreadWanted(1, undefined)).toBe(false);
    expect(profileThreadWanted(2, undefined)).toBe(true);
    expect(profileThreadWanted(1, '1')).toBe(true);
    expect(profileThreadWanted(8, '0')).toBe(false);
  });

  it('in a worker, has the thread parse for the writer and stores the table read’s profile', async () => {
    const csv = join(dir, 'job.csv');
    const setting = process.env.LEAKSCOPE_PROFILE_THREAD;
    process.env.LEAKSCOPE_PROFILE_THREAD = '1';
    // Over THREAD_MIN_BYTES (4 MiB), so the job starts its profiling thread.
    await generateFile({ seed: 26, rows: 25_000, format: 'csv', headers: 'fr', out: csv });
    const c = createTestCase(dir);
    try {
      const profile = vi.spyOn(ProfileThread.prototype, 'profile');
      const packed = vi.spyOn(ProfileAccumulator.prototype, 'packed');
      const read = vi.spyOn(ProfileThread.prototype, 'read');
      const chunk = vi.spyOn(ProfileThread.prototype, 'chunk');
      const r = await JOBS.import(
        c.db,
        { path: csv, format: 'auto', encoding: 'auto' },
        {
          signal: new AbortController().signal,
          onProgress: () => undefined,
          workerUrl: new URL('../../src/main/engine/jobs/worker-boot.mjs', import.meta.url).href,
        },
      );
      expect(profile).toHaveBeenCalledTimes(1);
      expect(await profile.mock.results[0]!.value).not.toBeNull();
      expect(packed).not.toHaveBeenCalled();
      // The bytes go over either way; with the bulk-insert extension (built everywhere but
      // Windows) the thread parses them for the writer too.
      expect(chunk).toHaveBeenCalled();
      expect(read.mock.calls.length > 0).toBe(process.platform !== 'win32');
      const id = r.datasets[0]!.id;
      const stored = loadProfile(c.db, id)!;
      expect(stored.rows).toBe(25_000);
      const fromTable = await profileDataset(c.db, id, { now: () => new Date(stored.profiledAt) });
      expect(comparable(stored)).toEqual(comparable(fromTable));
    } finally {
      c.close();
      if (setting === undefined) delete process.env.LEAKSCOPE_PROFILE_THREAD;
      else process.env.LEAKSCOPE_PROFILE_THREAD = setting;
    }
  });
});
