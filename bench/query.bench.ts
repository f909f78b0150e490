/**
 * Query speed on a generated dataset (default 10M rows) in an encrypted case: first page of an
 * indexed equality filter, full-text substring searches, an unindexed `contains` (first page and
 * completion), the page at 90% of the dataset against the first page (keyset; OFFSET shown for
 * contrast), and the same work done by DuckDB (@duckdb/node-api) on the same rows, with ratios.
 *
 *   npm run bench -- query                 (10M rows: the first run builds the case, ~20 min)
 *   npm run bench -- query --rows 1000000  (quick)
 *   npx tsx bench/query.bench.ts --build-only  (only build the cached case, for ui.bench.ts)
 *   npx tsx bench/query.bench.ts --positional  (only the grid's access paths: end, jumps, open)
 *
 * The case (import + search index + the email and nom indexes) and the DuckDB file are cached
 * under bench/out/, keyed by rows. Queries run in-process on the engine's functions (what the
 * query worker runs), on a fresh connection with the engine's default 64 MiB page cache; the
 * worker round trip is measured separately. Times are medians of 5 runs after one warm-up.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../src/main/engine/import/pipeline';
import type * as DuckDb from '@duckdb/node-api';
import { createEngine } from '../src/main/engine';
import { exactCount } from '../src/main/engine/query/count';
import { loadDataset, resolveColumn } from '../src/main/engine/query/dataset';
import { ensureColumnIndex } from '../src/main/engine/query/indexes';
import { encodeCursor, queryFingerprint } from '../src/main/engine/query/keyset';
import { runRowsQuery } from '../src/main/engine/query/page';
import { planQuery } from '../src/main/engine/query/plan';
import { buildSearchIndex } from '../src/main/engine/query/search';
import { registerQueryFunctions } from '../src/main/engine/query/functions';
import { closeQueryWorkers } from '../src/main/engine/query/pool';
import { createCase, openCase, resolveNativeBinding } from '../src/main/engine/store';
import type { WritableDB } from '../src/main/engine/store';
import { RowsQueryInput, type RowsQueryResult } from '../src/shared/api';
import type { RowsQueryInput as RowsQueryIn } from '../src/shared/api';
import { benchArgs, generated, machine, OUT, ROOT } from './lib';

/** The DuckDB package is optional: loaded dynamically, typed from its declarations. */
type DuckDbModule = typeof DuckDb;

const args = benchArgs({ rows: 10_000_000 });
const ROWS = args.rows;
const PASS = 'bench passphrase';
const nativeBinding = resolveNativeBinding(ROOT);
const casePath = join(OUT, `query-${ROWS}.lscase`);
const metaPath = join(OUT, `query-${ROWS}.json`);
const duckPath = join(OUT, `query-${ROWS}.duckdb`);

interface BuildMeta {
  rows: number;
  importSeconds: number;
  ftsSeconds: number;
  indexSeconds: Record<string, number>;
  caseBytes: number;
  probe: { email: string; substring: string };
}

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

function fileBytes(path: string): number {
  let n = 0;
  for (const suffix of ['', '-wal'])
    if (existsSync(path + suffix)) n += statSync(path + suffix).size;
  return n;
}

