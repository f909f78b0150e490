/**
 * Linkage speed, at growing scales so the growth is visible (default: a big dataset of 100k and
 * of 1M records; `--rows 10000000` adds 10M):
 * - identity key extraction (the post-import step) against the import and profile times of the
 *   same file;
 * - overlap by strong keys of a derived leak of S/10 records against the S-record leak it was
 *   derived from (the 1M vs 10M question at S = 10M), the verdict's figures included;
 * - fuzzy matching (blocking + comparisons + EM) of N × N records with N = S/10 (1M × 1M at
 *   S = 10M).
 * Each scale runs in a fresh encrypted case (64 MiB page cache, as the engine's workers use); at
 * 10M and above the case is kept as bench/out/linkage-speed-<scale>.lscase and a rerun reuses its
 * big dataset (import, profile and keys reported from the first run's timings are not re-timed:
 * those rows are marked "cached").
 *
 * Options: `--scales 10000000` (comma-separated) runs only these scales; `--fuzzy-max N` caps the
 * fuzzy N × N (default 1M; 0 skips it) when a run cannot afford it, the cap is printed;
 * `--fuzzy-only N` (repeatable) runs just the fuzzy N × N (and the person view over the two leaks),
 * each in a fresh case holding only those two leaks (the 1M × 1M figure without building the 10M
 * case first; `--fuzzy-only 100000 --fuzzy-only 1000000` prints the growth).
 * Peer, back to back at each scale: DuckDB (@duckdb/node-api, in memory, if installed) doing the
 * overlap's join on the same strong keys (copied out of the case first; the copy is not timed).
 * Every row prints the process's peak RSS so far.
 *
 *   npm run bench -- linkage-speed [--rows 1000000]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../src/main/engine/import/pipeline';
import { linkageClusters, linkageOverlap } from '../src/main/engine/linkage/jobs';
import { defaultWorkerUrl } from '../src/main/engine/jobs/host';
import { extractKeys } from '../src/main/engine/linkage/keys';
import { caseKeyFor } from '../src/main/engine/store/case-key';
import { runMatches } from '../src/main/engine/linkage/matches';
import { runProfile } from '../src/main/engine/profile';
import {
  createCase,
  openCase,
  resolveNativeBinding,
  type WritableCase,
  type WritableDB,
} from '../src/main/engine/store';
import { deriveFile } from '../test/fixtures/gen';
import type * as DuckDb from '@duckdb/node-api';
import { KEY_KIND_CODE } from '../src/main/engine/linkage/kinds';
import { STRONG_KINDS } from '../src/main/engine/linkage/records';
import { benchArgs, generated, machine, OUT, peakRssMB, ROOT } from './lib';

const args = benchArgs({ rows: 1_000_000 });
/** Value of `--name value` on the command line (options benchArgs does not know). */
function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const only = option('--scales')?.split(',').map(Number);
const fuzzyMax = Number(option('--fuzzy-max') ?? 1_000_000);
/** Every `--fuzzy-only N` (repeatable: bench/run.ts would take "N,M" for a benchmark name). */
const fuzzyOnlyValues = process.argv.flatMap((a, i) =>
  a === '--fuzzy-only' && process.argv[i + 1] !== undefined ? [Number(process.argv[i + 1])] : [],
);
const fuzzyOnly = fuzzyOnlyValues.length > 0 ? fuzzyOnlyValues : null;
const scales =
  fuzzyOnly !== null
    ? []
    : (only ??
      [100_000, 1_000_000, ...(args.rows > 1_000_000 ? [args.rows] : [])].filter(
        (s) => s <= Math.max(args.rows, 100_000),
      ));
/** Cases at and above this scale are kept under bench/out/ and reused. */
const KEEP_CASE_FROM = 10_000_000;

interface Row {
  scale: number;
  step: string;
  records: number;
  seconds: number;
  note?: string;
  rssMB?: number;
}
/** The DuckDB package is optional: loaded dynamically, typed from its declarations. */
type DuckDbModule = typeof DuckDb;
const rows: Row[] = [];
const push = (r: Row): void => {
  rows.push({ ...r, rssMB: peakRssMB() });
  // Each figure as it comes, with the load: a long run that has to be stopped still says something.
  process.stderr.write(
    `${new Date().toISOString()} load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ' ',
      )} | ${r.scale} | ${r.step} | ${r.records} | ${r.seconds.toFixed(2)} | ${r.note ?? ''}\n`,
  );
};

