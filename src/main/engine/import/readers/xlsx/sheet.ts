/**
 * One worksheet, streamed: decompressed chunks of the sheet XML in, records out. The sheet XML
 * is never held whole: the ElementSplitter hands over one `<row>` at a time, which is parsed
 * strictly into positional values.
 *
 * What a record is:
 *  - one `<row>` with at least one non-empty cell; its values are positional from column A
 *    (a gap between B and D gives a null for C; trailing empty cells are simply absent);
 *    empty cells, and cells holding only a formula without a cached value, are null;
 *  - rows that are missing (the `r` numbers jump) are not records; rows present but empty
 *    (only formatting) are not records either (counted in emptyRows);
 *  - provenance: `line` = the Excel row number (`r`, or the previous one plus one when absent);
 *    `offset` = byte offset of the `<row` tag in the DECOMPRESSED sheet XML (not an offset in the
 *    .xlsx file, which is compressed: re-inflate the member to find the row).
 *
 * Cell values (see values.ts for dates): shared and inline strings as text (rich-text runs
 * joined, `_xHHHH_` decoded); numbers as the text stored in `<v>` (number formats are not
 * applied: 0.15 shown as 15% stays "0.15"; a phone number typed as a number already lost its
 * leading zero inside the file, "612345678", and cannot be restored); booleans TRUE / FALSE;
 * errors as written (#N/A); `t="str"` formula results and `t="d"` ISO dates as written.
 *
 * Hidden rows and columns, filtered-out rows and rows outside any print area are imported like
 * the others (the file holds them; Excel only hides them). A merged range keeps its value in its
 * top-left cell; the other cells of the range are null, as stored.
 *
 * Header: the first non-empty (and well-formed) row is the header (names trimmed and deduplicated as in the CSV
 * reader: `email`, `email_2`, empty → `col_<n>`), unless it looks like data: when more than half
 * of its non-empty cells are numbers, booleans, dates, or strings that look like emails, numbers
 * or dates, there is no header and columns are `col_1…col_n`. A record wider than the columns
 * declared so far extends them (`col_<n>`); nothing is dropped.
 *
 * Rejects: a row whose XML is broken (unclosed or mismatched tags, bad entity, bad cell
 * reference, a shared string index out of range, a cell beyond column XFD, two cells in one
 * place, or the row cut by the end of the data) becomes one reject with its raw XML (first
 * 64 KiB); reading resumes at the next `<row>`.
 *
 * Must not import: electron, the store, anything outside node:* and the import folder.
 */
import type { Buffer } from 'node:buffer';
import type { ColumnSpec, RecordSink } from '../../types';
import { RichTextCollector, dateKindOf, type SharedStrings } from './parts';
import {
  MAX_COLUMNS,
  NOT_DATE,
  columnLetters,
  columnOfRef,
  decodeXEscapes,
  serialToIso,
  type DateKind,
} from './values';
import {
  Attrs,
  ElementSplitter,
  XmlError,
  decodeText,
  utf8,
  walkXml,
  type SplitResult,
  type XmlVisitor,
} from './xml';

/** Rejects keep at most this much raw XML. */
export const MAX_RAW_BYTES = 64 * 1024;
/** Excel's row limit. */
const MAX_ROW_NUMBER = 1_048_576;

export interface SheetOptions {
  /** Table name in the sink: the sheet's name. */
  table: string;
  sst: Pick<SharedStrings, 'strings' | 'errors' | 'note'>;
  /** Date kind per cell style index (cellXfs). */
  dateKinds: readonly DateKind[];
  date1904: boolean;
  /** A `<row>` larger than this is rejected (its first 64 KiB kept) and skipped. */
  maxRowBytes: number;
}

