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

/**
 * Metropolitan number ranges (Google libphonenumber metadata for FR, identifiers.md §2.5), so
 * that the common case — a French national number — needs no libphonenumber parse: fixed line,
 * mobile (06 minus the overseas 0639x/069x blocks, 073–079), toll-free, shared cost, UAN, VoIP,
 * premium rate.
 */
const FR_NSN =
  /^(?:(?:26[013-9]|59[1-35-9])\d{6}|(?:[13]\d|2[0-57-9]|4[1-9]|5[0-8])\d{7}|(?:6(?:[0-24-8]\d|3[0-8]|9[589])|7[3-9]\d)\d{6}|80[0-9]\d{6}|8(?:1[01]|2[0156]|4[024]|84)\d{6}|9\d{8}|836(?:0[0-36-9]|[1-9]\d)\d{4}|8(?:1[2-9]|2[2-47-9]|3[0-57-9]|[569]\d|8[0-35-9])\d{6})$/;

function frenchScheme(nsn: string): string {
  const c = nsn[0];
  if (c === '6' || c === '7') return 'fr-mobile';
  if (c === '9') return 'fr-voip';
  if (c === '8') return 'fr-special';
  return 'fr-fixed';
}

function usParseCanSucceed(s: string): boolean {
  let d = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d += s[i];
  }
  const n = d.length;
  return (
    n >= 10 || d.startsWith('011') || (n === 8 && d.startsWith('13')) || (n === 7 && d[0] === '3')
  );
}

export function matchPhone(v: string, digits: number): PhoneMatch | null {
  if (digits < 8 || digits > 15 || !PHONE_CHARS.test(v)) return null;
  // Amounts and measures ("32.3800", "1,5") are not phone numbers.
  if (/^[+-]?\d+[.,]\d+$/.test(v.trim())) return null;
  const compact = v.replace(/[\s().\-/]/g, '');
  // "+33 (0)6 12 34 56 78": the national 0 in brackets is dropped when dialling from abroad.
  const cleaned = v.replace(/\(0\)/, '');
  if (compact.startsWith('+33') || compact.startsWith('0033')) {
    const nsn = compact.slice(compact[0] === '+' ? 3 : 4).replace(/^\(?0\)?/, '');
    if (FR_NSN.test(nsn)) return { valid: true, scheme: frenchScheme(nsn), spec: 0.95 };
  }
  if (compact.startsWith('+') || compact.startsWith('00')) {
    const intl = compact.startsWith('00') ? `+${compact.slice(2)}` : cleaned;
    const p = parsePhoneNumberFromString(intl);
    if (!p) return { valid: false, scheme: 'intl', spec: 0.93 };
    if (!p.isValid()) return { valid: false, scheme: 'intl', spec: 0.93 };
    if (p.country === 'FR') {
      return { valid: true, scheme: frenchScheme(String(p.nationalNumber)), spec: 0.95 };
    }
    const overseas = OVERSEAS.some(([, cc]) => cc === p.country);
    return {
      valid: true,
      scheme: `${overseas ? 'overseas' : 'intl'}-${p.country ?? p.countryCallingCode}`,
      spec: 0.93,
    };
  }
  if (compact.length === 10 && compact[0] === '0' && /^\d+$/.test(compact)) {
    for (const [re, cc] of OVERSEAS) {
      if (re.test(compact)) {
        const p = parsePhoneNumberFromString(compact, cc);
        if (p?.isValid()) return { valid: true, scheme: `overseas-${p.country ?? cc}`, spec: 0.93 };
      }
    }
    const nsn = compact.slice(1);
    if (FR_NSN.test(nsn)) return { valid: true, scheme: frenchScheme(nsn), spec: 0.95 };
    return { valid: false, scheme: 'fr', spec: 0.95 };
  }
  // Other national notations: US and friends. Punctuation makes it a phone; bare digits do not,
  // and only the North American lengths are worth a parse (10 digits, or 11 with the leading 1).
  const punctuated = /[()\-.\s/]/.test(v.trim());
  if (!punctuated) {
    const ok =
      (compact.length === 10 && compact[0]! >= '2') ||
      (compact.length === 11 && compact[0] === '1' && compact[1]! >= '2');
    if (!ok) return null;
  }
  // A parse costs ~30 µs, and most values that get here are not numbers from the US (dates:
  // "1966-10-12"). Skipped when it cannot succeed, from the NANP metadata: a national number is
  // [2-9] + 9 digits or 3 + 6 digits (Canada's 310-xxxx), optionally after a leading 1, unless
  // the number is dialled through the 011 international prefix.
  const p = usParseCanSucceed(cleaned) ? parsePhoneNumberFromString(cleaned, 'US') : undefined;
  if (p?.isValid()) return { valid: true, scheme: 'us', spec: punctuated ? 0.7 : 0.25 };
  if (punctuated && /^\(?\d/.test(v.trim())) return { valid: true, scheme: 'other', spec: 0.35 };
  return null;
}
