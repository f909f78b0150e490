/**
 * Benchmark of the NDJSON and JSON readers (parse only, into a no-op sink) against their peers:
 * readline + JSON.parse per line for NDJSON, and one whole-file JSON.parse for the array (which
 * only works while the file fits in one V8 string). Prints rows/s, MB/s and peak RSS.
 *
 * Standalone: `npx tsx bench/json-parse.bench.ts [rows]` (default 1,000,000). Inputs are
 * generated synthetic French breach-like records (12 fields) in os.tmpdir() and deleted after.
 * Each case runs in its own child process, so its peak RSS (getrusage maxRSS) is its own.
 * A benchmark prints figures; it asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { jsonReader } from '../src/main/engine/import/readers/json';
import { ndjsonReader } from '../src/main/engine/import/readers/ndjson';
import type { RecordSink } from '../src/main/engine/import/types';

const CHUNK = 1024 * 1024;
const self = fileURLToPath(import.meta.url);

interface CaseResult {
  rows: number;
  seconds: number;
  bytes: number;
  maxRssMb: number;
}

// ---- data -----------------------------------------------------------------------------------

const PRENOMS = ['Élodie', 'Jérôme', 'Anaïs', 'François', 'Hélène', 'Loïc', 'Maëlle', 'Noël'];
const NOMS = ['Dupont', 'Lefèvre', 'Bénard', 'Moreau', 'Girard', 'Faure', 'Rousseau', 'Lemaître'];
const VILLES = ['Paris', 'Lyon', 'Saint-Étienne', 'Besançon', 'Nîmes', 'Orléans', 'Périgueux'];

function record(i: number): string {
  const p = PRENOMS[i % PRENOMS.length]!;
  const n = NOMS[(i >> 3) % NOMS.length]!;
  return JSON.stringify({
    id: i,
    nom: n,
    prenom: p,
    email: `${p.toLowerCase()}.${n.toLowerCase()}${i}@exemple.fr`,
    telephone: '06' + String((i * 7919) % 100000000).padStart(8, '0'),
    nir: '2' + String(85 + (i % 10)) + '0175' + String(100000 + (i % 899999)),
    adresse: `${1 + (i % 120)} rue de la République`,
    code_postal: String(10000 + ((i * 37) % 85000)).padStart(5, '0'),
    ville: VILLES[i % VILLES.length]!,
    date_naissance: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    identifiant_ft: 'FT' + String(1000000 + i),
    montant: (i % 5000) / 100 + 0.01,
  });
}

async function writeInputs(rows: number, dir: string): Promise<Record<string, string>> {
  const files = {
    ndjson: join(dir, 'records.ndjson'),
    array: join(dir, 'records.json'),
    oneline: join(dir, 'records-oneline.json'),
  };
  const nd = createWriteStream(files.ndjson);
  const arr = createWriteStream(files.array);
  const one = createWriteStream(files.oneline);
  arr.write('[\n');
  one.write('[');
  let bufNd = '';
  let bufArr = '';
  let bufOne = '';
  for (let i = 0; i < rows; i++) {
    const r = record(i);
    bufNd += r + '\n';
    bufArr += (i ? ',\n  ' : '  ') + r;
    bufOne += (i ? ',' : '') + r;
    if (bufNd.length > CHUNK) {
      if (!nd.write(bufNd)) await once(nd, 'drain');
      if (!arr.write(bufArr)) await once(arr, 'drain');
      if (!one.write(bufOne)) await once(one, 'drain');
      bufNd = bufArr = bufOne = '';
    }
  }
  nd.end(bufNd);
  arr.end(bufArr + '\n]\n');
  one.end(bufOne + ']');
  await Promise.all([once(nd, 'finish'), once(arr, 'finish'), once(one, 'finish')]);
  return files;
}

// ---- cases (run in a child) -----------------------------------------------------------------

function noopSink(counter: { rows: number; rejects: number }): RecordSink {
  return {
    columns() {},
    row() {
      counter.rows++;
    },
    reject() {
      counter.rejects++;
    },
    meta() {},
  };
}

async function runCase(name: string, file: string): Promise<CaseResult> {
  const bytes = statSync(file).size;
  const counter = { rows: 0, rejects: 0 };
  const t0 = process.hrtime.bigint();
  switch (name) {
    case 'ndjson-reader':
      await ndjsonReader.read(
        createReadStream(file, { highWaterMark: CHUNK }),
        {},
        noopSink(counter),
      );
      break;
    case 'json-reader':
      await jsonReader.read(
        createReadStream(file, { highWaterMark: CHUNK }),
        {},
        noopSink(counter),
      );
      break;
    case 'ndjson-peer': {
      const rl = createInterface({ input: createReadStream(file, { highWaterMark: CHUNK }) });
      for await (const line of rl) {
        if (line === '') continue;
        const o: unknown = JSON.parse(line);
        if (o !== null) counter.rows++;
      }
      break;
    }
    case 'json-peer': {
      const all = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
      counter.rows = all.length;
      break;
    }
    default:
      throw new Error(`unknown case ${name}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (counter.rejects) throw new Error(`${name}: ${counter.rejects} rejects`);
  return { rows: counter.rows, seconds, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function inChild(name: string, file: string): CaseResult | string {
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--case', name, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const out = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !out.startsWith('{')) {
    return (
      r.stderr
        .trim()
        .split('\n')
        .find((l) => /Error/.test(l)) ?? 'failed'
    ).slice(0, 120);
  }
  return JSON.parse(out) as CaseResult;
}

// ---- main -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const at = process.argv.indexOf('--case');
  if (at >= 0) {
    const res = await runCase(process.argv[at + 1]!, process.argv[at + 2]!);
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = join(tmpdir(), `leakscope-json-bench-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    console.log(`generating ${rows.toLocaleString('en')} records (12 fields) in ${dir} ...`);
    const files = await writeInputs(rows, dir);
    const cases: [string, string, string][] = [
      ['NDJSON  leakscope ndjsonReader', 'ndjson-reader', files.ndjson!],
      ['NDJSON  peer readline+JSON.parse', 'ndjson-peer', files.ndjson!],
      ['array   leakscope jsonReader', 'json-reader', files.array!],
      ['array   leakscope jsonReader, 1 line', 'json-reader', files.oneline!],
      ['array   peer whole-file JSON.parse', 'json-peer', files.array!],
    ];
    console.log(
      `${'case'.padEnd(40)} ${'rows'.padStart(9)} ${'MB'.padStart(6)} ${'s'.padStart(6)} ` +
        `${'rows/s'.padStart(9)} ${'MB/s'.padStart(6)} ${'peak RSS MB'.padStart(11)}`,
    );
    for (const [label, name, file] of cases) {
      const best: CaseResult[] = [];
      for (let run = 0; run < 3; run++) {
        const r = inChild(name, file);
        if (typeof r === 'string') {
          console.log(`${label.padEnd(40)} ${r}`);
          break;
        }
        best.push(r);
      }
      if (best.length === 0) continue;
      best.sort((a, b) => a.seconds - b.seconds);
      const r = best[Math.floor(best.length / 2)]!; // median of 3
      const mb = r.bytes / 1e6;
      console.log(
        `${label.padEnd(40)} ${String(r.rows).padStart(9)} ${mb.toFixed(0).padStart(6)} ` +
          `${r.seconds.toFixed(2).padStart(6)} ${Math.round(r.rows / r.seconds)
            .toLocaleString('en')
            .padStart(9)} ${(mb / r.seconds).toFixed(0).padStart(6)} ${r.maxRssMb
            .toFixed(0)
            .padStart(11)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
