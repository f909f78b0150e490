/**
 * Linkage quality against ground truth: pairwise precision, recall and F1 of record pairs, and
 * blocking pair completeness, for strong keys and for --fuzzy, with the SAME code on:
 * - a later leak derived from an earlier one by the generator (name typos, swapped names, accent
 *   loss, reformatted phones, changed emails, abbreviated streets, duplicates), with all fields
 *   and in a thin variant without national identifiers (NIR, France Travail id, IBAN);
 * - the public labelled data in ../shared/corpus/linkage, read in place through the import
 *   pipeline: FEBRL 4a × 4b (linkage), FEBRL dataset3 (deduplication), Splink fake_1000
 *   (deduplication; also scored on the transitive closure of the links, i.e. the person view).
 *
 *   npm run bench -- linkage-quality [--rows 10000]
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnionFind } from '../src/main/engine/linkage/cluster';
import { runMatches, type MatchRun } from '../src/main/engine/linkage/matches';
import { createCase, resolveNativeBinding, type WritableDB } from '../src/main/engine/store';
import {
  columnByOrdinal,
  deriveTruthPairs,
  importWithSteps,
  labelTruthPairs,
  pairKey,
  readDeriveTruth,
  runPairs,
  score,
  type Scores,
} from '../test/integration/linkage-fixtures';
import { deriveFile, generateFile } from '../test/fixtures/gen';
import { benchArgs, machine, ROOT } from './lib';

const args = benchArgs({ rows: 10_000 });
const LINKAGE = join(ROOT, '..', 'shared', 'corpus', 'linkage');
const work = join(tmpdir(), `leakscope-linkage-quality-${process.pid}`);
mkdirSync(work, { recursive: true });

type Dataset = { id: number; name: string; rows: number };
const phys = (d: Dataset) => ({ ...d, physical: `ds_${d.id}` });

interface Line {
  data: string;
  mode: string;
  s: Scores;
  completeness: number | null;
  candidates: number | null;
  seconds: number;
  note?: string;
}
const lines: Line[] = [];

/** Share of true pairs among the blocking candidates (ordinals of the loaded records). */
function completeness(db: WritableDB, run: MatchRun, a: Dataset, b: Dataset, truth: Set<string>) {
  if (!run.candidates || !run.aRowIds || !run.bRowIds) return null;
  const ord = (id: number) => {
    const m = new Map<number, number>();
    for (const r of db.prepare(`SELECT id, ordinal FROM ds_${id}`).all() as {
      id: number;
      ordinal: number;
    }[])
      m.set(r.id, r.ordinal);
    return m;
  };
  const oa = ord(a.id);
  const ob = a.id === b.id ? oa : ord(b.id);
  const nb = run.candidates.nb;
  const set = new Set<string>();
  for (const id of run.candidates.pairs) {
    const i = Math.floor(id / nb);
    const j = id - i * nb;
    set.add(pairKey(oa.get(run.aRowIds[i])!, ob.get(run.bRowIds[j])!, a.id === b.id));
  }
  let hit = 0;
  for (const t of truth) if (set.has(t)) hit++;
  return { completeness: truth.size ? hit / truth.size : 1, candidates: set.size };
}

/** Pairwise scores of the transitive closure of predicted links (dedupe inside one dataset). */
function closure(predicted: Set<string>, rows: number): Set<string> {
  const uf = new UnionFind(rows);
  for (const p of predicted) {
    const [x, y] = p.split(':').map(Number);
    uf.union(x, y);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows; i++) {
    const r = uf.find(i);
    const g = groups.get(r) ?? [];
    g.push(i);
    groups.set(r, g);
  }
  const out = new Set<string>();
  for (const g of groups.values())
    for (let x = 0; x < g.length; x++)
      for (let y = x + 1; y < g.length; y++) out.add(pairKey(g[x], g[y], true));
  return out;
}

function evaluate(db: WritableDB, data: string, a: Dataset, b: Dataset, truth: Set<string>) {
  for (const fuzzy of [false, true]) {
    const run = runMatches(db, phys(a), phys(b), { fuzzy, limit: 0 });
    const predicted = runPairs(db, run.result.runId, a.id, b.id);
    const pc = fuzzy ? completeness(db, run, a, b, truth) : null;
    lines.push({
      data,
      mode: fuzzy ? `fuzzy (p ≥ ${run.result.threshold})` : 'strong keys',
      s: score(predicted, truth),
      completeness: pc?.completeness ?? null,
      candidates: pc?.candidates ?? null,
      seconds: run.result.seconds,
    });
    if (fuzzy && a.id === b.id) {
      lines.push({
        data,
        mode: 'fuzzy, transitive closure',
        s: score(closure(predicted, a.rows), truth),
        completeness: null,
        candidates: null,
        seconds: 0,
      });
    }
  }
}

