/**
 * The query threads of the open case: up to three workers, started on first use (or when a case
 * with a large dataset opens: `warm`, and then one is kept), kept while in use and closed after
 * IDLE_MS without work. Idle workers are unref'd: they never keep a process alive. An exact count (`rows.count`) is split by id range across COUNT_PARTS workers that scan
 * their slice in parallel (one core each); the third worker keeps the grid's next page from
 * waiting behind it.
 *
 * Cancellation: the caller's AbortSignal rejects at once with E_CANCELLED; a request still waiting
 * for a worker is dropped; a running one is aborted by the worker at its next check (scans check
 * between ~15 ms chunks), or, if it has not stopped within CANCEL_GRACE_MS (one long statement:
 * better-sqlite3 cannot interrupt it), its worker is terminated and a fresh one started.
 *
 * Each worker holds its own connection to the case: `closeQueryWorkers()` must run before
 * anything that needs the case to itself (rekey switches the journal mode, which fails while
 * another connection is open).
 */
import { Worker } from 'node:worker_threads';
import { LeakscopeError } from '../../../shared/errors';
import type { JobProgress } from '../../../shared/api';
import type { CallOptions, EngineContext } from '../context';
import { jobAccess } from '../jobs/host';
import type { JobCaseAccess } from '../jobs/protocol';
import type { WritableCase } from '../store/open';
import type { OpMap, QueryOp } from './exec';
import type { HostToQueryWorker, QueryWorkerData, QueryWorkerToHost } from './protocol';

const MAX_WORKERS = 3;
/** Slices of a parallel exact count (the workstation target has 2 cores). */
export const COUNT_PARTS = 2;
const IDLE_MS = 30_000;
const READY_TIMEOUT_MS = 20_000;
/** How long a cancelled request may take to stop before its thread is terminated. */
export const CANCEL_GRACE_MS = 300;

interface Pending {
  id: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onProgress?: CallOptions['onProgress'];
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  /** Started ahead of use (warm): the first request takes it over while it starts. */
  warming: boolean;
  dead: boolean;
  current: Pending | null;
  idle: NodeJS.Timeout | undefined;
}

interface Waiter {
  resolve: (slot: Slot) => void;
  reject: (e: unknown) => void;
}

const cancelled = () => new LeakscopeError('E_CANCELLED', 'query cancelled');

export class QueryPool {
  private readonly slots = new Set<Slot>();
  private readonly waiters: Waiter[] = [];
  private seq = 0;
  private closed = false;
  /** Workers kept when idle (`warm`). */
  private keep = 0;

