/**
 * Export speed: generated people (1,000,000 by default) in an encrypted case, exported through
 * the `share-with-authority` policy by the engine (job worker: read, redact, write, then re-read
 * and verify the whole file before keeping it: what `leakscope export` does) as CSV, NDJSON and
 * XLSX, against a plain CSV copy of the same rows (same query, same writer, no redaction and no
 * verification) as the peer. Each subject runs in its own process, so peak RSS is its own.
 *
 * The case is built once (import of the generated CSV) and kept under bench/out/ for later runs.
 *
 *   npm run bench -- export --rows 1000000
 *   npm run bench -- export --rows 100000 --quick      (CSV subjects only)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../src/main/engine';
import { CsvWriter } from '../src/main/engine/export/csv';
import { FileSink } from '../src/main/engine/export/sink';
import { openSource } from '../src/main/engine/export/source';
import { runImport } from '../src/main/engine/import/pipeline';
import { createCase, openCase, resolveNativeBinding } from '../src/main/engine/store';
import {
  benchArgs,
  generated,
  OUT,
  printFigures,
  report,
  ROOT,
  runSubject,
  type Figure,
} from './lib';

const args = benchArgs({ rows: 1_000_000 });
const PASSPHRASE = 'bench passphrase';
const nativeBinding = resolveNativeBinding(ROOT);
const casePath = join(OUT, `export-case-${args.rows}.lscase`);
const DATASET = 'people';

function engine() {
  return createEngine({ appVersion: 'bench', ...(nativeBinding ? { nativeBinding } : {}) });
}

/** Opens the case read-write once: applies any schema upgrade made since it was built. */
async function upgradeCase(): Promise<void> {
  const e = engine();
  try {
    await e.call('case.open', { path: casePath, passphrase: PASSPHRASE });
  } finally {
    e.close();
  }
}

/**
 * Builds (once) the case holding the generated people; an existing one is upgraded first (in a
 * child process, so this process's memory does not count in the subjects' peak RSS: a child
 * starts with its parent's maxRSS on Linux), as the plain copy opens it read-only.
 */
async function ensureCase(): Promise<void> {
  if (existsSync(casePath)) {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL(import.meta.url).pathname,
        '--subject',
        'upgrade',
        '--rows',
        String(args.rows),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (r.status !== 0) throw new Error(`could not open ${casePath} to upgrade it`);
    return;
  }
  // What an export needs: the rows and their profile (the policy acts per PII kind). The import
  // job's other post-import steps (identity keys, search index) take most of a 10M build and
  // play no part in a CSV/NDJSON/XLSX export, so the case is built without them.
  const csv = generated(args.rows, 'csv');
  process.stderr.write(`importing ${csv} into ${casePath} (rows + profile)\n`);
  try {
    const c = createCase(casePath, PASSPHRASE, {
      lock: false,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    try {
      const r = await runImport(c.db, {
        path: csv,
        name: DATASET,
        format: 'csv',
        encoding: 'auto',
      });
      if (r.rows !== args.rows) throw new Error(`imported ${r.rows} rows, expected ${args.rows}`);
    } finally {
      c.close();
    }
    const e = engine();
    try {
      await e.call('case.open', { path: casePath, passphrase: PASSPHRASE });
      await e.call('profile.run', { dataset: DATASET });
    } finally {
      e.close();
    }
  } catch (err) {
    for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(casePath + suffix, { force: true });
    throw err;
  }
}

async function subject(name: string): Promise<void> {
  const out = join(OUT, `export-${name}.out`);
  rmSync(out, { force: true });
  rmSync(`${out}.manifest.json`, { force: true });
  if (name === 'copy') {
    const c = openCase(casePath, PASSPHRASE, {
      readOnly: true,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    const t0 = performance.now();
    const source = openSource(c.db, { dataset: DATASET });
    const sink = new FileSink(out);
    const w = new CsvWriter(sink, { delimiter: ',', bom: false });
    w.row(['_ordinal', '_line', ...source.ds.columns.map((col) => col.name)]);
    let rows = 0;
    for (const r of source.records()) {
      w.row([r.ordinal, r.line, ...r.values]);
      rows++;
    }
    sink.close();
    const seconds = (performance.now() - t0) / 1000;
    c.close();
    report({ subject: 'plain CSV copy (no redaction)', rows, bytes: statSync(out).size, seconds });
  } else {
    const e = engine();
    await e.call('case.open', { path: casePath, passphrase: PASSPHRASE });
    const t0 = performance.now();
    const r = await e.call('export.run', {
      dataset: DATASET,
      format: name as 'csv' | 'ndjson' | 'xlsx',
      out,
      policy: 'share-with-authority',
      overwrite: true,
    });
    const seconds = (performance.now() - t0) / 1000;
    e.close();
    report({
      subject: `${name} share-with-authority, verified`,
      rows: r.rows,
      bytes: r.bytes,
      seconds,
    });
  }
  rmSync(out, { force: true });
  rmSync(`${out}.manifest.json`, { force: true });
}

if (args.subject === 'upgrade') {
  await upgradeCase();
} else if (args.subject) {
  await subject(args.subject);
} else {
  await ensureCase();
  const self = new URL(import.meta.url).pathname;
  const rowsArg = ['--rows', String(args.rows)];
  const figures: Figure[] = [runSubject(self, 'copy', rowsArg)];
  for (const format of args.quick ? ['csv'] : ['csv', 'ndjson', 'xlsx']) {
    figures.push(runSubject(self, format, rowsArg));
  }
  printFigures(
    `Export: ${args.rows.toLocaleString('en')} generated people, 16 columns, share-with-authority`,
    figures,
    'plain CSV copy (no redaction)',
  );
}
