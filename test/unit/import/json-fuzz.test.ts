/**
 * Generated-input tests for the JSON and NDJSON readers: a seeded generator of nested French
 * breach-like records (accents, escapes, surrogate pairs, numbers written in odd ways), checked
 * against JSON.parse of the whole document as the oracle; then random chunk boundaries, a cut at
 * every position, and random mutations (no crash, no hang, every record delivered once).
 * All data is generated here; nothing real.
 */
import { describe, expect, it } from 'vitest';
import { JsonScanner, jsonReader, openUnits } from '../../../src/main/engine/import/readers/json';
import { NdjsonLines, ndjsonReader } from '../../../src/main/engine/import/readers/ndjson';
import {
  type Collected,
  collect,
  createCollectSink,
  randomChunks,
  seededRandom,
} from './helpers/collect-sink';

// ---- generator -------------------------------------------------------------------------------

/** A generated JSON value that remembers how its numbers are written. */
type Gen =
  | { t: 'str'; v: string; esc: boolean }
  | { t: 'num'; raw: string }
  | { t: 'lit'; raw: 'true' | 'false' | 'null' }
  | { t: 'arr'; items: Gen[] }
  | { t: 'obj'; entries: [string, Gen][] };

const FIRST = ['Élodie', 'Jérôme', 'Anaïs', 'François', 'Hélène', 'Loïc', 'Maëlle', 'Noël', 'Zoé'];
const LAST = ['Dupont', 'Lefèvre', 'Bénard', 'Müller', "O'Connor", 'Ñúñez', 'Łukasz', 'Gaël'];
const ODD = [
  'ligne 1\nligne 2',
  'tab\tici',
  'guillemets "doubles"',
  'antislash \\ et /',
  'emoji 😀 et 🇫🇷',
  '',
  'ü\u0001contrôle',
  '中文',
];
const NUMS = ['0', '-0', '7', '42', '1.50', '0.10', '-3.25', '1e5', '2.5E-3', '1E+2'];
const BIG = [
  '12345678901234567890',
  '-98765432109876543210',
  '0.1000000000000000055511151231257827',
];
const KEYS = [
  'nom',
  'prénom',
  'email',
  'téléphone',
  'nir',
  'adresse',
  'ville',
  'code_postal',
  'stagiaire',
  'contact',
  'identifiant',
  '123',
  '7',
  'clé avec espace',
  'é',
];

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)]!;
}

function genString(r: () => number): Gen {
  const k = r();
  const v =
    k < 0.35
      ? pick(r, FIRST)
      : k < 0.6
        ? pick(r, LAST)
        : k < 0.8
          ? `${pick(r, FIRST).toLowerCase()}.${Math.floor(r() * 1000)}@exemple.fr`
          : pick(r, ODD);
  return { t: 'str', v, esc: r() < 0.3 };
}

function genScalar(r: () => number): Gen {
  const k = r();
  if (k < 0.5) return genString(r);
  if (k < 0.7) return { t: 'num', raw: pick(r, NUMS) };
  if (k < 0.78) return { t: 'num', raw: pick(r, BIG) };
  if (k < 0.85) return { t: 'num', raw: String(Math.floor(r() * 1e9)) };
  return { t: 'lit', raw: pick(r, ['true', 'false', 'null'] as const) };
}

function genValue(r: () => number, depth: number): Gen {
  const k = r();
  if (depth < 3 && k < 0.15) return genObject(r, depth + 1);
  if (depth < 3 && k < 0.22) {
    const items: Gen[] = [];
    const n = Math.floor(r() * 4);
    const objects = r() < 0.3;
    for (let i = 0; i < n; i++) items.push(objects ? genObject(r, depth + 2) : genScalar(r));
    return { t: 'arr', items };
  }
  return genScalar(r);
}

function genObject(r: () => number, depth: number): Gen & { t: 'obj' } {
  const n = depth === 0 ? 3 + Math.floor(r() * 8) : Math.floor(r() * 4);
  const keys = new Set<string>();
  while (keys.size < n) keys.add(pick(r, KEYS));
  return { t: 'obj', entries: [...keys].map((key) => [key, genValue(r, depth)]) };
}