/** Builds (once) the encrypted case: import, search index, email and nom indexes. */
async function buildCase(csv: string): Promise<BuildMeta> {
  if (existsSync(metaPath) && existsSync(casePath)) {
    return JSON.parse(readFileSync(metaPath, 'utf8')) as BuildMeta;
  }
  for (const s of ['', '-wal', '-shm', '.lock']) rmSync(casePath + s, { force: true });
  log(`building ${casePath} (import, search index, indexes)...`);
  const c = createCase(casePath, PASS, {
    lock: false,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  registerQueryFunctions(c.db);
  let t = performance.now();
  const r = await runImport(c.db, { path: csv, name: 'people', format: 'csv', encoding: 'auto' });
  const importSeconds = (performance.now() - t) / 1000;
  log(`import: ${r.rows} rows in ${importSeconds.toFixed(1)} s`);
  t = performance.now();
  let last = 0;
  await buildSearchIndex(c.db, r.datasets[0]!.id, {
    signal: new AbortController().signal,
    onProgress: (p) => {
      if (performance.now() - last < 10_000) return;
      last = performance.now();
      log(`search index: ${p.records} rows, ETA ${Math.round(p.etaSeconds ?? 0)} s`);
    },
  });
  const ftsSeconds = (performance.now() - t) / 1000;
  log(`search index: ${ftsSeconds.toFixed(1)} s`);
  const ds = loadDataset(c.db, 'people');
  const indexSeconds: Record<string, number> = {};
  for (const name of ['email', 'nom']) {
    indexSeconds[name] = ensureColumnIndex(c.db, ds, resolveColumn(ds, name)).seconds;
    log(`index on ${name}: ${indexSeconds[name]!.toFixed(1)} s`);
  }
  const mid = c.db
    .prepare('SELECT c_7 AS email FROM ds_1 WHERE id >= ? AND c_7 LIKE ? LIMIT 1')
    .get(Math.floor(ROWS / 2), '%_@_%') as { email: string };
  c.close();
  const local = mid.email.split('@')[0]!;
  const meta: BuildMeta = {
    rows: r.rows,
    importSeconds,
    ftsSeconds,
    indexSeconds,
    caseBytes: fileBytes(casePath),
    probe: { email: mid.email, substring: local.slice(Math.max(0, local.length - 9)) + '@' },
  };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  return meta;
}

interface Timing {
  first: number;
  median: number;
}

async function time(fn: () => Promise<unknown> | unknown, runs = 5): Promise<Timing> {
  let t = performance.now();
  await fn();
  const first = performance.now() - t;
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await fn();
    all.push(performance.now() - t);
  }
  all.sort((a, b) => a - b);
  return { first, median: all[Math.floor(all.length / 2)]! };
}

const ms = (v: number) =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 2 : 1)} ms`;

interface Line {
  what: string;
  ours: Timing;
  peer?: Timing | null;
  target?: string;
  note?: string;
}

async function leakscope(meta: BuildMeta): Promise<Line[]> {
  const c = openCase(casePath, PASS, {
    lock: false,
    cacheMiB: 64,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  const db: WritableDB = c.db;
  registerQueryFunctions(db);
  const q = (input: Parameters<typeof RowsQueryInput.parse>[0]) =>
    runRowsQuery(db, RowsQueryInput.parse(input));
  const expectRows = (r: RowsQueryResult, what: string) => {
    if (r.rows.length === 0) throw new Error(`${what}: no rows`);
    return r;
  };
  const lines: Line[] = [];
  const deepAt = Math.floor(ROWS * 0.9);
  const eq = { column: 'email', op: 'equals', value: meta.probe.email } as const;
  const contains = { column: 'adresse', op: 'contains', value: 'impasse des' } as const;
  const short = { column: 'adresse', op: 'contains', value: 'ss' } as const;
  lines.push({
    what: `indexed equality filter (email = …), first page + exact total`,
    ours: await time(async () => expectRows(await q({ dataset: 'people', filter: eq }), 'eq')),
    target: '< 50 ms',
  });
  const rare = await q({ dataset: 'people', search: meta.probe.substring });
  lines.push({
    what: `full-text substring "${meta.probe.substring}" (${rare.total} match${rare.total === 1 ? '' : 'es'}), first page + total`,
    ours: await time(async () =>
      expectRows(await q({ dataset: 'people', search: meta.probe.substring }), 'fts'),
    ),
    target: '< 200 ms',
  });
  const common = await q({ dataset: 'people', search: 'laposte' });
  lines.push({
    what: `full-text "laposte" (${common.total.toLocaleString('en')}${common.totalExact ? '' : ' est.'} matches), first page + total`,
    ours: await time(async () =>
      expectRows(await q({ dataset: 'people', search: 'laposte' }), 'fts2'),
    ),
    target: '< 200 ms',
  });
  lines.push({
    what: 'unindexed contains (adresse contains "impasse des"), first page',
    ours: await time(async () =>
      expectRows(await q({ dataset: 'people', filter: contains, countMode: 'none' }), 'contains'),
    ),
    target: 'quick',
  });
  const ds = loadDataset(db, 'people');
  let total = 0;
  lines.push({
    what: 'unindexed contains, to completion (exact count), scan (as before: no search index, 1 thread)',
    ours: await time(async () => {
      total = await exactCount(db, planQuery(db, ds, contains, undefined, { filterIndex: false }));
    }, 1),
    target: 'seconds',
  });
  lines[lines.length - 1]!.note = `${total.toLocaleString('en')} matches`;
  lines.push({
    what: 'unindexed contains, to completion (exact count), narrowed by the search index (1 thread)',
    ours: await time(async () => {
      total = await exactCount(db, planQuery(db, ds, contains, undefined));
    }, 1),
    target: 'seconds',
  });
  lines[lines.length - 1]!.note = `${total.toLocaleString('en')} matches`;
  lines.push({
    what: 'contains "ss" (2 characters: no trigram), to completion, scan (1 thread)',
    ours: await time(async () => {
      total = await exactCount(db, planQuery(db, ds, short, undefined));
    }, 1),
  });
  lines[lines.length - 1]!.note = `${total.toLocaleString('en')} matches`;
  lines.push({
    what: 'first page, import order',
    ours: await time(async () =>
      expectRows(await q({ dataset: 'people', countMode: 'none' }), 'p1'),
    ),
  });
  const fpId = queryFingerprint({
    datasetId: ds.id,
    filter: undefined,
    search: undefined,
    sort: [],
  });
  const deepCursor = encodeCursor(db, { q: fpId, k: [], id: deepAt });
  lines.push({
    what: `page at row ${deepAt.toLocaleString('en')}, import order (keyset)`,
    ours: await time(async () =>
      expectRows(await q({ dataset: 'people', countMode: 'none', cursor: deepCursor }), 'deep'),
    ),
    target: '= first page',
  });
  const sort = [{ column: 'nom', desc: false }];
  lines.push({
    what: 'first page sorted by nom (indexed)',
    ours: await time(async () =>
      expectRows(await q({ dataset: 'people', sort, countMode: 'none' }), 's1'),
    ),
  });
  const key = db
    .prepare('SELECT c_1 AS k, id FROM ds_1 ORDER BY c_1, id LIMIT 1 OFFSET ?')
    .get(deepAt) as {
    k: string;
    id: number;
  };
  const fpSort = queryFingerprint({
    datasetId: ds.id,
    filter: undefined,
    search: undefined,
    sort: [{ column: 'c_1', desc: false }],
  });
  const sortedCursor = encodeCursor(db, { q: fpSort, k: [key.k], id: key.id });
  lines.push({
    what: `page at row ${deepAt.toLocaleString('en')} sorted by nom (keyset)`,
    ours: await time(async () =>
      expectRows(
        await q({ dataset: 'people', sort, countMode: 'none', cursor: sortedCursor }),
        'sdeep',
      ),
    ),
    target: '= first page',
  });
  lines.push({
    what: `same page by OFFSET ${deepAt.toLocaleString('en')} (for contrast; never used)`,
    ours: await time(
      () => db.prepare('SELECT * FROM ds_1 ORDER BY c_1, id LIMIT 100 OFFSET ?').all(deepAt),
      1,
    ),
  });
  c.close();

  // The product path: the engine and its warm query worker thread.
  const engine = createEngine({ appVersion: 'bench', ...(nativeBinding ? { nativeBinding } : {}) });
  await engine.call('case.open', { path: casePath, passphrase: PASS });
  const viaWorker = await time(() => engine.call('rows.query', { dataset: 'people', filter: eq }));
  lines.push({
    what: 'indexed equality through the engine (query worker, audited)',
    ours: viaWorker,
    note: `first call ${ms(viaWorker.first)} includes the worker start`,
  });
  lines.push({
    what: 'contains "impasse des", rows.count through the engine (search index, 2 query workers)',
    ours: await time(() => engine.call('rows.count', { dataset: 'people', filter: contains }), 1),
    target: 'seconds',
  });
  lines.push({
    what: 'contains "ss", rows.count through the engine (scan, 2 query workers in parallel)',
    ours: await time(() => engine.call('rows.count', { dataset: 'people', filter: short }), 1),
  });
  closeQueryWorkers();
  engine.close();
  return lines;
}

/** DuckDB on the same CSV (all columns VARCHAR, as Leakscope stores them), if installed. */
async function duckdb(csv: string, meta: BuildMeta): Promise<(Timing | null)[] | string> {
  let mod: DuckDbModule;
  try {
    mod = await import('@duckdb/node-api');
  } catch {
    return 'DuckDB peer skipped: @duckdb/node-api is not installed';
  }
  const fresh = !existsSync(duckPath);
  const instance = await mod.DuckDBInstance.create(duckPath);
  const con = await instance.connect();
  if (fresh) {
    log(`building ${duckPath}...`);
    const t = performance.now();
    await con.run(
      `CREATE TABLE people AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true, all_varchar = true)`,
    );
    log(`DuckDB load: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const cols = (await con.runAndReadAll('SELECT * FROM people LIMIT 0')).columnNames();
  const doc = `strip_accents(lower(concat_ws(chr(31), ${cols.map((c) => `"${c}"`).join(', ')})))`;
  const all = (sql: string, values: string[] = []) => con.runAndReadAll(sql, values);
  const deepAt = Math.floor(ROWS * 0.9);
  const out: (Timing | null)[] = [
    await time(() => all('SELECT * FROM people WHERE email = $1 LIMIT 101', [meta.probe.email])),
    await time(() =>
      all(`SELECT * FROM people WHERE ${doc} LIKE $1 LIMIT 101`, [
        `%${meta.probe.substring.toLowerCase()}%`,
      ]),
    ),
    await time(() => all(`SELECT * FROM people WHERE ${doc} LIKE '%laposte%' LIMIT 101`)),
    await time(() =>
      all(
        "SELECT * FROM people WHERE strip_accents(lower(adresse)) LIKE '%impasse des%' LIMIT 101",
      ),
    ),
    await time(
      () =>
        all("SELECT count(*) FROM people WHERE strip_accents(lower(adresse)) LIKE '%impasse des%'"),
      1,
    ),
    await time(
      () =>
        all("SELECT count(*) FROM people WHERE strip_accents(lower(adresse)) LIKE '%impasse des%'"),
      1,
    ),
    await time(
      () => all("SELECT count(*) FROM people WHERE strip_accents(lower(adresse)) LIKE '%ss%'"),
      1,
    ),
    await time(() => all('SELECT * FROM people ORDER BY rowid LIMIT 101')),
    await time(() => all(`SELECT * FROM people WHERE rowid >= ${deepAt} ORDER BY rowid LIMIT 101`)),
    await time(() => all('SELECT * FROM people ORDER BY nom, rowid LIMIT 101')),
    await time(() => all(`SELECT * FROM people ORDER BY nom, rowid LIMIT 101 OFFSET ${deepAt}`), 1),
    null,
    null,
    await time(
      () =>
        all("SELECT count(*) FROM people WHERE strip_accents(lower(adresse)) LIKE '%impasse des%'"),
      1,
    ),
    await time(
      () => all("SELECT count(*) FROM people WHERE strip_accents(lower(adresse)) LIKE '%ss%'"),
      1,
    ),
  ];
  con.closeSync();
  instance.closeSync();
  return out;
}

