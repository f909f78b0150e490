/**
 * Profiling speed: a generated leak of 1M rows × 12 columns imported into an encrypted case,
 * then profiled (the post-import step: one streaming read of the table, statistics on every
 * value, detectors on the record sample), against the import itself. Also measured: a bare read
 * of the same table (the floor of any pass after the import), so the profiler's own cost — what
 * it would add if fed from the import's pass — is visible.
 *
 *   npm run bench -- profile --rows 1000000
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../src/main/engine/import/pipeline';
import { profileDataset } from '../src/main/engine/profile';
import { createCase, openCase, resolveNativeBinding, sqlId } from '../src/main/engine/store';
import { benchArgs, generated, printFigures, report, ROOT, runSubject, type Figure } from './lib';

const args = benchArgs({ rows: 1_000_000 });
const COLUMNS =
  'last_name,first_name,sex,birth_date,nir,france_travail_id,email,phone,address,postal_code,city,iban';
const PASS = 'bench passphrase';
const nativeBinding = resolveNativeBinding(ROOT);
const opts = { lock: false, ...(nativeBinding ? { nativeBinding } : {}) };

async function subject(name: string, file: string, target: string): Promise<void> {
  const bytes = statSync(file).size;
  if (name === 'import') {
    for (const ext of ['', '-wal', '-shm']) rmSync(target + ext, { force: true });
    const c = createCase(target, PASS, opts);
    const t0 = performance.now();
    const r = await runImport(c.db, { path: file, format: 'auto', encoding: 'auto' });
    const seconds = (performance.now() - t0) / 1000;
    c.close();
    report({
      subject: 'import (parse + encrypted writes, no post-import steps)',
      rows: r.rows,
      bytes,
      seconds,
    });
    return;
  }
  const c = openCase(target, PASS, opts);
  const d = c.db
    .prepare('SELECT id, physical, rows FROM datasets ORDER BY id DESC LIMIT 1')
    .get() as {
    id: number;
    physical: string;
    rows: number;
  };
  const t0 = performance.now();
  if (name === 'read') {
    const cols = (
      c.db.prepare('SELECT idx FROM dataset_columns WHERE dataset_id = ?').all(d.id) as {
        idx: number;
      }[]
    )
      .map((x) => sqlId(`c_${x.idx}`))
      .join(', ');
    const readSql = `SELECT ${cols} FROM ${sqlId(d.physical)}`;
    let n = 0;
    for (const _row of c.db.prepare(readSql).raw(true).iterate()) n++;
    report({
      subject: 'bare read of the table (floor of a pass after import)',
      rows: n,
      bytes,
      seconds: (performance.now() - t0) / 1000,
    });
  } else {
    const p = await profileDataset(c.db, d.id);
    const seconds = (performance.now() - t0) / 1000;
    const kinds = p.columns.map((x) => x.kind).join(',');
    report({
      subject: 'profile (post-import pass: read + statistics + detectors)',
      rows: p.rows,
      bytes,
      seconds,
      note: kinds.length > 0 ? `${p.sampledRecords} sampled records` : '',
    });
  }
  c.close();
}

if (args.subject) {
  await subject(args.subject, args.input!, process.env.PROFILE_BENCH_CASE!);
} else {
  const self = new URL(import.meta.url).pathname;
  const file = generated(args.rows, 'csv', ['--columns', COLUMNS]);
  const target = join(tmpdir(), `leakscope-profile-bench-${process.pid}.lscase`);
  process.env.PROFILE_BENCH_CASE = target;
  const figures: Figure[] = [];
  const imp = runSubject(self, 'import', ['--input', file]);
  figures.push(imp);
  const read = runSubject(self, 'read', ['--input', file]);
  const prof = runSubject(self, 'profile', ['--input', file]);
  figures.push(prof, read);
  for (const ext of ['', '-wal', '-shm']) rmSync(target + ext, { force: true });
  printFigures(`Profiling: ${args.rows.toLocaleString('en')} generated rows × 12 columns`, figures);
  const own = prof.seconds - read.seconds;
  process.stdout.write(
    [
      '',
      `profile / import: ${((100 * prof.seconds) / imp.seconds).toFixed(0)}% (target ≤ 30%)`,
      `bare read / import: ${((100 * read.seconds) / imp.seconds).toFixed(0)}% — the cost of any second pass over the encrypted table`,
      `profiler's own work (profile − read) / import: ${((100 * own) / imp.seconds).toFixed(0)}% — what profiling adds when fed from the import's own pass`,
      '',
    ].join('\n'),
  );
}
