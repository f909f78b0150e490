/**
 * The JSON document reader: a top-level array of records, an object holding arrays of records
 * (`{"results": [...], "info": {...}}`, a per-table dump `{"Album": [...], "Artist": [...]}`), or
 * a lone object. Also owns what both JSON readers share about the byte stream: BOM handling,
 * decoding to text per record, and sniffing a head (`openUnits`, `sniffJsonHead`).
 *
 * Streaming design (flat memory on a 2 GB array, even one written on a single line):
 *  - the input is turned into "units": the bytes themselves for UTF-8 and single-byte encodings,
 *    16-bit code units for UTF-16. Every JSON structural character is ASCII, so one scanner over
 *    units serves all encodings, and a unit index maps back to the ORIGINAL byte offset
 *    (bomLength + index × unitSize), UTF-16 included;
 *  - a byte-level structural scanner of our own (a resumable state machine: chunks may split
 *    anything, a record, a string, an escape) tracks depth, strings and escapes, counts lines,
 *    and finds the first and last unit of each element of the arrays of records;
 *  - each element (one record, typically < 10 KB) is decoded once and flattened by our small
 *    exact parser (flatten.ts), which keeps numbers as written; JSON.parse gives reject reasons.
 *    Stream-parsing libraries (stream-json, @streamparser/json) run at 14–30 MB/s and would be
 *    the bottleneck (reference/performance.md); this scanner does not build any value.
 *  - only the chunks holding the element being read are retained; an element above
 *    MAX_RECORD_BYTES is rejected without being buffered.
 *
 * Which arrays become tables:
 *  - a top-level array → table ''. If its first element is an object, non-object elements are
 *    rejected ("expected a JSON object, found a string"); if its first element is not an object
 *    (a list of e-mails, of numbers…), every element becomes a row of one column `value`
 *    (containers as compact JSON text);
 *  - inside objects, every array whose first element is an object becomes a table named by its
 *    dotted key path: {"results": [...]} → 'results', {"data": {"users": [...]}} → 'data.users';
 *    objects on the way are walked at any depth, arrays are never walked into (an array inside a
 *    record is a value of that record). Arrays with the same path (a repeated key, documents
 *    concatenated one after the other) feed the same table;
 *  - other members (scalars, arrays of scalars, empty arrays) are skipped and listed in the
 *    `skipped` meta. A top-level object that holds no array of objects at all is one record of
 *    table '' (a lone record, if below MAX_RECORD_BYTES), so nothing in it is lost; except when
 *    it holds nothing but empty arrays ({"results": []}, {"Album": [], "Artist": []}): those
 *    become empty tables (0 rows), since the file says "no records" rather than "one record";
 *  - a top-level scalar is rejected ("top-level value is a number, expected an array or an object").
 * Several top-level values one after the other (concatenated documents, NDJSON) are all read.
 *
 * Errors: an element that is not valid JSON is rejected with JSON.parse's reason, its line and
 * offset, and reading goes on with the next element. Closing brackets that do not match are
 * repaired the obvious way (a '}' closes the nearest '{'), so a damaged element does not swallow
 * its neighbours. A missing comma between elements, an extra or trailing comma are tolerated. A
 * file that ends inside the structure gives `truncated: true`: every complete element is kept and
 * the partial one is rejected. An unterminated string still hides what follows it: no scanner
 * can tell data from string after an odd quote.
 *
 * Must not import: electron, the store, anything outside node:* and this folder.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { decodeWindows1252 } from '../cp1252';
import { detectEncoding } from '../encoding';
import type {
  FormatReader,
  ReadContext,
  ReaderOptions,
  ReadResult,
  RecordLocation,
  RecordSink,
  SniffResult,
  TextEncodingName,
} from '../types';
import { jsonParseError, TableFlattener } from './flatten';

/** Largest record (element, line, lone object) we decode; above it the record is rejected. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** How much of a rejected record's text is kept in the reject. */
export const MAX_RAW_CHARS = 64 * 1024;
/** Bytes gathered before deciding the encoding (enough for detectEncoding to see a pattern). */
const HEAD_BYTES = 4096;

/** The stream as units: bytes (UTF-8, single-byte encodings) or UTF-16 code units. */
export type Units = Uint8Array | Uint16Array;

export interface UnitStream {
  encoding: TextEncodingName;
  bomLength: number;
  /** Bytes per unit: the original byte offset of unit index k is bomLength + k × unitSize. */
  unitSize: 1 | 2;
  decode(u: Units, start: number, end: number): string;
  concat(parts: Units[], total: number): Units;
  chunks: AsyncGenerator<Units, void, void>;
  /**
   * Whether a decode since the last call met bytes that are not valid UTF-8 (decoded as U+FFFD),
   * then forgets it. A record holding such bytes is rejected ("invalid UTF-8"), never stored
   * altered. Always false for the other encodings, where every byte is a character.
   */
  takeInvalid?(): boolean;
}

