/**
 * Where an extraction's key pages come from: read and normalised in its own thread, or in key
 * threads beside it while its thread inserts (key-worker.ts). Pages always come back in range
 * order, so the extraction appends to `identity_key_records` in row order either way.
 *
 * The extraction runs inside a synchronous SQLite transaction, so the threads are waited for
 * synchronously: each posts its pages on a MessagePort and bumps a shared counter, and this side
 * sleeps on that counter (Atomics.wait) and takes the messages with receiveMessageOnPort.
 *
 * A thread that reports an error, or stays silent for STALL_MS, is not trusted again: every
 * range not yet received is read here instead. Ranges are deterministic, so a range read twice
 * gives the same keys and nothing is lost or counted twice.
 */
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import type { JobCaseAccess } from '../jobs/protocol';
import type { DatasetRoles } from './columns';
import { RANGE_IDS, readKeyPage, type KeyPage } from './key-pages';
import type { RecordOptions, RecordReader } from './records';

export interface KeySource {
  /** The next range's keys, in range order; null when every range was read. */
  next(): KeyPage | null;
  /** Threads still running are stopped; safe to call twice. */
  close(): void;
  /** Pages that key threads read (the rest were read in this thread). */
  readonly threadPages: number;
}

/** Worker data of a key thread (jobs/entry.ts starts key-worker.ts for entry 'identity-keys'). */
export interface KeyWorkerData {
  entry: 'identity-keys';
  access: JobCaseAccess;
  datasetId: number;
  roles: DatasetRoles;
  options: RecordOptions;
  port: MessagePort;
  /** Int32Array over a SharedArrayBuffer: [0] counts the messages posted. */
  signals: Int32Array;
}

export type ToKeyWorker = { t: 'range'; seq: number; after: number; upto: number };
export type FromKeyWorker =
  { t: 'page'; seq: number; page: KeyPage } | { t: 'error'; seq: number; message: string };

/** Ranges (after, upto] of `step` ids covering the ids first..last. */
function ranges(first: number, last: number, step: number): [number, number][] {
  const out: [number, number][] = [];
  for (let after = first - 1; after < last; after += step)
    out.push([after, Math.min(after + step, last)]);
  return out;
}

/** Reads every range in this thread. */
export function localKeySource(
  reader: RecordReader,
  first: number,
  last: number,
  rangeIds = RANGE_IDS,
): KeySource {
  const todo = ranges(first, last, rangeIds);
  let seq = 0;
  return {
    next: () => {
      const r = todo[seq++];
      return r ? readKeyPage(reader, r[0], r[1]) : null;
    },
    close: () => {},
    threadPages: 0,
  };
}

/** Ranges in flight per thread: one being read, one waiting, so a thread never idles. */
const IN_FLIGHT = 2;
/** Silence after which the threads are given up (a page takes well under a second). */
const STALL_MS = 60_000;

export interface KeyThreadsOptions {
  url: string;
  access: JobCaseAccess;
  threads: number;
  datasetId: number;
  roles: DatasetRoles;
  options: RecordOptions;
  signal?: AbortSignal;
  /** Ids per range (default RANGE_IDS). */
  rangeIds?: number;
}

/** Reads the ranges in `threads` key threads, falling back to `reader` if they fail. */
export function threadKeySource(
  o: KeyThreadsOptions,
  reader: RecordReader,
  first: number,
  last: number,
): KeySource {
  const todo = ranges(first, last, o.rangeIds ?? RANGE_IDS);
  const signals = new Int32Array(new SharedArrayBuffer(4));
  /** `owned`: ranges sent to the thread and not yet received from it. */
  const threads: { worker: Worker; port: MessagePort; owned: number }[] = [];
  for (let i = 0; i < o.threads; i++) {
    const { port1, port2 } = new MessageChannel();
    const workerData: KeyWorkerData = {
      entry: 'identity-keys',
      access: o.access,
      datasetId: o.datasetId,
      roles: o.roles,
      options: o.options,
      port: port2,
      signals,
    };
    const worker = new Worker(new URL(o.url), { workerData, transferList: [port2] });
    worker.unref();
    // Errors reach this side as messages or as silence; the event only keeps Node from
    // treating a thread's failure as an uncaught exception of this one.
    worker.on('error', () => {});
    threads.push({ worker, port: port1, owned: 0 });
  }
  const received = new Map<number, KeyPage>();
  let dispatched = 0;
  let nextSeq = 0;
  let failed = false;
  let threadPages = 0;

  // Ranges handed out ahead of the one this thread waits for: every thread busy, and pages
  // waiting here bounded (about 20 MB) when this thread is the slower side.
  const lookahead = o.threads * IN_FLIGHT * 2;
  const fill = () => {
    for (let t = 0; t < threads.length; t++) {
      while (
        !failed &&
        threads[t]!.owned < IN_FLIGHT &&
        dispatched < todo.length &&
        dispatched - nextSeq < lookahead
      ) {
        const [after, upto] = todo[dispatched]!;
        const msg: ToKeyWorker = { t: 'range', seq: dispatched, after, upto };
        threads[t]!.port.postMessage(msg);
        threads[t]!.owned++;
        dispatched++;
      }
    }
  };
  const stop = () => {
    for (const t of threads) {
      t.port.close();
      void t.worker.terminate();
    }
    threads.length = 0;
  };
  const giveUp = () => {
    failed = true;
    stop();
  };
  const drain = () => {
    for (let t = 0; t < threads.length; t++) {
      for (
        let m = receiveMessageOnPort(threads[t]!.port);
        m;
        m = receiveMessageOnPort(threads[t]!.port)
      ) {
        const msg = m.message as FromKeyWorker;
        if (msg.t === 'error') {
          giveUp();
          return;
        }
        threads[t]!.owned--;
        received.set(msg.seq, msg.page);
      }
    }
    fill();
  };
  fill();

  return {
    next: () => {
      if (nextSeq >= todo.length) return null;
      const seq = nextSeq++;
      drain();
      let waitedSince = Date.now();
      while (!failed && !received.has(seq)) {
        o.signal?.throwIfAborted();
        const seen = Atomics.load(signals, 0);
        drain();
        if (failed || received.has(seq)) break;
        if (Atomics.wait(signals, 0, seen, 250) !== 'timed-out') waitedSince = Date.now();
        else if (Date.now() - waitedSince > STALL_MS) giveUp();
      }
      const page = received.get(seq);
      received.delete(seq);
      fill();
      if (page) {
        threadPages++;
        return page;
      }
      const [after, upto] = todo[seq]!;
      return readKeyPage(reader, after, upto);
    },
    close: stop,
    get threadPages() {
      return threadPages;
    },
  };
}
