/**
 * The profiling pass, fed either by the import's writer as it stores each row (import-pass.ts:
 * the post-import step then only runs `finish`) or by one streaming read of a dataset table
 * (`profile.run`, and the fallback: keyset chunks of CHUNK_ROWS rows, so memory stays flat
 * whatever the table size and the event loop can deliver a cancel between chunks), with
 *   - on every value: fill counts and lengths, distinct count and top values (exact up to a bound,
 *     then HyperLogLog and heavy hitters), and the row's presence pattern for the inventory;
 *   - on a systematic sample of records (every k-th row, k doubling as rows come, so the sample
 *     spans the whole table without its length known in advance): types and date formats,
 *     shapes, PII detectors, and the NIR cross-field checks, which need whole records and the
 *     final column kinds.
 * Detectors cost microseconds per value (libphonenumber, list look-ups, checksums); running them
 * on a bounded sample is what keeps profiling within a fraction of the import time, and the
 * DESIGN's evidence is stated as shares of sampled values.
 *
 * Where the time goes (1M rows × 12 columns, bench/RESULTS.md): reading the table, the read of
 * the encrypted pages (decryption, record decoding, one string per record: see packedReadSql)
 * is the larger part, which the import's pass avoids; then the per-value statistics (about
 * two thirds of what the pass adds to an import), the detectors on the sample and their
 * one-time warm-up (reference lists, JIT).
 */
import type { ColumnProfile, DatasetProfile, JobProgress, PiiFinding } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import type { RowBatch } from '../import/row-batch';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { checkConsistency, type ConsistencyColumns } from './consistency';
import { headerHint } from './detect/headers';
import { detectColumn } from './detect/score';
import { FillStats } from './stats/counts';
import type { ParsedDate } from './stats/dates';
import { detach, DistinctCounter, type DistinctResult } from './stats/distinct';
import { fmix32, FNV_BASIS, FNV_PRIME, HLL_PRECISION } from './stats/hll';
import { ShapeCounter } from './stats/shapes';
import { TypeCounter } from './stats/types';
import { summarize, type PresencePatterns } from './summary';

export const PROFILER_VERSION = 1;
/** Rows read per statement before the event loop gets a turn (cancel, progress). */
const CHUNK_ROWS = 100_000;
/**
 * Records the detectors look at (fewer for wide tables: a bounded number of cells): between
 * this and twice this many (doubling stride). The quality harness validates the detectors on
 * 2,000-row files, so the sample is never smaller than what they are tuned on; a larger one
 * costs detector time (a third of the pass) for no better decision.
 */
export const SAMPLE_RECORDS = 2_500;
const SAMPLE_CELLS = 1_000_000;
const MAX_PATTERNS = 50_000;
const TOP_N = 10;

export interface ProfileHooks {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  now?: () => Date;
  /** Overrides SAMPLE_RECORDS (tests). */
  sampleRecords?: number;
}

export interface ProfileColumn {
  idx: number;
  name: string;
  path: string;
}

/** The packed read (see `packedReadSql`): fields joined by U+001F, NULL written as U+001E. */
const SEP = 31;
const NUL = 30;
/** Arguments per concat_ws call (SQLite allows 1000 by default: wide tables nest groups). */
const CONCAT_GROUP = 500;
const HLL_SHIFT = 32 - HLL_PRECISION;

/** 31 columns per word of the presence mask (small integers stay unboxed in V8). */
const wordsFor = (width: number) => Math.max(1, Math.ceil(width / 31));

/**
 * What the import's pass hands over for a dataset (import-pass.ts): its counts, checked against
 * the stored table, and the decisions, taken in this thread (ProfileAccumulator) or in the
 * profiling thread (pass-thread.ts, null when that thread failed).
 */
export interface PassResult {
  readonly rows: number;
  readonly columns: readonly ProfileColumn[];
  finish(
    dataset: { id: number; name: string },
    opts: { now: Date; started: number; signal?: AbortSignal },
  ): DatasetProfile | Promise<DatasetProfile | null>;
}

