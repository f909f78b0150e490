/**
 * The profiling thread of an import (pass-worker.ts), seen from the writer's thread: the import
 * forwards each member's bytes to it as they are read (a copy of each chunk, transferred: about
 * a millisecond per MiB), and the thread parses them again and counts the profile's statistics
 * on a core of its own, so the writer's thread does nothing per record for the profile. Copying
 * the parsed values across instead cost the writer about what counting them does (join +
 * postMessage, bench/RESULTS.md "Profiling"): parsing again was cheaper than moving. Since the
 * writer joins each batch of values for its bulk insert anyway (import/bulk-insert.c), values
 * mode sends the thread those batches (rows()): a postMessage per 256 records, and no second
 * parse (NDJSON 1M rows: 15.0 → 12.0–12.5 CPU-seconds for the import, bench/RESULTS.md).
 *
 * Backpressure: while more than MAX_IN_FLIGHT bytes (values mode: characters) are forwarded and
 * not yet read, the import waits between chunks, so memory stays bounded when the thread falls
 * behind. A thread that fails or dies stops taking chunks and answers null: the post-import step
 * then reads the stored table (the same profile, later).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DatasetProfile } from '../../../shared/api';
import type { RowBatch } from '../import/row-batch';
import type { MirroredMember } from '../import/types';
import type { PassToMain, PassToWorker, PassWorkerData } from './pass-protocol';

/** Bytes forwarded and not yet read by the thread before the import waits. */
const MAX_IN_FLIGHT = 4 * 1024 * 1024;

/** Under plain Node: the job threads' tsx bootstrap, whose entry dispatches 'profile-pass'. */
export function defaultPassWorkerUrl(): URL {
  return new URL('../jobs/worker-boot.mjs', import.meta.url);
}

/**
 * Whether an import job should profile on a thread of its own. `LEAKSCOPE_PROFILE_THREAD=1` /
 * `0` decides; otherwise with two cores or more: the thread's parse and statistics run beside
 * the writer (measured on this 2-core machine, 1M × 12, medians of 5 rounds: +20 % to the
 * import against +32 % in the writer's thread, bench/RESULTS.md "Profiling"), for ~70 MB more
 * peak RSS.
 */
export function profileThreadWanted(
  cores = availableParallelism(),
  setting = process.env.LEAKSCOPE_PROFILE_THREAD,
): boolean {
  if (setting === '1') return true;
  if (setting === '0') return false;
  return cores >= 2;
}

export class ProfileThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (p: DatasetProfile | null) => void>();
  private broken_ = false;
  private inFlight = 0;
  private drained: (() => void) | null = null;
  private nextId = 1;

  /** `maxInFlight`: MAX_IN_FLIGHT (tests). */
  constructor(
    url: URL,
    data: Omit<PassWorkerData, 'entry'> = {},
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {
    const workerData: PassWorkerData = { entry: 'profile-pass', ...data };
    this.worker = new Worker(url, {
      workerData,
      // Parsing allocates many short-lived strings. Measured peak RSS of a 1M-row import by
      // young generation: 4 MB 312 MB (more is promoted), 8 MB 264–271 MB, 16 MB 254–256 MB.
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    // The import's job never waits for this thread to exit (close() stops it).
    this.worker.unref();
    this.worker.on('message', (m: PassToMain) => {
      if (m.t === 'ack') {
        this.inFlight -= m.bytes;
        if (this.inFlight <= this.maxInFlight / 2) this.release();
        return;
      }
      this.waiting.get(m.id)?.(m.t === 'profile' ? m.profile : null);
      this.waiting.delete(m.id);
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  get broken(): boolean {
    return this.broken_;
  }

  private release(): void {
    const drained = this.drained;
    this.drained = null;
    drained?.();
  }

  private fail(): void {
    this.broken_ = true;
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
    this.release();
  }

  private post(m: PassToWorker, transfer?: ArrayBuffer[]): void {
    if (!this.broken_) this.worker.postMessage(m, transfer);
  }

  /** `values`: the member's rows will come through rows(), not its bytes through chunk(). */
  member(member: number, m: MirroredMember, values = false): void {
    const { format, options, schema } = m;
    this.post({ t: 'member', member, m: { format, options, schema }, values });
  }

  /** Values mode: columns a table of the member declared. */
  columns(member: number, table: string, columns: { name: string; path: string }[]): void {
    this.post({ t: 'columns', member, table, columns });
  }

  /** Values mode: a batch the writer stored (its arrays are handed over, not copied). */
  rows(member: number, table: string, batch: RowBatch): void {
    if (this.broken_) return;
    const weight = batch.text.length + batch.count * 64;
    this.inFlight += weight;
    this.post({ t: 'rows', member, table, batch, weight }, [
      batch.heads.buffer as ArrayBuffer,
      batch.nulls.buffer as ArrayBuffer,
    ]);
  }

  /** Values mode: a promise while more than the bound is forwarded and not yet counted. */
  wait(): Promise<void> | undefined {
    if (this.broken_ || this.inFlight <= this.maxInFlight) return undefined;
    return new Promise((resolve) => (this.drained = resolve));
  }

  /** Forwards a copy of the chunk; a promise when the import should wait for the thread. */
  chunk(member: number, bytes: Uint8Array): Promise<void> | undefined {
    if (this.broken_) return undefined;
    // A copy of exactly these bytes (a Buffer's slice would be a view on a larger pool).
    const copy = Uint8Array.prototype.slice.call(bytes);
    this.inFlight += copy.length;
    this.post({ t: 'chunk', member, bytes: copy }, [copy.buffer as ArrayBuffer]);
    if (this.inFlight <= this.maxInFlight) return undefined;
    return new Promise((resolve) => (this.drained = resolve));
  }

  memberEnd(member: number, cutShort: boolean): void {
    this.post({ t: 'end', member, cutShort });
  }

  /**
   * The profile of a table of a forwarded member, or null when the thread failed, is gone, or
   * did not count exactly `rows` rows of `width` columns.
   */
  profile(
    member: number,
    table: string,
    expect: { rows: number; width: number },
    dataset: { id: number; name: string },
    now: Date,
  ): Promise<DatasetProfile | null> {
    if (this.broken_) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.post({ t: 'profile', id, member, table, ...expect, dataset, now: now.toISOString() });
    });
  }

  close(): void {
    this.fail();
    void this.worker.terminate();
  }
}
