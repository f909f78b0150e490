/**
 * Normalisation of identity values for linkage: the one place that decides when two written
 * values are the same email, phone, NIR, France Travail id, IBAN, name, date of birth, postal code
 * or address. Keys (keys.ts), duplicates, overlap and the fuzzy comparisons all go through here, so
 * a rule changes in one place.
 *
 * Every function returns null for a value that cannot identify anybody (empty, malformed,
 * checksum failure, placeholder such as "test@test.com" or "0000000000"): a key that is not a
 * key must never join two people.
 *
 * Identifier structure and checksums come from profile/validators (the profiler uses the same
 * ones). Phones: E.164 through libphonenumber-js with a fast path for the plain French notations
 * that yields the same string (tested against libphonenumber on every notation), because phone
 * parsing is the costliest step of key extraction. Pure: no I/O.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import {
  compactIdentifier,
  parseNir,
  validateFranceTravailId,
  validateIban,
} from '../profile/validators';

//#region text folding

const foldCache = new Map<string, string>();

/**
 * Lower-case ASCII with accents removed and ligatures expanded (é→e, œ→oe, ß→ss); other
 * characters kept. Memoised (bounded): names, cities and streets repeat a lot.
 */
export function foldText(s: string): string {
  let out = foldCache.get(s);
  if (out !== undefined) return out;
  out = s.toLowerCase();
  // eslint-disable-next-line no-control-regex
  if (!/^[\u0000-\u007f]*$/.test(out)) {
    out = out
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae')
      .replace(/ß/g, 'ss')
      .replace(/ø/g, 'o')
      .replace(/ł/g, 'l')
      .replace(/đ/g, 'd');
  }
  if (foldCache.size > 500_000) foldCache.clear();
  foldCache.set(s, out);
  return out;
}

/** Name particles dropped before comparing ("de La Fontaine" = "Lafontaine" = "LA FONTAINE"). */
export const NAME_PARTICLES: ReadonlySet<string> = new Set([
  'de',
  'du',
  'des',
  'le',
  'la',
  'les',
  'd',
  'l',
]);

/** Civility words that leak into name fields ("M. Jean Dupont", "Mme Martin"). */
const CIVILITIES: ReadonlySet<string> = new Set([
  'm',
  'mr',
  'mme',
  'mlle',
  'melle',
  'monsieur',
  'madame',
]);

const tokenCache = new Map<string, readonly string[]>();

/**
 * The tokens of a name: folded, split on spaces, hyphens, apostrophes and dots, particles and
 * civilities dropped. "Jean-Baptiste d'Artagnan" → ["jean", "baptiste", "artagnan"]. Particles are
 * kept when they are the whole name (a person called "Le" stays "le").
 */
export function nameTokens(s: string | null | undefined): readonly string[] {
  if (!s) return [];
  const hit = tokenCache.get(s);
  if (hit) return hit;
  const raw = foldText(s)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && !/^\d+$/.test(t));
  const kept = raw.filter((t) => !NAME_PARTICLES.has(t) && !CIVILITIES.has(t));
  const out = kept.length > 0 ? kept : raw;
  if (tokenCache.size > 500_000) tokenCache.clear();
  tokenCache.set(s, out);
  return out;
}

/** One folded comparable form of a name part: tokens joined without separators. */
export function foldName(s: string | null | undefined): string | null {
  const t = nameTokens(s);
  return t.length ? t.join('') : null;
}

/**
 * The order-free name key of a person: every token of every name part, sorted. Swapped first and
 * last names (a classic of hand-keyed files) give the same key.
 */
export function personNameKey(parts: readonly (string | null | undefined)[]): string | null {
  const tokens: string[] = [];
  for (const p of parts) for (const t of nameTokens(p)) tokens.push(t);
  if (tokens.length === 0) return null;
  tokens.sort();
  return tokens.join(' ');
}

//#endregion

//#region email

/** Providers whose mailbox ignores dots in the local part. */
const DOTLESS_PROVIDERS: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);

/** Providers that deliver `local+tag@` to `local@` (sub-addressing). */
const PLUS_TAG_PROVIDERS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'outlook.fr',
  'hotmail.com',
  'hotmail.fr',
  'live.com',
  'live.fr',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'fastmail.com',
]);

const DOMAIN_ALIASES: Readonly<Record<string, string>> = { 'googlemail.com': 'gmail.com' };

