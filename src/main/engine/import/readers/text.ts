/**
 * Byte-level text plumbing shared by the line-oriented readers (delimited text, combolists, and
 * any other reader that wants it): turning a stream of raw chunks into "units" that can be scanned
 * with memchr-fast indexOf, decoding unit ranges to strings without ever substituting U+FFFD
 * silently, and a streaming physical-line splitter with exact byte offsets and line numbers.
 *
 * The key trick: every reader here only cares about ASCII structure bytes (quote, delimiter, CR,
 * LF, NUL). In UTF-8, ISO-8859-1 and Windows-1252 those bytes are themselves, and never part of a
 * multi-byte character, so we scan the raw bytes. For UTF-16 we build a parallel one-byte-per-
 * code-unit "structure" array (ASCII units keep their value, anything else becomes 0x80) and
 * decode from the original units; a unit index i is then byte `base + 2 * i`. One scanner, one
 * code path, exact byte offsets for every encoding.
 *
 * Pure: node:buffer only.
 */
import { Buffer } from 'node:buffer';
import { latin1ToWindows1252 } from '../cp1252';
import type { TextEncodingName } from '../types';

export const LF = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
export const NUL = 0x00;

/** Longest raw text handed to a reject (the contract asks for a sane bound). */
export const MAX_RAW_UNITS = 64 * 1024;

/** What the scanners look at: a window of the stream, in units. */
export interface UnitView {
  /** Structure bytes, one per unit (the bytes themselves for single-byte-unit encodings). */
  units: Buffer;
  /** Bytes to decode from: `units` itself, or UTF-16LE bytes (two per unit) for UTF-16. */
  text: Buffer;
  /** Absolute byte offset of unit 0 in the source stream (BOM bytes included in the count). */
  base: number;
}

/** Width in bytes of one unit for an encoding. */
export function unitBytesOf(encoding: TextEncodingName): 1 | 2 {
  return encoding === 'utf-16le' || encoding === 'utf-16be' ? 2 : 1;
}

/** Length of the byte-order mark at the start of `head` that belongs to `encoding`, or 0. */
export function bomLengthFor(encoding: TextEncodingName, head: Uint8Array): number {
  if (encoding === 'utf-8') {
    return head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  }
  if (encoding === 'utf-16le')
    return head.length >= 2 && head[0] === 0xff && head[1] === 0xfe ? 2 : 0;
  if (encoding === 'utf-16be')
    return head.length >= 2 && head[0] === 0xfe && head[1] === 0xff ? 2 : 0;
  return 0;
}

/**
 * Accumulates raw chunks as units and hands out a contiguous view of everything not yet consumed.
 * Concatenation happens only when a view is asked for, and callers ask again only once the
 * pending data has grown past what they said they need (see `needAtLeast`), which keeps a record
 * that spans thousands of small chunks linear instead of quadratic.
 *
 * NOTE: single-byte-unit chunks are kept as views, not copied (a copy of every chunk would cost
 * a full extra pass); sources must not refill a chunk after yielding it (Node streams never do).
 */
export class UnitBuffer {
  readonly unitBytes: 1 | 2;
  private readonly swap: boolean;
  private unitChunks: Buffer[] = [];
  private textChunks: Buffer[] = [];
  private pending = 0;
  private base: number;
  private bomLeft: number;
  private carry = -1; // odd trailing byte of a UTF-16 chunk, waiting for its partner
  private want = 1;
  /** Total raw bytes pushed (BOM included). */
  bytesIn = 0;

  constructor(encoding: TextEncodingName, bomLength: number) {
    this.unitBytes = unitBytesOf(encoding);
    this.swap = encoding === 'utf-16be';
    this.base = bomLength;
    this.bomLeft = bomLength;
  }

  /** Units pending (not consumed). */
  get size(): number {
    return this.pending;
  }

  /** True when enough new data arrived since the last consume() to be worth scanning again. */
  get ready(): boolean {
    return this.pending >= this.want;
  }

