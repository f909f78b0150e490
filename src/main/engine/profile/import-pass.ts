/**
 * Profiling inside the import's pass: the import's writer hands every stored row to a
 * ProfileAccumulator while the values are still in hand (DatasetWriter's TableObserver), so the
 * post-import step only takes the decisions (detectors on the sample, consistency, summary) and
 * no longer reads the encrypted table back (a read that alone costs ~30% of the import).
 *
 * Same accumulator, same statistics as the read of the stored table (`profileDataset`): rows
 * arrive in id order with the stored values (NULL for missing trailing values), columns added
 * mid-import are NULL in earlier rows, and the doubling-stride sample needs no row count in
 * advance, so both ways give the same profile (test/integration/profile-import-pass.test.ts).
 *
 * A profile is only handed over for a table whose import ended as ready or incomplete (the
 * rows stored): a cancelled or failed import drops its accumulators, an interrupted one never
 * reaches the step. Memory stays bounded: accumulators are bounded per column, and at most
 * MAX_PASS_COLUMNS columns are followed at once (the widest table the post-import read would
 * hold); tables past that budget are profiled by the read after the import, as before.
 *
 * Thread: the accumulator runs on the writer's thread, right after each insert. The values are
 * already strings there; moving them to another thread costs a copy of every value, about what
 * the statistics themselves cost (bench/RESULTS.md "Profiling").
 */
import type { DatasetStatus } from '../../../shared/api';
import type { ObserveTable, TableObserver } from '../import/writer';
import { ProfileAccumulator, type ProfileColumn } from './profiler';

/** Columns followed at once over all tables of an import (SQLite's column limit, about). */
export const MAX_PASS_COLUMNS = 2000;

class TablePass implements TableObserver {
  acc: ProfileAccumulator | null;
  status: DatasetStatus | null = null;

  constructor(
    private readonly budget: { columns: number },
    sampleRecords: number | undefined,
  ) {
    this.acc = new ProfileAccumulator([], sampleRecords);
  }

  columns(columns: readonly ProfileColumn[]): void {
    if (!this.acc) return;
    if (this.budget.columns < columns.length) {
      this.drop();
      return;
    }
    this.budget.columns -= columns.length;
    this.acc.addColumns(columns);
  }

  row(values: readonly (string | null)[]): void {
    this.acc?.row(values);
  }

  end(status: DatasetStatus): void {
    this.status = status;
    if (status !== 'ready' && status !== 'incomplete') this.drop();
  }

  drop(): void {
    if (this.acc) this.budget.columns += this.acc.columns.length;
    this.acc = null;
  }
}

/** The accumulators of one import, by dataset id, until the post-import step takes them. */
export class ImportProfiles {
  private readonly tables = new Map<number, TablePass>();
  private readonly budget: { columns: number };
  private readonly sampleRecords: number | undefined;

  /** `sampleRecords` overrides SAMPLE_RECORDS (tests), as ProfileHooks.sampleRecords does. */
  constructor(opts: { maxColumns?: number; sampleRecords?: number } = {}) {
    this.budget = { columns: opts.maxColumns ?? MAX_PASS_COLUMNS };
    this.sampleRecords = opts.sampleRecords;
  }

  /** The writer's hook (ImportOptions.observe). */
  readonly observe: ObserveTable = (datasetId) => {
    const t = new TablePass(this.budget, this.sampleRecords);
    this.tables.set(datasetId, t);
    return t;
  };

  /**
   * The accumulator of a dataset whose rows it saw to the end of its import, or null (not
   * followed, dropped, or its import did not finish): the caller then reads the table.
   */
  take(datasetId: number): ProfileAccumulator | null {
    const t = this.tables.get(datasetId);
    if (!t) return null;
    this.tables.delete(datasetId);
    const acc = t.status === 'ready' || t.status === 'incomplete' ? t.acc : null;
    t.drop();
    return acc;
  }
}
