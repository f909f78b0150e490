/**
 * Finding NIRs, e-mail addresses and phone numbers inside arbitrary text (free-text columns,
 * report narrative), for export verification and the quick column reading of kinds.ts.
 *
 * Candidates are found with boundary-anchored patterns, then confirmed by the real validators
 * (NIR key, e-mail syntax, libphonenumber validity), so that a SIRET, an IBAN or a date is not
 * mistaken for a phone. Phone candidates must be written nationally (0X…, 10 digits) or
 * internationally (+ or 00): a bare 9-digit number is a SIREN far more often than a phone.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isValidNir } from '../profile/validators';

export type TokenKind = 'nir' | 'email' | 'phone';

const EMAIL_EXACT =
  /^[A-Za-z0-9._%+'!#$&*/=?^`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$/;
const EMAIL_IN_TEXT =
  /[A-Za-z0-9._%+'!#$&*/=?^`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
const NIR_IN_TEXT =
  /(?<![0-9A-Za-z])[1-478][\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?(?:\d{2}|2[AaBb])[\s.-]?\d{3}[\s.-]?\d{3}[\s.-]?\d{2}(?![0-9A-Za-z])/g;
// Bounded by anything but a letter or digit, like the NIR: a digit run inside a longer token (a
// SHA-256 or a UUID printed in a report, `…f0612345678a…`) is not a phone number.
const PHONE_NATIONAL_IN_TEXT = /(?<![0-9A-Za-z+])0[1-9](?:[\s.-]?\d){8}(?![0-9A-Za-z])/g;
const PHONE_INTL_IN_TEXT =
  /(?<![0-9A-Za-z+])(?:\+|00)[1-9]\d{0,2}[\s.-]?(?:\(0\)[\s.-]?)?\d(?:[\s.-]?\d){6,12}(?![0-9A-Za-z])/g;

const OVERSEAS: readonly [RegExp, 'RE' | 'YT' | 'GP' | 'GF' | 'MQ' | 'PM'][] = [
  [/^0(?:262|263|692|693)/, 'RE'],
  [/^0(?:269|639)/, 'YT'],
  [/^0(?:590|690|691)/, 'GP'],
  [/^0(?:594|694)/, 'GF'],
  [/^0(?:596|696|697)/, 'MQ'],
  [/^0508/, 'PM'],
];

export function isEmailToken(v: string): boolean {
  return EMAIL_EXACT.test(v.trim());
}

/** A whole value that is a valid phone number written nationally (0X…) or with + / 00. */
export function isPhoneToken(v: string): boolean {
  const compact = v
    .trim()
    .replace(/\(0\)/, '')
    .replace(/[\s().\-/]/g, '');
  if (/^0[1-9]\d{8}$/.test(compact)) {
    const overseas = OVERSEAS.find(([re]) => re.test(compact));
    return parsePhoneNumberFromString(compact, overseas ? overseas[1] : 'FR')?.isValid() === true;
  }
  if (/^(?:\+|00)[1-9]\d{7,14}$/.test(compact)) {
    const intl = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
    return parsePhoneNumberFromString(intl)?.isValid() === true;
  }
  return false;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export interface TokenFinding {
  kind: TokenKind;
  /** Position of the finding in the text (never the value itself: findings are logged). */
  index: number;
}

/** The first NIR, e-mail or phone (of the kinds asked for) found in `text`, or null. */
export function findToken(text: string, kinds: ReadonlySet<TokenKind>): TokenFinding | null {
  if (kinds.has('email') && text.includes('@')) {
    EMAIL_IN_TEXT.lastIndex = 0;
    const m = EMAIL_IN_TEXT.exec(text);
    if (m) return { kind: 'email', index: m.index };
  }
  if (digitCount(text) < 8) return null;
  if (kinds.has('nir')) {
    for (const m of text.matchAll(NIR_IN_TEXT)) {
      if (isValidNir(m[0])) return { kind: 'nir', index: m.index };
    }
  }
  if (kinds.has('phone')) {
    for (const re of [PHONE_NATIONAL_IN_TEXT, PHONE_INTL_IN_TEXT]) {
      for (const m of text.matchAll(re)) {
        if (isPhoneToken(m[0])) return { kind: 'phone', index: m.index };
      }
    }
  }
  return null;
}
