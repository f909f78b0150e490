/**
 * Redaction operators: pure functions from one value to its redacted form (keyed ones take the
 * case's keys as an argument, so they stay deterministic and testable).
 *
 * One rule holds everywhere: an operator that cannot read a value (a "phone" that is not a phone,
 * an address without a postal code) masks it entirely; it never lets the value through. The
 * export's verification (export/verify.ts) re-reads the output anyway; this is the first line.
 *
 * Must not import: electron, the store. No I/O.
 */
import type { PiiKind } from '../../../shared/pii';
import {
  GENERALISE_KINDS,
  MASK,
  PSEUDONYM_PREFIX,
  type RedactionRule,
} from '../../../shared/redaction';
import { parseDate } from '../profile/stats/dates';
import { compactIdentifier, parseNir } from '../profile/validators';
import { fpeDigits, fpeNir, fpePhone } from './fpe';
import type { RedactionKeys } from './keys';

/** Code points, so a masked emoji or accented letter counts once. */
function chars(v: string): string[] {
  return Array.from(v);
}

/** Everything masked, one • per character, whitespace kept (so the shape of a text survives). */
export function maskAll(v: string): string {
  return v.replace(/\S/gu, MASK);
}

/**
 * Masks a value except its first / last N characters. When the kept characters would be the
 * whole value (or more), the whole value is masked instead: keeping all of it is not a mask.
 */
export function maskValue(v: string, keepFirst = 0, keepLast = 0): string {
  const c = chars(v);
  if (keepFirst + keepLast >= c.length) return maskAll(v);
  const head = c.slice(0, keepFirst).join('');
  const tail = keepLast ? c.slice(c.length - keepLast).join('') : '';
  const middle = c
    .slice(keepFirst, c.length - keepLast)
    .map((ch) => (/\s/u.test(ch) ? ch : MASK))
    .join('');
  return head + middle + tail;
}

const EMAIL_PARTS = /^\s*([^@\s]+)@([^@\s]+\.[^@\s]+)\s*$/;

/** `jean.dupont@example.fr` → `j•••@example.fr` (the domain says the provider, not the person). */
export function partialEmail(v: string): string {
  const m = EMAIL_PARTS.exec(v);
  if (!m) return maskAll(v);
  return `${chars(m[1]!)[0]}${MASK}${MASK}${MASK}@${m[2]!.toLowerCase()}`;
}

/** `06 12 34 56 78` → `•• •• •• •• 78`: the last two digits, French pairs. */
export function partialPhone(v: string): string {
  // "+33 (0)6 …": the bracketed national 0 is not dialled.
  const digits = v.replace(/\(0\)/, '').replace(/\D/g, '');
  if (digits.length < 6) return maskAll(v);
  const keep = digits.slice(-2);
  const hidden = digits.length - 2;
  if (hidden === 8 || (hidden === 9 && digits.startsWith('33')) || hidden === 11) {
    return `${MASK}${MASK} ${MASK}${MASK} ${MASK}${MASK} ${MASK}${MASK} ${keep}`;
  }
  return `${MASK.repeat(hidden)} ${keep}`;
}

/** A NIR reduced to its sex digit and year of birth: `1 85 •• •• ••• ••• ••`. */
export function partialNir(v: string): string {
  const r = parseNir(v);
  if (!r.normalized || !r.sexDigit || !r.year || (r.reason && r.reason !== 'key')) {
    return maskAll(v);
  }
  const key = r.keyless ? '' : ` ${MASK}${MASK}`;
  return `${r.sexDigit} ${r.year} ${MASK}${MASK} ${MASK}${MASK} ${MASK.repeat(3)} ${MASK.repeat(3)}${key}`;
}

const POSTCODE_CITY =
  /(?:^|[\s,;])((?:\d{5}|\d{2}\s\d{3}))(?:\s+(?:cedex\s*\d*\s*)?)?([^\d,;\n]*)$/iu;

/** `12 rue de la Paix, 75002 Paris` → `75002 Paris`: postal code and city only. */
export function partialAddress(v: string): string {
  const m = POSTCODE_CITY.exec(v.trim());
  if (!m) return maskAll(v);
  const code = m[1]!.replace(/\s/g, '');
  const city = m[2]!.trim().replace(/\s+/g, ' ');
  return city ? `${code} ${city}` : code;
}

/** A postal code reduced to its first two digits: `75•••`. */
export function partialPostalCode(v: string): string {
  const c = v.trim();
  if (!/^\d{5}$/.test(c)) return maskAll(v);
  return `${c.slice(0, 2)}${MASK.repeat(3)}`;
}

