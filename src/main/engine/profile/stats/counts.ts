/**
 * Fill counts and value lengths of one column over every row: absent (NULL / missing), empty
 * (empty or whitespace-only) and non-empty values, and min / max / mean length of the non-empty
 * ones. The cheapest statistics, so they run on every value of the table.
 */

export class FillCounter {
  nulls = 0;
  empty = 0;
  nonEmpty = 0;
  private minLen = Number.POSITIVE_INFINITY;
  private maxLen = 0;
  private sumLen = 0;

  /** Returns true when the value is non-empty (the caller feeds it to the other statistics). */
  add(value: string | null): value is string {
    if (value === null) {
      this.nulls++;
      return false;
    }
    if (isBlank(value)) {
      this.empty++;
      return false;
    }
    this.nonEmpty++;
    const n = value.length;
    if (n < this.minLen) this.minLen = n;
    if (n > this.maxLen) this.maxLen = n;
    this.sumLen += n;
    return true;
  }

  lengths(): { min: number; max: number; mean: number } {
    if (this.nonEmpty === 0) return { min: 0, max: 0, mean: 0 };
    return {
      min: this.minLen,
      max: this.maxLen,
      mean: Math.round((this.sumLen / this.nonEmpty) * 100) / 100,
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
