/**
 * A bounded cache of recently used values, keyed by a value of the data (a pseudonym by its
 * original, "already indexed", "already verified clean"): leaks repeat values a lot (names,
 * cities, domains, masked phones), and an export does the same work for each repeat.
 *
 * Two generations of at most `limit` entries (a cheap approximation of LRU: a hit in the old
 * generation moves the entry to the young one; when the young one is full, it becomes the old
 * one and the previous old one is dropped), so memory stays bounded whatever the row count.
 *
 * A column whose values hardly repeat (NIRs, IBANs) would only churn the heap: after `trial`
 * look-ups with a hit rate under `minHitRate`, the cache switches itself off for good.
 */
export class RecentCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private lookups = 0;
  private hits = 0;
  private off = false;

  constructor(
    private readonly limit = 20_000,
    private readonly trial = 20_000,
    private readonly minHitRate = 0.2,
  ) {}

  get enabled(): boolean {
    return !this.off;
  }

  get(key: string): V | undefined {
    if (this.off) return undefined;
    let v = this.young.get(key);
    if (v === undefined) {
      v = this.old.get(key);
      if (v !== undefined) this.put(key, v);
    }
    if (v !== undefined) this.hits++;
    if (++this.lookups === this.trial && this.hits < this.trial * this.minHitRate) {
      this.off = true;
      this.young = new Map();
      this.old = new Map();
    }
    return v;
  }

  set(key: string, value: V): void {
    if (!this.off) this.put(key, value);
  }

  /** Entries held (at most twice the limit). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  private put(key: string, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