/**
 * Everything the profile needs from one pass over the rows, fed one row at a time: usable from
 * a read of the stored table (post-import step, `profile.run`) or from the import's own pass.
 *
 * Two ways in, with the same statistics: `row` takes the values as an array (the import's
 * RecordSink shape, tests, the quality bench), `packed` takes a whole record as one string
 * (`id␟v1␟v2…`, U+001E for NULL), which is how the post-import read gets it from SQLite: one
 * JavaScript string per record instead of one per value halves the cost of the read, and the
 * per-value statistics then run on ranges of that string without allocating (the hash for the
 * distinct count is computed while looking for the separators).
 *
 * The record sample is systematic with a doubling stride: every record is kept until the sample
 * holds 2 × target, then every other one is dropped and the stride doubles, so the sample
 * always spans the whole table without knowing its length in advance.
 */
export class ProfileAccumulator {
  private readonly columns_: ProfileColumn[];
  private width: number;
  private words: number;
  private readonly fills: FillStats;
  private readonly distincts: DistinctCounter[];
  /** Rows per set of non-empty columns: the mask itself as key when one word holds it. */
  private patterns = new Map<number | string, number>();
  private patternOverflow = false;
  private mask: number[];
  private target: number;
  /** Field bounds and FNV-1a states of the packed record being read. */
  private starts: Int32Array;
  private ends: Int32Array;
  private fnv: Int32Array;
  sample: (string | null)[][] = [];
  stride = 1;
  rows = 0;

  constructor(
    columns: readonly ProfileColumn[],
    private readonly sampleRecords = SAMPLE_RECORDS,
  ) {
    this.columns_ = [...columns];
    this.width = columns.length;
    this.words = wordsFor(this.width);
    this.fills = new FillStats(this.width);
    this.distincts = columns.map(() => new DistinctCounter());
    this.mask = new Array<number>(this.words).fill(0);
    this.target = this.targetFor(this.width);
    this.starts = new Int32Array(this.width);
    this.ends = new Int32Array(this.width);
    this.fnv = new Int32Array(this.width);
  }

  get columns(): readonly ProfileColumn[] {
    return this.columns_;
  }

  private targetFor(width: number): number {
    return Math.max(
      100,
      Math.min(this.sampleRecords, Math.floor(SAMPLE_CELLS / Math.max(1, width))),
    );
  }

  /**
   * Columns added after some rows were counted (an import whose later JSON records bring new
   * keys). The state becomes what it would be had the columns existed from the start, with
   * NULL in every earlier row as the stored table has: NULL counts, sample records padded, the
   * presence keys rewritten when the mask gains a word, and the sample thinned if the wider
   * table lowers the target (the doubling-stride sample only depends on the target and the
   * row count, so thinning now gives the same records as a smaller target from the start).
   */
  addColumns(columns: readonly ProfileColumn[]): void {
    if (columns.length === 0) return;
    const width = this.width + columns.length;
    this.columns_.push(...columns);
    this.fills.grow(width, this.rows);
    for (const _ of columns) this.distincts.push(new DistinctCounter());
    for (const r of this.sample) while (r.length < width) r.push(null);
    const words = wordsFor(width);
    if (words !== this.words) {
      const pad = new Array<number>(words - this.words).fill(0).join(',');
      const patterns = new Map<number | string, number>();
      for (const [key, n] of this.patterns) patterns.set(`${key},${pad}`, n);
      this.patterns = patterns;
      this.mask = new Array<number>(words).fill(0);
      this.words = words;
    }
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
    this.fnv = new Int32Array(width);
    this.width = width;
    this.target = this.targetFor(width);
    while (this.sample.length >= 2 * this.target) this.halveSample();
  }

