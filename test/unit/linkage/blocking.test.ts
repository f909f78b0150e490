import { describe, expect, it } from 'vitest';
import { candidatePairs, type BlockingRule } from '../../../src/main/engine/linkage/blocking';
import { emptyLinkRecord, type LinkRecord } from '../../../src/main/engine/linkage/records';

function rec(i: number, fields: Partial<LinkRecord>): LinkRecord {
  return { ...emptyLinkRecord({ rowId: i + 1, ordinal: i, line: null }), ...fields };
}

/** Deterministic xorshift in [0, 1). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const SURNAMES = ['martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand'];
const FIRST = ['marie', 'jean', 'pierre', 'anne', 'louis', 'paul'];

/** People drawn from few names (big blocks), with dates and postal codes that tell them apart. */
function people(n: number, seed: number): LinkRecord[] {
  const next = rng(seed);
  const out: LinkRecord[] = [];
  for (let i = 0; i < n; i++) {
    const first = FIRST[Math.floor(next() * FIRST.length)];
    const last = SURNAMES[Math.floor(next() * SURNAMES.length)];
    const year = 1940 + Math.floor(next() * 60);
    const dob = year * 10000 + (1 + Math.floor(next() * 12)) * 100 + 1 + Math.floor(next() * 28);
    const postal = String(10000 + Math.floor(next() * 900) * 100);
    out.push(
      rec(i, {
        first,
        last,
        tokens: [first, last],
        dob,
        postal,
        address: [String(1 + Math.floor(next() * 80)), 'rue', 'paix'],
        email: `${first}.${last}${i}@example.org`,
      }),
    );
  }
  return out;
}

const unpack = (pairs: Float64Array, nb: number) =>
  [...pairs].map((id) => [Math.floor(id / nb), id % nb] as const);

describe('blocking', () => {
  const byLast: BlockingRule = {
    name: 'last',
    description: '',
    keys: (r) => (r.last ? [r.last] : []),
  };

  it('pairs every record sharing a key when blocks are under the cap', () => {
    const a = [rec(0, { last: 'x' }), rec(1, { last: 'y' }), rec(2, { last: 'x' })];
    const b = [rec(0, { last: 'x' }), rec(1, { last: 'z' })];
    const c = candidatePairs(a, b, { rules: [byLast] });
    expect(unpack(c.pairs, c.nb)).toEqual([
      [0, 0],
      [2, 0],
    ]);
    expect(c.rules[0]).toMatchObject({ pairs: 2, skippedBlocks: 0, splitBlocks: 0 });
  });

  it('deduplicates inside one dataset: each unordered pair once, never a record with itself', () => {
    const a = [rec(0, { last: 'x' }), rec(1, { last: 'x' }), rec(2, { last: 'x' })];
    const c = candidatePairs(a, a, { rules: [byLast, byLast] });
    expect(unpack(c.pairs, c.nb)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });

  it('splits a block over the cap by the refining keys, and skips what they cannot split', () => {
    const a = Array.from({ length: 30 }, (_, i) => rec(i, { last: 'x', dob: 19700100 + (i % 3) }));
    const b = Array.from({ length: 30 }, (_, i) => rec(i, { last: 'x', dob: 19700100 + (i % 3) }));
    const refined: BlockingRule = { ...byLast, refine: [(r) => String(r.dob)] };
    const c = candidatePairs(a, b, { rules: [refined], blockCap: 100 });
    // 900 pairs > 100: split by date into 3 parts of 10 × 10, each under the cap.
    expect(c.rules[0]).toMatchObject({ pairs: 300, splitBlocks: 1, skippedBlocks: 0 });
    for (const [i, j] of unpack(c.pairs, c.nb)) expect(a[i].dob).toBe(b[j].dob);
    // Without a refining key the block is skipped and counted.
    const plain = candidatePairs(a, b, { rules: [byLast], blockCap: 100 });
    expect(plain.rules[0]).toMatchObject({ pairs: 0, skippedBlocks: 1, splitBlocks: 0 });
  });

  it('bounds the pairs of crowded blocks instead of pairing them in full', () => {
    const a = people(10_000, 7);
    const b = people(10_000, 11);
    const split = candidatePairs(a, b);
    const full = candidatePairs(a, b, { blockCap: Number.MAX_SAFE_INTEGER });
    // 48 name combinations: unsplit, each name block pairs ~200 × 200 records.
    expect(full.pairs.length / a.length).toBeGreaterThan(200);
    expect(split.pairs.length / a.length).toBeLessThan(30);
    expect(split.rules.some((r) => r.splitBlocks > 0)).toBe(true);
  });

  it('finds a true pair through the refined blocks of a crowded name', () => {
    const a = people(20_000, 3);
    const b = people(20_000, 5);
    // Same person in both, with a changed email and a day/month swap: only names, postal code
    // and street number survive.
    const p = a[123];
    const dob = p.dob!;
    const swapped =
      Math.floor(dob / 10000) * 10000 + (dob % 100) * 100 + (Math.floor(dob / 100) % 100);
    b[456] = rec(456, { ...p, rowId: 457, ordinal: 456, dob: swapped, email: 'other@example.com' });
    const c = candidatePairs(a, b);
    expect(c.pairs.includes(123 * c.nb + 456)).toBe(true);
  });
});
