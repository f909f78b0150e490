/**
 * Field comparisons of a candidate record pair: each field gets an agreement level (0 = exact,
 * then weaker agreements, the last level = disagreement) or NULL when either side lacks the value
 * (missing values are no evidence either way, as in Fellegi-Sunter with ignorable missingness).
 *
 * - names: Jaro-Winkler on folded names with Soundex2 as a phonetic agreement, evaluated in both
 *   orders (first/last as written, and swapped) keeping the better one, so a swapped record is
 *   not punished for it;
 * - date of birth: exact, then day/month swap or one wrong digit, then same year;
 * - email: canonical mailbox, then same local part at another provider;
 * - exact identifiers: NIR, France Travail id, IBAN, phone; national id also at one edit;
 * - places: postal code (then same département), city (Jaro-Winkler), address token overlap.
 *
 * A pair's levels are packed into one integer (base 5 per field): the EM works on the distinct
 * patterns, whatever the number of pairs.
 */
import { dateDistance } from './normalize';
import { soundex2 } from './phonetic';
import type { LinkRecord } from './records';
import { editDistance, jaroWinkler, tokenSimilarity } from './similarity';

export interface FieldSpec {
  name: string;
  /** Level labels, most to least agreeing; the last one means "disagree". */
  levels: readonly string[];
  /** Term-frequency adjusted at the exact level (common values weigh less). */
  tf?: boolean;
}

export const FIELDS: readonly FieldSpec[] = [
  {
    name: 'first_name',
    levels: [
      'exact',
      'close (JW ≥ 0.92, or same Soundex2 and JW ≥ 0.8)',
      'similar (JW ≥ 0.8)',
      'different',
    ],
    tf: true,
  },
  {
    name: 'last_name',
    levels: [
      'exact',
      'close (JW ≥ 0.92, or same Soundex2 and JW ≥ 0.8)',
      'similar (JW ≥ 0.8)',
      'different',
    ],
    tf: true,
  },
  {
    name: 'date_of_birth',
    levels: ['exact', 'day/month swapped or one digit off', 'same year', 'different'],
  },
  { name: 'email', levels: ['same mailbox', 'same local part', 'different'] },
  { name: 'phone', levels: ['exact', 'different'] },
  { name: 'nir', levels: ['exact', 'different'] },
  { name: 'france_travail_id', levels: ['exact', 'different'] },
  { name: 'iban', levels: ['exact', 'different'] },
  { name: 'national_id', levels: ['exact', 'one edit', 'different'] },
  { name: 'postal_code', levels: ['exact', 'same département (2 first digits)', 'different'] },
  { name: 'city', levels: ['exact', 'close (JW ≥ 0.9)', 'different'] },
  { name: 'address', levels: ['≥ 80% of tokens shared', '≥ 50% of tokens shared', 'different'] },
];

export const FIELD_COUNT = FIELDS.length;
/** Level value meaning "missing on either side". */
export const NULL_LEVEL = 4;
const BASE = 5;
export const FIELD_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  FIELDS.map((f, i) => [f.name, i]),
);

function computeNameLevel(x: string, y: string): number {
  const jw = jaroWinkler(x, y);
  if (jw >= 0.92) return 1;
  if (jw >= 0.8) return soundex2(x) === soundex2(y) ? 1 : 2;
  return 3;
}

/**
 * A function of two strings, memoised: names, cities and address words come from a few thousand
 * values, so at 1M records the same pairs are compared over and over and two map lookups replace
 * Jaro-Winkler. Bounded: cleared past `limit` entries.
 */
export class PairMemo {
  private readonly map = new Map<string, Map<string, number>>();
  private entries = 0;
  constructor(
    private readonly fn: (x: string, y: string) => number,
    private readonly limit = 1_000_000,
  ) {}

  get(x: string, y: string): number {
    let inner = this.map.get(x);
    if (inner === undefined) {
      if (this.entries > this.limit) {
        this.map.clear();
        this.entries = 0;
      }
      inner = new Map();
      this.map.set(x, inner);
    } else {
      const hit = inner.get(y);
      if (hit !== undefined) return hit;
    }
    const v = this.fn(x, y);
    inner.set(y, v);
    this.entries++;
    return v;
  }
}

const nameMemo = new PairMemo(computeNameLevel, 2_000_000);
const cityMemo = new PairMemo((x, y) => (jaroWinkler(x, y) >= 0.9 ? 1 : 2));
const wordMemo = new PairMemo((x, y) => (jaroWinkler(x, y) >= 0.9 ? 1 : 0));
const closeWords = (x: string, y: string): boolean => wordMemo.get(x, y) === 1;

