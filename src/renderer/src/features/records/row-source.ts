/**
 * The records grid's row cache (issue 9): the rows of one query (dataset, filter, search, sort)
 * by position, fetched from the query engine in windows and kept in a bounded cache, so a grid
 * over ten million records only ever holds the rows near what is on screen.
 *
 * rows.query pages by opaque keyset cursor (never OFFSET on a large result), from the start or
 * from the end (`from: 'end'`), and can start a chain at a position (`at`). A window is reached by
 * the cheapest of:
 * - the cursor left by the window before it (scrolling: one index seek away), or after it when
 *   reading backwards;
 * - a page from the end: the last rows of any result, filtered or not, in one request (Ctrl+End,
 *   the scrollbar dragged to the bottom). Rows read from the end are kept by their distance from
 *   the end, so they stay right when an estimated total is refined;
 * - a jump (`at`): exact for a whole dataset in import order, an estimate for a filtered, searched
 *   or sorted result (then `status.approximate` is true while such rows are on screen, and the
 *   status line says positions are estimates). Pages chained from a jump are exact among
 *   themselves;
 * - a short walk from a nearby anchor (a few pages).
 *
 * Superseded queries: every source tags its requests with this page's channel and a generation
 * newer than any earlier source's, so the engine cancels the requests of the queries it replaced
 * (a search typed letter by letter) instead of finishing them. Stale answers are dropped too.
 *
 * Pure TypeScript: no React, no DOM (tested directly and through the grid).
 */
import type {
  RowRecord,
  RowsQueryInput,
  RowsQueryResult,
  SortKey,
  Supersede,
} from '../../../../shared/api';
import type { FilterNode } from '../../../../shared/filter';

export interface ViewQuery {
  dataset: string;
  filter?: FilterNode | undefined;
  search?: string | undefined;
  sort: SortKey[];
  /** Redaction policy to read values through (rows.query `policy`), or null for raw values. */
  policy?: string | null | undefined;
}

export type PageFetcher = (input: RowsQueryInput) => Promise<RowsQueryResult>;
export type CountFetcher = (input: {
  dataset: string;
  filter?: FilterNode;
  search?: string;
  supersede?: Supersede;
}) => Promise<{ total: number }>;

export interface RowSourceOptions {
  query: ViewQuery;
  fetchPage: PageFetcher;
  /** Exact count (rows.count), asked once when the first page only has an estimate. */
  count?: CountFetcher;
  /** The total when already known exactly (no filter and no search: the dataset's rows). */
  knownTotal?: number | null;
  windowSize?: number;
  walkLimit?: number;
  maxCached?: number;
  /** Concurrent requests at most (the bridge and the query worker are shared). */
  concurrency?: number;
  /** Supersede channel (default: one per page): newer sources cancel older ones' requests. */
  channel?: string;
  /** Wait before asking the exact count (default COUNT_DELAY_MS). */
  countDelayMs?: number;
}

export interface SourceStatus {
  total: number | null;
  totalExact: boolean;
  /** The filter and search in plain language, from the engine. */
  description: string | null;
  searchMode: RowsQueryResult['searchMode'] | null;
  notes: string[];
  /** Requests in flight. */
  loading: number;
  /** A jump or walk in progress to a far position: where it goes. */
  walking: { at: number; to: number } | null;
  /** Rows on screen came from an estimated position (a jump into a filtered or sorted result). */
  approximate: boolean;
  error: string | null;
  /** Milliseconds from creation to the first page (the "first rows" figure). */
  firstPageMs: number | null;
  /** What each column became when the rows are read through a redaction policy. */
  redaction: RowsQueryResult['redaction'] | null;
}

interface Anchor {
  cursor: string | undefined;
  /** Reached through an estimated position: rows chained from it are placed approximately. */
  approx: boolean;
}

/**
 * fwd: window `w` from the start; rev: window `r` counted from the end. `from`: the anchor it
 * starts from when it was asked (a position, or a distance from the end).
 */
type Task = ({ kind: 'fwd'; w: number } | { kind: 'rev'; r: number }) & { from: number };

const taskKey = (t: Task) => (t.kind === 'fwd' ? `f${t.w}` : `r${t.r}`);

