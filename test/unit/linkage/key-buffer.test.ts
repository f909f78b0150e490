/**
 * The key buffer of an extraction (linkage/key-buffer.ts): what it holds reads back as pushed,
 * and its order is the primary key's (kind, then the signed high half of the key), with entries
 * of equal kind and high half in the order they were pushed (row order).
 */
import { describe, expect, it } from 'vitest';
import { KeyBuffer, NO_DOB } from '../../../src/main/engine/linkage/key-buffer';

function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    return s;
  };
}

describe('KeyBuffer', () => {
  it('reads back what was pushed, across growth', () => {
    const b = new KeyBuffer(4);
    for (let i = 0; i < 100; i++)
      b.push(i % 7, (-i * 1000) | 0, (i * 2654435761) >>> 0, i + 1, i % 3 ? 19800312 : null);
    expect(b.length).toBe(100);
    for (let i = 0; i < 100; i++) {
      expect(b.kind[i]).toBe(i % 7);
      expect(b.hi(i)).toBe((-i * 1000) | 0);
      expect(b.lo[i]).toBe((i * 2654435761) >>> 0);
      expect(b.row[i]).toBe(i + 1);
      expect(b.dob[i]).toBe(i % 3 ? 19800312 : NO_DOB);
    }
  });

  it('orders by kind, then signed high half, stably (rows stay ascending)', () => {
    const rnd = prng(7);
    const b = new KeyBuffer();
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      // Few distinct high halves (duplicates and negative values), any low half.
      const hi = (rnd() % 300) * 0x01010101;
      b.push(rnd() & 7, hi, rnd() >>> 0, i, null);
    }
    const order = b.order();
    expect(order.length).toBe(n);
    expect(new Set(order).size).toBe(n);
    for (let k = 1; k < n; k++) {
      const p = order[k - 1]!;
      const q = order[k]!;
      const byKind = b.kind[p]! - b.kind[q]!;
      const byHi = b.hi(p) - b.hi(q);
      expect(byKind < 0 || (byKind === 0 && (byHi < 0 || (byHi === 0 && p < q)))).toBe(true);
    }
  });

  it('orders an empty buffer and reuses itself after clear', () => {
    const b = new KeyBuffer();
    expect(b.order().length).toBe(0);
    b.push(1, 5, 6, 1, null);
    b.clear();
    b.push(2, -1, 0, 9, 20000101);
    expect([...b.order()]).toEqual([0]);
    expect(b.hi(0)).toBe(-1);
  });
});
