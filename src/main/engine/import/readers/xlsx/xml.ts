/**
 * The small XML layer of the XLSX reader: byte-level, UTF-8, no dependency, two pieces.
 *
 *  - `walkXml`: a strict tokenizer over ONE complete, bounded slice (a `<row>`, an `<si>`, or a
 *    small part such as workbook.xml). It checks well-formedness (matching end tags, attribute
 *    syntax, entity and character references, UTF-8) and throws XmlError with a short reason,
 *    which is what a reject says.
 *  - `ElementSplitter`: the streaming half. It is fed decompressed chunks of any size, skips
 *    everything outside the elements it is told to extract (`row` in a sheet, `si` in the shared
 *    strings) and hands each complete element over as one byte slice with its absolute offset.
 *    Chunk boundaries can fall anywhere (inside a tag, an entity, a multi-byte character): an
 *    element is only handed over once its end tag has arrived, so the output does not depend on
 *    how the input was chunked. Memory is one element plus one chunk (bounded by maxElementBytes).
 *
 * Why split then parse rather than one streaming state machine: a broken element (a lost end
 * tag, a bad entity) is then rejected whole with its raw text, and parsing resumes at the next
 * element start, which is exactly the reject-and-continue behaviour the importer wants.
 *
 * Deliberately not supported: DTD-declared entities (never expanded: the only entities are the
 * five predefined ones and numeric references, so no billion-laughs), and element starts hidden
 * inside comments or CDATA *within* an extracted element (Excel never writes either there).
 * UTF-16 parts are refused by the caller (Excel writes UTF-8).
 *
 * Must not import: electron, the store, anything outside node:* and the import folder.
 */
import { Buffer } from 'node:buffer';

/** A well-formedness error inside one slice; its message becomes a reject reason. */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QMARK = 0x3f;
const BANG = 0x21;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const EQUALS = 0x3d;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const AMP = 0x26;
const RBRACKET = 0x5d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 bytes to a string, refusing invalid sequences (never U+FFFD: a replaced
 * character would silently change evidence). Fast path: Buffer's decoder, checked afterwards.
 */
export function utf8(buf: Buffer, start: number, end: number): string {
  const s = buf.toString('utf8', start, end);
  if (s.includes('\uFFFD')) {
    // Either a genuine U+FFFD in the file or invalid bytes: only the strict decoder can tell.
    try {
      fatalUtf8.decode(buf.subarray(start, end));
    } catch {
      throw new XmlError('invalid UTF-8 bytes');
    }
  }
  return s;
}

/** Decodes the predefined entities and numeric character references; anything else is an error. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    out += s.slice(from, amp);
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) throw new XmlError(`bare "&" in text: ${clip(s.slice(amp))}`);
    const ref = s.slice(amp + 1, semi);
    switch (ref) {
      case 'amp':
        out += '&';
        break;
      case 'lt':
        out += '<';
        break;
      case 'gt':
        out += '>';
        break;
      case 'quot':
        out += '"';
        break;
      case 'apos':
        out += "'";
        break;
      default: {
        let code = NaN;
        if (/^#x[0-9a-fA-F]{1,6}$/.test(ref)) code = parseInt(ref.slice(2), 16);
        else if (/^#[0-9]{1,7}$/.test(ref)) code = parseInt(ref.slice(1), 10);
        if (!Number.isFinite(code)) throw new XmlError(`unknown entity &${clip(ref)};`);
        // NUL, lone surrogates and out-of-range code points are not XML characters.
        if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          throw new XmlError(`invalid character reference &${ref};`);
        }
        out += String.fromCodePoint(code);
      }
    }
    from = semi + 1;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

function clip(s: string): string {
  return s.length > 20 ? `${s.slice(0, 20)}…` : s;
}

/** One-character strings for ASCII bytes: building short strings without crossing into C++. */
const ASCII: string[] = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
/** Up to this many bytes, plain ASCII is decoded by a JS loop (Buffer#toString costs more). */
const SHORT = 48;

/**
 * Short plain text (printable ASCII, no `&`, no `<`) decoded in JS; null when the slow path is
 * needed. Most cell values, references and style ids are like this.
 */
function shortAscii(buf: Buffer, start: number, end: number): string | null {
  if (end - start > SHORT) return null;
  let s = '';
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    // Control characters (tab, LF, CR) take the slow path: it normalises them where required.
    if (b >= 0x80 || b < 0x20 || b === AMP || b === LT) return null;
    s += ASCII[b]!;
  }
  return s;
}