const nativeBinding = resolveNativeBinding(ROOT);
const casePath = join(work, 'quality.lscase');
const c = createCase(casePath, 'bench passphrase', {
  lock: false,
  ...(nativeBinding ? { nativeBinding } : {}),
});
try {
  // 1. Generated French leaks with ground truth.
  const rows = args.rows;
  const earlierPath = join(work, 'earlier.csv');
  await generateFile({ seed: 42, rows, format: 'csv', out: earlierPath });
  const derive = { seed: 42, fromRows: rows, rows, overlap: 0.5, duplicates: 0.02 };
  await deriveFile({
    ...derive,
    format: 'csv',
    out: join(work, 'later.csv'),
    truth: join(work, 'later-truth.csv'),
  });
  await deriveFile({
    ...derive,
    variant: 2,
    format: 'csv',
    fields: [
      'last_name',
      'first_name',
      'birth_date',
      'email',
      'phone',
      'address',
      'postal_code',
      'city',
    ],
    out: join(work, 'thin.csv'),
    truth: join(work, 'thin-truth.csv'),
  });
  const earlier = await importWithSteps(c.db, earlierPath, 'earlier');
  const later = await importWithSteps(c.db, join(work, 'later.csv'), 'later');
  const thin = await importWithSteps(c.db, join(work, 'thin.csv'), 'thin');
  evaluate(
    c.db,
    `derived leak (${rows.toLocaleString('en')} × ${rows.toLocaleString('en')}, all fields)`,
    later,
    earlier,
    deriveTruthPairs(readDeriveTruth(join(work, 'later-truth.csv'))),
  );
  evaluate(
    c.db,
    `derived leak, thin (no NIR / FT id / IBAN)`,
    thin,
    earlier,
    deriveTruthPairs(readDeriveTruth(join(work, 'thin-truth.csv'))),
  );

  // 2. Public labelled data, read in place.
  if (existsSync(LINKAGE)) {
    const rec = /^rec-(\d+)-/;
    const labels = (d: Dataset, col: string, re?: RegExp) =>
      columnByOrdinal(c.db, d.id, col).map((v) => (re ? (re.exec(v)?.[1] ?? v) : v));
    const a4 = await importWithSteps(c.db, join(LINKAGE, 'febrl', 'dataset4a.csv'));
    const b4 = await importWithSteps(c.db, join(LINKAGE, 'febrl', 'dataset4b.csv'));
    evaluate(
      c.db,
      'FEBRL 4a × 4b',
      a4,
      b4,
      labelTruthPairs(labels(a4, 'rec_id', rec), labels(b4, 'rec_id', rec)),
    );
    const d3 = await importWithSteps(c.db, join(LINKAGE, 'febrl', 'dataset3.csv'));
    evaluate(
      c.db,
      'FEBRL dataset3 (dedupe)',
      d3,
      d3,
      labelTruthPairs(labels(d3, 'rec_id', rec), null),
    );
    const sp = await importWithSteps(c.db, join(LINKAGE, 'splink', 'fake_1000.csv'));
    evaluate(
      c.db,
      'Splink fake_1000 (dedupe)',
      sp,
      sp,
      labelTruthPairs(labels(sp, 'cluster'), null),
    );
  } else {
    process.stdout.write(`(no ${LINKAGE}: public labelled data skipped)\n`);
  }
} finally {
  c.close();
  rmSync(work, { recursive: true, force: true });
}

const f = (x: number) => x.toFixed(4);
const out = [
  '\n## Linkage quality (pairwise, against ground truth)',
  `machine: ${machine()}; date: ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| data | mode | pairs predicted / true | precision | recall | F1 | pair completeness (candidates) | s |',
  '|---|---|---:|---:|---:|---:|---:|---:|',
  ...lines.map(
    (l) =>
      `| ${l.data} | ${l.mode} | ${l.s.predicted.toLocaleString('en')} / ${l.s.truth.toLocaleString('en')} | ${f(l.s.precision)} | ${f(l.s.recall)} | ${f(l.s.f1)} | ${l.completeness === null ? '' : `${f(l.completeness)} (${l.candidates!.toLocaleString('en')})`} | ${l.seconds ? l.seconds.toFixed(1) : ''} |`,
  ),
  '',
  'Targets: strong keys precision ≥ 0.999; fuzzy F1 ≥ 0.97 on the derived leak.',
];
process.stdout.write(`${out.join('\n')}\n`);
