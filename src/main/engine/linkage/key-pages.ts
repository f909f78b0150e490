/**
 * The identity keys of a range of records as typed arrays: what the extraction's reading side
 * produces, in the extraction's own thread or in key threads (key-threads.ts), which send these
 * arrays as transferred buffers. Reading and normalising is about a third of an extraction
 * (1M records: rows read 3.1 s, normalised ≈ 5.5 s, and their garbage), the part that can run
 * beside SQLite's inserts.
 */
import { keyHash } from './hash';
import { KeyBuffer } from './key-buffer';
import { KEY_KIND_CODE } from './kinds';
import type { RecordReader } from './records';

/** A key buffer's arrays (key-buffer.ts, same layout), with the records the page covers. */
export interface KeyPage {
  /** Records read in the range. */
  records: number;
  /** Keys in the page (the arrays may be longer). */
  length: number;
  kind: Uint8Array;
  hiFlipped: Uint32Array;
  lo: Uint32Array;
  row: Float64Array;
  dob: Int32Array;
}

/** Ids per range handed to a reader: about 130k keys, 2.7 MB of arrays for a French leak. */
export const RANGE_IDS = 20_000;

/**
 * The keys of the records whose id is in (after, upto], in row order. Reads at most
 * `upto - after` rows past `after`, which holds every id of the range however sparse the ids.
 */
export function readKeyPage(reader: RecordReader, after: number, upto: number): KeyPage {
  const keys = new KeyBuffer(Math.max(16, (upto - after) * 8));
  const hash = [0, 0];
  let count = 0;
  reader.each(after, upto - after, (r) => {
    if (r.rowId > upto) return;
    count++;
    const kinds = r.keyKinds;
    for (let k = 0; k < kinds.length; k++) {
      keyHash(r.keyValues[k]!, hash);
      keys.push(KEY_KIND_CODE[kinds[k]!], hash[0]!, hash[1]! >>> 0, r.rowId, r.dob);
    }
  });
  const { length, kind, hiFlipped, lo, row, dob } = keys;
  return { records: count, length, kind, hiFlipped, lo, row, dob };
}

/** The buffers of a page, to transfer it to another thread without a copy. */
export function pageBuffers(p: KeyPage): ArrayBuffer[] {
  return [p.kind, p.hiFlipped, p.lo, p.row, p.dob].map((a) => a.buffer as ArrayBuffer);
}
