/**
 * Phone numbers through libphonenumber-js (full metadata, so that validity checks the real
 * number ranges): French numbers in every common notation (0X XX XX XX XX, dotted, dashed,
 * compact, +33, 0033, +33 (0)X), overseas numbers dialled nationally (0692… is Réunion, 0590…
 * Guadeloupe) reported with their territory, and international numbers with a + or 00 prefix.
 *
 * Bare digit strings that are not French national numbers are only "phone-like": a 10-digit
 * order number passes US validity two times in three, so they count with a low specificity
 * unless written with phone punctuation ("(503) 555-9831").
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export interface PhoneMatch {
  valid: boolean;
  /** 'fr-mobile', 'fr-fixed', 'fr-voip', 'fr-special', 'overseas-RE', 'intl-DE', 'us'... */
  scheme: string;
  spec: number;
}

const PHONE_CHARS = /^[+(]?[\d\s().\-/]{6,24}$/;

/** National 0-prefixed numbers of the overseas territories, by leading digits. */
const OVERSEAS: readonly [RegExp, CountryCode][] = [
  [/^0(?:262|263|692|693)/, 'RE'],
  [/^0(?:269|639)/, 'YT'],
  [/^0(?:590|690|691)/, 'GP'],
  [/^0(?:594|694)/, 'GF'],
  [/^0(?:596|696|697)/, 'MQ'],
  [/^0508/, 'PM'],
];

function frenchScheme(nsn: string): string {
  const c = nsn[0];
  if (c === '6' || c === '7') return 'fr-mobile';
  if (c === '9') return 'fr-voip';
  if (c === '8') return 'fr-special';
  return 'fr-fixed';
}

export function matchPhone(v: string, digits: number): PhoneMatch | null {
  if (digits < 8 || digits > 15 || !PHONE_CHARS.test(v)) return null;
  const compact = v.replace(/[\s().\-/]/g, '');
  // "+33 (0)6 12 34 56 78": the national 0 in brackets is dropped when dialling from abroad.
  const cleaned = v.replace(/\(0\)/, '');
  if (compact.startsWith('+') || compact.startsWith('00')) {
    const intl = compact.startsWith('00') ? `+${compact.slice(2)}` : cleaned;
    const p = parsePhoneNumberFromString(intl);
    if (!p) return { valid: false, scheme: 'intl', spec: 0.93 };
    if (!p.isValid()) return { valid: false, scheme: 'intl', spec: 0.93 };
    if (p.country === 'FR') {
      return { valid: true, scheme: frenchScheme(String(p.nationalNumber)), spec: 0.95 };
    }
    const overseas = OVERSEAS.some(([, cc]) => cc === p.country);
    return { valid: true, scheme: `${overseas ? 'overseas' : 'intl'}-${p.country ?? p.countryCallingCode}`, spec: 0.93 };
  }
  if (compact.length === 10 && compact[0] === '0' && /^\d+$/.test(compact)) {
    for (const [re, cc] of OVERSEAS) {
      if (re.test(compact)) {
        const p = parsePhoneNumberFromString(compact, cc);
        if (p?.isValid()) return { valid: true, scheme: `overseas-${p.country ?? cc}`, spec: 0.93 };
      }
    }
    const p = parsePhoneNumberFromString(compact, 'FR');
    if (p?.isValid()) return { valid: true, scheme: frenchScheme(String(p.nationalNumber)), spec: 0.95 };
    return { valid: false, scheme: 'fr', spec: 0.95 };
  }
  // Other national notations: US and friends. Punctuation makes it a phone; bare digits do not.
  const punctuated = /[()\-.\s/]/.test(v.trim());
  const p = parsePhoneNumberFromString(cleaned, 'US');
  if (p?.isValid()) return { valid: true, scheme: 'us', spec: punctuated ? 0.7 : 0.25 };
  if (punctuated && /^\(?\d/.test(v.trim())) return { valid: true, scheme: 'other', spec: 0.35 };
  return null;
}
