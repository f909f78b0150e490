/**
 * Property tests of the SQL reader on generated dumps (random made-up values full of quotes,
 * backslashes, newlines, comment and delimiter look-alikes, non-ASCII), in each dialect:
 * - round trip: every generated value comes back exactly, with the exact offset and line;
 * - chunking: any split of the input gives identical output;
 * - truncation: a dump cut anywhere keeps exactly the complete records and rejects the one cut;
 * - mutation: random byte edits never throw or hang, and what comes out stays well-formed.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { sqlReader } from '../../../src/main/engine/import/readers/sql';
import type { SqlDialect } from '../../../src/main/engine/import/readers/sql/dialects';
import { collect, randomChunks, seededRandom, type Collected } from './helpers/collect-sink';

type Value = string | null;

interface Record {
  table: string;
  values: Value[];
  /** Byte range of the record: "(" to after ")" for tuples, the whole line for COPY rows. */
  start: number;
  end: number;
  copy: boolean;
}

interface Dump {
  dialect: SqlDialect;
  bytes: Buffer;
  records: Record[];
  /** Byte offsets of COPY terminator lines (`\.`). */
  copyEnds: number[];
}

const PIECES = [
  'a',
  'b',
  'Z',
  '0',
  '9',
  ' ',
  'é',
  '€',
  '😀',
  '中',
  "'",
  '"',
  '\\',
  '\n',
  '\r\n',
  '\t',
  ',',
  '(',
  ')',
  ';',
  '--',
  '#',
  '/*',
  '*/',
  '$',
  '`',
  '[',
  ']',
  '\\N',
  '\nGO\n',
  'NULL',
  '),(',
  '\\.',
];

