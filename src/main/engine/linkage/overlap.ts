/**
 * Overlap of a dataset with earlier (or chosen) datasets by strong identity keys: how many of its
 * records match, by which key, how many records of each other dataset are hit, the rehash verdict
 * per dataset, and the UpSet counts of people by combination of datasets across the case.
 *
 * One SQL join per key kind (queries.ts) hands back only matching (record, other record) pairs;
 * JavaScript keeps one byte of kind flags per record and per compared dataset, so memory is a few
 * bytes per record whatever the number of matches.
 */
import type { OverlapResult, RehashVerdict } from '../../../shared/api';
import { loadProfile } from '../profile/store';
import type { ReadableDB } from '../store/types';
import { buildPeople, summarizePeople } from './cluster';
import { roleColumns } from './columns';
import { findDuplicates } from './duplicates';
import { KEY_KIND_CODE } from './kinds';
import { CROSS_PAIRS_SQL, choosePlan, registerLinkageFunctions } from './queries';
import { recordReader, STRONG_KINDS } from './records';
import { decideVerdict } from './verdict';

export interface DatasetInfo {
  id: number;
  name: string;
  rows: number;
}

/** Matched record pairs sampled per compared dataset for the "identical values" figure. */
export const IDENTICAL_SAMPLE = 500;

interface PerDataset {
  info: DatasetInfo;
  flags: Uint8Array;
  bSeen: Uint8Array;
  bCount: number;
  matched: number;
  /** Reservoir of (a row, b row) pairs, one per matched record of a. */
  sample: Array<[number, number]>;
}

/** Deterministic reservoir sampling (xorshift), so the same case gives the same figures. */
function makeRng(seed: number): () => number {
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

/** Share of sampled matched pairs whose identity values are written identically. */
function identicalShare(
  db: ReadableDB,
  a: DatasetInfo,
  b: DatasetInfo,
  sample: ReadonlyArray<[number, number]>,
): number | null {
  if (sample.length === 0) return null;
  const ra = recordReader(db, a.id);
  const rb = recordReader(db, b.id);
  const shared = (Object.keys(ra.roles.columns) as (keyof typeof ra.roles.columns)[]).filter(
    (r) => rb.roles.columns[r],
  );
  if (shared.length === 0) return null;
  // Raw values by role, in each reader's column order.
  const colsA = roleColumns(ra.roles);
  const colsB = roleColumns(rb.roles);
  let identical = 0;
  for (const [ar, br] of sample) {
    const va = ra.raw(ar);
    const vb = rb.raw(br);
    if (!va || !vb) continue;
    let same = true;
    for (const role of shared) {
      const x = (ra.roles.columns[role] ?? []).map((c) => (va[colsA.indexOf(c)] ?? '').trim());
      const y = (rb.roles.columns[role] ?? []).map((c) => (vb[colsB.indexOf(c)] ?? '').trim());
      if (x.join('\u0001') !== y.join('\u0001')) {
        same = false;
        break;
      }
    }
    if (same) identical++;
  }
  return identical / sample.length;
}

function consistencyShare(db: ReadableDB, datasetId: number): number | null {
  try {
    const c = loadProfile(db, datasetId)?.summary.consistency;
    return c && c.verdict !== 'not_enough_data' ? c.share : null;
  } catch {
    // Profiles are optional for the verdict (a case without the profile tables).
    return null;
  }
}

export interface OverlapOptions {
  upset?: boolean;
  signal?: AbortSignal;
}

/** The `overlap` answer for dataset `a` against `against` (DESIGN.md shape plus figures). */
export function computeOverlap(
  db: ReadableDB,
  a: DatasetInfo,
  against: readonly DatasetInfo[],
  options: OverlapOptions = {},
): OverlapResult {
  const t0 = performance.now();
  registerLinkageFunctions(db);
  const per = new Map<number, PerDataset>();
  for (const b of against) {
    if (b.id === a.id) continue;
    per.set(b.id, {
      info: b,
      flags: new Uint8Array(a.rows + 2),
      bSeen: new Uint8Array(b.rows + 2),
      bCount: 0,
      matched: 0,
      sample: [],
    });
  }
  const any = new Uint8Array(a.rows + 2);
  const rng = makeRng(a.id * 7919 + 17);
  if (per.size > 0) {
    const stmt = db.prepare(CROSS_PAIRS_SQL[choosePlan(db, a.id)]).raw(true);
    STRONG_KINDS.forEach((kind, k) => {
      options.signal?.throwIfAborted();
      const bit = 1 << k;
      for (const [ar, bd, br] of stmt.iterate({ kind: KEY_KIND_CODE[kind], a: a.id }) as Iterable<
        [number, number, number]
      >) {
        const e = per.get(bd);
        if (!e) continue;
        if (e.flags[ar] === 0) {
          e.matched++;
          if (e.sample.length < IDENTICAL_SAMPLE) e.sample.push([ar, br]);
          else {
            const j = Math.floor(rng() * e.matched);
            if (j < IDENTICAL_SAMPLE) e.sample[j] = [ar, br];
          }
        }
        e.flags[ar] |= bit;
        any[ar] |= bit;
        if (e.bSeen[br] === 0) {
          e.bSeen[br] = 1;
          e.bCount++;
        }
      }
    });
  }
  const countFlags = (flags: Uint8Array) => {
    let records = 0;
    const byKey: Record<string, number> = {};
    const perKind = new Array<number>(STRONG_KINDS.length).fill(0);
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i];
      if (f === 0) continue;
      records++;
      for (let k = 0; k < STRONG_KINDS.length; k++) if (f & (1 << k)) perKind[k]++;
    }
    STRONG_KINDS.forEach((kind, k) => {
      if (perKind[k] > 0) byKey[kind] = perKind[k];
    });
    return { records, byKey };
  };

  const pairs: OverlapResult['pairs'] = [];
  for (const e of per.values()) {
    const { records, byKey } = countFlags(e.flags);
    pairs.push({
      a: a.name,
      b: e.info.name,
      records,
      bRecords: e.bCount,
      share: a.rows > 0 ? records / a.rows : 0,
      byKey,
    });
  }
  const union = countFlags(any);
  const bestPair = [...pairs].sort((x, y) => y.records - x.records)[0];
  const best = bestPair ? [...per.values()].find((e) => e.info.name === bestPair.b) : undefined;

  const dup = findDuplicates(db, a, { limit: 0, signal: options.signal });
  const verdict: RehashVerdict = decideVerdict(
    a.name,
    {
      claimedRecords: a.rows,
      uniquePeople: dup.uniquePeople,
      matchShare: a.rows > 0 ? union.records / a.rows : 0,
      bestMatch:
        bestPair && bestPair.records > 0
          ? { dataset: bestPair.b, share: bestPair.share, byKey: bestPair.byKey }
          : null,
      identicalShare:
        best && best.sample.length > 0 ? identicalShare(db, a, best.info, best.sample) : null,
      identicalSample: best?.sample.length ?? 0,
      consistencyShare: consistencyShare(db, a.id),
    },
    [...per.values()].map((e) => e.info.name),
  );

  let upset: OverlapResult['upset'] = null;
  if (options.upset) {
    upset = summarizePeople(buildPeople(db, undefined, options.signal)).upset;
  }
  return {
    dataset: a.name,
    rows: a.rows,
    against: [...per.values()].map((e) => e.info.name),
    records: union.records,
    pairs,
    verdicts: [verdict],
    upset,
    keysUsed: [...STRONG_KINDS],
    seconds: (performance.now() - t0) / 1000,
  };
}
