/**
 * Aggregates-only output (`output: 'aggregates'`, the `publish-statistics` policy): counts, never
 * records. For every column, how many selected records have a value; for the columns the policy
 * keeps, partly keeps or generalises, the distribution of their (redacted) values, with
 * small-cell suppression: categories under `minCount` records are merged into one "other" line,
 * and so is everything past the `maxCategories` largest.
 *
 * Memory is bounded: a column with more than MAX_TRACKED distinct redacted values stops being
 * tracked (an identifier, not a category) and is reported as such.
 */
import { PII_LABELS } from '../../../shared/pii';
import type { ColumnPlan, RedactionPlan } from '../redact/apply';

const MAX_TRACKED = 10_000;
const MASKED = /^[•\s]+$/u;
const MASKED_CATEGORY = '(masked: no generalised form)';
const DISTRIBUTED_OPS = new Set(['keep', 'partial', 'generalise']);

export interface AggregateRow {
  /** 'records' (one line), 'filled' (per column) or 'distribution' (per category). */
  measure: 'records' | 'filled' | 'distribution';
  column: string;
  kind: string;
  category: string;
  count: number;
  /** The column whose values the category is (for verification), or null. */
  plan: ColumnPlan | null;
}

export interface AggregateResult {
  rows: AggregateRow[];
  notes: string[];
  records: number;
}

export class Aggregator {
  private records = 0;
  private readonly filled: number[];
  private readonly counts: (Map<string, number> | null)[];
  /** Output position of each plan column (null: dropped). */
  private readonly distributed: boolean[];

  constructor(private readonly plan: RedactionPlan) {
    this.filled = plan.columns.map(() => 0);
    this.distributed = plan.columns.map((c) => DISTRIBUTED_OPS.has(c.rule.op));
    this.counts = plan.columns.map((_, i) => (this.distributed[i] ? new Map() : null));
  }

  /** One record: its original values (for fill counts) and its redacted output row. */
  add(values: readonly (string | null)[], output: readonly (string | null)[]): void {
    this.records++;
    let o = 0;
    this.plan.columns.forEach((c, i) => {
      const v = values[i];
      if (v !== null && v !== undefined && v.trim() !== '') this.filled[i]!++;
      if (c.output === null) return;
      const out = output[o++];
      const m = this.counts[i];
      if (!m) return;
      // Masked values (a value the rule could not generalise) all count as one category.
      const key =
        out === null || out === undefined || out.trim() === ''
          ? ''
          : MASKED.test(out)
            ? MASKED_CATEGORY
            : out;
      const n = m.get(key);
      if (n !== undefined) m.set(key, n + 1);
      else if (m.size < MAX_TRACKED) m.set(key, 1);
      else this.counts[i] = null;
    });
  }

  result(): AggregateResult {
    const { minCount, maxCategories } = this.plan.policy.aggregates;
    const rows: AggregateRow[] = [
      { measure: 'records', column: '', kind: '', category: '', count: this.records, plan: null },
    ];
    const notes: string[] = [];
    this.plan.columns.forEach((c, i) => {
      rows.push({
        measure: 'filled',
        column: c.name,
        kind: c.kind,
        category: '',
        count: this.filled[i]!,
        plan: null,
      });
    });
    this.plan.columns.forEach((c, i) => {
      if (!this.distributed[i]) return;
      const m = this.counts[i];
      if (!m) {
        notes.push(
          `column "${c.name}" (${PII_LABELS[c.kind]}) has too many distinct values to be counted by category`,
        );
        return;
      }
      const sorted = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      let other = 0;
      let otherCategories = 0;
      let shown = 0;
      for (const [category, count] of sorted) {
        if (count >= minCount && shown < maxCategories) {
          rows.push({
            measure: 'distribution',
            column: c.name,
            kind: c.kind,
            category: category === '' ? '(empty)' : category,
            count,
            plan: category === '' || category === MASKED_CATEGORY ? null : c,
          });
          shown++;
        } else {
          other += count;
          otherCategories++;
        }
      }
      if (other > 0) {
        rows.push({
          measure: 'distribution',
          column: c.name,
          kind: c.kind,
          category: `(other: ${otherCategories} categories under ${minCount} records or past the first ${maxCategories})`,
          count: other,
          plan: null,
        });
      }
    });
    return { rows, notes, records: this.records };
  }
}

export const AGGREGATE_HEADER = ['measure', 'column', 'kind', 'category', 'count'] as const;

export function aggregateCells(r: AggregateRow): (string | number)[] {
  return [r.measure, r.column, r.kind, r.category, r.count];
}
