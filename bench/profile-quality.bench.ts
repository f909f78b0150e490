/**
 * Profiling quality harness: generated leaks with known column kinds under French headers,
 * English headers, no headers, misleading headers (names swapped between columns), messy
 * values (typos, stray spaces, case, junk, blanks) and mixed columns; prints column-level
 * accuracy and the confusion matrix (target ≥ 98 %, and no confusion among nir / phone / siret /
 * rpps / france_travail_id), then profiles every corpus file against its manifest.
 *
 *   npm run bench -- profile-quality [--rows 2000] [--quick]
 */
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createEngine } from '../src/main/engine';
import { ProfileAccumulator } from '../src/main/engine/profile/profiler';
import { resolveNativeBinding } from '../src/main/engine/store';
import type { PiiKind } from '../src/shared/pii';
import {
  ALL_FIELDS,
  generateRows,
  headerOf,
  makeStyle,
  Rng,
  type FieldKey,
  type LeakRow,
} from '../test/fixtures/gen';
import { hasCorpus, manifest, REAL } from '../test/helpers/corpus';
import { benchArgs, machine, ROOT } from './lib';
import { judge, printConfusion, type ColumnVerdict } from './profile-lib';

const args = benchArgs({ rows: 2000 });

const EXPECTED: Record<FieldKey, PiiKind> = {
  last_name: 'last_name',
  first_name: 'first_name',
  sex: 'sex',
  birth_date: 'date_of_birth',
  birth_place: 'city',
  nir: 'nir',
  france_travail_id: 'france_travail_id',
  email: 'email',
  phone: 'phone',
  address: 'street_address',
  postal_code: 'postal_code',
  city: 'city',
  iban: 'iban',
  bic: 'bic',
  siret: 'siret',
  rpps: 'rpps',
  username: 'username',
  password: 'password',
  password_hash: 'password_hash',
};

type Headers = 'fr' | 'en' | 'none' | 'misleading';

interface Scenario {
  seed: number;
  headers: Headers;
  messy: boolean;
  mixed: boolean;
}

/** Typos and dirt as found in real leaks, applied to ~3 % of values of a messy file. */
function mess(v: string, rng: Rng): string | null {
  const r = rng.next();
  if (r > 0.03) return v;
  switch (rng.int(5)) {
    case 0:
      return ` ${v} `;
    case 1:
      return v.toUpperCase();
    case 2:
      return v.length > 3 ? v.slice(0, -1) : v; // truncated
    case 3:
      return 'N/A';
    default:
      return '';
  }
}

interface Expected {
  name: string;
  kinds: PiiKind[];
}

function scenarioRows(
  s: Scenario,
  rows: number,
): { names: string[]; expected: Expected[]; data: (string | null)[][] } {
  const style = makeStyle(s.seed, {}, 0);
  const rng = new Rng(s.seed * 31 + 7);
  // Every field, in a seed-dependent order; username/password only in some files.
  const fields = ALL_FIELDS.filter((f) =>
    f === 'username' || f === 'password' ? s.seed % 2 === 0 : true,
  );
  const names = fields.map((f, i) =>
    s.headers === 'none' ? `col_${i + 1}` : headerOf(f, s.headers === 'en' ? 'en' : 'fr'),
  );
  if (s.headers === 'misleading') {
    // A derangement of the names: every column carries another column's name.
    const shift = 1 + (s.seed % (names.length - 1));
    const orig = [...names];
    for (let i = 0; i < names.length; i++) names[i] = orig[(i + shift) % orig.length]!;
  }
  const expected: Expected[] = fields.map((f, i) => ({ name: names[i]!, kinds: [EXPECTED[f]] }));
  const data: (string | null)[][] = [];
  const all: LeakRow[] = [...generateRows({ seed: s.seed, rows }, style)];
  for (const r of all) {
    const row = fields.map((f) => {
      const v = r[f];
      return v !== null && s.messy ? mess(v, rng) : v;
    });
    if (s.mixed) row.push(rng.chance(0.5) ? r.email : r.phone);
    data.push(row);
  }
  if (s.mixed) {
    names.push(s.headers === 'none' ? `col_${names.length + 1}` : 'contact');
    expected.push({ name: names[names.length - 1]!, kinds: ['email', 'phone'] });
  }
  return { names, expected, data };
}

