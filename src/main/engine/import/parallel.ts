/**
 * An import on two threads: the reading side (file I/O, SHA-256, decompression, decoding and
 * parsing: `readSource`) runs in a reader thread of its own, the writing side (SQLite inserts,
 * page encryption at commit: `ImportRecorder`) in the job worker. Records cross over in batches:
 * the values of a batch joined in one string with their lengths in a typed array (one copy, no
 * per-value structured clone), provenance in a Float64Array, the rare other calls (columns,
 * rejects, meta) in order beside them. Every sink call is replayed on the writer thread in the
 * order the reader made it, so ordinals, rejects and counts are exactly those of an in-thread
 * import (`runImport`), and crash consistency is the DatasetWriter's, unchanged.
 *
 * Backpressure: the reader waits between chunks while more than MAX_IN_FLIGHT characters of
 * values are sent and not yet written, so memory stays flat whatever the file size.
 */
import { parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { ImportRequest, ImportResult } from '../../../shared/api';
import { LeakscopeError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { WritableDB } from '../store/types';
import {
  ImportRecorder,
  importCache,
  isXlsxRequest,
  readSource,
  runImport,
  type ImportOptions,
  type ImportTarget,
  type MemberSink,
  type ReadOutcome,
  type SourceIdentity,
} from './pipeline';
import type { ColumnSpec, RecordLocation, RejectInfo } from './types';
import type { DatasetWriter } from './writer';

/** A batch is sent when it holds this many records or characters of values, or at a chunk end. */
const BATCH_RECORDS = 8192;
const BATCH_CHARS = 2 * 1024 * 1024;
/** Characters of values sent and not yet written before the reader waits. */
const MAX_IN_FLIGHT = 8 * 1024 * 1024;

const ROW = 0;
const REJECT = 1;
const COLUMNS = 2;
const META = 3;

interface Batch {
  t: 'batch';
  /** Per call: kind, table index (-1 for a null table), value count. */
  ops: Int32Array;
  /** Per call: line (-1 when null), offset. */
  locs: Float64Array;
  /** Per value: its length in `text`, -1 for null. */
  lens: Int32Array;
  text: string;
  tables: string[];
  /** Arguments of the non-row calls, in order. */
  extra: unknown[];
  /** Raw bytes of the source read so far (progress). */
  bytes: number;
  /** Characters of values in this batch, acknowledged back for backpressure. */
  size: number;
}

type ReaderToWriter =
  | Batch
  | { t: 'source'; s: SourceIdentity }
  | {
      t: 'member';
      m: Parameters<ImportTarget['member']>[0];
    }
  | { t: 'memberEnd'; e: Parameters<ImportTarget['memberEnd']>[0] }
  | { t: 'done'; outcome: ReadOutcome }
  | { t: 'error'; error: ErrorInfo };

type WriterToReader = { t: 'ack'; size: number };

/** Reader thread side: turns sink calls into batches posted to the writer thread. */
class RemoteTarget implements ImportTarget {
  private ops = new Int32Array(3 * 1024);
  private locs = new Float64Array(2 * 1024);
  private lens = new Int32Array(16 * 1024);
  private nOps = 0;
  private nVals = 0;
  private parts: string[] = [];
  private chars = 0;
  private tables: string[] = [];
  private tableIdx = new Map<string, number>();
  private extra: unknown[] = [];
  private bytes = 0;
  private inFlight = 0;
  private waiter: (() => void) | null = null;

  constructor(private readonly port: MessagePort) {
    port.on('message', (m: WriterToReader) => {
      if (m.t !== 'ack') return;
      this.inFlight -= m.size;
      if (this.waiter && this.inFlight <= MAX_IN_FLIGHT) {
        const w = this.waiter;
        this.waiter = null;
        w();
      }
    });
  }

  private table(name: string | null): number {
    if (name === null) return -1;
    let i = this.tableIdx.get(name);
    if (i === undefined) {
      i = this.tables.length;
      this.tables.push(name);
      this.tableIdx.set(name, i);
    }
    return i;
  }

  private op(kind: number, table: string | null, n: number, line: number | null, offset: number) {
    if (this.nOps * 3 + 3 > this.ops.length) {
      const ops = new Int32Array(this.ops.length * 2);
      ops.set(this.ops);
      this.ops = ops;
      const locs = new Float64Array(this.locs.length * 2);
      locs.set(this.locs);
      this.locs = locs;
    }
    const o = this.nOps * 3;
    this.ops[o] = kind;
    this.ops[o + 1] = this.table(table);
    this.ops[o + 2] = n;
    this.locs[this.nOps * 2] = line ?? -1;
    this.locs[this.nOps * 2 + 1] = offset;
    this.nOps++;
  }

  row(table: string, values: readonly (string | null)[], loc: RecordLocation): void {
    const n = values.length;
    this.op(ROW, table, n, loc.line, loc.offset);
    if (this.nVals + n > this.lens.length) {
      const lens = new Int32Array(Math.max(this.lens.length * 2, this.nVals + n));
      lens.set(this.lens);
      this.lens = lens;
    }
    const lens = this.lens;
    let k = this.nVals;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) lens[k++] = -1;
      else {
        lens[k++] = v.length;
        this.chars += v.length;
        this.parts.push(v);
      }
    }
    this.nVals = k;
    if (this.nOps >= BATCH_RECORDS || this.chars >= BATCH_CHARS) this.flush();
  }

  private call(kind: number, table: string | null, arg: unknown): void {
    this.op(kind, table, 0, null, 0);
    this.extra.push(arg);
  }

  /** Sends the open batch, if any. */
  flush(): void {
    if (this.nOps === 0) return;
    const size = this.chars + this.nOps;
    const batch: Batch = {
      t: 'batch',
      ops: this.ops.slice(0, this.nOps * 3),
      locs: this.locs.slice(0, this.nOps * 2),
      lens: this.lens.slice(0, this.nVals),
      text: this.parts.join(''),
      tables: this.tables,
      extra: this.extra,
      bytes: this.bytes,
      size,
    };
    this.port.postMessage(batch, [
      batch.ops.buffer as ArrayBuffer,
      batch.locs.buffer as ArrayBuffer,
      batch.lens.buffer as ArrayBuffer,
    ]);
    this.inFlight += size;
    this.nOps = 0;
    this.nVals = 0;
    this.parts = [];
    this.chars = 0;
    this.tables = [];
    this.tableIdx.clear();
    this.extra = [];
  }

  private send(m: ReaderToWriter): void {
    this.flush();
    this.port.postMessage(m);
  }

  source(s: SourceIdentity): void {
    this.send({ t: 'source', s });
  }

  member(m: Parameters<ImportTarget['member']>[0]): MemberSink {
    this.send({ t: 'member', m });
    const details: Record<string, string | number | boolean> = {};
    return {
      details,
      columns: (table: string, columns: readonly ColumnSpec[]) =>
        this.call(COLUMNS, table, columns),
      row: (table, values, loc) => this.row(table, values, loc),
      reject: (table: string | null, info: RejectInfo) => this.call(REJECT, table, info),
      meta: (key: string, value: string | number | boolean) => {
        details[key] = value;
        this.call(META, null, [key, value]);
      },
    };
  }

  memberEnd(e: Parameters<ImportTarget['memberEnd']>[0]): void {
    this.send({ t: 'memberEnd', e });
  }

  tick(bytesDone: number): void | Promise<void> {
    this.bytes = bytesDone;
    this.flush();
    if (this.inFlight <= MAX_IN_FLIGHT) return;
    return new Promise<void>((resolve) => (this.waiter = resolve));
  }

  end(m: ReaderToWriter): void {
    this.send(m);
  }
}