/** Escapes every non-ASCII character (as Python's json.dumps does) and the slash. */
function escapeHeavy(s: string): string {
  let out = '"';
  for (const ch of s) {
    const j = JSON.stringify(ch).slice(1, -1);
    if (j !== ch) out += j;
    else if (ch === '/') out += '\\/';
    else if (ch.charCodeAt(0) > 0x7e) {
      for (let k = 0; k < ch.length; k++) {
        out += '\\u' + ch.charCodeAt(k).toString(16).padStart(4, '0');
      }
    } else out += ch;
  }
  return out + '"';
}

/** Serialises with random whitespace; `ws` gives the glue between tokens. */
function write(g: Gen, ws: () => string): string {
  switch (g.t) {
    case 'str':
      return g.esc ? escapeHeavy(g.v) : JSON.stringify(g.v);
    case 'num':
    case 'lit':
      return g.raw;
    case 'arr':
      return '[' + ws() + g.items.map((x) => write(x, ws)).join(ws() + ',' + ws()) + ws() + ']';
    case 'obj':
      return (
        '{' +
        ws() +
        g.entries
          .map(([k, v]) => JSON.stringify(k) + ws() + ':' + ws() + write(v, ws))
          .join(ws() + ',' + ws()) +
        ws() +
        '}'
      );
  }
}

/** The column values the reader must produce, straight from the generator (numbers as written). */
function expectedFlat(g: Gen & { t: 'obj' }): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const compact = (x: Gen): string => {
    switch (x.t) {
      case 'str':
        return JSON.stringify(x.v);
      case 'num':
      case 'lit':
        return x.raw;
      case 'arr':
        return '[' + x.items.map(compact).join(',') + ']';
      case 'obj':
        return (
          '{' + x.entries.map(([k, v]) => JSON.stringify(k) + ':' + compact(v)).join(',') + '}'
        );
    }
  };
  const walk = (o: Gen & { t: 'obj' }, prefix: string): void => {
    for (const [k, v] of o.entries) {
      const path = prefix === '' ? k : prefix + '.' + k;
      if (v.t === 'obj') walk(v, path);
      else if (v.t === 'str') out.set(path, v.v);
      else if (v.t === 'lit') out.set(path, v.raw === 'null' ? null : v.raw);
      else out.set(path, compact(v));
    }
  };
  walk(g, '');
  return out;
}

/** The oracle: the flat view of a JSON.parse result (numbers as doubles, arrays as values). */
function oracleFlat(v: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()) {
  for (const [k, x] of Object.entries(v)) {
    const path = prefix === '' ? k : prefix + '.' + k;
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      oracleFlat(x as Record<string, unknown>, path, out);
    } else out.set(path, x);
  }
  return out;
}

function wsGen(r: () => number, style: 'compact' | 'pretty' | 'random'): () => string {
  if (style === 'compact') return () => '';
  if (style === 'pretty') return () => (r() < 0.5 ? '\n  ' : ' ');
  return () => pick(r, ['', '', ' ', '\n', '\r\n', '\t', '  \n\t']);
}

interface Doc {
  text: string;
  records: (Gen & { t: 'obj' })[];
  /** Byte offset of each element's first and past-last byte. */
  starts: number[];
  ends: number[];
}