/** Mailboxes that many unrelated records carry in leaks: never an identity. */
const PLACEHOLDER_EMAIL =
  /^(?:test|tests|noreply|no-reply|nomail|no|none|null|aucun|inconnu|unknown|example|email|mail|a|aa|aaa|x|xx|xxx)@/;
const PLACEHOLDER_DOMAIN =
  /^(?:example\.(?:com|org|net|fr)|test\.(?:com|fr)|nomail\.com|mail\.com\.invalid)$/;

export interface EmailForms {
  /** Trimmed and lower-cased: the address as written. */
  address: string;
  /** The mailbox under its provider's rules (Gmail dots, +tags, googlemail → gmail). */
  canonical: string;
}

/** Both forms of an email address, or null when it is not a plausible address. */
export function normalizeEmail(value: string | null | undefined): EmailForms | null {
  if (!value) return null;
  let address = value.trim().toLowerCase();
  if (address.startsWith('mailto:')) address = address.slice(7);
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  if (
    /\s/.test(address) ||
    !/^[^@]+$/.test(local) ||
    !/^[a-z0-9.-]+\.[a-z0-9-]{2,}$/.test(domain)
  ) {
    return null;
  }
  if (PLACEHOLDER_EMAIL.test(address) || PLACEHOLDER_DOMAIN.test(domain)) return null;
  domain = DOMAIN_ALIASES[domain] ?? domain;
  if (PLUS_TAG_PROVIDERS.has(domain)) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (DOTLESS_PROVIDERS.has(domain)) local = local.replace(/\./g, '');
  if (local.length === 0) return null;
  return { address, canonical: `${local}@${domain}` };
}

/** The canonical mailbox (the identity key form), or null. */
export function emailKey(value: string | null | undefined): string | null {
  return normalizeEmail(value)?.canonical ?? null;
}

//#endregion

//#region phone

/**
 * French overseas numbers are written in the national plan ("0690 12 34 56") and
 * internationally under their territory's code ("+590 690 12 34 56"); both must give the same
 * E.164. National significant number prefixes → country calling code.
 */
const OVERSEAS_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['262', '262'],
  ['263', '262'],
  ['269', '262'],
  ['639', '262'],
  ['692', '262'],
  ['693', '262'],
  ['590', '590'],
  ['690', '590'],
  ['691', '590'],
  ['594', '594'],
  ['694', '594'],
  ['596', '596'],
  ['696', '596'],
  ['697', '596'],
  ['508', '508'],
];
const OVERSEAS_BY_PREFIX = new Map(OVERSEAS_PREFIXES);

/** E.164 of a French national significant number (9 digits). */
function frenchNsnToE164(nsn: string): string {
  const cc = OVERSEAS_BY_PREFIX.get(nsn.slice(0, 3));
  return cc ? `+${cc}${nsn}` : `+33${nsn}`;
}

/** Same digit repeated, or a run like 0123456789: filler, not a phone. */
function isFillerDigits(nsn: string): boolean {
  return /^(\d)\1+$/.test(nsn.slice(1)) || nsn === '123456789' || nsn === '612345678';
}

export interface PhoneOptions {
  /** Region of numbers written without a country code (ISO 3166 alpha-2). Default FR. */
  defaultRegion?: string;
}

/**
 * E.164 form of a phone number written in any usual notation ("06 12 34 56 78", "+33 (0)6 12 34
 * 56 78", "0033612345678", "06.12.34.56.78"), or null when it is not a possible number.
 */
export function normalizePhone(
  value: string | null | undefined,
  options: PhoneOptions = {},
): string | null {
  if (!value) return null;
  const region = (options.defaultRegion ?? 'FR').toUpperCase();
  const trimmed = value.trim();
  if (trimmed.length < 6 || trimmed.length > 40) return null;
  // "+33 (0)6…": the bracketed trunk zero is not dialled from abroad.
  const noTrunk = trimmed.replace(/\(0\)/, '');
  const plus = noTrunk.startsWith('+');
  const digits = noTrunk.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 17) return null;

  // Fast paths: the French notations that make up nearly every value of a French leak.
  let intl: string | null = plus ? digits : digits.startsWith('00') ? digits.slice(2) : null;
  if (intl === null && region === 'FR' && digits.length === 10 && digits[0] === '0') {
    const nsn = digits.slice(1);
    if (nsn[0] === '0' || isFillerDigits(nsn)) return null;
    return frenchNsnToE164(nsn);
  }
  if (intl !== null && intl.startsWith('33')) {
    let nsn = intl.slice(2);
    if (nsn.length === 10 && nsn[0] === '0') nsn = nsn.slice(1);
    if (nsn.length === 9 && nsn[0] !== '0')
      return isFillerDigits(nsn) ? null : frenchNsnToE164(nsn);
  }

  // Everything else: libphonenumber with the default region for national numbers.
  if (intl !== null) intl = `+${intl}`;
  const parsed = parsePhoneNumberFromString(intl ?? noTrunk, region as CountryCode);
  if (!parsed || !parsed.isPossible()) return null;
  const e164 = parsed.number;
  if (e164.startsWith('+33')) return frenchNsnToE164(e164.slice(3));
  return e164;
}

