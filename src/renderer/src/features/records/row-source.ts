/**
 * The records grid's row cache (issue 9): the rows of one query (dataset, filter, search, sort)
 * by position, fetched from the query engine in windows and kept in a bounded cache, so a grid
 * over ten million records only ever holds the rows near what is on screen.
 *
 * rows.query pages forward by opaque keyset cursor and has no OFFSET (issue 6: "never OFFSET on
 * large tables"), so a position is reached through an *anchor*: a query variant plus the cursor
 * that starts at that position. Anchors come from:
 * - the previous window (scrolling: the next window is one index seek away);
 * - the reversed sort (sorted views): the last rows are the first page of the opposite order, so
 *   jumping to the end costs one page, not a walk;
 * - the ordinal provenance filter (views without filter, search or sort): position p is the record
 *   whose ordinal is p plus the rejected records before it (`rejectOrdinals`), so any position is
 *   one query away. The engine has no index on ordinals, so this query scans up to p records:
 *   fine at 1M, seconds at 10M (reported as an engine gap: rows.query needs a start position);
 * - otherwise a walk: pages of `walkLimit` rows from the nearest known anchor.
 *
 * Stale answers are dropped: a source serves one query; a new query gets a new source, and the
 * old one is disposed (its in-flight answers are ignored).
 *
 * Pure TypeScript: no React, no DOM (tested directly and through the grid).
 */
import type { RowRecord, RowsQueryInput, RowsQueryResult, SortKey } from '../../../../shared/api';
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
}) => Promise<{ total: number }>;

export interface RowSourceOptions {
  query: ViewQuery;
  fetchPage: PageFetcher;
  /** Exact count (rows.count), asked once when the first page only has an estimate. */
  count?: CountFetcher;
  /** The total when already known exactly (no filter and no search: the dataset's rows). */
  knownTotal?: number | null;
  /**
   * Ordinals of the dataset's rejected records, ascending, when all of them are known: enables
   * direct positioning on views without filter, search or sort. null: not known (walk instead).
   */
  rejectOrdinals?: readonly number[] | null;
  windowSize?: number;
  walkLimit?: number;
  maxCached?: number;
  /** Concurrent requests at most (the bridge and the query worker are shared). */
  concurrency?: number;
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
  /** A long walk in progress (no direct way to the position): where it is and where it goes. */
  walking: { at: number; to: number } | null;
  error: string | null;
  /** Milliseconds from creation to the first page (the "first rows" figure). */
  firstPageMs: number | null;
  /** What each column became when the rows are read through a redaction policy. */
  redaction: RowsQueryResult['redaction'] | null;
}

interface Anchor {
  /** Filter of the query variant (the view's, or the view's plus an ordinal bound). */
  filter: FilterNode | undefined;
  cursor: string | undefined;
}

type Task = { kind: 'fwd'; w: number } | { kind: 'rev'; r: number };

const taskKey = (t: Task) => (t.kind === 'fwd' ? `f${t.w}` : `r${t.r}`);

export const WINDOW_SIZE = 200;
export const WALK_LIMIT = 1000;
/** Below this distance from a known anchor, walking beats a positional scan. */
const POSITIONAL_MIN_GAP = 5 * WALK_LIMIT;

/** Ordinal of the record at position `p` when records with `rejects` ordinals are missing. */
export function ordinalAt(p: number, rejects: readonly number[]): number {
  let o = p;
  for (const r of rejects) {
    if (r <= o) o++;
    else break;
  }
  return o;
}

function and(a: FilterNode | undefined, b: FilterNode): FilterNode {
  if (!a) return b;
  return 'and' in a ? { and: [...a.and, b] } : { and: [a, b] };
}