function genArrayDoc(seed: number, count: number, style: 'compact' | 'pretty' | 'random'): Doc {
  const r = seededRandom(seed);
  const ws = wsGen(r, style);
  const records: (Gen & { t: 'obj' })[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let text = '[' + ws();
  for (let i = 0; i < count; i++) {
    if (i) text += ws() + ',' + ws();
    const rec = genObject(r, 0);
    records.push(rec);
    starts.push(Buffer.byteLength(text));
    text += write(rec, ws);
    ends.push(Buffer.byteLength(text));
  }
  text += ws() + ']' + ws();
  return { text, records, starts, ends };
}

function genNdjsonDoc(seed: number, count: number, crlf: boolean): Doc {
  const r = seededRandom(seed);
  const records: (Gen & { t: 'obj' })[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let text = '';
  for (let i = 0; i < count; i++) {
    const rec = genObject(r, 0);
    records.push(rec);
    starts.push(Buffer.byteLength(text));
    text += write(rec, () => (r() < 0.2 ? ' ' : ''));
    ends.push(Buffer.byteLength(text));
    text += crlf ? '\r\n' : '\n';
    if (r() < 0.1) text += '\n'; // blank lines are skipped
  }
  return { text, records, starts, ends };
}

// ---- helpers --------------------------------------------------------------------------------

/** 1-based line of a byte offset. */
function lineAt(text: string, byteOffset: number): number {
  return Buffer.from(text).subarray(0, byteOffset).toString('utf8').split('\n').length;
}

function rowMap(c: Collected, table: string, k: number): Map<string, string | null> {
  const t = c.tables.get(table)!;
  const m = new Map<string, string | null>();
  t.rows[k]!.values.forEach((v, i) => {
    if (v !== null || !m.has(t.columns[i]!.path)) m.set(t.columns[i]!.path, v);
  });
  // Columns of other records are null here: keep only what the record itself set or nulled.
  return m;
}

/** Compares one reader row to the JSON.parse oracle (numbers by value, arrays by structure). */
function expectMatchesOracle(row: Map<string, string | null>, oracle: Map<string, unknown>): void {
  for (const [path, want] of oracle) {
    const got = row.get(path);
    if (want === null) expect(got, path).toBeNull();
    else if (typeof want === 'number') expect(Number(got), path).toBe(want);
    else if (typeof want === 'boolean') expect(got, path).toBe(String(want));
    else if (typeof want === 'string') expect(got, path).toBe(want);
    else expect(JSON.parse(got!), path).toEqual(want);
  }
  // Nothing beyond the oracle's paths carries a value.
  for (const [path, v] of row) if (!oracle.has(path)) expect(v, path).toBeNull();
}

function expectSameAsExpected(row: Map<string, string | null>, want: Map<string, string | null>) {
  for (const [path, v] of want) expect(row.get(path), path).toBe(v);
  for (const [path, v] of row) if (!want.has(path)) expect(v, path).toBeNull();
}

async function* source(chunks: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield c;
}

/** Runs the JSON scanner directly, to read its record count next to what the sink saw. */
async function scanJson(chunks: readonly Uint8Array[]) {
  const col = createCollectSink();
  const units = await openUnits(source(chunks), undefined);
  const scanner = new JsonScanner(col.sink, units);
  for await (const u of units.chunks) scanner.feed(u);
  const result = scanner.end();
  const rows = [...col.tables.values()].reduce((a, t) => a + t.rows.length, 0);
  return { records: scanner.records, rows, rejects: col.rejects.length, result, col };
}

async function scanNdjson(chunks: readonly Uint8Array[]) {
  const col = createCollectSink();
  const units = await openUnits(source(chunks), undefined);
  const lines = new NdjsonLines(col.sink, units);
  for await (const u of units.chunks) lines.feed(u);
  const result = lines.end();
  const rows = col.tables.get('')?.rows.length ?? 0;
  return { records: lines.stats.records, rows, rejects: col.rejects.length, result };
}

function plain(c: Collected) {
  return { tables: [...c.tables], rejects: c.rejects, meta: c.meta, result: c.result };
}

// ---- tests ----------------------------------------------------------------------------------

describe('JSON reader against the JSON.parse oracle', () => {
  for (const style of ['compact', 'pretty', 'random'] as const) {
    it(`reads generated arrays (${style}) like JSON.parse, numbers as written`, async () => {
      for (let seed = 1; seed <= 8; seed++) {
        const doc = genArrayDoc(seed * 101, 60, style);
        const c = await collect(jsonReader, doc.text);
        expect(c.rejects).toEqual([]);
        expect(c.result).toEqual({ truncated: false });
        const oracle = JSON.parse(doc.text) as Record<string, unknown>[];
        const t = c.tables.get('')!;
        expect(t.rows.length).toBe(oracle.length);
        for (let k = 0; k < oracle.length; k++) {
          const row = rowMap(c, '', k);
          expectMatchesOracle(row, oracleFlat(oracle[k]!));
          expectSameAsExpected(row, expectedFlat(doc.records[k]!));
          expect(t.rows[k]!.offset).toBe(doc.starts[k]);
          expect(t.rows[k]!.line).toBe(lineAt(doc.text, doc.starts[k]!));
        }
        // Columns: the union, in order of first appearance, name = path.
        const union: string[] = [];
        for (const rec of doc.records) {
          for (const p of expectedFlat(rec).keys()) if (!union.includes(p)) union.push(p);
        }
        expect(t.columns.map((x) => x.path)).toEqual(union);
        for (const col of t.columns) expect(col.name).toBe(col.path);
      }
    });
  }

  it('reads the same records from an object of arrays, one table per key', async () => {
    const a = genArrayDoc(7, 20, 'pretty');
    const b = genArrayDoc(8, 5, 'compact');
    const text = `{"Stagiaires": ${a.text}, "info": {"seed": "x", "n": 3}, "Conseillers": ${b.text}}`;
    const c = await collect(jsonReader, text);
    expect([...c.tables.keys()]).toEqual(['Stagiaires', 'Conseillers']);
    const oracle = JSON.parse(text) as Record<string, Record<string, unknown>[]>;
    for (const name of ['Stagiaires', 'Conseillers']) {
      expect(c.tables.get(name)!.rows.length).toBe(oracle[name]!.length);
      oracle[name]!.forEach((o, k) => expectMatchesOracle(rowMap(c, name, k), oracleFlat(o)));
    }
  });
});

describe('NDJSON reader against the JSON.parse oracle', () => {
  for (const crlf of [false, true]) {
    it(`reads generated lines (${crlf ? 'CRLF' : 'LF'}) like JSON.parse`, async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const doc = genNdjsonDoc(seed * 31, 80, crlf);
        const c = await collect(ndjsonReader, doc.text);
        expect(c.rejects).toEqual([]);
        const t = c.tables.get('')!;
        expect(t.rows.length).toBe(doc.records.length);
        const lines = doc.text.split('\n').filter((l) => l.trim() !== '');
        lines.forEach((l, k) => {
          const row = rowMap(c, '', k);
          expectMatchesOracle(row, oracleFlat(JSON.parse(l) as Record<string, unknown>));
          expectSameAsExpected(row, expectedFlat(doc.records[k]!));
          expect(t.rows[k]!.offset).toBe(doc.starts[k]);
          expect(t.rows[k]!.line).toBe(lineAt(doc.text, doc.starts[k]!));
        });
      }
    });
  }
});

