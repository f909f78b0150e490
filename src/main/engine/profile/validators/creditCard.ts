/**
 * Payment card numbers (PAN): Luhn plus issuer prefix (IIN) and length per network.
 *
 * Luhn alone passes 10 % of random digit strings; requiring a known network prefix with the
 * network's length makes a 16-digit order number or phone-like id much less likely to be taken
 * for a card. French "CB" cards are co-branded Visa or Mastercard, so they fall under those.
 */

import { isLuhnValid, luhnCheckDigit } from './luhn';
import { compactIdentifier, isAllDigits } from './normalize';

export type CardBrand =
  'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'maestro';

interface BrandRule {
  brand: CardBrand;
  /** Inclusive prefix ranges compared on the first `digits` digits. */
  ranges: ReadonlyArray<readonly [number, number, number]>; // [digits, from, to]
  lengths: readonly number[];
}

// Order matters: more specific ranges first (Discover's 622126–622925 before UnionPay's 62).
const RULES: readonly BrandRule[] = [
  {
    brand: 'amex',
    ranges: [
      [2, 34, 34],
      [2, 37, 37],
    ],
    lengths: [15],
  },
  {
    brand: 'mastercard',
    ranges: [
      [2, 51, 55],
      [4, 2221, 2720],
    ],
    lengths: [16],
  },
  { brand: 'visa', ranges: [[1, 4, 4]], lengths: [13, 16, 19] },
  {
    brand: 'discover',
    ranges: [
      [4, 6011, 6011],
      [6, 622126, 622925],
      [3, 644, 649],
      [2, 65, 65],
    ],
    lengths: [16, 17, 18, 19],
  },
  { brand: 'jcb', ranges: [[4, 3528, 3589]], lengths: [16, 17, 18, 19] },
  {
    brand: 'diners',
    ranges: [
      [3, 300, 305],
      [2, 36, 36],
      [2, 38, 39],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { brand: 'unionpay', ranges: [[2, 62, 62]], lengths: [16, 17, 18, 19] },
  {
    brand: 'maestro',
    ranges: [
      [2, 50, 50],
      [2, 56, 69],
    ],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

function matchesPrefix(digits: string, rule: BrandRule): boolean {
  for (const [n, from, to] of rule.ranges) {
    if (digits.length < n) continue;
    const p = Number(digits.slice(0, n));
    if (p >= from && p <= to) return true;
  }
  return false;
}

/** The network a number's prefix belongs to, whatever its length (null if none). */
export function detectCardBrand(digits: string): CardBrand | null {
  for (const rule of RULES) if (matchesPrefix(digits, rule)) return rule.brand;
  return null;
}

export interface CardResult {
  valid: boolean;
  normalized: string | null;
  brand: CardBrand | null;
  luhn: boolean;
  lengthOk: boolean;
  reason: 'empty' | 'charset' | 'length' | 'brand' | 'luhn' | null;
}

export function validateCardNumber(input: string): CardResult {
  const compact = compactIdentifier(input);
  const r: CardResult = {
    valid: false,
    normalized: null,
    brand: null,
    luhn: false,
    lengthOk: false,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (!isAllDigits(compact)) return { ...r, reason: 'charset' };
  if (compact.length < 12 || compact.length > 19) return { ...r, reason: 'length' };
  r.normalized = compact;
  r.luhn = isLuhnValid(compact);
  const rule = RULES.find((x) => matchesPrefix(compact, x));
  if (!rule) return { ...r, reason: 'brand' };
  r.brand = rule.brand;
  r.lengthOk = rule.lengths.includes(compact.length);
  if (!r.lengthOk) return { ...r, reason: 'length' };
  if (!r.luhn) return { ...r, reason: 'luhn' };
  return { ...r, valid: true };
}

export function isValidCardNumber(input: string): boolean {
  return validateCardNumber(input).valid;
}

/** Completes a card number: `payload` (all digits but the last) + its Luhn digit. */
export function completeCardNumber(payload: string): string {
  return payload + luhnCheckDigit(payload);
}
