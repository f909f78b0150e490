/**
 * Value shapes: a value with each digit written `9`, each run of upper-case letters `A` (or
 * `A+` for a run of several), lower-case `a` / `a+`, and every other character as itself —
 * "06 12 34 56 78" → "99 99 99 99 99", "Jean.Dupont@gmail.com" → "Aa+.Aa+@a+.a+". Shapes show at
 * a glance how a column is written (one notation or several) without showing any value.
 */

const MAX_SHAPE = 48;

export function shapeOf(value: string): string {
  let out = '';
  let prev = '';
  let run = false;
  const n = Math.min(value.length, 200);
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    let cls: string;
    if (c >= 48 && c <= 57) cls = '9';
    else if ((c >= 65 && c <= 90) || (c >= 192 && c <= 222 && c !== 215)) cls = 'A';
    else if ((c >= 97 && c <= 122) || (c >= 223 && c <= 255 && c !== 247)) cls = 'a';
    else if (c > 255 && value[i]!.toLowerCase() !== value[i]!.toUpperCase()) {
      cls = value[i] === value[i]!.toUpperCase() ? 'A' : 'a';
    } else cls = value[i]!;
    // Digits are kept one by one (their count matters: 5-digit postal code, 15-digit NIR);
    // letter runs are folded, their length rarely matters and would explode the shape count.
    if ((cls === 'A' || cls === 'a') && cls === prev) {
      if (!run) {
        out += '+';
        run = true;
      }
    } else {
      out += cls;
      run = false;
    }
    prev = cls;
    if (out.length >= MAX_SHAPE) return `${out}…`;
  }
  if (value.length > n) out += '…';
  return out;
}

/** Counts shapes, keeping at most `cap` distinct ones (the rest are counted as "other"). */
export class ShapeCounter {
  private readonly counts = new Map<string, number>();
  private other = 0;

  constructor(private readonly cap = 500) {}

  add(value: string): void {
    const s = shapeOf(value);
    const c = this.counts.get(s);
    if (c !== undefined) this.counts.set(s, c + 1);
    else if (this.counts.size < this.cap) this.counts.set(s, 1);
    else this.other++;
  }

  top(n: number): { shape: string; count: number }[] {
    const out = [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([shape, count]) => ({ shape, count }));
    if (this.other > 0) out.push({ shape: '(other)', count: this.other });
    return out;
  }
}
