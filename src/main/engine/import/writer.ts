/**
 * The RecordSink that writes what readers find into the case: one dataset (physical table
 * `ds_<id>`, columns `c_<n>`) per source table, rows with their provenance (ordinal, line, byte
 * offset), rejects with their reason and raw text.
 *
 * Writes go in batched transactions (BATCH_ROWS records); the dataset counters are updated in the
 * same transaction as the rows they count, so a process killed at any point leaves a case whose
 * counts match its rows, with the dataset still marked `importing` (turned into `interrupted` at
 * the next open). Only `finish()` marks datasets ready.
 *
 * Rows go to SQLite in batches of BULK_ROWS through the bulk-insert function when the connection
 * has it (bulk-insert.c, loaded by store/open.ts): one call per batch instead of one bound
 * statement per record. Pending rows are always written before the counters that count them
 * and before the commit, so the invariants above hold either way.
 */
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { DatasetStatus } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { sqlId } from '../store/sql';
import type { WritableDB } from '../store/types';
import { batchRecords, PendingRows, type RowBatch } from './row-batch';
import type { ColumnSpec, RecordLocation, RecordSink, RejectInfo } from './types';

export const BATCH_ROWS = 20_000;
/** SQLite's default SQLITE_MAX_COLUMN is 2000; we keep headroom for provenance columns. */
export const MAX_DATASET_COLUMNS = 1990;
const MAX_RAW = 64 * 1024;

interface TableState {
  datasetId: number;
  physical: string;
  columns: number;
  rows: number;
  rejected: number;
  nextOrdinal: number;
  /** Insert statements by value count (rows may be shorter than the column list). */
  inserts: Map<number, Statement>;
  /** Rows waiting for the bulk-insert call (null without the function). */
  pending: PendingRows | null;
  observer: TableObserver | null;
}

/**
 * Sees a table's stored rows as they are written, so the import's pass can profile them
 * (profile/import-pass.ts). Called after each insert, in insertion (= id) order; `end` gives
 * the table's final status, the last one wins (a failure after a member ended).
 */
export interface TableObserver {
  columns(columns: readonly { idx: number; name: string; path: string }[]): void;
  row(values: readonly (string | null)[]): void;
  /**
   * Instead of row() for each: `count` rows stored from a batch that another thread made from
   * its own parse (DatasetWriter.rows), which profiled them there; the observer only counts.
   */
  counted?(count: number): void;
  /** Instead of row() for each record of a batch another thread parsed, when it can. */
  batch?(batch: RowBatch): void;
  end(status: DatasetStatus): void;
}
/** `table`: the table's name as the reader declared it ('' for single-table formats). */
export type ObserveTable = (datasetId: number, table: string) => TableObserver | null;

export interface WriterCounts {
  records: number;
  rows: number;
  rejected: number;
}

export class DatasetWriter implements RecordSink {
  private readonly tables = new Map<string, TableState>();
  private readonly metaValues: Record<string, string | number | boolean> = {};
  private pending = 0;
  private inTxn = false;
  private orphanRejects = 0;
  private readonly insertReject: Statement;
  private readonly updateCounts: Statement;
  /** The bulk-insert call, or null when the connection lacks the function. */
  private readonly bulk: Statement | null;