/** Writer thread side: replays a batch on the recorder's current DatasetWriter. */
function applyBatch(b: Batch, w: DatasetWriter | null): void {
  if (!w) throw new LeakscopeError('E_INTERNAL', 'records arrived before their member');
  const { ops, locs, lens, text, tables, extra } = b;
  let p = 0;
  let v = 0;
  let e = 0;
  const n = ops.length / 3;
  for (let i = 0; i < n; i++) {
    const kind = ops[i * 3]!;
    const ti = ops[i * 3 + 1]!;
    const table = ti < 0 ? null : tables[ti]!;
    if (kind === ROW) {
      const count = ops[i * 3 + 2]!;
      const values = new Array<string | null>(count);
      for (let k = 0; k < count; k++) {
        const len = lens[v++]!;
        if (len < 0) values[k] = null;
        else {
          values[k] = text.slice(p, p + len);
          p += len;
        }
      }
      const line = locs[i * 2]!;
      w.row(table!, values, { line: line < 0 ? null : line, offset: locs[i * 2 + 1]! });
    } else if (kind === REJECT) {
      w.reject(table, extra[e++] as RejectInfo);
    } else if (kind === COLUMNS) {
      w.columns(table!, extra[e++] as ColumnSpec[]);
    } else if (kind === META) {
      const [key, value] = extra[e++] as [string, string | number | boolean];
      w.meta(key, value);
    }
  }
}

