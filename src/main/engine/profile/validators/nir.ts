/**
 * NIR, the French social-security number (numéro d'inscription au répertoire).
 *
 * Owns the key formula and the field-by-field structure check, because a NIR column is the most
 * sensitive thing a leak can hold and a bare 15-digit pattern is not evidence: the key makes a
 * random value pass with p = 0.01, and the field ranges cut that further. The parse result keeps
 * every field so that cross-column checks (sex, year and month of birth, place of birth) can be
 * made by the profiler and the linkage without parsing again.
 *
 * Rules and vectors: shared/reference/identifiers.md §2.1 (INSEE decree 82-103; python-stdnum,
 * CNAM nir-validation). Corsica: "2A" counts as 19 and "2B" as 18 in the key computation only.
 */

import { mod97 } from './mod97';
import { compactIdentifier, isAllDigits, padNumber } from './normalize';

export type NirInvalidReason =
  | 'empty'
  | 'length'
  | 'charset'
  | 'sex'
  | 'month'
  | 'department'
  | 'commune'
  | 'country'
  | 'order'
  | 'key';

/**
 * How the month field is to be read. `calendar`: 01–12. `fictitious`: 20–30 or 50–99, month
 * unknown. `pseudo`: 31–42, January–December taken from an incomplete civil record.
 */
export type NirMonthKind = 'calendar' | 'fictitious' | 'pseudo';

/**
 * Where the person was born, as the place field says. `metropole` includes Corsica and the
 * pre-independence codes 91–96 (Algeria, Morocco, Tunisia), which share the same layout.
 */
export type NirPlaceKind =
  'metropole' | 'corsica' | 'overseas' | 'overseas_collectivity' | 'abroad';

export interface NirParseResult {
  /** Structure valid and, when a key is present, the key matches. */
  valid: boolean;
  /** 13 characters without key (common in DSN-style files): structure checked, no key. */
  keyless: boolean;
  /** The compact upper-case form that was checked (13 or 15 chars), or null if unusable. */
  normalized: string | null;
  sexDigit: string | null;
  sex: 'male' | 'female' | null;
  /** Sex digit 3/4/7/8: a registration in progress (accepted, flagged). */
  provisional: boolean;
  /** Two-digit year of birth as written. */
  year: string | null;
  /** Month field as written (may be 20–99, see monthKind). */
  month: string | null;
  monthKind: NirMonthKind | null;
  /** Calendar month 1–12 when known (01–12, or 31–42 minus 30), else null. */
  birthMonth: number | null;
  placeKind: NirPlaceKind | null;
  /** '01'…'96', '20', '2A', '2B', '971'…'978', '984'…'989', or '99' for born abroad. */
  department: string | null;
  /** Commune number inside the department: 3 digits, or 2 digits overseas; null abroad. */
  commune: string | null;
  /** INSEE country code (3 digits, as in 99xxx) when born abroad. */
  country: string | null;
  order: string | null;
  /** Key as written (null when keyless). */
  key: string | null;
  /** Key computed from the 13-character body, when the body is well-formed enough to compute. */
  expectedKey: string | null;
  /** First rule that failed, null when valid. */
  reason: NirInvalidReason | null;
}

/** Positions 6–7 may be 2A/2B; everything else must be digits. */
const BODY_PATTERN = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$/;

/**
 * The two-digit key of a 13-character NIR body (separators allowed): 97 − (N mod 97), with
 * "2A" read as 19 and "2B" as 18.
 */
export function nirKey(body: string): string {
  const compact = BODY_PATTERN.test(body) ? body : compactIdentifier(body);
  if (!BODY_PATTERN.test(compact)) throw new Error('nirKey: expected a 13-character NIR body');
  const corsica = compact[6] === 'A' ? '19' : compact[6] === 'B' ? '18' : null;
  const numeric = corsica ? compact.slice(0, 5) + corsica + compact.slice(7) : compact;
  return padNumber(97 - mod97(numeric), 2);
}

function emptyResult(): NirParseResult {
  return {
    valid: false,
    keyless: false,
    normalized: null,
    sexDigit: null,
    sex: null,
    provisional: false,
    year: null,
    month: null,
    monthKind: null,
    birthMonth: null,
    placeKind: null,
    department: null,
    commune: null,
    country: null,
    order: null,
    key: null,
    expectedKey: null,
    reason: null,
  };
}

function fail(result: NirParseResult, reason: NirInvalidReason): NirParseResult {
  result.valid = false;
  result.reason = reason;
  return result;
}

/**
 * Parses and validates a NIR written with or without key, with spaces, dots or dashes.
 * Fields are filled as far as the input allows, even when it is invalid.
 */
