/** Column statistics: distinct counts (exact, then HyperLogLog within its stated error), fill
 * counts, shapes, dates and types. */
import { describe, expect, it } from 'vitest';
import { FillStats } from '../../../src/main/engine/profile/stats/counts';
import { parseDate } from '../../../src/main/engine/profile/stats/dates';
import {
  DistinctCounter,
  EXACT_DISTINCT_BOUND,
} from '../../../src/main/engine/profile/stats/distinct';
import {
  hash32,
  HLL_RELATIVE_ERROR,
  HyperLogLog,
} from '../../../src/main/engine/profile/stats/hll';
import { shapeOf } from '../../../src/main/engine/profile/stats/shapes';
import { TypeCounter } from '../../../src/main/engine/profile/stats/types';

describe('distinct counts', () => {
  it('HyperLogLog stays within 3 stated standard errors over several cardinalities', () => {
    expect(HLL_RELATIVE_ERROR).toBeCloseTo(0.0081, 4);
    for (const n of [1_000, 50_000, 300_000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) h.add(`user${i}@example.fr`);
      const err = Math.abs(h.estimate() - n) / n;
      expect(err, `n=${n}`).toBeLessThan(3 * HLL_RELATIVE_ERROR);
    }
  });
  it('the mean error over 10 independent columns is near the stated one', () => {
    let sum = 0;
    for (let k = 0; k < 10; k++) {
      const h = new HyperLogLog();
      for (let i = 0; i < 100_000; i++) h.add(`${k}-${i}`);
      sum += Math.abs(h.estimate() - 100_000) / 100_000;
    }
    // E|X| = σ·√(2/π) ≈ 0.8 σ for a normal error.
    expect(sum / 10).toBeLessThan(1.5 * HLL_RELATIVE_ERROR);
  });
  it('exact with exact top values up to the bound, then estimated', () => {
    const d = new DistinctCounter();
    for (let i = 0; i < 1000; i++) d.add(i % 3 === 0 ? 'F' : 'M');
    expect(d.result(5, [], 1)).toMatchObject({
      distinct: 2,
      exact: true,
      top: [
        { value: 'M', count: 666 },
        { value: 'F', count: 334 },
      ],
    });
    const big = new DistinctCounter();
    const sample: string[] = [];
    for (let i = 0; i < 3 * EXACT_DISTINCT_BOUND; i++) {
      const v = i % 10 === 0 ? 'test@test.com' : `x${i}`;
      big.add(v);
      if (i % 10 === 5 || i % 100 === 0) sample.push(v);
    }
    const r = big.result(3, sample, 10);
    expect(r.exact).toBe(false);
    expect(Math.abs(r.distinct - 27_001) / 27_001).toBeLessThan(3 * HLL_RELATIVE_ERROR);
    expect(r.top[0]!.value).toBe('test@test.com');
    expect(r.topExact).toBe(false);
  });
});

describe('exact distinct table', () => {
  it('counts ranges of a larger string like whole values, past table growth and up to the bound', () => {
    const whole = new DistinctCounter(3000);
    const ranged = new DistinctCounter(3000);
    for (let i = 0; i < 20_000; i++) {
      const v = `v${(i * 7919) % 2500}`;
      whole.add(v);
      const packed = `12\u001f${v}\u001fz`;
      ranged.addRange(packed, 3, 3 + v.length, hash32(v));
    }
    const a = whole.result(10, [], 1);
    expect(a).toMatchObject({ distinct: 2500, exact: true });
    expect(ranged.result(10, [], 1)).toEqual(a);
    expect(a.top.reduce((s, t) => s + t.count, 0)).toBe(80);
  });
  it('tells apart values whose hash32 collide, found by hash in place', () => {
    // Two values with the same 32-bit hash (a birthday search: ~2^16 tries).
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; pair === null; i++) {
      const v = `c${i}`;
      const other = seen.get(hash32(v));
      if (other !== undefined) pair = [other, v];
      else seen.set(hash32(v), v);
    }
    const [a, b] = pair;
    const d = new DistinctCounter();
    for (const [v, n] of [
      [a, 3],
      [b, 2],
      [a, 1],
    ] as const) {
      const packed = `x\u001f${v}`;
      for (let i = 0; i < n; i++) d.addRange(packed, 2, packed.length, hash32(v));
    }
    expect(d.result(5, [], 1)).toMatchObject({
      distinct: 2,
      top: [
        { value: a, count: 4 },
        { value: b, count: 2 },
      ],
    });
  });
  it('top values: most frequent first, ties by value, as a full sort gives them', () => {
    const d = new DistinctCounter();
    const counts: Record<string, number> = { b: 3, a: 3, c: 5, d: 1, e: 3, f: 2 };
    for (const [v, n] of Object.entries(counts)) for (let i = 0; i < n; i++) d.add(v);
    expect(d.result(4, [], 1).top).toEqual([
      { value: 'c', count: 5 },
      { value: 'a', count: 3 },
      { value: 'b', count: 3 },
      { value: 'e', count: 3 },
    ]);
  });
  it('switches to HyperLogLog one value past the bound', () => {
    const d = new DistinctCounter(100);
    for (let i = 0; i < 100; i++) d.add(`x${i}`);
    expect(d.exact).toBe(true);
    d.add('x0');
    expect(d.exact).toBe(true);
    d.add('new');
    expect(d.exact).toBe(false);
    expect(d.result(3, [], 1).distinct).toBe(101);
  });
});