  constructor(
    private readonly db: WritableDB,
    private readonly sourceId: number,
    /** Dataset name for a table: `<name>` for single-table formats, `<name>.<table>` otherwise. */
    private readonly datasetName: (table: string) => string,
    private readonly now: () => Date,
    /** Member of an archive the records come from, or null. */
    private readonly member: string | null = null,
    private readonly observe: ObserveTable | null = null,
  ) {
    this.insertReject = db.prepare(
      'INSERT INTO rejects (source_id, dataset_id, ordinal, line, offset, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateCounts = db.prepare('UPDATE datasets SET rows = ?, rejected = ? WHERE id = ?');
    this.bulk = bulkInsertStatement(db);
  }

  /** Whether rows go through the bulk-insert function (else one bound statement per record). */
  get bulkInsert(): boolean {
    return this.bulk !== null;
  }

  /** What the reader reported through meta(): delimiter, dialect, counts of quirks... */
  get details(): Readonly<Record<string, string | number | boolean>> {
    return this.metaValues;
  }

  counts(): WriterCounts {
    let rows = 0;
    let rejected = this.orphanRejects;
    for (const t of this.tables.values()) {
      rows += t.rows;
      rejected += t.rejected;
    }
    return { records: rows + rejected, rows, rejected };
  }

  datasetIds(): number[] {
    return [...this.tables.values()].map((t) => t.datasetId);
  }

  private begin(): void {
    if (!this.inTxn) {
      this.db.exec('BEGIN IMMEDIATE');
      this.inTxn = true;
    }
  }

  /** Commits the open batch with the counters that describe it. */
  flush(): void {
    if (!this.inTxn) return;
    for (const t of this.tables.values()) {
      this.writePending(t);
      this.updateCounts.run(t.rows, t.rejected, t.datasetId);
    }
    this.db.exec('COMMIT');
    this.inTxn = false;
    this.pending = 0;
  }

  /** Rolls back the open batch (used when an import fails mid-batch). */
  abortBatch(): void {
    for (const t of this.tables.values()) t.pending?.clear();
    if (this.inTxn) {
      this.db.exec('ROLLBACK');
      this.inTxn = false;
      this.pending = 0;
    }
  }

  private tick(): void {
    if (++this.pending >= BATCH_ROWS) this.flush();
  }

  columns(table: string, columns: readonly ColumnSpec[]): void {
    this.begin();
    let t = this.tables.get(table);
    if (!t) {
      t = this.createTable(table);
      this.tables.set(table, t);
    }
    if (t.columns + columns.length > MAX_DATASET_COLUMNS) {
      throw new LeakscopeError(
        'E_LIMIT',
        `table "${table || 'main'}" has more than ${MAX_DATASET_COLUMNS} columns, the limit of a dataset`,
      );
    }
    // Rows pending were counted against the old column list: write them first.
    this.writePending(t);
    const addColumn = this.db.prepare(
      'INSERT INTO dataset_columns (dataset_id, idx, name, path) VALUES (?, ?, ?, ?)',
    );
    const first = t.columns + 1;
    for (const c of columns) {
      t.columns++;
      this.db.exec(`ALTER TABLE ${sqlId(t.physical)} ADD COLUMN ${sqlId(`c_${t.columns}`)} TEXT`);
      addColumn.run(t.datasetId, t.columns, c.name, c.path);
    }
    t.observer?.columns(columns.map((c, i) => ({ idx: first + i, name: c.name, path: c.path })));
    // The table's shape changed: statements prepared before are stale.
    t.inserts.clear();
  }

  private createTable(table: string): TableState {
    const base = this.datasetName(table);
    const name = uniqueDatasetName(this.db, base);
    const info = this.db
      .prepare(
        "INSERT INTO datasets (source_id, name, source_table, source_member, physical, status, created_at) VALUES (?, ?, ?, ?, '', 'importing', ?)",
      )
      .run(this.sourceId, name, table, this.member, this.now().toISOString());
    const datasetId = Number(info.lastInsertRowid);
    const physical = `ds_${datasetId}`;
    this.db.prepare('UPDATE datasets SET physical = ? WHERE id = ?').run(physical, datasetId);
    this.db.exec(
      `CREATE TABLE ${sqlId(physical)} (id INTEGER PRIMARY KEY, ordinal INTEGER NOT NULL, line INTEGER, offset INTEGER NOT NULL)`,
    );
    return {
      datasetId,
      physical,
      columns: 0,
      rows: 0,
      rejected: 0,
      nextOrdinal: 0,
      inserts: new Map(),
      pending: this.bulk ? new PendingRows() : null,
      observer: this.observe?.(datasetId, table) ?? null,
    };
  }

  private insertFor(t: TableState, n: number): Statement {
    let stmt = t.inserts.get(n);
    if (!stmt) {
      const cols = ['ordinal', 'line', 'offset'];
      for (let i = 1; i <= n; i++) cols.push(`c_${i}`);
      const columnsSql = cols.map(sqlId).join(', ');
      const placeholders = cols.map(() => '?').join(', ');
      stmt = this.db.prepare(
        `INSERT INTO ${sqlId(t.physical)} (${columnsSql}) VALUES (${placeholders})`,
      );
      t.inserts.set(n, stmt);
    }
    return stmt;
  }

  row(table: string, values: readonly (string | null)[], loc: RecordLocation): void {
    const t = this.tables.get(table);
    if (!t)
      throw new LeakscopeError(
        'E_INTERNAL',
        `reader emitted a row for undeclared table "${table}"`,
      );
    if (values.length > t.columns) {
      // A reader bug, never silently truncated: keep the record as a reject.
      this.reject(table, {
        ...loc,
        reason: `record has ${values.length} values for ${t.columns} columns`,
        raw: JSON.stringify(values),
      });
      return;
    }
    this.begin();
    if (t.pending) {
      if (t.pending.push(t.nextOrdinal++, loc, values)) this.writePending(t);
    } else {
      this.insertFor(t, values.length).run(t.nextOrdinal++, loc.line, loc.offset, ...values);
    }
    t.rows++;
    t.observer?.row(values);
    this.tick();
  }

  /**
   * Records another thread read and gathered in the bulk-insert layout (their ordinals not set
   * yet), in the order it read them: the same rows, ordinals and counts as row() for each.
   */
  rows(table: string, batch: RowBatch): void {
    const t = this.tables.get(table);
    let fits = t?.pending != null;
    for (let r = 0; fits && r < batch.count; r++) fits = batch.heads[r * 4 + 3]! <= t!.columns;
    if (!t || !fits) {
      // No table (a reader bug, reported by row()), a record too wide (kept as a reject), or no
      // bulk-insert function: record by record.
      for (const [, line, offset, values] of batchRecords(batch))
        this.row(table, values, { line, offset });
      return;
    }
    this.begin();
    // Rows gathered here before come first: ids follow ordinals.
    this.writePending(t);
    for (let r = 0; r < batch.count; r++) batch.heads[r * 4] = t.nextOrdinal++;
    this.writeBatch(t, batch, null);
    t.rows += batch.count;
    const observer = t.observer;
    if (observer?.counted) observer.counted(batch.count);
    else if (observer?.batch) observer.batch(batch);
    else if (observer) for (const [, , , values] of batchRecords(batch)) observer.row(values);
    this.pending += batch.count;
    if (this.pending >= BATCH_ROWS) this.flush();
  }

  /** Writes a table's pending rows in one bulk-insert call. */
  private writePending(t: TableState): void {
    const p = t.pending;
    if (!p || p.count === 0) return;
    const values = p.values;
    this.writeBatch(t, p.take(), values);
  }

  /**
   * One bulk-insert call. `values`: the batch's values unjoined, when at hand (else its text is
   * split again, or its records are used) for a batch the function refuses.
   */
  private writeBatch(t: TableState, batch: RowBatch, values: readonly string[] | null): void {
    if (!batch.records) {
      try {
        this.bulk!.get(
          t.physical,
          Buffer.from(batch.heads.buffer, batch.heads.byteOffset, batch.heads.byteLength),
          batch.text,
          Buffer.from(batch.nulls.buffer, batch.nulls.byteOffset, batch.nulls.byteLength),
        );
        return;
      } catch (e) {
        // A value holding a NUL would shift the function's separators; it refused the batch
        // before writing any of it. Rare (binary junk in a dump): bind these records one by one.
        if ((e as { code?: string }).code !== 'SQLITE_MISMATCH') throw e;
      }
    }
    for (const [ordinal, line, offset, row] of batchRecords(batch, values ?? undefined))
      this.insertFor(t, row.length).run(ordinal, line, offset, ...row);
  }

  reject(table: string | null, info: RejectInfo): void {
    this.begin();
    const raw = info.raw.length > MAX_RAW ? `${info.raw.slice(0, MAX_RAW)}…` : info.raw;
    let t = table === null ? undefined : this.tables.get(table);
    if (table !== null && !t) {
      // A reject before the table's header (e.g. first tuple of an unknown table): create it empty.
      this.columns(table, []);
      t = this.tables.get(table)!;
    }
    if (t) {
      this.insertReject.run(
        this.sourceId,
        t.datasetId,
        t.nextOrdinal++,
        info.line,
        info.offset,
        info.reason,
        raw,
      );
      t.rejected++;
    } else {
      this.insertReject.run(this.sourceId, null, null, info.line, info.offset, info.reason, raw);
      this.orphanRejects++;
    }
    this.tick();
  }

  meta(key: string, value: string | number | boolean): void {
    this.metaValues[key] = value;
  }

  /** Final step: commit the last batch and give every dataset its final status. */
  finish(status: DatasetStatus): void {
    this.begin();
    const set = this.db.prepare('UPDATE datasets SET status = ? WHERE id = ?');
    for (const t of this.tables.values()) set.run(status, t.datasetId);
    this.flush();
    for (const t of this.tables.values()) t.observer?.end(status);
  }
}

/** Whether a writer on this connection writes rows in batches (and calls TableObserver.batch). */
export function writesBatches(db: WritableDB): boolean {
  return bulkInsertStatement(db) !== null;
}

/** The bulk-insert call when the connection has the function (store/open.ts loads it). */
function bulkInsertStatement(db: WritableDB): Statement | null {
  try {
    return db.prepare('SELECT leakscope_insert_rows(?, ?, ?, ?)').pluck();
  } catch {
    return null; // "no such function": not built for this platform, or not loaded.
  }
}

export function uniqueDatasetName(db: WritableDB, base: string): string {
  const exists = db.prepare('SELECT 1 FROM datasets WHERE name = ?');
  if (!exists.get(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base} (${i})`;
    if (!exists.get(candidate)) return candidate;
  }
}
