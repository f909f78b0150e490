/**
 * How a stored XLSX cell value becomes the text Leakscope keeps: cell references, the `_xHHHH_`
 * escapes of OOXML strings, number formats that mean "this number is a date", and the
 * conversion of date serials to ISO 8601.
 *
 * Dates (the one place where the reader does not keep the stored text, because the stored text
 * of a date is a day count nobody can read):
 *  - a numeric cell is a date when its style's number format is a built-in date/time format
 *    (ids 14–22, 45–47, and the East-Asian built-ins 27–36, 50–58) or a custom format whose first
 *    section has d/m/y/h/s tokens outside quotes, escapes and brackets (`[Red]`, `[$-40C]`), or
 *    an elapsed-time bracket (`[h]`, `[mm]`, `[ss]`);
 *  - 1900 date system: serial 1 = 1900-01-01, with Lotus's phantom 1900-02-29 at serial 60
 *    (shown as "1900-02-29", as Excel shows it); 1904 system: serial 0 = 1904-01-01;
 *  - output: `YYYY-MM-DD` when the format has no time part and the serial is a whole day;
 *    `YYYY-MM-DDTHH:MM:SS` (`.mmm` when there are milliseconds) otherwise — a date-only format on
 *    a serial with a time fraction keeps the time, so nothing is hidden; time-only formats on a
 *    serial below 1 give `HH:MM:SS`; elapsed formats (`[h]:mm:ss`) give hours past 24 (`36:00:00`);
 *  - no time zone: Excel serials are wall-clock time;
 *  - a serial that is not a date (negative, beyond 9999-12-31, or 0 in the 1900 system, which
 *    Excel shows as the non-existent 1900-01-00) stays as its stored text;
 *  - the raw serial is not kept per cell (the sink's meta is per import, not per cell): the ISO
 *    text gives it back exactly, to the millisecond — serial = days since 1899-12-31, plus one
 *    from 1900-03-01 on (the phantom day), plus the time as a fraction of 86 400 000 ms (1904:
 *    days since 1904-01-01). Sub-millisecond float noise is rounded away, as in Excel's display.
 *
 * Must not import: electron, the store, anything outside node:* and the import folder.
 */
import { XmlError } from './xml';

/** Excel's column limit (XFD). */
export const MAX_COLUMNS = 16384;

/** 0 not a date; 1 date; 2 time of day; 3 date and time; 4 elapsed time. */
export type DateKind = 0 | 1 | 2 | 3 | 4;
export const NOT_DATE = 0;
export const DATE = 1;
export const TIME = 2;
export const DATETIME = 3;
export const DURATION = 4;

/** Built-in number formats that are dates (ECMA-376 Part 1, 18.8.30). */
export function builtinDateKind(id: number): DateKind {
  if (id >= 14 && id <= 17) return DATE;
  if (id >= 18 && id <= 21) return TIME;
  if (id === 22) return DATETIME;
  if (id === 45 || id === 47) return TIME;
  if (id === 46) return DURATION;
  // East-Asian locale built-ins: era and kanji dates, 32–33 are kanji times.
  if (id === 32 || id === 33) return TIME;
  if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return DATE;
  return NOT_DATE;
}

/**
 * Classifies a custom number format code. Only the first section (positive numbers) counts;
 * literal text ("…", \x), padding (_x, *x) and bracketed modifiers are ignored.
 */