  /**
   * One record, values positional (`offset` skips leading non-data fields such as the id);
   * missing trailing values count as NULL, as the stored table has them. This is the import's
   * path (one call per stored row), so the per-value work is inlined as in `packed`: one scan of
   * each value for its hash, no call per value.
   */
  row(values: readonly (string | number | null | undefined)[], offset = 0): void {
    const width = this.width;
    const { nulls, empty, nonEmpty, minLen, maxLen, sumLen } = this.fills;
    const distincts = this.distincts;
    const oneWord = this.words === 1;
    const mask = this.mask;
    if (!oneWord) mask.fill(0);
    let mask0 = 0;
    for (let j = 0; j < width; j++) {
      const raw = values[j + offset];
      if (raw === null || raw === undefined) {
        nulls[j]!++;
        continue;
      }
      const v = typeof raw === 'string' ? raw : String(raw);
      const len = v.length;
      if (len === 0) {
        empty[j]!++;
        continue;
      }
      const first = v.charCodeAt(0);
      const last = v.charCodeAt(len - 1);
      if ((first <= 32 || first === 160 || last <= 32 || last === 160) && v.trim() === '') {
        empty[j]!++;
        continue;
      }
      nonEmpty[j]!++;
      if (len < minLen[j]!) minLen[j] = len;
      if (len > maxLen[j]!) maxLen[j] = len;
      sumLen[j]! += len;
      const d = distincts[j]!;
      const index = d.index;
      if (index !== null) {
        // Exact table (DistinctCounter.add, inlined): no JavaScript hash of the value needed.
        const x = index.get(v);
        if (x !== undefined) d.counts[x]!++;
        else d.insert(v);
      } else {
        let h = FNV_BASIS;
        for (let k = 0; k < len; k++) h = Math.imul(h ^ v.charCodeAt(k), FNV_PRIME);
        h = fmix32(h);
        const registers = d.registers!;
        const idx = h >>> HLL_SHIFT;
        const rest = (h << HLL_PRECISION) >>> 0;
        const rank = rest === 0 ? HLL_SHIFT + 1 : Math.clz32(rest) + 1;
        if (rank > registers[idx]!) registers[idx] = rank;
      }
      if (oneWord) mask0 |= 1 << j;
      else mask[(j / 31) | 0]! |= 1 << (j % 31);
    }
    this.countPattern(oneWord ? mask0 : mask.join(','));
    if (this.rows % this.stride === 0) {
      const kept: (string | null)[] = new Array<string | null>(width);
      for (let j = 0; j < width; j++) {
        const raw = values[j + offset];
        kept[j] = raw === null || raw === undefined ? null : detach(String(raw));
      }
      this.keep(kept);
    }
    this.rows++;
  }

  /**
   * The records of a bulk-insert batch (import/row-batch.ts), as `row` would count each: the
   * writer profiles the batches another thread parsed for it. One scan of the joined text finds
   * the fields and hashes them, where splitting it first made a string per value and read every
   * value twice (CPU profiles of a 1M-record JSON import: split and `row` 4.0 s, this 2.0–2.8 s).
   */
  batch(b: RowBatch): void {
    if (b.records) {
      for (const r of b.records) this.row(r);
      return;
    }
    const width = this.width;
    const starts = this.starts;
    const ends = this.ends;
    const fnv = this.fnv;
    const { heads, nulls, text: s } = b;
    const end = s.length;
    let k = 0;
    let value = 0;
    let nullAt = 0;
    let nextNull = nulls.length > 0 ? nulls[0]! : -1;
    for (let r = 0; r < b.count; r++) {
      const n = heads[r * 4 + 3]!;
      for (let j = 0; j < n; j++) {
        const start = k;
        let h = FNV_BASIS;
        for (; k < end; k++) {
          const c = s.charCodeAt(k);
          if (c === 0) break;
          h = Math.imul(h ^ c, FNV_PRIME);
        }
        if (j < width) {
          starts[j] = start;
          ends[j] = k;
          fnv[j] = h;
        }
        if (value === nextNull) {
          if (j < width) starts[j] = -1;
          nextNull = ++nullAt < nulls.length ? nulls[nullAt]! : -1;
        }
        value++;
        k++; // past the NUL
      }
      // Missing trailing values are NULL, as the stored table has them.
      for (let j = n; j < width; j++) starts[j] = -1;
      this.countFields(s);
    }
  }

