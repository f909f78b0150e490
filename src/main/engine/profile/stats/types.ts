/**
 * Type inference per value and per column: integer, decimal, boolean, date (with its format),
 * date-time, or text. Values keep their text in the case (readers never coerce); the type says
 * how they read. A column takes a type when at least 95 % of its sampled non-empty values read
 * that way (a few stray values do not make a date column text), otherwise `text`.
 *
 * Codes with leading zeros ("01000", "0612345678") are text: they are identifiers, and reading
 * them as numbers would lose the zero.
 */
import type { ColumnType } from '../../../../shared/api';
import { parseDate, type ParsedDate } from './dates';

export type ValueType = Exclude<ColumnType, 'empty'>;

const INTEGER = /^[+-]?(?:0|[1-9]\d{0,17})$/;
const DECIMAL = /^[+-]?(?:\d+[.,]\d+|\d+\.|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN = new Set([
  'true',
  'false',
  'yes',
  'no',
  'oui',
  'non',
  'vrai',
  'faux',
  't',
  'f',
  'y',
  'n',
]);

export function valueType(v: string, date: ParsedDate | null): ValueType {
  if (date) return date.time ? 'datetime' : 'date';
  if (INTEGER.test(v)) return 'integer';
  if (DECIMAL.test(v)) return 'decimal';
  if (v.length <= 5 && BOOLEAN.has(v.toLowerCase())) return 'boolean';
  return 'text';
}

export class TypeCounter {
  private readonly counts: Record<ValueType, number> = {
    integer: 0,
    decimal: 0,
    boolean: 0,
    date: 0,
    datetime: 0,
    text: 0,
  };
  private readonly formats = new Map<string, number>();
  private dayFirst = 0;
  private monthFirst = 0;
  private total = 0;

  add(v: string): ParsedDate | null {
    const d = parseDate(v);
    this.counts[valueType(v, d)]++;
    this.total++;
    if (d) {
      this.formats.set(d.format, (this.formats.get(d.format) ?? 0) + 1);
      if (d.order === 'dmy' && d.format.startsWith('DD')) this.dayFirst++;
      if (d.order === 'mdy') this.monthFirst++;
    }
    return d;
  }

  /** True when the column's slash dates read month-first (some day > 12 in second place). */
  get monthFirstColumn(): boolean {
    return this.monthFirst > 0 && this.dayFirst === 0;
  }

  result(): { type: ColumnType; dateFormat: string | null } {
    if (this.total === 0) return { type: 'empty', dateFormat: null };
    const c = this.counts;
    const need = 0.95 * this.total;
    let format: string | null = null;
    if (c.date + c.datetime >= need) {
      format = [...this.formats.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      if (format && this.monthFirstColumn && format.startsWith('DD')) {
        format = format.replace('DD', '#').replace('MM', 'DD').replace('#', 'MM');
      }
      return { type: c.datetime > c.date ? 'datetime' : 'date', dateFormat: format };
    }
    if (c.integer >= need) return { type: 'integer', dateFormat: null };
    if (c.integer + c.decimal >= need) return { type: 'decimal', dateFormat: null };
    if (c.boolean >= need) return { type: 'boolean', dateFormat: null };
    return { type: 'text', dateFormat: null };
  }
}
