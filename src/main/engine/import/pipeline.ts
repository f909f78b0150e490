/**
 * One import, start to finish: open the source as evidence (identity + SHA-256 in the same pass),
 * detect the format of each member, stream it through its reader into a DatasetWriter, and record
 * the outcome (complete, truncated, cancelled, failed) on the source and its datasets.
 *
 * Invariant (tested for every format): records read = rows stored + records rejected, and the
 * result says so. Runs wherever it is called: the job worker calls it on its own connection.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { DatasetStatus, ImportRequest, ImportResult, JobProgress } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import type { WritableDB } from '../store/types';
import { listDatasets } from './repo';
import { detectFormat } from './registry';
import { createSqlReader, readSqlSchema } from './readers/sql';
import { xlsxReader } from './readers/xlsx';
import { openSource, TruncatedSourceError } from './source';
import type { ReaderOptions, ReadMirror, ReadResult, RecordSink } from './types';
import { DatasetWriter, type ObserveTable } from './writer';

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  now?: () => Date;
  /** Minimum interval between progress events, ms. */
  progressIntervalMs?: number;
  /** Sees every table's rows as they are stored (profiling in the import's pass). */
  observe?: ObserveTable;
  /** Sees every member's bytes as they are read (profiling on a thread of its own). */
  mirror?: ReadMirror | null;
}

const EXTENSIONS = /\.(gz|zip|csv|tsv|txt|psv|json|jsonl|ndjson|sql|dump|xlsx|lst|combo)$/i;

/** Dataset base name from a file or member name: `clients_2024.csv.gz` → `clients_2024`. */
export function baseNameOf(fileName: string): string {
  let name = basename(fileName.replaceAll('\\', '/'));
  while (EXTENSIONS.test(name)) name = name.replace(EXTENSIONS, '');
  return name.trim() || 'dataset';
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 }))
    hash.update(c as Buffer);
  return hash.digest('hex');
}

async function rawHead(path: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(path, { start: 0, end: 64 * 1024 - 1 }))
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

class Progress {
  private last = 0;
  private readonly started = Date.now();
  constructor(
    private readonly interval: number,
    private readonly emit?: (p: JobProgress) => void,
  ) {}

  report(
    step: string,
    bytes: { done: number; total: number },
    counts: { records: number; rejected: number },
    force = false,
  ): void {
    if (!this.emit) return;
    const now = Date.now();
    if (!force && now - this.last < this.interval) return;
    this.last = now;
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const done = bytes.done;
    const rate = done / seconds;
    this.emit({
      step,
      bytesDone: done,
      bytesTotal: bytes.total,
      records: counts.records,
      rejected: counts.rejected,
      rowsPerSecond: Math.round(counts.records / seconds),
      etaSeconds: rate > 0 && done > 0 ? Math.max(0, (bytes.total - done) / rate) : null,
    });
  }
}

/** Wraps a chunk stream with cancellation checks and progress ticks between chunks. */
async function* watched(
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
  tick: () => void | Promise<void>,
  mirror: ReadMirror | null,
): AsyncIterable<Uint8Array> {
  for await (const c of chunks) {
    if (signal?.aborted) throw new LeakscopeError('E_CANCELLED', 'import cancelled');
    if (mirror) {
      const waiting = mirror.chunk(c);
      if (waiting) await waiting;
    }
    yield c;
    const waiting = tick();
    if (waiting) await waiting;
  }
}

/** The source as recorded in the `sources` table when the import starts. */
export interface SourceIdentity {
  fileName: string;
  path: string;
  bytes: number;
  mtime: string;
  /** 'xlsx', the forced format, or 'auto' until members are detected. */
  format: string;
  compression: string | null;
  /** Format recorded when no member got as far as detection. */
  fallbackFormat: string;
}

/** A sink for one member's records that also exposes what the reader reported through meta(). */
export type MemberSink = RecordSink & {
  readonly details: Readonly<Record<string, string | number | boolean>>;
};

/**
 * The writing side of an import, as seen by the reading side (`readSource`). Calls arrive in
 * order: source, then per member: member, its sink's calls, memberEnd. In process the target is an
 * ImportRecorder. In the job worker, the mirror's thread may parse a member for the writer
 * (ReadMirror.read): this side then reads the bytes and the recorder gets the thread's calls.
 */
