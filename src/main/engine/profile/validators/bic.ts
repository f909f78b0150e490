/**
 * BIC / SWIFT code structure: 4-letter bank code, ISO country, 2-char location, optional branch.
 *
 * There is no checksum, so the country must be a real ISO 3166 code for a value to count; that
 * alone removes most 8- and 11-letter words a free-text column could hold.
 * Rules: shared/reference/identifiers.md §2.4 (ibantools isValidBIC).
 */

import { compactIdentifier } from './normalize';

/** ISO 3166-1 alpha-2 codes, plus XK (Kosovo), which SWIFT uses. */
// prettier-ignore
const ISO_COUNTRIES = new Set(
  ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR ' +
    'BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ ' +
    'EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW ' +
    'GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY ' +
    'KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV ' +
    'MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
    'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
    'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ' +
    'ZW XK').split(' '),
);

export function isIsoCountryCode(code: string): boolean {
  return ISO_COUNTRIES.has(code.toUpperCase());
}

export interface BicResult {
  valid: boolean;
  normalized: string | null;
  bankCode: string | null;
  countryCode: string | null;
  locationCode: string | null;
  /** 3-character branch code, null for an 8-character BIC. */
  branchCode: string | null;
  /** Second location character `0`: a test BIC. */
  testBic: boolean;
  reason: 'empty' | 'format' | 'country' | null;
}

const BIC_PATTERN = /^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

export function validateBic(input: string): BicResult {
  const compact = compactIdentifier(input);
  const r: BicResult = {
    valid: false,
    normalized: null,
    bankCode: null,
    countryCode: null,
    locationCode: null,
    branchCode: null,
    testBic: false,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (!BIC_PATTERN.test(compact)) return { ...r, reason: 'format' };
  r.normalized = compact;
  r.bankCode = compact.slice(0, 4);
  r.countryCode = compact.slice(4, 6);
  r.locationCode = compact.slice(6, 8);
  r.branchCode = compact.length === 11 ? compact.slice(8) : null;
  r.testBic = compact[7] === '0';
  if (!ISO_COUNTRIES.has(r.countryCode)) return { ...r, reason: 'country' };
  return { ...r, valid: true };
}

export function isValidBic(input: string): boolean {
  return validateBic(input).valid;
}