  constructor(
    private readonly access: JobCaseAccess,
    private readonly url: URL,
    private readonly max = MAX_WORKERS,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, {
      workerData: { entry: 'query', access: this.access } satisfies QueryWorkerData,
    });
    let readyResolve!: () => void;
    let readyReject!: (e: unknown) => void;
    const slot: Slot = {
      worker,
      ready: new Promise<void>((res, rej) => {
        readyResolve = res;
        readyReject = rej;
      }),
      busy: true,
      warming: false,
      dead: false,
      current: null,
      idle: undefined,
    };
    const timer = setTimeout(
      () => fail(new LeakscopeError('E_INTERNAL', 'the query worker did not start')),
      READY_TIMEOUT_MS,
    );
    const fail = (e: unknown) => {
      clearTimeout(timer);
      readyReject(e);
      this.discard(slot);
      const p = slot.current;
      slot.current = null;
      p?.reject(e);
    };
    worker.on('message', (msg: QueryWorkerToHost) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        readyResolve();
      } else if (msg.type === 'fatal') {
        fail(new LeakscopeError(msg.error.code, msg.error.message, msg.error.details));
      } else if (slot.current && msg.id === slot.current.id) {
        const p = slot.current;
        if (msg.type === 'progress') p.onProgress?.(msg.progress);
        else {
          slot.current = null;
          if (msg.type === 'done') p.resolve(msg.output);
          else p.reject(new LeakscopeError(msg.error.code, msg.error.message, msg.error.details));
          this.release(slot);
        }
      }
    });
    worker.on('error', (e) =>
      fail(new LeakscopeError('E_INTERNAL', `query worker failed: ${e.message}`)),
    );
    worker.on('exit', () => fail(new LeakscopeError('E_INTERNAL', 'the query worker stopped')));
    // Unhandled if nobody awaits this slot's start (it failed while idle).
    slot.ready.catch(() => {});
    this.slots.add(slot);
    return slot;
  }

  private discard(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.idle);
    this.slots.delete(slot);
    void slot.worker.terminate();
  }

  private release(slot: Slot): void {
    if (slot.dead) return;
    const next = this.waiters.shift();
    if (next) {
      next.resolve(slot);
      return;
    }
    slot.busy = false;
    slot.worker.unref();
    slot.idle = setTimeout(() => this.retire(slot), IDLE_MS);
    slot.idle.unref();
  }

  /** Asks an idle worker to close its connection cleanly, then stops it. */
  private retire(slot: Slot): void {
    if (slot.busy || slot.dead) return;
    // A warmed pool keeps its first workers (unref'd: they never hold the process).
    if (this.slots.size <= this.keep) return;
    slot.dead = true;
    this.slots.delete(slot);
    slot.worker.postMessage({ type: 'close' } satisfies HostToQueryWorker);
    setTimeout(() => void slot.worker.terminate(), 2000).unref();
  }

  private acquire(signal: AbortSignal | undefined): Promise<Slot> {
    for (const s of this.slots) {
      if (!s.busy && !s.dead) {
        s.busy = true;
        clearTimeout(s.idle);
        return Promise.resolve(s);
      }
    }
    // A worker still starting for nobody: waiting for it beats starting another one.
    for (const s of this.slots) {
      if (s.warming && !s.dead) {
        s.warming = false;
        return Promise.resolve(s);
      }
    }
    if (this.slots.size < this.max) return Promise.resolve(this.spawn());
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        reject,
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  async run<K extends QueryOp>(
    op: K,
    input: OpMap[K]['input'],
    call: CallOptions = {},
  ): Promise<OpMap[K]['output']> {
    if (this.closed) throw new LeakscopeError('E_NO_CASE', 'the case was closed');
    if (call.signal?.aborted) throw cancelled();
    const slot = await this.acquire(call.signal);
    slot.worker.ref();
    return new Promise<OpMap[K]['output']>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        call.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      // Cancel at any point: while the worker starts, or while it runs the request.
      const onAbort = () =>
        settle(() => {
          reject(cancelled());
          const p = slot.current;
          if (!p) {
            // Not sent yet (the worker is starting): the slot serves others once it is ready.
            slot.ready.then(
              () => this.release(slot),
              () => {},
            );
            return;
          }
          // Sent: the worker aborts it at its next check (scans check between chunks) and
          // answers, which frees the slot; a statement that does not stop in time costs the
          // thread (terminated; one is started again for the requests that follow).
          slot.worker.postMessage({ type: 'cancel', id: p.id } satisfies HostToQueryWorker);
          const grace = setTimeout(() => {
            if (slot.current !== p) return;
            slot.current = null;
            this.discard(slot);
            this.warm(1);
          }, CANCEL_GRACE_MS);
          p.resolve = p.reject = () => clearTimeout(grace);
        });
      call.signal?.addEventListener('abort', onAbort, { once: true });
      slot.ready.then(
        () => {
          if (settled) return;
          const id = ++this.seq;
          slot.current = {
            id,
            resolve: (v) => settle(() => resolve(v as OpMap[K]['output'])),
            reject: (e) => settle(() => reject(e)),
            ...(call.onProgress ? { onProgress: call.onProgress } : {}),
          };
          slot.worker.postMessage({ type: 'run', id, op, input } satisfies HostToQueryWorker);
        },
        (e: unknown) =>
          settle(() => {
            this.discard(slot);
            reject(e);
          }),
      );
    });
  }

  /**
   * Starts workers ahead of the first query (up to `n`): a worker's start costs its thread, the
   * module load and the case's key derivation, which the first page would otherwise wait for.
   */
  warm(n = 1): void {
    if (this.closed) return;
    this.keep = Math.max(this.keep, Math.min(n, this.max));
    while (this.slots.size < Math.min(n, this.max)) this.startWarming();
  }

  /** A worker started for whoever asks next; idle (and then retired as usual) if nobody does. */
  private startWarming(): void {
    const slot = this.spawn();
    slot.warming = true;
    slot.ready.then(
      () => {
        if (!slot.warming || slot.dead) return;
        slot.warming = false;
        this.release(slot);
      },
      () => {},
    );
  }

  /**
   * While a long request holds the workers (a parallel count), starts one more if none is idle
   * or starting, so that the grid's next page (a scrollbar drag during the count) does not wait
   * for a thread start (module load, key derivation): ~0.5 s, seconds on a loaded machine.
   */
  private spare(): void {
    if (this.closed || this.slots.size >= this.max) return;
    for (const s of this.slots) if (!s.dead && (!s.busy || s.warming)) return;
    this.startWarming();
  }

  /**
   * An exact count split into `parts` id slices run on as many workers at once; progress sums
   * the slices; cancelling (or a failing slice) stops them all.
   */
  async count(
    input: OpMap['count']['input'],
    call: CallOptions = {},
    parts = COUNT_PARTS,
  ): Promise<OpMap['count']['output']> {
    const n = Math.max(1, Math.min(parts, this.max));
    if (n === 1) return this.run('count', input, call);
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    const progress = Array.from({ length: n }, () => null as JobProgress | null);
    const report = (i: number, p: JobProgress) => {
      progress[i] = p;
      if (!call.onProgress || progress.some((x) => x === null)) return;
      const all = progress as JobProgress[];
      const done = all.reduce((a, x) => a + x.bytesDone, 0);
      const total = all.reduce((a, x) => a + (x.bytesTotal ?? 0), 0);
      const rate = all.reduce((a, x) => a + (x.rowsPerSecond ?? 0), 0);
      call.onProgress({
        step: 'count',
        bytesDone: done,
        bytesTotal: total,
        records: all.reduce((a, x) => a + x.records, 0),
        rejected: 0,
        rowsPerSecond: rate,
        etaSeconds: rate > 0 ? Math.max(0, (total - done) / rate) : null,
      });
    };
    const started = performance.now();
    try {
      const parts = Array.from({ length: n }, (_, part) =>
        this.run(
          'countPart',
          { ...input, part, parts: n },
          { signal: ac.signal, onProgress: (p) => report(part, p) },
        ).catch((e: unknown) => {
          ac.abort();
          throw e;
        }),
      );
      // The slices took their workers (synchronously, in `run`): keep one ready for pages.
      this.spare();
      const results = await Promise.all(parts);
      if (call.signal?.aborted) throw cancelled();
      return {
        ...results[0]!,
        total: results.reduce((a, r) => a + r.total, 0),
        seconds: (performance.now() - started) / 1000,
      };
    } catch (e) {
      if (call.signal?.aborted) throw cancelled();
      throw e;
    } finally {
      call.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops every worker (their connections close with them) and refuses further requests. */
  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0))
      w.reject(new LeakscopeError('E_NO_CASE', 'the case was closed'));
    for (const s of [...this.slots]) {
      const p = s.current;
      s.current = null;
      this.discard(s);
      p?.reject(new LeakscopeError('E_NO_CASE', 'the case was closed'));
    }
  }
}

