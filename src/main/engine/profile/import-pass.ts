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
 * Threads: with `thread` (a worker script), an import whose source is THREAD_MIN_BYTES or more
 * profiles on a thread of its own (pass-thread.ts): the import forwards each member's bytes, the
 * thread parses them and counts the statistics there, and the writer's observers only count the
 * rows and columns they stored, against which the thread's profile is checked. In parse mode (a
 * writer that writes batches through the bulk-insert extension) the thread's parse also feeds
 * the writer (read()): nothing is parsed twice, and members of the formats whose parse is heavy
 * are profiled by the writer's observers (PROFILE_IN_WRITER) while the thread parses. XLSX
 * members (read by random access, never forwarded), small sources and imports without a thread
 * accumulate here, in the writer's thread.
 */
import type { DatasetStatus } from '../../../shared/api';
import type { RowBatch } from '../import/row-batch';
import type { BatchSink, MirroredMember, ReadMirror, ReadResult } from '../import/types';
import type { ObserveTable, TableObserver } from '../import/writer';
import { MAX_PASS_COLUMNS, THREAD_MIN_BYTES } from './pass-limits';
import type { PassMode, PassWorkerData } from './pass-protocol';
import { ProfileThread } from './pass-thread';
import { ProfileAccumulator, type PassResult, type ProfileColumn } from './profiler';

export { MAX_PASS_COLUMNS, THREAD_MIN_BYTES } from './pass-limits';

/**
 * Parse mode: formats whose parse is the larger part of the thread's work (JSON, NDJSON, SQL
 * dumps). Their profile is counted by the writer's observers, from the batches it writes, so the
 * two threads share the work; a CSV's parse is light and the thread profiles it. Measured on
 * the 2-core machine, 1M-row JSON back to back (bench/RESULTS.md, session 9): profile in the
 * writer 7.88, 7.93, 8.30 s; in the thread 8.35, 8.29, 8.44 s.
 */
const PROFILE_IN_WRITER: ReadonlySet<string> = new Set(['json', 'ndjson', 'sql']);

/** A table of the import as the pass follows it, until the post-import step takes it. */
interface PassTable extends TableObserver {
  take(): PassResult | null;
}

class TablePass implements PassTable {
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

  batch(batch: RowBatch): void {
    this.acc?.batch(batch);
  }

  end(status: DatasetStatus): void {
    this.status = status;
    if (status !== 'ready' && status !== 'incomplete') this.drop();
  }

  drop(): void {
    if (this.acc) this.budget.columns += this.acc.columns.length;
    this.acc = null;
  }

  take(): PassResult | null {
    const acc = this.status === 'ready' || this.status === 'incomplete' ? this.acc : null;
    this.drop();
    return acc;
  }
}

/**
 * A table of a member the profiling thread reads: here only the stored rows and columns are
 * counted, which the thread's counts must equal for its profile to be used.
 */
class ThreadTable implements PassTable {
  private rows = 0;
  private readonly columns_: ProfileColumn[] = [];
  private status: DatasetStatus | null = null;

  constructor(
    private readonly thread: ProfileThread,
    private readonly member: number,
    private readonly table: string,
  ) {}

  columns(columns: readonly ProfileColumn[]): void {
    this.columns_.push(...columns);
  }

  row(): void {
    this.rows++;
  }

  /** Parse mode: rows the thread read and gave the writer, which it profiled as it read them. */
  counted(count: number): void {
    this.rows += count;
  }

  end(status: DatasetStatus): void {
    this.status = status;
  }

  take(): PassResult | null {
    if (this.status !== 'ready' && this.status !== 'incomplete') return null;
    const { thread, member, table, rows } = this;
    const width = this.columns_.length;
    return {
      rows,
      columns: this.columns_,
      finish: (dataset, opts) => thread.profile(member, table, { rows, width }, dataset, opts.now),
    };
  }
}

