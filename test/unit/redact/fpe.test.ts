/**
 * The format-preserving construction (src/main/engine/redact/fpe.ts): the Feistel network with
 * cycle-walking is a bijection of its domain (checked exhaustively on a small one), NIR and phone
 * pseudonyms stay valid and are a bijection on generated samples (distinct outputs, and the
 * inverse gives every input back), and the permutation depends on the case secret.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  DomainPermutation,
  fpeDigits,
  fpeDigitsInverse,
  fpeNir,
  fpeNirInverse,
  fpePhone,
  fpePhoneInverse,
} from '../../../src/main/engine/redact/fpe';
import { RedactionKeys } from '../../../src/main/engine/redact/keys';
import { buildNir, isValidNir, parseNir } from '../../../src/main/engine/profile/validators';
import { seededRandom } from '../import/helpers/collect-sink';

const keys = new RedactionKeys(Buffer.alloc(32, 1));
const other = new RedactionKeys(Buffer.alloc(32, 2));

describe('DomainPermutation', () => {
  it('permutes a whole domain that is not a product of its halves (cycle-walking)', () => {
    const n = 1009n; // prime: p·q > n, so some outputs must be walked back into the domain
    const perm = new DomainPermutation(keys, 'test', n);
    const seen = new Set<bigint>();
    for (let x = 0n; x < n; x++) {
      const y = perm.encrypt(x);
      expect(y >= 0n && y < n).toBe(true);
      expect(perm.decrypt(y)).toBe(x);
      seen.add(y);
    }
    expect(seen.size).toBe(1009);
  });
  it('restricted by a predicate, stays a bijection of the valid subset', () => {
    const n = 2000n;
    const valid = (v: bigint) => v % 3n !== 0n;
    const perm = new DomainPermutation(keys, 'odd', n);
    const seen = new Set<bigint>();
    for (let x = 0n; x < n; x++) {
      if (!valid(x)) continue;
      const y = perm.encrypt(x, valid);
      expect(valid(y)).toBe(true);
      expect(perm.decrypt(y, valid)).toBe(x);
      seen.add(y);
    }
    expect(seen.size).toBe(1333);
  });
  it('depends on the key and the tweak', () => {
    const a = new DomainPermutation(keys, 't', 1_000_000n);
    const b = new DomainPermutation(other, 't', 1_000_000n);
    const c = new DomainPermutation(keys, 'u', 1_000_000n);
    const xs = [1n, 2n, 3n, 500_000n, 999_999n];
    const same = (p: DomainPermutation, q: DomainPermutation) =>
      xs.filter((x) => p.encrypt(x) === q.encrypt(x)).length;
    expect(same(a, b)).toBe(0);
    expect(same(a, c)).toBe(0);
  });
});

/** NIRs of every place and month class, from a seeded generator. */
function sampleNirs(count: number): string[] {
  const rnd = seededRandom(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const out = new Set<string>();
  while (out.size < count) {
    const cls = rnd();
    const place =
      cls < 0.7
        ? `${String(pick([1, 13, 33, 59, 69, 75, 92, 93, 95])).padStart(2, '0')}${String(int(1, 990)).padStart(3, '0')}`
        : cls < 0.8
          ? `${pick(['2A', '2B'])}${String(int(1, 300)).padStart(3, '0')}`
          : cls < 0.9
            ? `97${int(1, 6)}${String(int(1, 50)).padStart(2, '0')}`
            : `99${String(int(100, 450)).padStart(3, '0')}`;
    const month = rnd() < 0.9 ? int(1, 12) : pick([20, 35, 62]);
    out.add(
      buildNir({ sexDigit: pick(['1', '2']), year: int(0, 99), month, place, order: int(1, 999) }),
    );
  }
  return [...out];
}

describe('NIR', () => {
  const nirs = sampleNirs(2000);
  const outs = nirs.map((n) => fpeNir(keys, n)!);

  it('gives a valid NIR (key included) for every valid NIR', () => {
    for (const o of outs) expect(isValidNir(o)).toBe(true);
  });
  it('keeps sex, year, month kind and place kind', () => {
    nirs.forEach((n, i) => {
      const a = parseNir(n);
      const b = parseNir(outs[i]!);
      expect([b.sexDigit, b.year, b.monthKind, b.placeKind]).toEqual([
        a.sexDigit,
        a.year,
        a.monthKind,
        a.placeKind,
      ]);
    });
  });
  it('is a bijection on the sample: distinct outputs, and the inverse returns every input', () => {
    expect(new Set(outs).size).toBe(nirs.length);
    expect(outs.filter((o, i) => o === nirs[i]).length).toBe(0);
    outs.forEach((o, i) => expect(fpeNirInverse(keys, o)).toBe(nirs[i]));
  });
  it('gives unrelated NIRs in another case', () => {
    const again = nirs.slice(0, 200).map((n) => fpeNir(other, n));
    expect(again.filter((o, i) => o === outs[i]).length).toBe(0);
  });
  it('refuses what is not a valid NIR (the caller falls back)', () => {
    expect(fpeNir(keys, '123')).toBeNull();
    expect(fpeNir(keys, `${nirs[0]!.slice(0, 13)}00`)).toBeNull();
  });
});

describe('phone', () => {
  const rnd = seededRandom(7);
  const phones: string[] = [];
  while (phones.length < 300) {
    const prefix = ['06', '07', '01', '04', '09'][phones.length % 5]!;
    const digits = String(Math.floor(rnd() * 1e8)).padStart(8, '0');
    const p = `${prefix}${digits}`;
    if (parsePhoneNumberFromString(p, 'FR')?.isValid())
      phones.push(p.replace(/(\d\d)(?=\d)/g, '$1 '));
  }
  const outs = phones.map((p) => fpePhone(keys, p)!);

  it('gives a valid French number of the same type digit, in the same layout', () => {
    phones.forEach((p, i) => {
      const o = outs[i]!;
      expect(o.slice(0, 3)).toBe(p.slice(0, 3));
      expect(o.replace(/\d/g, '0')).toBe(p.replace(/\d/g, '0'));
      const a = parsePhoneNumberFromString(p, 'FR')!;
      const b = parsePhoneNumberFromString(o, 'FR')!;
      expect(b.isValid()).toBe(true);
      expect(b.getType()).toBe(a.getType());
    });
  });
  it('is a bijection on the sample', () => {
    expect(new Set(outs).size).toBe(phones.length);
    outs.forEach((o, i) => expect(fpePhoneInverse(keys, o)).toBe(phones[i]));
  });
  it('handles international and overseas notations', () => {
    const intl = fpePhone(keys, '+33 6 12 34 56 78')!;
    expect(intl).toMatch(/^\+33 6 \d\d \d\d \d\d \d\d$/);
    expect(parsePhoneNumberFromString(intl)?.isValid()).toBe(true);
    const reunion = fpePhone(keys, '0692 12 34 56')!;
    expect(parsePhoneNumberFromString(reunion, 'RE')?.isValid()).toBe(true);
    expect(reunion.startsWith('069')).toBe(true);
    expect(fpePhone(keys, '+1 503 555 9831')).toBeNull();
  });
});

describe('digit strings', () => {
  it('is a bijection keeping layout and Luhn validity', () => {
    const inputs = Array.from({ length: 500 }, (_, i) => `AB-${String(100000 + i * 37)}`);
    const outs = inputs.map((v) => fpeDigits(keys, 'id', v)!);
    expect(new Set(outs).size).toBe(inputs.length);
    outs.forEach((o, i) => {
      expect(o).toMatch(/^AB-\d{6}$/);
      expect(fpeDigitsInverse(keys, 'id', o)).toBe(inputs[i]);
    });
    expect(fpeDigits(keys, 'id', '12345')).toBeNull();
  });
});