/**
 * Positional access and the first page of a freshly opened case (issue 9 point 6): the last page
 * of a result (read from the end), a jump into the middle (`at`: exact in import order, estimated
 * when sorted or filtered), and case.open → first page through the engine, with the query worker
 * started at open. No DuckDB peer: these are the grid's access paths.
 */
async function positional(at: { path: string; pass: string }): Promise<Line[]> {
  const { path: casePath, pass: PASS } = at;
  const c = openCase(casePath, PASS, {
    lock: false,
    cacheMiB: 64,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  const db: WritableDB = c.db;
  registerQueryFunctions(db);
  const q = (input: RowsQueryIn) => runRowsQuery(db, RowsQueryInput.parse(input));
  const lines: Line[] = [];
  const mid = Math.floor(ROWS / 2);
  const short = { column: 'adresse', op: 'contains', value: 'ss' } as const;
  const sort = [{ column: 'nom', desc: false }];
  const page = async (input: RowsQueryIn, what: string) => {
    const r = await q({ countMode: 'none', limit: 200, ...input });
    if (r.rows.length === 0) throw new Error(`${what}: no rows`);
    return r;
  };
  const cases: [string, RowsQueryIn, string?][] = [
    ['last page, import order (from the end)', { dataset: 'people', from: 'end' }, '< 50 ms'],
    [
      'last page, filtered adresse contains "ss" (scan, from the end)',
      { dataset: 'people', from: 'end', filter: short },
      '< 200 ms',
    ],
    [
      'last page, search "laposte" (from the end)',
      { dataset: 'people', from: 'end', search: 'laposte' },
      '< 200 ms',
    ],
    ['last page sorted by nom (from the end)', { dataset: 'people', from: 'end', sort }, '< 50 ms'],
    [
      `page at ${mid.toLocaleString('en')}, import order (at: exact seek)`,
      { dataset: 'people', at: mid },
      '< 50 ms',
    ],
    [
      `page at ≈${mid.toLocaleString('en')} sorted by nom (at: sampled estimate)`,
      { dataset: 'people', at: mid, sort },
      '< 300 ms',
    ],
    [
      `page at ≈${Math.floor(mid / 10).toLocaleString('en')}, filtered contains "ss" (at: sampled estimate)`,
      { dataset: 'people', at: Math.floor(mid / 10), filter: short },
      '< 300 ms',
    ],
  ];
  for (const [what, input, target] of cases) {
    let r: RowsQueryResult | null = null;
    const t = await time(async () => (r = await page(input, what)));
    const pos = (r as RowsQueryResult | null)?.position;
    lines.push({
      what,
      ours: t,
      ...(target ? { target } : {}),
      ...(pos ? { note: pos.exact ? 'exact position' : 'estimated position' } : {}),
    });
  }
  // Where an estimated jump landed: the real position of its first row (sorted view).
  const jump = await page({ dataset: 'people', at: mid, sort }, 'jump');
  const first = jump.rows[0]!;
  const real = (
    db
      .prepare(
        'SELECT count(*) AS n FROM ds_1 WHERE c_1 IS NULL OR c_1 < ? OR (c_1 = ? AND id < ?)',
      )
      .get(first.values.nom, first.values.nom, first.id) as { n: number }
  ).n;
  lines[5]!.note = `landed at ${real.toLocaleString('en')} (${(((real - mid) / ROWS) * 100).toFixed(2)}% of the rows off)`;
  c.close();

  // case.open → first page through the engine (the worker is started at open).
  for (const [label, delayMs] of [
    ['case.open then first page at once', 0],
    ['first page 1 s after case.open (worker started at open)', 1000],
  ] as const) {
    const engine = createEngine({
      appVersion: 'bench',
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    const t0 = performance.now();
    await engine.call('case.open', { path: casePath, passphrase: PASS });
    const opened = performance.now() - t0;
    await new Promise((r) => setTimeout(r, delayMs));
    const t1 = performance.now();
    await engine.call('rows.query', { dataset: 'people', limit: 200, countMode: 'none' });
    const pageMs = performance.now() - t1;
    lines.push({
      what: label,
      ours: {
        first: delayMs ? pageMs : opened + pageMs,
        median: delayMs ? pageMs : opened + pageMs,
      },
      target: '< 1 s',
      note: `case.open ${ms(opened)}`,
    });
    closeQueryWorkers();
    engine.close();
  }
  return lines;
}

// `--positional`: only the grid's access paths (no DuckDB peer). Without this benchmark's case,
// on the UI benchmark's copy of the records e2e case (`ui-<rows>.lscase`, 1M rows), if present.
const only = process.argv.includes('--positional');
const uiCopy = join(OUT, `ui-${ROWS}.lscase`);
const borrowed =
  only &&
  !existsSync(metaPath) &&
  existsSync(uiCopy) &&
  existsSync(join(OUT, `ui-e2e-${ROWS}.lscase.ready`));
const csv = borrowed ? '' : generated(ROWS, 'csv');
const meta = borrowed ? null : await buildCase(csv);
// `--build-only`: prepare the cached case (the UI benchmark's input) without measuring.
if (process.argv.includes('--build-only')) process.exit(0);
const ours = only || !meta ? [] : await leakscope(meta);
const peer = only || !meta ? [] : await duckdb(csv, meta);
if (Array.isArray(peer)) ours.forEach((l, i) => (l.peer = peer[i] ?? null));
ours.push(
  ...(await positional(
    borrowed ? { path: uiCopy, pass: 'records e2e passphrase' } : { path: casePath, pass: PASS },
  )),
);

const lines = [
  `\n## Query: ${ROWS.toLocaleString('en')} generated people, 16 columns, encrypted case`,
  `machine: ${machine()}; date: ${new Date().toISOString().slice(0, 10)}`,
  `case: ${
    borrowed || !meta
      ? `the UI benchmark's copy of the records e2e case (${uiCopy})`
      : `${(meta.caseBytes / 1024 ** 3).toFixed(2)} GiB; import ${meta.importSeconds.toFixed(0)} s, search index ${meta.ftsSeconds.toFixed(0)} s, indexes ${Object.entries(
          meta.indexSeconds,
        )
          .map(([k, v]) => `${k} ${v.toFixed(0)} s`)
          .join(', ')}`
  }; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  '',
  '| measurement | Leakscope (median / first) | DuckDB (median / first) | Leakscope ÷ DuckDB | target |',
  '|---|---:|---:|---:|---|',
];
for (const l of ours) {
  const peerText = l.peer ? `${ms(l.peer.median)} / ${ms(l.peer.first)}` : '–';
  const ratio = l.peer ? `${(l.ours.median / l.peer.median).toFixed(2)}×` : '–';
  lines.push(
    `| ${l.what}${l.note ? ` (${l.note})` : ''} | ${ms(l.ours.median)} / ${ms(l.ours.first)} | ${peerText} | ${ratio} | ${l.target ?? ''} |`,
  );
}
if (typeof peer === 'string') lines.push('', peer);
process.stdout.write(`${lines.join('\n')}\n`);
