/**
 * SIREN (9-digit company number, Luhn) and the French intra-community VAT number built on it.
 *
 * A SIREN column links a leak to businesses (sole traders are people, so it is personal data);
 * the VAT key is a second, independent check when a value is written `FRkk SIREN`.
 * Rules: shared/reference/identifiers.md §2.3 (python-stdnum / stdnum-js).
 */

import { isLuhnValid, luhnCheckDigit } from './luhn';
import { compactIdentifier, isAllDigits, padNumber } from './normalize';

export interface SirenResult {
  valid: boolean;
  normalized: string | null;
  /** Public bodies have SIRENs starting with 1 or 2. */
  publicBody: boolean;
  reason: 'empty' | 'length' | 'charset' | 'luhn' | null;
}

export function validateSiren(input: string): SirenResult {
  const compact = compactIdentifier(input);
  const r: SirenResult = { valid: false, normalized: null, publicBody: false, reason: null };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (compact.length !== 9) return { ...r, reason: 'length' };
  if (!isAllDigits(compact)) return { ...r, reason: 'charset' };
  r.normalized = compact;
  r.publicBody = compact[0] === '1' || compact[0] === '2';
  if (!isLuhnValid(compact)) return { ...r, reason: 'luhn' };
  return { ...r, valid: true };
}

export function isValidSiren(input: string): boolean {
  return validateSiren(input).valid;
}

/** The 9th digit of a SIREN from its first 8. */
export function sirenCheckDigit(first8: string): string {
  if (first8.length !== 8) throw new Error('sirenCheckDigit: expected 8 digits');
  return luhnCheckDigit(first8);
}

/** The 2-digit numeric key of the French VAT number: (12 + 3 × (SIREN mod 97)) mod 97. */
export function frVatKey(siren: string): string {
  if (siren.length !== 9 || !isAllDigits(siren)) throw new Error('frVatKey: expected a SIREN');
  return padNumber((12 + 3 * (Number(siren) % 97)) % 97, 2);
}

export interface FrVatResult {
  valid: boolean;
  normalized: string | null;
  siren: string | null;
  /** Alphabetic keys use another scheme that is not checked here (structure only). */
  keyChecked: boolean;
  reason: 'empty' | 'format' | 'key' | 'siren' | null;
}

/** Validates `FR` + 2 key characters + 9-digit SIREN (numeric keys fully checked). */
export function validateFrVat(input: string): FrVatResult {
  const compact = compactIdentifier(input);
  const r: FrVatResult = {
    valid: false,
    normalized: null,
    siren: null,
    keyChecked: false,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (!/^FR[0-9A-HJ-NP-Z]{2}[0-9]{9}$/.test(compact)) return { ...r, reason: 'format' };
  r.normalized = compact;
  r.siren = compact.slice(4);
  const key = compact.slice(2, 4);
  if (!isAllDigits(key)) return { ...r, valid: true };
  r.keyChecked = true;
  if (frVatKey(r.siren) !== key) return { ...r, reason: 'key' };
  // Monaco VAT numbers (FRxx000…) carry a valid key but no SIREN.
  if (!r.siren.startsWith('000') && !isLuhnValid(r.siren)) return { ...r, reason: 'siren' };
  return { ...r, valid: true };
}
