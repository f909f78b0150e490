/**
 * Profiling speed (issue #4: "on 1M rows × 12 columns it adds at most 30% to the import time"):
 * a generated leak of 1M rows × 12 columns imported into an encrypted case without profiling,
 * with profiling in the import's pass on the writer's thread, and with it on a profiling thread
 * of its own that parses the forwarded bytes again (profile/pass-thread.ts: how the import job
 * runs it on two cores or more), each followed by the post-import step's decisions and
 * the stored profile; the three back to back, ROUNDS times, rotating which goes first; the
 * overheads are the median rounds'. For reference, once: the profile by a read of the stored
 * table after the import (`profile.run`, and the post-import step before this design).
 *
 * Subjects run the way the import job runs them: from JavaScript bundles (esbuild, with the
 * Electron build's entries: this file, and `jobs/entry.ts` as the script of every helper
 * thread), in plain Node, with the WAL checkpointer thread the job worker starts beside an
 * import (`--no-checkpointer`: without it). `--tsx` runs them from the TypeScript sources.
 * CPU per subject is that of every thread of its process: on a shared box the steadier ratio.
 *
 *   npm run bench -- profile.bench --rows 1000000 [--no-checkpointer] [--tsx]
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runImport } from '../src/main/engine/import/pipeline';
import {
  defaultPassWorkerUrl,
  ImportProfiles,
  profileDataset,
  profileFromPass,
  saveProfile,
} from '../src/main/engine/profile';
import { createCase, openCase, resolveNativeBinding } from '../src/main/engine/store';
import type { WritableDB } from '../src/main/engine/store/types';
import { benchArgs, generated, printFigures, report, runSubject, type Figure } from './lib';
import { benchOption, benchRoot, bundleBench, runBundled } from './bundle';

const args = benchArgs({ rows: 1_000_000 });
const COLUMNS =
  'last_name,first_name,sex,birth_date,nir,france_travail_id,email,phone,address,postal_code,city,iban';
const PASS = 'bench passphrase';
const ROUNDS = Number(process.env.PROFILE_BENCH_ROUNDS ?? 5);
const TARGET = 0.3;
const useTsx = process.argv.includes('--tsx');
const checkpointer = !process.argv.includes('--no-checkpointer');

const root = benchRoot();
const workerFile = benchOption('worker');
const workerUrl = workerFile ? pathToFileURL(workerFile) : defaultPassWorkerUrl();
const nativeBinding = resolveNativeBinding(root);
const opts = { lock: false, ...(nativeBinding ? { nativeBinding } : {}) };

/** The job worker's WAL checkpointer thread (jobs/worker.ts), beside the bench's import. */
function startCheckpointer(db: WritableDB, casePath: string): () => Promise<void> {
  db.pragma('wal_autocheckpoint = 0');
  const helper = new Worker(workerUrl, {
    workerData: {
      entry: 'checkpointer',
      access: { casePath, passphrase: PASS, ...(nativeBinding ? { nativeBinding } : {}) },
    },
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
  });
  const exited = new Promise<void>((resolve) => helper.once('exit', () => resolve()));
  return () => {
    helper.postMessage({ type: 'stop' });
    return exited;
  };
}

/**
 * CPU seconds of this process's main thread, where the import writes (Linux: its task's utime +
 * stime, in clock ticks of 10 ms): the import's critical path, which a profiling thread leaves
 * alone; NaN elsewhere.
 */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of the subject, in its note: on a shared box the ratio of CPU times is the steadier. */
function cores(cpu: NodeJS.CpuUsage, seconds: number, writer: number): string {
  const s = (cpu.user + cpu.system) / 1e6;
  return `cpu ${s.toFixed(2)} s = ${(s / seconds).toFixed(2)} cores, writer thread ${writer.toFixed(2)} s`;
}

const cpuSeconds = (f: Figure) => Number(/cpu ([\d.]+) s/.exec(f.note ?? '')?.[1] ?? NaN);
const writerSeconds = (f: Figure) =>
  Number(/writer thread ([\d.]+) s/.exec(f.note ?? '')?.[1] ?? NaN);

