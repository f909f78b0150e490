/**
 * Luhn (mod 10) checksum, the key of SIREN, SIRET, card numbers, RPPS and FINESS.
 *
 * Kept separate because five identifiers share it and the generator needs the inverse
 * operation (the check digit to append), not just the verdict.
 */

import { isAllDigits } from './normalize';

/** Luhn sum of a digit string, doubling every second digit from the right. */
export function luhnSum(digits: string): number {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/** True when `digits` is all digits and its Luhn sum is a multiple of 10. */
export function isLuhnValid(digits: string): boolean {
  return isAllDigits(digits) && luhnSum(digits) % 10 === 0;
}

/** The digit to append to `payload` so that the whole string passes Luhn. */
export function luhnCheckDigit(payload: string): string {
  if (!isAllDigits(payload)) throw new Error('luhnCheckDigit: payload must be digits');
  // With a trailing 0 appended, the payload's digits take the positions they will have.
  const sum = luhnSum(payload + '0');
  return String((10 - (sum % 10)) % 10);
}