export interface ParallelImportOptions extends ImportOptions {
  /** The script of the job worker (jobs/worker-boot.mjs or the Electron bundle). */
  workerUrl: string;
}

/**
 * `runImport` with the reading side in a thread of its own. XLSX (random access through the
 * workbook's zip directory) stays in this thread.
 */
export async function runImportParallel(
  db: WritableDB,
  req: ImportRequest,
  opts: ParallelImportOptions,
): Promise<ImportResult> {
  if (await isXlsxRequest(req)) return runImport(db, req, opts);
  opts.signal?.throwIfAborted?.();
  const recorder = new ImportRecorder(db, opts);
  const restoreCache = importCache(db);
  const reader = new Worker(new URL(opts.workerUrl), {
    workerData: { entry: 'import-reader', req },
  });
  let current: DatasetWriter | null = null;
  return new Promise<ImportResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      restoreCache();
      void reader.terminate();
      fn();
    };
    const fail = (e: unknown) =>
      settle(() => {
        try {
          recorder.fail(e);
        } finally {
          reject(e);
        }
      });
    const onAbort = () => fail(new LeakscopeError('E_CANCELLED', 'import cancelled'));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    // Messages are queued and applied one per macrotask, so the job's cancel message (another
    // port) gets its turn between batches even when the reader is far ahead.
    const queue: ReaderToWriter[] = [];
    let pumping = false;
    const apply = (m: ReaderToWriter) => {
      switch (m.t) {
        case 'batch':
          applyBatch(m, current);
          reader.postMessage({ t: 'ack', size: m.size } satisfies WriterToReader);
          recorder.tick(m.bytes);
          break;
        case 'source':
          recorder.source(m.s);
          break;
        case 'member':
          current = recorder.member(m.m);
          break;
        case 'memberEnd':
          recorder.memberEnd(m.e);
          current = null;
          break;
        case 'done':
          settle(() => resolve(recorder.complete(m.outcome)));
          break;
        case 'error':
          fail(new LeakscopeError(m.error.code, m.error.message, m.error.details));
          break;
      }
    };
    const pump = () => {
      if (settled) return;
      const m = queue.shift();
      if (!m) {
        pumping = false;
        return;
      }
      try {
        if (opts.signal?.aborted) return onAbort();
        apply(m);
      } catch (e) {
        return fail(e);
      }
      setImmediate(pump);
    };
    reader.on('message', (m: ReaderToWriter) => {
      if (settled) return;
      queue.push(m);
      if (!pumping) {
        pumping = true;
        setImmediate(pump);
      }
    });
    reader.on('error', (e) =>
      fail(new LeakscopeError('E_INTERNAL', `import reader thread failed: ${e.message}`)),
    );
    reader.on('exit', (code) =>
      fail(new LeakscopeError('E_INTERNAL', `import reader thread exited (code ${code})`)),
    );
  });
}

/** Entry of the reader thread (jobs/entry.ts, workerData.entry === 'import-reader'). */
export async function readerThreadMain(): Promise<void> {
  if (!parentPort) throw new Error('the import reader must run in a worker thread');
  const port = parentPort;
  const { req } = workerData as { req: ImportRequest };
  const target = new RemoteTarget(port);
  try {
    const outcome = await readSource(req, target);
    target.end({ t: 'done', outcome });
  } catch (e) {
    target.end({ t: 'error', error: toErrorInfo(e) });
  }
  // Stay alive until the writer terminates this thread: acks may still arrive.
}
