/**
 * The identity keys of a range of records as typed arrays: what the extraction's reading side
 * produces, in the extraction's own thread or in key threads (key-threads.ts), which send these
 * arrays as transferred buffers. Reading and normalising is about a third of an extraction
 * (1M records: rows read 3.1 s, normalised ≈ 5.5 s, and their garbage), the part that can run
 * beside SQLite's inserts.
 */
import { keyHash } from './hash';
import { NO_DOB } from './key-buffer';
import { KEY_KIND_CODE } from './kinds';
import type { RecordReader } from './records';

export interface KeyPage {
  /** Records read in the range. */
  records: number;
  /** Keys in the page (the arrays may be longer). */
  length: number;
  /** Kind codes (kinds.ts). */
  kind: Uint8Array;
  /** The 64-bit key's signed high and unsigned low halves (hash.ts keyHash). */
  hi: Int32Array;
  lo: Uint32Array;
  row: Float64Array;
  /** yyyymmdd, NO_DOB for none. */
  dob: Int32Array;
}

/** Ids per range handed to a reader: about 130k keys, 2.7 MB of arrays for a French leak. */
export const RANGE_IDS = 20_000;

/**
 * The keys of the records whose id is in (after, upto], in row order. Reads at most
 * `upto - after` rows past `after`, which holds every id of the range however sparse the ids.
 */
export function readKeyPage(reader: RecordReader, after: number, upto: number): KeyPage {
  const records = reader.page(after, upto - after);
  let capacity = records.length * 8;
  let page = emptyPage(capacity);
  const hash = [0, 0];
  let n = 0;
  let count = 0;
  for (let p = 0; p < records.length; p++) {
    const r = records[p]!;
    if (r.rowId > upto) break;
    count++;
    const kinds = r.keyKinds;
    if (n + kinds.length > capacity) {
      capacity = Math.max(capacity * 2, n + kinds.length);
      page = grow(page, capacity);
    }
    const dob = r.dob ?? NO_DOB;
    for (let k = 0; k < kinds.length; k++) {
      keyHash(r.keyValues[k]!, hash);
      page.kind[n] = KEY_KIND_CODE[kinds[k]!];
      page.hi[n] = hash[0]!;
      page.lo[n] = hash[1]! >>> 0;
      page.row[n] = r.rowId;
      page.dob[n] = dob;
      n++;
    }
  }
  page.records = count;
  page.length = n;
  return page;
}

function emptyPage(capacity: number): KeyPage {
  return {
    records: 0,
    length: 0,
    kind: new Uint8Array(capacity),
    hi: new Int32Array(capacity),
    lo: new Uint32Array(capacity),
    row: new Float64Array(capacity),
    dob: new Int32Array(capacity),
  };
}

function grow(p: KeyPage, capacity: number): KeyPage {
  const q = emptyPage(capacity);
  q.kind.set(p.kind);
  q.hi.set(p.hi);
  q.lo.set(p.lo);
  q.row.set(p.row);
  q.dob.set(p.dob);
  return q;
}

/** The buffers of a page, to transfer it to another thread without a copy. */
export function pageBuffers(p: KeyPage): ArrayBuffer[] {
  return [p.kind, p.hi, p.lo, p.row, p.dob].map((a) => a.buffer as ArrayBuffer);
}
