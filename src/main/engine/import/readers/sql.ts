/**
 * FormatReader for SQL dumps: mysqldump/MariaDB, pg_dump (INSERT and COPY), SQLite `.dump`, SQL
 * Server scripts, and hand-made scripts in between. The SQL is parsed, never executed.
 *
 * Owns: the reader object (sniff + read), the byte-stream plumbing around the tokenizer (BOM,
 * encodings, dialect detection on the first 64 KiB, cancellation), the result and the meta it
 * reports. Lexing lives in ./sql/tokenizer, statements in ./sql/statements, dialect rules in
 * ./sql/dialects.
 *
 * One table per SQL table, named as written without its schema (see statements.ts for naming,
 * column and value rules). Meta reported: `dialect`, `statements`, `statementsSkipped`,
 * `insertStatements`, `copyBlocks`, `createTables`, `routinesSkipped`, and `declaredCharset` when
 * the dump declares one (SET NAMES / client_encoding).
 *
 * Encodings: UTF-8 (default), ISO-8859-1 and Windows-1252 are lexed as bytes (every structural
 * character is ASCII in all three) and string literals are decoded in that encoding. UTF-16 is
 * transcoded to UTF-8 on the fly before lexing; offsets are then positions in that UTF-8 stream,
 * not in the UTF-16 file (meta `offsetBasis` = 'utf-8-transcoded' says so). Line numbers are exact
 * in every encoding.
 *
 * Companion schema files (Sakila ships its data without CREATE TABLE): either concatenate the
 * schema before the data in one source, or read the schema with `readSqlSchema()` and pass it to
 * `createSqlReader({ schema })`, which declares only the tables the data uses.
 */
import { Buffer } from 'node:buffer';
import type {
  FormatReader,
  ReadContext,
  ReadResult,
  ReaderOptions,
  RecordSink,
  SniffResult,
  TextEncodingName,
} from '../types';
import { detectDialect, lexRulesFor, sniffSql, type SqlDialect } from './sql/dialects';
import { StatementParser } from './sql/statements';
import { byteDecoder, DEFAULT_MAX_TOKEN_BYTES, Tokenizer } from './sql/tokenizer';

export type { SqlDialect } from './sql/dialects';

/** Bytes read before lexing starts, to detect the dialect (and the sniff window). */
const HEAD_BYTES = 64 * 1024;

export interface SqlReaderInit {
  /** Tables known before reading (from a separate schema file): name -> column names. */
  schema?: ReadonlyMap<string, readonly string[]>;
  /** Longest single value kept; longer ones are scanned past and their tuple rejected. */
  maxValueBytes?: number;
}

interface RunOutput {
  result: ReadResult;
  parser: StatementParser;
}

export function createSqlReader(init: SqlReaderInit = {}): FormatReader {
  return {
    id: 'sql',
    sniff(head: Uint8Array, name: string): SniffResult | null {
      return sniffSql(head, name);
    },
    async read(
      source: AsyncIterable<Uint8Array>,
      options: ReaderOptions,
      sink: RecordSink,
      ctx?: ReadContext,
    ): Promise<ReadResult> {
      const { result } = await runSql(source, options, sink, ctx, init);
      return result;
    },
  };
}

/** The SQL dump reader with default settings. */
export const sqlReader: FormatReader = createSqlReader();

/**
 * Reads only the table definitions of a schema file (CREATE TABLE, including those inside
 * versioned comments and routine bodies): table name -> column names. Rows, if any, are dropped.
 */
export async function readSqlSchema(
  source: AsyncIterable<Uint8Array>,
  options: ReaderOptions = {},
  ctx?: ReadContext,
): Promise<Map<string, string[]>> {
  const sink: RecordSink = { columns() {}, row() {}, reject() {}, meta() {} };
  const { parser } = await runSql(source, options, sink, ctx, {});
  return parser.schema();
}

