/**
 * French RIB key (clé RIB), the national check inside a French BBAN.
 *
 * An IBAN's mod-97 check says nothing about the BBAN: Faker, for one, computes the IBAN check
 * digits over a random RIB key, so ~99 % of its French IBANs are not real-looking (identifiers.md
 * §2.4). The generator computes this key first, the validator checks both.
 * key = 97 − ((89·bank + 15·branch + 3·account) mod 97), letters of the account mapped
 * A,J→1 B,K,S→2 … I,R,Z→9.
 */

import { compactIdentifier, isAllDigits, padNumber } from './normalize';

/** RIB digit value of an account character (digits unchanged, letters per the RIB table). */
export function ribCharValue(ch: string): number {
  let c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) c -= 32; // lower case
  if (c >= 65 && c <= 73) return c - 64; // A..I -> 1..9
  if (c >= 74 && c <= 82) return c - 73; // J..R -> 1..9
  if (c >= 83 && c <= 90) return c - 81; // S..Z -> 2..9
  throw new Error(`ribCharValue: not alphanumeric: ${ch}`);
}

function accountToNumber(account: string): number {
  let n = 0;
  for (let i = 0; i < account.length; i++) n = n * 10 + ribCharValue(account[i]);
  return n;
}

/** The 2-digit RIB key ('01'…'97') of bank (5 digits), branch (5 digits), account (11 chars). */
export function ribKey(bank: string, branch: string, account: string): string {
  if (bank.length !== 5 || !isAllDigits(bank)) throw new Error('ribKey: bank must be 5 digits');
  if (branch.length !== 5 || !isAllDigits(branch))
    throw new Error('ribKey: branch must be 5 digits');
  if (!/^[0-9A-Za-z]{11}$/.test(account)) throw new Error('ribKey: account must be 11 characters');
  // Max 89·99999 + 15·99999 + 3·99999999999 < 2^53: exact in Number.
  const sum = 89 * Number(bank) + 15 * Number(branch) + 3 * accountToNumber(account);
  return padNumber(97 - (sum % 97), 2);
}

export interface RibResult {
  valid: boolean;
  normalized: string | null;
  bank: string | null;
  branch: string | null;
  account: string | null;
  key: string | null;
  expectedKey: string | null;
  reason: 'empty' | 'format' | 'key' | null;
}

const BBAN_PATTERN = /^[0-9]{10}[0-9A-Z]{11}[0-9]{2}$/;

/** Validates a 23-character French BBAN (bank, branch, account, key; separators allowed). */
export function validateRib(input: string): RibResult {
  const compact = compactIdentifier(input);
  const r: RibResult = {
    valid: false,
    normalized: null,
    bank: null,
    branch: null,
    account: null,
    key: null,
    expectedKey: null,
    reason: null,
  };
  if (compact.length === 0) return { ...r, reason: 'empty' };
  if (!BBAN_PATTERN.test(compact)) return { ...r, reason: 'format' };
  r.normalized = compact;
  r.bank = compact.slice(0, 5);
  r.branch = compact.slice(5, 10);
  r.account = compact.slice(10, 21);
  r.key = compact.slice(21, 23);
  r.expectedKey = ribKey(r.bank, r.branch, r.account);
  return r.key === r.expectedKey ? { ...r, valid: true } : { ...r, reason: 'key' };
}

export function isValidRib(input: string): boolean {
  return validateRib(input).valid;
}
