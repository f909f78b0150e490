/**
 * The bulk-insert path of the import writer (import/bulk-insert.c through writer.ts) against the
 * record-by-record path: the same records, written both ways, must leave identical tables,
 * rejects and counters, whatever the values hold (NULL against '', accents, emoji, lone
 * surrogates, NUL bytes, long values), short records, columns added mid-way, and batches that
 * cross commits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BULK_ROWS } from '../../src/main/engine/import/row-batch';
import { applySinkCalls, SinkCallBatcher } from '../../src/main/engine/import/sink-calls';
import type { RecordSink } from '../../src/main/engine/import/types';
import { BATCH_ROWS, DatasetWriter, type ObserveTable } from '../../src/main/engine/import/writer';
import { bulkExtensionPath, createCase } from '../../src/main/engine/store';
import type { WritableDB } from '../../src/main/engine/store';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';

const dir = mkdtempSync(join(tmpdir(), 'leakscope-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function newCase(bulkInsert: boolean): WritableDB {
  const c = createCase(join(dir, `bulk-${counter++}.lscase`), TEST_PASSPHRASE, {
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    lock: false,
    bulkInsert,
  });
  return c.db;
}

function writer(db: WritableDB, observe: ObserveTable | null = null): DatasetWriter {
  const sourceId = Number(
    db
      .prepare(
        `INSERT INTO sources (file_name, file_path, bytes, mtime, format, encoding, compression, started_at, status)
         VALUES ('f.csv', '/f.csv', 1, 0, 'csv', NULL, NULL, '2026-01-01T00:00:00Z', 'importing')`,
      )
      .run().lastInsertRowid,
  );
  const now = () => new Date('2026-01-01T00:00:00Z');
  const name = (t: string) => (t === '' ? 'people' : `people.${t}`);
  return new DatasetWriter(db, sourceId, name, now, null, observe);
}

type Step =
  | { row: (string | null)[]; table?: string }
  | { reject: string; table?: string }
  | { columns: string[]; table?: string };

/** Records that exercise every corner of the argument layout. */
function script(): Step[] {
  const steps: Step[] = [
    { columns: ['nom', 'prénom', 'email', 'ville'] },
    { columns: ['id'], table: 'other' },
  ];
  const odd = [
    '',
    'Zoé Lefèvre-Dubois',
    '🙂 émoji',
    'lone \uD800 surrogate',
    'a\u0000nul',
    '\u0000',
    'x'.repeat(100_000),
    ' espaces ',
    '0612345678',
    'ligne\nsuivante',
  ];
  for (let i = 0; i < 2 * BATCH_ROWS + 777; i++) {
    const pick = (k: number) => odd[(i * 7 + k) % odd.length]!;
    if (i % 997 === 0) steps.push({ reject: `bad record ${i}` });
    if (i % 1500 === 3) steps.push({ row: [String(i)], table: 'other' });
    if (i === BULK_ROWS + 5) steps.push({ columns: ['ajouté'] });
    const row: (string | null)[] =
      i % 13 === 0
        ? [pick(0), null, '', null]
        : i % 17 === 0
          ? [pick(1)] // a short record
          : i % 251 === 0
            ? [pick(2), pick(3), pick(4), pick(5)]
            : [`Nom${i}`, `Prénom${i}`, `p${i}@exemple.fr`, i % 2 ? 'Saint-Étienne' : 'Brest'];
    if (i > BULK_ROWS + 5 && i % 5 === 0) row.push(i % 10 === 0 ? null : `extra ${i}`);
    steps.push({ row });
  }
  return steps;
}

function play(db: WritableDB, steps: Step[]): DatasetWriter {
  const w = writer(db);
  playOn(w, steps);
  w.finish('ready');
  return w;
}

/**
 * The steps read in one thread and written in another (parse mode, profile/pass-worker.ts): a
 * SinkCallBatcher gathers them, handed over every `every` steps, and the writer replays them.
 * Through structuredClone, as postMessage carries them.
 */
function playRemote(db: WritableDB, steps: Step[], every: number, observe?: ObserveTable) {
  const w = writer(db, observe ?? null);
  const batcher = new SinkCallBatcher();
  const hand = () => {
    const { calls, transfer } = batcher.take();
    applySinkCalls(structuredClone(calls, { transfer }), w);
  };
  let n = 0;
  playOn(
    {
      columns: (t, c) => batcher.columns(t, c),
      row: (t, v, l) => {
        batcher.row(t, v, l);
        if (++n % every === 0) hand();
      },
      reject: (t, i) => batcher.reject(t, i),
      meta: (k, v) => batcher.meta(k, v),
    },
    steps,
  );
  hand();
  w.finish('ready');
  return w;
}

function playOn(w: RecordSink, steps: Step[]): void {
  let line = 1;
  for (const s of steps) {
    line++;
    const loc = { line: line % 11 === 0 ? null : line, offset: line * 40 };
    if ('columns' in s)
      w.columns(
        s.table ?? '',
        s.columns.map((name) => ({ name, path: name })),
      );
    else if ('reject' in s) w.reject(s.table ?? '', { ...loc, reason: s.reject, raw: s.reject });
    else w.row(s.table ?? '', s.row, loc);
  }
}

