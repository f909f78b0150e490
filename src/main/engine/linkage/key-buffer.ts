/**
 * Key rows of an extraction held in typed arrays and put in primary-key order in JavaScript.
 *
 * Why: SQLite's sorter (`INSERT … SELECT … ORDER BY kind, key, row_id`) was most of a key
 * extraction. At 1M records (6.4M keys): 13.1 s for the sorted insert, of which 2.2 s is the
 * insert itself once its input is already in order (bench/RESULTS.md "Linkage"). A least-
 * significant-digit radix sort here takes 0.7 s, and SQLite then receives the keys in the order
 * of its B-tree: every insert lands on the right edge (the whole extraction: 46.2 → 36.7 s).
 *
 * Keys arrive in row order (records are read by ascending id) and the radix sort is stable, so
 * rows with the same (kind, key) stay in ascending row order without a pass of their own.
 */

import type { KeyPage } from './key-pages';

/** No date of birth (dates are yyyymmdd integers, always positive). */
export const NO_DOB = -1;

/** Sort order of the identity_keys primary key: kind, then the signed 64-bit key (hi, lo). */
export class KeyBuffer {
  /** Kind codes (kinds.ts). */
  kind: Uint8Array;
  /** High 32 bits of the key, sign bit flipped so that unsigned order is signed order. */
  hiFlipped: Uint32Array;
  lo: Uint32Array;
  row: Float64Array;
  /** Date of birth as yyyymmdd (normalize.ts normalizeDate), NO_DOB for none. */
  dob: Int32Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.kind = new Uint8Array(capacity);
    this.hiFlipped = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.row = new Float64Array(capacity);
    this.dob = new Int32Array(capacity);
  }

  /** `hi` signed, `lo` unsigned: the halves of the 64-bit key (hash.ts keyHash). */
  push(kind: number, hi: number, lo: number, row: number, dob: number | null): void {
    if (this.length === this.kind.length) this.grow();
    const i = this.length++;
    this.kind[i] = kind;
    this.hiFlipped[i] = (hi ^ 0x80000000) >>> 0;
    this.lo[i] = lo;
    this.row[i] = row;
    this.dob[i] = dob ?? NO_DOB;
  }

  /** Appends a page of keys (key-pages.ts: another buffer's arrays), in its order. */
  append(p: KeyPage): void {
    while (this.length + p.length > this.kind.length) this.grow();
    const at = this.length;
    const n = p.length;
    this.kind.set(p.kind.subarray(0, n), at);
    this.hiFlipped.set(p.hiFlipped.subarray(0, n), at);
    this.lo.set(p.lo.subarray(0, n), at);
    this.row.set(p.row.subarray(0, n), at);
    this.dob.set(p.dob.subarray(0, n), at);
    this.length += n;
  }

  /** The signed high half of entry i. */
  hi(i: number): number {
    return (this.hiFlipped[i]! ^ 0x80000000) | 0;
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const widen = <T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(
      a: T,
      b: T,
    ): T => {
      b.set(a);
      return b;
    };
    this.kind = widen(this.kind, new Uint8Array(n));
    this.hiFlipped = widen(this.hiFlipped, new Uint32Array(n));
    this.lo = widen(this.lo, new Uint32Array(n));
    this.row = widen(this.row, new Float64Array(n));
    this.dob = widen(this.dob, new Int32Array(n));
  }

  /**
   * Entry indexes in (kind, high half of the key, row) order: the order of the primary key but
   * for the low 32 bits, which only reorder entries whose kind and high half are equal (about
   * n² / 2³³ pairs: 5,000 among 6.4M keys), always neighbours in the B-tree, on the same page.
   * Nothing depends on the order but the speed of the insert.
   *
   * A least-significant-digit radix sort on 8-bit digits that moves the sort keys with the
   * indexes (four passes over the high half, one over the kind): each pass reads its arrays in
   * order and writes to 256 streams. Sorting indexes and reading the keys through them instead
   * costs a cache miss per entry and pass (measured: 4.5 s for 6.4M keys, against 1.3 s for
   * nine passes over the whole key this way, and less for these five).
   */
  order(): Uint32Array {
    const n = this.length;
    let src: SortColumns = {
      hi: this.hiFlipped.slice(0, n),
      kind: this.kind.slice(0, n),
      idx: new Uint32Array(n),
    };
    for (let i = 0; i < n; i++) src.idx[i] = i;
    let dst: SortColumns = {
      hi: new Uint32Array(n),
      kind: new Uint8Array(n),
      idx: new Uint32Array(n),
    };
    const count = new Uint32Array(256);
    for (let pass = 0; pass < 5; pass++) {
      if (pass === 4) bucketByKind(src, dst, count);
      else radixPass(src, dst, pass * 8, count);
      const t = src;
      src = dst;
      dst = t;
    }
    return src.idx;
  }
}

interface SortColumns {
  hi: Uint32Array;
  kind: Uint8Array;
  idx: Uint32Array;
}

/** Offsets of each digit's bucket from the digit counts (exclusive prefix sums). */
function startOffsets(count: Uint32Array): void {
  let sum = 0;
  for (let d = 0; d < 256; d++) {
    const c = count[d]!;
    count[d] = sum;
    sum += c;
  }
}

/** One stable pass on the 8-bit digit (hi >>> shift) & 0xff, moving every column. */
function radixPass(src: SortColumns, dst: SortColumns, shift: number, count: Uint32Array): void {
  const { hi, kind, idx } = src;
  const { hi: hi2, kind: kind2, idx: idx2 } = dst;
  const n = hi.length;
  count.fill(0);
  for (let i = 0; i < n; i++) count[(hi[i]! >>> shift) & 0xff]!++;
  startOffsets(count);
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    const j = count[(h >>> shift) & 0xff]!++;
    hi2[j] = h;
    kind2[j] = kind[i]!;
    idx2[j] = idx[i]!;
  }
}

/**
 * The last, most significant pass: by kind code (under 256 kinds). radixPass with the digit
 * read from the Uint8Array kind column instead: a function per column type keeps each loop
 * monomorphic for V8.
 */
function bucketByKind(src: SortColumns, dst: SortColumns, count: Uint32Array): void {
  const { hi, kind, idx } = src;
  const { hi: hi2, kind: kind2, idx: idx2 } = dst;
  const n = kind.length;
  count.fill(0);
  for (let i = 0; i < n; i++) count[kind[i]!]!++;
  startOffsets(count);
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    const j = count[k]!++;
    hi2[j] = hi[i]!;
    kind2[j] = k;
    idx2[j] = idx[i]!;
  }
}