export class RowSource {
  readonly query: ViewQuery;
  private readonly opts: RowSourceOptions;
  private readonly W: number;
  private readonly rows = new Map<number, RowRecord>();
  private readonly fwd = new Map<number, Anchor>();
  private readonly rev = new Map<number, Anchor>();
  private readonly pending = new Set<string>();
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
      error: null,
      firstPageMs: null,
      redaction: null,
    };
    this.fwd.set(0, { filter: opts.query.filter, cursor: undefined });
    this.rev.set(0, { filter: opts.query.filter, cursor: undefined });
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
    return this.rows.get(index);
  }

  get cachedRows(): number {
    return this.rows.size;
  }

  /** Index of a loaded row by its row id (the detail pane, a record to reveal). */
  indexOfRowId(id: number): number | null {
    for (const [i, r] of this.rows) if (r.id === id) return i;
    return null;
  }

  /**
   * Declares what is on screen: rows `first..last`. Fetches what is missing around it (one
   * window before, two after: fetch-ahead in the scroll direction costs nothing when idle).
   */
  ensure(first: number, last: number): void {
    if (this.disposed) return;
    this.view = { first, last };
    const total = this.status.total;
    const lo = Math.max(0, first - this.W);
    let hi = last + 2 * this.W;
    if (total !== null) hi = Math.min(hi, total - 1);
    if (hi < lo) {
      if (total === null) this.schedule({ kind: 'fwd', w: 0 });
      return;
    }
    // Windows far from the view are no longer wanted.
    const keepLo = lo - 4 * this.W;
    const keepHi = hi + 4 * this.W;
    this.queue = this.queue.filter((t) => {
      const [a, b] = this.taskSpan(t);
      return b >= keepLo && a <= keepHi;
    });
    for (let w = Math.floor(lo / this.W); w <= Math.floor(hi / this.W); w++) {
      const start = w * this.W;
      const end = Math.min(start + this.W - 1, hi);
      let missing = -1;
      for (let i = Math.max(start, lo); i <= end; i++) {
        if (!this.rows.has(i)) {
          missing = i;
          break;
        }
      }
      if (missing < 0) continue;
      const t = this.taskFor(missing);
      // The window before is on its way: its answer brings this one's anchor (no walk needed).
      if (t.kind === 'fwd' && !this.fwd.has(start) && this.busy(`f${w - 1}`)) break;
      this.schedule(t);
      // A window without its own anchor (walk, scan, reverse walk) brings the anchors of the
      // following ones: ask for those once it is back (ensure runs again after every answer).
      const direct = t.kind === 'fwd' ? this.fwd.has(t.w * this.W) : this.rev.has(t.r * this.W);
      if (!direct) break;
    }
    this.pump();
  }

  private canReverse(): boolean {
    return this.query.sort.length > 0 && this.status.totalExact && this.status.total !== null;
  }

  private positional(): boolean {
    return (
      !this.query.filter &&
      !this.query.search &&
      this.query.sort.length === 0 &&
      this.opts.rejectOrdinals !== null &&
      this.opts.rejectOrdinals !== undefined
    );
  }

  /** The window task that brings position `p`, by the cheapest route. */
  private taskFor(p: number): Task {
    const w = Math.floor(p / this.W);
    if (this.fwd.has(w * this.W)) return { kind: 'fwd', w };
    if (this.canReverse()) {
      const total = this.status.total!;
      const fromEnd = total - 1 - p;
      const nearestFwd = this.nearestBelow(this.fwd, w * this.W);
      if (fromEnd < p - nearestFwd) return { kind: 'rev', r: Math.floor(fromEnd / this.W) };
    }
    return { kind: 'fwd', w };
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
    return this.pending.has(key) || this.queue.some((q) => taskKey(q) === key);
  }

  private schedule(t: Task): void {
    const key = taskKey(t);
    if (this.pending.has(key) || this.queue.some((q) => taskKey(q) === key)) return;
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
      this.pending.add(key);
      this.running++;
      this.status = { ...this.status, loading: this.status.loading + 1 };
      const done = (failed: boolean) => {
        this.pending.delete(key);
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

  private input(anchor: Anchor, limit: number, reverse: boolean, first: boolean): RowsQueryInput {
    const q = this.query;
    const input: RowsQueryInput = {
      dataset: q.dataset,
      sort: reverse ? q.sort.map((s) => ({ column: s.column, desc: !s.desc })) : q.sort,
      limit,
      countMode: first && this.status.total === null ? 'auto' : 'none',
    };
    if (anchor.filter) input.filter = anchor.filter;
    if (q.search) input.search = q.search;
    if (anchor.cursor) input.cursor = anchor.cursor;
    if (q.policy) input.policy = q.policy;
    return input;
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
        notes: r.notes,
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
    const q = this.query;
    this.opts
      .count({
        dataset: q.dataset,
        ...(q.filter ? { filter: q.filter } : {}),
        ...(q.search ? { search: q.search } : {}),
      })
      .then((c) => {
        if (this.disposed) return;
        this.status = { ...this.status, total: c.total, totalExact: true };
        this.changed();
        this.ensure(this.view.first, this.view.last);
      })
      .catch(() => {
        /* the estimate stays; the status line says it is one */
      });
  }

  /** Stores rows from `start` and the anchor after them; learns the end when the page is last. */
  private storeForward(start: number, r: RowsQueryResult, filter: FilterNode | undefined): void {
    r.rows.forEach((row, k) => this.rows.set(start + k, row));
    const next = start + r.rows.length;
    if (r.cursor) {
      this.fwd.set(next, { filter, cursor: r.cursor });
      const t = this.status.total;
      if (t !== null && !this.status.totalExact && next >= t) {
        this.status = { ...this.status, total: next + 1 };
      }
    } else {
      this.status = { ...this.status, total: next, totalExact: true };
    }
    this.evict();
  }

  private async runForward(w: number): Promise<void> {
    const start = w * this.W;
    const anchor = this.fwd.get(start);
    if (anchor) {
      const r = await this.fetch(this.input(anchor, this.W, false, start === 0));
      if (r) this.storeForward(start, r, anchor.filter);
      return;
    }
    if (this.positional() && start - this.nearestBelow(this.fwd, start) > POSITIONAL_MIN_GAP) {
      // One scan to the position, then a longer page: the next windows chain from it.
      const o = ordinalAt(start, this.opts.rejectOrdinals!);
      const scan = { filter: and(this.query.filter, { provenance: 'ordinal', min: o }) };
      this.status = { ...this.status, walking: { at: start, to: start } };
      this.changed();
      const r = await this.fetch(
        this.input({ ...scan, cursor: undefined }, WALK_LIMIT, false, false),
      );
      this.status = { ...this.status, walking: null };
      if (r) this.storeForward(start, r, scan.filter);
      return;
    }
    // Walk from the nearest anchor below.
    let at = this.nearestBelow(this.fwd, start);
    while (at < start + this.W) {
      if (this.disposed) return;
      const a = this.fwd.get(at);
      if (!a) return;
      this.status = { ...this.status, walking: { at, to: start } };
      this.changed();
      const limit = Math.min(WALK_LIMIT, this.opts.walkLimit ?? WALK_LIMIT);
      const r = await this.fetch(this.input(a, limit, false, at === 0));
      if (!r) return;
      this.storeForward(at, r, a.filter);
      if (!r.cursor || r.rows.length === 0) break;
      at += r.rows.length;
      // Gave up on this target: the view moved elsewhere.
      if (start > this.view.last + 8 * this.W || start + this.W < this.view.first - 8 * this.W) {
        break;
      }
    }
    this.status = { ...this.status, walking: null };
  }

  private async runReverse(r: number): Promise<void> {
    const target = r * this.W;
    let k = this.nearestBelow(this.rev, target);
    while (k <= target) {
      if (this.disposed) return;
      const a = this.rev.get(k)!;
      const limit = Math.min(WALK_LIMIT, target + this.W - k);
      const page = await this.fetch(this.input(a, limit, true, false));
      if (!page) return;
      const total = this.status.total!;
      page.rows.forEach((row, j) => this.rows.set(total - 1 - (k + j), row));
      if (!page.cursor || page.rows.length === 0) break;
      k += page.rows.length;
      this.rev.set(k, { filter: a.filter, cursor: page.cursor });
    }
    this.evict();
  }

  /** Keeps the cache bounded: drops the rows farthest from the view. */
  private evict(): void {
    const max = this.opts.maxCached ?? 20_000;
    if (this.rows.size <= max) return;
    const center = (this.view.first + this.view.last) / 2;
    const keys = [...this.rows.keys()].sort((a, b) => Math.abs(b - center) - Math.abs(a - center));
    for (const k of keys.slice(0, this.rows.size - Math.floor(max * 0.8))) this.rows.delete(k);
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