/** Reason of a record rejected because its bytes are not valid UTF-8. */
export const INVALID_UTF8 = 'invalid UTF-8';

function asBuffer(c: Uint8Array): Buffer {
  return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

function decodeUtf16Units(u: Units, start: number, end: number): string {
  // Blocks keep String.fromCharCode under the engine's argument-count limit.
  let out = '';
  for (let s = start; s < end; s += 8192) {
    const block = u.subarray(s, Math.min(end, s + 8192));
    out += String.fromCharCode.apply(null, block as unknown as number[]);
  }
  return out;
}

/**
 * Opens a byte source as units. A BOM wins over `hint`; without a BOM, `hint` (the sniffed
 * encoding) or else detection on the first bytes decides. The BOM is not part of the units.
 */
export async function openUnits(
  source: AsyncIterable<Uint8Array>,
  hint: TextEncodingName | undefined,
  signal?: AbortSignal,
): Promise<UnitStream> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < HEAD_BYTES) {
    signal?.throwIfAborted();
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(asBuffer(r.value));
    headLen += r.value.length;
  }
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  let encoding: TextEncodingName;
  let bomLength = 0;
  if (first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) {
    encoding = 'utf-8';
    bomLength = 3;
  } else if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) {
    encoding = 'utf-16le';
    bomLength = 2;
  } else if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) {
    encoding = 'utf-16be';
    bomLength = 2;
  } else {
    encoding = hint ?? detectEncoding(first).encoding;
  }

  const utf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
  const bigEndian = encoding === 'utf-16be';
  let carry = -1; // UTF-16: a byte left over from the previous chunk
  const toUnits = (b: Buffer): Units | null => {
    if (!utf16) return b.length ? b : null;
    const total = b.length + (carry >= 0 ? 1 : 0);
    const count = total >> 1;
    if (count === 0) {
      if (b.length) carry = b[0]!;
      return null;
    }
    const out = new Uint16Array(count);
    let k = 0;
    let j = 0;
    if (carry >= 0) {
      const lo = bigEndian ? b[0]! : carry;
      const hi = bigEndian ? carry : b[0]!;
      out[k++] = lo | (hi << 8);
      j = 1;
    }
    for (; k < count; k++, j += 2) {
      out[k] = bigEndian ? (b[j]! << 8) | b[j + 1]! : b[j]! | (b[j + 1]! << 8);
    }
    carry = j < b.length ? b[j]! : -1;
    return out;
  };

  async function* chunks(): AsyncGenerator<Units, void, void> {
    const u0 = toUnits(first.subarray(bomLength));
    if (u0) yield u0;
    if (ended) return;
    for (;;) {
      signal?.throwIfAborted();
      const r = await it.next();
      if (r.done) return;
      const u = toUnits(asBuffer(r.value));
      if (u) yield u;
    }
  }

  let decode: UnitStream['decode'];
  let concat: UnitStream['concat'];
  let invalid = false;
  if (utf16) {
    decode = decodeUtf16Units;
    concat = (parts, total) => {
      const out = new Uint16Array(total);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    };
  } else {
    concat = (parts, total) => Buffer.concat(parts as Uint8Array[], total);
    decode =
      encoding === 'utf-8'
        ? (u, s, e) => {
            const text = (u as Buffer).toString('utf8', s, e);
            // U+FFFD in the text is either written in the file (valid) or a replaced bad byte.
            if (text.includes('\uFFFD') && !isUtf8((u as Buffer).subarray(s, e))) invalid = true;
            return text;
          }
        : (u, s, e) => decodeWindows1252(u as Uint8Array, s, e);
  }
  const takeInvalid = () => {
    const was = invalid;
    invalid = false;
    return was;
  };
  return {
    encoding,
    bomLength,
    unitSize: utf16 ? 2 : 1,
    decode,
    concat,
    chunks: chunks(),
    takeInvalid,
  };
}

/** Cuts a rejected record's text to a sane length. */
export function boundRaw(text: string): string {
  return text.length > MAX_RAW_CHARS ? text.slice(0, MAX_RAW_CHARS) : text;
}

// ---------------------------------------------------------------------------------------------
//#region sniffing

export interface HeadShape {
  encoding: TextEncodingName;
  /** First non-blank character of the head ('' if none). */
  first: string;
  /** Non-blank lines that are complete (the last line of a full head may be cut). */
  lines: number;
  /** How many of those lines parse alone as a JSON object. */
  objectLines: number;
  /** Whether the first non-blank line parses alone as a complete JSON value. */
  firstLineComplete: boolean;
}

