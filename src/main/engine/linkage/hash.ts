/**
 * Fast non-cryptographic string hashes (MurmurHash3's 32-bit mixing over UTF-16 code units) for
 * in-memory grouping: exact-duplicate record fingerprints and blocking keys. Two independent
 * seeds give 64 bits where a collision would merge records (1 chance in ~10^5 at 10^7 records);
 * blocking tolerates collisions (they only add candidate pairs that the comparisons reject).
 * Nothing hashed here is stored or used as evidence.
 */

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
  h ^= s.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Second, independent 32-bit hash (another seed) for 64-bit fingerprints. */
export function hash32b(s: string): number {
  return hash32(s, 0x5bd1e995);
}