  /** A raw odd byte is waiting at the end (UTF-16 stream with an odd length so far). */
  get hasDanglingByte(): boolean {
    return this.carry >= 0;
  }

  push(chunk: Uint8Array): void {
    this.bytesIn += chunk.length;
    let bytes = chunk;
    if (this.bomLeft > 0) {
      const skip = Math.min(this.bomLeft, bytes.length);
      this.bomLeft -= skip;
      bytes = bytes.subarray(skip);
    }
    if (bytes.length === 0) return;
    if (this.unitBytes === 1) {
      const b = Buffer.isBuffer(bytes)
        ? bytes
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      this.unitChunks.push(b);
      this.pending += b.length;
      return;
    }
    // UTF-16: rebuild whole code units (a chunk may end in the middle of one), in LE order.
    let src = bytes;
    if (this.carry >= 0) {
      const joined = Buffer.allocUnsafe(bytes.length + 1);
      joined[0] = this.carry;
      joined.set(bytes, 1);
      src = joined;
      this.carry = -1;
    }
    const even = src.length & ~1;
    if (even < src.length) this.carry = src[src.length - 1]!;
    if (even === 0) return;
    const le = Buffer.allocUnsafe(even);
    le.set(src.subarray(0, even));
    if (this.swap) le.swap16();
    const n = even >> 1;
    const st = Buffer.allocUnsafe(n);
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      const lo = le[j]!;
      st[i] = le[j + 1] === 0 && lo < 0x80 ? lo : 0x80;
    }
    this.unitChunks.push(st);
    this.textChunks.push(le);
    this.pending += n;
  }

  /** A contiguous view over all pending units. */
  view(): UnitView {
    if (this.unitChunks.length > 1) {
      this.unitChunks = [Buffer.concat(this.unitChunks)];
      if (this.unitBytes === 2) this.textChunks = [Buffer.concat(this.textChunks)];
    }
    const units = this.unitChunks[0] ?? Buffer.alloc(0);
    const text = this.unitBytes === 2 ? (this.textChunks[0] ?? Buffer.alloc(0)) : units;
    return { units, text, base: this.base };
  }

  /**
   * Drops the first `n` units of the current view. `needAtLeast` is how many pending units the
   * caller needs before scanning again makes sense (it found an incomplete record of that size).
   */
  consume(n: number, needAtLeast = 1): void {
    if (n > 0) {
      const v = this.view();
      this.unitChunks = n < v.units.length ? [v.units.subarray(n)] : [];
      if (this.unitBytes === 2) {
        this.textChunks = n < v.units.length ? [v.text.subarray(n * 2)] : [];
      }
      this.pending -= n;
      this.base += n * this.unitBytes;
    }
    // Wait for the pending data to double (at least one more unit) before rescanning.
    this.want = Math.max(this.pending + 1, needAtLeast);
  }
}

/** Decodes units [start, end) of a view's `text`. Never throws; may contain U+FFFD (see below). */
export type RangeDecoder = (text: Buffer, start: number, end: number) => string;

export function rangeDecoder(encoding: TextEncodingName): RangeDecoder {
  switch (encoding) {
    case 'utf-8':
      return (t, s, e) => t.toString('utf8', s, e);
    case 'iso-8859-1':
      return (t, s, e) => t.toString('latin1', s, e);
    case 'windows-1252':
      return (t, s, e) => latin1ToWindows1252(t.toString('latin1', s, e));
    case 'utf-16le':
    case 'utf-16be':
      // The view's text is always little-endian (UnitBuffer swaps big-endian input).
      return (t, s, e) => t.toString('utf16le', s * 2, e * 2);
  }
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Checks a decoded range for undecodable input. Returns -1 when clean, else the unit index of the
 * first bad unit. Cheap in the common case: UTF-8 only needs a byte-level check when the decoder
 * produced U+FFFD (which a file may also contain legitimately as EF BF BD).
 */
export function findUndecodable(
  encoding: TextEncodingName,
  decoded: string,
  text: Buffer,
  start: number,
  end: number,
): number {
  if (encoding === 'utf-8') {
    if (decoded.indexOf('\ufffd') === -1) return -1;
    return findInvalidUtf8(text, start, end);
  }
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    if (!SURROGATE.test(decoded)) return -1;
    for (let i = 0; i < decoded.length; i++) {
      const c = decoded.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = i + 1 < decoded.length ? decoded.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d <= 0xdfff) i++;
        else return start + i;
      } else if (c >= 0xdc00 && c <= 0xdfff) return start + i;
    }
    return -1;
  }
  return -1;
}

