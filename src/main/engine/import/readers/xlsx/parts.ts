/**
 * The workbook-level parts of an XLSX package, read before any sheet: the package relationships
 * (`_rels/.rels`: where the workbook part is), the workbook (`xl/workbook.xml`: sheet names in
 * tab order, their visibility, the 1900/1904 date system), its relationships (which part holds
 * which sheet, the shared strings, the styles), the styles (which cell style is a date format)
 * and the shared strings table.
 *
 * The shared strings table is held in memory as an array (cells refer to it by index, in any
 * order, so it cannot be streamed); it is itself read as a stream, one `<si>` at a time. Its
 * size is bounded by the zip-bomb guard on the part and by maxSharedStringsBytes. Rich text
 * runs (`<r><t>`) are concatenated, phonetic guides (`<rPh>`, furigana) are not part of the
 * displayed text and are left out. Whitespace is kept exactly as written, with or without
 * `xml:space="preserve"` (the file's text is evidence; nothing is trimmed).
 *
 * Must not import: electron, the store, anything outside node:* and the import folder.
 */
import { Buffer } from 'node:buffer';
import { LeakscopeError } from '../../../../../shared/errors';
import { NOT_DATE, builtinDateKind, decodeXEscapes, formatDateKind, type DateKind } from './values';
import { Attrs, ElementSplitter, XmlError, decodeText, walkXml, type XmlVisitor } from './xml';
import { MemberDataError } from './zip';

export type SheetState = 'visible' | 'hidden' | 'veryHidden';

export interface SheetInfo {
  name: string;
  sheetId: string;
  state: SheetState;
  /** Relationship id (`r:id`) pointing at the sheet's part. */
  rid: string;
}

export interface WorkbookInfo {
  date1904: boolean;
  sheets: SheetInfo[];
}

export interface Relationship {
  id: string;
  /** The last segment of the relationship type URI: worksheet, chartsheet, sharedStrings… */
  type: string;
  /** Package part name, resolved and without a leading slash (`xl/worksheets/sheet1.xml`). */
  target: string;
  external: boolean;
}

/** Refuses what this byte-level reader cannot read (UTF-16 parts) and skips a UTF-8 BOM. */
export function partText(buf: Buffer, part: string): Buffer {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new XmlError(`${part} is UTF-16 encoded; only UTF-8 parts are supported`);
  }
  return buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
}

function truthy(v: string | null): boolean {
  return v === '1' || v === 'true';
}

/** `_rels/.rels` → the officeDocument part, or null when the relationship is missing. */
export function parseRootRels(buf: Buffer): string | null {
  for (const rel of parseRels(buf, '').values()) {
    if (rel.type === 'officeDocument' && !rel.external) return rel.target;
  }
  return null;
}

