/**
 * Record-level matches between two datasets (or inside one): `matches A --against B`.
 *
 * Without --fuzzy: pairs sharing a strong identity key with compatible dates of birth, straight
 * from `identity_keys` (scales to millions; score 1, keys = the shared kinds).
 * With --fuzzy: both datasets' records are loaded and normalised, candidate pairs come from the
 * blocking rules, every candidate gets its field agreement levels, u is estimated on random
 * pairs, m and λ by EM, names are term-frequency adjusted, and pairs at or above the threshold
 * are kept. The result states the blocking rules with their pair counts, the model, and the
 * threshold's estimated precision/recall trade-off.
 *
 * Accepted pairs are stored in `match_pairs` (replacing the previous run for the same datasets
 * and mode) so that clusters and the query engine can use them.
 */
import type { MatchesResult } from '../../../shared/api';
import { sqlId } from '../store/sql';
import type { WritableDB } from '../store/types';
import { candidatePairs, DEFAULT_BLOCK_CAP, type CandidateSet } from './blocking';
import { compareRecords, FIELD_COUNT, FIELDS, NULL_LEVEL, packLevels } from './compare';
import { KEY_KIND_CODE } from './kinds';
import type { DatasetInfo } from './overlap';
import { choosePlan, PAIRS_SQL, registerLinkageFunctions } from './queries';
import { readAllRecords, STRONG_KINDS, type LinkRecord } from './records';
import { linkageOptions } from './keys';
import { estimateU, patternWeight, probability, runEm, tfAdjustment, type FsModel } from './score';

export const DEFAULT_THRESHOLD = 0.9;
/** Random pairs compared to estimate u. */
export const U_SAMPLE_PAIRS = 200_000;
export const TRADEOFF_THRESHOLDS = [0.5, 0.8, 0.9, 0.95, 0.99];

export interface MatchOptions {
  fuzzy: boolean;
  threshold?: number;
  limit: number;
  blockCap?: number;
  signal?: AbortSignal;
  onProgress?: (step: string, done: number, total: number) => void;
  now?: () => Date;
}

export interface AcceptedPair {
  a: number;
  b: number;
  score: number;
  weight: number | null;
  keys: string[];
}

/** What a run produced, including every accepted pair (the result lists `limit` of them). */
export interface MatchRun {
  result: MatchesResult;
  accepted: AcceptedPair[];
  candidates: CandidateSet | null;
  /** Row ids of the loaded records (fuzzy), index → row id. */
  aRowIds?: number[];
  bRowIds?: number[];
}

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** Frequency tables of folded first and last names over the records of both sides. */
function nameFrequencies(sides: readonly (readonly LinkRecord[])[]) {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  let n = 0;
  for (const side of sides) {
    for (const r of side) {
      n++;
      if (r.first) first.set(r.first, (first.get(r.first) ?? 0) + 1);
      if (r.last) last.set(r.last, (last.get(r.last) ?? 0) + 1);
    }
  }
  const tf = (v: string) => Math.max(first.get(v) ?? 0, last.get(v) ?? 0) / Math.max(n, 1);
  return { tf };
}

/** Fellegi-Sunter matching of records `a` against `b` (the same array to deduplicate). */
export function fuzzyMatch(
  a: readonly LinkRecord[],
  b: readonly LinkRecord[],
  options: { threshold?: number; blockCap?: number; signal?: AbortSignal } = {},
): {
  candidates: CandidateSet;
  model: FsModel;
  scores: Float64Array;
  weights: Float64Array;
  codes: Uint32Array;
  threshold: number;
  tradeoff: MatchesResult['tradeoff'];
} {
  const dedupe = a === b;
  const levels = new Uint8Array(FIELD_COUNT);
  // u from random pairs.
  const uCounts = FIELDS.map((f) => new Array<number>(f.levels.length).fill(0));
  const next = rng(a.length * 31 + b.length);
  const samples = Math.min(U_SAMPLE_PAIRS, a.length * b.length);
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(next() * a.length);
    const j = Math.floor(next() * b.length);
    if (dedupe && i === j) continue;
    compareRecords(a[i], b[j], levels);
    for (let f = 0; f < FIELD_COUNT; f++) if (levels[f] !== NULL_LEVEL) uCounts[f][levels[f]]++;
  }
  const u = estimateU(uCounts);
  const { tf } = nameFrequencies(dedupe ? [a] : [a, b]);

  const candidates = candidatePairs(a, b, options);
  const nb = candidates.nb;
  const n = candidates.pairs.length;
  const codes = new Uint32Array(n);
  // Holds each pair's term-frequency adjustment until its pattern's weight is added (EM first).
  const weights = new Float64Array(n);
  const patterns = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    if ((k & 0xffff) === 0) options.signal?.throwIfAborted();
    const id = candidates.pairs[k];
    const i = Math.floor(id / nb);
    const j = id - i * nb;
    const names = compareRecords(a[i], b[j], levels);
    const code = packLevels(levels);
    codes[k] = code;
    patterns.set(code, (patterns.get(code) ?? 0) + 1);
    let adj = 0;
    if (names.firstValue !== null) adj += tfAdjustment(u[0][0], tf(names.firstValue));
    if (names.lastValue !== null) adj += tfAdjustment(u[1][0], tf(names.lastValue));
    weights[k] = adj;
  }
  const model = runEm(patterns, u);
  const patternWeights = new Map<number, number>();
  const tmp = new Uint8Array(FIELD_COUNT);
  const scores = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const code = codes[k];
    let w = patternWeights.get(code);
    if (w === undefined) {
      let c = code;
      for (let f = 0; f < FIELD_COUNT; f++) {
        tmp[f] = c % 5;
        c = Math.floor(c / 5);
      }
      w = patternWeight(model, tmp);
      patternWeights.set(code, w);
    }
    weights[k] += w;
    scores[k] = probability(weights[k], model.lambda);
  }
  // Trade-off estimated from the posterior probabilities: expected true pairs above / total.
  let expectedAll = 0;
  for (let k = 0; k < n; k++) expectedAll += scores[k];
  const tradeoff = TRADEOFF_THRESHOLDS.map((t) => {
    let count = 0;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      if (scores[k] >= t) {
        count++;
        sum += scores[k];
      }
    }
    return {
      threshold: t,
      pairs: count,
      precision: count > 0 ? sum / count : 1,
      recall: expectedAll > 0 ? sum / expectedAll : 1,
    };
  });
  return {
    candidates,
    model,
    scores,
    weights,
    codes,
    threshold: options.threshold ?? DEFAULT_THRESHOLD,
    tradeoff,
  };
}

