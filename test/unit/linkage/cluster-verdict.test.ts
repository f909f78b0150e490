import { describe, expect, it } from 'vitest';
import { UnionFind, unionGroup } from '../../../src/main/engine/linkage/cluster';
import { decideVerdict, type VerdictFigures } from '../../../src/main/engine/linkage/verdict';

describe('union-find', () => {
  it('merges sets, counts merges and sizes', () => {
    const uf = new UnionFind(10);
    expect(uf.union(1, 2)).toBe(true);
    expect(uf.union(3, 4)).toBe(true);
    expect(uf.union(2, 4)).toBe(true);
    expect(uf.union(1, 3)).toBe(false);
    expect(uf.merges).toBe(3);
    expect(uf.find(4)).toBe(uf.find(1));
    expect(uf.setSize(3)).toBe(4);
    expect(uf.setSize(5)).toBe(1);
  });
  it('keeps records sharing a key apart when their birth dates conflict', () => {
    const uf = new UnionFind(6);
    // Same mailbox: two records of one person (one date keyed with a digit off), one other person.
    unionGroup(uf, [1, 2, 3], [19800312, 19800313, 19650101]);
    expect(uf.find(1)).toBe(uf.find(2));
    expect(uf.find(3)).not.toBe(uf.find(1));
    // Unknown dates (0) never conflict.
    unionGroup(uf, [4, 5], [0, 19650101]);
    expect(uf.find(4)).toBe(uf.find(5));
  });
});

function figures(over: Partial<VerdictFigures>): VerdictFigures {
  return {
    claimedRecords: 10_000,
    uniquePeople: 9_900,
    matchShare: 0,
    bestMatch: null,
    identicalShare: null,
    identicalSample: 0,
    consistencyShare: 0.99,
    ...over,
  };
}

describe('rehash verdict', () => {
  it('says repackaged with identical values, naming the dataset and the keys', () => {
    const v = decideVerdict(
      'kairos-2025',
      figures({
        matchShare: 0.978,
        bestMatch: {
          dataset: 'ft-2024',
          share: 0.978,
          byKey: { nir: 9780, email: 9700, phone: 5000 },
        },
        identicalShare: 0.99,
        identicalSample: 500,
      }),
      ['ft-2024'],
    );
    expect(v.verdict).toBe('repackaged');
    expect(v.text).toBe(
      '97.8% of records match ft-2024 on nir and email with identical values in 99.0% of sampled matches: likely a repackaging of ft-2024',
    );
  });
  it('says reformatted when the matched values are not written identically', () => {
    const v = decideVerdict(
      'x',
      figures({
        matchShare: 0.95,
        bestMatch: { dataset: 'y', share: 0.95, byKey: { nir: 9500 } },
        identicalShare: 0.1,
      }),
      ['y'],
    );
    expect(v.verdict).toBe('repackaged');
    expect(v.text).toContain('reformatted values (identical in only 10.0% of sampled matches)');
  });
  it('says partial overlap and mostly new with the figures', () => {
    const partial = decideVerdict(
      'x',
      figures({
        matchShare: 0.34,
        bestMatch: { dataset: 'y', share: 0.3, byKey: { email: 3000 } },
      }),
      ['y', 'z'],
    );
    expect(partial.verdict).toBe('partial_overlap');
    expect(partial.text).toBe(
      '34.0% overlap (30.0% with y, on email): partial overlap, 66.0% of records are new',
    );
    const fresh = decideVerdict('x', figures({ matchShare: 0.12 }), ['y']);
    expect(fresh.verdict).toBe('new');
    expect(fresh.text).toBe('12.0% overlap: mostly new data');
    expect(decideVerdict('x', figures({}), []).text).toMatch(/^no earlier dataset/);
  });
  it('flags likely fabrication from NIR inconsistency or padding', () => {
    const shuffled = decideVerdict('x', figures({ consistencyShare: 0.12, matchShare: 0.99 }), [
      'y',
    ]);
    expect(shuffled.verdict).toBe('likely_fabricated');
    expect(shuffled.text).toBe(
      'only 12.0% of records have a NIR consistent with their sex and date of birth: likely fabricated or shuffled data',
    );
    const padded = decideVerdict(
      'x',
      figures({ claimedRecords: 4_800_000, uniquePeople: 1_200_000 }),
      [],
    );
    expect(padded.verdict).toBe('likely_fabricated');
    expect(padded.text).toBe(
      '4,800,000 records but only 1,200,000 unique people (25.0%): the claimed size is inflated with duplicates',
    );
  });
});