function dump(db: WritableDB): unknown {
  const datasets = db
    .prepare('SELECT id, name, physical, rows, rejected, status FROM datasets ORDER BY id')
    .all() as { physical: string }[];
  return {
    datasets,
    tables: datasets.map((d) => db.prepare(`SELECT * FROM "${d.physical}" ORDER BY id`).all()),
    rejects: db.prepare('SELECT * FROM rejects ORDER BY id').all(),
  };
}

describe('bulk insert', () => {
  it('is built and loaded on this platform', () => {
    if (process.platform === 'win32') return; // not built there (scripts/native-binding.mjs)
    expect(bulkExtensionPath(NATIVE_BINDING)).toBeDefined();
    expect(writer(newCase(true)).bulkInsert).toBe(true);
    expect(writer(newCase(false)).bulkInsert).toBe(false);
  });

  it('stores exactly what the record-by-record path stores', () => {
    const steps = script();
    const bulkDb = newCase(true);
    const rowDb = newCase(false);
    const bulk = play(bulkDb, steps);
    const rows = play(rowDb, steps);
    expect(bulk.bulkInsert).toBe(process.platform !== 'win32');
    expect(bulk.counts()).toEqual(rows.counts());
    const a = dump(bulkDb);
    const b = dump(rowDb);
    expect(a).toEqual(b);
    // The values made it through, NULL apart from '' and the NUL-holding ones intact.
    const t = (a as { tables: Record<string, unknown>[][] }).tables[0]!;
    expect(t.length).toBe(2 * BATCH_ROWS + 777);
    expect(t.some((r) => r.c_2 === null)).toBe(true);
    expect(t.some((r) => r.c_3 === '')).toBe(true);
    expect(t.some((r) => r.c_1 === 'a\u0000nul' || r.c_3 === 'a\u0000nul')).toBe(true);
    expect(t.some((r) => r.line === null)).toBe(true);
  });

  it('stores the same from batches gathered in another thread, whatever they hold', () => {
    const steps = script();
    const rowDb = newCase(false);
    play(rowDb, steps);
    const expected = dump(rowDb);
    const runs = [
      [1, true],
      [97, true],
      [5000, false],
    ] as const;
    for (const [every, bulkInsert] of runs) {
      const db = newCase(bulkInsert);
      const counted: number[] = [];
      const rowsSeen: number[] = [];
      playRemote(db, steps, every, (_id, table) =>
        table === ''
          ? {
              columns: () => undefined,
              row: () => rowsSeen.push(1),
              counted: (n) => counted.push(n),
              end: () => undefined,
            }
          : null,
      );
      expect(dump(db), `every ${every}, bulk ${bulkInsert}`).toEqual(expected);
      // The observer counted every stored row of the table once: whole batches when the bulk
      // function takes them (a batch holding a NUL goes record by record, yet counted), else
      // record by record.
      const stored = db
        .prepare("SELECT rows FROM datasets WHERE source_table = ''")
        .pluck()
        .get() as number;
      expect(counted.reduce((x, y) => x + y, 0) + rowsSeen.length).toBe(stored);
      if (bulkInsert && process.platform !== 'win32') expect(rowsSeen).toEqual([]);
      if (!bulkInsert) expect(counted).toEqual([]);
    }
  });

  it('keeps the ordinals and provenance of a batch that falls back for a NUL', () => {
    const db = newCase(true);
    const seen: (string | null)[][] = [];
    const w = writer(db, () => ({
      columns: () => undefined,
      row: (values) => seen.push([...values]),
      end: () => undefined,
    }));
    w.columns('', [{ name: 'v', path: 'v' }]);
    w.row('', ['avant'], { line: 2, offset: 10 });
    w.row('', ['au\u0000milieu'], { line: 3, offset: 20 });
    w.row('', [null], { line: null, offset: 30 });
    w.finish('ready');
    expect(db.prepare('SELECT ordinal, line, offset, c_1 FROM ds_1 ORDER BY id').all()).toEqual([
      { ordinal: 0, line: 2, offset: 10, c_1: 'avant' },
      { ordinal: 1, line: 3, offset: 20, c_1: 'au\u0000milieu' },
      { ordinal: 2, line: null, offset: 30, c_1: null },
    ]);
    expect(seen).toEqual([['avant'], ['au\u0000milieu'], [null]]);
  });

  it('refuses anything but a dataset table and malformed batches', () => {
    if (process.platform === 'win32') return;
    const db = newCase(true);
    const call = db.prepare('SELECT leakscope_insert_rows(?, ?, ?, ?)');
    const heads = Buffer.from(new Float64Array([0, 1, 0, 1]).buffer);
    const none = Buffer.alloc(0);
    expect(() => call.get('datasets', heads, 'x', none)).toThrow(/not a dataset table/);
    expect(() => call.get('ds_1"; DROP TABLE x; --', heads, 'x', none)).toThrow(
      /not a dataset table/,
    );
    expect(() => call.get('ds_1', Buffer.alloc(7), 'x', none)).toThrow(/malformed batch/);
    const badCount = Buffer.from(new Float64Array([0, 1, 0, 2.5]).buffer);
    expect(() => call.get('ds_1', badCount, 'x', none)).toThrow(/bad value count/);
    const badNull = Buffer.from(new Int32Array([3]).buffer);
    expect(() => call.get('ds_1', heads, 'x', badNull)).toThrow(/bad null index/);
    // A missing table is SQLite's own error, passed on.
    expect(() => call.get('ds_99', heads, 'x', none)).toThrow(/no such table/);
  });
});
