/**
 * Distinct count and top values of one column, over every non-empty value of the table.
 *
 * Exact while the column has at most EXACT_DISTINCT_BOUND distinct values: one Map of counts
 * answers both questions. Past the bound the map is dropped (memory stays flat whatever the
 * table size): the distinct count goes to a HyperLogLog (stated error ≈ 0.8 %) and the top
 * values to a Misra–Gries heavy-hitters summary, whose counts are low by at most `topError`
 * (the total decremented, ≤ n / capacity).
 */
import { HLL_RELATIVE_ERROR, HyperLogLog } from './hll';

export const EXACT_DISTINCT_BOUND = 50_000;
/** Heavy-hitters capacity once the exact map is dropped. */
const HEAVY_CAPACITY = 1_000;

export interface DistinctResult {
  distinct: number;
  exact: boolean;
  /** Relative standard error (0 when exact). */
  error: number;
  top: { value: string; count: number }[];
  topExact: boolean;
  topError: number;
}

export class DistinctCounter {
  private counts: Map<string, number> | null = new Map();
  private hll: HyperLogLog | null = null;
  private heavy: Map<string, number> | null = null;
  private decremented = 0;

  constructor(private readonly bound = EXACT_DISTINCT_BOUND) {}

  add(value: string): void {
    if (this.counts) {
      const c = this.counts.get(value);
      if (c !== undefined) {
        this.counts.set(value, c + 1);
        return;
      }
      this.counts.set(value, 1);
      if (this.counts.size > this.bound) this.overflow();
      return;
    }
    this.hll!.add(value);
    const heavy = this.heavy!;
    const c = heavy.get(value);
    if (c !== undefined) heavy.set(value, c + 1);
    else {
      heavy.set(value, 1);
      if (heavy.size >= 2 * HEAVY_CAPACITY) this.shrinkHeavy();
    }
  }

  private overflow(): void {
    const counts = this.counts!;
    this.hll = new HyperLogLog();
    for (const k of counts.keys()) this.hll.add(k);
    // Keep the exact counts of the most frequent values so far; they are exact lower bounds.
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, HEAVY_CAPACITY);
    this.heavy = new Map(sorted);
    // Values dropped here had counts ≤ the smallest kept one.
    this.decremented = sorted.length ? sorted[sorted.length - 1]![1] : 0;
    this.counts = null;
  }

  /** Misra–Gries batch step: subtract the (capacity+1)-th largest count from every entry. */
  private shrinkHeavy(): void {
    const heavy = this.heavy!;
    const values = [...heavy.values()].sort((a, b) => b - a);
    const cut = values[HEAVY_CAPACITY] ?? 0;
    if (cut === 0) return;
    this.decremented += cut;
    for (const [k, c] of heavy) {
      if (c <= cut) heavy.delete(k);
      else heavy.set(k, c - cut);
    }
  }

  result(topN: number): DistinctResult {
    if (this.counts) {
      const top = [...this.counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, topN)
        .map(([value, count]) => ({ value, count }));
      return { distinct: this.counts.size, exact: true, error: 0, top, topExact: true, topError: 0 };
    }
    const top = [...this.heavy!.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topN)
      .map(([value, count]) => ({ value, count }));
    return {
      distinct: this.hll!.estimate(),
      exact: false,
      error: Math.round(HLL_RELATIVE_ERROR * 10_000) / 10_000,
      top,
      topExact: false,
      topError: this.decremented,
    };
  }
}
