/**
 * Fast non-cryptographic string hashes (MurmurHash3's 32-bit mixing over UTF-16 code units) for
 * in-memory grouping: exact-duplicate record fingerprints and blocking keys. Two independent
 * seeds give 64 bits where a collision would merge records (1 chance in ~10^5 at 10^7 records);
 * blocking tolerates collisions (they only add candidate pairs that the comparisons reject).
 * keyHash (below) is the one hash that is stored: identity keys, in `identity_keys.key`.
 */
import { fmix32 } from '../profile/stats/hll';

/** 32-bit hash of a string (unsigned). */
export function hash32(s: string, seed = 0x9747b28c): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    let k = s.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ s.length);
}

/** Second, independent 32-bit hash (another seed) for 64-bit fingerprints. */
export function hash32b(s: string): number {
  return hash32(s, 0x5bd1e995);
}

/**
 * The 64-bit hash that `identity_keys.key` stores in place of a key's text (migration 0100), as
 * two 32-bit lanes computed in one pass over the UTF-16 code units: MurmurHash3's mixing (lane
 * hi) and FNV-1a (lane lo), each finished by MurmurHash3's avalanche. Two different
 * constructions, so that an input pair colliding in one lane (Murmur3 has seed-independent
 * collisions) is not thereby colliding in the other.
 *
 * Why a hash is safe for matching: keys only meet keys of the same kind, and a kind holding n
 * distinct values expects n² / 2^65 colliding pairs: 3·10⁻⁶ at 10M values, 3·10⁻⁴ at 100M, i.e.
 * effectively never a false pair against a strong-key precision target of 0.999. It is not
 * cryptographic: a leak crafted to plant collisions could link two chosen keys; what is
 * displayed (key text) is recomputed from the record itself, never trusted to the hash.
 *
 * `out[0]` receives the high lane as a signed 32-bit integer, `out[1]` the low lane unsigned, so
 * SQLite rebuilds the value as `(hi << 32) | lo` and keyHash64 gives the same BigInt.
 * Changing this function changes the case file format (a migration must rewrite the keys).
 */
export function keyHash(s: string, out: number[]): void {
  let a = 0x9747b28c;
  let b = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    a ^= k;
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ c, 0x01000193);
  }
  out[0] = fmix32(a ^ s.length) | 0;
  out[1] = fmix32(b ^ s.length);
}

const parts = [0, 0];

/** keyHash as the signed 64-bit integer SQLite stores (for point lookups and checks). */
export function keyHash64(s: string): bigint {
  keyHash(s, parts);
  return (BigInt(parts[0]) << 32n) | BigInt(parts[1]);
}