/** Decodes a head and looks at its lines: what both JSON sniffers score from. */
export function sniffJsonHead(head: Uint8Array): HeadShape {
  const guess = detectEncoding(head);
  const body = head.subarray(guess.bomLength);
  let text: string;
  if (guess.encoding === 'utf-16le' || guess.encoding === 'utf-16be') {
    const units = new Uint16Array(body.length >> 1);
    for (let k = 0; k < units.length; k++) {
      const a = body[2 * k]!;
      const b = body[2 * k + 1]!;
      units[k] = guess.encoding === 'utf-16le' ? a | (b << 8) : (a << 8) | b;
    }
    text = decodeUtf16Units(units, 0, units.length);
  } else if (guess.encoding === 'utf-8') {
    text = new TextDecoder('utf-8').decode(body);
  } else {
    text = decodeWindows1252(body, 0, body.length);
  }
  const all = text.split('\n');
  // The last line may be cut by the 64 KiB head; count it only when it stands on its own.
  const last = all.pop() ?? '';
  const lines = all.map((l) => l.trim()).filter((l) => l !== '');
  if (last.trim() !== '' && jsonParseError(last) === null) lines.push(last.trim());
  let objectLines = 0;
  let firstLineComplete = false;
  for (let k = 0; k < lines.length; k++) {
    try {
      const v: unknown = JSON.parse(lines[k]!);
      if (k === 0) firstLineComplete = true;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) objectLines++;
    } catch {
      // not a complete JSON value on its own line
    }
  }
  const trimmed = text.trimStart();
  return {
    encoding: guess.encoding,
    first: trimmed.length ? trimmed[0]! : '',
    lines: lines.length,
    objectLines,
    firstLineComplete,
  };
}

function extension(name: string): string {
  const lower = name.toLowerCase().replace(/\.(gz|zip)$/, '');
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? '' : lower.slice(dot + 1);
}

/**
 * A likelihood from what the bytes say plus the extension nudge (+0.05 for the matching
 * extension): a tie-breaker only, never enough to beat a clear difference in the bytes.
 */
export function withExtension(base: number, name: string, mine: 'json' | 'ndjson'): number {
  const ext = extension(name);
  const match = ext === 'json' ? 'json' : ext === 'jsonl' || ext === 'ndjson' ? 'ndjson' : '';
  return Math.min(1, Math.round((base + (match === mine ? 0.05 : 0)) * 100) / 100);
}

//#endregion
// ---------------------------------------------------------------------------------------------
//#region scanner

// Scanner states. Navigation states walk the containers above the arrays of records; element
// states find the end of one record; skip states pass over values that are not tables.
const ROOT = 0; // expecting a top-level value
const OBJ_KEY = 1; // in a walked object, expecting a key or '}'
const KEY_STR = 2; // inside a key string
const KEY_ESC = 3; // inside a key string, after a backslash
const OBJ_COLON = 4; // expecting ':'
const OBJ_VALUE = 5; // expecting a member value
const OBJ_NEXT = 6; // expecting ',' or '}'
const ARR_PEEK = 7; // inside a member array, its first element decides if it is a table
const REC_NEXT = 8; // in an array of records, expecting an element or ']'
const REC_AFTER = 9; // after an element, expecting ',' or ']'
const EL_CONT = 10; // inside a container element
const EL_STR = 11; // inside a string of an element (or a string element)
const EL_ESC = 12; // same, after a backslash
const EL_SCALAR = 13; // inside a number/literal element (or junk)
const SKIP_CONT = 14; // skipping a container value
const SKIP_STR = 15; // skipping: inside a string
const SKIP_ESC = 16; // skipping: inside a string, after a backslash
const SKIP_SCALAR = 17; // skipping a number/literal

const MODE_UNDECIDED = 0;
const MODE_RECORDS = 1;
const MODE_VALUES = 2;

interface TableState {
  name: string;
  mode: number;
  fl: TableFlattener;
  elements: number;
}

/** A container on the way to the arrays of records: a walked object, or an array of records. */
interface Frame {
  path: string;
  rec: TableState | null;
}

/** Characters that end a number or literal token. */
function endsScalar(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x09 ||
    c === 0x2c ||
    c === 0x5d ||
    c === 0x7d ||
    c === 0x5b ||
    c === 0x7b ||
    c === 0x22 ||
    c === 0x3a
  );
}