  /**
   * One record as read by `packedReadSql`: the id, then the width values, joined by U+001F,
   * NULL written as U+001E. Returns false, having counted nothing, when the record does not
   * split into exactly that many fields (a value holds U+001F): the caller then reads that
   * record column by column and gives it to `row`.
   *
   * A value that is exactly one U+001E control character reads as NULL here (absent rather
   * than filled): the price of one string per record.
   */
  packed(s: string): boolean {
    const width = this.width;
    const starts = this.starts;
    const ends = this.ends;
    const fnv = this.fnv;
    const n = s.length;
    if (width === 0) {
      this.row([]);
      return true;
    }
    let k = s.indexOf('\x1f');
    if (k < 0) return false;
    const lastField = width - 1;
    let j = 0;
    let start = k + 1;
    let h = FNV_BASIS;
    for (k = start; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c === SEP) {
        if (j === lastField) return false;
        starts[j] = start;
        ends[j] = k;
        fnv[j] = h;
        j++;
        start = k + 1;
        h = FNV_BASIS;
      } else h = Math.imul(h ^ c, FNV_PRIME);
    }
    if (j !== lastField) return false;
    starts[j] = start;
    ends[j] = n;
    fnv[j] = h;
    for (j = 0; j < width; j++) {
      if (ends[j]! - starts[j]! === 1 && s.charCodeAt(starts[j]!) === NUL) starts[j] = -1;
    }
    this.countFields(s);
    return true;
  }

  /**
   * The statistics of one record whose fields are ranges of `s` (starts / ends, start -1 for
   * NULL) with their FNV-1a states (fnv), as `packed` leaves them.
   */
  private countFields(s: string): void {
    const width = this.width;
    const starts = this.starts;
    const ends = this.ends;
    const fnv = this.fnv;
    const { nulls, empty, nonEmpty, minLen, maxLen, sumLen } = this.fills;
    const distincts = this.distincts;
    const oneWord = this.words === 1;
    const mask = this.mask;
    if (!oneWord) mask.fill(0);
    let mask0 = 0;
    for (let j = 0; j < width; j++) {
      const a = starts[j]!;
      if (a < 0) {
        nulls[j]!++;
        continue;
      }
      const b = ends[j]!;
      const len = b - a;
      if (len === 0) {
        empty[j]!++;
        continue;
      }
      const first = s.charCodeAt(a);
      const last = s.charCodeAt(b - 1);
      if (
        (first <= 32 || first === 160 || last <= 32 || last === 160) &&
        s.slice(a, b).trim() === ''
      ) {
        empty[j]!++;
        continue;
      }
      nonEmpty[j]!++;
      if (len < minLen[j]!) minLen[j] = len;
      if (len > maxLen[j]!) maxLen[j] = len;
      sumLen[j]! += len;
      const h = fmix32(fnv[j]!);
      const d = distincts[j]!;
      const registers = d.registers;
      if (registers !== null) {
        // HyperLogLog.addHash, inlined: this runs for most values of most columns.
        const idx = h >>> HLL_SHIFT;
        const rest = (h << HLL_PRECISION) >>> 0;
        const rank = rest === 0 ? HLL_SHIFT + 1 : Math.clz32(rest) + 1;
        if (rank > registers[idx]!) registers[idx] = rank;
      } else d.addRange(s, a, b, h);
      if (oneWord) mask0 |= 1 << j;
      else mask[(j / 31) | 0]! |= 1 << (j % 31);
    }
    this.countPattern(oneWord ? mask0 : mask.join(','));
    if (this.rows % this.stride === 0) {
      // Copies, not slices: a slice would pin the whole record string.
      const kept: (string | null)[] = new Array<string | null>(width);
      for (let j = 0; j < width; j++) {
        const a = starts[j]!;
        kept[j] = a < 0 ? null : detach(s.slice(a, ends[j]!));
      }
      this.keep(kept);
    }
    this.rows++;
  }

  private countPattern(key: number | string): void {
    if (this.patternOverflow) return;
    const c = this.patterns.get(key);
    if (c !== undefined) this.patterns.set(key, c + 1);
    else if (this.patterns.size < MAX_PATTERNS) this.patterns.set(key, 1);
    else this.patternOverflow = true;
  }

  private keep(kept: (string | null)[]): void {
    this.sample.push(kept);
    if (this.sample.length >= 2 * this.target) this.halveSample();
  }

  private halveSample(): void {
    this.sample = this.sample.filter((_, i) => i % 2 === 0);
    this.stride *= 2;
  }

  /**
   * What the decisions need of the state, as plain data: per column its counts, lengths and
   * distinct count / top values, plus the record sample and the presence patterns. Cheap (the
   * sample is shared, not copied), so the decisions can run in another thread (import-pass.ts).
   */
  snapshot(): ProfileSnapshot {
    const fills = this.fills;
    const columns: ColumnStats[] = [];
    for (let j = 0; j < this.width; j++) {
      const values: string[] = [];
      for (const r of this.sample) {
        const v = r[j];
        if (v !== null && v !== undefined && v.trim() !== '') values.push(v);
      }
      columns.push({
        ...this.columns_[j]!,
        nonEmpty: fills.nonEmpty[j]!,
        empty: fills.empty[j]!,
        nulls: fills.nulls[j]!,
        length: fills.lengths(j),
        distinct: this.distincts[j]!.result(TOP_N, values, this.stride),
      });
    }
    const patterns: [string, number][] = [];
    for (const [key, n] of this.patterns) patterns.push([String(key), n]);
    return {
      rows: this.rows,
      columns,
      sample: this.sample,
      patterns,
      patternOverflow: this.patternOverflow,
    };
  }

  /** Column statistics, PII findings, inventory, sensitivity and consistency. */
  finish(
    dataset: { id: number; name: string },
    opts: { now: Date; started: number; signal?: AbortSignal },
  ): DatasetProfile {
    return decide(this.snapshot(), dataset, opts);
  }
}

