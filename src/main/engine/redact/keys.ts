/**
 * The per-case pseudonym secret and the keys derived from it.
 *
 * The secret is 32 random bytes in `redaction_secret` (migration 0070), created the first time a
 * policy needs it, and never leaves the encrypted case: not in a policy file, an export, the audit
 * log or a job message (workers read it from their own connection to the case). Consequences, by
 * design: the same value gets the same pseudonym in every dataset and export of a case; another
 * case (another secret) gives unrelated pseudonyms; nobody holding only an export can reverse a
 * pseudonym by hashing candidate values (a NIR or phone has too little entropy for an unkeyed
 * hash to protect it).
 *
 * Two independent subkeys are derived with HMAC-SHA256(secret, label), so a pseudonym and a
 * format-preserving round function never share a key.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ReadableDB, WritableDB } from '../store/types';
import { FixedKeyHmac } from './hmac';

export const SECRET_BYTES = 32;

/** Reads the case secret, or null when no policy has needed one yet. */
export function loadCaseSecret(db: ReadableDB): Buffer | null {
  const row = db.prepare('SELECT secret FROM redaction_secret WHERE id = 1').get() as
    { secret: Buffer } | undefined;
  return row ? Buffer.from(row.secret) : null;
}

/**
 * Returns the case secret, creating it on first use. INSERT OR IGNORE makes two connections
 * racing to create it agree on whichever row landed first.
 */
export function ensureCaseSecret(db: WritableDB, now: Date = new Date()): Buffer {
  const existing = loadCaseSecret(db);
  if (existing) return existing;
  db.prepare(
    'INSERT OR IGNORE INTO redaction_secret (id, secret, created_at) VALUES (1, ?, ?)',
  ).run(randomBytes(SECRET_BYTES), now.toISOString());
  return loadCaseSecret(db)!;
}

/** Keys derived from one case secret. */
export class RedactionKeys {
  private readonly pseudonymMac: FixedKeyHmac;
  private readonly fpeKeyMac: FixedKeyHmac;

  constructor(secret: Buffer) {
    if (secret.length !== SECRET_BYTES) throw new Error('the case secret must be 32 bytes');
    this.pseudonymMac = new FixedKeyHmac(
      createHmac('sha256', secret).update('leakscope/pseudonym/v1').digest(),
    );
    this.fpeKeyMac = new FixedKeyHmac(
      createHmac('sha256', secret).update('leakscope/fpe/v1').digest(),
    );
  }

  /** HMAC-SHA256 under the pseudonym key, as lowercase hex (its first `digits` digits). */
  pseudonymHex(message: string, digits = 64): string {
    return this.pseudonymMac.hex(message, digits);
  }

  /** HMAC-SHA256 under the format-preserving key: the Feistel round function's PRF. */
  fpeMac(message: string): Buffer {
    return this.fpeKeyMac.digest(message);
  }
}