export function formatDateKind(code: string): DateKind {
  let stripped = '';
  let elapsed = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === ';') break;
    if (c === '"') {
      const e = code.indexOf('"', i + 1);
      if (e < 0) break;
      i = e;
    } else if (c === '\\' || c === '_' || c === '*') {
      i++;
    } else if (c === '[') {
      const e = code.indexOf(']', i + 1);
      if (e < 0) break;
      if (/^(h+|m+|s+)$/i.test(code.slice(i + 1, e))) elapsed = true;
      i = e;
    } else {
      stripped += c;
    }
  }
  // AM/PM markers contain an "m" that is not a month, and mean a time of day.
  const ampm = /AM\/PM|A\/P/i.test(stripped);
  stripped = stripped.replace(/AM\/PM|A\/P/gi, '').replace(/general/gi, '');
  const hasDay = /[dy]/i.test(stripped);
  const hasHourSecond = /[hs]/i.test(stripped);
  const hasM = /m/i.test(stripped);
  const hasDate = hasDay || (hasM && !hasHourSecond && !elapsed);
  const hasTime = hasHourSecond || ampm || elapsed;
  if (hasDate && hasTime) return DATETIME;
  if (hasDate) return DATE;
  if (elapsed) return DURATION;
  if (hasTime) return TIME;
  return NOT_DATE;
}

const DAY_MS = 86_400_000;
/** Days from 1970-01-01 to 1899-12-31 and to 1904-01-01. */
const EPOCH_1900_DAYS = -25568;
const EPOCH_1904_DAYS = -24107;
/** 9999-12-31, Excel's last date, in days since 1970-01-01. */
const LAST_DAY = 2932896;

/**
 * `YYYY-MM-DD` for a count of days since 1970-01-01 (proleptic Gregorian), by arithmetic:
 * faster than a Date object per cell (H. Hinnant's civil_from_days).
 */
function civilDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function timeOfDay(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = ms % 1000;
  return `${pad(h)}:${pad(m)}:${pad(s)}${frac ? `.${pad(frac, 3)}` : ''}`;
}

/**
 * ISO 8601 text for a date serial, or null when the serial is not a date Excel can show (the
 * caller then keeps the stored text). See the module comment for the rules.
 */
export function serialToIso(serial: number, kind: DateKind, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  if (kind === DURATION) return timeOfDay(Math.round(serial * DAY_MS));
  let days = Math.floor(serial);
  let ms = Math.round((serial - days) * DAY_MS);
  if (ms >= DAY_MS) {
    days += 1;
    ms -= DAY_MS;
  }
  // A serial below 1 under a time format is a bare time of day: there is no date to show.
  if (days === 0 && kind === TIME) return timeOfDay(ms);
  // Day 0 of the 1900 system is the non-existent 1900-01-00: keep only a time if there is one.
  if (days === 0 && !date1904) return kind === DATETIME && ms > 0 ? timeOfDay(ms) : null;
  let datePart: string;
  if (date1904) {
    if (EPOCH_1904_DAYS + days > LAST_DAY) return null;
    datePart = civilDate(EPOCH_1904_DAYS + days);
  } else if (days === 60) {
    datePart = '1900-02-29';
  } else {
    // Serials after the phantom 1900-02-29 are one day ahead of the real calendar.
    const unix = EPOCH_1900_DAYS + (days > 60 ? days - 1 : days);
    if (unix > LAST_DAY) return null;
    datePart = civilDate(unix);
  }
  if (kind === DATE && ms === 0) return datePart;
  return `${datePart}T${timeOfDay(ms)}`;
}

/** A cell's `r` attribute (`B12`) → 0-based column index; throws XmlError when malformed. */
export function columnOfRef(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
    if (col > MAX_COLUMNS) {
      throw new XmlError(`cell ${ref} is beyond column XFD (Excel's ${MAX_COLUMNS} columns)`);
    }
  }
  let digits = i > 0 && i <= 3;
  for (let j = i; digits && j < ref.length; j++) {
    const c = ref.charCodeAt(j);
    digits = c >= 48 && c <= 57;
  }
  if (!digits) throw new XmlError(`malformed cell reference "${ref.slice(0, 20)}"`);
  return col - 1;
}

/** 0-based column index → letters (0 → A, 16383 → XFD). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * Decodes OOXML's `_xHHHH_` escapes (ST_Xstring): Excel writes control characters this way
 * (`_x000D_` for a CR) and a literal `_x…_` lookalike as `_x005F_x…_` (escaped underscore).
 */
export function decodeXEscapes(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
