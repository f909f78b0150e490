/**
 * Profiling speed: a generated leak of 1M rows × 12 columns imported into an encrypted case,
 * then profiled (the post-import step: one streaming read of the table, statistics on every
 * value, detectors on the record sample), against the import itself. Also measured: the
 * profiler's packed read alone (one string per record: the floor of its pass) and a plain
 * value-by-value read, so the profiler's own cost — what it would add if fed from the import's
 * pass — is visible.
 *
 *   npm run bench -- profile --rows 1000000
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../src/main/engine/import/pipeline';
import { profileDataset } from '../src/main/engine/profile';
import { packedReadSql } from '../src/main/engine/profile/profiler';
import { createCase, openCase, resolveNativeBinding, sqlId } from '../src/main/engine/store';
import { benchArgs, generated, printFigures, report, ROOT, runSubject, type Figure } from './lib';

const args = benchArgs({ rows: 1_000_000 });
const COLUMNS =
  'last_name,first_name,sex,birth_date,nir,france_travail_id,email,phone,address,postal_code,city,iban';
const PASS = 'bench passphrase';
const ROUNDS = Number(process.env.PROFILE_BENCH_ROUNDS ?? 3);
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
  if (name === 'packed-read') {
    const columns = c.db
      .prepare('SELECT idx, name, path FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
      .all(d.id) as { idx: number; name: string; path: string }[];
    let n = 0;
    const st = c.db.prepare(packedReadSql(sqlId(d.physical), columns)).pluck(true);
    for (const _s of st.iterate(0, Number.MAX_SAFE_INTEGER)) n++;
    report({
      subject: "packed read of the table (the profiler's read, without its work)",
      rows: n,
      bytes,
      seconds: (performance.now() - t0) / 1000,
    });
  } else if (name === 'read') {
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
      subject: 'value-by-value read of the table',
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
  // The box is shared: import, packed read and profile run back to back, ROUNDS times, and each
  // round's ratio is reported (the import is redone each round, on the same file).
  const rounds: { imp: Figure; packed: Figure; prof: Figure }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const imp = runSubject(self, 'import', ['--input', file]);
    const packed = runSubject(self, 'packed-read', ['--input', file]);
    const prof = runSubject(self, 'profile', ['--input', file]);
    rounds.push({ imp, packed, prof });
  }
  const read = runSubject(self, 'read', ['--input', file]);
  for (const ext of ['', '-wal', '-shm']) rmSync(target + ext, { force: true });
  const ratio = (x: Figure, imp: Figure) => x.seconds / imp.seconds;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Figures of the round whose profile / import ratio is the median one.
  const mid = median(rounds.map((r) => ratio(r.prof, r.imp)));
  const { imp, packed, prof } = rounds.find((r) => ratio(r.prof, r.imp) === mid)!;
  const figures: Figure[] = [imp, prof, packed, read];
  printFigures(`Profiling: ${args.rows.toLocaleString('en')} generated rows × 12 columns`, figures);
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  process.stdout.write(
    [
      '',
      `profile / import, per round: ${rounds.map((r) => pct(ratio(r.prof, r.imp))).join(', ')} (median ${pct(mid)}; target ≤ 30%)`,
      `packed read / import, per round: ${rounds.map((r) => pct(ratio(r.packed, r.imp))).join(', ')} — the floor of the profiler's pass (decryption, decoding, one string per record)`,
      `value-by-value read / import: ${pct(ratio(read, imp))}`,
      `profiler's own work (profile − packed read) / import, per round: ${rounds.map((r) => pct((r.prof.seconds - r.packed.seconds) / r.imp.seconds)).join(', ')} — what profiling adds when fed from the import's own pass`,
      '',
    ].join('\n'),
  );
}
