/**
 * A batch of stored records in the bulk-insert layout (bulk-insert.c): what the writer hands
 * SQLite in one call, and the profiling thread in one message (profile/pass-thread.ts), so the
 * values are joined once for both.
 *
 * Pure: no I/O, no store; the profiling thread imports it.
 */

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