/** Human label used in reject reasons ("invalid UTF-8 at byte 1234"). */
export function encodingLabel(encoding: TextEncodingName): string {
  return encoding === 'utf-8'
    ? 'UTF-8'
    : encoding === 'utf-16le' || encoding === 'utf-16be'
      ? 'UTF-16'
      : encoding;
}

/** Index of the first byte in [start, end) that is not part of a valid UTF-8 sequence, or -1. */
export function findInvalidUtf8(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0)
        lo = 0xa0; // overlong
      else if (c === 0xed) hi = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0)
        lo = 0x90; // overlong
      else if (c === 0xf4) hi = 0x8f; // > U+10FFFF
    } else return i;
    if (i + need >= end) return i; // the sequence is cut by the end of the range
    const c1 = b[i + 1]!;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      const ck = b[i + k]!;
      if (ck < 0x80 || ck > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Lossy decode for reject raw text and diagnostics, bounded to MAX_RAW_UNITS units. */
export function rawText(decode: RangeDecoder, view: UnitView, start: number, end: number): string {
  return decode(view.text, start, Math.min(end, start + MAX_RAW_UNITS));
}

/** Counts physical line breaks (LF, CRLF, bare CR) in units [start, end). */
export function countLineBreaks(units: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = units.indexOf(LF, start);
  while (i !== -1 && i < end) {
    n++;
    i = units.indexOf(LF, i + 1);
  }
  i = units.indexOf(CR, start);
  while (i !== -1 && i < end) {
    // A CR counts unless it is the first half of a CRLF inside the range (the LF counted it).
    if (i + 1 >= end || units[i + 1] !== LF) n++;
    i = units.indexOf(CR, i + 1);
  }
  return n;
}

/** One physical line handed to a LineCallback. Reused between calls: copy what you keep. */
export interface LineInfo {
  view: UnitView;
  /** Unit index range of the line's content (terminator excluded). */
  start: number;
  end: number;
  /** 1-based physical line number. */
  line: number;
  /** Absolute byte offset of the line's first byte. */
  offset: number;
  /** Whether the line has a terminator (false only for a last line without newline). */
  terminated: boolean;
}

export interface ScanLinesOptions {
  encoding: TextEncodingName;
  bomLength: number;
  signal?: AbortSignal;
  /** A line longer than this (in units) is cut into a reject-sized piece; default 64 MiB. */
  maxLineUnits?: number;
}

export interface ScanLinesResult {
  /** Physical lines seen (each oversize line counts once). */
  lines: number;
  /** Lines whose length passed maxLineUnits (reported to onOversize, then skipped to the next). */
  oversize: number;
  /** Raw bytes read, BOM included. */
  bytes: number;
  /** A UTF-16 stream ended with an odd byte (not part of any line). */
  danglingByte: boolean;
}

/**
 * Streams the physical lines of a source (LF, CRLF or bare CR, mixed) to `onLine`, with exact
 * byte offsets and line numbers. `onOversize` gets the start of any line longer than the bound
 * (the rest of that line is skipped without being buffered).
 */
export async function scanLines(
  source: AsyncIterable<Uint8Array>,
  opts: ScanLinesOptions,
  onLine: (l: LineInfo) => void,
  onOversize: (l: LineInfo) => void,
): Promise<ScanLinesResult> {
  const buf = new UnitBuffer(opts.encoding, opts.bomLength);
  const maxLine = opts.maxLineUnits ?? 64 * 1024 * 1024;
  const info: LineInfo = {
    view: { units: Buffer.alloc(0), text: Buffer.alloc(0), base: 0 },
    start: 0,
    end: 0,
    line: 1,
    offset: 0,
    terminated: true,
  };
  let line = 1;
  let oversize = 0;
  let delivered = 0;
  let skipping = false; // inside the tail of an oversize line: drop bytes until its end

  const oversizeAt = (view: UnitView, pos: number, end: number): void => {
    info.view = view;
    info.start = pos;
    info.end = end;
    info.line = line;
    info.offset = view.base + pos * buf.unitBytes;
    info.terminated = false;
    oversize++;
    onOversize(info);
  };

  const run = (final: boolean): void => {
    const view = buf.view();
    const u = view.units;
    const len = u.length;
    let pos = 0;
    let nLF = -2;
    let nCR = -2;
    while (pos < len) {
      if (nLF !== -1 && nLF < pos) nLF = u.indexOf(LF, pos);
      if (nCR !== -1 && nCR < pos) nCR = u.indexOf(CR, pos);
      let eol = nLF === -1 ? (nCR === -1 ? -1 : nCR) : nCR === -1 ? nLF : Math.min(nLF, nCR);
      let next: number;
      if (eol === -1) {
        if (!final) {
          if (skipping) {
            pos = len; // the tail of an over-long line: drop it as it comes
          } else if (len - pos > maxLine) {
            oversizeAt(view, pos, len);
            skipping = true;
            pos = len;
          }
          break;
        }
        eol = len;
        next = len;
      } else if (u[eol] === CR) {
        if (eol + 1 === len && !final) break; // a LF may follow in the next chunk
        next = eol + 1 < len && u[eol + 1] === LF ? eol + 2 : eol + 1;
      } else next = eol + 1;
      if (skipping) {
        skipping = false;
      } else if (eol - pos > maxLine) {
        // Same verdict as when the line arrives in pieces (see above).
        oversizeAt(view, pos, eol);
      } else {
        info.view = view;
        info.start = pos;
        info.end = eol;
        info.line = line;
        info.offset = view.base + pos * buf.unitBytes;
        info.terminated = next > eol;
        delivered++;
        onLine(info);
      }
      if (next > eol) line++;
      pos = next;
    }
    buf.consume(pos, 2 * (len - pos));
  };

  for await (const chunk of source) {
    opts.signal?.throwIfAborted();
    buf.push(chunk);
    if (buf.ready) run(false);
  }
  run(true);
  return {
    lines: delivered + oversize,
    oversize,
    bytes: buf.bytesIn,
    danglingByte: buf.hasDanglingByte,
  };
}

/**
 * Reads the first chunks of a source until at least `minBytes` (or the end) and returns them
 * joined as `head`, with a `source` that replays them and then continues with the rest: readers
 * sniff their own options from the head without buffering the whole input.
 */
export async function peekHead(
  source: AsyncIterable<Uint8Array>,
  minBytes: number,
): Promise<{ head: Uint8Array; ended: boolean; source: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < minBytes) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    chunks.push(r.value);
    size += r.value.length;
  }
  const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  async function* replay(): AsyncIterable<Uint8Array> {
    for (const c of chunks) yield c;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, ended: done, source: replay() };
}

/**
 * Lossy decode of a whole head for sniffing (U+FFFD allowed here: sniffers only look at shape).
 * When `complete` is false the head was cut from a longer stream, so its last, partial line is
 * dropped (a cut multi-byte character or field would mislead the sniffer).
 */
export function decodeHead(
  head: Uint8Array,
  encoding: TextEncodingName,
  bomLength: number,
  complete: boolean,
): string {
  const b = Buffer.from(head.buffer, head.byteOffset, head.length).subarray(bomLength);
  let text: string;
  if (unitBytesOf(encoding) === 2) {
    const le = Buffer.from(b.subarray(0, b.length & ~1));
    if (encoding === 'utf-16be') le.swap16();
    text = le.toString('utf16le');
  } else {
    text = rangeDecoder(encoding)(b, 0, b.length);
  }
  if (!complete) {
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (cut > 0) text = text.slice(0, cut + 1);
  }
  return text;
}