//#endregion

//#region identifiers

/**
 * NIR key: the 13-character body (with 2A/2B), only when the structure is valid and, if a key
 * is written, the key matches. A keyless 13-character NIR gives the same body, so the two forms
 * meet.
 */
export function nirKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const r = parseNir(value);
  if (!r.valid || !r.normalized) return null;
  return r.normalized.slice(0, 13);
}

/** France Travail identifier (legacy 7+1 or national 11 digits), compact upper case. */
export function franceTravailKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const r = validateFranceTravailId(value);
  if (!r.valid || !r.normalized) return null;
  return /^0+$/.test(r.normalized.slice(0, 7)) ? null : r.normalized;
}

/** IBAN in electronic form, only when its checksums are right. */
export function ibanKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const r = validateIban(value);
  return r.valid ? r.normalized : null;
}

/**
 * Another country's identity number (FEBRL's soc_sec_id, a passport number...): compact upper
 * case, at least 5 characters with a digit, and not one repeated character. No checksum is known
 * in general, so this key is only as good as the column it comes from.
 */
export function nationalIdKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const c = compactIdentifier(value.trim()).replace(/[/_]/g, '');
  if (c.length < 5 || c.length > 24 || !/\d/.test(c) || /^(.)\1+$/.test(c)) return null;
  return c;
}

//#endregion

//#region dates, places, addresses

const MONTHS: Readonly<Record<string, number>> = {
  janvier: 1,
  janv: 1,
  jan: 1,
  january: 1,
  fevrier: 2,
  fevr: 2,
  fev: 2,
  february: 2,
  feb: 2,
  mars: 3,
  march: 3,
  mar: 3,
  avril: 4,
  avr: 4,
  april: 4,
  apr: 4,
  mai: 5,
  may: 5,
  juin: 6,
  june: 6,
  jun: 6,
  juillet: 7,
  juil: 7,
  july: 7,
  jul: 7,
  aout: 8,
  august: 8,
  aug: 8,
  septembre: 9,
  sept: 9,
  september: 9,
  sep: 9,
  octobre: 10,
  oct: 10,
  october: 10,
  novembre: 11,
  nov: 11,
  november: 11,
  decembre: 12,
  dec: 12,
  december: 12,
};

function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function ymd(y: number, m: number, d: number): number | null {
  if (!(y >= 1880 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m))) return null;
  return y * 10000 + m * 100 + d;
}

function century(yy: number): number {
  // Two-digit years in leaks of living people: 00–29 are 2000s, the rest 1900s.
  return yy < 30 ? 2000 + yy : 1900 + yy;
}

/** Day-first reading with the US month-first reading as fallback when the day cannot be a month. */
function dayFirst(a: number, b: number, y: number): number | null {
  return ymd(y, b, a) ?? ymd(y, a, b);
}

/**
 * A date of birth as the integer yyyymmdd, from the formats leaks use: 1980-03-12, 12/03/1980,
 * 12-03-1980, 12.03.1980, 12031980, 19800312, 12 mars 1980, 1er mars 1980, 1980/03/12, 12/03/80,
 * with or without a time part. Day-first unless the numbers only fit month-first.
 */
export function normalizeDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const s = value
    .trim()
    .replace(/[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/, '');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$/.exec(s);
  if (m) {
    const y = m[3].length === 2 ? century(Number(m[3])) : Number(m[3]);
    return dayFirst(Number(m[1]), Number(m[2]), y);
  }
  m = /^(\d{8})$/.exec(s);
  if (m) {
    const head = Number(s.slice(0, 4));
    const tail = Number(s.slice(4));
    const asYmd = ymd(head, Number(s.slice(4, 6)), Number(s.slice(6, 8)));
    const asDmy = ymd(tail, Number(s.slice(2, 4)), Number(s.slice(0, 2)));
    // yyyymmdd when it parses and ddmmyyyy does not; when both parse, prefer the plausible year.
    if (asYmd && !asDmy) return asYmd;
    if (asDmy && !asYmd) return asDmy;
    if (asYmd && asDmy) return head >= 1900 && head <= 2030 ? asYmd : asDmy;
    return null;
  }
  m = /^(\d{1,2})(?:er)?\s+([\p{L}.]+)\s+(\d{4})$/u.exec(s);
  if (m) {
    const month = MONTHS[foldText(m[2]).replace(/\.$/, '')];
    return month ? ymd(Number(m[3]), month, Number(m[1])) : null;
  }
  return null;
}