export function parseNir(input: string): NirParseResult {
  const r = emptyResult();
  const compact = compactIdentifier(input);
  if (compact.length === 0) return fail(r, 'empty');
  if (compact.length !== 13 && compact.length !== 15) return fail(r, 'length');
  r.normalized = compact;
  r.keyless = compact.length === 13;
  const body = compact.slice(0, 13);
  if (!BODY_PATTERN.test(body) || (!r.keyless && !isAllDigits(compact.slice(13)))) {
    return fail(r, 'charset');
  }

  r.sexDigit = body[0];
  r.year = body.slice(1, 3);
  r.month = body.slice(3, 5);
  r.order = body.slice(10, 13);
  r.key = r.keyless ? null : compact.slice(13, 15);
  r.expectedKey = nirKey(body);

  // Sex: 1/2; 3/4/7/8 are reported for persons whose registration is in progress.
  switch (r.sexDigit) {
    case '1':
    case '3':
    case '7':
      r.sex = 'male';
      break;
    case '2':
    case '4':
    case '8':
      r.sex = 'female';
      break;
    default:
      return fail(r, 'sex');
  }
  r.provisional = r.sexDigit !== '1' && r.sexDigit !== '2';

  const month = Number(r.month);
  if (month >= 1 && month <= 12) {
    r.monthKind = 'calendar';
    r.birthMonth = month;
  } else if (month >= 31 && month <= 42) {
    r.monthKind = 'pseudo';
    r.birthMonth = month - 30;
  } else if ((month >= 20 && month <= 30) || month >= 50) {
    r.monthKind = 'fictitious';
  } else {
    return fail(r, 'month');
  }

  const dept = body.slice(5, 7);
  if (dept === '2A' || dept === '2B' || dept === '20') {
    r.placeKind = 'corsica';
    r.department = dept;
    r.commune = body.slice(7, 10);
  } else if (dept === '97' || dept === '98') {
    const third = body[7];
    const okThird = dept === '97' ? third >= '1' && third <= '8' : third >= '4' && third <= '9';
    r.department = dept + third;
    r.placeKind = dept === '97' ? 'overseas' : 'overseas_collectivity';
    r.commune = body.slice(8, 10);
    if (!okThird) return fail(r, 'department');
    if (r.commune === '00') return fail(r, 'commune');
  } else if (dept === '99') {
    r.placeKind = 'abroad';
    r.department = dept;
    r.country = body.slice(7, 10);
    const country = Number(r.country);
    if (country < 1 || country > 990) return fail(r, 'country');
  } else {
    r.department = dept;
    r.placeKind = 'metropole';
    r.commune = body.slice(7, 10);
    // 01–95 metropolitan departments; 96 (Tunisia) with 91–95 for births before independence.
    const d = Number(dept);
    if (d < 1 || d > 96) return fail(r, 'department');
  }
  if (r.commune !== null && r.commune.length === 3) {
    const commune = Number(r.commune);
    if (commune < 1 || commune > 990) return fail(r, 'commune');
  }

  if (r.order === '000') return fail(r, 'order');

  if (!r.keyless) {
    const key = Number(r.key);
    if (key < 1 || key > 97 || r.key !== r.expectedKey) return fail(r, 'key');
  }
  r.valid = true;
  return r;
}

/** Shorthand: a 15-character NIR whose structure and key are valid (keyless is not enough). */
export function isValidNir(input: string): boolean {
  const r = parseNir(input);
  return r.valid && !r.keyless;
}

export interface NirFields {
  /** '1'…'8' as accepted by parseNir; the generator uses 1 and 2. */
  sexDigit: string;
  /** Two-digit year of birth, or a number taken modulo 100. */
  year: string | number;
  /** Month field: 1–12, or a fictitious / pseudo-fictitious value. */
  month: string | number;
  /**
   * The 5-character place of birth: department (2 chars) + commune (3 digits), e.g. '75056',
   * '2A004', '97101', or '99' + country code ('99352').
   */
  place: string;
  /** Order number 1–999. */
  order: string | number;
}

/** Builds a 15-character NIR (body + key) from its fields. */
export function buildNir(fields: NirFields): string {
  const year = typeof fields.year === 'number' ? padNumber(fields.year % 100, 2) : fields.year;
  const month = typeof fields.month === 'number' ? padNumber(fields.month, 2) : fields.month;
  const order = typeof fields.order === 'number' ? padNumber(fields.order, 3) : fields.order;
  const body = fields.sexDigit + year + month + fields.place.toUpperCase() + order;
  return body + nirKey(body);
}

/** Writes a NIR the way it is printed on a carte Vitale: `S YY MM DD CCC OOO KK`. */
export function formatNir(nir: string): string {
  const c = compactIdentifier(nir);
  const groups = [c.slice(0, 1), c.slice(1, 3), c.slice(3, 5), c.slice(5, 7), c.slice(7, 10)];
  groups.push(c.slice(10, 13));
  if (c.length > 13) groups.push(c.slice(13));
  return groups.join(' ');
}