class Builder {
  private parts: Buffer[] = [];
  private size = 0;
  readonly records: Record[] = [];
  readonly copyEnds: number[] = [];
  get offset(): number {
    return this.size;
  }
  add(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.parts.push(b);
    this.size += b.length;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function generate(dialect: SqlDialect, seed: number): Dump {
  const r = seededRandom(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;
  const crlf = dialect === 'mysql' && r() < 0.5;
  const nl = crlf ? '\r\n' : '\n';
  const b = new Builder();

  const text = (): string => {
    let s = '';
    const n = int(8);
    for (let k = 0; k < n; k++) s += pick(PIECES);
    if (dialect !== 'postgres' && r() < 0.05) s += '\u0000\u001a';
    return s;
  };
  const number = (): string => pick(['0', '42', '-7', '3.14', '-0.5', '1e5', '007']);

  /** [source text, value] of one SQL literal. */
  const literal = (): [string, Value] => {
    const roll = r();
    if (roll < 0.1) return ['NULL', null];
    if (roll < 0.25) {
      const n = number();
      return [n, n];
    }
    if (roll < 0.28 && dialect === 'mysql') return ['0xC0FFEE', '0xC0FFEE'];
    const s = text();
    switch (dialect) {
      case 'mysql': {
        const quote = r() < 0.5 ? "\\'" : "''";
        let e = s
          .replace(/\\/g, '\\\\')
          .replace(/'/g, quote)
          .replace(/\n/g, '\\n')
          .replace(/\r/g, '\\r')
          .replaceAll('\u0000', '\\0')
          .replaceAll('\u001a', '\\Z');
        if (r() < 0.5) e = e.replace(/\t/g, '\\t').replace(/"/g, '\\"');
        return [r() < 0.2 ? `_utf8mb4'${e}'` : `'${e}'`, s];
      }
      case 'postgres': {
        const roll2 = r();
        if (roll2 < 0.2 && !s.includes('$')) return [`$$${s}$$`, s];
        if (roll2 < 0.4) {
          const e = s
            .replace(/\\/g, '\\\\')
            .replace(/'/g, "\\'")
            .replace(/\n/g, '\\n')
            .replace(/\r/g, '\\r')
            .replace(/\t/g, '\\t');
          return [`E'${e}'`, s];
        }
        return [`'${s.replace(/'/g, "''")}'`, s];
      }
      case 'sqlite':
        return [`'${s.replace(/'/g, "''")}'`, s];
      default: {
        const q = `N'${s.replace(/'/g, "''")}'`;
        return [r() < 0.3 ? `CAST(${q} AS nvarchar(100))` : q, s];
      }
    }
  };

  const quoteName = (n: string): string =>
    dialect === 'mysql' ? `\`${n}\`` : dialect === 'mssql' ? `[${n}]` : `"${n}"`;
  const comment = (): void => {
    const c = pick(
      dialect === 'mysql'
        ? [
            `-- note ' (${nl}`,
            `# hash ' ;${nl}`,
            `/* block ; ' */${nl}`,
            `/*!40000 SET @x = 1 */;${nl}`,
          ]
        : [`-- note ' (;${nl}`, `/* block ; ' */${nl}`],
    );
    b.add(c);
  };
  const end = dialect === 'mssql' ? (r() < 0.5 ? nl : `;${nl}`) : `;${nl}`;
  const sep = (): string => pick([',', ', ', `,${nl}`, ` ,  `]);

  if (dialect === 'mysql') b.add(`-- MySQL dump 10.13${nl}/*!40101 SET NAMES utf8mb4 */;${nl}`);
  if (dialect === 'postgres')
    b.add(
      `--${nl}-- PostgreSQL database dump${nl}--${nl}SET standard_conforming_strings = on;${nl}`,
    );
  if (dialect === 'sqlite') b.add(`PRAGMA foreign_keys=OFF;${nl}BEGIN TRANSACTION;${nl}`);
  if (dialect === 'mssql') b.add(`SET ANSI_NULLS ON${nl}GO${nl}`);

  const tables = 1 + int(3);
  for (let t = 0; t < tables; t++) {
    const name = `t${t}`;
    const ncol = 1 + int(4);
    const cols = Array.from({ length: ncol }, (_, k) => (k === 1 ? 'full name' : `c${k}`));
    const qualified =
      dialect === 'postgres'
        ? `public.${quoteName(name)}`
        : dialect === 'mssql'
          ? `[dbo].${quoteName(name)}`
          : quoteName(name);
    b.add(
      `CREATE TABLE ${qualified} (${nl}${cols.map((c) => `  ${quoteName(c)} text`).join(`,${nl}`)}${nl})${end}`,
    );
    if (dialect === 'mssql' && r() < 0.5) b.add(`GO${nl}`);
    const statements = 1 + int(3);
    for (let s = 0; s < statements; s++) {
      if (r() < 0.3) comment();
      const n = 1 + int(6);
      if (dialect === 'postgres' && r() < 0.5) {
        b.add(`COPY ${qualified} (${cols.map(quoteName).join(', ')}) FROM stdin;\n`);
        for (let k = 0; k < n; k++) {
          const values: Value[] = cols.map(() => (r() < 0.15 ? null : text()));
          const line = values
            .map((v) =>
              v === null
                ? '\\N'
                : v
                    .replace(/\\/g, '\\\\')
                    .replace(/\t/g, '\\t')
                    .replace(/\n/g, '\\n')
                    .replace(/\r/g, '\\r'),
            )
            .join('\t');
          const start = b.offset;
          b.add(`${line}\n`);
          b.records.push({ table: name, values, start, end: b.offset, copy: true });
        }
        b.copyEnds.push(b.offset);
        b.add('\\.\n');
        continue;
      }
      const list = r() < 0.5 ? ` (${cols.map(quoteName).join(', ')})` : '';
      const verb = dialect === 'mssql' && r() < 0.5 ? 'INSERT' : 'INSERT INTO';
      b.add(`${verb} ${qualified}${list} VALUES${pick([' ', nl, ''])}`);
      const perStatement = dialect === 'sqlite' ? 1 : n;
      for (let k = 0; k < perStatement; k++) {
        if (k > 0) b.add(sep());
        const lits = cols.map(() => literal());
        const start = b.offset;
        b.add(`(${lits.map((l) => l[0]).join(sep())})`);
        b.records.push({
          table: name,
          values: lits.map((l) => l[1]),
          start,
          end: b.offset,
          copy: false,
        });
      }
      b.add(end);
      if (dialect === 'mssql' && r() < 0.3) b.add(`GO${nl}`);
    }
  }
  if (dialect === 'sqlite') b.add(`COMMIT;${nl}`);
  return { dialect, bytes: b.bytes(), records: b.records, copyEnds: b.copyEnds };
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function byTable(records: readonly Record[]): Map<string, Value[][]> {
  const out = new Map<string, Value[][]>();
  for (const rec of records) {
    const list = out.get(rec.table) ?? [];
    list.push(rec.values);
    out.set(rec.table, list);
  }
  return out;
}

function rowsByTable(c: Collected): Map<string, Value[][]> {
  const out = new Map<string, Value[][]>();
  for (const [name, t] of c.tables)
    if (t.rows.length > 0)
      out.set(
        name,
        t.rows.map((x) => x.values),
      );
  return out;
}

function snapshot(c: Collected): unknown {
  return {
    tables: [...c.tables].map(([name, t]) => [name, t.columns, t.rows]),
    rejects: c.rejects,
    meta: c.meta,
    result: c.result,
  };
}

const DIALECTS: SqlDialect[] = ['mysql', 'postgres', 'sqlite', 'mssql'];
const SEEDS = 25;

describe('sqlReader properties on generated dumps', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: every value, offset and line round-trips exactly`, async () => {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const dump = generate(dialect, seed * 101);
        const c = await collect(sqlReader, dump.bytes);
        expect(c.meta.dialect).toBe(dialect);
        expect(c.rejects).toEqual([]);
        expect(c.result).toEqual({ truncated: false });
        expect(rowsByTable(c)).toEqual(byTable(dump.records));
        const locs = [...c.tables.values()].flatMap((t) => t.rows.map((x) => [x.offset, x.line]));
        const want = dump.records.map((rec) => [rec.start, lineAt(dump.bytes, rec.start)]);
        expect(locs.sort((a, b) => a[0]! - b[0]!)).toEqual(want);
      }
    });

    it(`${dialect}: identical output for random chunk boundaries`, async () => {
      for (let seed = 1; seed <= 10; seed++) {
        const dump = generate(dialect, seed * 7919);
        const whole = snapshot(await collect(sqlReader, dump.bytes));
        for (let k = 0; k < 3; k++) {
          const chunks = randomChunks(dump.bytes, seed * 31 + k, 64);
          expect(snapshot(await collect(sqlReader, chunks))).toEqual(whole);
        }
      }
    });

    it(`${dialect}: a dump cut anywhere keeps the complete records and rejects the cut one`, async () => {
      for (let seed = 1; seed <= 8; seed++) {
        const dump = generate(dialect, seed * 4099);
        const rand = seededRandom(seed);
        for (let k = 0; k < 25; k++) {
          const cut = Math.floor(rand() * dump.bytes.length);
          const c = await collect(sqlReader, dump.bytes.subarray(0, cut), { dialect });
          const kept = dump.records.filter((rec) => rec.end <= cut);
          let expectedRejects = dump.records.filter(
            (rec) => rec.start < cut && cut < rec.end,
          ).length;
          // A COPY terminator cut after its backslash is a partial line: rejected, not a record.
          if (dump.copyEnds.some((e) => cut === e + 1)) expectedRejects++;
          expect(rowsByTable(c)).toEqual(byTable(kept));
          expect(c.rejects.length).toBe(expectedRejects);
          if (expectedRejects > 0) expect(c.result.truncated).toBe(true);
        }
      }
    });
  }

  it('survives random mutations: no throw, same output for any chunking, well-formed output', async () => {
    const rand = seededRandom(2024);
    const noise = Buffer.from('\'"\\();,\n\r\t-#/*$`[]GO ENDxé', 'utf8');
    for (let i = 0; i < 160; i++) {
      const dump = generate(DIALECTS[i % 4]!, 9000 + i);
      let bytes = Buffer.from(dump.bytes);
      const edits = 1 + Math.floor(rand() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * bytes.length);
        const op = rand();
        if (op < 0.35) bytes[at] = noise[Math.floor(rand() * noise.length)]!;
        else if (op < 0.55) bytes[at] = Math.floor(rand() * 256);
        else if (op < 0.75) {
          bytes = Buffer.concat([
            bytes.subarray(0, at),
            noise.subarray(0, 1 + Math.floor(rand() * 4)),
            bytes.subarray(at),
          ]);
        } else if (op < 0.9) {
          bytes = Buffer.concat([
            bytes.subarray(0, at),
            bytes.subarray(at + 1 + Math.floor(rand() * 20)),
          ]);
        } else {
          bytes = bytes.subarray(0, at); // truncation
        }
      }
      const whole = await collect(sqlReader, bytes);
      const chunked = await collect(sqlReader, randomChunks(bytes, i, 64));
      expect(snapshot(chunked)).toEqual(snapshot(whole));
      for (const t of whole.tables.values()) {
        for (const row of t.rows) {
          expect(row.values.length).toBeLessThanOrEqual(t.columns.length);
          expect(row.offset).toBeGreaterThanOrEqual(0);
          expect(row.offset).toBeLessThan(bytes.length);
          const atParen = bytes[row.offset] === 0x28;
          const atLineStart = row.offset === 0 || bytes[row.offset - 1] === 0x0a;
          expect(atParen || atLineStart).toBe(true);
        }
      }
      for (const rej of whole.rejects) {
        expect(rej.raw.length).toBeLessThanOrEqual(64 * 1024);
        expect(rej.offset).toBeGreaterThanOrEqual(0);
        expect(rej.offset).toBeLessThanOrEqual(bytes.length);
        expect(rej.reason.length).toBeGreaterThan(0);
      }
      // Nothing is invented: at most one row or reject per "(" or line in the input.
      const total =
        [...whole.tables.values()].reduce((n, t) => n + t.rows.length, 0) + whole.rejects.length;
      const parens = bytes.reduce((n, x) => n + (x === 0x28 || x === 0x0a ? 1 : 0), 0);
      expect(total).toBeLessThanOrEqual(parens + 1);
    }
  });
});
