/**
 * String similarity measures used by the field comparisons (compare.ts): Jaro-Winkler for names
 * (the standard of person linkage since Winkler 1990: robust to the transpositions and
 * neighbouring-key slips of hand keying, and it rewards a common prefix, which names keep), Damerau
 * edit distance capped at small values for identifiers, and a token-set similarity for addresses.
 * Pure; allocation-light because it runs on millions of candidate pairs.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro similarity in [0, 1]. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler with the usual prefix scale 0.1 over at most 4 characters. */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j < 0.7) return j;
  let prefix = 0;
  const max = Math.min(4, a.length, b.length);
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/**
 * Optimal-string-alignment (Damerau) distance, stopping early above `cap` (returns cap + 1):
 * identifiers only need "0, 1 or more edits apart".
 */
export function editDistance(a: string, b: string, cap = 2): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > cap) return cap + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = Array.from({ length: lb + 1 }, (_, j) => j);
  let cur = new Array<number>(lb + 1).fill(0);
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[lb], cap + 1);
}

/** Scratch flags of tokenSimilarity (reused: it runs per candidate pair). */
let usedB = new Uint8Array(16);

/**
 * Token-set similarity of two addresses in [0, 1]: shared tokens over the smaller set, tokens
 * matching when equal or (for words of 4+ letters) Jaro-Winkler ≥ 0.9, so a typo in the street
 * name still counts (`close`: that test, memoised by the caller). House numbers must be equal to
 * count.
 */
export function tokenSimilarity(
  a: readonly string[],
  b: readonly string[],
  close: (x: string, y: string) => boolean = (x, y) => jaroWinkler(x, y) >= 0.9,
): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  if (b.length > usedB.length) usedB = new Uint8Array(b.length * 2);
  const used = usedB;
  used.fill(0, 0, b.length);
  for (const t of a) {
    for (let j = 0; j < b.length; j++) {
      if (used[j]) continue;
      const u = b[j];
      if (t === u || (t.length >= 4 && u.length >= 4 && close(t, u))) {
        used[j] = 1;
        shared++;
        break;
      }
    }
  }
  return shared / Math.min(a.length, b.length);
}
