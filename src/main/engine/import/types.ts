/**
 * The contract between format readers and the import pipeline.
 *
 * A reader turns a stream of bytes (already decompressed, never written to disk) into calls on a
 * RecordSink: it declares tables and their columns, emits rows as positional string values, and
 * reports rejects with their location and the reason. Readers are synchronous inside each chunk
 * (better-sqlite3 is synchronous, so the sink applies backpressure simply by taking its time).
 *
 * Readers never coerce values: what was written in the file is what reaches the sink (leading
 * zeros, dates as written). `null` means "absent" (SQL NULL, \N in COPY, a JSON null or a missing
 * key), which is different from the empty string.
 *
 * Must not import: electron, the store, anything outside node:* and this folder.
 */
import type { RowBatch } from './row-batch';

export type FormatId = 'csv' | 'ndjson' | 'json' | 'sql' | 'combo' | 'xlsx';

/** Text encodings a reader may meet; names are WHATWG labels understood by TextDecoder. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'iso-8859-1' | 'windows-1252';

/** Where a record starts in its source: provenance kept with every stored row. */
export interface RecordLocation {
  /** 1-based line where the record starts, or null where the format has no lines (xlsx). */
  line: number | null;
  /** Byte offset of the record's first byte in the (decompressed) source stream. */
  offset: number;
}

export interface ColumnSpec {
  /** Display name: the header, the SQL column name, or the dotted JSON path. */
  name: string;
  /** Dotted JSON path for nested JSON (`stagiaire.contact.email`); equal to name elsewhere. */
  path: string;
}

export interface RejectInfo extends RecordLocation {
  /** Short, human reason: "expected 12 fields, found 11", "unterminated quote", "invalid JSON". */
  reason: string;
  /** The raw text of the rejected record (bounded by the reader to a sane length, e.g. 64 KiB). */
  raw: string;
}

/**
 * Receives what a reader finds. Ordinals are assigned by the sink: each `row` or table-attributed
 * `reject` takes the next ordinal of its table, so a reject keeps its place in the sequence.
 */
export interface RecordSink {
  /**
   * Declares a table, or adds columns to it. Columns only ever grow (JSON records with new keys);
   * the values of later rows are positional against the full column list declared so far.
   * The first call for a table creates it. Table names are as written in the source
   * (`customer` for a SQL dump); single-table formats use the empty string ''.
   */
  columns(table: string, columns: readonly ColumnSpec[]): void;
  /** One record; `values.length` may be shorter than the column count (missing trailing = null). */
  row(table: string, values: readonly (string | null)[], loc: RecordLocation): void;
  /** A malformed record. `table` is null when the reject cannot be attributed to a table. */
  reject(table: string | null, info: RejectInfo): void;
  /** Optional metadata the reader detected (delimiter, dialect, header line...), merged by key. */
  meta(key: string, value: string | number | boolean): void;
}

export interface ReadResult {
  /** True when the input ended in the middle of a record or structure (truncated file). */
  truncated: boolean;
  /** Human explanation when truncated ("file ends inside a quoted field started at line 120"). */
  truncatedReason?: string;
}

export interface SniffResult {
  /** 0..1: how likely the head bytes are this format. The registry picks the highest. */
  likelihood: number;
  /** Detected options to pass to read() (delimiter, encoding, header...). */
  options: ReaderOptions;
}

export interface ReaderOptions {
  encoding?: TextEncodingName;
  /** Delimited text only. */
  delimiter?: string;
  /** Delimited text: whether the first (non-junk) line is a header. */
  header?: boolean;
  /** Delimited text: number of junk lines above the header (title lines). */
  skipLines?: number;
  /** Combolists: the separator between identifier and secret. */
  separator?: string;
  /** SQL: the detected dialect, for provenance. */
  dialect?: 'mysql' | 'postgres' | 'sqlite' | 'mssql' | 'generic';
}

export interface ReadContext {
  signal?: AbortSignal;
}

export interface FormatReader {
  id: FormatId;
  /** Scores the first bytes of a file (up to 64 KiB). `name` is the file name, a tie-breaker only. */
  sniff(head: Uint8Array, name: string): SniffResult | null;
  /** Streams the whole source into the sink. Must not buffer the whole input. */
  read(
    source: AsyncIterable<Uint8Array>,
    options: ReaderOptions,
    sink: RecordSink,
    ctx?: ReadContext,
  ): Promise<ReadResult>;
  /**
   * For container formats that need random access (XLSX is a zip whose directory sits at the
   * end): read straight from the file. When present, the pipeline calls this instead of read().
   * `onBytes` reports progress in raw file bytes.
   */
  readFile?(
    path: string,
    options: ReaderOptions,
    sink: RecordSink,
    ctx?: ReadContext & { onBytes?: (n: number) => void },
  ): Promise<ReadResult>;
}

/** A member as a mirror sees it: what reads it again gets the same reader and options. */
export interface MirroredMember {
  format: FormatId;
  options: ReaderOptions;
  /** Tables of a companion schema file (data-only SQL dumps), as [table, columns] pairs. */
  schema: [string, string[]][] | null;
  /** Raw bytes of the whole source (a mirror may decline small ones). */
  sourceBytes: number;
}

/**
 * Sees the decompressed bytes of each member on their way to its reader, so that another thread
 * can read them again with the same reader (the import's profiling thread: profile/import-pass.ts).
 * Calls: member, then its chunks in order, then memberEnd (once the reader finished or the member
 * was found truncated). XLSX members, read by random access, are announced as null.
 */
export interface ReadMirror {
  /** True when this member's chunks are wanted. */
  member(m: MirroredMember | null): boolean;
  /** One chunk, as the reader gets it; may ask the reading side to wait (backpressure). */
  chunk(bytes: Uint8Array): void | Promise<void>;
  /** `cutShort`: the source stream itself ended early (a truncated gzip or zip member). */
  memberEnd(cutShort: boolean): void;
  /**
   * A promise when the mirror reads this member for the import too (its thread parses, `sink`
   * gets the reader's calls): the chunks are then only drained here. null: read here.
   */
  read?(chunks: AsyncIterable<Uint8Array>, sink: BatchSink): Promise<ReadResult> | null;
}

/** A sink that also takes whole batches in the bulk-insert layout (DatasetWriter.rows). */
export type BatchSink = RecordSink & { rows?(table: string, batch: RowBatch): void };