/** Per column, what the pass counted (ProfileAccumulator.snapshot). */
export interface ColumnStats extends ProfileColumn {
  nonEmpty: number;
  empty: number;
  nulls: number;
  length: { min: number; max: number; mean: number };
  distinct: DistinctResult;
}

export interface ProfileSnapshot {
  rows: number;
  columns: ColumnStats[];
  sample: (string | null)[][];
  patterns: [string, number][];
  patternOverflow: boolean;
}

function columnProfile(
  snap: ProfileSnapshot,
  j: number,
  year: number,
): { column: ColumnProfile; monthFirstColumn: boolean } {
  const c = snap.columns[j]!;
  const values: string[] = [];
  const dates: (ParsedDate | null)[] = [];
  const types = new TypeCounter();
  const shapes = new ShapeCounter();
  const samples: string[] = [];
  for (const r of snap.sample) {
    const v = r[j];
    if (v === null || v === undefined || v.trim() === '') continue;
    values.push(v);
    dates.push(types.add(v.trim()));
    shapes.add(v);
    if (samples.length < 5 && !samples.includes(v)) {
      samples.push(v.length > 80 ? `${v.slice(0, 80)}…` : v);
    }
  }
  const hint = headerHint(c.name, c.path);
  const d = c.distinct;
  const det = detectColumn(values, { hint, year, distinct: d.distinct, dates });
  const { type, dateFormat } = types.result();
  const column: ColumnProfile = {
    index: c.idx,
    name: c.name,
    path: c.path,
    type: c.nonEmpty === 0 ? 'empty' : type,
    dateFormat,
    kind: det.findings[0]?.kind ?? 'none',
    nonEmpty: c.nonEmpty,
    empty: c.empty,
    nulls: c.nulls,
    distinct: d.distinct,
    distinctExact: d.exact,
    distinctError: d.error,
    top: d.top,
    topExact: d.topExact,
    topError: d.topError,
    length: c.length,
    shapes: shapes.top(8),
    samples,
    sampled: values.length,
    pii: det.findings,
    ambiguous: det.ambiguous,
    mixed: det.mixed,
    headerHint: hint ? { kind: hint.kinds[0]!, word: hint.word } : null,
  };
  return { column, monthFirstColumn: types.monthFirstColumn };
}

/**
 * The decisions on what a pass counted: types, shapes and PII detectors on the sample, dataset
 * context, consistency and summary. A function of the snapshot only, so it gives the same
 * profile in any thread (the profiling thread runs it: pass-worker.ts).
 */