/** Resolves a relationship target against the directory of its source part. */
export function resolveTarget(baseDir: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : baseDir + target;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

/** Parses a `.rels` part; `baseDir` is the source part's directory with a trailing slash. */
export function parseRels(buf: Buffer, baseDir: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  walkXml(partText(buf, 'a relationships part'), {
    open(local, attrs) {
      if (local !== 'Relationship') return;
      const id = attrs.get('Id');
      const type = attrs.get('Type') ?? '';
      const target = attrs.get('Target');
      if (id === null || target === null) return;
      const external = attrs.get('TargetMode') === 'External';
      rels.set(id, {
        id,
        type: type.slice(type.lastIndexOf('/') + 1),
        target: external ? target : resolveTarget(baseDir, decodeURIComponentSafe(target)),
        external,
      });
    },
    close() {},
    text() {},
  });
  return rels;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseWorkbook(buf: Buffer): WorkbookInfo {
  const info: WorkbookInfo = { date1904: false, sheets: [] };
  walkXml(partText(buf, 'the workbook part'), {
    open(local, attrs) {
      if (local === 'workbookPr') {
        info.date1904 = truthy(attrs.get('date1904'));
      } else if (local === 'sheet') {
        const state = attrs.get('state');
        info.sheets.push({
          name: attrs.get('name') ?? `Sheet${info.sheets.length + 1}`,
          sheetId: attrs.get('sheetId') ?? '',
          state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
          // The relationship id is the namespaced `r:id` (any prefix); `id` alone is not it.
          rid: relId(attrs) ?? '',
        });
      }
    },
    close() {},
    text() {},
  });
  return info;
}

function relId(attrs: Attrs): string | null {
  for (let i = 0; i < attrs.length; i++) {
    const n = attrs.names[i]!;
    if (n.endsWith(':id')) return attrs.values[i]!;
  }
  return null;
}

/**
 * styles.xml → the date kind of each cell format (`s` attribute of a cell = index into
 * `<cellXfs>`). `<cellStyleXfs>` also holds `<xf>` elements; they are not cell formats.
 */
export function parseStyles(buf: Buffer): DateKind[] {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  const stack: string[] = [];
  walkXml(partText(buf, 'the styles part'), {
    open(local, attrs, selfClosing) {
      const parent = stack[stack.length - 1];
      if (local === 'numFmt' && parent === 'numFmts') {
        const id = Number(attrs.get('numFmtId'));
        const code = attrs.get('formatCode');
        if (Number.isInteger(id) && code !== null) custom.set(id, code);
      } else if (local === 'xf' && parent === 'cellXfs') {
        const id = Number(attrs.get('numFmtId') ?? '0');
        xfFormats.push(Number.isInteger(id) ? id : 0);
      }
      if (!selfClosing) stack.push(local);
    },
    close() {
      stack.pop();
    },
    text() {},
  });
  return xfFormats.map((id) => {
    const code = custom.get(id);
    // A custom definition wins, even over a built-in id (some writers redefine 14).
    if (code !== undefined) return formatDateKind(code);
    return id < 164 ? builtinDateKind(id) : NOT_DATE;
  });
}

/** What a shared string became: its text, or why it cannot be read. */
export interface SharedStrings {
  strings: string[];
  /** Index → reason, for `<si>` elements that were malformed (cells using them are rejected). */
  errors: Map<number, string>;
  /** True when the part ended early (the remaining indices are missing). */
  truncated: boolean;
  /** Why cells may point past the table (part missing or cut): added to their reject reason. */
  note?: string;
  truncatedReason?: string;
  peakBufferedBytes: number;
}

/**
 * Collects the displayed text of one `<si>` or `<is>` element: `<t>` directly inside it or
 * inside a run `<r>`, never inside a phonetic run `<rPh>`.
 */
export class RichTextCollector implements XmlVisitor {
  value = '';
  private depth = 0;
  /** Depth of the `<t>` being collected, or -1. */
  private tDepth = -1;
  /** Depth of an enclosing `<rPh>`, or -1. */
  private phDepth = -1;

  reset(): void {
    this.value = '';
    this.depth = 0;
    this.tDepth = -1;
    this.phDepth = -1;
  }

  open(local: string, _attrs: Attrs, selfClosing: boolean): void {
    if (selfClosing) return;
    this.depth++;
    if (local === 'rPh' && this.phDepth < 0) this.phDepth = this.depth;
    else if (local === 't' && this.phDepth < 0) this.tDepth = this.depth;
  }

  close(): void {
    if (this.depth === this.tDepth) this.tDepth = -1;
    if (this.depth === this.phDepth) this.phDepth = -1;
    this.depth--;
  }

  text(buf: Buffer, start: number, end: number, cdata: boolean): void {
    if (this.tDepth < 0) return;
    this.value += cdata ? buf.toString('utf8', start, end) : decodeText(buf, start, end);
  }
}

/**
 * Streams the shared strings part into memory. `chunks` is the decompressed part; malformed
 * `<si>` elements keep their index (as an error) so later indices stay aligned. Damaged data
 * (MemberDataError) ends the table where it breaks: what was read is kept, `truncated` says why.
 */
export async function readSharedStrings(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onChunk?: () => void,
): Promise<SharedStrings> {
  const strings: string[] = [];
  const errors = new Map<number, string>();
  const collector = new RichTextCollector();
  const attrs = new Attrs();
  let bytes = 0;
  const splitter = new ElementSplitter('si', {
    element(el) {
      collector.reset();
      try {
        walkXml(el, collector, attrs);
        strings.push(decodeXEscapes(collector.value));
      } catch (e) {
        if (!(e instanceof XmlError)) throw e;
        errors.set(strings.length, e.message);
        strings.push('');
      }
    },
    broken(_bytes, _offset, reason) {
      errors.set(strings.length, reason);
      strings.push('');
    },
  });
  let damage: MemberDataError | null = null;
  try {
    for await (const chunk of chunks) {
      const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (bytes === 0) partText(c, 'the shared strings part');
      bytes += c.length;
      if (bytes > maxBytes) {
        throw new LeakscopeError(
          'E_LIMIT',
          `the shared strings table is larger than ${maxBytes} bytes (it must be held in memory)`,
        );
      }
      splitter.push(c);
      onChunk?.();
    }
  } catch (e) {
    if (!(e instanceof MemberDataError)) throw e;
    damage = e;
  }
  const end = splitter.end();
  const reason = damage
    ? `shared strings: ${damage.message}`
    : end.reason
      ? `shared strings: ${end.reason}`
      : undefined;
  return {
    strings,
    errors,
    truncated: damage !== null || end.truncated,
    ...(reason ? { truncatedReason: reason } : {}),
    peakBufferedBytes: splitter.peakBufferedBytes,
  };
}

/** Index of date kinds by style: `kinds[s]`, NOT_DATE when out of range. */
export function dateKindOf(kinds: readonly DateKind[], s: number): DateKind {
  return s >= 0 && s < kinds.length ? kinds[s]! : NOT_DATE;
}