export interface ImportTarget {
  source(s: SourceIdentity): void;
  /** `sheets`: dataset names are `<base>.<table>` for every table (xlsx workbooks). */
  member(m: {
    base: string;
    member: string | null;
    sheets: boolean;
    format: string;
    warnings: string[];
  }): MemberSink;
  memberEnd(e: { status: 'ready' | 'incomplete'; encoding: string | null; detail: unknown }): void;
  /** Between chunks: raw bytes of the source read so far. May ask the reader to wait. */
  tick(bytesDone: number): void | Promise<void>;
  /** Gets each member's bytes too (in the thread that reads them), when set. */
  readonly mirror?: ReadMirror | null;
}

export interface ReadOutcome {
  sha256: string;
  truncated: boolean;
  truncatedReason?: string;
}

/** Whether the request is routed to the XLSX reader (a zip that needs random access). */
export async function isXlsxRequest(req: ImportRequest): Promise<boolean> {
  const head = await rawHead(req.path).catch(() => {
    throw new LeakscopeError('E_IO', `cannot read ${req.path}`);
  });
  const forced = req.format === 'auto' ? undefined : req.format;
  // XLSX is a zip that needs random access: routed to the xlsx reader on a strong sniff, or on a
  // weaker one (zip magic only) when the name says .xlsx/.xlsm.
  const xlsxLikelihood = xlsxReader.sniff(head, req.path)?.likelihood ?? 0;
  return (
    forced === 'xlsx' ||
    (!forced && (xlsxLikelihood >= 0.9 || (xlsxLikelihood >= 0.5 && /\.xls[xm]$/i.test(req.path))))
  );
}

/**
 * The reading side of an import: opens the source (identity + SHA-256 in the same pass), detects
 * the format of each member and streams it through its reader into the target's sinks. Touches
 * no database, so it can run in a thread of its own.
 */
export async function readSource(
  req: ImportRequest,
  target: ImportTarget,
  signal?: AbortSignal,
): Promise<ReadOutcome> {
  const forced = req.format === 'auto' ? undefined : req.format;
  const isXlsx = await isXlsxRequest(req);
  const source = await openSource(req.path);
  const name = req.name ?? baseNameOf(source.fileName);
  const schema = req.schema ? await loadSchema(req.schema) : null;
  target.source({
    fileName: source.fileName,
    path: source.path,
    bytes: source.bytes,
    mtime: source.mtime.toISOString(),
    format: isXlsx ? 'xlsx' : (forced ?? 'auto'),
    compression: isXlsx ? null : source.compression,
    fallbackFormat: isXlsx ? 'xlsx' : (forced ?? 'unknown'),
  });

  let truncated = false;
  let truncatedReason: string | undefined;
  const mirror = target.mirror ?? null;
  if (isXlsx) {
    mirror?.member(null);
    const w = target.member({
      base: name,
      member: null,
      sheets: true,
      format: 'xlsx',
      warnings: [],
    });
    let xlsxBytes = 0;
    const result = await xlsxReader.readFile!(req.path, {}, w, {
      ...(signal ? { signal } : {}),
      onBytes: (n) => {
        xlsxBytes += n;
        void target.tick(Math.min(xlsxBytes, source.bytes));
        if (signal?.aborted) throw new LeakscopeError('E_CANCELLED', 'import cancelled');
      },
    });
    void target.tick(source.bytes);
    if (result.truncated) {
      truncated = true;
      truncatedReason = result.truncatedReason;
    }
    target.memberEnd({
      status: truncated ? 'incomplete' : 'ready',
      encoding: typeof w.details.encoding === 'string' ? w.details.encoding : null,
      detail: { member: null, format: 'xlsx', meta: w.details },
    });
    // The xlsx reader reads the workbook by random access: hash the file in its own pass.
    const sha256 = await sha256File(req.path);
    return { sha256, truncated, ...(truncatedReason ? { truncatedReason } : {}) };
  }

  for await (const member of source.members()) {
    const memberBase = member.member === null ? name : `${name}.${baseNameOf(member.member)}`;
    const detection = detectFormat(member.head, member.member ?? source.fileName, forced);
    const reader =
      detection.reader.id === 'sql' && schema ? createSqlReader({ schema }) : detection.reader;
    const options: ReaderOptions = { ...detection.options };
    if (req.encoding !== 'auto') options.encoding = req.encoding;
    if (req.delimiter !== undefined) options.delimiter = req.delimiter;
    if (req.header !== undefined) options.header = req.header;
    const w = target.member({
      base: memberBase,
      member: member.member,
      sheets: false,
      format: detection.reader.id,
      warnings: member.warnings,
    });
    const mirrored =
      mirror?.member({
        format: detection.reader.id,
        options,
        schema: schema ? [...schema] : null,
        sourceBytes: source.bytes,
      }) ?? false;
    let result: ReadResult;
    let cutShort = false;
    try {
      const chunks = watched(
        member.chunks,
        signal,
        () => target.tick(source.bytesRead()),
        mirrored ? mirror : null,
      );
      // The mirror's thread may read the member for the writer too: this thread then only
      // reads the bytes (I/O, SHA-256, decompression) and writes what the thread parsed.
      const readThere = mirrored ? (mirror!.read?.(chunks, w) ?? null) : null;
      result = await (readThere ?? reader.read(chunks, options, w, signal ? { signal } : {}));
    } catch (e) {
      if (!(e instanceof TruncatedSourceError)) throw e;
      result = { truncated: true, truncatedReason: e.message };
      cutShort = true;
    }
    if (mirrored) mirror!.memberEnd(cutShort);
    if (result.truncated) {
      truncated = true;
      truncatedReason = truncatedReason ?? result.truncatedReason;
    }
    target.memberEnd({
      status: result.truncated ? 'incomplete' : 'ready',
      encoding:
        options.encoding ?? (typeof w.details.encoding === 'string' ? w.details.encoding : null),
      detail: {
        member: member.member,
        warnings: member.warnings,
        format: detection.reader.id,
        likelihood: detection.likelihood,
        scores: detection.scores,
        options,
        meta: { ...w.details },
        truncated: result.truncated,
        truncatedReason: result.truncatedReason ?? null,
      },
    });
  }
  const sha256 = await source.sha256();
  return { sha256, truncated, ...(truncatedReason ? { truncatedReason } : {}) };
}