describe('fill counts and lengths', () => {
  it('tells absent, empty and whitespace-only from filled values', () => {
    const f = new FillStats(1);
    for (const v of [null, '', '  ', '\u00a0', 'abc', 'a']) f.add(0, v);
    expect([f.nulls[0], f.empty[0], f.nonEmpty[0]]).toEqual([1, 3, 2]);
    expect(f.lengths(0)).toEqual({ min: 1, max: 3, mean: 2 });
  });
});

describe('shapes', () => {
  it('digits one by one, letter runs folded', () => {
    expect(shapeOf('06 12 34 56 78')).toBe('99 99 99 99 99');
    expect(shapeOf('Jdupont@gmail.com')).toBe('Aa+@a+.a+');
    expect(shapeOf('FR7630006000011234567890189')).toBe('A+9999999999999999999999999');
    expect(shapeOf('Élodie')).toBe('Aa+');
  });
});

describe('dates and types', () => {
  it.each([
    ['1985-05-07', 'YYYY-MM-DD', [1985, 5, 7]],
    ['07/05/1985', 'DD/MM/YYYY', [1985, 5, 7]],
    ['07.05.1985', 'DD.MM.YYYY', [1985, 5, 7]],
    ['07051985', 'DDMMYYYY', [1985, 5, 7]],
    ['19850507', 'YYYYMMDD', [1985, 5, 7]],
    ['7 mai 1985', 'D MMMM YYYY', [1985, 5, 7]],
    ['1er janvier 1990', 'D MMMM YYYY', [1990, 1, 1]],
    ['May 7, 1985', 'MMMM D, YYYY', [1985, 5, 7]],
    ['12/25/1985', 'MM/DD/YYYY', [1985, 12, 25]],
    ['1993-07-20T09:44:18.674Z', 'YYYY-MM-DDThh:mm:ss', [1993, 7, 20]],
  ])('%s reads as %s', (v, format, ymd) => {
    const d = parseDate(v)!;
    expect(d.format).toBe(format);
    expect([d.y, d.m, d.d]).toEqual(ymd);
  });
  it('rejects impossible calendar dates', () => {
    expect(parseDate('31/02/1990')).toBeNull();
    expect(parseDate('1990-13-01')).toBeNull();
    expect(parseDate('29/02/1991')).toBeNull();
    expect(parseDate('29/02/1992')).not.toBeNull();
  });
  it('infers a column type from 95 % of its values, keeping codes with leading zeros as text', () => {
    const t = new TypeCounter();
    for (let i = 0; i < 99; i++) t.add(`${10 + (i % 18)}/0${1 + (i % 9)}/1990`);
    t.add('inconnue');
    expect(t.result()).toEqual({ type: 'date', dateFormat: 'DD/MM/YYYY' });
    const codes = new TypeCounter();
    for (const v of ['01000', '75001', '06123']) codes.add(v);
    expect(codes.result().type).toBe('text');
    const ints = new TypeCounter();
    for (const v of ['1', '42', '-7']) ints.add(v);
    expect(ints.result().type).toBe('integer');
  });
  it('decides month-first columns from a day above 12 in second place', () => {
    const t = new TypeCounter();
    for (const v of ['01/02/1990', '03/25/1985', '11/04/1970']) t.add(v);
    expect(t.result().dateFormat).toBe('MM/DD/YYYY');
  });
});