/**
 * How far two dates of birth are from being the same: 0 equal, 1 a plausible keying error (day
 * and month swapped, or one digit wrong), 2 otherwise.
 */
export function dateDistance(a: number, b: number): 0 | 1 | 2 {
  if (a === b) return 0;
  const ay = Math.floor(a / 10000);
  const am = Math.floor(a / 100) % 100;
  const ad = a % 100;
  const by = Math.floor(b / 10000);
  const bm = Math.floor(b / 100) % 100;
  const bd = b % 100;
  if (ay === by && am === bd && ad === bm) return 1;
  if (a >= 10_000_000 && a <= 99_999_999 && b >= 10_000_000 && b <= 99_999_999) {
    // Both YYYYMMDD: count differing digits without building strings (runs per candidate pair).
    let diff = 0;
    for (let x = a, y = b; x > 0 && diff < 2; x = Math.floor(x / 10), y = Math.floor(y / 10))
      if (x % 10 !== y % 10) diff++;
    return diff <= 1 ? 1 : 2;
  }
  const sa = String(a);
  const sb = String(b);
  let diff = 0;
  for (let i = 0; i < sa.length && diff < 2; i++) if (sa[i] !== sb[i]) diff++;
  return diff <= 1 ? 1 : 2;
}

/** Dates that cannot belong to one person (different and not a plausible keying error). */
export function datesConflict(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && dateDistance(a, b) === 2;
}

/**
 * Postal code: digits only; French codes written without their leading zero (spreadsheets eat
 * it: "1000" for 01000) get it back.
 */
export function normalizePostalCode(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = value.trim().replace(/[\s.-]/g, '');
  if (!/^\d{4,5}$/.test(d)) return d.length >= 3 && d.length <= 10 ? foldText(d) : null;
  return d.length === 4 ? `0${d}` : d;
}

/** City name folded, "Saint"/"St" and "Cedex n" unified, arrondissement numbers dropped. */
export function normalizeCity(value: string | null | undefined): string | null {
  if (!value) return null;
  const tokens = foldText(value)
    .replace(/\bcedex\b.*$/, '')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && !/^\d+(?:er|e|eme)?$/.test(t))
    .map((t) => (t === 'st' ? 'saint' : t === 'ste' ? 'sainte' : t));
  return tokens.length ? tokens.join(' ') : null;
}

/** Street-type abbreviations → full words, so "12 av. Foch" and "12 avenue Foch" agree. */
const STREET_WORDS: Readonly<Record<string, string>> = {
  r: 'rue',
  av: 'avenue',
  ave: 'avenue',
  bd: 'boulevard',
  bld: 'boulevard',
  blvd: 'boulevard',
  boul: 'boulevard',
  imp: 'impasse',
  all: 'allee',
  ch: 'chemin',
  chem: 'chemin',
  che: 'chemin',
  pl: 'place',
  rte: 'route',
  qu: 'quai',
  sq: 'square',
  crs: 'cours',
  pass: 'passage',
  pas: 'passage',
  fbg: 'faubourg',
  fg: 'faubourg',
  res: 'residence',
  lot: 'lotissement',
  st: 'saint',
  ste: 'sainte',
  apt: 'appartement',
  appt: 'appartement',
  bat: 'batiment',
  // English-language address files (FEBRL, Splink): same idea.
  rd: 'road',
  str: 'street',
  cres: 'crescent',
  cct: 'circuit',
  dr: 'drive',
  ct: 'court',
  pde: 'parade',
  hwy: 'highway',
};

/** Address tokens: folded, abbreviations expanded, particles and punctuation dropped. */
export function addressTokens(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const t of foldText(value).split(/[^a-z0-9]+/)) {
    if (t.length === 0 || NAME_PARTICLES.has(t)) continue;
    out.push(STREET_WORDS[t] ?? t);
  }
  return out;
}

//#endregion