export const WINDOW_SIZE = 200;
/** Pause between an estimated total and the exact count asked for it. */
export const COUNT_DELAY_MS = 1000;
export const WALK_LIMIT = 1000;
/** Farther than this from a known anchor, a jump (`at`) beats walking. */
export const JUMP_MIN_GAP = 2 * WALK_LIMIT;

/** This page's supersede channel (random: two windows on one bridge must not cancel each other). */
const PAGE_CHANNEL = `grid-${Math.random().toString(36).slice(2, 12)}`;
let generations = 0;

export class RowSource {
  readonly query: ViewQuery;
  private readonly opts: RowSourceOptions;
  private readonly W: number;
  private readonly generation = ++generations;
  /** Rows by position from the start. */
  private readonly rows = new Map<number, RowRecord>();
  /** Rows read from the end, by distance from the last row. */
  private readonly tail = new Map<number, RowRecord>();
  /** Positions (from the start / from the end) whose rows were placed by an estimate. */
  private readonly approxRows = new Set<number>();
  private readonly approxTail = new Set<number>();
  private readonly fwd = new Map<number, Anchor>();
  private readonly rev = new Map<number, Anchor>();
  private readonly pendingTasks = new Map<string, Task>();
  private queue: Task[] = [];
  private running = 0;
  private disposed = false;
  private listeners = new Set<() => void>();
  private notifyScheduled = false;
  private view = { first: 0, last: 0 };
  private readonly started = Date.now();
  private countAsked = false;
  private version = 0;
  status: SourceStatus;

  constructor(opts: RowSourceOptions) {
    this.opts = opts;
    this.query = opts.query;
    this.W = opts.windowSize ?? WINDOW_SIZE;
    const known = opts.knownTotal ?? null;
    this.status = {
      total: known,
      totalExact: known !== null,
      description: null,
      searchMode: null,
      notes: [],
      loading: 0,
      walking: null,
      approximate: false,
      error: null,
      firstPageMs: null,
      redaction: null,
    };
    this.fwd.set(0, { cursor: undefined, approx: false });
    this.rev.set(0, { cursor: undefined, approx: false });
  }