function describeTopLevel(text: string): string {
  const err = jsonParseError(text);
  if (err !== null) return `invalid JSON at the top level: ${err}`;
  const v: unknown = JSON.parse(text);
  const kind =
    v === null
      ? 'null'
      : typeof v === 'string'
        ? 'a string'
        : typeof v === 'number'
          ? 'a number'
          : 'a boolean';
  return `top-level value is ${kind}, expected an array or an object`;
}

/**
 * The resumable structural scanner. `feed` each chunk of units in order, then `end`.
 * NOTE: calls the sink synchronously from inside feed().
 */
export class JsonScanner {
  private readonly tables = new Map<string, TableState>();
  private readonly stack: Frame[] = [];
  private state = ROOT;
  /** Global unit index of the current chunk's first unit. */
  private base = 0;
  private line = 1;

  // Retained chunks (only those holding an open capture).
  private rChunks: Units[] = [];
  private rBases: number[] = [];

  // The element being scanned.
  private elemStart = -1;
  private elemLine = 0;
  private elemTarget: TableState | null = null;
  private elemOversize = false;
  private oversizeRaw = '';
  private depth = 0;
  private brk = new Uint8Array(64);

  // Key capture and the member whose value comes next.
  private keyStart = -1;
  private key = '';

  // The top-level object, captured while no table has been found in it (lone-record fallback).
  private rootStart = -1;
  /** Where the current top-level object starts, kept even when its capture is given up. */
  private rootUnit = 0;
  private rootLine = 0;
  private rootTables = 0;
  private emptyPaths: string[] = [];
  private rootSkipped: string[] = [];
  private rootHasValues = false;

  private skipDepth = 0;
  private readonly skipped = new Set<string>();
  private shape = '';
  private navJunk = 0;
  /** Every record found: rows + rejects, the invariant the tests check. */
  records = 0;

  private readonly maxUnits: number;

  constructor(
    private readonly sink: RecordSink,
    private readonly units: Pick<
      UnitStream,
      'bomLength' | 'unitSize' | 'decode' | 'concat' | 'takeInvalid'
    >,
  ) {
    this.maxUnits = Math.floor(MAX_RECORD_BYTES / units.unitSize);
  }

