/**
 * Fill counts and value lengths of every column over every row: absent (NULL / missing), empty
 * (empty or whitespace-only) and non-empty values, and min / max / mean length of the non-empty
 * ones. The cheapest statistics, so they run on every value of the table; kept as one typed
 * array per statistic (struct of arrays) because this loop runs for every cell.
 */

export class FillStats {
  nulls: Float64Array;
  empty: Float64Array;
  nonEmpty: Float64Array;
  minLen: Float64Array;
  maxLen: Float64Array;
  sumLen: Float64Array;

  constructor(public width: number) {
    this.nulls = new Float64Array(width);
    this.empty = new Float64Array(width);
    this.nonEmpty = new Float64Array(width);
    this.minLen = new Float64Array(width).fill(Number.POSITIVE_INFINITY);
    this.maxLen = new Float64Array(width);
    this.sumLen = new Float64Array(width);
  }

  /**
   * Adds columns after `rows` rows were counted (an import whose later records bring new
   * columns): those rows hold NULL in them, as the stored table does.
   */
  grow(width: number, rows: number): void {
    const from = this.width;
    const widen = (a: Float64Array, fill: number) => {
      const b = new Float64Array(width).fill(fill, from);
      b.set(a);
      return b;
    };
    this.nulls = widen(this.nulls, rows);
    this.empty = widen(this.empty, 0);
    this.nonEmpty = widen(this.nonEmpty, 0);
    this.minLen = widen(this.minLen, Number.POSITIVE_INFINITY);
    this.maxLen = widen(this.maxLen, 0);
    this.sumLen = widen(this.sumLen, 0);
    this.width = width;
  }

  /** Counts one value of column j; true when it is non-empty (fed to the other statistics). */
  add(j: number, value: string | null | undefined): value is string {
    if (value === null || value === undefined) {
      this.nulls[j]!++;
      return false;
    }
    if (isBlank(value)) {
      this.empty[j]!++;
      return false;
    }
    this.addFilled(j, value.length);
    return true;
  }

  /** A non-empty value of `n` characters (callers that have checked emptiness themselves). */
  addFilled(j: number, n: number): void {
    this.nonEmpty[j]!++;
    if (n < this.minLen[j]!) this.minLen[j] = n;
    if (n > this.maxLen[j]!) this.maxLen[j] = n;
    this.sumLen[j]! += n;
  }

  lengths(j: number): { min: number; max: number; mean: number } {
    const n = this.nonEmpty[j]!;
    if (n === 0) return { min: 0, max: 0, mean: 0 };
    return {
      min: this.minLen[j]!,
      max: this.maxLen[j]!,
      mean: Math.round((this.sumLen[j]! / n) * 100) / 100,
    };
  }
}

/** Empty, or whitespace only (checked without allocating for the common non-blank case). */
export function isBlank(value: string): boolean {
  if (value.length === 0) return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first > 32 && first !== 160 && last > 32 && last !== 160) return false;
  return value.trim() === '';
}