export function nameLevel(x: string, y: string): number {
  return x === y ? 0 : nameMemo.get(x, y);
}

function exact(x: string | null, y: string | null): number {
  if (x === null || y === null) return NULL_LEVEL;
  return x === y ? 0 : 1;
}

/** Result of comparing two names in the better of the two orders. */
export interface NameComparison {
  first: number;
  last: number;
  /** The value both sides share exactly, for term-frequency adjustment (per name field). */
  firstValue: string | null;
  lastValue: string | null;
}

function lv(x: string | null, y: string | null): number {
  return x === null || y === null ? NULL_LEVEL : nameLevel(x, y);
}

export function compareNames(a: LinkRecord, b: LinkRecord): NameComparison {
  const af = a.first;
  const al = a.last;
  const bf = b.first;
  const bl = b.last;
  const sf = lv(af, bf);
  const sl = lv(al, bl);
  const straight = (sf === NULL_LEVEL ? 3 : sf) + (sl === NULL_LEVEL ? 3 : sl);
  if (straight === 0) return { first: 0, last: 0, firstValue: af, lastValue: al };
  const wf = lv(af, bl);
  const wl = lv(al, bf);
  const swapped = (wf === NULL_LEVEL ? 3 : wf) + (wl === NULL_LEVEL ? 3 : wl);
  if (swapped < straight) {
    return {
      first: wf,
      last: wl,
      firstValue: wf === 0 ? af : null,
      lastValue: wl === 0 ? al : null,
    };
  }
  return {
    first: sf,
    last: sl,
    firstValue: sf === 0 ? af : null,
    lastValue: sl === 0 ? al : null,
  };
}

function dobLevel(a: number | null, b: number | null): number {
  if (a === null || b === null) return NULL_LEVEL;
  const d = dateDistance(a, b);
  if (d < 2) return d;
  return Math.floor(a / 10000) === Math.floor(b / 10000) ? 2 : 3;
}

function emailLevel(a: string | null, b: string | null): number {
  if (a === null || b === null) return NULL_LEVEL;
  if (a === b) return 0;
  return a.slice(0, a.indexOf('@')) === b.slice(0, b.indexOf('@')) ? 1 : 2;
}

function postalLevel(a: string | null, b: string | null): number {
  if (a === null || b === null) return NULL_LEVEL;
  if (a === b) return 0;
  return a.length >= 4 && a.slice(0, 2) === b.slice(0, 2) ? 1 : 2;
}

function cityLevel(a: string | null, b: string | null): number {
  if (a === null || b === null) return NULL_LEVEL;
  if (a === b) return 0;
  return cityMemo.get(a, b);
}

function addressLevel(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return NULL_LEVEL;
  const s = tokenSimilarity(a, b, closeWords);
  return s >= 0.8 ? 0 : s >= 0.5 ? 1 : 2;
}

function nationalLevel(a: string | null, b: string | null): number {
  if (a === null || b === null) return NULL_LEVEL;
  if (a === b) return 0;
  return editDistance(a, b, 1) <= 1 ? 1 : 2;
}

/** Levels of every field of a pair, in FIELDS order (NOTE: writes into `out`). */
export function compareRecords(a: LinkRecord, b: LinkRecord, out: Uint8Array): NameComparison {
  const names = compareNames(a, b);
  out[0] = names.first;
  out[1] = names.last;
  out[2] = dobLevel(a.dob, b.dob);
  out[3] = emailLevel(a.email, b.email);
  out[4] = exact(a.phone, b.phone);
  out[5] = exact(a.nir, b.nir);
  out[6] = exact(a.ft, b.ft);
  out[7] = exact(a.iban, b.iban);
  out[8] = nationalLevel(a.nationalId, b.nationalId);
  out[9] = postalLevel(a.postal, b.postal);
  out[10] = cityLevel(a.city, b.city);
  out[11] = addressLevel(a.address, b.address);
  return names;
}

/** Packs levels into one integer (base 5, field 0 least significant). */
export function packLevels(levels: Uint8Array): number {
  let code = 0;
  for (let f = FIELD_COUNT - 1; f >= 0; f--) code = code * BASE + levels[f];
  return code;
}

export function unpackLevels(code: number, out: Uint8Array): Uint8Array {
  for (let f = 0; f < FIELD_COUNT; f++) {
    out[f] = code % BASE;
    code = Math.floor(code / BASE);
  }
  return out;
}