/**
 * Pools by open case handle. A process may hold several engines (tests, the bridge); each case
 * handle gets its own pool. A pool whose case was reopened (same path, new handle) or rekeyed is
 * closed on the next query; other idle pools cost nothing (their workers retire when idle).
 */
const pools = new Map<WritableCase, { key: string; pool: QueryPool }>();

function defaultWorkerUrl(): URL {
  return new URL('./worker-boot.mjs', import.meta.url);
}

/** The pool of the engine's open case (a new one when the case or its key changed). */
export function queryPoolFor(ctx: EngineContext): QueryPool {
  const handle = ctx.requireCase();
  const key = ctx.caseKey();
  for (const [h, entry] of pools) {
    const stale = h === handle ? entry.key !== key : h.path === handle.path;
    if (stale) {
      entry.pool.close();
      pools.delete(h);
    }
  }
  let entry = pools.get(handle);
  if (!entry) {
    const access = jobAccess(ctx.deps, handle.path, key);
    // In the Electron build the bundled job-worker script also hosts query threads
    // (workerData.entry = 'query'); under plain Node, the tsx bootstrap of worker.ts.
    entry = { key, pool: new QueryPool(access, ctx.deps.jobWorkerUrl ?? defaultWorkerUrl()) };
    pools.set(handle, entry);
  }
  return entry.pool;
}

/** Stops every query thread of this process (case closed or rekeyed, process ending). */
export function closeQueryWorkers(): void {
  for (const { pool } of pools.values()) pool.close();
  pools.clear();
}
