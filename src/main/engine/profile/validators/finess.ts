/**
 * FINESS, the 9-character number of French health and social establishments.
 *
 * The first two characters are the département (2A/2B for Corsica, 97x overseas); the last
 * character is a Luhn key computed after reading 2A as 21 and 2B as 22 (the rule implemented by
 * gip-inclusion/pilotage, identifiers.md §2.8 — a secondary source, so treat column pass rates,
 * not single values, as evidence).
 */

import { isLuhnValid, luhnCheckDigit } from './luhn';
import { compactIdentifier } from './normalize';

export interface FinessResult {
  valid: boolean;
  normalized: string | null;
  /** '01'…'95', '2A', '2B' or '97' (overseas, the next digits say which). */
  department: string | null;
  luhn: boolean;
  reason: 'empty' | 'length' | 'charset' | 'department' | 'luhn' | null;
}

const FINESS_PATTERN = /^(?:[0-9]{2}|2A|2B)[0-9]{7}$/;

function numericForm(value: string): string {
  if (value.startsWith('2A')) return '21' + value.slice(2);
  if (value.startsWith('2B')) return '22' + value.slice(2);
  return value;
}

export function validateFiness(input: string): FinessResult {
  const compact = compactIdentifier(input);
  const r: FinessResult = {
    valid: false,
    normalized: null,
    department: null,
    luhn: false,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (compact.length !== 9) return { ...r, reason: 'length' };
  if (!FINESS_PATTERN.test(compact)) return { ...r, reason: 'charset' };
  r.normalized = compact;
  r.department = compact.slice(0, 2);
  const d = Number(r.department);
  if (r.department !== '2A' && r.department !== '2B' && !(d >= 1 && d <= 95) && d !== 97) {
    return { ...r, reason: 'department' };
  }
  r.luhn = isLuhnValid(numericForm(compact));
  return r.luhn ? { ...r, valid: true } : { ...r, reason: 'luhn' };
}

export function isValidFiness(input: string): boolean {
  return validateFiness(input).valid;
}

/** The 9th character of a FINESS from its first 8 (2A/2B allowed at the start). */
export function finessCheckDigit(first8: string): string {
  if (first8.length !== 8) throw new Error('finessCheckDigit: expected 8 characters');
  return luhnCheckDigit(numericForm(first8.toUpperCase()));
}