/** Agreeing fields of a pattern: "nir", "last_name~" (close), for the pair's `keys`. */
function agreeingFields(code: number): string[] {
  const out: string[] = [];
  let c = code;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const l = c % 5;
    c = Math.floor(c / 5);
    if (l === 0) out.push(FIELDS[f].name);
    else if (l !== NULL_LEVEL && l < FIELDS[f].levels.length - 1) out.push(`${FIELDS[f].name}~`);
  }
  return out;
}

/** Pairs sharing strong keys, from identity_keys (rows of a, rows of b). */
export function keyPairs(
  db: WritableDB,
  a: DatasetInfo,
  b: DatasetInfo,
  signal?: AbortSignal,
): Map<number, { a: number; b: number; kinds: string[] }> {
  registerLinkageFunctions(db);
  const stmt = db.prepare(PAIRS_SQL[choosePlan(db, a.id)]).raw(true);
  const pairs = new Map<number, { a: number; b: number; kinds: string[] }>();
  const nb = b.rows + 1;
  for (const kind of STRONG_KINDS) {
    signal?.throwIfAborted();
    for (const [ar, br] of stmt.iterate({
      kind: KEY_KIND_CODE[kind],
      a: a.id,
      b: b.id,
    }) as Iterable<[number, number]>) {
      const id = ar * nb + br;
      const p = pairs.get(id);
      if (p) p.kinds.push(kind);
      else pairs.set(id, { a: ar, b: br, kinds: [kind] });
    }
  }
  return pairs;
}

function provenance(db: WritableDB, physical: string) {
  return db.prepare(`SELECT ordinal, line FROM ${sqlId(physical)} WHERE id = ?`);
}