/** The accumulators of one import, by dataset id, until the post-import step takes them. */
export class ImportProfiles implements ReadMirror {
  private readonly tables = new Map<number, PassTable>();
  private readonly budget: { columns: number };
  private readonly sampleRecords: number | undefined;
  private readonly threadUrl: URL | null;
  private readonly threadData: Omit<PassWorkerData, 'entry'>;
  private readonly minBytes: number;
  private readonly threadInFlight: number | undefined;
  private readonly mode: PassMode;
  private thread_: ProfileThread | null = null;
  /** Members announced so far; the current one, when the thread reads it. */
  private members = 0;
  private mirrored: number | null = null;
  /** Whether the thread profiles the current member (else the writer's observers do). */
  private profiledThere = false;

  /**
   * `sampleRecords` overrides SAMPLE_RECORDS (tests), as ProfileHooks.sampleRecords does;
   * `thread`: the profiling thread's script (else every table is counted in this thread);
   * `mode` (pass-protocol.ts): what the thread reads the forwarded bytes for, the profile alone
   * (bytes, the default) or the writer too (parse);
   * `minBytes` (THREAD_MIN_BYTES), `threadTest` and `threadInFlight`: tests.
   */
  constructor(
    opts: {
      maxColumns?: number;
      sampleRecords?: number;
      thread?: URL | null;
      minBytes?: number;
      threadTest?: PassWorkerData['test'];
      threadInFlight?: number;
      mode?: PassMode;
    } = {},
  ) {
    this.mode = opts.mode ?? 'bytes';
    this.budget = { columns: opts.maxColumns ?? MAX_PASS_COLUMNS };
    this.sampleRecords = opts.sampleRecords;
    this.threadUrl = opts.thread ?? null;
    this.minBytes = opts.minBytes ?? THREAD_MIN_BYTES;
    this.threadInFlight = opts.threadInFlight;
    this.threadData = {
      ...(opts.sampleRecords !== undefined ? { sampleRecords: opts.sampleRecords } : {}),
      ...(opts.maxColumns !== undefined ? { maxColumns: opts.maxColumns } : {}),
      ...(opts.threadTest ? { test: opts.threadTest } : {}),
    };
  }

  /** The profiling thread, once a source was large enough to start it. */
  get thread(): ProfileThread | null {
    return this.thread_;
  }

  /** What the import should be given (ImportOptions): the observer, and the mirror if any. */
  get importOptions(): { observe: ObserveTable; mirror: ReadMirror | null } {
    return { observe: this.observe, mirror: this.threadUrl ? this : null };
  }

  /** ReadMirror: the thread reads this member when the source is large enough and it is alive. */
  member(m: MirroredMember | null): boolean {
    const index = ++this.members;
    this.mirrored = null;
    if (!m || !this.threadUrl || m.sourceBytes < this.minBytes) return false;
    this.thread_ ??= new ProfileThread(this.threadUrl, this.threadData, this.threadInFlight);
    if (this.thread_.broken) return false;
    this.profiledThere = this.mode === 'bytes' || !PROFILE_IN_WRITER.has(m.format);
    this.thread_.member(index, m, this.mode, this.profiledThere);
    this.mirrored = index;
    return true;
  }

  /** Forwards the chunk; a promise when the import must wait for the thread. */
  chunk(bytes: Uint8Array): Promise<void> | undefined {
    if (this.mirrored === null) return undefined;
    return this.thread_!.chunk(this.mirrored, bytes);
  }

  /** Parse mode: the member is read by the thread, for the writer too (ProfileThread.read). */
  read(chunks: AsyncIterable<Uint8Array>, sink: BatchSink): Promise<ReadResult> | null {
    if (this.mode !== 'parse' || this.mirrored === null) return null;
    return this.thread_!.read(this.mirrored, chunks, sink);
  }

  memberEnd(cutShort: boolean): void {
    // Parse mode: read() ended the member.
    if (this.mirrored !== null && this.mode !== 'parse')
      this.thread_!.memberEnd(this.mirrored, cutShort);
    this.mirrored = null;
  }

  /** The writer's hook (ImportOptions.observe). */
  readonly observe: ObserveTable = (datasetId, table) => {
    const t =
      this.mirrored !== null && this.profiledThere
        ? new ThreadTable(this.thread_!, this.mirrored, table)
        : new TablePass(this.budget, this.sampleRecords);
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
    return t.take();
  }

  /** Stops the profiling thread (the import job, once its post-import steps are done). */
  close(): void {
    this.thread_?.close();
  }
}