async function runSql(
  source: AsyncIterable<Uint8Array>,
  options: ReaderOptions,
  sink: RecordSink,
  ctx: ReadContext | undefined,
  init: SqlReaderInit,
): Promise<RunOutput> {
  const signal = ctx?.signal;
  signal?.throwIfAborted();

  let encoding: TextEncodingName = options.encoding ?? 'utf-8';
  let peeked = await peek(source[Symbol.asyncIterator](), HEAD_BYTES);
  const head0 = peeked.head;
  // A byte-order mark overrides the option: it cannot be wrong, and the pipeline may not check.
  if (head0.length >= 2 && head0[0] === 0xff && head0[1] === 0xfe) encoding = 'utf-16le';
  else if (head0.length >= 2 && head0[0] === 0xfe && head0[1] === 0xff) encoding = 'utf-16be';
  else if (head0.length >= 3 && head0[0] === 0xef && head0[1] === 0xbb && head0[2] === 0xbf) {
    encoding = 'utf-8';
  }

  let skip = 0;
  const utf16 = encoding === 'utf-16le' || encoding === 'utf-16be' ? encoding : null;
  const transcoded = utf16 !== null;
  if (utf16 !== null) {
    // TextDecoder drops the BOM itself; re-peek the transcoded stream for dialect detection.
    const utf8 = transcodeUtf16(replay(peeked.chunks, peeked.iterator), utf16);
    peeked = await peek(utf8[Symbol.asyncIterator](), HEAD_BYTES);
  } else if (encoding === 'utf-8' && head0[0] === 0xef && head0[1] === 0xbb && head0[2] === 0xbf) {
    skip = 3;
  }

  const head = peeked.head;
  const dialect: SqlDialect =
    options.dialect ?? detectDialect(Buffer.from(head).toString('latin1')).dialect;
  const maxTokenBytes = init.maxValueBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  const decodeAs = transcoded ? 'utf-8' : (encoding as 'utf-8' | 'iso-8859-1' | 'windows-1252');

  const parser = new StatementParser({ sink, dialect, schema: init.schema, maxTokenBytes });
  const lex = new Tokenizer(parser, {
    rules: lexRulesFor(dialect),
    decode: byteDecoder(decodeAs),
    utf8: decodeAs === 'utf-8',
    baseOffset: skip,
    maxTokenBytes,
  });
  parser.attach(lex);

  for await (const chunk of replay(peeked.chunks, peeked.iterator)) {
    signal?.throwIfAborted();
    if (skip > 0) {
      // Only the BOM bytes at the very start are skipped (they may straddle chunks).
      const n = Math.min(skip, chunk.length);
      skip -= n;
      if (n < chunk.length) lex.feed(chunk.subarray(n));
      continue;
    }
    lex.feed(chunk);
  }
  lex.finish();
  parser.eof(lex.unterminated);

  sink.meta('dialect', parser.dialect);
  const s = parser.stats;
  sink.meta('statements', s.statements);
  sink.meta('statementsSkipped', s.statementsSkipped);
  sink.meta('insertStatements', s.insertStatements);
  sink.meta('copyBlocks', s.copyBlocks);
  sink.meta('createTables', s.createTables);
  sink.meta('routinesSkipped', s.routinesSkipped);
  if (parser.declaredCharset !== null) sink.meta('declaredCharset', parser.declaredCharset);
  if (transcoded) sink.meta('offsetBasis', 'utf-8-transcoded');

  const reason = parser.truncatedReason;
  const result: ReadResult =
    reason === null ? { truncated: false } : { truncated: true, truncatedReason: reason };
  return { result, parser };
}

interface Peeked {
  /** The chunks read so far (to replay), and their concatenation up to the head size. */
  chunks: Uint8Array[];
  head: Uint8Array;
  iterator: AsyncIterator<Uint8Array>;
}

/** Reads chunks until `bytes` are available (or the end), without losing any of them. */
async function peek(iterator: AsyncIterator<Uint8Array>, bytes: number): Promise<Peeked> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < bytes) {
    const r = await iterator.next();
    if (r.done) break;
    // Copy: the source may reuse its buffers once we ask for the next chunk.
    const copy = new Uint8Array(r.value);
    chunks.push(copy);
    total += copy.length;
  }
  const head = Buffer.concat(chunks, total).subarray(0, Math.min(total, bytes));
  return { chunks, head, iterator };
}

async function* replay(
  chunks: Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
  for (;;) {
    const r = await iterator.next();
    if (r.done) return;
    yield r.value;
  }
}

async function* transcodeUtf16(
  source: AsyncIterable<Uint8Array>,
  encoding: 'utf-16le' | 'utf-16be',
): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of source) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield Buffer.from(tail, 'utf8');
}