/** Runs `matches` and stores the accepted pairs. */
export function runMatches(
  db: WritableDB,
  a: DatasetInfo & { physical: string },
  b: DatasetInfo & { physical: string },
  options: MatchOptions,
): MatchRun {
  const t0 = performance.now();
  const accepted: AcceptedPair[] = [];
  let candidates: CandidateSet | null = null;
  let model: MatchesResult['model'] = null;
  let tradeoff: MatchesResult['tradeoff'] = [];
  let threshold = 1;
  let aRowIds: number[] | undefined;
  let bRowIds: number[] | undefined;
  const byKey: Record<string, number> = {};

  if (!options.fuzzy) {
    for (const p of keyPairs(db, a, b, options.signal).values()) {
      accepted.push({ a: p.a, b: p.b, score: 1, weight: null, keys: p.kinds });
      for (const k of p.kinds) byKey[k] = (byKey[k] ?? 0) + 1;
    }
  } else {
    const opts = { ...linkageOptions(db), fieldsOnly: true, pool: new Map<string, string>() };
    options.onProgress?.('loading records', 0, a.rows + b.rows);
    const ra = readAllRecords(db, a.id, opts).records;
    const rb = a.id === b.id ? ra : readAllRecords(db, b.id, opts).records;
    options.onProgress?.('comparing', a.rows + b.rows, a.rows + b.rows);
    const fm = fuzzyMatch(ra, rb, {
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
      blockCap: options.blockCap ?? DEFAULT_BLOCK_CAP,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    candidates = fm.candidates;
    threshold = fm.threshold;
    tradeoff = fm.tradeoff;
    model = {
      lambda: fm.model.lambda,
      iterations: fm.model.iterations,
      converged: fm.model.converged,
      fields: FIELDS.map((f, i) => ({
        field: f.name,
        levels: f.levels.map((label, l) => ({
          label,
          m: fm.model.m[i][l],
          u: fm.model.u[i][l],
          weight: Math.log2(fm.model.m[i][l] / fm.model.u[i][l]),
        })),
      })),
      termFrequency: FIELDS.filter((f) => f.tf).map((f) => f.name),
    };
    const nb = candidates.nb;
    for (let k = 0; k < fm.scores.length; k++) {
      if (fm.scores[k] < threshold) continue;
      const id = candidates.pairs[k];
      const i = Math.floor(id / nb);
      const j = id - i * nb;
      const keys = agreeingFields(fm.codes[k]);
      accepted.push({
        a: ra[i].rowId,
        b: rb[j].rowId,
        score: fm.scores[k],
        weight: fm.weights[k],
        keys,
      });
      for (const f of keys) if (!f.endsWith('~')) byKey[f] = (byKey[f] ?? 0) + 1;
    }
    aRowIds = ra.map((r) => r.rowId);
    bRowIds = rb.map((r) => r.rowId);
  }
  accepted.sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);

  // Store: replace the previous run of the same datasets and mode.
  const now = (options.now ?? (() => new Date()))().toISOString();
  const [lo, hi] = a.id <= b.id ? [a, b] : [b, a];
  const swap = a.id > b.id;
  let runId = 0;
  db.transaction(() => {
    const old = db
      .prepare('SELECT id FROM match_runs WHERE a_dataset = ? AND b_dataset = ? AND fuzzy = ?')
      .pluck()
      .all(lo.id, hi.id, options.fuzzy ? 1 : 0) as number[];
    for (const id of old) {
      db.prepare('DELETE FROM match_pairs WHERE run_id = ?').run(id);
      db.prepare('DELETE FROM match_runs WHERE id = ?').run(id);
    }
    runId = Number(
      db
        .prepare(
          'INSERT INTO match_runs (a_dataset, b_dataset, fuzzy, threshold, pairs, model, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          lo.id,
          hi.id,
          options.fuzzy ? 1 : 0,
          threshold,
          accepted.length,
          JSON.stringify(model ?? {}),
          now,
        ).lastInsertRowid,
    );
    const insert = db.prepare(
      'INSERT OR REPLACE INTO match_pairs (a_dataset, a_row, b_dataset, b_row, score, run_id, keys) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const p of accepted) {
      let [ar, br] = swap ? [p.b, p.a] : [p.a, p.b];
      if (lo.id === hi.id && ar > br) [ar, br] = [br, ar];
      insert.run(lo.id, ar, hi.id, br, p.score, runId, p.keys.join(','));
    }
  })();

  const provA = provenance(db, a.physical);
  const provB = provenance(db, b.physical);
  const ref = (
    stmt: ReturnType<typeof provenance>,
    dataset: string,
    rowId: number,
  ): MatchesResult['pairs'][number]['a'] => {
    const r = stmt.get(rowId) as { ordinal: number; line: number | null };
    return { dataset, ordinal: r.ordinal, line: r.line, rowId };
  };
  const listed = accepted.slice(0, options.limit).map((p) => ({
    a: ref(provA, a.name, p.a),
    b: ref(provB, b.name, p.b),
    score: Math.round(p.score * 1e6) / 1e6,
    weight: p.weight === null ? null : Math.round(p.weight * 1000) / 1000,
    keys: p.keys,
  }));
  const distinctA = new Set(accepted.map((p) => p.a)).size;
  const headline = options.fuzzy
    ? `${accepted.length.toLocaleString('en')} record pairs with match probability ≥ ${threshold} (${distinctA.toLocaleString('en')} records of ${a.name}), from ${candidates!.pairs.length.toLocaleString('en')} candidate pairs`
    : `${accepted.length.toLocaleString('en')} record pairs share a strong identity key (${distinctA.toLocaleString('en')} records of ${a.name})`;
  return {
    accepted,
    candidates,
    ...(aRowIds ? { aRowIds } : {}),
    ...(bRowIds ? { bRowIds } : {}),
    result: {
      a: a.name,
      b: b.name,
      fuzzy: options.fuzzy,
      threshold,
      pairsTotal: accepted.length,
      pairs: listed,
      headline,
      byKey,
      blocking: candidates
        ? {
            rules: candidates.rules,
            candidatePairs: candidates.pairs.length,
            blockCap: options.blockCap ?? DEFAULT_BLOCK_CAP,
          }
        : null,
      model,
      tradeoff,
      runId,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
