/**
 * import.preview: what the import would see, before anything is written. Opens the file the way
 * the import does (gzip/zip aware), runs the same format detection, then streams the chosen
 * reader into a sink that keeps the first records of each table and stops. Nothing touches the
 * case: the investigator checks format, encoding and delimiter, and overrides them if needed.
 */
import { createReadStream } from 'node:fs';
import type { ImportPreview, ImportPreviewRequest } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { detectFormat } from './registry';
import { xlsxReader } from './readers/xlsx';
import { openSource } from './source';
import type { ColumnSpec, ReaderOptions, RecordLocation, RecordSink, RejectInfo } from './types';

/** Thrown by the sink once it holds enough records: stops the reader mid-stream. */
class PreviewFull extends Error {}

interface TablePreview {
  table: string;
  columns: string[];
  rows: (string | null)[][];
  lines: (number | null)[];
}

class PreviewSink implements RecordSink {
  readonly tables = new Map<string, TablePreview>();
  readonly rejects: { line: number | null; offset: number; reason: string; raw: string }[] = [];
  readonly meta_: Record<string, string | number | boolean> = {};
  records = 0;
  constructor(private readonly limit: number) {}

  private table(name: string): TablePreview {
    let t = this.tables.get(name);
    if (!t) {
      t = { table: name, columns: [], rows: [], lines: [] };
      this.tables.set(name, t);
    }
    return t;
  }
  columns(table: string, columns: readonly ColumnSpec[]): void {
    this.table(table).columns.push(...columns.map((c) => c.name));
  }
  row(table: string, values: readonly (string | null)[], loc: RecordLocation): void {
    const t = this.table(table);
    this.records++;
    if (t.rows.length < this.limit) {
      t.rows.push(values.map((v) => (v !== null && v.length > 500 ? `${v.slice(0, 500)}…` : v)));
      t.lines.push(loc.line);
    }
    // Single-table formats stop at the limit; multi-table ones (SQL, JSON object of arrays)
    // go on a little further to show more tables.
    if (this.records >= this.limit * Math.max(1, Math.min(this.tables.size, 5))) {
      throw new PreviewFull();
    }
  }
  reject(_table: string | null, info: RejectInfo): void {
    if (this.rejects.length < 20) {
      this.rejects.push({
        line: info.line,
        offset: info.offset,
        reason: info.reason,
        raw: info.raw.slice(0, 500),
      });
    }
  }
  meta(key: string, value: string | number | boolean): void {
    this.meta_[key] = value;
  }
}

function overrides(req: ImportPreviewRequest, detected: ReaderOptions): ReaderOptions {
  const options: ReaderOptions = { ...detected };
  if (req.encoding !== 'auto') options.encoding = req.encoding;
  if (req.delimiter !== undefined) options.delimiter = req.delimiter;
  if (req.header !== undefined) options.header = req.header;
  return options;
}

export async function previewImport(
  req: ImportPreviewRequest,
  signal?: AbortSignal,
): Promise<ImportPreview> {
  const source = await openSource(req.path);
  const forced = req.format === 'auto' ? undefined : req.format;
  const sink = new PreviewSink(req.limit);
  const rawHead = await readHead(req.path);
  const xlsx = xlsxReader.sniff(rawHead, req.path)?.likelihood ?? 0;
  const isXlsx =
    forced === 'xlsx' ||
    (!forced && (xlsx >= 0.9 || (xlsx >= 0.5 && /\.xls[xm]$/i.test(req.path))));
  let format: string = forced ?? 'csv';
  let likelihood = 1;
  let scores: Record<string, number> = {};
  let options: ReaderOptions = {};
  let member: string | null = null;
  let stopped = false;
  try {
    if (isXlsx) {
      format = 'xlsx';
      scores = { xlsx: xlsx };
      await xlsxReader.readFile!(req.path, {}, sink, signal ? { signal } : {});
    } else {
      const first = await firstMember(source.members());
      if (!first) throw new LeakscopeError('E_IMPORT_FORMAT', `${req.path} holds no file`);
      member = first.member;
      const detection = detectFormat(first.head, first.member ?? source.fileName, forced);
      format = detection.reader.id;
      likelihood = detection.likelihood;
      scores = detection.scores;
      options = overrides(req, detection.options);
      await detection.reader.read(first.chunks, options, sink, signal ? { signal } : {});
    }
  } catch (e) {
    if (!(e instanceof PreviewFull)) throw e;
    stopped = true;
  }
  const more =
    stopped || sink.records > [...sink.tables.values()].reduce((n, t) => n + t.rows.length, 0);
  const detected = {
    encoding: (options.encoding ?? sink.meta_.encoding ?? null) as string | null,
    delimiter: (options.delimiter ?? sink.meta_.delimiter ?? null) as string | null,
    header: (options.header ?? sink.meta_.header ?? null) as boolean | null,
  };
  return {
    path: source.path,
    fileName: source.fileName,
    bytes: source.bytes,
    compression: isXlsx ? null : source.compression,
    member,
    format: format as ImportPreview['format'],
    likelihood,
    scores,
    encoding: typeof detected.encoding === 'string' ? detected.encoding : null,
    delimiter: typeof detected.delimiter === 'string' ? detected.delimiter : null,
    header: typeof detected.header === 'boolean' ? detected.header : null,
    meta: sink.meta_,
    tables: [...sink.tables.values()],
    rejects: sink.rejects,
    more,
  };
}

async function readHead(path: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(path, { start: 0, end: 64 * 1024 - 1 })) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

async function firstMember<T>(members: AsyncIterable<T>): Promise<T | null> {
  // Not a for-await + break: that would close the generator before the member is read.
  const it = members[Symbol.asyncIterator]();
  const r = await it.next();
  return r.done ? null : r.value;
}