  feed(u: Units): void {
    const n = u.length;
    this.rChunks.push(u);
    this.rBases.push(this.base);
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case EL_CONT:
          i = this.elCont(u, i, n);
          break;
        case EL_STR:
          i = this.elStr(u, i, n);
          break;
        case REC_AFTER:
          i = this.recAfter(u, i, n);
          break;
        case REC_NEXT:
          i = this.recNext(u, i, n);
          break;
        case EL_ESC:
          if (u[i] === 0x0a) this.line++;
          this.state = EL_STR;
          i++;
          break;
        case EL_SCALAR:
          i = this.elScalar(u, i, n);
          break;
        case ROOT:
          i = this.root(u, i, n);
          break;
        case OBJ_KEY:
        case OBJ_COLON:
        case OBJ_VALUE:
        case OBJ_NEXT:
        case ARR_PEEK:
          i = this.nav(u, i, n);
          break;
        case KEY_STR:
        case KEY_ESC:
          i = this.keyStr(u, i, n);
          break;
        default:
          i = this.skip(u, i, n);
      }
    }
    this.base += n;
    this.release();
  }

  /** Drops retained chunks no open capture needs; gives up captures that grew too large. */
  private release(): void {
    const end = this.base;
    if (this.elemStart >= 0 && !this.elemOversize && end - this.elemStart > this.maxUnits) {
      this.oversizeRaw = this.text(this.elemStart, this.elemStart + MAX_RAW_CHARS);
      this.elemOversize = true;
    }
    if (this.rootStart >= 0 && end - this.rootStart > this.maxUnits) {
      this.rootStart = -1;
    }
    if (this.keyStart >= 0 && end - this.keyStart > this.maxUnits) {
      this.keyStart = -1;
      this.key = '(key too long)';
    }
    let pin = end;
    if (this.elemStart >= 0 && !this.elemOversize) pin = Math.min(pin, this.elemStart);
    if (this.keyStart >= 0) pin = Math.min(pin, this.keyStart);
    if (this.rootStart >= 0) pin = Math.min(pin, this.rootStart);
    let drop = 0;
    while (drop < this.rChunks.length && this.rBases[drop]! + this.rChunks[drop]!.length <= pin) {
      drop++;
    }
    if (drop === this.rChunks.length) {
      this.rChunks = [];
      this.rBases = [];
    } else if (drop > 0) {
      this.rChunks.splice(0, drop);
      this.rBases.splice(0, drop);
    }
  }

  /** Decoded text of global units [s, e), from the retained chunks. */
  private text(s: number, e: number): string {
    const chunks = this.rChunks;
    const bases = this.rBases;
    let k = 0;
    while (k < chunks.length - 1 && bases[k]! + chunks[k]!.length <= s) k++;
    const c = chunks[k];
    if (c === undefined) return '';
    const cb = bases[k]!;
    if (e <= cb + c.length) return this.units.decode(c, s - cb, e - cb);
    const parts: Units[] = [];
    let total = 0;
    for (let j = k; j < chunks.length && bases[j]! < e; j++) {
      const b = bases[j]!;
      const part = chunks[j]!.subarray(Math.max(0, s - b), Math.min(chunks[j]!.length, e - b));
      parts.push(part);
      total += part.length;
    }
    return this.units.decode(this.units.concat(parts, total), 0, total);
  }

  private offsetOf(unit: number): number {
    return this.units.bomLength + unit * this.units.unitSize;
  }

  private table(name: string, mode: number): TableState {
    let t = this.tables.get(name);
    if (t === undefined) {
      t = { name, mode, fl: new TableFlattener(), elements: 0 };
      this.tables.set(name, t);
      this.sink.columns(name, []);
    }
    return t;
  }

  private skipWs(u: Units, i: number, n: number): number {
    for (; i < n; i++) {
      const c = u[i]!;
      if (c === 0x0a) this.line++;
      else if (c !== 0x20 && c !== 0x0d && c !== 0x09) break;
    }
    return i;
  }

  // ---- top level ----------------------------------------------------------------------------

  private root(u: Units, i: number, n: number): number {
    i = this.skipWs(u, i, n);
    if (i >= n) return i;
    const c = u[i]!;
    if (c === 0x7b) {
      this.shape ||= 'object';
      this.rootStart = this.rootUnit = this.base + i;
      this.rootLine = this.line;
      this.rootTables = 0;
      this.emptyPaths = [];
      this.rootSkipped = [];
      this.rootHasValues = false;
      this.stack.push({ path: '', rec: null });
      this.state = OBJ_KEY;
      return i + 1;
    }
    if (c === 0x5b) {
      this.shape ||= 'array';
      const t = this.table('', MODE_UNDECIDED);
      this.stack.push({ path: '', rec: t });
      this.state = REC_NEXT;
      return i + 1;
    }
    if (c === 0x2c) return i + 1; // objects separated by commas without brackets: tolerated
    this.shape ||= 'scalar';
    return this.startElement(u, i, null);
  }

  /** A top-level object is closed: if it held no table, its empty arrays or itself are data. */
  private closeRoot(endUnit: number): void {
    if (this.rootTables > 0) {
      this.reportSkipped([]);
      return;
    }
    if (this.emptyPaths.length > 0 && !this.rootHasValues) {
      for (const p of this.emptyPaths) this.table(p, MODE_RECORDS);
      this.reportSkipped(this.emptyPaths);
      return;
    }
    this.rootSkipped = []; // all of it is in the record
    this.records++;
    const t = this.table('', MODE_RECORDS);
    const loc: RecordLocation = { line: this.rootLine, offset: this.offsetOf(this.rootUnit) };
    if (this.rootStart >= 0) {
      this.deliver(t, this.text(this.rootStart, endUnit), loc);
    } else {
      this.sink.reject('', {
        ...loc,
        reason: `top-level object holds no array of objects and is larger than ${MAX_RECORD_BYTES} bytes`,
        raw: '',
      });
    }
  }

  // ---- walked objects -----------------------------------------------------------------------

  private childPath(): string {
    const top = this.stack[this.stack.length - 1]!;
    return top.path === '' ? this.key : top.path + '.' + this.key;
  }

  private closeObject(i: number): void {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.closeRoot(this.base + i + 1);
      this.rootStart = -1;
      this.state = ROOT;
    } else {
      this.state = OBJ_NEXT;
    }
  }

  /**
   * Members passed over in the current top-level object; reported only if it held tables.
   * `value`: the member holds data (anything but an empty array).
   */
  private noteSkipped(path: string, value: boolean): void {
    if (value) this.rootHasValues = true;
    if (this.rootSkipped.length < 50) this.rootSkipped.push(path);
  }

  private reportSkipped(except: readonly string[]): void {
    for (const p of this.rootSkipped) {
      if (this.skipped.size < 50 && !except.includes(p)) this.skipped.add(p);
    }
    this.rootSkipped = [];
  }

  private nav(u: Units, i: number, n: number): number {
    while (i < n) {
      i = this.skipWs(u, i, n);
      if (i >= n) return i;
      const c = u[i]!;
      switch (this.state) {
        case OBJ_KEY:
          if (c === 0x22) {
            this.keyStart = this.base + i;
            this.state = KEY_STR;
            return i + 1;
          }
          if (c === 0x7d) {
            this.closeObject(i);
            return i + 1;
          }
          if (c !== 0x2c) this.navJunk++; // an extra comma is tolerated silently
          i++;
          break;
        case OBJ_COLON:
          this.state = OBJ_VALUE;
          if (c === 0x3a) i++;
          else this.navJunk++; // missing ':' — read the value anyway
          break;
        case OBJ_VALUE:
          if (c === 0x7b) {
            this.stack.push({ path: this.childPath(), rec: null });
            this.state = OBJ_KEY;
            return i + 1;
          }
          if (c === 0x5b) {
            this.state = ARR_PEEK;
            return i + 1;
          }
          if (c === 0x7d || c === 0x2c) {
            this.navJunk++; // missing value
            this.state = OBJ_NEXT;
            break;
          }
          this.noteSkipped(this.childPath(), true);
          this.skipDepth = 0;
          if (c === 0x22) {
            this.state = SKIP_STR;
            return i + 1;
          }
          this.state = SKIP_SCALAR;
          return i + 1;
        case OBJ_NEXT:
          if (c === 0x2c) {
            this.state = OBJ_KEY;
            return i + 1;
          }
          if (c === 0x7d) {
            this.closeObject(i);
            return i + 1;
          }
          this.navJunk++;
          if (c === 0x22)
            this.state = OBJ_KEY; // missing comma
          else i++;
          break;
        case ARR_PEEK: {
          const path = this.childPath();
          if (c === 0x7b) {
            const t = this.table(path, MODE_RECORDS);
            this.stack.push({ path, rec: t });
            this.rootTables++;
            this.rootStart = -1; // a table was found: the object is not a lone record
            return this.startElement(u, i, t);
          }
          if (c === 0x5d) {
            if (this.emptyPaths.length < 100) this.emptyPaths.push(path);
            this.noteSkipped(path, false);
            this.state = OBJ_NEXT;
            return i + 1;
          }
          this.noteSkipped(path, true);
          this.skipDepth = 1;
          this.state = SKIP_CONT;
          return i;
        }
      }
    }
    return i;
  }

  private keyStr(u: Units, i: number, n: number): number {
    for (; i < n; i++) {
      const c = u[i]!;
      if (this.state === KEY_ESC) {
        this.state = KEY_STR;
        if (c === 0x0a) this.line++;
        continue;
      }
      if (c === 0x22) {
        if (this.keyStart >= 0) {
          const raw = this.text(this.keyStart, this.base + i + 1);
          let key = raw.slice(1, -1);
          if (key.includes('\\')) {
            try {
              key = JSON.parse(raw) as string;
            } catch {
              // a bad escape in a key: keep it as written
            }
          }
          this.key = key;
        }
        this.keyStart = -1;
        this.state = OBJ_COLON;
        return i + 1;
      }
      if (c === 0x5c) this.state = KEY_ESC;
      else if (c === 0x0a) this.line++;
    }
    return i;
  }

  /** Skips a value that is not a table, without keeping it. */
  private skip(u: Units, i: number, n: number): number {
    for (; i < n; i++) {
      const c = u[i]!;
      if (c === 0x0a) this.line++;
      switch (this.state) {
        case SKIP_ESC:
          this.state = SKIP_STR;
          break;
        case SKIP_STR:
          if (c === 0x22) {
            if (this.skipDepth === 0) {
              this.state = OBJ_NEXT;
              return i + 1;
            }
            this.state = SKIP_CONT;
          } else if (c === 0x5c) {
            this.state = SKIP_ESC;
          }
          break;
        case SKIP_SCALAR:
          if (endsScalar(c)) {
            if (c === 0x0a) this.line--; // counted again by whoever reads it
            this.state = OBJ_NEXT;
            return i;
          }
          break;
        default: // SKIP_CONT
          if (c === 0x22) this.state = SKIP_STR;
          else if (c === 0x7b || c === 0x5b) this.skipDepth++;
          else if (c === 0x7d || c === 0x5d) {
            if (--this.skipDepth === 0) {
              this.state = OBJ_NEXT;
              return i + 1;
            }
          }
      }
    }
    return i;
  }

  // ---- arrays of records --------------------------------------------------------------------

  private recFrame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private closeRec(): void {
    this.stack.pop();
    this.state = this.stack.length === 0 ? ROOT : OBJ_NEXT;
  }

  private recNext(u: Units, i: number, n: number): number {
    i = this.skipWs(u, i, n);
    if (i >= n) return i;
    const c = u[i]!;
    if (c === 0x5d) {
      this.closeRec();
      return i + 1;
    }
    if (c === 0x2c) return i + 1; // an extra comma holds no record: tolerated
    if (c === 0x7d && this.stack.length > 1) {
      // The array's ']' is missing and this '}' closes the object around it.
      this.navJunk++;
      this.closeRec();
      return i;
    }
    const t = this.recFrame().rec!;
    if (t.mode === MODE_UNDECIDED) t.mode = c === 0x7b ? MODE_RECORDS : MODE_VALUES;
    return this.startElement(u, i, t);
  }

  private recAfter(u: Units, i: number, n: number): number {
    i = this.skipWs(u, i, n);
    if (i >= n) return i;
    const c = u[i]!;
    if (c === 0x2c) {
      this.state = REC_NEXT;
      return i + 1;
    }
    if (c === 0x5d) {
      this.closeRec();
      return i + 1;
    }
    // Missing comma (or junk): read on as a next element; recNext deals with '}'.
    this.state = REC_NEXT;
    return i;
  }

  /** Begins an element at u[i]; its first unit is always consumed (progress on junk). */
  private startElement(u: Units, i: number, target: TableState | null): number {
    const c = u[i]!;
    this.elemStart = this.base + i;
    this.elemLine = this.line;
    this.elemTarget = target;
    this.elemOversize = false;
    if (c === 0x7b || c === 0x5b) {
      this.brk[0] = c;
      this.depth = 1;
      this.state = EL_CONT;
    } else if (c === 0x22) {
      this.depth = 0;
      this.state = EL_STR;
    } else {
      this.state = EL_SCALAR;
    }
    return i + 1;
  }

  /** The hot loop: finds the end of a container element. */
  private elCont(u: Units, i: number, n: number): number {
    let d = this.depth;
    let brk = this.brk;
    let line = this.line;
    while (i < n) {
      const c = u[i++]!;
      if (c === 0x22) {
        for (;;) {
          if (i >= n) {
            this.depth = d;
            this.line = line;
            this.state = EL_STR;
            return i;
          }
          const s = u[i++]!;
          if (s === 0x22) break;
          if (s === 0x5c) {
            if (i >= n) {
              this.depth = d;
              this.line = line;
              this.state = EL_ESC;
              return i;
            }
            if (u[i] === 0x0a) line++;
            i++;
          } else if (s === 0x0a) {
            line++;
          }
        }
      } else if (c === 0x7b || c === 0x5b) {
        if (d === brk.length) {
          const bigger = new Uint8Array(brk.length * 2);
          bigger.set(brk);
          this.brk = brk = bigger;
        }
        brk[d++] = c;
      } else if (c === 0x7d || c === 0x5d) {
        const open = c - 2; // '}' - 2 === '{', ']' - 2 === '['
        if (brk[d - 1] === open) {
          d--;
        } else {
          // A closer that does not match: close up to its opener if the element has one,
          // else it belongs to the enclosing structure and the element ends before it.
          let k = d - 2;
          while (k >= 0 && brk[k] !== open) k--;
          if (k < 0) {
            this.line = line;
            this.depth = 0;
            this.endElement(this.base + i - 1);
            return i - 1;
          }
          d = k;
        }
        if (d === 0) {
          this.line = line;
          this.depth = 0;
          this.endElement(this.base + i);
          return i;
        }
      } else if (c === 0x0a) {
        line++;
      }
    }
    this.depth = d;
    this.line = line;
    return i;
  }

  private elStr(u: Units, i: number, n: number): number {
    while (i < n) {
      const s = u[i++]!;
      if (s === 0x22) {
        if (this.depth === 0) {
          this.endElement(this.base + i);
        } else {
          this.state = EL_CONT;
        }
        return i;
      }
      if (s === 0x5c) {
        if (i >= n) {
          this.state = EL_ESC;
          return i;
        }
        if (u[i] === 0x0a) this.line++;
        i++;
      } else if (s === 0x0a) {
        this.line++;
      }
    }
    return i;
  }

  private elScalar(u: Units, i: number, n: number): number {
    while (i < n) {
      if (endsScalar(u[i]!)) {
        this.endElement(this.base + i);
        return i;
      }
      i++;
    }
    return i;
  }

  /** An element ends before global unit `end`: decode it and hand it on. */
  private endElement(end: number): void {
    const target = this.elemTarget;
    const start = this.elemStart;
    this.elemStart = -1;
    this.records++;
    const loc: RecordLocation = { line: this.elemLine, offset: this.offsetOf(start) };
    if (this.elemOversize) {
      this.elemOversize = false;
      this.sink.reject(target === null ? null : target.name, {
        ...loc,
        reason: `record larger than ${MAX_RECORD_BYTES} bytes`,
        raw: this.oversizeRaw,
      });
      this.oversizeRaw = '';
    } else {
      this.units.takeInvalid?.();
      const text = this.text(start, end);
      if (this.units.takeInvalid?.()) {
        this.sink.reject(target === null ? null : target.name, {
          ...loc,
          reason: INVALID_UTF8,
          raw: boundRaw(text),
        });
        if (target !== null) target.elements++;
      } else if (target === null) {
        this.sink.reject(null, { ...loc, reason: describeTopLevel(text), raw: boundRaw(text) });
      } else {
        this.deliver(target, text, loc);
      }
    }
    this.state = target === null ? ROOT : REC_AFTER;
  }

  private deliver(t: TableState, text: string, loc: RecordLocation): void {
    t.elements++;
    const r = t.mode === MODE_VALUES ? t.fl.flattenValue(text) : t.fl.flattenObject(text);
    if (r.ok) {
      if (r.added !== null) this.sink.columns(t.name, r.added);
      this.sink.row(t.name, r.values, loc);
    } else {
      this.sink.reject(t.name, { ...loc, reason: r.reason, raw: boundRaw(text) });
    }
  }

  // ---- end of input -------------------------------------------------------------------------

  end(): ReadResult {
    const st = this.state;
    let reason: string | undefined;
    const where = (): string => {
      for (let k = this.stack.length - 1; k >= 0; k--) {
        const f = this.stack[k]!;
        if (f.rec !== null) {
          return f.rec.name === ''
            ? 'the top-level array'
            : `the array '${f.rec.name}' (after ${f.rec.elements} elements)`;
        }
      }
      return this.stack.length ? 'the top-level object' : 'a top-level value';
    };
    if (this.elemStart >= 0) {
      const target = this.elemTarget;
      if (target === null && st === EL_SCALAR) {
        this.endElement(this.base); // a top-level scalar ends with the file
      } else {
        this.records++;
        const raw = this.elemOversize
          ? this.oversizeRaw
          : boundRaw(this.text(this.elemStart, this.base));
        reason = `file ends inside ${where()}, in a record started at line ${this.elemLine}`;
        if (target !== null) target.elements++;
        this.sink.reject(target === null ? null : target.name, {
          line: this.elemLine,
          offset: this.offsetOf(this.elemStart),
          reason: `truncated: ${reason}`,
          raw,
        });
        this.elemStart = -1;
      }
    } else if (st !== ROOT) {
      reason = `file ends inside ${where()}`;
      if (this.stack.length > 0 && this.stack[0]!.rec === null && this.rootTables === 0) {
        // A lone top-level object cut short: its partial text is the one record.
        this.records++;
        this.sink.reject('', {
          line: this.rootLine,
          offset: this.offsetOf(this.rootUnit),
          reason: `truncated: ${reason}`,
          raw: this.rootStart >= 0 ? boundRaw(this.text(this.rootStart, this.base)) : '',
        });
      }
    }
    if (this.rootTables > 0) this.reportSkipped([]);
    this.sink.meta('shape', this.shape || 'empty');
    if (this.skipped.size) this.sink.meta('skipped', [...this.skipped].join(', '));
    if (this.navJunk) this.sink.meta('structureErrors', this.navJunk);
    this.rChunks = [];
    this.rBases = [];
    return reason === undefined
      ? { truncated: false }
      : { truncated: true, truncatedReason: reason };
  }
}

