/**
 * Format-preserving pseudonyms: keyed permutations of structured domains (NIR, French phone
 * numbers, digit strings), so that a pseudonymised NIR is still a valid NIR with a valid key and
 * a phone number still a valid French number of the same type.
 *
 * Construction (documented because it is not FF1 itself, NIST SP 800-38G, though it follows its
 * shape): a domain of N values is ranked to the integers [0, N) (mixed radix over the fields of
 * the format). A balanced Feistel network permutes Z_p × Z_q with p·q ≥ N (p = ⌈√N⌉,
 * q = ⌈N/p⌉), halves alternating moduli as FF1 alternates radix^u and radix^v:
 *
 *   state (A ∈ Z_p, B ∈ Z_q); round i: C = (A + F_i(B)) mod m_i; A ← B; B ← C
 *   m_i = p for even i, q for odd i; 10 rounds (FF1's count), so the state ends in Z_p × Z_q.
 *   F_i(B) = first 96 bits of HMAC-SHA256(fpeKey, tweak ‖ i ‖ B) reduced mod m_i.
 *
 * Each round is invertible (A = (C − F_i(B)) mod m_i), so the network is a bijection of
 * Z_p × Z_q; cycle-walking (re-encrypt while the result falls outside the domain, or fails a
 * validity predicate) restricts it to a bijection of the domain itself (Black & Rogaway 2002).
 * Expected walks are p·q/N ≈ 1 for ranked domains. The key comes from the case secret
 * (keys.ts): an unkeyed hash of a low-entropy value (a NIR, a phone) would be reversible by
 * enumeration, a keyed permutation is not without the case.
 *
 * What is kept: the NIR's sex digit and year of birth (the tweak) and its month / place classes
 * (calendar, fictitious; metropolitan, Corsican, overseas, abroad), so a pseudonymised file
 * still reads consistently; a phone's country, type digit (06 stays mobile) and layout. Values
 * that do not parse fall back to a digit permutation with the layout kept, or to null (the
 * caller then masks or uses a keyed pseudonym): never the value itself.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isLuhnValid, luhnCheckDigit, nirKey, parseNir } from '../profile/validators';
import type { RedactionKeys } from './keys';

export const FEISTEL_ROUNDS = 10;
/** Domains smaller than this are refused: a permutation of a tiny set hides little. */
export const MIN_DOMAIN = 1_000_000n;

/** A keyed permutation of [0, n) (a bijection), with its inverse. */
export class DomainPermutation {
  private readonly p: bigint;
  private readonly q: bigint;

  constructor(
    private readonly keys: RedactionKeys,
    /** Separates domains and tweaks: the same number in two domains maps independently. */
    private readonly tweak: string,
    readonly n: bigint,
  ) {
    if (n < 2n) throw new Error('a permutation domain needs at least two values');
    let p = sqrtCeil(n);
    if (p < 2n) p = 2n;
    let q = (n + p - 1n) / p;
    if (q < 2n) q = 2n;
    this.p = p;
    this.q = q;
  }

  private f(round: number, b: bigint, modulus: bigint): bigint {
    const mac = this.keys.fpeMac(`${this.tweak}\u0000${round}\u0000${b}`);
    return BigInt(`0x${mac.subarray(0, 12).toString('hex')}`) % modulus;
  }

  /** One pass of the network over Z_p × Z_q (not yet restricted to [0, n)). */
  private forward(x: bigint): bigint {
    let a = x / this.q;
    let b = x % this.q;
    for (let i = 0; i < FEISTEL_ROUNDS; i++) {
      const m = i % 2 === 0 ? this.p : this.q;
      const c = (a + this.f(i, b, m)) % m;
      a = b;
      b = c;
    }
    return a * this.q + b;
  }

  private backward(y: bigint): bigint {
    let a = y / this.q;
    let b = y % this.q;
    for (let i = FEISTEL_ROUNDS - 1; i >= 0; i--) {
      const m = i % 2 === 0 ? this.p : this.q;
      const prevB = a;
      const prevA = (((b - this.f(i, prevB, m)) % m) + m) % m;
      a = prevA;
      b = prevB;
    }
    return a * this.q + b;
  }

