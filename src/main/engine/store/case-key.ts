/**
 * The case key, derived once per open instead of once per connection.
 *
 * SQLCipher 4 turns the passphrase into the page key with PBKDF2-HMAC-SHA512, 256,000 iterations,
 * salted by the file's first 16 bytes: about 150 ms of CPU on every connection that is opened
 * with the passphrase. A case is opened by the engine, then again by every job worker, its WAL
 * checkpointer, each query worker and each identity-key thread, so an import paid it at least
 * twice on its way. The engine now runs the same derivation once (here, with Node's PBKDF2) and
 * every connection opens with the derived key in SQLCipher's raw-key syntax (`x'<64 hex>'`),
 * which SQLite3MultipleCiphers honours for its sqlcipher scheme. The file is unchanged: a standard
 * SQLCipher 4 file that opens with its passphrase (test/integration/case-key.test.ts checks both
 * ways). The derived key is as secret as the passphrase and handled like it: held in memory by
 * the engine, passed to threads of the same process, never logged or written.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { pbkdf2Sync, randomBytes } from 'node:crypto';

/** SQLCipher 4's key derivation (`legacy=4`), which a raw key must reproduce exactly. */
export const CASE_KDF = { iterations: 256_000, digest: 'sha512', keyBytes: 32, saltBytes: 16 };

/** A passphrase already written as a raw key (with or without its salt) is used as it is. */
const RAW_KEY = /^x'(?:[0-9a-f]{64}|[0-9a-f]{96})'$/i;

function deriveKey(passphrase: string, salt: Buffer): Buffer {
  return pbkdf2Sync(passphrase, salt, CASE_KDF.iterations, CASE_KDF.keyBytes, CASE_KDF.digest);
}

/**
 * The salt at the start of a case file, or null when it cannot be read (missing, a folder, too
 * short): the open that follows reports that with its own error.
 */
function readSalt(path: string): Buffer | null {
  const salt = Buffer.alloc(CASE_KDF.saltBytes);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return readSync(fd, salt, 0, salt.length, 0) === salt.length ? salt : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The key to open an existing case with. A wrong passphrase gives a wrong key, which the open
 * refuses as it would the passphrase (E_BAD_PASSPHRASE). When no salt can be read the passphrase
 * is kept, so the open reports what is wrong with the file.
 */
export function caseKeyFor(path: string, passphrase: string): string {
  if (RAW_KEY.test(passphrase)) return passphrase.slice(0, 66) + "'";
  const salt = readSalt(path);
  return salt ? `x'${deriveKey(passphrase, salt).toString('hex')}'` : passphrase;
}

/**
 * Keys for a new case: `create` carries a fresh random salt with the key (SQLCipher's 96-digit
 * form, so the file is written with that salt), `open` is the key alone for later connections.
 */
export function newCaseKey(passphrase: string): { create: string; open: string } {
  if (RAW_KEY.test(passphrase)) return { create: passphrase, open: passphrase.slice(0, 66) + "'" };
  const salt = randomBytes(CASE_KDF.saltBytes);
  const key = deriveKey(passphrase, salt).toString('hex');
  return { create: `x'${key}${salt.toString('hex')}'`, open: `x'${key}'` };
}