  /** A number that changes whenever rows or status change (for useSyncExternalStore). */
  getVersion = (): number => this.version;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.listeners.clear();
  }

  get(index: number): RowRecord | undefined {
    const r = this.rows.get(index);
    if (r) return r;
    const total = this.status.total;
    return total === null ? undefined : this.tail.get(total - 1 - index);
  }

  get cachedRows(): number {
    return this.rows.size + this.tail.size;
  }

  /** Index of a loaded row by its row id (the detail pane, a record to reveal). */
  indexOfRowId(id: number): number | null {
    for (const [i, r] of this.rows) if (r.id === id) return i;
    const total = this.status.total;
    if (total !== null) for (const [k, r] of this.tail) if (r.id === id) return total - 1 - k;
    return null;
  }

  private has(index: number): boolean {
    if (this.rows.has(index)) return true;
    const total = this.status.total;
    return total !== null && this.tail.has(total - 1 - index);
  }

  private isApprox(index: number): boolean {
    if (this.approxRows.has(index)) return true;
    const total = this.status.total;
    return total !== null && !this.rows.has(index) && this.approxTail.has(total - 1 - index);
  }

  /**
   * Declares what is on screen: rows `first..last`. Fetches what is missing around it (one
   * window before, two after: fetch-ahead in the scroll direction costs nothing when idle).
   */
  ensure(first: number, last: number): void {
    if (this.disposed) return;
    this.view = { first, last };
    this.updateApprox();
    const total = this.status.total;
    const lo = Math.max(0, first - this.W);
    let hi = last + 2 * this.W;
    if (total !== null) hi = Math.min(hi, total - 1);
    if (hi < lo) {
      if (total === null) this.schedule({ kind: 'fwd', w: 0, from: 0 });
      this.pump();
      return;
    }
    // Windows far from the view are no longer wanted.
    const keepLo = lo - 4 * this.W;
    const keepHi = hi + 4 * this.W;
    this.queue = this.queue.filter((t) => {
      const [a, b] = this.taskSpan(t);
      return b >= keepLo && a <= keepHi;
    });
    // Missing positions (one per window), nearest to the view first.
    const missing: number[] = [];
    for (let w = Math.floor(lo / this.W); w <= Math.floor(hi / this.W); w++) {
      const start = w * this.W;
      const end = Math.min(start + this.W - 1, hi);
      for (let i = Math.max(start, lo); i <= end; i++) {
        if (!this.has(i)) {
          missing.push(i);
          break;
        }
      }
    }
    const mid = (first + last) / 2;
    missing.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
    for (const p of missing) {
      const t = this.taskFor(p);
      if (t) this.schedule(t);
    }
    this.pump();
  }

  private updateApprox(): void {
    let approx = false;
    for (let i = this.view.first; i <= this.view.last && !approx; i++) approx = this.isApprox(i);
    if (approx !== this.status.approximate) {
      this.status = { ...this.status, approximate: approx };
      this.changed();
    }
  }

  /**
   * The task that brings position `p`, or null when one already asked will bring it, or will
   * bring a cursor near it (then a jump now would be redundant).
   */
  private taskFor(p: number): Task | null {
    const total = this.status.total;
    const k = total === null ? -1 : total - 1 - p;
    if (this.coming('fwd', p) || (k >= 0 && this.coming('rev', k))) return null;
    const w = Math.floor(p / this.W);
    const fwdFrom = this.nearestBelow(this.fwd, w * this.W);
    if (total !== null) {
      const r = Math.floor(k / this.W);
      const revFrom = this.nearestBelow(this.rev, r * this.W);
      // From the end when a page or a short walk from an anchor there brings it. Jumps go
      // forwards, so that the windows after one chain from its cursor.
      const revGap = k - revFrom;
      if (revGap <= JUMP_MIN_GAP && revGap < p - fwdFrom) return { kind: 'rev', r, from: revFrom };
    }
    return { kind: 'fwd', w, from: fwdFrom };
  }

  /**
   * Whether a task asked (waiting or running) in this direction covers `x` (a position, or a
   * distance from the end), or ends close enough before it that its cursor will be nearer.
   */
  private coming(kind: Task['kind'], x: number): boolean {
    const tasks = [...this.queue, ...this.pendingTasks.values()];
    return tasks.some((t) => {
      if (t.kind !== kind) return false;
      const idx = t.kind === 'fwd' ? t.w : t.r;
      const end = idx * this.W + this.W - 1;
      const walks = idx * this.W - t.from <= JUMP_MIN_GAP;
      const start = walks ? t.from : idx * this.W;
      return x >= start && x <= end + JUMP_MIN_GAP;
    });
  }

  /** Positions a task covers (for queue pruning and priority). */
  private taskSpan(t: Task): [number, number] {
    if (t.kind === 'fwd') return [t.w * this.W, t.w * this.W + this.W - 1];
    const total = this.status.total ?? 0;
    return [total - (t.r + 1) * this.W, total - 1 - t.r * this.W];
  }

  private nearestBelow(map: Map<number, Anchor>, at: number): number {
    let best = 0;
    for (const k of map.keys()) if (k <= at && k > best) best = k;
    return best;
  }

  private busy(key: string): boolean {
    return this.pendingTasks.has(key) || this.queue.some((q) => taskKey(q) === key);
  }

  private schedule(t: Task): void {
    if (this.busy(taskKey(t))) return;
    this.queue.push(t);
  }

  private pump(): void {
    const max = this.opts.concurrency ?? 2;
    const center = (this.view.first + this.view.last) / 2;
    this.queue.sort((a, b) => {
      const [a0, a1] = this.taskSpan(a);
      const [b0, b1] = this.taskSpan(b);
      return Math.abs((a0 + a1) / 2 - center) - Math.abs((b0 + b1) / 2 - center);
    });
    while (this.running < max && this.queue.length) {
      const t = this.queue.shift()!;
      const key = taskKey(t);
      this.pendingTasks.set(key, t);
      this.running++;
      this.status = { ...this.status, loading: this.status.loading + 1 };
      const done = (failed: boolean) => {
        this.pendingTasks.delete(key);
        this.running--;
        if (this.disposed) return;
        this.status = { ...this.status, loading: Math.max(0, this.status.loading - 1) };
        this.changed();
        // After a failure, wait for the view to move before asking again (no retry storm).
        if (failed) this.pump();
        else this.ensure(this.view.first, this.view.last);
      };
      (t.kind === 'fwd' ? this.runForward(t.w) : this.runReverse(t.r)).then(
        () => done(false),
        (e: unknown) => {
          if (!this.disposed) {
            this.status = {
              ...this.status,
              walking: null,
              error: e instanceof Error ? e.message : String(e),
            };
          }
          done(true);
        },
      );
    }
    this.changed();
  }

  private input(
    limit: number,
    opts: { cursor?: string | undefined; reverse?: boolean; at?: number; first?: boolean },
  ): RowsQueryInput {
    const q = this.query;
    const input: RowsQueryInput = {
      dataset: q.dataset,
      sort: q.sort,
      limit,
      countMode: opts.first && this.status.total === null ? 'auto' : 'none',
      supersede: this.tag(),
    };
    if (opts.reverse) input.from = 'end';
    if (opts.at !== undefined) input.at = opts.at;
    if (q.filter) input.filter = q.filter;
    if (q.search) input.search = q.search;
    if (opts.cursor) input.cursor = opts.cursor;
    if (q.policy) input.policy = q.policy;
    return input;
  }

  private tag(): Supersede {
    return { channel: this.opts.channel ?? PAGE_CHANNEL, generation: this.generation };
  }

  private async fetch(input: RowsQueryInput): Promise<RowsQueryResult | null> {
    const r = await this.opts.fetchPage(input);
    if (this.disposed) return null;
    if (this.status.error) this.status = { ...this.status, error: null };
    if (this.status.firstPageMs === null) {
      this.status = { ...this.status, firstPageMs: Date.now() - this.started };
    }
    if (this.status.description === null || input.countMode === 'auto') {
      this.status = {
        ...this.status,
        description: r.description,
        searchMode: r.searchMode,
        notes: r.notes.filter((n) => !n.includes('position is an estimate')),
        redaction: r.redaction ?? null,
      };
    }
    if (input.countMode === 'auto' && r.total >= 0) {
      this.status = { ...this.status, total: r.total, totalExact: r.totalExact };
      if (!r.totalExact) this.askCount();
    }
    return r;
  }

  private askCount(): void {
    if (this.countAsked || !this.opts.count) return;
    this.countAsked = true;
    // A pause first: an exact count scans on every query worker, and the pages of the first
    // screen (or of the next search, which then makes this one moot) come before it.
    setTimeout(() => this.runCount(), this.opts.countDelayMs ?? COUNT_DELAY_MS);
  }

  private runCount(): void {
    if (this.disposed || !this.opts.count) return;
    const q = this.query;
    this.opts
      .count({
        dataset: q.dataset,
        ...(q.filter ? { filter: q.filter } : {}),
        ...(q.search ? { search: q.search } : {}),
        supersede: this.tag(),
      })
      .then((c) => {
        if (this.disposed) return;
        this.setTotal(c.total, true);
        this.ensure(this.view.first, this.view.last);
      })
      .catch(() => {
        /* the estimate stays; the status line says it is one */
      });
  }

  private setTotal(total: number, exact: boolean): void {
    this.status = { ...this.status, total, totalExact: exact };
    // Rows read from the start past the new end belong to no position any more.
    for (const k of this.rows.keys()) if (k >= total) this.rows.delete(k);
    this.changed();
  }

  /** Stores rows from `start` and the anchor after them; learns the end when the page is last. */
  private storeForward(start: number, r: RowsQueryResult, approx: boolean): void {
    r.rows.forEach((row, k) => {
      this.rows.set(start + k, row);
      if (approx) this.approxRows.add(start + k);
      else this.approxRows.delete(start + k);
    });
    const next = start + r.rows.length;
    if (r.cursor) {
      this.fwd.set(next, { cursor: r.cursor, approx });
      const t = this.status.total;
      if (t !== null && !this.status.totalExact && next >= t) this.setTotal(next + 1, false);
    } else if (!approx && (r.rows.length > 0 || start === 0)) {
      this.setTotal(next, true);
    }
    this.evict();
  }

  /** Stores rows read from the end, from distance `k`, and the anchor after them. */
  private storeReverse(k: number, r: RowsQueryResult, approx: boolean): void {
    r.rows.forEach((row, j) => {
      this.tail.set(k + j, row);
      if (approx) this.approxTail.add(k + j);
      else this.approxTail.delete(k + j);
    });
    const next = k + r.rows.length;
    if (r.cursor) this.rev.set(next, { cursor: r.cursor, approx });
    else if (!approx && (r.rows.length > 0 || k === 0)) this.setTotal(next, true);
    this.evict();
  }

  private async runForward(w: number): Promise<void> {
    const start = w * this.W;
    const anchor = this.fwd.get(start);
    if (anchor) {
      const r = await this.fetch(this.input(this.W, { cursor: anchor.cursor, first: start === 0 }));
      if (r) this.storeForward(start, r, anchor.approx);
      return;
    }
    const below = this.nearestBelow(this.fwd, start);
    if (start - below > JUMP_MIN_GAP) {
      this.status = { ...this.status, walking: { at: start, to: start } };
      this.changed();
      const r = await this.fetch(this.input(this.W, { at: start }));
      this.status = { ...this.status, walking: null };
      if (r) this.storeForward(start, r, r.position?.exact === false);
      return;
    }
    // A short walk from the nearest anchor below.
    let at = below;
    while (at < start + this.W) {
      if (this.disposed) return;
      const a = this.fwd.get(at);
      if (!a) return;
      this.status = { ...this.status, walking: { at, to: start } };
      this.changed();
      const limit = Math.min(WALK_LIMIT, this.opts.walkLimit ?? WALK_LIMIT, start + this.W - at);
      const r = await this.fetch(this.input(limit, { cursor: a.cursor, first: at === 0 }));
      if (!r) return;
      this.storeForward(at, r, a.approx);
      if (!r.cursor || r.rows.length === 0) break;
      at += r.rows.length;
    }
    this.status = { ...this.status, walking: null };
  }

  private async runReverse(rw: number): Promise<void> {
    const target = rw * this.W;
    const anchor = this.rev.get(target);
    if (anchor) {
      const r = await this.fetch(this.input(this.W, { cursor: anchor.cursor, reverse: true }));
      if (r) this.storeReverse(target, r, anchor.approx);
      return;
    }
    const below = this.nearestBelow(this.rev, target);
    if (target - below > JUMP_MIN_GAP) {
      const r = await this.fetch(this.input(this.W, { at: target, reverse: true }));
      if (r) this.storeReverse(target, r, r.position?.exact === false);
      return;
    }
    let k = below;
    while (k < target + this.W) {
      if (this.disposed) return;
      const a = this.rev.get(k);
      if (!a) return;
      const limit = Math.min(WALK_LIMIT, this.opts.walkLimit ?? WALK_LIMIT, target + this.W - k);
      const r = await this.fetch(this.input(limit, { cursor: a.cursor, reverse: true }));
      if (!r) return;
      this.storeReverse(k, r, a.approx);
      if (!r.cursor || r.rows.length === 0) break;
      k += r.rows.length;
    }
  }

  /** Keeps the cache bounded: drops the rows farthest from the view. */
  private evict(): void {
    const max = this.opts.maxCached ?? 20_000;
    if (this.rows.size + this.tail.size <= max) return;
    const center = (this.view.first + this.view.last) / 2;
    const total = this.status.total ?? 0;
    // Entries as [position, key, from the end?], farthest from the view first.
    const all: [number, number, boolean][] = [
      ...[...this.rows.keys()].map((p): [number, number, boolean] => [p, p, false]),
      ...[...this.tail.keys()].map((k): [number, number, boolean] => [total - 1 - k, k, true]),
    ].sort((a, b) => Math.abs(b[0] - center) - Math.abs(a[0] - center));
    for (const [, key, fromEnd] of all.slice(0, all.length - Math.floor(max * 0.8))) {
      (fromEnd ? this.tail : this.rows).delete(key);
      (fromEnd ? this.approxTail : this.approxRows).delete(key);
    }
  }

  private changed(): void {
    this.version++;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      if (this.disposed) return;
      for (const l of this.listeners) l();
    });
  }
}
