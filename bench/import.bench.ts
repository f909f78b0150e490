/**
 * Import speed: the same generated people imported as CSV, NDJSON, JSON array and MySQL dump into
 * an encrypted case (parse + provenance + SHA-256 + encrypted writes + post-import steps, through
 * the engine and its job worker: what `leakscope import` does), against
 * Debian's `sqlite3` CLI `.import` of the CSV into an unencrypted file, back to back: sqlite3 runs
 * right before each subject, and the subject's ratio is against that run.
 *
 *   npm run bench -- import --rows 1000000 [--import-only] [--tsx]
 *
 * Each figure times the import itself (to its final `done` progress event) and notes the
 * end-to-end time with the post-import steps; `--import-only` stops a subject at `done` (for the
 * largest files, where the post-import steps would take too long for a session).
 *
 * Subjects run the way the app runs: from JavaScript bundles (esbuild, with the Electron build's
 * entries and externals: the engine, and `jobs/entry.ts` as the job worker script), in plain Node.
 * `--tsx` runs them from the TypeScript sources through tsx instead (the CLI's dev setup, where
 * every thread also holds tsx and its compiled sources: about +110 MB peak RSS).
 */
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../src/main/engine';
import { resolveNativeBinding } from '../src/main/engine/store';
import {
  benchArgs,
  generated,
  peakRssMB,
  printFigures,
  report,
  runSubject,
  type Figure,
} from './lib';
import { benchOption, benchRoot, bundleBench, runBundled } from './bundle';

const args = benchArgs({ rows: 1_000_000 });
const importOnly = process.argv.includes('--import-only');
const useTsx = process.argv.includes('--tsx');

const root = benchRoot();

async function subject(name: string, file: string, rows: number): Promise<void> {
  const target = join(tmpdir(), `leakscope-import-${process.pid}.db`);
  rmSync(target, { force: true });
  if (name === 'sqlite3') {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'sqlite3', target], {
      input: `.mode csv\n.import ${file} ds\n`,
      encoding: 'utf8',
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
    const [user, sys, rssKb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    rmSync(target, { force: true });
    const cpu = (user ?? 0) + (sys ?? 0);
    process.stdout.write(
      `${JSON.stringify({ subject: 'sqlite3 .import (plain)', rows, bytes: statSync(file).size, seconds, peakRssMB: Math.round((rssKb ?? 0) / 1024), note: `CPU ${cpu.toFixed(1)} s` })}\n`,
    );
    return;
  }
  // The product path: engine → job worker (parse, provenance, hash, encrypted writes) with its
  // checkpointer thread, then the post-import steps (profile, search index, identity keys).
  const nativeBinding = resolveNativeBinding(root);
  const worker = benchOption('worker');
  const engine = createEngine({
    appVersion: 'bench',
    ...(nativeBinding ? { nativeBinding } : {}),
    ...(worker ? { jobWorkerUrl: pathToFileURL(worker) } : {}),
  });
  await engine.call('case.create', { path: target, passphrase: 'bench passphrase' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // CPU time of every thread of this process (engine, job worker, checkpointer): a cost that
  // the other processes of a loaded machine disturb less than the wall time.
  const cpuSeconds = () => {
    const u = process.cpuUsage(cpu0);
    return (u.user + u.system) / 1e6;
  };
  let importCpu = 0;
  let importSeconds = 0;
  let importRssMB = 0;
  const r = await engine.call(
    'import.run',
    { path: file },
    {
      onProgress: (p) => {
        if (p.step !== 'done' || importSeconds) return;
        importSeconds = (performance.now() - t0) / 1000;
        importRssMB = peakRssMB();
        importCpu = cpuSeconds();
        if (!importOnly) return;
        if (p.records !== rows) throw new Error(`${name}: ${p.records} records, expected ${rows}`);
        // The import is committed; the post-import steps are not measured: stop here.
        for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
        process.stdout.write(
          `${JSON.stringify({ subject: `${name} → encrypted case`, rows, bytes: statSync(file).size, seconds: importSeconds, peakRssMB: importRssMB, note: `import only, CPU ${importCpu.toFixed(1)} s` })}\n`,
        );
        process.exit(0);
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  engine.close();
  for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  if (r.rows !== rows || r.rejected !== 0)
    throw new Error(`${name}: ${r.rows} rows, ${r.rejected} rejected`);
  report({
    subject: `${name} → encrypted case`,
    rows: r.rows,
    bytes: statSync(file).size,
    seconds: importSeconds || seconds,
    note: `import (CPU ${importCpu.toFixed(1)} s, peak RSS at its end ${importRssMB} MB); end-to-end with profile, search index, identity keys: ${seconds.toFixed(1)} s`,
  });
}

if (args.subject) {
  await subject(args.subject, args.input!, args.rows);
} else {
  const self = new URL(import.meta.url).pathname;
  const files = useTsx ? null : await bundleBench('import', new URL(import.meta.url).pathname);
  const run = (name: string, argv: string[]) =>
    files ? runBundled(files, name, argv) : runSubject(self, name, argv);
  const rowsArg = ['--rows', String(args.rows), ...(importOnly ? ['--import-only'] : [])];
  const formats = (process.env.BENCH_IMPORT_FORMATS ?? 'ndjson,json,mysql').split(',');
  const csv = generated(args.rows, 'csv');
  // sqlite3 runs again right before each subject, which is set against that run: this VM's
  // speed drifts by up to 40 % within minutes, and a 10M run of every format lasts 6 minutes.
  const figures: Figure[] = [];
  const pairs = new Map<Figure, Figure>();
  const paired = (name: string, input: string) => {
    const peer = run('sqlite3', ['--input', csv, ...rowsArg]);
    const f = run(name, ['--input', input, ...rowsArg]);
    figures.push(peer, f);
    pairs.set(f, peer);
  };
  paired('csv', csv);
  for (const format of formats.filter(Boolean)) paired(format, generated(args.rows, format));
  printFigures(
    `Import: ${args.rows.toLocaleString('en')} generated people, 16 columns, ${files ? 'bundled' : 'tsx'}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    figures,
    'sqlite3 .import (plain)',
    (f) => pairs.get(f),
  );
}
