/**
 * The profiling pass: one streaming read of a dataset table (keyset pages of PAGE_ROWS rows, so
 * memory stays flat whatever the table size and the event loop can deliver a cancel between
 * pages), with
 *   - on every value: fill counts and lengths, distinct count and top values (exact up to a bound,
 *     then HyperLogLog and heavy hitters), and the row's presence pattern for the inventory;
 *   - on a systematic sample of records (every k-th row, k chosen from the row count so the
 *     sample spans the whole table): types and date formats, shapes, PII detectors, and the
 *     NIR cross-field checks, which need whole records and the final column kinds.
 * Detectors cost microseconds per value (libphonenumber, list look-ups, checksums); running them
 * on a bounded sample is what keeps profiling within a fraction of the import time, and the
 * DESIGN's evidence is stated as shares of sampled values.
 */
import type { ColumnProfile, DatasetProfile, JobProgress, PiiFinding } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { checkConsistency, type ConsistencyColumns } from './consistency';
import { headerHint } from './detect/headers';
import { detectColumn } from './detect/score';
import { FillStats } from './stats/counts';
import type { ParsedDate } from './stats/dates';
import { DistinctCounter } from './stats/distinct';
import { ShapeCounter } from './stats/shapes';
import { TypeCounter } from './stats/types';
import { summarize, type PresencePatterns } from './summary';

export const PROFILER_VERSION = 1;
/** Rows read per statement before the event loop gets a turn (cancel, progress). */
const CHUNK_ROWS = 100_000;
/** Records the detectors look at (fewer for wide tables: a bounded number of cells). */
export const SAMPLE_RECORDS = 5_000;
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

/**
 * Everything the profile needs from one pass over the rows, fed one row at a time: usable from
 * a read of the stored table (post-import step, `profile.run`) or from the import's own pass.
 *
 * The record sample is systematic with a doubling stride: every record is kept until the sample
 * holds 2 × target, then every other one is dropped and the stride doubles, so the sample
 * always spans the whole table without knowing its length in advance.
 */
export class ProfileAccumulator {
  private readonly width: number;
  private readonly words: number;
  private readonly fills: FillStats;
  private readonly distincts: DistinctCounter[];
  private readonly patterns = new Map<string, number>();
  private patternOverflow = false;
  private readonly mask: number[];
  private readonly target: number;
  sample: (string | null)[][] = [];
  stride = 1;
  rows = 0;

  constructor(
    readonly columns: readonly ProfileColumn[],
    sampleRecords = SAMPLE_RECORDS,
  ) {
    this.width = columns.length;
    this.words = Math.max(1, Math.ceil(this.width / 31));
    this.fills = new FillStats(this.width);
    this.distincts = columns.map(() => new DistinctCounter());
    this.mask = new Array<number>(this.words).fill(0);
    this.target = Math.max(
      100,
      Math.min(sampleRecords, Math.floor(SAMPLE_CELLS / Math.max(1, this.width))),
    );
  }

