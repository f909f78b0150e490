/**
 * The profiling thread of an import (pass-worker.ts), seen from the writer's thread: the import
 * forwards each member's bytes to it as they are read (a copy of each chunk, transferred: about
 * a millisecond per MiB), and the thread parses them and counts the profile's statistics on a
 * core of its own, so the writer's thread does nothing per record for the profile.
 *
 * Parse mode (a writer with the bulk-insert extension): the thread also sends the reader's calls
 * back, rows already in the bulk-insert layout (import/sink-calls.ts), and the writer's thread
 * parses nothing: it reads the bytes (I/O, SHA-256, decompression) and hands SQLite the thread's
 * batches. The parse was the larger part of the writer's busy time for JSON and SQL dumps
 * (bench/RESULTS.md, session 9); the thread was the one with room. For those formats the
 * writer's observers then count the profile (import-pass.ts PROFILE_IN_WRITER), so that the
 * thread, now the busier, only parses. Bytes mode (no extension): the writer parses too, and
 * the thread reads the bytes again for the profile alone.
 *
 * Backpressure: while more than MAX_IN_FLIGHT bytes are forwarded and not yet read (parse mode:
 * and their calls applied), the import waits between chunks, so memory stays bounded when the
 * thread falls behind. A thread that fails or dies stops taking chunks and answers null: the
 * post-import step then reads the stored table (the same profile, later). In parse mode the
 * records of the member it was reading are lost with it: the import fails, with that reason.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DatasetProfile } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { applySinkCalls } from '../import/sink-calls';
import type { BatchSink, MirroredMember, ReadResult } from '../import/types';
import type { PassMode, PassToMain, PassToWorker, PassWorkerData } from './pass-protocol';

/** A member the thread parses for the writer (parse mode), until its reader is done. */
interface RemoteRead {
  sink: BatchSink;
  /** Settles once the thread's reader is done and its calls are applied, or on a failure. */
  done: Promise<ReadResult>;
  resolve(r: ReadResult): void;
  reject(e: unknown): void;
  /** Once settled (done, failed, or a call the sink refused), later calls are dropped. */
  settled: boolean;
}

/** Bytes forwarded and not yet read by the thread before the import waits. */
const MAX_IN_FLIGHT = 4 * 1024 * 1024;
/**
 * Bytes per forwarded copy. A chunk's buffer is freed when the thread's garbage collector finds
 * it dead; a 1 MiB chunk lives through several young collections while it is parsed, is
 * promoted, and waits for a full one: up to 47 MB of read chunks were held that way. Pieces of
 * 256 KiB die young: 8–13 MB, and the import's peak RSS fell from 285–288 to 254–260 MB (1M-row
 * JSON, bench/RESULTS.md, session 9).
 */
const FORWARD_PIECE = 256 * 1024;

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
  private readonly reads = new Map<number, RemoteRead>();
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
      if (m.t === 'calls') return this.applyCalls(m.member, m.calls);
      if (m.t === 'read') return this.readEnd(m);
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
    for (const read of this.reads.values())
      this.settle(read, () =>
        read.reject(new LeakscopeError('E_INTERNAL', "the import's parsing thread stopped")),
      );
    this.release();
  }

  private settle(read: RemoteRead, how: () => void): void {
    if (read.settled) return;
    read.settled = true;
    how();
    // The thread takes no more chunks of this member: a writer waiting to forward goes on.
    this.release();
  }

  /** Parse mode: the reader's calls, applied as they come (the writer's sink is synchronous). */
  private applyCalls(member: number, calls: Extract<PassToMain, { t: 'calls' }>['calls']): void {
    const read = this.reads.get(member);
    if (!read || read.settled) return;
    try {
      applySinkCalls(calls, read.sink);
    } catch (e) {
      this.settle(read, () => read.reject(e));
    }
  }

  private readEnd(m: Extract<PassToMain, { t: 'read' }>): void {
    const read = this.reads.get(m.member);
    if (!read) return;
    this.settle(read, () => {
      if (m.error) read.reject(new LeakscopeError(m.error.code, m.error.message, m.error.details));
      else read.resolve(m.result ?? { truncated: false });
    });
  }

  private post(m: PassToWorker, transfer?: ArrayBuffer[]): void {
    if (!this.broken_) this.worker.postMessage(m, transfer);
  }

  /**
   * `mode` parse: read() drains the member's chunks while the thread reads them for the writer.
   * `profile` false (parse mode only): the thread does not profile them, the writer does.
   */
  member(member: number, m: MirroredMember, mode: PassMode = 'bytes', profile = true): void {
    const { format, options, schema } = m;
    this.post({ t: 'member', member, m: { format, options, schema }, mode, profile });
  }

  /**
   * Parse mode: the member's records, read by the thread from the chunks forwarded while this
   * drains them, replayed on `sink` in the reader's order; its reader's result. A failure of the
   * chunks (a truncated source, a cancel) is thrown once the thread has given back what it read
   * before it, as a reader here would have emitted it; a failure of the thread or of the sink
   * stops the drain.
   */
  async read(
    member: number,
    chunks: AsyncIterable<Uint8Array>,
    sink: BatchSink,
  ): Promise<ReadResult> {
    let resolve!: (r: ReadResult) => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<ReadResult>((res, rej) => ((resolve = res), (reject = rej)));
    const read: RemoteRead = { sink, done, resolve, reject, settled: false };
    // Observed now: a failure may come while the chunks are still being drained.
    done.catch(() => {});
    this.reads.set(member, read);
    if (this.broken_) this.fail();
    let failure: { e: unknown } | null = null;
    const it = chunks[Symbol.asyncIterator]();
    try {
      while (!read.settled && !(await it.next()).done);
      // The thread's reader stopped before the end of the chunks: let the source go.
      if (read.settled) await it.return?.();
    } catch (e) {
      failure = { e };
    }
    this.post({ t: 'end', member, cutShort: failure !== null });
    try {
      const result = await done;
      if (failure) throw failure.e;
      return result;
    } finally {
      this.reads.delete(member);
    }
  }

  /** Forwards a copy of the chunk; a promise when the import should wait for the thread. */
  chunk(member: number, bytes: Uint8Array): Promise<void> | undefined {
    if (this.broken_ || this.reads.get(member)?.settled) return undefined;
    // Copies of exactly these bytes (a Buffer's slice would be a view on a larger pool), in
    // pieces of FORWARD_PIECE bytes.
    for (let at = 0; at < bytes.length; at += FORWARD_PIECE) {
      const end = Math.min(bytes.length, at + FORWARD_PIECE);
      const copy = Uint8Array.prototype.slice.call(bytes, at, end);
      this.inFlight += copy.length;
      this.post({ t: 'chunk', member, bytes: copy }, [copy.buffer as ArrayBuffer]);
    }
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