export interface SheetStats {
  rows: number;
  rejects: number;
  emptyRows: number;
  dateCells: number;
  /** Excel row number of the header, or 0 when the sheet has no header row. */
  headerRow: number;
  columns: number;
  /** The `<dimension ref>` the writer declared (A1:F200), '' when absent. */
  dimension: string;
  peakBufferedBytes: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER_LIKE = /^[+-]?[\d(][\d\s().,/-]*$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/;

/** Parses one complete `<row>` slice into values. Reused across rows. */
class RowParser implements XmlVisitor {
  values: (string | null)[] = [];
  rowNumber = 0;
  /** Columns whose cell type says "data" (number, boolean, error, date): for the header heuristic. */
  typedCols: number[] = [];
  dateCells = 0;
  private depth = 0;
  private prevCol = -1;
  private inCell = false;
  private col = 0;
  private ref = '';
  private type = 'n';
  private style = 0;
  private v: string | null = null;
  private inV = false;
  private isText: string | null = null;
  private inIs = false;
  private readonly rich = new RichTextCollector();
  readonly attrs = new Attrs();

  constructor(private readonly opts: SheetOptions) {}

  parse(bytes: Buffer, previousRow: number): void {
    this.values = [];
    this.rowNumber = previousRow + 1;
    this.typedCols = [];
    this.dateCells = 0;
    this.depth = 0;
    this.prevCol = -1;
    this.inCell = false;
    this.inV = false;
    this.inIs = false;
    walkXml(bytes, this, this.attrs);
    const vals = this.values;
    let last = vals.length - 1;
    while (last >= 0 && (vals[last] === undefined || vals[last] === null)) last--;
    if (last + 1 < vals.length) vals.length = last + 1;
    for (let i = 0; i <= last; i++) if (vals[i] === undefined) vals[i] = null;
  }

  open(local: string, attrs: Attrs, selfClosing: boolean): void {
    const depth = this.depth;
    if (depth === 0) {
      if (local !== 'row') throw new XmlError(`expected <row>, found <${local}>`);
      const r = attrs.get('r');
      if (r !== null) {
        const n = /^\d{1,7}$/.test(r) ? Number(r) : NaN;
        if (!(n >= 1 && n <= MAX_ROW_NUMBER)) throw new XmlError(`malformed row number r="${r}"`);
        this.rowNumber = n;
      }
    } else if (depth === 1) {
      if (local === 'c') this.startCell(attrs, selfClosing);
    } else if (depth === 2) {
      if (this.inCell) {
        if (local === 'v') {
          if (selfClosing) this.v = '';
          else {
            this.inV = true;
            this.v = '';
          }
        } else if (local === 'is') {
          this.rich.reset();
          if (selfClosing) this.isText = '';
          else this.inIs = true;
        }
      }
    } else if (this.inIs) {
      this.rich.open(local, attrs, selfClosing);
    }
    if (!selfClosing) this.depth++;
  }

  close(local: string): void {
    const depth = --this.depth;
    if (depth === 2) {
      if (local === 'v' && this.inV) this.inV = false;
      else if (local === 'is' && this.inIs) {
        this.inIs = false;
        this.isText = this.rich.value;
      }
    } else if (depth === 1) {
      if (local === 'c' && this.inCell) this.finishCell();
    } else if (depth >= 3 && this.inIs) {
      this.rich.close();
    }
  }

  text(buf: Buffer, start: number, end: number, cdata: boolean): void {
    if (this.inV) {
      if (this.depth === 3) this.v += cdata ? utf8(buf, start, end) : decodeText(buf, start, end);
    } else if (this.inIs) {
      this.rich.text(buf, start, end, cdata);
    }
  }

  private startCell(attrs: Attrs, selfClosing: boolean): void {
    const ref = attrs.get('r');
    this.col = ref === null ? this.prevCol + 1 : columnOfRef(ref);
    if (this.col >= MAX_COLUMNS) {
      throw new XmlError(`a cell is beyond column XFD (Excel's ${MAX_COLUMNS} columns)`);
    }
    this.ref = ref ?? `${columnLetters(this.col)}${this.rowNumber}`;
    this.type = attrs.get('t') ?? 'n';
    const s = attrs.get('s');
    this.style = s === null ? 0 : Number(s) | 0;
    this.v = null;
    this.isText = null;
    this.inCell = true;
    if (selfClosing) this.finishCell();
  }

  private finishCell(): void {
    this.inCell = false;
    const col = this.col;
    this.prevCol = col;
    if (this.values[col] !== undefined) {
      throw new XmlError(`two cells at ${this.ref}`);
    }
    const value = this.cellValue();
    this.values[col] = value;
  }

  /** The text Leakscope keeps for the cell just closed (see the module comment). */
  private cellValue(): string | null {
    const v = this.v;
    switch (this.type) {
      case 's': {
        if (v === null) return null;
        const idx = indexOf(v);
        const { strings, errors } = this.opts.sst;
        if (!(idx < strings.length)) {
          throw new XmlError(
            `cell ${this.ref} refers to shared string ${v.trim().slice(0, 20)}, but the table has ${strings.length}` +
              (this.opts.sst.note ? ` (${this.opts.sst.note})` : ''),
          );
        }
        const err = errors.get(idx);
        if (err !== undefined) {
          throw new XmlError(
            `cell ${this.ref} refers to shared string ${idx}, which is corrupt: ${err}`,
          );
        }
        return strings[idx]!;
      }
      case 'inlineStr':
        if (this.isText !== null) return decodeXEscapes(this.isText);
        return v === null ? null : decodeXEscapes(v);
      case 'str':
        return v === null ? null : decodeXEscapes(v);
      case 'b':
        if (v === null) return null;
        this.typedCols.push(this.col);
        return v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
      case 'e':
      case 'd':
        if (v === null) return null;
        this.typedCols.push(this.col);
        return v;
      default: {
        // 'n' and anything unknown: the stored text.
        if (v === null) return null;
        this.typedCols.push(this.col);
        const kind = dateKindOf(this.opts.dateKinds, this.style);
        if (kind !== NOT_DATE && v.trim() !== '') {
          const iso = serialToIso(Number(v), kind, this.opts.date1904);
          if (iso !== null) {
            this.dateCells++;
            return iso;
          }
        }
        return v;
      }
    }
  }
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A shared string index (`<v>12</v>`, surrounding whitespace allowed), or NaN. */
function indexOf(v: string): number {
  const len = v.length;
  let i = 0;
  while (i < len && isXmlSpace(v.charCodeAt(i))) i++;
  const start = i;
  let n = 0;
  for (; i < len; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  const digits = i - start;
  while (i < len && isXmlSpace(v.charCodeAt(i))) i++;
  return i === len && digits > 0 && digits <= 10 ? n : NaN;
}

/** Trimmed, deduplicated header names; same rule as the CSV reader. */
function headerNames(fields: readonly (string | null)[]): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  const base = fields.map((f, i) => (f ?? '').trim() || `col_${i + 1}`);
  for (let i = 0; i < base.length; i++) {
    let name = base[i]!;
    if (used.has(name.toLowerCase())) {
      let k = 2;
      while (used.has(`${base[i]}_${k}`.toLowerCase())) k++;
      name = `${base[i]}_${k}`;
    }
    used.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

/**
 * The first-row heuristic: does this row look like data rather than column names? True when
 * more than half of its non-empty cells are typed values (number, boolean, error, date) or
 * strings that look like an email, a number or a date.
 */
function looksLikeData(values: readonly (string | null)[], typedCols: readonly number[]): boolean {
  const typed = new Set(typedCols);
  let nonEmpty = 0;
  let dataLike = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v.trim() === '') continue;
    nonEmpty++;
    const t = v.trim();
    if (typed.has(i) || EMAIL.test(t) || NUMBER_LIKE.test(t) || DATE_LIKE.test(t)) dataLike++;
  }
  return dataLike * 2 > nonEmpty;
}

function rowNumberOf(bytes: Buffer): number | null {
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 512));
  const m = /^<(?:[\w.-]+:)?row\b[^>]*?\sr\s*=\s*["'](\d{1,7})["']/.exec(head);
  return m ? Number(m[1]) : null;
}

function rawOf(bytes: Buffer): string {
  return bytes.toString('utf8', 0, Math.min(bytes.length, MAX_RAW_BYTES));
}

/** Streams one sheet's XML into the sink; see the module comment. */
export class SheetParser {
  readonly stats: SheetStats = {
    rows: 0,
    rejects: 0,
    emptyRows: 0,
    dateCells: 0,
    headerRow: 0,
    columns: 0,
    dimension: '',
    peakBufferedBytes: 0,
  };
  private readonly splitter: ElementSplitter;
  private readonly row: RowParser;
  private readonly columnNames: string[] = [];
  private readonly usedNames = new Set<string>();
  private headerDecided = false;
  private previousRow = 0;
  private sheetDataOpen = false;
  private sheetDataClosed = false;
  private prefix: number[] | null = [];

  constructor(
    private readonly sink: RecordSink,
    private readonly opts: SheetOptions,
  ) {
    this.row = new RowParser(opts);
    // The table exists even when the sheet is empty: one table per sheet.
    sink.columns(opts.table, []);
    this.splitter = new ElementSplitter(
      'row',
      {
        element: (bytes, offset) => this.onRow(bytes, offset),
        broken: (bytes, offset, reason) => this.reject(bytes, offset, reason),
        tag: (local, bytes) => {
          if (local === 'sheetData') this.sheetDataOpen = bytes[bytes.length - 2] !== 0x2f;
          else if (local === 'dimension') {
            const m = /\bref\s*=\s*["']([^"']{1,40})["']/.exec(bytes.toString('latin1'));
            if (m) this.stats.dimension = m[1]!;
          }
        },
        endTag: (local) => {
          if (local === 'sheetData') this.sheetDataClosed = true;
        },
      },
      opts.maxRowBytes,
    );
  }

  push(chunk: Uint8Array): void {
    if (this.prefix !== null) {
      // Refuse UTF-16 (never written by Excel) before any byte is misread as a tag.
      for (let i = 0; i < chunk.length && this.prefix.length < 2; i++) this.prefix.push(chunk[i]!);
      if (this.prefix.length >= 2) {
        const [a, b] = this.prefix;
        if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
          throw new XmlError(
            `the sheet "${this.opts.table}" is UTF-16 encoded; only UTF-8 is supported`,
          );
        }
        this.prefix = null;
      }
    }
    this.splitter.push(chunk);
    this.stats.peakBufferedBytes = this.splitter.peakBufferedBytes;
  }

  /** Ends the sheet; `truncated` when the XML stopped inside a row or before `</sheetData>`. */
  end(): SplitResult {
    const r = this.splitter.end();
    this.stats.peakBufferedBytes = this.splitter.peakBufferedBytes;
    this.stats.columns = this.columnNames.length;
    if (r.truncated) return r;
    if (this.sheetDataOpen && !this.sheetDataClosed) {
      return { truncated: true, reason: 'the sheet XML ends before </sheetData>' };
    }
    return r;
  }

  private reject(bytes: Buffer, offset: number, reason: string): void {
    const r = rowNumberOf(bytes);
    this.previousRow = r ?? this.previousRow + 1;
    this.stats.rejects++;
    this.sink.reject(this.opts.table, {
      line: r,
      offset,
      reason: r === null ? reason : `row ${r}: ${reason}`,
      raw: rawOf(bytes),
    });
  }

  private onRow(bytes: Buffer, offset: number): void {
    const row = this.row;
    try {
      row.parse(bytes, this.previousRow);
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      this.reject(bytes, offset, e.message);
      return;
    }
    this.previousRow = row.rowNumber;
    const values = row.values;
    if (values.length === 0) {
      this.stats.emptyRows++;
      return;
    }
    this.stats.dateCells += row.dateCells;
    if (!this.headerDecided) {
      this.headerDecided = true;
      if (!looksLikeData(values, row.typedCols)) {
        this.stats.headerRow = row.rowNumber;
        this.addColumns(headerNames(values));
        return;
      }
    }
    if (values.length > this.columnNames.length) {
      const extra: string[] = [];
      for (let i = this.columnNames.length; i < values.length; i++) {
        const base = `col_${i + 1}`;
        let name = base;
        for (let k = 2; this.usedNames.has(name.toLowerCase()); k++) name = `${base}_${k}`;
        this.usedNames.add(name.toLowerCase());
        extra.push(name);
      }
      this.addColumns(extra);
    }
    this.stats.rows++;
    this.sink.row(this.opts.table, values, { line: row.rowNumber, offset });
  }

  private addColumns(names: string[]): void {
    const specs: ColumnSpec[] = [];
    for (const name of names) {
      this.columnNames.push(name);
      this.usedNames.add(name.toLowerCase());
      specs.push({ name, path: name });
    }
    this.sink.columns(this.opts.table, specs);
  }
}
