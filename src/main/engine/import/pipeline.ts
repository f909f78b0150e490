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
import { openSource, TruncatedSourceError, type SourceFile } from './source';
import type { ReaderOptions, ReadResult } from './types';
import { DatasetWriter } from './writer';

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  now?: () => Date;
  /** Minimum interval between progress events, ms. */
  progressIntervalMs?: number;
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
    private readonly source: SourceFile,
    private readonly interval: number,
    private readonly emit?: (p: JobProgress) => void,
    /** Raw bytes consumed so far; the source's own counter unless a reader reports its own. */
    private readonly bytesDone: () => number = () => source.bytesRead(),
  ) {}

  report(step: string, counts: { records: number; rejected: number }, force = false): void {
    if (!this.emit) return;
    const now = Date.now();
    if (!force && now - this.last < this.interval) return;
    this.last = now;
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const done = this.bytesDone();
    const rate = done / seconds;
    this.emit({
      step,
      bytesDone: done,
      bytesTotal: this.source.bytes,
      records: counts.records,
      rejected: counts.rejected,
      rowsPerSecond: Math.round(counts.records / seconds),
      etaSeconds: rate > 0 && done > 0 ? Math.max(0, (this.source.bytes - done) / rate) : null,
    });
  }
}

/** Wraps a chunk stream with cancellation checks and progress reports between chunks. */
async function* watched(
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
  tick: () => void,
): AsyncIterable<Uint8Array> {
  for await (const c of chunks) {
    if (signal?.aborted) throw new LeakscopeError('E_CANCELLED', 'import cancelled');
    yield c;
    tick();
  }
}

