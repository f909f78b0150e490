/**
 * Blocking: which record pairs are worth comparing. Comparing every pair of two 1M-record files
 * is 10^12 comparisons; a pair is a candidate when it shares at least one blocking key of one
 * rule, which keeps candidates near linear in the number of records.
 *
 * Rules (printed with their pair counts by `matches --fuzzy`), chosen so that each kind of error
 * the generator and real leaks show is caught by at least one rule the error leaves intact:
 * - any strong key (email, phone, NIR, France Travail id, IBAN, national id);
 * - Soundex2 of any name token + year and month of birth (typo or swap in one name);
 * - full date of birth + initial of any name token (typos in both names);
 * - Soundex2 of the two names in either order (wrong or missing date of birth);
 * - postal code + Soundex2 of any name token (wrong date, one name intact, same address);
 * - email local part (same mailbox name at another provider);
 * - full date of birth alone, with a small block cap (records with few usable names).
 *
 * A block producing more than `blockCap` pairs (Martin born in May 1970 in a 1M file) is not paired
 * in full: it is split by the rule's refining keys in turn (day of birth, birth year, département,
 * street number...), each chosen to be a field the rule's target error leaves intact, and only a
 * part still over the cap after the last one is skipped. Blocks grow with the file, refined parts
 * do not, so candidates stay near linear in the records (the square of a block's size was what
 * grew before: 28k → 2.3M candidates from 10k to 100k records). Small files are hardly split (10k ×
 * 10k: 104 of 28,360 candidates dropped, no true pair among them). Split and skipped blocks are
 * counted and reported so pair completeness is never overstated.
 *
 * Implementation: per rule, (hash of key, record) packed into one double (hash · 2^bits + index),
 * sorted natively, merged between the two sides; pairs are packed as a·|B| + b in a Float64Array
 * and de-duplicated by sorting. No per-key objects and no BigInt, so 2M records stay within a few
 * hundred MB.
 */
import { hash32 } from './hash';
import { soundex2 } from './phonetic';
import type { LinkRecord } from './records';

export interface BlockingRule {
  name: string;
  description: string;
  keys(r: LinkRecord): string[];
  /**
   * Cap on the pairs of one block for this rule (default: the run's cap). Weak rules get a small
   * cap: they help on small files and narrow themselves, block by block, on large ones.
   */
  cap?: number;
  /** Keys splitting a block over the cap, tried in turn (a record without the value drops out). */
  refine?: readonly Refiner[];
}

/** A record's value of a secondary key (null: unknown). */
export type Refiner = (r: LinkRecord) => string | null;

const birthDay: Refiner = (r) => (r.dob === null ? null : String(r.dob % 100));
const birthYear: Refiner = (r) => (r.dob === null ? null : String(Math.floor(r.dob / 10000)));
const departement: Refiner = (r) => (r.postal === null ? null : r.postal.slice(0, 2));
const streetNumber: Refiner = (r) => {
  for (const t of r.address) if (t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57) return t;
  return null;
};

function initials(r: LinkRecord): string[] {
  const out = new Set<string>();
  for (const t of r.tokens) out.add(t[0]);
  return [...out];
}