  /** One record, values positional (`offset` skips leading non-data fields such as the id). */
  row(values: readonly (string | number | null | undefined)[], offset = 0): void {
    const width = this.width;
    const fills = this.fills;
    const mask = this.mask;
    mask.fill(0);
    for (let j = 0; j < width; j++) {
      const raw = values[j + offset];
      const v = typeof raw === 'number' ? String(raw) : raw;
      if (fills.add(j, v)) {
        this.distincts[j]!.add(v);
        mask[(j / 31) | 0]! |= 1 << (j % 31);
      }
    }
    if (!this.patternOverflow) {
      const key = this.words === 1 ? String(mask[0]) : mask.join(',');
      const c = this.patterns.get(key);
      if (c !== undefined) this.patterns.set(key, c + 1);
      else if (this.patterns.size < MAX_PATTERNS) this.patterns.set(key, 1);
      else this.patternOverflow = true;
    }
    if (this.rows % this.stride === 0) {
      const kept: (string | null)[] = new Array<string | null>(width);
      for (let j = 0; j < width; j++) {
        const raw = values[j + offset];
        kept[j] = raw === null || raw === undefined ? null : String(raw);
      }
      this.sample.push(kept);
      if (this.sample.length >= 2 * this.target) {
        this.sample = this.sample.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
    this.rows++;
  }

  /** Column statistics, PII findings, inventory, sensitivity and consistency. */
  finish(
    dataset: { id: number; name: string },
    opts: { now: Date; started: number; signal?: AbortSignal },
  ): DatasetProfile {
    const year = opts.now.getUTCFullYear();
    const columns: ColumnProfile[] = [];
    const monthFirst = new Map<number, boolean>();
    for (let j = 0; j < this.width; j++) {
      opts.signal?.throwIfAborted();
      const c = this.columns[j]!;
      const values: string[] = [];
      const dates: (ParsedDate | null)[] = [];
      const types = new TypeCounter();
      const shapes = new ShapeCounter();
      const samples: string[] = [];
      for (const r of this.sample) {
        const v = r[j];
        if (v === null || v === undefined || v.trim() === '') continue;
        values.push(v);
        dates.push(types.add(v.trim()));
        shapes.add(v);
        if (samples.length < 5 && !samples.includes(v)) {
          samples.push(v.length > 80 ? `${v.slice(0, 80)}…` : v);
        }
      }
      monthFirst.set(c.idx, types.monthFirstColumn);
      const hint = headerHint(c.name, c.path);
      const d = this.distincts[j]!.result(TOP_N, values, this.stride);
      const det = detectColumn(values, { hint, year, distinct: d.distinct, dates });
      const { type, dateFormat } = types.result();
      const fills = this.fills;
      columns.push({
        index: c.idx,
        name: c.name,
        path: c.path,
        type: fills.nonEmpty[j] === 0 ? 'empty' : type,
        dateFormat,
        kind: det.findings[0]?.kind ?? 'none',
        nonEmpty: fills.nonEmpty[j]!,
        empty: fills.empty[j]!,
        nulls: fills.nulls[j]!,
        distinct: d.distinct,
        distinctExact: d.exact,
        distinctError: d.error,
        top: d.top,
        topExact: d.topExact,
        topError: d.topError,
        length: fills.lengths(j),
        shapes: shapes.top(8),
        samples,
        sampled: values.length,
        pii: det.findings,
        ambiguous: det.ambiguous,
        mixed: det.mixed,
        headerHint: hint ? { kind: hint.kinds[0]!, word: hint.word } : null,
      });
    }
    applyDatasetContext(columns);
    const consistencyColumns = pickConsistencyColumns(columns, monthFirst);
    const consistency = consistencyColumns
      ? checkConsistency(this.sample, consistencyColumns)
      : null;
    const presence: PresencePatterns = { counts: this.patterns, overflow: this.patternOverflow };
    const summary = { ...summarize(columns, this.rows, presence), consistency };
    return {
      dataset: dataset.name,
      datasetId: dataset.id,
      rows: this.rows,
      columns,
      summary,
      sampledRecords: this.sample.length,
      profiledAt: opts.now.toISOString(),
      seconds: Math.round(performance.now() - opts.started) / 1000,
      version: PROFILER_VERSION,
    };
  }
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
  const columnsSql = ['id', ...columns.map((c) => `c_${c.idx}`)].map(sqlId).join(', ');
  // Chunks of rows by primary key: iterate() streams without building arrays (a paged .all()
  // measured 1.7× slower), and between chunks the worker can receive a cancel.
  const chunkSql = `SELECT ${columnsSql} FROM ${sqlId(d.physical)} WHERE id > ? ORDER BY id LIMIT ?`;
  const chunk = db.prepare(chunkSql).raw(true);
  let lastId = 0;
  let lastProgress = 0;
  for (;;) {
    hooks.signal?.throwIfAborted();
    let n = 0;
    for (const row of chunk.iterate(lastId, CHUNK_ROWS) as IterableIterator<
      (string | number | null)[]
    >) {
      acc.row(row, 1);
      lastId = row[0] as number;
      n++;
    }
    if (n === 0) break;
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
