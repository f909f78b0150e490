/**
 * Import speed: the same generated people imported as CSV, NDJSON, JSON array and MySQL dump into
 * an encrypted case (parse + provenance + SHA-256 + encrypted writes + post-import steps, through
 * the engine and its job worker: what `leakscope import` does), against
 * Debian's `sqlite3` CLI `.import` of the CSV into an unencrypted file, back to back.
 *
 *   npm run bench -- import --rows 1000000
 */
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../src/main/engine';
import { resolveNativeBinding } from '../src/main/engine/store';
import { benchArgs, generated, printFigures, report, ROOT, runSubject, type Figure } from './lib';

const args = benchArgs({ rows: 1_000_000 });

async function subject(name: string, file: string, rows: number): Promise<void> {
  const target = join(tmpdir(), `leakscope-import-${process.pid}.db`);
  rmSync(target, { force: true });
  if (name === 'sqlite3') {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'sqlite3', target], {
      input: `.mode csv\n.import ${file} ds\n`,
      encoding: 'utf8',
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
    const rssKb = Number(r.stderr.trim().split('\n').pop());
    rmSync(target, { force: true });
    process.stdout.write(
      `${JSON.stringify({ subject: 'sqlite3 .import (plain)', rows, bytes: statSync(file).size, seconds, peakRssMB: Math.round(rssKb / 1024) })}\n`,
    );
    return;
  }
  // The product path: engine → job worker (parse, provenance, hash, encrypted writes) with its
  // checkpointer thread, then the post-import steps (profile, search index, identity keys).
  const nativeBinding = resolveNativeBinding(ROOT);
  const engine = createEngine({ appVersion: 'bench', ...(nativeBinding ? { nativeBinding } : {}) });
  await engine.call('case.create', { path: target, passphrase: 'bench passphrase' });
  const t0 = performance.now();
  const r = await engine.call('import.run', { path: file });
  const seconds = (performance.now() - t0) / 1000;
  engine.close();
  rmSync(target, { force: true });
  if (r.rows !== rows || r.rejected !== 0)
    throw new Error(`${name}: ${r.rows} rows, ${r.rejected} rejected`);
  report({
    subject: `${name} → encrypted case`,
    rows: r.rows,
    bytes: statSync(file).size,
    seconds,
  });
}

if (args.subject) {
  await subject(args.subject, args.input!, args.rows);
} else {
  const self = new URL(import.meta.url).pathname;
  const rowsArg = ['--rows', String(args.rows)];
  const csv = generated(args.rows, 'csv');
  const figures: Figure[] = [runSubject(self, 'sqlite3', ['--input', csv, ...rowsArg])];
  figures.push(runSubject(self, 'csv', ['--input', csv, ...rowsArg]));
  for (const format of ['ndjson', 'json', 'mysql']) {
    figures.push(runSubject(self, format, ['--input', generated(args.rows, format), ...rowsArg]));
  }
  printFigures(
    `Import: ${args.rows.toLocaleString('en')} generated people, 16 columns`,
    figures,
    'sqlite3 .import (plain)',
  );
}
