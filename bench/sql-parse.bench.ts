/**
 * Benchmark of the SQL dump reader: a generated mysqldump of 1M rows x 12 columns (extended
 * INSERTs of ~1000 rows each, with escapes, NULLs and numbers) parsed into a no-op sink.
 *
 * Prints rows/s, MB/s and peak RSS, and the ratio against a peer that only reads the same file
 * and counts its newlines (the I/O floor: what any streaming reader must at least pay).
 * Target: >= 200k rows/s. Run with `npx tsx bench/sql-parse.bench.ts [rows]`.
 *
 * The dump is synthetic (made-up names from small lists), written to os.tmpdir() and deleted.
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RecordSink } from '../src/main/engine/import/types';
import { sqlReader } from '../src/main/engine/import/readers/sql';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PER_INSERT = 1000;

const FIRST = ['Jean', 'Marie', 'Lucas', 'Chloé', 'Hugo', 'Léa', 'Louis', 'Emma', 'Noah', 'Zoé'];
const LAST = ['Martin', 'Bernard', "O'Neil", 'Dubois', 'Thomas', 'Robert', 'Petit', 'Durand'];
const CITY = ['Paris', 'Lyon', 'Marseille', 'Lille', 'Nantes', 'Saint-Étienne', 'Brest'];

/** Deterministic PRNG (mulberry32): the same file every run. */
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

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n');
}

async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const r = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n');
  await write('/*!40101 SET NAMES utf8mb4 */;\n');
  await write(
    'CREATE TABLE `person` (\n  `id` int NOT NULL,\n  `first_name` varchar(40),\n' +
      '  `last_name` varchar(40),\n  `email` varchar(80),\n  `phone` varchar(20),\n' +
      '  `city` varchar(40),\n  `postal_code` char(5),\n  `birth_date` date,\n' +
      '  `balance` decimal(10,2),\n  `note` text,\n  `active` tinyint,\n' +
      '  `created_at` datetime,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n',
  );
  await write('LOCK TABLES `person` WRITE;\n');
  for (let id = 1; id <= rows; id += PER_INSERT) {
    const parts: string[] = [];
    for (let k = id; k < Math.min(rows + 1, id + PER_INSERT); k++) {
      const f = pick(FIRST);
      const l = pick(LAST);
      const phone = r() < 0.1 ? 'NULL' : `'06${String(Math.floor(r() * 1e8)).padStart(8, '0')}'`;
      const note = r() < 0.5 ? 'NULL' : `'${esc(`rappel ${k}\nvoir dossier`)}'`;
      parts.push(
        `(${k},'${esc(f)}','${esc(l)}','${esc(`${f}.${l}`.toLowerCase())}@example.org',${phone},` +
          `'${pick(CITY)}','${String(Math.floor(r() * 95000) + 1000).padStart(5, '0')}',` +
          `'19${50 + Math.floor(r() * 50)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}',` +
          `${(r() * 10000).toFixed(2)},${note},${r() < 0.8 ? 1 : 0},'2024-03-0${1 + Math.floor(r() * 9)} 12:00:00')`,
      );
    }
    await write(`INSERT INTO \`person\` VALUES ${parts.join(',')};\n`);
  }
  await write('UNLOCK TABLES;\n');
  out.end();
  await once(out, 'finish');
}

async function peerScan(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    const b = chunk as Buffer;
    let i = b.indexOf(10);
    while (i !== -1) {
      lines++;
      i = b.indexOf(10, i + 1);
    }
  }
  return lines;
}

async function main(): Promise<void> {
  const path = join(tmpdir(), `leakscope-sql-bench-${process.pid}.sql`);
  try {
    let t = performance.now();
    await generate(path, ROWS);
    const bytes = statSync(path).size;
    const mb = bytes / (1024 * 1024);
    console.log(
      `generated ${ROWS} rows, ${mb.toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    t = performance.now();
    await peerScan(path);
    const peerSec = (performance.now() - t) / 1000;

    let rows = 0;
    let rejects = 0;
    let peakRss = process.memoryUsage().rss;
    const sink: RecordSink = {
      columns() {},
      row() {
        // Sample RSS now and then: cheap, and enough to see growth.
        if ((++rows & 0xffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
      reject() {
        rejects++;
      },
      meta() {},
    };
    const rssBefore = process.memoryUsage().rss;
    t = performance.now();
    const result = await sqlReader.read(
      createReadStream(path, { highWaterMark: 64 * 1024 }),
      { encoding: 'utf-8' },
      sink,
    );
    const sec = (performance.now() - t) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const maxRss = process.resourceUsage().maxRSS / 1024;

    console.log(`sql reader: ${rows} rows, ${rejects} rejects, truncated=${result.truncated}`);
    console.log(`  time      ${sec.toFixed(2)} s`);
    console.log(`  rows/s    ${Math.round(rows / sec).toLocaleString('en-US')}`);
    console.log(`  MB/s      ${(mb / sec).toFixed(1)}`);
    console.log(
      `  RSS       ${(rssBefore / 1048576).toFixed(0)} MB before, peak ${(peakRss / 1048576).toFixed(0)} MB while parsing (process max ${maxRss.toFixed(0)} MB)`,
    );
    console.log(
      `peer (read + count newlines): ${peerSec.toFixed(2)} s, ${(mb / peerSec).toFixed(0)} MB/s`,
    );
    console.log(`ratio sql reader / peer: ${(sec / peerSec).toFixed(1)}x`);
    if (rows !== ROWS) console.log(`!! expected ${ROWS} rows`);
    const target = 200_000;
    console.log(
      rows / sec >= target ? `target ${target} rows/s: met` : `target ${target} rows/s: MISSED`,
    );
  } finally {
    rmSync(path, { force: true });
  }
}

await main();