function runScenario(s: Scenario, rows: number): ColumnVerdict[] {
  const { names, expected, data } = scenarioRows(s, rows);
  const acc = new ProfileAccumulator(names.map((name, i) => ({ idx: i + 1, name, path: name })));
  for (const r of data) acc.row(r);
  const p = acc.finish(
    { id: 0, name: `seed${s.seed}-${s.headers}` },
    { now: new Date(), started: performance.now() },
  );
  return expected.map((e, i) => {
    const c = p.columns[i]!;
    const got = c.kind;
    // A mixed column is right when both kinds are reported and it is flagged mixed.
    const ok =
      e.kinds.length > 1
        ? c.mixed && e.kinds.every((k) => c.pii.some((f) => f.kind === k))
        : got === e.kinds[0];
    return {
      dataset: p.dataset,
      column: e.name,
      expected: e.kinds.join('+'),
      got: e.kinds.length > 1 && ok ? (e.kinds.join('+') as PiiKind) : got,
      ok,
    };
  });
}

const scenarios: Scenario[] = [];
const seeds = args.quick ? [1, 2] : [1, 2, 3, 4, 5, 6];
for (const seed of seeds) {
  for (const headers of ['fr', 'en', 'none', 'misleading'] as const) {
    scenarios.push({ seed, headers, messy: false, mixed: false });
    scenarios.push({ seed: seed + 100, headers, messy: true, mixed: true });
  }
}

const t0 = performance.now();
const verdicts: ColumnVerdict[] = [];
const byHeaders = new Map<string, { ok: number; n: number }>();
for (const s of scenarios) {
  const v = runScenario(s, args.rows);
  verdicts.push(...v);
  const key = `${s.headers}${s.messy ? ' + messy + mixed' : ''}`;
  const e = byHeaders.get(key) ?? { ok: 0, n: 0 };
  e.ok += v.filter((x) => x.ok).length;
  e.n += v.length;
  byHeaders.set(key, e);
}
const ok = verdicts.filter((v) => v.ok).length;
const critical = ['nir', 'phone', 'siret', 'rpps', 'france_travail_id'];
const criticalConfusions = verdicts.filter(
  (v) => critical.includes(v.expected) && critical.includes(v.got) && v.expected !== v.got,
);
const out: string[] = [
  '\n## Profiling quality (generated files with known kinds)',
  `machine: ${machine()}; date: ${new Date().toISOString().slice(0, 10)}; ${scenarios.length} files × ${args.rows} rows, ${verdicts.length} columns, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  '',
  `column-level accuracy: ${ok}/${verdicts.length} = ${((100 * ok) / verdicts.length).toFixed(2)}% (target ≥ 98%)`,
  `confusions among nir/phone/siret/rpps/france_travail_id: ${criticalConfusions.length} (target 0)`,
  '',
  '| headers | columns right |',
  '|---|---:|',
  ...[...byHeaders.entries()].map(
    ([k, e]) => `| ${k} | ${e.ok}/${e.n} (${((100 * e.ok) / e.n).toFixed(1)}%) |`,
  ),
  '',
  printConfusion('confusion matrix (rows: expected kind, columns: primary kind found)', verdicts),
  '',
  'misses:',
  ...verdicts
    .filter((v) => !v.ok)
    .map((v) => `  ${v.dataset} ${v.column}: expected ${v.expected}, got ${v.got}`),
];
process.stdout.write(`${out.join('\n')}\n`);

if (hasCorpus) {
  const dir = mkdtempSync(join(tmpdir(), 'leakscope-pq-'));
  const nativeBinding = resolveNativeBinding(ROOT);
  const engine = createEngine({ appVersion: 'bench', ...(nativeBinding ? { nativeBinding } : {}) });
  await engine.call('case.create', {
    path: join(dir, 'corpus.lscase'),
    passphrase: 'bench passphrase',
  });
  const cv: ColumnVerdict[] = [];
  for (const f of manifest()) {
    if (f.tables.every((t) => t.rows === 0)) continue;
    const name = f.file.replace(/\W+/g, '_');
    const schema = f.columns_from ? { schema: join(REAL, f.columns_from) } : {};
    const r = await engine.call('import.run', { path: join(REAL, f.file), name, ...schema });
    for (const d of r.datasets) {
      const t = f.tables.find((x) => x.name === d.table);
      if (!t?.columns || d.rows === 0) continue;
      const p = await engine.call('profile.get', { dataset: d.name });
      if (p) cv.push(...judge(p, t.columns));
    }
  }
  engine.close();
  rmSync(dir, { recursive: true, force: true });
  const cok = cv.filter((v) => v.ok).length;
  process.stdout.write(
    [
      '\n## Profiling quality (real corpus vs manifest kinds; mapping in bench/profile-lib.ts)',
      `column-level agreement: ${cok}/${cv.length} = ${((100 * cok) / cv.length).toFixed(1)}%`,
      '',
      printConfusion('confusion matrix (manifest kind → our primary kind)', cv),
      '',
      'disagreements:',
      ...cv
        .filter((v) => !v.ok)
        .map((v) => `  ${v.dataset} ${v.column}: manifest ${v.expected}, profile ${v.got}`),
      '',
    ].join('\n'),
  );
}
