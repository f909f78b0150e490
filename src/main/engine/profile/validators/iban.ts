/**
 * IBAN (ISO 13616): country length table, mod-97 check, and the French BBAN (RIB key) check.
 *
 * The profiler needs more than the mod-97 check because a 27-character FR string with a right
 * mod 97 can still carry an impossible RIB key; the generator needs the inverse (check digits for
 * a BBAN). Countries whose IBAN embeds a French BBAN (FR, MC and the French overseas codes) also
 * get the RIB-key check. Rules: shared/reference/identifiers.md §2.4 (ibantools).
 */

import { mod97Alphanumeric } from './mod97';
import { padNumber } from './normalize';
import { validateRib } from './rib';

/** IBAN length per country (SWIFT IBAN registry, including the French overseas codes). */
// prettier-ignore
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
  GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24,
  ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24,
  TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, BL: 27, GF: 27, GP: 27, MF: 27, MQ: 27, NC: 27, PF: 27,
  PM: 27, RE: 27, TF: 27, WF: 27, YT: 27,
};

/** Countries whose BBAN is a French RIB (bank, branch, account, RIB key). */
// prettier-ignore
export const FRENCH_BBAN_COUNTRIES: ReadonlySet<string> = new Set([
  'FR', 'MC', 'BL', 'GF', 'GP', 'MF', 'MQ', 'NC', 'PF', 'PM', 'RE', 'TF', 'WF', 'YT',
]);

export interface IbanResult {
  valid: boolean;
  /** Electronic format: upper case, no spaces. */
  normalized: string | null;
  country: string | null;
  checkDigits: string | null;
  bban: string | null;
  lengthOk: boolean;
  mod97Ok: boolean;
  /** National BBAN check (RIB key for French BBANs); null when the country has none here. */
  bbanOk: boolean | null;
  reason: 'empty' | 'format' | 'country' | 'length' | 'mod97' | 'bban' | null;
}

/** Remainder mod 97 of an IBAN rearranged as ISO 13616 says (first 4 chars moved to the end). */
function ibanRemainder(iban: string): number {
  return mod97Alphanumeric(iban.slice(4) + iban.slice(0, 4));
}

/** Check digits for a BBAN: 98 − (BBAN + country + "00" mod 97). */
export function ibanCheckDigits(country: string, bban: string): string {
  const cc = country.toUpperCase();
  return padNumber(98 - mod97Alphanumeric(bban.toUpperCase() + cc + '00'), 2);
}

/** Builds an electronic-format IBAN from a country code and a BBAN. */
export function buildIban(country: string, bban: string): string {
  const cc = country.toUpperCase();
  return cc + ibanCheckDigits(cc, bban) + bban.toUpperCase();
}

/** Print format: groups of four separated by spaces. */
export function formatIban(iban: string): string {
  return electronicIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

/** Upper case without spaces or dashes (and without a leading "IBAN" label). */
export function electronicIban(input: string): string {
  return input
    .toUpperCase()
    .replace(/^IBAN[:\s]*/, '')
    .replace(/[\s-]+/g, '');
}

export function validateIban(input: string): IbanResult {
  const compact = electronicIban(input);
  const r: IbanResult = {
    valid: false,
    normalized: null,
    country: null,
    checkDigits: null,
    bban: null,
    lengthOk: false,
    mod97Ok: false,
    bbanOk: null,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (!/^[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}$/.test(compact)) return { ...r, reason: 'format' };
  r.normalized = compact;
  r.country = compact.slice(0, 2);
  r.checkDigits = compact.slice(2, 4);
  r.bban = compact.slice(4);
  const expectedLength = IBAN_LENGTHS[r.country];
  if (expectedLength === undefined) return { ...r, reason: 'country' };
  r.lengthOk = compact.length === expectedLength;
  r.mod97Ok = ibanRemainder(compact) === 1;
  if (FRENCH_BBAN_COUNTRIES.has(r.country)) r.bbanOk = validateRib(r.bban).valid;
  if (!r.lengthOk) return { ...r, reason: 'length' };
  if (!r.mod97Ok) return { ...r, reason: 'mod97' };
  if (r.bbanOk === false) return { ...r, reason: 'bban' };
  return { ...r, valid: true };
}

export function isValidIban(input: string): boolean {
  return validateIban(input).valid;
}