describe('chunk boundaries', () => {
  it('JSON: random small chunks give exactly the output of one chunk', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const style = (['compact', 'pretty', 'random'] as const)[seed % 3]!;
      const doc = genArrayDoc(seed, 25, style);
      const text = seed % 2 ? doc.text : `{"results": ${doc.text}, "info": {"page": 1}}`;
      const bytes = Buffer.from(text);
      const whole = plain(await collect(jsonReader, bytes));
      for (const max of [1, 3, 17, 300]) {
        const chunked = plain(await collect(jsonReader, randomChunks(bytes, seed * 7 + max, max)));
        expect(chunked).toEqual(whole);
      }
    }
  });

  it('NDJSON: random small chunks give exactly the output of one chunk', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const doc = genNdjsonDoc(seed, 30, seed % 2 === 0);
      const bytes = Buffer.from('\ufeff' + doc.text + '{"cassé": tru}\n[1,2]\n');
      const whole = plain(await collect(ndjsonReader, bytes));
      expect(whole.rejects.length).toBe(2);
      for (const max of [1, 2, 13, 500]) {
        const chunked = plain(
          await collect(ndjsonReader, randomChunks(bytes, seed * 3 + max, max)),
        );
        expect(chunked).toEqual(whole);
      }
    }
  });

  it('UTF-16 input split at odd byte boundaries', async () => {
    const doc = genArrayDoc(99, 15, 'pretty');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc.text, 'utf16le')]);
    const whole = plain(await collect(jsonReader, Buffer.from(doc.text)));
    const chunked = plain(await collect(jsonReader, randomChunks(le, 5, 7)));
    // Same rows and columns; offsets differ (they are bytes of each encoding).
    const strip = (p: ReturnType<typeof plain>) =>
      p.tables.map(([n, t]) => [n, t.columns, t.rows.map((r) => [r.values, r.line])]);
    expect(strip(chunked)).toEqual(strip(whole));
  });
});