export const BLOCKING_RULES: readonly BlockingRule[] = [
  {
    name: 'strong keys',
    description: 'same email, phone, NIR, France Travail id, IBAN or national id',
    keys: (r) => {
      const k: string[] = [];
      if (r.email) k.push(`e${r.email}`);
      if (r.phone) k.push(`p${r.phone}`);
      if (r.nir) k.push(`n${r.nir}`);
      if (r.ft) k.push(`f${r.ft}`);
      if (r.iban) k.push(`i${r.iban}`);
      if (r.nationalId) k.push(`x${r.nationalId}`);
      return k;
    },
  },
  {
    name: 'phonetic name + birth month',
    description: 'Soundex2 of any name token and the year and month of birth',
    keys: (r) => {
      if (r.dob === null) return [];
      const month = Math.floor(r.dob / 100);
      return [...new Set(r.tokens.map((t) => `${soundex2(t)}|${month}`))];
    },
    // A typo in one name keeps the date: the day splits a common name's month.
    refine: [birthDay, departement],
  },
  {
    name: 'birth date + initial',
    description: 'the full date of birth and the initial of any name token',
    keys: (r) => (r.dob === null ? [] : initials(r).map((i) => `${r.dob}|${i}`)),
    refine: [departement],
  },
  {
    name: 'phonetic full name',
    description: 'Soundex2 of the first and the last name, in either order',
    keys: (r) => {
      if (!r.first || !r.last) return [];
      const a = soundex2(r.first);
      const b = soundex2(r.last);
      return [a < b ? `${a}|${b}` : `${b}|${a}`];
    },
    // Meant for a wrong day or month (the rules above need them): the year usually survives, and
    // the postal code is left out because a moved person is what this rule must still catch.
    refine: [birthYear, birthDay],
  },
  {
    name: 'postal code + phonetic name',
    description: 'the postal code and the Soundex2 of any name token',
    keys: (r) =>
      r.postal === null ? [] : [...new Set(r.tokens.map((t) => `${r.postal}|${soundex2(t)}`))],
    // Same address: the street number survives abbreviations and reformatting.
    refine: [streetNumber, birthYear],
  },
  {
    name: 'email local part',
    description: 'the same mailbox name at any provider',
    keys: (r) => {
      if (!r.email) return [];
      const local = r.email.slice(0, r.email.indexOf('@'));
      return local.length >= 4 ? [local] : [];
    },
    refine: [birthYear],
  },
  {
    name: 'birth date',
    description: 'the full date of birth alone (weak: blocks over 100 pairs split by département)',
    keys: (r) => (r.dob === null ? [] : [String(r.dob)]),
    cap: 100,
    refine: [departement],
  },
];

/**
 * Default cap on the pairs one block may produce: about 10 candidates per record and rule at most,
 * whatever the file's size (2,500 let 1M × 1M reach 86M candidates; 100 gives 16 per record at
 * 100k and 21 at 1M, with every pair-quality figure of the benchmarks unchanged).
 */
export const DEFAULT_BLOCK_CAP = 100;

export interface CandidateSet {
  /** Unique pairs a·nb + b, sorted ascending. */
  pairs: Float64Array;
  nb: number;
  rules: {
    name: string;
    description: string;
    pairs: number;
    /** Blocks (or parts) over the cap that no refining key could bring under it. */
    skippedBlocks: number;
    /** Blocks over the cap split by a refining key. */
    splitBlocks: number;
  }[];
}