export function decide(
  snap: ProfileSnapshot,
  dataset: { id: number; name: string },
  opts: { now: Date; started: number; signal?: AbortSignal },
): DatasetProfile {
  const year = opts.now.getUTCFullYear();
  const columns: ColumnProfile[] = [];
  const monthFirst = new Map<number, boolean>();
  for (let j = 0; j < snap.columns.length; j++) {
    opts.signal?.throwIfAborted();
    const { column, monthFirstColumn } = columnProfile(snap, j, year);
    monthFirst.set(column.index, monthFirstColumn);
    columns.push(column);
  }
  applyDatasetContext(columns);
  const consistencyColumns = pickConsistencyColumns(columns, monthFirst);
  const consistency = consistencyColumns ? checkConsistency(snap.sample, consistencyColumns) : null;
  const presence: PresencePatterns = {
    counts: new Map(snap.patterns),
    overflow: snap.patternOverflow,
  };
  const summary = { ...summarize(columns, snap.rows, presence), consistency };
  return {
    dataset: dataset.name,
    datasetId: dataset.id,
    rows: snap.rows,
    columns,
    summary,
    sampledRecords: snap.sample.length,
    profiledAt: opts.now.toISOString(),
    seconds: Math.round(performance.now() - opts.started) / 1000,
    version: PROFILER_VERSION,
  };
}

/**
 * One chunk of records, each as one string `id␟v1␟v2…` (U+001F between fields, U+001E for
 * NULL): SQLite builds it in C, and JavaScript gets one string per record instead of one per
 * value (measured: half the cost of reading the values one by one).
 */