  /**
   * Encrypts x ∈ [0, n), walking the cycle until the result is in the domain and passes `valid`
   * (which must hold for x itself, or the walk could return to x without an answer).
   */
  encrypt(x: bigint, valid: (y: bigint) => boolean = () => true): bigint {
    if (x < 0n || x >= this.n) throw new Error('value outside the permutation domain');
    let y = this.forward(x);
    while (y >= this.n || !valid(y)) y = this.forward(y);
    return y;
  }

  decrypt(y: bigint, valid: (x: bigint) => boolean = () => true): bigint {
    if (y < 0n || y >= this.n) throw new Error('value outside the permutation domain');
    let x = this.backward(y);
    while (x >= this.n || !valid(x)) x = this.backward(x);
    return x;
  }
}

function sqrtCeil(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.ceil(Math.sqrt(Number(n))));
  // Correct the float estimate (exact for the sizes we use, but cheap to make sure).
  while (x * x < n) x++;
  while (x > 1n && (x - 1n) * (x - 1n) >= n) x--;
  return x;
}

const permutations = new WeakMap<RedactionKeys, Map<string, DomainPermutation>>();

/** Permutations are cached per key and tweak (their construction is cheap, but not free). */
function permutation(keys: RedactionKeys, tweak: string, n: bigint): DomainPermutation {
  let byTweak = permutations.get(keys);
  if (!byTweak) {
    byTweak = new Map();
    permutations.set(keys, byTweak);
  }
  const k = `${tweak}\u0000${n}`;
  let perm = byTweak.get(k);
  if (!perm) {
    perm = new DomainPermutation(keys, tweak, n);
    if (byTweak.size > 10_000) byTweak.clear();
    byTweak.set(k, perm);
  }
  return perm;
}

// ---------------------------------------------------------------------------------------------
// Layout: a value's characters are rewritten in place, separators kept.

