/**
 * Fellegi-Sunter scoring: per field and agreement level, m = P(level | same person) and
 * u = P(level | different people); a pair's match weight is Σ log2(m/u) over its non-missing
 * fields, plus term-frequency adjustments, and its probability follows from the prior λ.
 *
 * - u is estimated on random record pairs (almost all non-matches), as Splink does: fixing u from
 *   data the blocking did not bias keeps EM from mistaking "agrees on the blocking key" for
 *   evidence;
 * - m and λ are estimated by EM on the candidate pairs (with a free non-match class during
 *   training, see runEm), run over distinct agreement patterns (count-weighted), so it costs the
 *   same for a thousand or fifty million pairs;
 * - term frequency: an exact agreement on a name weighs log2(m / tf(value)) instead of
 *   log2(m / u): agreeing on "Martin" (3% of records) says less than agreeing on "Zanetti".
 *   The adjustment log2(u_exact / tf) is computed per pair and clamped to ±TF_CLAMP bits.
 */
import { FIELD_COUNT, FIELDS, NULL_LEVEL, unpackLevels } from './compare';

export const TF_CLAMP = 8;
export const EM_MAX_ITERATIONS = 100;
export const EM_TOLERANCE = 1e-6;

export interface FsModel {
  lambda: number;
  m: number[][];
  u: number[][];
  iterations: number;
  converged: boolean;
}

/** u probabilities from level counts on random pairs, with add-½ smoothing. */
export function estimateU(counts: number[][]): number[][] {
  return counts.map((c) => {
    const n = c.reduce((s, x) => s + x, 0);
    return c.map((x) => (x + 0.5) / (n + 0.5 * c.length));
  });
}

/** Starting m: most mass on exact agreement, the rest spread over weaker levels. */
function initialM(): number[][] {
  return FIELDS.map((f) => {
    const k = f.levels.length;
    const m = new Array<number>(k).fill(0.1 / (k - 1));
    m[0] = 0.9;
    return m;
  });
}

/**
 * EM for m and λ on the candidate pairs. During training the non-match class has its own
 * distribution uc, started from the random-pair u and re-estimated from the candidates: candidate
 * non-matches agree on their blocking keys far more often than random pairs do, and a non-match
 * class pinned to random-pair u cannot explain them, so EM would push every candidate into the
 * match class (λ → 1). Scoring then uses m and λ from here with the random-pair u (Splink's
 * practice). `patterns` maps a packed level code to its pair count.
 */
export function runEm(patterns: ReadonlyMap<number, number>, u: number[][]): FsModel {
  const codes = [...patterns.keys()];
  const counts = codes.map((c) => patterns.get(c)!);
  const levels = codes.map((c) => unpackLevels(c, new Uint8Array(FIELD_COUNT)));
  let m = initialM();
  let uc = u.map((row) => row.slice());
  let lambda = 0.05;
  let iterations = 0;
  let converged = false;
  const total = counts.reduce((s, x) => s + x, 0);
  const normalize = (rows: number[][]) =>
    rows.map((row) => {
      const s = row.reduce((a, b) => a + b, 0);
      // Small floor: a level never seen keeps a finite (very negative) weight.
      return row.map((x) => (s > 0 ? Math.max(x / s, 1e-6) : 1 / row.length));
    });
  for (; iterations < EM_MAX_ITERATIONS; iterations++) {
    const mNum = FIELDS.map((f) => new Array<number>(f.levels.length).fill(0));
    const uNum = FIELDS.map((f) => new Array<number>(f.levels.length).fill(0));
    let lambdaNum = 0;
    for (let p = 0; p < codes.length; p++) {
      const lv = levels[p];
      let lm = Math.log(lambda);
      let lu = Math.log(1 - lambda);
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = lv[f];
        if (l === NULL_LEVEL) continue;
        lm += Math.log(m[f][l]);
        lu += Math.log(uc[f][l]);
      }
      const w = 1 / (1 + Math.exp(lu - lm));
      const cw = counts[p] * w;
      const cn = counts[p] - cw;
      lambdaNum += cw;
      for (let f = 0; f < FIELD_COUNT; f++) {
        const l = lv[f];
        if (l === NULL_LEVEL) continue;
        mNum[f][l] += cw;
        uNum[f][l] += cn;
      }
    }
    const newLambda = Math.min(Math.max(lambdaNum / total, 1e-9), 1 - 1e-9);
    const newM = normalize(mNum);
    let delta = Math.abs(newLambda - lambda);
    for (let f = 0; f < FIELD_COUNT; f++)
      for (let l = 0; l < newM[f].length; l++)
        delta = Math.max(delta, Math.abs(newM[f][l] - m[f][l]));
    m = newM;
    uc = normalize(uNum);
    lambda = newLambda;
    if (delta < EM_TOLERANCE) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { lambda, m, u, iterations, converged };
}

/** Match weight (log2 Bayes factor) of a pattern, without term-frequency adjustments. */
export function patternWeight(model: FsModel, levels: Uint8Array): number {
  let w = 0;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const l = levels[f];
    if (l === NULL_LEVEL) continue;
    w += Math.log2(model.m[f][l] / model.u[f][l]);
  }
  return w;
}

/** Term-frequency adjustment (bits) for an exact agreement on a value of frequency `tf`. */
export function tfAdjustment(uExact: number, tf: number): number {
  const adj = Math.log2(uExact / Math.max(tf, 1e-9));
  return Math.max(-TF_CLAMP, Math.min(TF_CLAMP, adj));
}

/** Match probability from a weight and the prior λ. */
export function probability(weight: number, lambda: number): number {
  const logOdds = weight + Math.log2(lambda / (1 - lambda));
  return 1 / (1 + 2 ** -logOdds);
}
