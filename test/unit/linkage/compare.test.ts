import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../src/main/engine/linkage/columns';
import {
  compareRecords,
  FIELD_COUNT,
  nameLevel,
  PairMemo,
} from '../../../src/main/engine/linkage/compare';
import { dateDistance } from '../../../src/main/engine/linkage/normalize';
import { soundex2 } from '../../../src/main/engine/linkage/phonetic';
import { normalizeRecord, type RolePositions } from '../../../src/main/engine/linkage/records';
import { jaroWinkler } from '../../../src/main/engine/linkage/similarity';

/** The definition dateDistance's digit arithmetic must keep: differing characters of the dates. */
function dateDistanceByText(a: number, b: number): number {
  if (a === b) return 0;
  const [sa, sb] = [String(a), String(b)];
  if (
    sa.slice(0, 4) === sb.slice(0, 4) &&
    sa.slice(4, 6) === sb.slice(6, 8) &&
    sa.slice(6, 8) === sb.slice(4, 6)
  )
    return 1;
  let diff = 0;
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) diff++;
  return diff <= 1 ? 1 : 2;
}

describe('field comparisons at scale', () => {
  it('counts differing date digits like the text definition', () => {
    let x = 12345;
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
    const date = () =>
      (1900 + (next() % 120)) * 10000 + (1 + (next() % 12)) * 100 + 1 + (next() % 28);
    for (let k = 0; k < 20_000; k++) {
      const a = date();
      // Half the time a near miss: one digit changed.
      const b = k % 2 ? date() : a + (next() % 10) * 10 ** (next() % 8);
      expect(dateDistance(a, b)).toBe(dateDistanceByText(a, b));
    }
  });

  it('memoises name levels without changing them', () => {
    const names = ['martin', 'martins', 'marten', 'bernard', 'bernart', 'gauthier', 'gautier'];
    const direct = (x: string, y: string) => {
      if (x === y) return 0;
      const jw = jaroWinkler(x, y);
      if (jw >= 0.92) return 1;
      if (jw >= 0.8) return soundex2(x) === soundex2(y) ? 1 : 2;
      return 3;
    };
    for (let round = 0; round < 2; round++)
      for (const x of names) for (const y of names) expect(nameLevel(x, y)).toBe(direct(x, y));
  });

  it('bounds a memo by clearing it, then recomputes', () => {
    let calls = 0;
    const memo = new PairMemo((x, y) => {
      calls++;
      return x.length + y.length;
    }, 2);
    expect(memo.get('a', 'bb')).toBe(3);
    expect(memo.get('a', 'bb')).toBe(3);
    expect(calls).toBe(1);
    memo.get('c', 'd');
    memo.get('e', 'f');
    memo.get('g', 'h'); // over the limit: cleared
    expect(memo.get('a', 'bb')).toBe(3);
    expect(calls).toBe(5);
  });

  it('reads the same compared fields without identity keys (the fuzzy matcher)', () => {
    const pos = Object.fromEntries(ROLES.map((r) => [r, [] as number[]])) as Record<Role, number[]>;
    const cols: [Role, string][] = [
      ['first_name', 'Jean-Pierre'],
      ['last_name', 'Dupont'],
      ['date_of_birth', '1970-05-12'],
      ['email', 'JP.Dupont@Example.org'],
      ['phone', '06 12 34 56 78'],
      ['postal_code', '75011'],
      ['city', 'Paris'],
      ['street_address', '12 bd Voltaire'],
    ];
    cols.forEach(([role], i) => pos[role].push(i));
    const row = cols.map(([, v]) => v);
    const base = { rowId: 1, ordinal: 0, line: null };
    const full = normalizeRecord(row, pos as RolePositions, base);
    const slim = normalizeRecord(row, pos as RolePositions, base, { fieldsOnly: true });
    expect(full.keyKinds.length).toBeGreaterThan(0);
    expect(slim.keyKinds).toEqual([]);
    expect(slim.keyValues).toEqual([]);
    expect({ ...slim, keyKinds: [], keyValues: [] }).toEqual({
      ...full,
      keyKinds: [],
      keyValues: [],
    });
    const a = new Uint8Array(FIELD_COUNT);
    const b = new Uint8Array(FIELD_COUNT);
    compareRecords(full, full, a);
    compareRecords(slim, slim, b);
    expect([...b]).toEqual([...a]);
  });
});