async function subject(name: string, file: string, target: string): Promise<void> {
  const bytes = statSync(file).size;
  if (name === 'read-profile') {
    const c = openCase(target, PASS, opts);
    const d = c.db.prepare('SELECT id FROM datasets ORDER BY id DESC LIMIT 1').get() as {
      id: number;
    };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpu();
    const p = await profileDataset(c.db, d.id);
    const seconds = (performance.now() - t0) / 1000;
    const main = mainThreadCpu() - main0;
    c.close();
    report({
      subject: 'profile by reading the stored table after the import (profile.run)',
      rows: p.rows,
      bytes,
      seconds,
      note: cores(process.cpuUsage(cpu0), seconds, main),
    });
    return;
  }
  for (const ext of ['', '-wal', '-shm']) rmSync(target + ext, { force: true });
  const c = createCase(target, PASS, opts);
  const withProfile = name.startsWith('import+profile');
  const threaded = name === 'import+profile-thread';
  const pass = withProfile ? new ImportProfiles(threaded ? { thread: workerUrl } : {}) : null;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const stopCheckpointer = checkpointer ? startCheckpointer(c.db, target) : null;
  const r = await runImport(
    c.db,
    { path: file, format: 'auto', encoding: 'auto' },
    pass ? pass.importOptions : {},
  );
  await stopCheckpointer?.();
  let sampled = 0;
  if (pass) {
    // The post-import profile step, as profileStep does it.
    for (const d of r.datasets) {
      const acc = pass.take(d.id);
      const p = acc ? await profileFromPass(c.db, d.id, acc) : null;
      if (!p) throw new Error(`dataset ${d.id} was not profiled in the import's pass`);
      saveProfile(c.db, p);
      sampled += p.sampledRecords;
    }
    // The thread falls back silently: make sure it is what decided.
    if (threaded && (!pass.thread || pass.thread.broken))
      throw new Error('the profiling thread did not give the profile');
    pass.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cores(process.cpuUsage(cpu0), seconds, mainThreadCpu() - main0);
  c.close();
  report({
    subject: threaded
      ? 'import + profiling on a thread parsing the forwarded bytes (+ decisions, storage)'
      : withProfile
        ? "import + profiling in the writer's thread (+ decisions, storage)"
        : 'import without profiling (parse + encrypted writes)',
    rows: r.rows,
    bytes,
    seconds,
    note: withProfile ? `${cpu}; ${sampled} sampled records` : cpu,
  });
}

if (args.subject) {
  await subject(args.subject, args.input!, process.env.PROFILE_BENCH_CASE!);
} else {
  const self = new URL(import.meta.url).pathname;
  const files = useTsx ? null : await bundleBench('profile', new URL(import.meta.url).pathname);
  const flags = checkpointer ? [] : ['--no-checkpointer'];
  const run = (name: string, argv: string[]) =>
    files
      ? runBundled(files, name, [...argv, ...flags])
      : runSubject(self, name, [...argv, ...flags]);
  const file = generated(args.rows, 'csv', ['--columns', COLUMNS]);
  const target = join(tmpdir(), `leakscope-profile-bench-${process.pid}.lscase`);
  process.env.PROFILE_BENCH_CASE = target;
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const loadBefore = load();
  // The box is shared: each round runs the three imports back to back (rotating which goes
  // first, so a load change favours none) and its overheads are reported.
  const SUBJECTS = ['import', 'import+profile', 'import+profile-thread'];
  const rounds: { plain: Figure; prof: Figure; thread: Figure }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = [...SUBJECTS.slice(r % 3), ...SUBJECTS.slice(0, r % 3)];
    const figs = Object.fromEntries(order.map((s) => [s, run(s, ['--input', file])] as const));
    rounds.push({
      plain: figs.import!,
      prof: figs['import+profile']!,
      thread: figs['import+profile-thread']!,
    });
  }
  // The last case holds a profiled import: the reference read-after-import profile of it.
  const read = run('read-profile', ['--input', file]);
  for (const ext of ['', '-wal', '-shm']) rmSync(target + ext, { force: true });
  type Round = (typeof rounds)[number];
  const wall = (k: 'prof' | 'thread') => (r: Round) => r[k].seconds / r.plain.seconds - 1;
  const cpu = (k: 'prof' | 'thread') => (r: Round) => cpuSeconds(r[k]) / cpuSeconds(r.plain) - 1;
  const writer = (k: 'prof' | 'thread') => (r: Round) =>
    writerSeconds(r[k]) / writerSeconds(r.plain) - 1;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const byThread = [...rounds].sort((a, b) => wall('thread')(a) - wall('thread')(b));
  const mid = byThread[Math.floor(byThread.length / 2)]!;
  printFigures(
    `Profiling: ${args.rows.toLocaleString('en')} generated rows × 12 columns, ${files ? 'bundled' : 'tsx'}, ${checkpointer ? 'with' : 'without'} the checkpointer thread; load average ${loadBefore} before, ${load()} after`,
    [mid.plain, mid.prof, mid.thread, read],
  );
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const lines: string[] = [''];
  for (const [k, label] of [
    ['prof', "in the writer's thread"],
    ['thread', 'on a profiling thread (as the import job runs it)'],
  ] as const) {
    const w = rounds.map(wall(k));
    const c = rounds.map(cpu(k));
    const wt = rounds.map(writer(k));
    const m = median(w);
    lines.push(
      `profiling ${label}, added to the import per round: ${w.map(pct).join(', ')}; median ${pct(m)} (target ≤ ${pct(TARGET)}: ${m <= TARGET ? 'met' : 'NOT met'})`,
      `  in CPU time (all threads) per round: ${c.map(pct).join(', ')}; median ${pct(median(c))}`,
      `  in CPU time of the writer's thread per round: ${wt.map(pct).join(', ')}; median ${pct(median(wt))}`,
    );
  }
  lines.push(
    `profile by reading the table after the import: ${pct(read.seconds / mid.plain.seconds)} of the median round's import`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}