//#endregion

export const jsonReader: FormatReader = {
  id: 'json',

  sniff(head: Uint8Array, name: string): SniffResult | null {
    const h = sniffJsonHead(head);
    if (h.first !== '[' && h.first !== '{') return null;
    let likelihood: number;
    if (h.lines >= 2 && h.objectLines === h.lines) {
      // One object per line: NDJSON; we could read it (concatenated values) but should not win.
      likelihood = 0.5;
    } else if (h.first === '[') {
      likelihood = 0.9;
    } else if (!h.firstLineComplete) {
      likelihood = 0.9; // an object spanning lines: a JSON document
    } else {
      likelihood = 0.6; // one object on one line: a minified document, or a one-record NDJSON
    }
    return {
      likelihood: withExtension(likelihood, name, 'json'),
      options: { encoding: h.encoding },
    };
  },

  async read(
    source: AsyncIterable<Uint8Array>,
    options: ReaderOptions,
    sink: RecordSink,
    ctx?: ReadContext,
  ): Promise<ReadResult> {
    const units = await openUnits(source, options.encoding, ctx?.signal);
    sink.meta('encoding', units.encoding);
    const scanner = new JsonScanner(sink, units);
    for await (const u of units.chunks) {
      ctx?.signal?.throwIfAborted();
      scanner.feed(u);
    }
    return scanner.end();
  },
};
