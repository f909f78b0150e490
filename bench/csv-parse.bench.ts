/**
 * Parse-only benchmark of the delimited-text reader against csv-parse (its peer), same process,
 * same file, no-op sinks. Prints rows/s, MB/s and the peak RSS seen during each run.
 *
 *   npx tsx bench/csv-parse.bench.ts [file.csv] [--runs N] [--quoted]
 *
 * Without a file it generates a synthetic French breach-like CSV (12 text columns, ~226 bytes a
 * row, 1M rows, a few quoted fields with commas) in os.tmpdir() and reuses it on later runs.
 * --quoted generates the same data with every field quoted (as many exporters write it), which
 * sends every line through the quote-aware state machine instead of the fast path.
 * Benchmarks are not tests: figures and ratios only.
 */
import { closeSync, createReadStream, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { csvReader } from '../src/main/engine/import/readers/csv';
import type { RecordSink } from '../src/main/engine/import/types';

const args = process.argv.slice(2);
const runsIdx = args.indexOf('--runs');
const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 3;
const fileArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const quoted = args.includes('--quoted');
const ROWS = 1_000_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(path: string, quoteAll: boolean): void {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const digits = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(r() * 10);
    return s;
  };
  const first = [
    'Élodie',
    'Jérôme',
    'Anaïs',
    'François',
    'Hélène',
    'Loïc',
    'Maëlle',
    'Gaëtan',
    'Céline',
    'Noël',
    'Zoé',
    'Benoît',
  ];
  const last = [
    'Dupont',
    'Lefèvre',
    'Moreau',
    'Girard',
    'Bérenger',
    'Faure',
    'Roux',
    'Chevalier',
    'Gauthier',
    'Mercier',
  ];
  const streets = [
    'rue de la Paix',
    'avenue Jean Jaurès',
    'boulevard Saint-Michel',
    'place du Marché',
    'chemin des Écoliers',
    'allée des Tilleuls',
  ];
  const cities = [
    'Paris',
    'Lyon',
    'Marseille',
    'Saint-Étienne',
    'Besançon',
    'Orléans',
    'Nîmes',
    'Châlons-en-Champagne',
  ];
  const fd = openSync(path, 'w');
  writeSync(
    fd,
    'id,nom,prenom,email,telephone,adresse,code_postal,ville,date_naissance,nir,identifiant_ft,iban\n',
  );
  let batch = '';
  for (let i = 0; i < ROWS; i++) {
    const fn = pick(first);
    const ln = pick(last);
    const email = `${fn
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()}.${ln.toLowerCase()}${Math.floor(r() * 1000)}@courriel-exemple-fr.com`;
    const residences = [
      'Résidence Les Glycines',
      'Le Clos Fleuri',
      'Les Hauts de Seine',
      'Domaine du Lac',
    ];
    let addr = `${1 + Math.floor(r() * 120)} ${pick(streets)} ${pick(residences)} appartement ${digits(3)}`;
    if (r() < 0.05) addr = `"${addr}, bât. ${Math.floor(r() * 9)}"`;
    const row = [
      String(i + 1),
      ln,
      fn,
      email,
      `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
      addr,
      digits(5),
      pick(cities),
      `19${digits(2)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
      `${1 + Math.floor(r() * 2)}${digits(12)} ${digits(2)}`,
      `${digits(7)}${String.fromCharCode(65 + Math.floor(r() * 26))}`,
      `FR76 ${digits(4)} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(3)}`,
    ];
    batch += (quoteAll ? row.map((f) => (f.startsWith('"') ? f : `"${f}"`)) : row).join(',') + '\n';
    if (batch.length > 1 << 20) {
      writeSync(fd, batch);
      batch = '';
    }
  }
  writeSync(fd, batch);
  closeSync(fd);
}

function rssWatcher(): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    stop: () => {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

async function runLeakscope(path: string): Promise<number> {
  let rows = 0;
  const sink: RecordSink = {
    columns() {},
    row() {
      rows++;
    },
    reject() {},
    meta() {},
  };
  await csvReader.read(createReadStream(path, { highWaterMark: 1 << 20 }), {}, sink);
  return rows;
}

async function runCsvParse(path: string): Promise<number> {
  let rows = 0;
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse({ from_line: 2 }));
  for await (const rec of parser as AsyncIterable<string[]>) {
    if (rec.length) rows++;
  }
  return rows;
}

interface Figure {
  name: string;
  rows: number;
  seconds: number;
  rss: number;
}

async function measure(
  name: string,
  path: string,
  fn: (p: string) => Promise<number>,
): Promise<Figure> {
  global.gc?.();
  const w = rssWatcher();
  const t0 = process.hrtime.bigint();
  const rows = await fn(path);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { name, rows, seconds, rss: w.stop() / 2 ** 20 };
}

async function main(): Promise<void> {
  let path = fileArg;
  if (!path) {
    path = join(tmpdir(), `leakscope-bench-csv-1m-v3${quoted ? '-quoted' : ''}.csv`);
    if (!existsSync(path)) {
      process.stderr.write(`generating ${path} ...\n`);
      generate(path, quoted);
    }
  }
  const bytes = statSync(path).size;
  const mb = bytes / 1e6;
  console.log(
    `file ${path}: ${mb.toFixed(1)} MB, ${runs} runs each (alternating), Node ${process.version}`,
  );
  // Peak RSS below is the whole process (tsx, both parsers loaded): read it against this.
  console.log(
    `baseline RSS before the runs: ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB`,
  );
  const results: Record<string, Figure[]> = { leakscope: [], 'csv-parse': [] };
  for (let i = 0; i < runs; i++) {
    results.leakscope!.push(await measure('leakscope', path, runLeakscope));
    results['csv-parse']!.push(await measure('csv-parse', path, runCsvParse));
  }
  const median = (xs: number[]): number =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary: Record<string, { rowsPerS: number; mbPerS: number; rss: number; rows: number }> =
    {};
  for (const [name, figs] of Object.entries(results)) {
    const s = median(figs.map((f) => f.seconds));
    summary[name] = {
      rows: figs[0]!.rows,
      rowsPerS: figs[0]!.rows / s,
      mbPerS: mb / s,
      rss: Math.max(...figs.map((f) => f.rss)),
    };
    console.log(
      `${name.padEnd(10)} rows ${figs[0]!.rows}  median ${s.toFixed(2)} s  ` +
        `${Math.round(figs[0]!.rows / s).toLocaleString('en')} rows/s  ${(mb / s).toFixed(1)} MB/s  ` +
        `peak RSS ${Math.round(summary[name]!.rss)} MB  (runs: ${figs.map((f) => f.seconds.toFixed(2)).join(', ')} s)`,
    );
  }
  const ratio = summary.leakscope!.rowsPerS / summary['csv-parse']!.rowsPerS;
  console.log(`ratio leakscope / csv-parse: ${ratio.toFixed(2)}x`);
}

await main();