/** Growable array of doubles (candidate pairs, packed keys). */
class DoubleBuffer {
  data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  sorted(): Float64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

/** Record indices and hashes share one double: hash · 2^bits + index (exact below 2^53). */
interface Packing {
  scale: number;
  /** Right shift bringing a 32-bit hash into the bits left beside the index. */
  shift: number;
}

function packing(records: number): Packing {
  const bits = Math.max(1, Math.ceil(Math.log2(records + 1)));
  return { scale: 2 ** bits, shift: Math.max(0, bits - 21) };
}

function packSide(
  records: readonly LinkRecord[],
  rule: BlockingRule,
  salt: string,
  p: Packing,
): Float64Array {
  const buf = new DoubleBuffer();
  for (let i = 0; i < records.length; i++) {
    for (const k of rule.keys(records[i])) buf.push((hash32(salt + k) >>> p.shift) * p.scale + i);
  }
  return buf.sorted();
}

/** Members of a block, re-keyed by a refining key's value (sorted like a packed side). */
function refineSide(
  records: readonly LinkRecord[],
  members: Float64Array,
  refiner: Refiner,
  p: Packing,
): Float64Array {
  const buf = new DoubleBuffer();
  for (let x = 0; x < members.length; x++) {
    const i = members[x] % p.scale;
    const v = refiner(records[i]);
    if (v !== null) buf.push((hash32(v) >>> p.shift) * p.scale + i);
  }
  return buf.sorted();
}

/** Calls `visit` with each block (same hash on both sorted sides) as two subarrays. */
function eachBlock(
  sa: Float64Array,
  sb: Float64Array,
  scale: number,
  visit: (ba: Float64Array, bb: Float64Array) => void,
): void {
  const dedupe = sa === sb;
  let i = 0;
  let j = 0;
  while (i < sa.length && j < sb.length) {
    const ha = Math.floor(sa[i] / scale);
    const hb = Math.floor(sb[j] / scale);
    if (ha < hb) {
      i++;
      continue;
    }
    if (hb < ha) {
      j++;
      continue;
    }
    let i1 = i + 1;
    while (i1 < sa.length && Math.floor(sa[i1] / scale) === ha) i1++;
    let j1 = j + 1;
    while (j1 < sb.length && Math.floor(sb[j1] / scale) === hb) j1++;
    const ba = sa.subarray(i, i1);
    visit(ba, dedupe ? ba : sb.subarray(j, j1));
    i = i1;
    j = dedupe ? i1 : j1;
  }
}

/**
 * Candidate pairs between `a` and `b` (the same array for deduplication inside one dataset: each
 * unordered pair once, a record never paired with itself).
 */
export function candidatePairs(
  a: readonly LinkRecord[],
  b: readonly LinkRecord[],
  options: { rules?: readonly BlockingRule[]; blockCap?: number; signal?: AbortSignal } = {},
): CandidateSet {
  const rules = options.rules ?? BLOCKING_RULES;
  const runCap = options.blockCap ?? DEFAULT_BLOCK_CAP;
  const dedupe = a === b;
  const nb = b.length;
  const p = packing(Math.max(a.length, b.length));
  const buf = new DoubleBuffer();
  const reports: CandidateSet['rules'] = [];
  rules.forEach((rule, ri) => {
    options.signal?.throwIfAborted();
    const cap = Math.min(rule.cap ?? runCap, runCap);
    const refine = rule.refine ?? [];
    let produced = 0;
    let skipped = 0;
    let split = 0;
    const visit = (ba: Float64Array, bb: Float64Array, level: number): void => {
      const size = dedupe ? (ba.length * (ba.length - 1)) / 2 : ba.length * bb.length;
      if (size <= cap) {
        produced += emit(ba, bb);
        return;
      }
      if (level >= refine.length) {
        skipped++;
        return;
      }
      split++;
      const ra = refineSide(a, ba, refine[level], p);
      const rb = dedupe ? ra : refineSide(b, bb, refine[level], p);
      eachBlock(ra, rb, p.scale, (x, y) => visit(x, y, level + 1));
    };
    const emit = (ba: Float64Array, bb: Float64Array): number => {
      let n = 0;
      for (let x = 0; x < ba.length; x++) {
        const ax = ba[x] % p.scale;
        for (let y = dedupe ? x + 1 : 0; y < bb.length; y++) {
          const by = bb[y] % p.scale;
          if (dedupe) {
            if (ax === by) continue;
            buf.push(ax < by ? ax * nb + by : by * nb + ax);
          } else buf.push(ax * nb + by);
          n++;
        }
      }
      return n;
    };
    const sa = packSide(a, rule, `${ri}:`, p);
    const sb = dedupe ? sa : packSide(b, rule, `${ri}:`, p);
    eachBlock(sa, sb, p.scale, (x, y) => visit(x, y, 0));
    reports.push({
      name: rule.name,
      description: rule.description,
      pairs: produced,
      skippedBlocks: skipped,
      splitBlocks: split,
    });
  });
  const all = buf.sorted();
  let n = 0;
  for (let k = 0; k < all.length; k++) {
    if (k === 0 || all[k] !== all[k - 1]) all[n++] = all[k];
  }
  return { pairs: all.slice(0, n), nb, rules: reports };
}