/** Rewrites the characters matching `slot` in `template`, in order, with those of `chars`. */
function fillSlots(template: string, slot: RegExp, chars: string): string {
  let k = 0;
  let out = '';
  for (const ch of template) {
    if (k < chars.length && slot.test(ch)) out += chars[k++];
    else out += ch;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Digit strings.

/**
 * Permutes the digits of a value (non-digits stay where they are): the domain is every string of
 * that many digits, so leading zeros are kept as digits. Luhn-valid inputs keep a valid check
 * digit when `luhn` is set. Returns null below 6 digits (a domain under a million values) or
 * above 36.
 */
export function fpeDigits(
  keys: RedactionKeys,
  kind: string,
  value: string,
  luhn = false,
): string | null {
  const digits = value.replace(/\D/g, '');
  const keepCheck = luhn && digits.length >= 7 && isLuhnValid(digits);
  const body = keepCheck ? digits.slice(0, -1) : digits;
  if (body.length < 6 || body.length > 36) return null;
  const n = 10n ** BigInt(body.length);
  const perm = permutation(keys, `digits|${kind}|${body.length}|${keepCheck ? 'luhn' : ''}`, n);
  const out = perm.encrypt(BigInt(body)).toString().padStart(body.length, '0');
  const all = keepCheck ? out + luhnCheckDigit(out) : out;
  return fillSlots(value, /\d/, all);
}

/** Inverse of fpeDigits (tests and audits of the construction). */
export function fpeDigitsInverse(
  keys: RedactionKeys,
  kind: string,
  value: string,
  luhn = false,
): string | null {
  const digits = value.replace(/\D/g, '');
  const keepCheck = luhn && digits.length >= 7 && isLuhnValid(digits);
  const body = keepCheck ? digits.slice(0, -1) : digits;
  if (body.length < 6 || body.length > 36) return null;
  const n = 10n ** BigInt(body.length);
  const perm = permutation(keys, `digits|${kind}|${body.length}|${keepCheck ? 'luhn' : ''}`, n);
  const out = perm.decrypt(BigInt(body)).toString().padStart(body.length, '0');
  const all = keepCheck ? out + luhnCheckDigit(out) : out;
  return fillSlots(value, /\d/, all);
}

// ---------------------------------------------------------------------------------------------
// NIR.

function range(from: number, to: number, width: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(String(i).padStart(width, '0'));
  return out;
}

const MONTHS: Record<'calendar' | 'pseudo' | 'fictitious', readonly string[]> = {
  calendar: range(1, 12, 2),
  pseudo: range(31, 42, 2),
  fictitious: [...range(20, 30, 2), ...range(50, 99, 2)],
};

type PlaceKind = 'metropole' | 'corsica' | 'overseas' | 'overseas_collectivity' | 'abroad';

/** Every 5-character place code parseNir accepts, by kind, in a fixed order (the ranking). */
function placeCodes(kind: PlaceKind): readonly string[] {
  const out: string[] = [];
  const communes3 = range(1, 990, 3);
  const communes2 = range(1, 99, 2);
  switch (kind) {
    case 'metropole':
      for (let d = 1; d <= 96; d++) {
        if (d === 20) continue;
        const dd = String(d).padStart(2, '0');
        for (const c of communes3) out.push(dd + c);
      }
      break;
    case 'corsica':
      for (const dd of ['20', '2A', '2B']) for (const c of communes3) out.push(dd + c);
      break;
    case 'overseas':
      for (let t = 1; t <= 8; t++) for (const c of communes2) out.push(`97${t}${c}`);
      break;
    case 'overseas_collectivity':
      for (let t = 4; t <= 9; t++) for (const c of communes2) out.push(`98${t}${c}`);
      break;
    case 'abroad':
      for (const c of communes3) out.push(`99${c}`);
      break;
  }
  return out;
}

const placeTables = new Map<PlaceKind, { codes: readonly string[]; index: Map<string, number> }>();

function places(kind: PlaceKind) {
  let t = placeTables.get(kind);
  if (!t) {
    const codes = placeCodes(kind);
    t = { codes, index: new Map(codes.map((c, i) => [c, i])) };
    placeTables.set(kind, t);
  }
  return t;
}

const ORDERS = 999n;

/**
 * A NIR replaced by another valid NIR: same sex digit and year of birth, same month kind and
 * place kind, permuted month, place and order number, recomputed key (kept keyless if the input
 * was). Returns null when the value is not a valid NIR.
 */
export function fpeNir(keys: RedactionKeys, value: string): string | null {
  return nirTransform(keys, value, 'encrypt');
}

/** Inverse of fpeNir. */
export function fpeNirInverse(keys: RedactionKeys, value: string): string | null {
  return nirTransform(keys, value, 'decrypt');
}

function nirTransform(
  keys: RedactionKeys,
  value: string,
  direction: 'encrypt' | 'decrypt',
): string | null {
  const r = parseNir(value);
  if (!r.valid || !r.normalized || !r.monthKind || !r.placeKind || !r.month || !r.order) {
    return null;
  }
  const months = MONTHS[r.monthKind];
  const table = places(r.placeKind);
  const body = r.normalized.slice(0, 13);
  const place = body.slice(5, 10);
  const mi = months.indexOf(r.month);
  const pi = table.index.get(place);
  if (mi < 0 || pi === undefined) return null;
  const nPlaces = BigInt(table.codes.length);
  const n = BigInt(months.length) * nPlaces * ORDERS;
  const x = (BigInt(mi) * nPlaces + BigInt(pi)) * ORDERS + BigInt(Number(r.order) - 1);
  const perm = permutation(keys, `nir|${r.sexDigit}|${r.year}|${r.monthKind}|${r.placeKind}`, n);
  const y = direction === 'encrypt' ? perm.encrypt(x) : perm.decrypt(x);
  const order = Number(y % ORDERS) + 1;
  const rest = y / ORDERS;
  const newPlace = table.codes[Number(rest % nPlaces)]!;
  const newMonth = months[Number(rest / nPlaces)]!;
  const newBody = `${r.sexDigit}${r.year}${newMonth}${newPlace}${String(order).padStart(3, '0')}`;
  const compact = r.keyless ? newBody : newBody + nirKey(newBody);
  // Written back in the input's layout (spaces, dots, dashes kept; Corsica letters upper case).
  return fillSlots(value, /[0-9A-Za-z]/, compact);
}

// ---------------------------------------------------------------------------------------------
// Phone numbers.

/** Countries sharing the French numbering plan (national numbers of 9 digits after the 0). */
const FRENCH_PLAN = new Set(['FR', 'RE', 'YT', 'GP', 'GF', 'MQ', 'PM', 'BL', 'MF']);
const OVERSEAS_PREFIX: readonly [RegExp, 'RE' | 'YT' | 'GP' | 'GF' | 'MQ' | 'PM'][] = [
  [/^0(?:262|263|692|693)/, 'RE'],
  [/^0(?:269|639)/, 'YT'],
  [/^0(?:590|690|691)/, 'GP'],
  [/^0(?:594|694)/, 'GF'],
  [/^0(?:596|696|697)/, 'MQ'],
  [/^0508/, 'PM'],
];

interface FrenchPhone {
  country: string;
  callingCode: string;
  nsn: string;
}

function parseFrenchPhone(value: string): FrenchPhone | null {
  const cleaned = value.replace(/\(0\)/, '');
  const compact = cleaned.replace(/[\s().\-/]/g, '');
  let p;
  if (/^0\d{9}$/.test(compact)) {
    const overseas = OVERSEAS_PREFIX.find(([re]) => re.test(compact));
    p = parsePhoneNumberFromString(compact, overseas ? overseas[1] : 'FR');
  } else if (/^(?:\+|00)\d{9,13}$/.test(compact)) {
    p = parsePhoneNumberFromString(compact.startsWith('00') ? `+${compact.slice(2)}` : compact);
  } else {
    return null;
  }
  if (!p || !p.isValid() || !p.country || !FRENCH_PLAN.has(p.country)) return null;
  const nsn = String(p.nationalNumber);
  if (!/^\d{9}$/.test(nsn)) return null;
  return { country: p.country, callingCode: String(p.countryCallingCode), nsn };
}

function isValidIn(country: string, callingCode: string, nsn: string): boolean {
  const p = parsePhoneNumberFromString(`+${callingCode}${nsn}`);
  return !!p && p.isValid() && p.country === country;
}

/**
 * A French (or overseas French) phone number replaced by another valid number of the same
 * country and type digit (06 stays a mobile, 01 a Paris-region fixed line), in the same layout:
 * the last 8 digits of the national number are permuted (cycle-walking over valid numbers).
 * Returns null when the value is not a valid number of the French numbering plan.
 */
export function fpePhone(keys: RedactionKeys, value: string): string | null {
  return phoneTransform(keys, value, 'encrypt');
}

export function fpePhoneInverse(keys: RedactionKeys, value: string): string | null {
  return phoneTransform(keys, value, 'decrypt');
}

function phoneTransform(
  keys: RedactionKeys,
  value: string,
  direction: 'encrypt' | 'decrypt',
): string | null {
  const ph = parseFrenchPhone(value);
  if (!ph) return null;
  const type = ph.nsn[0]!;
  const perm = permutation(keys, `phone|${ph.country}|${type}`, 100_000_000n);
  const valid = (y: bigint) =>
    isValidIn(ph.country, ph.callingCode, type + y.toString().padStart(8, '0'));
  const x = BigInt(ph.nsn.slice(1));
  const y = direction === 'encrypt' ? perm.encrypt(x, valid) : perm.decrypt(x, valid);
  const last8 = y.toString().padStart(8, '0');
  // The national number's last 8 digits are the value's last 8 digits in every notation.
  const digitsAt: number[] = [];
  for (let i = 0; i < value.length; i++) if (value[i]! >= '0' && value[i]! <= '9') digitsAt.push(i);
  if (digitsAt.length < 8) return null;
  // Indexed by UTF-16 code unit: digits are single units, whatever else the value holds.
  const out = value.split('');
  digitsAt.slice(-8).forEach((pos, k) => {
    out[pos] = last8[k]!;
  });
  return out.join('');
}
