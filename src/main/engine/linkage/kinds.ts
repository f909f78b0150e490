/**
 * Identity key kinds and the integer codes `identity_keys.kind` stores (migration 0100). The
 * codes are part of the case file format: never renumber one, only add. Free of the normalisers so
 * the query engine's compiler can map a filter's kind name without loading them.
 */

import { IDENTITY_KEY_KINDS, type IdentityKeyKind } from '../../../shared/contract/linkage';

/** Identity key kinds stored in `identity_keys` (the contract's list: one source of truth). */
export const KEY_KINDS = IDENTITY_KEY_KINDS;
export type KeyKind = IdentityKeyKind;

/** Stored code of each kind (frozen: migration 0100 wrote rows with these). */
export const KEY_KIND_CODE: Readonly<Record<KeyKind, number>> = {
  email: 1,
  phone: 2,
  nir: 3,
  france_travail_id: 4,
  iban: 5,
  national_id: 6,
  name_dob: 7,
  name_postal: 8,
};

const BY_CODE = new Map<number, KeyKind>(KEY_KINDS.map((k) => [KEY_KIND_CODE[k], k]));

/** The code of a kind name; -1 (matches no row) for a name that is not a kind. */
export function kindCode(kind: string): number {
  return (KEY_KIND_CODE as Record<string, number | undefined>)[kind] ?? -1;
}

/** The kind of a stored code, or null for an unknown code. */
export function kindName(code: number): KeyKind | null {
  return BY_CODE.get(code) ?? null;
}