/**
 * Text content as the XML spec delivers it: UTF-8 checked, literal CRLF / CR normalised to LF
 * (XML 1.0 §2.11, before references are expanded, so `&#13;` stays a CR), references decoded.
 */
export function decodeText(buf: Buffer, start: number, end: number): string {
  const fast = shortAscii(buf, start, end);
  if (fast !== null) return fast;
  let s = utf8(buf, start, end);
  if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
  return decodeEntities(s);
}

/** An attribute value: UTF-8 checked, whitespace characters normalised, references decoded. */
function decodeAttr(buf: Buffer, start: number, end: number, name: string): string {
  const fast = shortAscii(buf, start, end);
  if (fast !== null) return fast;
  let v = utf8(buf, start, end);
  if (v.includes('<')) throw new XmlError(`"<" inside an attribute of <${name}>`);
  // Attribute-value normalisation (XML 1.0 §3.3.3): literal whitespace characters become spaces.
  if (/[\t\n\r]/.test(v)) v = v.replace(/\r\n|[\t\n\r]/g, ' ');
  return decodeEntities(v);
}

/**
 * Element and attribute names are few and short: they are decoded once and then looked up by
 * their bytes packed into a number (exact for up to 6 bytes, so no collisions).
 */
const NAME_CACHE = new Map<number, string>();

function nameString(buf: Buffer, start: number, end: number): string {
  const len = end - start;
  if (len > 6) return buf.toString('latin1', start, end);
  let key = len;
  for (let i = start; i < end; i++) key = key * 256 + buf[i]!;
  let s = NAME_CACHE.get(key);
  if (s === undefined) {
    s = buf.toString('latin1', start, end);
    if (NAME_CACHE.size < 4096) NAME_CACHE.set(key, s);
  }
  return s;
}

/**
 * The attributes of the tag being visited. One instance is reused for every tag of a walk:
 * handlers read it synchronously and must not keep it.
 */
export class Attrs {
  readonly names: string[] = [];
  readonly values: string[] = [];
  /** Number of attributes of the current tag (the arrays are reused, longer ones kept). */
  length = 0;

  /** Value of the attribute with this local name (prefix ignored: `r:id` answers `id`). */
  get(local: string): string | null {
    for (let i = 0; i < this.length; i++) {
      const n = this.names[i]!;
      if (
        n === local ||
        (n.endsWith(local) && n.charCodeAt(n.length - local.length - 1) === COLON)
      ) {
        return this.values[i]!;
      }
    }
    return null;
  }

  clear(): void {
    this.length = 0;
  }

  add(name: string, value: string): void {
    this.names[this.length] = name;
    this.values[this.length] = value;
    this.length++;
  }
}

/** Strips a namespace prefix: `x:row` → `row`. */
export function localName(qname: string): string {
  const c = qname.indexOf(':');
  return c < 0 ? qname : qname.slice(c + 1);
}

/**
 * Finds the `>` closing the tag opened at `lt`, skipping quoted attribute values (a `>` is legal
 * inside them). Returns -1 when the buffer ends first.
 */
export function findTagEnd(buf: Buffer, from: number, end = buf.length): number {
  let quote = 0;
  for (let i = from; i < end; i++) {
    const b = buf[i]!;
    if (quote !== 0) {
      if (b === quote) quote = 0;
    } else if (b === DQUOTE || b === SQUOTE) {
      quote = b;
    } else if (b === GT) {
      return i;
    }
  }
  return -1;
}

/** Reads the qualified name starting at `i`; returns its end index. */
function nameEnd(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const b = buf[i]!;
    if (isSpace(b) || b === GT || b === SLASH || b === EQUALS) break;
    i++;
  }
  return i;
}

/**
 * Parses the start tag `buf[lt..gt]` (inclusive of `<` and `>`) into `attrs`; returns its
 * qualified name. Throws XmlError on bad attribute syntax.
 */
export function parseStartTag(buf: Buffer, lt: number, gt: number, attrs: Attrs): string {
  attrs.clear();
  const ne = nameEnd(buf, lt + 1, gt);
  if (ne === lt + 1) throw new XmlError('tag without a name');
  const name = nameString(buf, lt + 1, ne);
  let i = ne;
  const stop = buf[gt - 1] === SLASH ? gt - 1 : gt;
  for (;;) {
    const before = i;
    while (i < stop && isSpace(buf[i]!)) i++;
    if (i >= stop) break;
    if (i === before) throw new XmlError(`missing space before an attribute in <${name}>`);
    const an = nameEnd(buf, i, stop);
    if (an === i) throw new XmlError(`malformed attribute in <${name}>`);
    const aname = nameString(buf, i, an);
    i = an;
    while (i < stop && isSpace(buf[i]!)) i++;
    if (buf[i] !== EQUALS) throw new XmlError(`attribute ${aname} without a value in <${name}>`);
    i++;
    while (i < stop && isSpace(buf[i]!)) i++;
    const q = buf[i];
    if (q !== DQUOTE && q !== SQUOTE)
      throw new XmlError(`unquoted attribute ${aname} in <${name}>`);
    let close = i + 1;
    while (close < stop && buf[close] !== q) close++;
    if (close >= stop) throw new XmlError(`unterminated attribute ${aname} in <${name}>`);
    attrs.add(aname, decodeAttr(buf, i + 1, close, name));
    i = close + 1;
  }
  return name;
}