export async function runImport(
  db: WritableDB,
  req: ImportRequest,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const now = opts.now ?? (() => new Date());
  const started = Date.now();
  const head = await rawHead(req.path).catch(() => {
    throw new LeakscopeError('E_IO', `cannot read ${req.path}`);
  });
  const forced = req.format === 'auto' ? undefined : req.format;
  // XLSX is a zip that needs random access: routed to the xlsx reader on a strong sniff, or on a
  // weaker one (zip magic only) when the name says .xlsx/.xlsm.
  const xlsxLikelihood = xlsxReader.sniff(head, req.path)?.likelihood ?? 0;
  const isXlsx =
    forced === 'xlsx' ||
    (!forced && (xlsxLikelihood >= 0.9 || (xlsxLikelihood >= 0.5 && /\.xls[xm]$/i.test(req.path))));
  const source = await openSource(req.path);
  const name = req.name ?? baseNameOf(source.fileName);
  const schema = req.schema ? await loadSchema(req.schema) : null;

  const sourceId = Number(
    db
      .prepare(
        `INSERT INTO sources (file_name, file_path, bytes, mtime, format, encoding, compression, started_at, status)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 'importing')`,
      )
      .run(
        source.fileName,
        source.path,
        source.bytes,
        source.mtime.toISOString(),
        isXlsx ? 'xlsx' : (forced ?? 'auto'),
        isXlsx ? null : source.compression,
        now().toISOString(),
      ).lastInsertRowid,
  );

  const writers: DatasetWriter[] = [];
  const details: Record<string, unknown> = { members: [] as unknown[] };
  const formats = new Set<string>();
  const encodings = new Set<string>();
  const warnings: string[] = [];
  let truncated = false;
  let truncatedReason: string | undefined;
  let current: DatasetWriter | null = null;
  let xlsxBytes = 0;
  const progress = new Progress(
    source,
    opts.progressIntervalMs ?? 250,
    opts.onProgress,
    isXlsx ? () => Math.min(xlsxBytes, source.bytes) : undefined,
  );
  const totals = () => {
    let records = 0;
    let rejected = 0;
    for (const w of writers) {
      const c = w.counts();
      records += c.records;
      rejected += c.rejected;
    }
    return { records, rejected };
  };

  const finishSource = (status: string, message: string | null, sha256: string | null) => {
    db.prepare(
      `UPDATE sources SET status = ?, message = ?, sha256 = ?, finished_at = ?, format = ?, encoding = ?, details = ? WHERE id = ?`,
    ).run(
      status,
      message,
      sha256,
      now().toISOString(),
      [...formats].join(',') || (isXlsx ? 'xlsx' : (forced ?? 'unknown')),
      [...encodings].join(',') || null,
      JSON.stringify(details),
      sourceId,
    );
  };

  try {
    if (isXlsx) {
      const w = new DatasetWriter(db, sourceId, (t) => `${name}.${t}`, now);
      writers.push(w);
      current = w;
      formats.add('xlsx');
      const result = await xlsxReader.readFile!(req.path, {}, w, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        onBytes: (n) => {
          xlsxBytes += n;
          progress.report('reading', totals());
          if (opts.signal?.aborted) throw new LeakscopeError('E_CANCELLED', 'import cancelled');
        },
      });
      xlsxBytes = source.bytes;
      if (result.truncated) {
        truncated = true;
        truncatedReason = result.truncatedReason;
      }
      (details.members as unknown[]).push({ member: null, format: 'xlsx', meta: w.details });
    } else {
      for await (const member of source.members()) {
        const memberBase = member.member === null ? name : `${name}.${baseNameOf(member.member)}`;
        const detection = detectFormat(member.head, member.member ?? source.fileName, forced);
        const reader =
          detection.reader.id === 'sql' && schema ? createSqlReader({ schema }) : detection.reader;
        const options: ReaderOptions = { ...detection.options };
        if (req.encoding !== 'auto') options.encoding = req.encoding;
        const w = new DatasetWriter(
          db,
          sourceId,
          (t) => (t === '' ? memberBase : `${memberBase}.${t}`),
          now,
          member.member,
        );
        writers.push(w);
        current = w;
        formats.add(detection.reader.id);
        warnings.push(...member.warnings);
        let result: ReadResult;
        try {
          result = await reader.read(
            watched(member.chunks, opts.signal, () => progress.report('reading', totals())),
            options,
            w,
            opts.signal ? { signal: opts.signal } : {},
          );
        } catch (e) {
          if (!(e instanceof TruncatedSourceError)) throw e;
          result = { truncated: true, truncatedReason: e.message };
        }
        if (options.encoding) encodings.add(options.encoding);
        else if (typeof w.details.encoding === 'string') encodings.add(w.details.encoding);
        if (result.truncated) {
          truncated = true;
          truncatedReason = truncatedReason ?? result.truncatedReason;
        }
        (details.members as unknown[]).push({
          member: member.member,
          warnings: member.warnings,
          format: detection.reader.id,
          likelihood: detection.likelihood,
          scores: detection.scores,
          options,
          meta: w.details,
          truncated: result.truncated,
          truncatedReason: result.truncatedReason ?? null,
        });
        w.finish(result.truncated ? 'incomplete' : 'ready');
        current = null;
      }
    }
    if (isXlsx && current) {
      current.finish(truncated ? 'incomplete' : 'ready');
      current = null;
    }
    // The xlsx reader reads the workbook by random access: hash the file in its own pass.
    const sha256 = isXlsx ? await sha256File(req.path) : await source.sha256();
    const counts = totals();
    if (warnings.length) details.warnings = warnings;
    const message = truncated
      ? `truncated source: ${truncatedReason ?? 'the file ends in the middle of a record'}; every complete record was imported`
      : 'complete';
    finishSource(truncated ? 'truncated' : 'complete', message, sha256);
    progress.report('done', counts, true);
    const datasetIds = new Set(writers.flatMap((w) => w.datasetIds()));
    const datasets = listDatasets(db).filter((d) => datasetIds.has(d.id));
    return {
      datasets,
      recordsRead: counts.records,
      rows: counts.records - counts.rejected,
      rejected: counts.rejected,
      truncated,
      message: `${counts.records} records read: ${counts.records - counts.rejected} stored, ${counts.rejected} rejected${truncated ? ` (${message})` : ''}`,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (e) {
    const cancelled = e instanceof LeakscopeError && e.code === 'E_CANCELLED';
    const status: DatasetStatus = cancelled ? 'cancelled' : 'failed';
    current?.abortBatch();
    for (const w of writers) w.finish(status);
    finishSource(
      cancelled ? 'cancelled' : 'failed',
      e instanceof Error ? e.message : String(e),
      null,
    );
    throw e;
  }
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
