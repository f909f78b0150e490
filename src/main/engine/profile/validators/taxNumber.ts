/**
 * French personal tax number (numéro fiscal de référence, SPI): 13 digits, first digit 0–3,
 * last three = (first ten as an integer) mod 511.
 *
 * Another identifier of a natural person that leaks alongside NIRs (tax notices, rent files);
 * a random 13-digit value passes with p ≈ 1/511. Rule: identifiers.md §2.3 (stdnum-js nif.ts).
 */

import { compactIdentifier, isAllDigits, padNumber } from './normalize';

export interface FrTaxNumberResult {
  valid: boolean;
  normalized: string | null;
  reason: 'empty' | 'format' | 'checksum' | null;
}

export function frTaxNumberCheck(first10: string): string {
  if (first10.length !== 10 || !isAllDigits(first10)) {
    throw new Error('frTaxNumberCheck: expected 10 digits');
  }
  return padNumber(Number(first10) % 511, 3);
}

export function validateFrTaxNumber(input: string): FrTaxNumberResult {
  const compact = compactIdentifier(input);
  if (compact.length === 0) return { valid: false, normalized: null, reason: 'empty' };
  if (!/^[0-3][0-9]{12}$/.test(compact))
    return { valid: false, normalized: null, reason: 'format' };
  const ok = frTaxNumberCheck(compact.slice(0, 10)) === compact.slice(10);
  return { valid: ok, normalized: compact, reason: ok ? null : 'checksum' };
}
