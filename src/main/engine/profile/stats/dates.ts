/**
 * Date recognition for type inference and the date-of-birth detector: ISO dates and
 * date-times, French day-first dates (JJ/MM/AAAA, with `-` or `.`), month-first dates (US
 * exports), compact JJMMAAAA / AAAAMMJJ, two-digit years, and written-out dates in French and
 * English ("7 mai 1985", "1er janvier 1990", "May 7, 1985"). Every result is a real calendar
 * date; the format is reported with it so a column's format can be stated.
 *
 * `order` says how a numeric date was read: slash dates whose two first fields are both ≤ 12
 * are `either` (day-first by default, as in French files); the column decides (dates.ts does
 * not guess from one value).
 */

export interface ParsedDate {
  y: number;
  m: number;
  d: number;
  /** 'YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DDMMYYYY', 'D MMMM YYYY'... */
  format: string;
  /** Carries a time of day. */
  time: boolean;
  /** For numeric day/month dates: how the fields were read. */
  order: 'ymd' | 'dmy' | 'mdy' | 'either';
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 2999) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS[m - 1]!);
}

const MONTHS: Readonly<Record<string, number>> = {
  janvier: 1,
  fevrier: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  decembre: 12,
  janv: 1,
  fevr: 2,
  fev: 2,
  avr: 4,
  juil: 7,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const YMD_SLASH = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const COMPACT = /^\d{8}$/;
const WRITTEN_DMY =
  /^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday),? )?(\d{1,2})(?:er|st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})$/;
const WRITTEN_MDY = /^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Two-digit years: 00–29 → 2000s, 30–99 → 1900s (as spreadsheet software does). */
function fullYear(yy: string): number {
  const n = Number(yy);
  return yy.length === 4 ? n : n < 30 ? 2000 + n : 1900 + n;
}

function stripAccentsLower(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function parseDate(input: string): ParsedDate | null {
  const v = input.trim();
  const n = v.length;
  if (n < 6 || n > 40) return null;
  const c0 = v.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    let m = ISO.exec(v);
    if (m) {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const d = Number(m[3]);
      if (!isCalendarDate(y, mo, d)) return null;
      const time = m[4] !== undefined;
      if (time && (Number(m[5]) > 23 || Number(m[6]) > 59)) return null;
      const format = time ? `YYYY-MM-DD${m[4] === 'T' ? 'T' : ' '}hh:mm:ss` : 'YYYY-MM-DD';
      return { y, m: mo, d, format, time, order: 'ymd' };
    }
    m = YMD_SLASH.exec(v);
    if (m) {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const d = Number(m[3]);
      if (!isCalendarDate(y, mo, d)) return null;
      return { y, m: mo, d, format: `YYYY${v[4]}MM${v[4]}DD`, time: false, order: 'ymd' };
    }
    m = DMY.exec(v);
    if (m) {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const y = fullYear(m[4]!);
      const sep = m[2]!;
      const time = m[5] !== undefined;
      const yf = m[4]!.length === 4 ? 'YYYY' : 'YY';
      const tf = time ? ' hh:mm' : '';
      if (a <= 12 && b <= 12) {
        if (!isCalendarDate(y, b, a)) return null;
        return { y, m: b, d: a, format: `DD${sep}MM${sep}${yf}${tf}`, time, order: 'either' };
      }
      if (a > 12 && isCalendarDate(y, b, a)) {
        return { y, m: b, d: a, format: `DD${sep}MM${sep}${yf}${tf}`, time, order: 'dmy' };
      }
      if (b > 12 && isCalendarDate(y, a, b)) {
        return { y, m: a, d: b, format: `MM${sep}DD${sep}${yf}${tf}`, time, order: 'mdy' };
      }
      return null;
    }
    if (COMPACT.test(v)) {
      // DDMMYYYY when the last four digits read as a year and the rest as day + month,
      // else YYYYMMDD; both readings valid is rare (e.g. 19121990 is only DDMMYYYY).
      const tail = Number(v.slice(4));
      const d1 = Number(v.slice(0, 2));
      const m1 = Number(v.slice(2, 4));
      if (tail >= 1900 && tail <= 2100 && isCalendarDate(tail, m1, d1)) {
        return { y: tail, m: m1, d: d1, format: 'DDMMYYYY', time: false, order: 'dmy' };
      }
      const y2 = Number(v.slice(0, 4));
      const m2 = Number(v.slice(4, 6));
      const d2 = Number(v.slice(6, 8));
      if (y2 >= 1900 && y2 <= 2100 && isCalendarDate(y2, m2, d2)) {
        return { y: y2, m: m2, d: d2, format: 'YYYYMMDD', time: false, order: 'ymd' };
      }
      return null;
    }
    const lower = stripAccentsLower(v);
    const w = WRITTEN_DMY.exec(lower);
    if (w) {
      const mo = MONTHS[w[2]!];
      const d = Number(w[1]);
      const y = Number(w[3]);
      if (mo === undefined || !isCalendarDate(y, mo, d)) return null;
      return { y, m: mo, d, format: 'D MMMM YYYY', time: false, order: 'dmy' };
    }
    return null;
  }
  const lower = stripAccentsLower(v);
  let w = WRITTEN_DMY.exec(lower);
  if (w) {
    const mo = MONTHS[w[2]!];
    const d = Number(w[1]);
    const y = Number(w[3]);
    if (mo === undefined || !isCalendarDate(y, mo, d)) return null;
    return { y, m: mo, d, format: 'dddd D MMMM YYYY', time: false, order: 'dmy' };
  }
  w = WRITTEN_MDY.exec(lower);
  if (w) {
    const mo = MONTHS[w[1]!];
    const d = Number(w[2]);
    const y = Number(w[3]);
    if (mo === undefined || !isCalendarDate(y, mo, d)) return null;
    return { y, m: mo, d, format: 'MMMM D, YYYY', time: false, order: 'mdy' };
  }
  return null;
}

/** Re-reads an `either` date month-first (for a column decided to be MM/DD). */
export function asMonthFirst(p: ParsedDate): ParsedDate | null {
  if (p.order !== 'either') return p;
  if (!isCalendarDate(p.y, p.d, p.m)) return null;
  return {
    ...p,
    m: p.d,
    d: p.m,
    format: p.format.replace('DD', '#').replace('MM', 'DD').replace('#', 'MM'),
    order: 'mdy',
  };
}

export function isoDate(p: ParsedDate): string {
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}
