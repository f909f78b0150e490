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
 * A block producing more than `blockCap` pairs (Martin born in 1970 in a 10M file) is skipped and
 * counted; the other rules usually still bring its true pairs in, and the skipped count is
 * reported so pair completeness is never overstated.
 *
 * Implementation: per rule, (hash of key, record) pairs packed in a BigUint64Array, sorted
 * natively, merged between the two sides; pairs are packed as a·|B| + b in a Float64Array and
 * de-duplicated by sorting. No per-key objects, so 2M records stay within a few hundred MB.
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
   * cap: they help on small files and switch themselves off, block by block, on large ones.
   */
  cap?: number;
}

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
  },
  {
    name: 'birth date + initial',
    description: 'the full date of birth and the initial of any name token',
    keys: (r) => (r.dob === null ? [] : initials(r).map((i) => `${r.dob}|${i}`)),
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
  },
  {
    name: 'postal code + phonetic name',
    description: 'the postal code and the Soundex2 of any name token',
    keys: (r) =>
      r.postal === null ? [] : [...new Set(r.tokens.map((t) => `${r.postal}|${soundex2(t)}`))],
  },
  {
    name: 'email local part',
    description: 'the same mailbox name at any provider',
    keys: (r) => {
      if (!r.email) return [];
      const local = r.email.slice(0, r.email.indexOf('@'));
      return local.length >= 4 ? [local] : [];
    },
  },
  {
    name: 'birth date',
    description: 'the full date of birth alone (weak: blocks over 100 pairs are skipped)',
    keys: (r) => (r.dob === null ? [] : [String(r.dob)]),
    cap: 100,
  },
];

/** Default cap on the pairs one block may produce. */
export const DEFAULT_BLOCK_CAP = 2_500;

export interface CandidateSet {
  /** Unique pairs a·nb + b, sorted ascending. */
  pairs: Float64Array;
  nb: number;
  rules: { name: string; description: string; pairs: number; skippedBlocks: number }[];
}

function packSide(
  records: readonly LinkRecord[],
  rule: BlockingRule,
  salt: string,
): BigUint64Array {
  const packed: bigint[] = [];
  for (let i = 0; i < records.length; i++) {
    for (const k of rule.keys(records[i])) {
      packed.push((BigInt(hash32(salt + k)) << 32n) | BigInt(i));
    }
  }
  const arr = BigUint64Array.from(packed);
  arr.sort();
  return arr;
}

class PairBuffer {
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
}

const LOW = 0xffffffffn;

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
  const buf = new PairBuffer();
  const reports: CandidateSet['rules'] = [];
  rules.forEach((rule, ri) => {
    options.signal?.throwIfAborted();
    const salt = `${ri}:`;
    const cap = Math.min(rule.cap ?? runCap, runCap);
    const sa = packSide(a, rule, salt);
    const sb = dedupe ? sa : packSide(b, rule, salt);
    let produced = 0;
    let skipped = 0;
    let i = 0;
    let j = 0;
    while (i < sa.length && j < sb.length) {
      const ha = sa[i] >> 32n;
      const hb = sb[j] >> 32n;
      if (ha < hb) {
        i++;
        continue;
      }
      if (hb < ha) {
        j++;
        continue;
      }
      let i1 = i;
      while (i1 < sa.length && sa[i1] >> 32n === ha) i1++;
      let j1 = j;
      while (j1 < sb.length && sb[j1] >> 32n === hb) j1++;
      const size = dedupe ? ((i1 - i) * (i1 - i - 1)) / 2 : (i1 - i) * (j1 - j);
      if (size > cap) skipped++;
      else if (dedupe) {
        for (let x = i; x < i1; x++) {
          const ax = Number(sa[x] & LOW);
          for (let y = x + 1; y < i1; y++) {
            const by = Number(sa[y] & LOW);
            if (ax === by) continue;
            buf.push(ax < by ? ax * nb + by : by * nb + ax);
            produced++;
          }
        }
      } else {
        for (let x = i; x < i1; x++) {
          const ax = Number(sa[x] & LOW) * nb;
          for (let y = j; y < j1; y++) {
            buf.push(ax + Number(sb[y] & LOW));
            produced++;
          }
        }
      }
      i = i1;
      j = dedupe ? i1 : j1;
    }
    reports.push({
      name: rule.name,
      description: rule.description,
      pairs: produced,
      skippedBlocks: skipped,
    });
  });
  const all = buf.data.subarray(0, buf.length);
  all.sort();
  let n = 0;
  for (let k = 0; k < all.length; k++) {
    if (k === 0 || all[k] !== all[k - 1]) all[n++] = all[k];
  }
  return { pairs: all.slice(0, n), nb, rules: reports };
}
