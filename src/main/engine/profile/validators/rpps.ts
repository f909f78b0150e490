/**
 * RPPS, the 11-digit identifier of French health professionals (usually starting with 10).
 *
 * A Luhn key on the last digit is widely implemented but no ANS primary source confirms it
 * (identifiers.md §2.8), so the result reports structure and Luhn separately: the profiler should
 * compare a column's Luhn pass rate with the 10 % a random column would reach rather than reject
 * values one by one. `8` + RPPS (12 chars) is the IdNatPS form and is accepted.
 */

import { isLuhnValid, luhnCheckDigit } from './luhn';
import { compactIdentifier, isAllDigits } from './normalize';

export interface RppsResult {
  /** Well formed and Luhn-valid. */
  valid: boolean;
  /** 11 digits (after removing an IdNatPS `8` prefix). */
  wellFormed: boolean;
  luhn: boolean;
  /** The 11-digit RPPS that was checked. */
  normalized: string | null;
  /** Input was the 12-character IdNatPS form (`8` + RPPS). */
  idNatPs: boolean;
  reason: 'empty' | 'length' | 'charset' | 'luhn' | null;
}

export function validateRpps(input: string): RppsResult {
  let compact = compactIdentifier(input);
  const r: RppsResult = {
    valid: false,
    wellFormed: false,
    luhn: false,
    normalized: null,
    idNatPs: false,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (compact.length === 12 && compact[0] === '8') {
    r.idNatPs = true;
    compact = compact.slice(1);
  }
  if (compact.length !== 11) return { ...r, reason: 'length' };
  if (!isAllDigits(compact)) return { ...r, reason: 'charset' };
  r.wellFormed = true;
  r.normalized = compact;
  r.luhn = isLuhnValid(compact);
  return r.luhn ? { ...r, valid: true } : { ...r, reason: 'luhn' };
}

export function isValidRpps(input: string): boolean {
  return validateRpps(input).valid;
}

/** The 11th digit of an RPPS from its first 10 (Luhn). */
export function rppsCheckDigit(first10: string): string {
  if (first10.length !== 10) throw new Error('rppsCheckDigit: expected 10 digits');
  return luhnCheckDigit(first10);
}