/**
 * The writing side of an import: the `sources` row, one DatasetWriter per member, progress
 * events, and the outcome (complete, truncated, cancelled, failed) on the source and datasets.
 */
export class ImportRecorder implements ImportTarget {
  private sourceId = 0;
  private source_: SourceIdentity | null = null;
  private readonly writers: DatasetWriter[] = [];
  private current: DatasetWriter | null = null;
  private readonly details: Record<string, unknown> = { members: [] as unknown[] };
  private readonly formats = new Set<string>();
  private readonly encodings = new Set<string>();
  private readonly warnings: string[] = [];
  private bytesDone = 0;
  private readonly progress: Progress;
  private readonly now: () => Date;
  private readonly started = Date.now();
  private readonly observe: ObserveTable | null;
  readonly mirror: ReadMirror | null;

  constructor(
    private readonly db: WritableDB,
    opts: ImportOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.observe = opts.observe ?? null;
    this.mirror = opts.mirror ?? null;
    this.progress = new Progress(opts.progressIntervalMs ?? 250, opts.onProgress);
  }

  source(s: SourceIdentity): void {
    this.source_ = s;
    this.sourceId = Number(
      this.db
        .prepare(
          `INSERT INTO sources (file_name, file_path, bytes, mtime, format, encoding, compression, started_at, status)
           VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 'importing')`,
        )
        .run(
          s.fileName,
          s.path,
          s.bytes,
          s.mtime,
          s.format,
          s.compression,
          this.now().toISOString(),
        ).lastInsertRowid,
    );
  }

  member(m: {
    base: string;
    member: string | null;
    sheets: boolean;
    format: string;
    warnings: string[];
  }): DatasetWriter {
    const w = new DatasetWriter(
      this.db,
      this.sourceId,
      m.sheets ? (t) => `${m.base}.${t}` : (t) => (t === '' ? m.base : `${m.base}.${t}`),
      this.now,
      m.member,
      this.observe,
    );
    this.writers.push(w);
    this.current = w;
    this.formats.add(m.format);
    this.warnings.push(...m.warnings);
    return w;
  }

  memberEnd(e: { status: 'ready' | 'incomplete'; encoding: string | null; detail: unknown }): void {
    if (e.encoding) this.encodings.add(e.encoding);
    (this.details.members as unknown[]).push(e.detail);
    this.current?.finish(e.status);
    this.current = null;
  }

  tick(bytesDone: number): void {
    this.bytesDone = bytesDone;
    this.progress.report('reading', this.bytes(), this.totals());
  }

  private bytes() {
    const total = this.source_?.bytes ?? 0;
    return { done: Math.min(this.bytesDone, total), total };
  }

