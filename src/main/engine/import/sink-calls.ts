/**
 * A reader's sink calls carried from the thread that parses to the thread that writes
 * (profile/pass-worker.ts parse mode → import/writer.ts): rows are gathered in the bulk-insert
 * layout (row-batch.ts), so the writer hands each batch to SQLite as it arrives and never
 * splits or joins a value; the rare other calls (columns, rejects, meta) keep their place
 * between them. Replayed in order, the calls give the writer exactly what the reader gave.
 *
 * Pure: no I/O, no store.
 */
import { batchRecords, PendingRows, type RowBatch } from './row-batch';
import type { BatchSink, ColumnSpec, RecordLocation, RecordSink, RejectInfo } from './types';

export type SinkCall =
  | { k: 'rows'; table: string; batch: RowBatch }
  | { k: 'columns'; table: string; columns: readonly ColumnSpec[] }
  | { k: 'reject'; table: string | null; info: RejectInfo }
  | { k: 'meta'; key: string; value: string | number | boolean };

/** Gathers a reader's calls; take() hands them over with the buffers to transfer. */
export class SinkCallBatcher implements RecordSink {
  private calls: SinkCall[] = [];
  private transfer: ArrayBuffer[] = [];
  private readonly open = new PendingRows(true);
  private openTable = '';
  /** Characters of values in the calls gathered so far. */
  chars = 0;

  columns(table: string, columns: readonly ColumnSpec[]): void {
    this.close();
    this.calls.push({ k: 'columns', table, columns });
  }

  row(table: string, values: readonly (string | null)[], loc: RecordLocation): void {
    if (this.open.count > 0 && table !== this.openTable) this.close();
    this.openTable = table;
    // Ordinals are the writer's: it numbers rows and rejects of a table as they are stored.
    if (this.open.push(0, loc, values)) this.close();
  }

  reject(table: string | null, info: RejectInfo): void {
    this.close();
    this.calls.push({ k: 'reject', table, info });
  }

  meta(key: string, value: string | number | boolean): void {
    this.close();
    this.calls.push({ k: 'meta', key, value });
  }

  private close(): void {
    if (this.open.count === 0) return;
    this.chars += this.open.chars;
    const batch = this.open.take();
    this.calls.push({ k: 'rows', table: this.openTable, batch });
    this.transfer.push(batch.heads.buffer as ArrayBuffer, batch.nulls.buffer as ArrayBuffer);
  }

  /** The calls so far (the open batch closed), and the buffers a postMessage can transfer. */
  take(): { calls: SinkCall[]; transfer: ArrayBuffer[] } {
    this.close();
    const taken = { calls: this.calls, transfer: this.transfer };
    this.calls = [];
    this.transfer = [];
    this.chars = 0;
    return taken;
  }
}

/** Replays calls on a sink, in order; batches go whole to a sink that takes them. */
export function applySinkCalls(calls: readonly SinkCall[], sink: BatchSink): void {
  for (const c of calls) {
    switch (c.k) {
      case 'rows':
        if (sink.rows) sink.rows(c.table, c.batch);
        else
          for (const [, line, offset, values] of batchRecords(c.batch))
            sink.row(c.table, values, { line, offset });
        break;
      case 'columns':
        sink.columns(c.table, c.columns);
        break;
      case 'reject':
        sink.reject(c.table, c.info);
        break;
      case 'meta':
        sink.meta(c.key, c.value);
        break;
    }
  }
}