describe('truncation at every position', () => {
  it('JSON array: keeps every complete element, rejects the partial one, never throws', async () => {
    const doc = genArrayDoc(5, 6, 'random');
    const bytes = Buffer.from(doc.text);
    const full = await collect(jsonReader, bytes);
    const fullRows = full.tables.get('')!.rows;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const s = await scanJson([bytes.subarray(0, cut)]);
      const complete = doc.ends.filter((e) => e <= cut).length;
      const started = doc.starts.filter((st) => st < cut).length;
      expect(s.rows, `cut ${cut}`).toBe(complete);
      expect(s.rejects, `cut ${cut}`).toBe(started - complete);
      expect(s.records, `cut ${cut}`).toBe(s.rows + s.rejects);
      const rows = s.col.tables.get('')?.rows ?? [];
      expect(rows.map((r) => r.values.filter((v) => v !== null))).toEqual(
        fullRows.slice(0, complete).map((r) => r.values.filter((v) => v !== null)),
      );
      const closed = Buffer.byteLength(doc.text.trimEnd());
      expect(s.result.truncated, `cut ${cut}`).toBe(cut > 0 && cut < closed);
      if (s.result.truncated) expect(s.result.truncatedReason).toMatch(/file ends inside/);
    }
  });

  it('JSON object of arrays: every cut keeps what came before it', async () => {
    const doc = genArrayDoc(6, 4, 'pretty');
    const text = `{"results": ${doc.text}, "info": {"seed": "é"}}`;
    const bytes = Buffer.from(text);
    const shift = '{"results": '.length;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const s = await scanJson([bytes.subarray(0, cut)]);
      expect(s.records, `cut ${cut}`).toBe(s.rows + s.rejects);
      expect(s.rows, `cut ${cut}`).toBe(doc.ends.filter((e) => e + shift <= cut).length);
      expect(s.rejects, `cut ${cut}`).toBeLessThanOrEqual(1);
      expect(s.result.truncated, `cut ${cut}`).toBe(cut > 0 && cut < bytes.length);
    }
  });

  it('NDJSON: every cut keeps the complete lines', async () => {
    const doc = genNdjsonDoc(8, 6, true);
    const bytes = Buffer.from(doc.text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const s = await scanNdjson([bytes.subarray(0, cut)]);
      const complete = doc.ends.filter((e) => e <= cut).length;
      const started = doc.starts.filter((st) => st < cut).length;
      expect(s.rows, `cut ${cut}`).toBe(complete);
      expect(s.rejects, `cut ${cut}`).toBe(started - complete);
      expect(s.records).toBe(s.rows + s.rejects);
      expect(s.result.truncated, `cut ${cut}`).toBe(started > complete);
    }
  });
});

describe('random mutations', () => {
  const MUTANTS = [
    '{',
    '}',
    '[',
    ']',
    '"',
    '\\',
    ',',
    ':',
    '\n',
    'x',
    '0',
    ' ',
    '\u00e9',
    '\u0000',
  ];

  function mutate(r: () => number, bytes: Buffer): Buffer {
    let b = bytes;
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) {
      const at = Math.floor(r() * (b.length + 1));
      const op = r();
      if (op < 0.3) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
      else if (op < 0.6) {
        b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(r, MUTANTS)), b.subarray(at)]);
      } else if (op < 0.8 && at < b.length) {
        b = Buffer.from(b);
        b[at] = Math.floor(r() * 256);
      } else if (op < 0.9) {
        const len = Math.floor(r() * 40);
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
      } else b = b.subarray(0, at);
    }
    return b;
  }

  it('JSON: no crash, no hang, every record delivered once, chunking-independent', async () => {
    const r = seededRandom(4242);
    for (let round = 0; round < 300; round++) {
      const doc = genArrayDoc(round, 5, (['compact', 'pretty', 'random'] as const)[round % 3]!);
      const base =
        round % 2 ? doc.text : `{"data": {"users": ${doc.text}}, "meta": [1, 2], "x": null}`;
      const bytes = mutate(r, Buffer.from(base));
      const t0 = Date.now();
      const whole = await scanJson([bytes]);
      expect(whole.records, `round ${round}`).toBe(whole.rows + whole.rejects);
      const chunked = await scanJson(randomChunks(bytes, round, 9));
      expect(plain({ ...chunked.col, result: chunked.result })).toEqual(
        plain({ ...whole.col, result: whole.result }),
      );
      expect(Date.now() - t0).toBeLessThan(2000);
    }
  });

  it('NDJSON: no crash, no hang, every line accounted for', async () => {
    const r = seededRandom(777);
    for (let round = 0; round < 300; round++) {
      const doc = genNdjsonDoc(round, 6, round % 2 === 0);
      const bytes = mutate(r, Buffer.from(doc.text));
      const whole = await scanNdjson([bytes]);
      expect(whole.records).toBe(whole.rows + whole.rejects);
      const nonBlank = bytes
        .toString('utf8')
        .split('\n')
        .filter((l) => l.replace(/[ \t\r]/g, '') !== '').length;
      expect(whole.records, `round ${round}`).toBe(nonBlank);
      const chunked = await scanNdjson(randomChunks(bytes, round, 11));
      expect(chunked).toEqual(whole);
    }
  });
});