export interface XmlVisitor {
  /** A start (or empty-element) tag; `local` has its namespace prefix stripped. */
  open(local: string, attrs: Attrs, selfClosing: boolean): void;
  close(local: string): void;
  /** Raw text between tags (`cdata` true for a CDATA section): decode only what you need. */
  text(buf: Buffer, start: number, end: number, cdata: boolean): void;
}

/**
 * Walks one complete slice strictly. Throws XmlError on anything malformed, including a slice
 * that ends with open elements.
 */
export function walkXml(buf: Buffer, visitor: XmlVisitor, attrs: Attrs = new Attrs()): void {
  const end = buf.length;
  const stack: string[] = [];
  let pos = 0;
  while (pos < end) {
    // Text runs inside rows are short: a JS scan beats a native indexOf call here.
    let lt = pos;
    while (lt < end && buf[lt] !== LT) lt++;
    if (lt === end) {
      visitor.text(buf, pos, end, false);
      break;
    }
    if (lt > pos) visitor.text(buf, pos, lt, false);
    const b = buf[lt + 1];
    if (b === SLASH) {
      let gt = lt + 2;
      while (gt < end && buf[gt] !== GT) gt++;
      if (gt === end) throw new XmlError('unterminated end tag');
      let ne = gt;
      while (ne > lt + 2 && isSpace(buf[ne - 1]!)) ne--;
      const qname = nameString(buf, lt + 2, ne);
      const top = stack.pop();
      if (top === undefined) throw new XmlError(`unexpected </${qname}>`);
      if (top !== qname) throw new XmlError(`</${qname}> does not close <${top}>`);
      visitor.close(localName(qname));
      pos = gt + 1;
    } else if (b === QMARK) {
      const e = buf.indexOf('?>', lt + 2, 'latin1');
      if (e < 0) throw new XmlError('unterminated processing instruction');
      pos = e + 2;
    } else if (b === BANG) {
      if (buf.toString('latin1', lt, lt + 4) === '<!--') {
        const e = buf.indexOf('-->', lt + 4, 'latin1');
        if (e < 0) throw new XmlError('unterminated comment');
        pos = e + 3;
      } else if (buf.toString('latin1', lt, lt + 9) === '<![CDATA[') {
        const e = buf.indexOf(']]>', lt + 9, 'latin1');
        if (e < 0) throw new XmlError('unterminated CDATA section');
        visitor.text(buf, lt + 9, e, true);
        pos = e + 3;
      } else {
        throw new XmlError('unexpected markup declaration');
      }
    } else {
      const gt = findTagEnd(buf, lt + 1, end);
      if (gt < 0) throw new XmlError('unterminated tag');
      const qname = parseStartTag(buf, lt, gt, attrs);
      const selfClosing = buf[gt - 1] === SLASH;
      if (!selfClosing) stack.push(qname);
      visitor.open(localName(qname), attrs, selfClosing);
      pos = gt + 1;
    }
  }
  if (stack.length > 0) throw new XmlError(`<${stack[stack.length - 1]}> is not closed`);
}

/**
 * A growable byte window: chunks are appended at the end, consumed bytes dropped at the front.
 * Appending copies only the new chunk (amortised), so a long element arriving in many small
 * chunks costs linear time, not quadratic.
 */