export function packedReadSql(table: string, columns: readonly ProfileColumn[]): string {
  const values = columns.map((c) => `coalesce(${sqlId(`c_${c.idx}`)}, char(${NUL}))`);
  const groups: string[] = [];
  for (let i = 0; i < values.length; i += CONCAT_GROUP) {
    groups.push(`concat_ws(char(${SEP}), ${values.slice(i, i + CONCAT_GROUP).join(', ')})`);
  }
  const fields = [
    'id',
    groups.length > 1 ? `concat_ws(char(${SEP}), ${groups.join(', ')})` : groups,
  ];
  return `SELECT concat_ws(char(${SEP}), ${fields.flat().join(', ')}) FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Profiles a stored dataset: one streaming read of its table, then the column decisions. */
export async function profileDataset(
  db: ReadableDB,
  datasetId: number,
  hooks: ProfileHooks = {},
): Promise<DatasetProfile> {
  const started = performance.now();
  const d = db
    .prepare('SELECT id, name, physical, rows FROM datasets WHERE id = ?')
    .get(datasetId) as { id: number; name: string; physical: string; rows: number } | undefined;
  if (!d) throw new LeakscopeError('E_NOT_FOUND', `no dataset with id ${datasetId}`);
  const columns = db
    .prepare('SELECT idx, name, path FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
    .all(datasetId) as ProfileColumn[];
  const acc = new ProfileAccumulator(columns, hooks.sampleRecords);
  const tableSql = sqlId(d.physical);
  // Chunks of rows by primary key: iterate() streams without building arrays (a paged .all()
  // measured 1.7× slower), and between chunks the worker can receive a cancel. Each record
  // comes as one string (see ProfileAccumulator.packed); the rare record whose values hold the
  // separator is read again column by column after its chunk.
  const chunk = db.prepare(packedReadSql(tableSql, columns)).pluck(true);
  const columnsSql = columns.map((c) => sqlId(`c_${c.idx}`)).join(', ') || 'NULL';
  const oneRow = db.prepare(`SELECT ${columnsSql} FROM ${tableSql} WHERE id = ?`).raw(true);
  let lastId = 0;
  let lastProgress = 0;
  for (;;) {
    hooks.signal?.throwIfAborted();
    let n = 0;
    let last = '';
    let reread: number[] | null = null;
    for (const s of chunk.iterate(lastId, CHUNK_ROWS) as IterableIterator<string>) {
      if (!acc.packed(s)) (reread ??= []).push(Number.parseInt(s, 10));
      last = s;
      n++;
    }
    if (reread) {
      for (const id of reread) acc.row(oneRow.get(id) as (string | null)[]);
    }
    if (n === 0) break;
    lastId = Number.parseInt(last, 10);
    const t = performance.now();
    if (hooks.onProgress && t - lastProgress > 250) {
      lastProgress = t;
      const rate = acc.rows / Math.max(1e-3, (t - started) / 1000);
      hooks.onProgress({
        step: 'profile',
        bytesDone: 0,
        bytesTotal: 0,
        records: acc.rows,
        rejected: 0,
        rowsPerSecond: Math.round(rate),
        etaSeconds: d.rows > acc.rows ? (d.rows - acc.rows) / rate : 0,
      });
    }
    if (n < CHUNK_ROWS) break;
    await yieldToEventLoop();
  }
  const profile = acc.finish(d, {
    now: (hooks.now ?? (() => new Date()))(),
    started,
    signal: hooks.signal,
  });
  return profile;
}

/**
 * Finishes a profile accumulated in the import's pass (profile/import-pass.ts), or returns null
 * when it does not cover the stored table exactly (row or column count differ) or its
 * profiling thread failed: the caller then reads the table, so a profile never claims rows it
 * did not see. `seconds` is the time of this
 * step only: the accumulation was part of the import's.
 */
export async function profileFromPass(
  db: ReadableDB,
  datasetId: number,
  acc: PassResult,
  hooks: ProfileHooks = {},
): Promise<DatasetProfile | null> {
  const started = performance.now();
  const d = db.prepare('SELECT id, name, rows FROM datasets WHERE id = ?').get(datasetId) as
    { id: number; name: string; rows: number } | undefined;
  if (!d) throw new LeakscopeError('E_NOT_FOUND', `no dataset with id ${datasetId}`);
  const width = (
    db.prepare('SELECT count(*) AS n FROM dataset_columns WHERE dataset_id = ?').get(datasetId) as {
      n: number;
    }
  ).n;
  if (acc.rows !== d.rows || acc.columns.length !== width) return null;
  hooks.onProgress?.({
    step: 'profile',
    bytesDone: 0,
    bytesTotal: 0,
    records: acc.rows,
    rejected: 0,
    rowsPerSecond: 0,
    etaSeconds: null,
  });
  const profile = await acc.finish(d, {
    now: (hooks.now ?? (() => new Date()))(),
    started,
    signal: hooks.signal,
  });
  if (profile) profile.seconds = Math.round(performance.now() - started) / 1000;
  return profile;
}

function best(
  columns: readonly ColumnProfile[],
  kind: string,
): { c: ColumnProfile; f: PiiFinding } | null {
  let out: { c: ColumnProfile; f: PiiFinding } | null = null;
  for (const c of columns) {
    if (c.kind !== kind) continue;
    const f = c.pii[0]!;
    if (!out || f.confidence > out.f.confidence) out = { c, f };
  }
  return out;
}

/**
 * Context between columns: an 11-digit identifier without a key in a file that also holds NIRs
 * or birth dates is a job-seeker file's France Travail id, not a doctor's RPPS. Said in the
 * evidence so the reader sees why.
 */
function applyDatasetContext(columns: ColumnProfile[]): void {
  const personal = columns.some((c) => c.kind === 'nir' || c.kind === 'date_of_birth');
  if (!personal) return;
  for (const c of columns) {
    const f = c.pii.find((x) => x.kind === 'france_travail_id');
    if (!f || f.evidence.header === 'supports') continue;
    const odds = Math.log(f.confidence / (1 - f.confidence)) + 0.5;
    f.confidence = Math.round((1 / (1 + Math.exp(-odds))) * 1000) / 1000;
    f.evidence.note +=
      '; the dataset also holds NIR / date-of-birth columns (a file about people, as France Travail files are): confidence raised';
    c.pii.sort((a, b) => b.confidence - a.confidence);
    c.kind = c.pii[0]!.kind;
  }
}

function pickConsistencyColumns(
  columns: readonly ColumnProfile[],
  monthFirst: ReadonlyMap<number, boolean>,
): ConsistencyColumns | null {
  const nir = best(columns, 'nir');
  if (!nir) return null;
  const sex = best(columns, 'sex');
  const dob = best(columns, 'date_of_birth');
  const postal = best(columns, 'postal_code');
  return {
    nir: { index: nir.c.index, name: nir.c.name },
    sex: sex ? { index: sex.c.index, name: sex.c.name } : null,
    dob: dob
      ? { index: dob.c.index, name: dob.c.name, monthFirst: monthFirst.get(dob.c.index) ?? false }
      : null,
    postal: postal ? { index: postal.c.index, name: postal.c.name } : null,
  };
}
