/**
 * France Travail (formerly Pôle emploi) job-seeker identifier.
 *
 * Two forms coexist in leaks: the legacy regional id (7 digits + 1 letter or digit) and the
 * 11-digit national id rolled out in 2025. No checksum is known (identifiers.md §2.2), so a value
 * matching the shape is weak evidence: the profiler must combine it with the column name and
 * neighbouring NIR / date-of-birth columns. This module only says which form a value has.
 */

import { compactIdentifier } from './normalize';

export type FranceTravailForm = 'legacy' | 'national';

export interface FranceTravailIdResult {
  valid: boolean;
  form: FranceTravailForm | null;
  normalized: string | null;
  reason: 'empty' | 'format' | null;
}

const LEGACY = /^[0-9]{7}[0-9A-Z]$/;
const NATIONAL = /^[0-9]{11}$/;

export function validateFranceTravailId(input: string): FranceTravailIdResult {
  const compact = compactIdentifier(input);
  if (compact.length === 0) return { valid: false, form: null, normalized: null, reason: 'empty' };
  if (LEGACY.test(compact))
    return { valid: true, form: 'legacy', normalized: compact, reason: null };
  if (NATIONAL.test(compact)) {
    return { valid: true, form: 'national', normalized: compact, reason: null };
  }
  return { valid: false, form: null, normalized: null, reason: 'format' };
}

export function isValidFranceTravailId(input: string): boolean {
  return validateFranceTravailId(input).valid;
}
