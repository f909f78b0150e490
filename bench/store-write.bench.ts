/**
 * Store write speed: the same generated rows written into an encrypted case (SQLCipher 4 settings,
 * WAL) and into a plain better-sqlite3 file with the same pragmas and batching. Prints rows/s of
 * each and the encryption overhead (peer: plain).
 */
import { createReadStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { csvReader } from '../src/main/engine/import/readers/csv';
import type { RecordSink } from '../src/main/engine/import/types';
import { createCase, resolveNativeBinding } from '../src/main/engine/store';
import { benchArgs, generated, printFigures, report, ROOT, runSubject } from './lib';

const args = benchArgs({ rows: 1_000_000 });
const BATCH = 20_000;

async function loadRows(file: string): Promise<{ header: string[]; rows: string[][] }> {
  const rows: string[][] = [];
  let header: string[] = [];
  const sink: RecordSink = {
    columns: (_t, cols) => (header = [...header, ...cols.map((c) => c.name)]),
    row: (_t, values) => void rows.push(values as string[]),
    reject: () => undefined,
    meta: () => undefined,
  };
  const head = Buffer.alloc(64 * 1024);
  const fd = (await import('node:fs')).openSync(file, 'r');
  (await import('node:fs')).readSync(fd, head, 0, head.length, 0);
  const sniff = csvReader.sniff(head, file);
  await csvReader.read(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    sniff?.options ?? {},
    sink,
  );
  return { header, rows };
}

function writeAll(db: Database.Database, columns: number, rows: string[][]): void {
  const cols = Array.from({ length: columns }, (_, i) => `c_${i + 1} TEXT`).join(', ');
  db.exec(
    `CREATE TABLE ds (id INTEGER PRIMARY KEY, ordinal INTEGER NOT NULL, line INTEGER, offset INTEGER NOT NULL, ${cols})`,
  );
  const names = [
    'ordinal',
    'line',
    'offset',
    ...Array.from({ length: columns }, (_, i) => `c_${i + 1}`),
  ];
  const insert = db.prepare(
    `INSERT INTO ds (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
  );
  db.exec('BEGIN');
  for (let i = 0; i < rows.length; i++) {
    insert.run(i, i + 2, i * 200, ...rows[i]!);
    if ((i + 1) % BATCH === 0) {
      db.exec('COMMIT');
      db.exec('BEGIN');
    }
  }
  db.exec('COMMIT');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

async function subject(name: string, file: string): Promise<void> {
  const { header, rows } = await loadRows(file);
  const nativeBinding = resolveNativeBinding(ROOT);
  const target = join(tmpdir(), `leakscope-bench-${process.pid}.db`);
  rmSync(target, { force: true });
  globalThis.gc?.();
  const t0 = performance.now();
  if (name === 'encrypted') {
    const c = createCase(target, 'bench passphrase', {
      lock: false,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    writeAll(c.db, header.length, rows);
    c.close();
  } else {
    const db = new Database(target, nativeBinding ? { nativeBinding } : {});
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    writeAll(db, header.length, rows);
    db.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const bytes = statSync(target).size;
  rmSync(target, { force: true });
  rmSync(`${target}-wal`, { force: true });
  report({
    subject: name,
    rows: rows.length,
    bytes: statSync(file).size,
    seconds,
    note: `db ${Math.round(bytes / 1024 / 1024)} MB`,
  });
}

if (args.subject) {
  await subject(args.subject, args.input!);
} else {
  const file = generated(args.rows, 'csv');
  const self = new URL(import.meta.url).pathname;
  const plain = runSubject(self, 'plain', ['--input', file]);
  const encrypted = runSubject(self, 'encrypted', ['--input', file]);
  printFigures(
    `Store write: ${args.rows.toLocaleString('en')} generated rows, 16 text columns, batches of ${BATCH}`,
    [plain, encrypted],
    'plain',
  );
  const overhead = encrypted.seconds / plain.seconds;
  process.stdout.write(
    `encryption overhead: ${overhead.toFixed(2)}× wall time (SQLCipher 4: AES-256-CBC + HMAC-SHA512)\n`,
  );
}
