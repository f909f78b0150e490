/**
 * Test helpers shared by every format reader's tests: a RecordSink that simply records what it is
 * given, a `collect()` that runs a reader over bytes (whole, or as chunks) into it, and chunkers
 * that split a buffer at random or fixed sizes so chunk-boundary bugs surface.
 *
 * Generic on purpose (CSV, combo, JSON, SQL readers all use it): no format knowledge here.
 */
import type {
  ColumnSpec,
  FormatReader,
  ReadContext,
  ReadResult,
  ReaderOptions,
  RecordSink,
} from '../../../../src/main/engine/import/types';

export interface CollectedRow {
  values: (string | null)[];
  line: number | null;
  offset: number;
  /** Position in its table: rows and table-attributed rejects share the sequence (as the sink). */
  ordinal: number;
}

export interface CollectedTable {
  columns: ColumnSpec[];
  rows: CollectedRow[];
}

export interface CollectedReject {
  table: string | null;
  line: number | null;
  offset: number;
  reason: string;
  raw: string;
  /** Ordinal in its table, or null for a reject that is not attributed to a table. */
  ordinal: number | null;
}

export interface Collected {
  tables: Map<string, CollectedTable>;
  rejects: CollectedReject[];
  meta: Record<string, string | number | boolean>;
  result: ReadResult;
}

export type CollectInput = Uint8Array | string | readonly Uint8Array[] | AsyncIterable<Uint8Array>;

/** A sink that records every call; `tables`, `rejects` and `meta` are filled as the reader runs. */
export function createCollectSink(): { sink: RecordSink } & Omit<Collected, 'result'> {
  const tables = new Map<string, CollectedTable>();
  const keys = new Map<string, Set<string>>(); // per table: name + path already declared
  const ordinals = new Map<string, number>();
  const rejects: CollectedReject[] = [];
  const meta: Record<string, string | number | boolean> = {};
  const nextOrdinal = (table: string): number => {
    const n = ordinals.get(table) ?? 0;
    ordinals.set(table, n + 1);
    return n;
  };
  const sink: RecordSink = {
    columns(table, columns) {
      let t = tables.get(table);
      let seen = keys.get(table);
      if (!t || !seen) {
        t = { columns: [], rows: [] };
        seen = new Set();
        tables.set(table, t);
        keys.set(table, seen);
      }
      // Accept both styles (full list again, or only the new columns): columns only ever grow.
      for (const c of columns) {
        const key = `${c.name}\u0000${c.path}`;
        if (!seen.has(key)) {
          seen.add(key);
          t.columns.push({ name: c.name, path: c.path });
        }
      }
    },
    row(table, values, loc) {
      const t = tables.get(table);
      if (!t) throw new Error(`row() for undeclared table ${JSON.stringify(table)}`);
      t.rows.push({
        values: [...values],
        line: loc.line,
        offset: loc.offset,
        ordinal: nextOrdinal(table),
      });
    },
    reject(table, info) {
      rejects.push({
        table,
        line: info.line,
        offset: info.offset,
        reason: info.reason,
        raw: info.raw,
        ordinal: table === null ? null : nextOrdinal(table),
      });
    },
    meta(key, value) {
      meta[key] = value;
    },
  };
  return { sink, tables, rejects, meta };
}

/** Runs `reader.read` over the input (a string is UTF-8 encoded) and returns what it emitted. */
export async function collect(
  reader: FormatReader,
  input: CollectInput,
  options: ReaderOptions = {},
  ctx?: ReadContext,
): Promise<Collected> {
  const { sink, tables, rejects, meta } = createCollectSink();
  const result = await reader.read(toSource(input), options, sink, ctx);
  return { tables, rejects, meta, result };
}

/** Turns any accepted input into the async byte stream a reader consumes. */
export function toSource(input: CollectInput): AsyncIterable<Uint8Array> {
  if (typeof input === 'string') return fromChunks([Buffer.from(input, 'utf8')]);
  if (input instanceof Uint8Array) return fromChunks([input]);
  if (Symbol.asyncIterator in input) return input;
  return fromChunks(input);
}

async function* fromChunks(chunks: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield c;
}

/** Deterministic PRNG (mulberry32) so random tests replay from their seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits bytes into chunks of random sizes in [1, maxChunk] (views, not copies). Small sizes
 * dominate so that every kind of boundary (inside a CRLF, a quote pair, a multi-byte character)
 * gets hit. `rand` is a seed or a generator from seededRandom.
 */
export function randomChunks(
  bytes: Uint8Array,
  rand: number | (() => number),
  maxChunk = 64,
): Uint8Array[] {
  const next = typeof rand === 'number' ? seededRandom(rand) : rand;
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    // Square the draw: mostly tiny chunks, sometimes large ones.
    const r = next();
    const size = 1 + Math.floor(r * r * maxChunk);
    out.push(bytes.subarray(i, Math.min(bytes.length, i + size)));
    i += size;
  }
  return out;
}

/** Splits bytes into chunks of exactly `size` bytes (the last may be shorter). */
export function fixedChunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** All rows of a table as plain value arrays (throws when the table is missing). */
export function rowValues(c: Collected, table = ''): (string | null)[][] {
  const t = c.tables.get(table);
  if (!t) throw new Error(`no table ${JSON.stringify(table)}`);
  return t.rows.map((r) => r.values);
}
