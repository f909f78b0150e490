/**
 * keyHash / keyHash64 (linkage/hash.ts): the stored identity key. JavaScript and SQLite must build
 * the same 64-bit value from the two staged lanes, and distinct values must not collide.
 */
import { describe, expect, it } from 'vitest';
import { keyHash, keyHash64 } from '../../../src/main/engine/linkage/hash';
import { createDbAtVersion } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();

describe('keyHash', () => {
  it('gives lanes that SQLite combines into keyHash64, over the whole signed range', () => {
    const db = createDbAtVersion(dir, 10);
    const combine = db.prepare('SELECT (? << 32) | ? AS v').safeIntegers(true).pluck();
    const out = [0, 0];
    let negative = 0;
    for (let i = 0; i < 2000; i++) {
      const s = `person${i}@example.fr`;
      keyHash(s, out);
      expect(Number.isInteger(out[0]) && out[0] >= -(2 ** 31) && out[0] < 2 ** 31).toBe(true);
      expect(Number.isInteger(out[1]) && out[1] >= 0 && out[1] < 2 ** 32).toBe(true);
      const v = keyHash64(s);
      expect(combine.get(out[0], out[1])).toBe(v);
      if (v < 0n) negative++;
    }
    // Both signs occur: the high bit is used.
    expect(negative).toBeGreaterThan(800);
    expect(negative).toBeLessThan(1200);
    db.close();
  });

  it('is deterministic and separates near-identical values', () => {
    expect(keyHash64('jean.dupont@example.fr')).toBe(keyHash64('jean.dupont@example.fr'));
    const near = [
      'a',
      'b',
      'ab',
      'ba',
      'é',
      'e\u0301',
      '',
      ' ',
      'dupont|19800101',
      'dupont|19800110',
    ];
    expect(new Set(near.map(keyHash64)).size).toBe(near.length);
  });

  it('has no collision, in 64 bits nor in either 32-bit lane alone, over 300k similar values', () => {
    const all = new Set<bigint>();
    const hi = new Set<number>();
    const lo = new Set<number>();
    const out = [0, 0];
    const n = 300_000;
    for (let i = 0; i < n; i++) {
      // Phone-like and name|date-like values: long shared prefixes, few differing digits.
      const s = i % 2 ? `+3361${String(i).padStart(7, '0')}` : `martin|marie|${19000000 + i}`;
      keyHash(s, out);
      all.add(keyHash64(s));
      hi.add(out[0]);
      lo.add(out[1]);
    }
    expect(all.size).toBe(n);
    // A 32-bit lane expects n²/2³³ ≈ 10 collisions here: each lane is a real hash, not a counter.
    expect(n - hi.size).toBeLessThan(40);
    expect(n - lo.size).toBeLessThan(40);
  });
});
