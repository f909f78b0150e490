/**
 * SIRET: SIREN + 5-digit NIC (establishment rank + check digit), Luhn over all 14 digits.
 *
 * La Poste is the documented exception: all its establishments share SIREN 356000000 and, apart
 * from the head office 35600000000048 (Luhn-valid), a SIRET is valid when the sum of its digits
 * is a multiple of 5. Rules and vectors: shared/reference/identifiers.md §2.3.
 */

import { isLuhnValid, luhnCheckDigit } from './luhn';
import { compactIdentifier, isAllDigits } from './normalize';

export const LA_POSTE_SIREN = '356000000';
const LA_POSTE_HEAD_OFFICE = '35600000000048';

export interface SiretResult {
  valid: boolean;
  normalized: string | null;
  siren: string | null;
  /** Establishment number (NIC): 4-digit rank + check digit. */
  nic: string | null;
  /** Validated with the La Poste digit-sum rule. */
  laPoste: boolean;
  /** Luhn of the SIREN part alone (always true for real companies). */
  sirenValid: boolean;
  reason: 'empty' | 'length' | 'charset' | 'checksum' | 'siren' | null;
}

export function validateSiret(input: string): SiretResult {
  const compact = compactIdentifier(input);
  const r: SiretResult = {
    valid: false,
    normalized: null,
    siren: null,
    nic: null,
    laPoste: false,
    sirenValid: false,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (compact.length !== 14) return { ...r, reason: 'length' };
  if (!isAllDigits(compact)) return { ...r, reason: 'charset' };
  r.normalized = compact;
  r.siren = compact.slice(0, 9);
  r.nic = compact.slice(9);
  r.sirenValid = isLuhnValid(r.siren);
  if (r.siren === LA_POSTE_SIREN && compact !== LA_POSTE_HEAD_OFFICE) {
    r.laPoste = true;
    let sum = 0;
    for (let i = 0; i < 14; i++) sum += compact.charCodeAt(i) - 48;
    return sum % 5 === 0 ? { ...r, valid: true } : { ...r, reason: 'checksum' };
  }
  if (!isLuhnValid(compact)) return { ...r, reason: 'checksum' };
  if (!r.sirenValid) return { ...r, reason: 'siren' };
  return { ...r, valid: true };
}

export function isValidSiret(input: string): boolean {
  return validateSiret(input).valid;
}

/** The 14th digit of a SIRET from its first 13 (Luhn; not for La Poste establishments). */
export function siretCheckDigit(first13: string): string {
  if (first13.length !== 13) throw new Error('siretCheckDigit: expected 13 digits');
  return luhnCheckDigit(first13);
}
