/**
 * CSV output (RFC 4180: CRLF line ends, fields quoted when they hold the delimiter, a quote, a
 * line break or edge whitespace; quotes doubled), with a choice of delimiter (, ; TAB |) and an
 * optional UTF-8 byte-order mark (what Excel needs to read UTF-8 accents), and the parser that
 * reads such a file back for verification.
 *
 * Formula guard: a cell that Excel or LibreOffice would evaluate (starting with =, @, or + / -
 * not followed by a plain number, or a tab / carriage return) is written with a leading
 * apostrophe (OWASP "CSV injection"): an export handed to a prosecutor must not run anything
 * when opened. Phone numbers (+33 6…) and negative numbers are left alone.
 *
 * Null (absent) and empty values are both written as an empty field: CSV cannot tell them apart.
 */
import { LeakscopeError } from '../../../shared/errors';
import type { FileSink } from './sink';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export interface CsvOptions {
  delimiter: CsvDelimiter;
  bom: boolean;
}

const NUMBERISH = /^[+-][\d\s().]*$/;

export function guardFormula(v: string): string {
  if (v.length === 0) return v;
  const c = v[0]!;
  if (c === '=' || c === '@' || c === '\t' || c === '\r') return `'${v}`;
  if ((c === '+' || c === '-') && !NUMBERISH.test(v)) return `'${v}`;
  return v;
}

export class CsvWriter {
  private readonly needsQuote: RegExp;

  constructor(
    private readonly sink: FileSink,
    private readonly options: CsvOptions,
  ) {
    const d =
      options.delimiter === '|' ? '\\|' : options.delimiter === '\t' ? '\\t' : options.delimiter;
    this.needsQuote = new RegExp(`[${d}"\\r\\n]|^\\s|\\s$`);
    if (options.bom) sink.write('\ufeff');
  }

  field(v: string | null): string {
    if (v === null || v.length === 0) return '';
    const g = guardFormula(v);
    return this.needsQuote.test(g) ? `"${g.replaceAll('"', '""')}"` : g;
  }

  row(values: readonly (string | number | null)[]): void {
    let line = '';
    for (let i = 0; i < values.length; i++) {
      if (i) line += this.options.delimiter;
      const v = values[i];
      line += typeof v === 'number' ? String(v) : this.field(v ?? null);
    }
    this.sink.write(`${line}\r\n`);
  }
}

/**
 * Streams the records of a CSV file written by CsvWriter (strict RFC 4180; a BOM is skipped).
 * Yields each record's fields; a malformed file throws (verification then refuses the export).
 */
export async function* readCsvRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let afterQuote = false;
  let first = true;
  let pendingCr = false;
  for await (let chunk of chunks) {
    if (first) {
      if (chunk.startsWith('\ufeff')) chunk = chunk.slice(1);
      first = false;
    }
    const out: string[][] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (pendingCr) {
        pendingCr = false;
        if (c === '\n') {
          start = i + 1;
          continue;
        }
      }
      if (inQuotes) {
        if (c === '"') {
          field += chunk.slice(start, i);
          inQuotes = false;
          afterQuote = true;
          start = i + 1;
        }
        continue;
      }
      if (c === '"') {
        if (afterQuote) {
          // A doubled quote inside a quoted field.
          field += '"';
          inQuotes = true;
          afterQuote = false;
          start = i + 1;
          continue;
        }
        if (i !== start || field.length) {
          throw new LeakscopeError(
            'E_INTERNAL',
            'the CSV written does not parse back: stray quote',
          );
        }
        inQuotes = true;
        start = i + 1;
        continue;
      }
      if (c === delimiter || c === '\r' || c === '\n') {
        field += chunk.slice(start, i);
        record.push(field);
        field = '';
        afterQuote = false;
        start = i + 1;
        if (c !== delimiter) {
          out.push(record);
          record = [];
          if (c === '\r') pendingCr = true;
        }
        continue;
      }
      if (afterQuote) {
        throw new LeakscopeError(
          'E_INTERNAL',
          'the CSV written does not parse back: text after a closing quote',
        );
      }
    }
    if (start < chunk.length) field += chunk.slice(start);
    yield* out;
  }
  if (inQuotes)
    throw new LeakscopeError('E_INTERNAL', 'the CSV written ends inside a quoted field');
  if (field.length || record.length) {
    record.push(field);
    yield record;
  }
}
