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
 * Threads: the accumulators run on the writer's thread, right after each insert, where the
 * values already are strings. With `thread` (a worker script), a table that reaches WARM_ROWS
 * rows starts a profiling thread (pass-thread.ts) that warms the decisions up on a snapshot
 * while the import goes on, then takes the final decisions warm: the writer's thread adds
 * 34 % instead of 45 % CPU at 1M × 12 (bench/RESULTS.md "Profiling"). Smaller imports decide
 * here.
 */
import type { DatasetStatus } from '../../../shared/api';
import type { ObserveTable, TableObserver } from '../import/writer';
import type { PassWorkerData } from './pass-protocol';
import { ProfileThread } from './pass-thread';
import { ProfileAccumulator, type PassResult, type ProfileColumn } from './profiler';

/** Columns followed at once over all tables of an import (SQLite's column limit, about). */
export const MAX_PASS_COLUMNS = 2000;
/** Rows of a table after which the profiling thread starts and warms up (once per import). */
export const WARM_ROWS = 20_000;

class TablePass implements TableObserver {
  acc: ProfileAccumulator | null;
  status: DatasetStatus | null = null;

  constructor(
    private readonly id: number,
    private readonly owner: ImportProfiles,
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
    const acc = this.acc;
    if (!acc) return;
    acc.row(values);
    if (acc.rows === this.owner.warmRows) this.owner.warm(acc);
  }

  end(status: DatasetStatus): void {
    this.status = status;
    if (status !== 'ready' && status !== 'incomplete') this.drop();
  }

  drop(): void {
    if (this.acc) this.budget.columns += this.acc.columns.length;
    this.acc = null;
  }

  take(thread: ProfileThread | null): PassResult | null {
    const acc = this.status === 'ready' || this.status === 'incomplete' ? this.acc : null;
    this.drop();
    if (!acc || !thread) return acc;
    const id = this.id;
    return {
      rows: acc.rows,
      columns: acc.columns,
      // Null when the thread failed: the same decisions, taken here.
      finish: async (dataset, opts) =>
        (await thread.decide(id, acc.snapshot(), dataset, opts.now)) ?? acc.finish(dataset, opts),
    };
  }
}

/** The accumulators of one import, by dataset id, until the post-import step takes them. */
export class ImportProfiles {
  private readonly tables = new Map<number, TablePass>();
  private readonly budget: { columns: number };
  private readonly sampleRecords: number | undefined;
  private readonly threadUrl: URL | null;
  private readonly threadTest: PassWorkerData['test'];
  private thread_: ProfileThread | null = null;
  readonly warmRows: number;

  /**
   * `sampleRecords` overrides SAMPLE_RECORDS (tests), as ProfileHooks.sampleRecords does;
   * `thread`: the profiling thread's script (else every decision is taken in this thread);
   * `warmRows` and `threadTest`: tests.
   */
  constructor(
    opts: {
      maxColumns?: number;
      sampleRecords?: number;
      thread?: URL | null;
      warmRows?: number;
      threadTest?: PassWorkerData['test'];
    } = {},
  ) {
    this.budget = { columns: opts.maxColumns ?? MAX_PASS_COLUMNS };
    this.sampleRecords = opts.sampleRecords;
    this.threadUrl = opts.thread ?? null;
    this.threadTest = opts.threadTest;
    this.warmRows = opts.warmRows ?? WARM_ROWS;
  }

  /** The profiling thread, once a table was large enough to start it. */
  get thread(): ProfileThread | null {
    return this.thread_;
  }

  /** First table to reach warmRows: start the thread and warm it up on this snapshot. */
  warm(acc: ProfileAccumulator): void {
    if (!this.threadUrl || this.thread_) return;
    this.thread_ = new ProfileThread(this.threadUrl, this.threadTest);
    this.thread_.warm(acc.snapshot());
  }

  /** The writer's hook (ImportOptions.observe). */
  readonly observe: ObserveTable = (datasetId) => {
    const t = new TablePass(datasetId, this, this.budget, this.sampleRecords);
    this.tables.set(datasetId, t);
    return t;
  };

  /**
   * The pass of a dataset whose rows it saw to the end of its import, or null (not followed,
   * dropped, or its import did not finish): the caller then reads the table.
   */
  take(datasetId: number): PassResult | null {
    const t = this.tables.get(datasetId);
    if (!t) return null;
    this.tables.delete(datasetId);
    return t.take(this.thread_);
  }

  /** Stops the profiling thread (the import job, once its post-import steps are done). */
  close(): void {
    this.thread_?.close();
  }
}