/**
 * DuckDB peer of the overlap: the same strong keys of both datasets, copied into an in-memory
 * DuckDB table (not timed), then one join counting the small dataset's records that share a key
 * with the big one (no date-of-birth check: DuckDB does the bare equi-join).
 */
async function duckOverlap(
  db: WritableDB,
  small: number,
  big: number,
): Promise<{ seconds: number; records: number; keys: number } | string> {
  let mod: DuckDbModule;
  try {
    mod = await import('@duckdb/node-api');
  } catch {
    return 'DuckDB peer skipped: @duckdb/node-api is not installed';
  }
  const instance = await mod.DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await instance.connect();
  // Keys as the case stores them (kind code, 64-bit hash: migration 0100), read exactly.
  await con.run('CREATE TABLE k (ds INTEGER, row_id INTEGER, kind INTEGER, key BIGINT)');
  const app = await con.createAppender('k');
  const kindsSql = STRONG_KINDS.map((k) => KEY_KIND_CODE[k]).join(', ');
  let keys = 0;
  for (const [ds, row, kind, key] of db
    .prepare(
      `SELECT dataset_id, row_id, kind, key FROM identity_keys WHERE dataset_id IN (?, ?) AND kind IN (${kindsSql})`,
    )
    .raw(true)
    .safeIntegers(true)
    .iterate(small, big) as Iterable<[bigint, bigint, bigint, bigint]>) {
    app.appendInteger(Number(ds));
    app.appendInteger(Number(row));
    app.appendInteger(Number(kind));
    app.appendBigInt(key);
    app.endRow();
    keys++;
  }
  app.closeSync();
  const t = performance.now();
  const r = await con.runAndReadAll(
    `SELECT count(DISTINCT a.row_id) FROM k AS a JOIN k AS b ON a.kind = b.kind AND a.key = b.key
     WHERE a.ds = ${small} AND b.ds = ${big}`,
  );
  const seconds = (performance.now() - t) / 1000;
  const records = Number(r.getRows()[0][0]);
  con.closeSync();
  instance.closeSync();
  return { seconds, records, keys };
}

async function derived(fromRows: number, n: number, overlap: number, tag: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const out = join(OUT, `linkage-${tag}-${fromRows}-${n}.csv`);
  if (existsSync(out) && statSync(out).size > 0) return out;
  await deriveFile({
    seed: 42,
    fromRows,
    rows: n,
    overlap,
    duplicates: 0.02,
    format: 'csv',
    out,
    truth: `${out}.truth.csv`,
  });
  return out;
}

async function load(db: WritableDB, scale: number, path: string, name: string, label: string) {
  let t = performance.now();
  const r = await runImport(db, { path, format: 'auto', encoding: 'auto', name });
  const d = r.datasets[0];
  const importSeconds = (performance.now() - t) / 1000;
  push({ scale, step: `import ${label}`, records: d.rows, seconds: importSeconds });
  t = performance.now();
  await runProfile(db, d.id);
  push({
    scale,
    step: `profile ${label}`,
    records: d.rows,
    seconds: (performance.now() - t) / 1000,
  });
  t = performance.now();
  // At large scales, the rate every 30 s: a run stopped early still shows how the cost grows.
  let lastReport = 0;
  // As the import job runs it: key threads on connections of their own (db.name: the case file).
  const access = {
    casePath: db.name,
    key: caseKeyFor(db.name, PASS),
    ...(nativeBinding ? { nativeBinding } : {}),
  };
  const k = extractKeys(db, d.id, {
    threads: { url: defaultWorkerUrl().href, access },
    onProgress: (p) => {
      const now = Date.now();
      if (d.rows < 1_000_000 || now - lastReport < 30_000) return;
      lastReport = now;
      process.stderr.write(
        `  identity keys ${label}: ${p.records.toLocaleString('en')} records, ${p.rowsPerSecond.toLocaleString('en')}/s, load ${loadavg()[0].toFixed(1)}\n`,
      );
    },
  });
  const keySeconds = (performance.now() - t) / 1000;
  push({
    scale,
    step: `identity keys ${label}`,
    records: d.rows,
    seconds: keySeconds,
    note: `${k.keys.toLocaleString('en')} keys; ${(keySeconds / importSeconds).toFixed(2)}× the import; ${k.threadPages}/${k.pages} pages read by key threads`,
  });
  return { id: d.id, name: d.name, rows: d.rows, physical: `ds_${d.id}` };
}

