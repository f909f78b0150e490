/**
 * A batch of stored records in the bulk-insert layout (bulk-insert.c): what the writer hands
 * SQLite in one call, and the profiling thread in one message (profile/pass-thread.ts), so the
 * values are joined once for both.
 *
 * Pure: no I/O, no store; the profiling thread imports it.
 */
import type { RecordLocation } from './types';

export interface RowBatch {
  count: number;
  /** Per record: ordinal, line (NaN for none), byte offset, value count. */
  heads: Float64Array;
  /** Every value of the batch joined by NUL ('' for a NULL, listed in `nulls`). */
  text: string;
  /** Indexes (ascending) of the values that are NULL. */
  nulls: Int32Array;
  /** Set instead of `text` when a value holds a NUL itself: the records' values as arrays. */
  records?: (string | null)[][];
}

/** Fields of one record of a batch. */
export type BatchRecord = [
  ordinal: number,
  line: number | null,
  offset: number,
  values: (string | null)[],
];

/**
 * The records of a batch in order, values split and NULLs restored. `values`: the batch's values
 * already split (the writer's own list, for a batch whose text cannot be split on NUL).
 */
export function* batchRecords(
  b: RowBatch,
  values: readonly string[] | null = b.records ? null : b.text.split('\0'),
): Generator<BatchRecord> {
  let at = 0;
  let nullAt = 0;
  for (let r = 0; r < b.count; r++) {
    const h = r * 4;
    const line = b.heads[h + 1]!;
    let row: (string | null)[];
    if (values) {
      const n = b.heads[h + 3]!;
      row = values.slice(at, at + n);
      for (; nullAt < b.nulls.length && b.nulls[nullAt]! < at + n; nullAt++)
        row[b.nulls[nullAt]! - at] = null;
      at += n;
    } else {
      row = b.records![r]!;
    }
    yield [b.heads[h]!, Number.isNaN(line) ? null : line, b.heads[h + 2]!, row];
  }
}

/** Records per call of the bulk-insert function, at most. */
export const BULK_ROWS = 256;
/**
 * Characters per call, at most (a record longer than this goes alone): a batch of long records
 * stays small. Its UTF-8 copy (≤ 3 bytes per character) then stays under 128 KiB, the mmap
 * threshold the extension fixes (bulk-insert.c), so it comes from the heap and is reused.
 */
export const BULK_CHARS = 40_000;

/** Records of one table gathered for one bulk-insert call, in the function's argument layout. */
export class PendingRows {
  /** ordinal, line (NaN for none), offset, value count: per record. */
  readonly heads = new Float64Array(BULK_ROWS * 4);
  count = 0;
  /** Every value of the batch, in order; a NULL is '' here and its index is in `nulls`. */
  values: string[] = [];
  nulls: number[] = [];
  chars = 0;
  /** Whether a value holds a NUL (only looked for with `checkNul`). */
  private nul = false;

  /**
   * `checkNul`: look for NULs in the values, so that take() can hand such a batch over as arrays
   * (a batch made in one thread and written in another: the writer cannot split it again).
   */
  constructor(private readonly checkNul = false) {}

  /** Adds a record; true when the batch is full and must be written. */
  push(ordinal: number, loc: RecordLocation, values: readonly (string | null)[]): boolean {
    const h = this.count * 4;
    this.heads[h] = ordinal;
    this.heads[h + 1] = loc.line ?? Number.NaN;
    this.heads[h + 2] = loc.offset;
    this.heads[h + 3] = values.length;
    let chars = this.chars + values.length;
    for (const v of values) {
      if (v === null) {
        this.nulls.push(this.values.length);
        this.values.push('');
      } else {
        this.values.push(v);
        chars += v.length;
        if (this.checkNul && v.includes('\0')) this.nul = true;
      }
    }
    this.chars = chars;
    return ++this.count === BULK_ROWS || chars >= BULK_CHARS;
  }

  /** The records pushed since the last take, as a batch; clears. */
  take(): RowBatch {
    const batch: RowBatch = {
      count: this.count,
      heads: this.heads.slice(0, this.count * 4),
      text: this.nul ? '' : this.values.join('\0'),
      nulls: Int32Array.from(this.nulls),
    };
    if (this.nul) batch.records = recordsOf(batch, this.values);
    this.clear();
    return batch;
  }

  clear(): void {
    this.count = 0;
    this.chars = 0;
    this.values = [];
    this.nulls = [];
    this.nul = false;
  }
}

function recordsOf(batch: RowBatch, values: readonly string[]): (string | null)[][] {
  const records: (string | null)[][] = [];
  for (const [, , , row] of batchRecords(batch, values)) records.push(row);
  return records;
}