/** A date of birth → the year (`1985`), or the 10-year age band at `now` (`30–39`). */
export function partialDateOfBirth(v: string, mode: 'year' | 'age_band', now: Date): string {
  const d = parseDate(v);
  if (!d) return maskAll(v);
  if (mode === 'year') return String(d.y);
  let age = now.getUTCFullYear() - d.y;
  if (now.getUTCMonth() + 1 < d.m || (now.getUTCMonth() + 1 === d.m && now.getUTCDate() < d.d)) {
    age--;
  }
  if (age < 0) return maskAll(v);
  if (age >= 90) return '90+';
  const low = Math.floor(age / 10) * 10;
  return `${low}–${low + 9}`;
}

/** A first or last name → its initial (`J.`); a full name → initials (`J. D.`). */
export function partialName(v: string): string {
  const words = v.trim().split(/[\s]+/u).filter(Boolean);
  if (words.length === 0) return maskAll(v);
  return words
    .map((w) => {
      const first = chars(w).find((ch) => /\p{L}/u.test(ch));
      return first ? `${first.toUpperCase()}.` : MASK;
    })
    .join(' ');
}

/** IBAN → country, check digits and last four characters: `FR76 •••• … 0189`. */
export function partialIban(v: string): string {
  const c = compactIdentifier(v);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(c)) return maskAll(v);
  return `${c.slice(0, 4)} ${MASK.repeat(c.length - 8)} ${c.slice(-4)}`;
}

/** Payment card → last four digits (PCI DSS display rule). */
export function partialCard(v: string): string {
  const d = v.replace(/\D/g, '');
  if (d.length < 12) return maskAll(v);
  return `${MASK.repeat(d.length - 4)} ${d.slice(-4)}`;
}

/** IPv4 → first two octets; IPv6 → first two groups. */
export function partialIp(v: string): string {
  const t = v.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(t);
  if (v4) return `${v4[1]}.${v4[2]}.${MASK}.${MASK}`;
  if (t.includes(':')) {
    const groups = t.split(':');
    if (groups.length >= 3) return `${groups[0]}:${groups[1]}:${MASK}`;
  }
  return maskAll(v);
}