const nativeBinding = resolveNativeBinding(ROOT);
const PASS = 'bench passphrase';
const caseOptions = { lock: false, cacheMiB: 64, ...(nativeBinding ? { nativeBinding } : {}) };

type Loaded = Awaited<ReturnType<typeof load>>;

/**
 * The case of one scale with its big dataset imported, profiled and keyed: a fresh case in `dir`,
 * or at KEEP_CASE_FROM and above the case kept under bench/out/ by an earlier run (its rows
 * re-printed as cached; datasets other than the big one are dropped so every run starts alike).
 */
async function bigCase(
  scale: number,
  bigFile: string,
  dir: string,
): Promise<{ c: WritableCase; bg: Loaded }> {
  const label = `big (${scale.toLocaleString('en')})`;
  if (scale < KEEP_CASE_FROM) {
    const c = createCase(join(dir, `s${scale}.lscase`), PASS, caseOptions);
    process.stderr.write(`scale ${scale.toLocaleString('en')}: importing\n`);
    return { c, bg: await load(c.db, scale, bigFile, 'big', label) };
  }
  const casePath = join(OUT, `linkage-speed-${scale}.lscase`);
  const sidecar = `${casePath}.rows.json`;
  if (existsSync(casePath) && existsSync(sidecar)) {
    const cached = JSON.parse(readFileSync(sidecar, 'utf8')) as { rows: Row[]; big: Loaded };
    const c = openCase(casePath, PASS, caseOptions);
    for (const d of c.db.prepare("SELECT id, physical FROM datasets WHERE name <> 'big'").all() as {
      id: number;
      physical: string;
    }[]) {
      c.db.prepare('DELETE FROM datasets WHERE id = ?').run(d.id);
      c.db.exec(`DROP TABLE IF EXISTS "${d.physical}"`);
    }
    for (const r of cached.rows) push({ ...r, note: `${r.note ?? ''} (cached case)`.trim() });
    return { c, bg: cached.big };
  }
  for (const f of [casePath, `${casePath}-wal`, `${casePath}-shm`]) rmSync(f, { force: true });
  const c = createCase(casePath, PASS, caseOptions);
  process.stderr.write(`scale ${scale.toLocaleString('en')}: importing\n`);
  const from = rows.length;
  const bg = await load(c.db, scale, bigFile, 'big', label);
  writeFileSync(sidecar, JSON.stringify({ rows: rows.slice(from), big: bg }));
  return { c, bg };
}
/**
 * Blocking, comparisons, EM, scoring and clustering of an earlier and a later leak of n records
 * each: one row for `matches --fuzzy` (candidates, links, CPU seconds, the rules' pair counts)
 * and one for the person view over both datasets (union-find on strong keys and the fuzzy links).
 */