export class ByteQueue {
  private buf: Buffer;
  private start = 0;
  private end = 0;
  /** Bytes dropped from the front so far: absolute offset of view()[0]. */
  dropped = 0;
  /** Largest number of bytes held at once (for the bounded-memory tests and meta). */
  peak = 0;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Uint8Array): void {
    const len = chunk.length;
    if (len === 0) return;
    if (this.end + len > this.buf.length) {
      const live = this.end - this.start;
      if (live + len <= this.buf.length && this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let cap = this.buf.length * 2;
        while (cap < live + len) cap *= 2;
        const next = Buffer.allocUnsafe(cap);
        this.buf.copy(next, 0, this.start, this.end);
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += len;
    if (this.end - this.start > this.peak) this.peak = this.end - this.start;
  }

  /** The held bytes; valid until the next append. */
  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  drop(n: number): void {
    this.start += n;
    this.dropped += n;
    if (this.start >= this.end) {
      this.start = 0;
      this.end = 0;
    }
  }
}

export interface SplitterHandler {
  /** A complete element, `<name …>…</name>` or `<name …/>`, and the offset of its `<`. */
  element(bytes: Buffer, offset: number): void;
  /**
   * An element that cannot be delimited: the next one starts before its end tag, it is larger
   * than maxElementBytes (then only its first bytes are given), or the input ends inside it.
   */
  broken(bytes: Buffer, offset: number, reason: string): void;
  /** Any other start tag met outside extracted elements (`<dimension>`, `<sst>`…). */
  tag?(local: string, bytes: Buffer, offset: number): void;
  /** Any end tag met outside extracted elements (`</sheetData>`: the data is complete). */
  endTag?(local: string): void;
}

export interface SplitResult {
  /** True when the input ended inside an element or a tag. */
  truncated: boolean;
  reason?: string;
}

/** The bytes that may follow an element name in a start or end tag. */
function isNameDelimiter(b: number): boolean {
  return isSpace(b) || b === GT || b === SLASH;
}

/**
 * Extracts every `target` element (by local name, any prefix) from a chunked XML stream.
 * See the module comment for the guarantees.
 */
export class ElementSplitter {
  private readonly q = new ByteQueue();
  /** Position (relative to the queue's view) where scanning resumes. */
  private pos = 0;
  private state: 'scan' | 'element' | 'skip' = 'scan';
  // The pending element (state 'element'), positions relative to the view.
  private elStart = 0;
  private contentFrom = 0;
  private closeFrom = 0;
  private openFrom = 0;
  private closeMarker: Buffer = Buffer.alloc(0);
  private openMarker: Buffer = Buffer.alloc(0);
  private qname = '';

  constructor(
    private readonly target: string,
    private readonly handler: SplitterHandler,
    private readonly maxElementBytes = 64 * 1024 * 1024,
  ) {}

  /** Largest number of bytes buffered at once. */
  get peakBufferedBytes(): number {
    return this.q.peak;
  }

  push(chunk: Uint8Array): void {
    this.q.append(chunk);
    this.process(false);
  }

  end(): SplitResult {
    return this.process(true);
  }

  private process(final: boolean): SplitResult {
    const data = this.q.view();
    const n = data.length;
    let result: SplitResult = { truncated: false };
    for (;;) {
      if (this.state === 'scan') {
        const lt = data.indexOf(LT, this.pos);
        if (lt < 0) {
          this.pos = n;
          break;
        }
        this.pos = lt;
        const step = this.scanMarkup(data, lt, n, final);
        if (step === -1) {
          if (final) result = { truncated: true, reason: 'the XML ends inside a tag' };
          break;
        }
        this.pos = step;
      } else if (this.state === 'element') {
        const step = this.scanElement(data, n, final);
        if (step === -1) {
          if (final) {
            this.handler.broken(
              data.subarray(this.elStart, n),
              this.q.dropped + this.elStart,
              `the data ends inside this <${this.qname}> (truncated)`,
            );
            result = { truncated: true, reason: `the XML ends inside a <${this.qname}> element` };
            this.pos = n;
            this.state = 'scan';
          }
          break;
        }
        this.pos = step;
      } else {
        // After an oversized element: discard until the next element of ours starts.
        const idx = this.findMarker(data, this.openMarker, this.pos, n);
        if (idx < 0) {
          this.pos = Math.max(this.pos, n - this.openMarker.length - 1);
          if (final) this.pos = n;
          break;
        }
        this.pos = idx;
        this.state = 'scan';
      }
    }
    // Drop what is consumed; keep the pending element or tag from its first byte.
    const keepFrom = this.state === 'element' ? this.elStart : this.pos;
    this.q.drop(keepFrom);
    this.pos -= keepFrom;
    if (this.state === 'element') {
      this.elStart -= keepFrom;
      this.contentFrom -= keepFrom;
      this.closeFrom -= keepFrom;
      this.openFrom -= keepFrom;
    }
    return result;
  }

  /**
   * Handles the markup starting at `lt` outside an element: returns where scanning resumes, or
   * -1 to wait for more bytes.
   */
  private scanMarkup(data: Buffer, lt: number, n: number, final: boolean): number {
    if (n - lt < 2) return final ? n : -1;
    const b = data[lt + 1]!;
    if (b === BANG) {
      if (n - lt < 9 && !final) return -1;
      if (data.toString('latin1', lt, lt + 4) === '<!--') {
        const e = data.indexOf('-->', lt + 4, 'latin1');
        return e < 0 ? -1 : e + 3;
      }
      if (data.toString('latin1', lt, lt + 9) === '<![CDATA[') {
        const e = data.indexOf(']]>', lt + 9, 'latin1');
        return e < 0 ? -1 : e + 3;
      }
      // <!DOCTYPE …> possibly with an internal subset in brackets: skipped, never expanded.
      let depth = 0;
      for (let i = lt + 2; i < n; i++) {
        const c = data[i]!;
        if (c === LBRACKET) depth++;
        else if (c === RBRACKET) depth--;
        else if (c === GT && depth <= 0) return i + 1;
      }
      return -1;
    }
    if (b === QMARK) {
      const e = data.indexOf('?>', lt + 2, 'latin1');
      return e < 0 ? -1 : e + 2;
    }
    if (b === SLASH) {
      const e = data.indexOf(GT, lt + 2);
      if (e < 0) return -1;
      this.handler.endTag?.(localName(data.toString('latin1', lt + 2, e).trimEnd()));
      return e + 1;
    }
    const gt = findTagEnd(data, lt + 1, n);
    if (gt < 0) return -1;
    const ne = nameEnd(data, lt + 1, gt);
    const qname = data.toString('latin1', lt + 1, ne);
    const local = localName(qname);
    if (local !== this.target) {
      this.handler.tag?.(local, data.subarray(lt, gt + 1), this.q.dropped + lt);
      return gt + 1;
    }
    if (data[gt - 1] === SLASH) {
      this.handler.element(data.subarray(lt, gt + 1), this.q.dropped + lt);
      return gt + 1;
    }
    if (qname !== this.qname) {
      this.qname = qname;
      this.closeMarker = Buffer.from(`</${qname}`, 'latin1');
      this.openMarker = Buffer.from(`<${qname}`, 'latin1');
    }
    this.state = 'element';
    this.elStart = lt;
    this.contentFrom = gt + 1;
    this.closeFrom = gt + 1;
    this.openFrom = gt + 1;
    return this.scanElement(data, n, final);
  }

  /**
   * Looks for the end of the pending element. Returns where scanning resumes once it is handed
   * over (whole or broken), or -1 to wait for more bytes.
   */
  private scanElement(data: Buffer, n: number, final: boolean): number {
    const close = this.findMarker(data, this.closeMarker, this.closeFrom, n);
    const next = this.findMarker(data, this.openMarker, this.openFrom, n);
    if (next >= 0 && (close < 0 || next < close)) {
      // Elements of ours never nest: the end tag was lost.
      this.handler.broken(
        data.subarray(this.elStart, next),
        this.q.dropped + this.elStart,
        `<${this.qname}> is not closed before the next <${this.qname}>`,
      );
      this.state = 'scan';
      return next;
    }
    if (close >= 0) {
      const gt = data.indexOf(GT, close + this.closeMarker.length);
      if (gt >= 0) {
        if (gt + 1 - this.elStart > this.maxElementBytes) {
          // Judged on the whole element too, so the outcome does not depend on chunk sizes.
          this.tooLarge(data);
        } else {
          this.handler.element(data.subarray(this.elStart, gt + 1), this.q.dropped + this.elStart);
        }
        this.state = 'scan';
        return gt + 1;
      }
      this.closeFrom = close;
    } else {
      this.closeFrom = Math.max(this.contentFrom, n - this.closeMarker.length);
    }
    this.openFrom = Math.max(this.contentFrom, n - this.openMarker.length);
    if (final) return -1;
    if (n - this.elStart > this.maxElementBytes) {
      this.tooLarge(data);
      this.state = 'skip';
      return n;
    }
    return -1;
  }

  private tooLarge(data: Buffer): void {
    this.handler.broken(
      data.subarray(this.elStart, this.elStart + 64 * 1024),
      this.q.dropped + this.elStart,
      `<${this.qname}> is larger than ${this.maxElementBytes} bytes (limit)`,
    );
  }

  /** Next `marker` followed by a name delimiter, or -1 (also when the delimiter is not in yet). */
  private findMarker(data: Buffer, marker: Buffer, from: number, n: number): number {
    let i = from;
    for (;;) {
      const idx = data.indexOf(marker, i);
      if (idx < 0) return -1;
      const f = idx + marker.length;
      if (f >= n) return -1;
      if (isNameDelimiter(data[f]!)) return idx;
      i = idx + 1;
    }
  }
}