/** URL → scheme and host. */
export function partialUrl(v: string): string {
  const m = /^\s*((?:https?|ftp):\/\/[^/?#\s]+)/i.exec(v);
  if (m) return `${m[1]}/…`;
  const w = /^\s*(www\.[^/?#\s]+)/i.exec(v);
  return w ? `${w[1]}/…` : maskAll(v);
}

/** Any date → its year. */
export function partialDate(v: string): string {
  const d = parseDate(v);
  return d ? String(d.y) : maskAll(v);
}

/** Kinds without a partial form: the first character, the rest masked. */
export function partialGeneric(v: string): string {
  return maskValue(v, 1, 0);
}

export function partialValue(
  kind: PiiKind,
  v: string,
  dobMode: 'year' | 'age_band',
  now: Date,
): string {
  switch (kind) {
    case 'email':
      return partialEmail(v);
    case 'phone':
      return partialPhone(v);
    case 'nir':
      return partialNir(v);
    case 'street_address':
      return partialAddress(v);
    case 'postal_code':
      return partialPostalCode(v);
    case 'date_of_birth':
      return partialDateOfBirth(v, dobMode, now);
    case 'first_name':
    case 'last_name':
    case 'full_name':
      return partialName(v);
    case 'iban':
      return partialIban(v);
    case 'credit_card':
      return partialCard(v);
    case 'ip_address':
      return partialIp(v);
    case 'url':
      return partialUrl(v);
    case 'date':
      return partialDate(v);
    default:
      return partialGeneric(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Generalisation.

/** Département of a French postal code (`75011` → `75`, `97411` → `974`, Corsica `20`). */
export function departmentOf(code: string): string | null {
  const c = code.replace(/\s/g, '');
  if (!/^\d{5}$/.test(c)) return null;
  return c.startsWith('97') || c.startsWith('98') ? c.slice(0, 3) : c.slice(0, 2);
}

/** A year → its decade (`1985` → `1980s`). */
export function decadeOf(year: number): string {
  return `${Math.floor(year / 10) * 10}s`;
}

export function generaliseValue(kind: PiiKind, v: string): string {
  if (!GENERALISE_KINDS.has(kind)) return maskAll(v);
  switch (kind) {
    case 'postal_code':
      return departmentOf(v.trim()) ?? maskAll(v);
    case 'street_address': {
      const m = POSTCODE_CITY.exec(v.trim());
      const dept = m ? departmentOf(m[1]!) : null;
      return dept ?? maskAll(v);
    }
    case 'date':
    case 'date_of_birth': {
      const d = parseDate(v);
      return d ? decadeOf(d.y) : maskAll(v);
    }
    case 'ip_address': {
      const v4 = /^\s*(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}\s*$/.exec(v);
      return v4 ? `${v4[1]}.${v4[2]}.0.0/16` : maskAll(v);
    }
    default:
      return maskAll(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Keyed pseudonyms.

function foldAccents(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '');
}

/**
 * The form a value is pseudonymised in, so that notations of the same thing agree across
 * datasets: an e-mail in lower case, a phone as its national digits (`+33 6…` = `06…`), a NIR as
 * its 13-character body (with or without key), identifiers without separators, names without
 * accents, case or hyphens.
 */
export function normaliseForPseudonym(kind: PiiKind, v: string): string {
  const t = v.normalize('NFC').trim().replace(/\s+/gu, ' ');
  switch (kind) {
    case 'email':
    case 'username':
      return t.toLowerCase();
    case 'phone': {
      const compact = t.replace(/\(0\)/, '').replace(/[^\d+]/g, '');
      const m = /^(?:\+|00)33(\d{9})$/.exec(compact);
      if (m) return `0${m[1]}`;
      return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
    }
    case 'nir': {
      const c = compactIdentifier(t);
      return c.length === 15 ? c.slice(0, 13) : c;
    }
    case 'iban':
    case 'bic':
    case 'siren':
    case 'siret':
    case 'rpps':
    case 'finess':
    case 'credit_card':
    case 'national_id':
    case 'france_travail_id':
      return compactIdentifier(t);
    case 'first_name':
    case 'last_name':
    case 'full_name':
    case 'city':
    case 'country':
    case 'street_address':
      return foldAccents(t).toLowerCase().replace(/[-']/g, ' ').replace(/\s+/g, ' ');
    default:
      return t;
  }
}

/** `EMAIL-7f3a9c21b04e`: the kind's prefix and the first `hex` hex digits of the keyed HMAC. */
export function pseudonymOf(keys: RedactionKeys, kind: PiiKind, v: string, hex: number): string {
  const prefix = PSEUDONYM_PREFIX[kind];
  return `${prefix}-${keys.pseudonymHex(`${prefix}\u0000${normaliseForPseudonym(kind, v)}`, hex)}`;
}

const LUHN_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'credit_card',
  'siren',
  'siret',
  'rpps',
]);

/**
 * Format-preserving pseudonym of a value of `kind`: a valid NIR, a valid French phone, or the
 * digits permuted in place (Luhn check digit kept valid where the kind has one). Kinds with no
 * such form, and values too short to permute safely, get the keyed pseudonym instead.
 */
export function fpeValue(keys: RedactionKeys, kind: PiiKind, v: string): string {
  let out: string | null = null;
  if (kind === 'nir') out = fpeNir(keys, v);
  else if (kind === 'phone') out = fpePhone(keys, v);
  if (out === null && (kind === 'nir' || kind === 'phone' || mostlyDigits(v))) {
    out = fpeDigits(keys, kind, v, LUHN_KINDS.has(kind));
  }
  return out ?? pseudonymOf(keys, kind, v, 12);
}

function mostlyDigits(v: string): boolean {
  let digits = 0;
  let letters = 0;
  for (const ch of v) {
    if (ch >= '0' && ch <= '9') digits++;
    else if (/\p{L}/u.test(ch)) letters++;
  }
  return digits >= 6 && letters <= 2;
}

// ---------------------------------------------------------------------------------------------
// One rule, one value.

export interface RuleContext {
  /** Needed by pseudonym and fpe rules; null when the policy uses neither. */
  keys: RedactionKeys | null;
  /** Reference date for age bands (the export's time). */
  now: Date;
}

/**
 * Applies one rule to one present value of `kind`. `drop` is handled by the caller (the column
 * disappears); here it masks, so a caller that forgets cannot leak.
 */
export function applyRule(rule: RedactionRule, kind: PiiKind, v: string, ctx: RuleContext): string {
  if (v.length === 0) return v;
  switch (rule.op) {
    case 'keep':
      return v;
    case 'drop':
      return maskAll(v);
    case 'mask':
      return maskValue(v, rule.keepFirst, rule.keepLast);
    case 'partial':
      return partialValue(kind, v, rule.dateOfBirth, ctx.now);
    case 'generalise':
      return generaliseValue(kind, v);
    case 'pseudonym':
      if (!ctx.keys) throw new Error('pseudonym rule without the case keys');
      return pseudonymOf(ctx.keys, kind, v, rule.hex);
    case 'fpe':
      if (!ctx.keys) throw new Error('fpe rule without the case keys');
      return fpeValue(ctx.keys, kind, v);
  }
}