async function fuzzyPair(db: WritableDB, scale: number, n: number): Promise<void> {
  process.stderr.write(`scale ${scale.toLocaleString('en')}: fuzzy ${n} × ${n}\n`);
  const earlier = generated(n, 'csv');
  const later = await derived(n, n, 0.5, 'fuzzy');
  const ea = await load(
    db,
    scale,
    earlier,
    'n-earlier',
    `fuzzy earlier (${n.toLocaleString('en')})`,
  );
  const la = await load(db, scale, later, 'n-later', `fuzzy later (${n.toLocaleString('en')})`);
  let t = performance.now();
  let cpu = process.cpuUsage();
  const m = runMatches(db, la, ea, { fuzzy: true, limit: 0 });
  const cpuSeconds = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1e6).toFixed(1);
  const blocking = m.result.blocking!;
  for (const r of blocking.rules)
    process.stderr.write(
      `  rule ${r.name}: ${r.pairs.toLocaleString('en')} pairs, ${r.skippedBlocks} blocks skipped\n`,
    );
  push({
    scale,
    step: `fuzzy ${n.toLocaleString('en')} × ${n.toLocaleString('en')}`,
    records: la.rows + ea.rows,
    seconds: (performance.now() - t) / 1000,
    note: `${blocking.candidatePairs.toLocaleString('en')} candidate pairs (${(blocking.candidatePairs / la.rows).toFixed(1)} per record), ${m.result.pairsTotal.toLocaleString('en')} links; CPU ${cpuSeconds(process.cpuUsage(cpu))} s`,
  });
  t = performance.now();
  cpu = process.cpuUsage();
  const cl = linkageClusters(db, { datasets: ['n-earlier', 'n-later'] });
  push({
    scale,
    step: `clusters of both (${n.toLocaleString('en')} + ${n.toLocaleString('en')})`,
    records: la.rows + ea.rows,
    seconds: (performance.now() - t) / 1000,
    note: `${cl.people.toLocaleString('en')} people, ${cl.links.fuzzy.toLocaleString('en')} fuzzy links; CPU ${cpuSeconds(process.cpuUsage(cpu))} s`,
  });
}

if (fuzzyOnly !== null) {
  // Each N in a fresh case holding only its two leaks, smallest first: the growth, row by row.
  for (const n of fuzzyOnly) {
    const dir = join(tmpdir(), `leakscope-linkage-fuzzy-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const c = createCase(join(dir, 'fuzzy.lscase'), PASS, caseOptions);
    try {
      await fuzzyPair(c.db, n, n);
    } finally {
      c.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

for (const scale of scales) {
  const small = Math.round(scale / 10);
  process.stderr.write(`scale ${scale.toLocaleString('en')}: preparing inputs\n`);
  const bigFile = generated(scale, 'csv');
  // Half of the small leak re-appears in the big one.
  const smallFile = await derived(scale, small, (small * 0.5) / scale, 'overlap');
  const fuzzyN = Math.min(small, fuzzyMax);

  const dir = join(tmpdir(), `leakscope-linkage-speed-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const { c, bg } = await bigCase(scale, bigFile, dir);
  try {
    const sm = await load(c.db, scale, smallFile, 'small', `small (${small.toLocaleString('en')})`);
    process.stderr.write(`scale ${scale.toLocaleString('en')}: overlap\n`);
    const t = performance.now();
    const ov = linkageOverlap(c.db, { dataset: 'small', against: ['big'], upset: false });
    push({
      scale,
      step: `overlap ${small.toLocaleString('en')} vs ${scale.toLocaleString('en')} (strong keys + verdict)`,
      records: sm.rows,
      seconds: (performance.now() - t) / 1000,
      note: `${ov.records.toLocaleString('en')} records matched; ${ov.verdicts[0].verdict}`,
    });
    const duck = await duckOverlap(c.db, sm.id, bg.id);
    if (typeof duck === 'string') process.stderr.write(`${duck}\n`);
    else
      push({
        scale,
        step: `peer: DuckDB join ${small.toLocaleString('en')} vs ${scale.toLocaleString('en')} (same strong keys, in memory, 2 threads)`,
        records: sm.rows,
        seconds: duck.seconds,
        note: `${duck.records.toLocaleString('en')} records matched (${duck.keys.toLocaleString('en')} keys copied, not timed); Leakscope ÷ DuckDB ${(rows[rows.length - 1].seconds / duck.seconds).toFixed(2)}×`,
      });
    if (fuzzyN < small)
      process.stderr.write(`fuzzy capped by --fuzzy-max at ${fuzzyN} (scale/10 = ${small})\n`);
    if (fuzzyN > 0) await fuzzyPair(c.db, scale, fuzzyN);
  } finally {
    c.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = [
  '\n## Linkage speed',
  `machine: ${machine()}; date: ${new Date().toISOString().slice(0, 10)}; peak RSS ${peakRssMB()} MB`,
  '',
  '| scale | step | records | seconds | records/s | peak RSS so far (MB) | note |',
  '|---:|---|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.scale.toLocaleString('en')} | ${r.step} | ${r.records.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${Math.round(r.records / r.seconds).toLocaleString('en')} | ${r.rssMB ?? ''} | ${r.note ?? ''} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