  totals(): { records: number; rejected: number } {
    let records = 0;
    let rejected = 0;
    for (const w of this.writers) {
      const c = w.counts();
      records += c.records;
      rejected += c.rejected;
    }
    return { records, rejected };
  }

  private finishSource(status: string, message: string | null, sha256: string | null): void {
    this.db
      .prepare(
        `UPDATE sources SET status = ?, message = ?, sha256 = ?, finished_at = ?, format = ?, encoding = ?, details = ? WHERE id = ?`,
      )
      .run(
        status,
        message,
        sha256,
        this.now().toISOString(),
        [...this.formats].join(',') || (this.source_?.fallbackFormat ?? 'unknown'),
        [...this.encodings].join(',') || null,
        JSON.stringify(this.details),
        this.sourceId,
      );
  }

  /** Records a finished read: source status, final progress event, the result. */
  complete(outcome: ReadOutcome): ImportResult {
    const { truncated, truncatedReason } = outcome;
    const counts = this.totals();
    if (this.warnings.length) this.details.warnings = this.warnings;
    const message = truncated
      ? `truncated source: ${truncatedReason ?? 'the file ends in the middle of a record'}; every complete record was imported`
      : 'complete';
    this.finishSource(truncated ? 'truncated' : 'complete', message, outcome.sha256);
    this.bytesDone = this.source_?.bytes ?? 0;
    this.progress.report('done', this.bytes(), counts, true);
    const datasetIds = new Set(this.writers.flatMap((w) => w.datasetIds()));
    const datasets = listDatasets(this.db).filter((d) => datasetIds.has(d.id));
    return {
      datasets,
      recordsRead: counts.records,
      rows: counts.records - counts.rejected,
      rejected: counts.rejected,
      truncated,
      message: `${counts.records} records read: ${counts.records - counts.rejected} stored, ${counts.rejected} rejected${truncated ? ` (${message})` : ''}`,
      seconds: (Date.now() - this.started) / 1000,
    };
  }

  /** Records a failed or cancelled import (no-op when the source was never recorded). */
  fail(e: unknown): void {
    if (!this.source_) return;
    const cancelled = e instanceof LeakscopeError && e.code === 'E_CANCELLED';
    const status: DatasetStatus = cancelled ? 'cancelled' : 'failed';
    this.current?.abortBatch();
    for (const w of this.writers) w.finish(status);
    this.finishSource(
      cancelled ? 'cancelled' : 'failed',
      e instanceof Error ? e.message : String(e),
      null,
    );
  }
}

/** One import in this thread: reading and writing interleaved on the caller's connection. */
export async function runImport(
  db: WritableDB,
  req: ImportRequest,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const recorder = new ImportRecorder(db, opts);
  const restore = importCache(db);
  try {
    const outcome = await readSource(req, recorder, opts.signal);
    return recorder.complete(outcome);
  } catch (e) {
    recorder.fail(e);
    throw e;
  } finally {
    restore();
  }
}

/** Page cache while importing, MiB: appends only touch the last pages of each table. */
export const IMPORT_CACHE_MIB = 16;

/**
 * Bulk appends need no large page cache (a batch's dirty pages are a few MiB): a smaller one
 * during the import keeps the peak RSS down. Returns the function that restores the setting.
 */
export function importCache(db: WritableDB): () => void {
  const previous = db.pragma('cache_size', { simple: true }) as number;
  const wanted = -IMPORT_CACHE_MIB * 1024;
  if (previous < 0 && previous >= wanted) return () => undefined;
  db.pragma(`cache_size = ${wanted}`);
  return () => db.pragma(`cache_size = ${previous}`);
}

/** Table definitions of a companion schema file (plain or gzipped), for data-only SQL dumps. */
async function loadSchema(path: string): Promise<Map<string, string[]>> {
  const schemaSource = await openSource(path);
  for await (const member of schemaSource.members()) {
    const detection = detectFormat(member.head, path, 'sql');
    return readSqlSchema(member.chunks, detection.options);
  }
  return new Map();
}

/** At open: an import still marked running belongs to a process that died (the lock says so). */
export function markInterruptedImports(db: WritableDB): number {
  const changed = db
    .prepare("UPDATE datasets SET status = 'interrupted' WHERE status = 'importing'")
    .run().changes;
  db.prepare(
    "UPDATE sources SET status = 'interrupted', message = 'the import was interrupted (process stopped); the dataset holds only the records written before' WHERE status = 'importing'",
  ).run();
  return changed;
}
