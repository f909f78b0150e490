/**
 * One export, start to finish, inside a job worker (jobs/registry.ts kind 'export'):
 *
 *   1. select the records (source.ts), plan the policy over the columns' kinds (redact/),
 *   2. write the format to `<out>.partial`, redacting each record and indexing the original
 *      values of the redacted columns for verification,
 *   3. verify: read the partial file back (own parsers; the project's XLSX reader for XLSX) in
 *      lockstep with a second run of the selection, and confirm candidates (verify.ts),
 *   4. only then hash the file, write the sidecar manifest (CSV / NDJSON), and rename both into
 *      place. Any failure, cancellation included, deletes the partial files: a refused export
 *      leaves nothing on disk.
 *
 * Memory stays flat: records stream from SQLite to the file; the only buffers are the writer's
 * 1 MiB, the bounded Bloom filter, and the HTML sample (≤ 1000 records).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import type { JobProgress } from '../../../shared/api';
import type { ExportFormat, ExportManifest } from '../../../shared/contract/redact';
import { LeakscopeError } from '../../../shared/errors';
import type { FilterNode } from '../../../shared/filter';
import { describePolicy, type RedactionPolicy } from '../../../shared/redaction';
import { findDataset } from '../import/repo';
import { xlsxReader } from '../import/readers/xlsx';
import type { RecordSink } from '../import/types';
import { loadProfile } from '../profile/store';
import {
  planRedaction,
  rowTransformer,
  type ColumnPlan,
  type RedactionPlan,
} from '../redact/apply';
import { RedactionKeys, loadCaseSecret } from '../redact/keys';
import { columnKinds } from '../redact/kinds';
import type { ReadableDB } from '../store/types';
import { AGGREGATE_HEADER, Aggregator, aggregateCells, type AggregateResult } from './aggregates';
import { CsvWriter, readCsvRecords, type CsvDelimiter } from './csv';
import { ReportWriter, readReportBack, type ReportData } from './html';
import { linkageFigures } from './linkage';
import { buildManifest, manifestLines } from './manifest';
import { NdjsonWriter, readNdjsonRecords } from './ndjson';
import { FileSink, partialPath, publish, sha256File } from './sink';
import { openSource, type SourceRecord } from './source';
import { VerificationFailed, RawIndex, Verifier, type Where } from './verify';
import { XLSX_MAX_ROWS, XlsxWriter } from './xlsx';

export interface ExportJobInput {
  dataset: string;
  filter?: FilterNode | undefined;
  search?: string | undefined;
  sort: { column: string; desc: boolean }[];
  session: string | null;
  /** A session's visible columns (name or path); the others are left out. Null: all. */
  visible: string[] | null;
  format: ExportFormat;
  /** Absolute path of the file to produce. */
  out: string;
  policy: RedactionPolicy;
  csv: { delimiter: CsvDelimiter; bom: boolean };
  sample: number;
  appVersion: string;
  /** Export time (ISO): manifest, age bands, zip timestamps. */
  now: string;
}

export interface ExportJobResult {
  out: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
  sha256: string;
  manifestPath: string | null;
  manifest: ExportManifest;
  verified: true;
  description: string;
  warnings: string[];
  seconds: number;
  datasetId: number;
  datasetName: string;
}

export interface ExportHooks {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

const PROVENANCE = ['_ordinal', '_line'] as const;
const YIELD_EVERY = 10_000;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function sidecarPath(out: string): string {
  return `${out}.manifest.json`;
}

/** Output header names: provenance first, then the kept columns, all distinct. */
function headerNames(plan: RedactionPlan): string[] {
  const used = new Set<string>(PROVENANCE);
  const names: string[] = [...PROVENANCE];
  for (const c of plan.outputColumns) {
    let n = c.output!;
    for (let k = 2; used.has(n); k++) n = `${c.output} (${k})`;
    used.add(n);
    names.push(n);
  }
  return names;
}

class Progress {
  private last = 0;
  private readonly started = performance.now();

  constructor(
    private readonly hooks: ExportHooks,
    private readonly total: number,
  ) {}

  report(step: string, done: number, bytes: number, force = false): void {
    const t = performance.now();
    if (!force && t - this.last < 250) return;
    this.last = t;
    const seconds = (t - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    this.hooks.onProgress?.({
      step,
      bytesDone: bytes,
      bytesTotal: 0,
      records: done,
      rejected: 0,
      rowsPerSecond: Math.round(rate),
      etaSeconds: rate > 0 && this.total >= done ? (this.total - done) / rate : null,
    });
  }
}

function checkCancel(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LeakscopeError('E_CANCELLED', 'export cancelled');
}

const READ_CHUNK = 4 << 20;

/** The SHA-256 and size of the bytes a read-back went through (the file as a reader gets it). */
class FileHash {
  private readonly hash = createHash('sha256');
  bytes = 0;
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }
  digest(): { sha256: string; bytes: number } {
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}

/**
 * Text chunks of a UTF-8 file, streamed; when given `hash`, the bytes are hashed in the same
 * pass, so the file's SHA-256 needs no read of its own.
 */
async function* fileText(path: string, hash?: FileHash): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    hash?.update(chunk as Buffer);
    yield decoder.decode(chunk as Buffer, { stream: true });
  }
  const rest = decoder.decode();
  if (rest.length) yield rest;
}

/**
 * SHA-256 of the rows written, as canonical JSON lines (`rowsSha256` of the manifest), fed to
 * the hash in 1 MiB batches rather than one native call per row.
 */
class RowsHash {
  private readonly hash = createHash('sha256');
  private pending = '';

  add(cells: readonly (string | number | null)[]): void {
    this.pending += `${JSON.stringify(cells)}\n`;
    if (this.pending.length >= 1 << 20) {
      this.hash.update(this.pending);
      this.pending = '';
    }
  }

  digest(): string {
    if (this.pending.length) this.hash.update(this.pending);
    this.pending = '';
    return this.hash.digest('hex');
  }
}

interface Written {
  rows: number;
  rowsSha256: string;
  sampleRows: number | null;
  aggregates: AggregateResult | null;
  truncatedCells: number;
}

export async function runExport(
  db: ReadableDB,
  input: ExportJobInput,
  hooks: ExportHooks = {},
): Promise<ExportJobResult> {
  const started = performance.now();
  const now = new Date(input.now);
  const summary = findDataset(db, input.dataset);
  const source = openSource(db, input);
  const kinds = columnKinds(db, { id: summary.id, physical: summary.physical });
  const plan = planRedaction(
    input.policy,
    kinds.columns,
    input.visible ? new Set(input.visible) : undefined,
  );
  let keys: RedactionKeys | null = null;
  if (plan.needsKeys) {
    const secret = loadCaseSecret(db);
    if (!secret) throw new LeakscopeError('E_INTERNAL', 'the case has no pseudonym secret yet');
    keys = new RedactionKeys(secret);
  }
  const transform = rowTransformer(plan, keys, now);
  const warnings = [...plan.warnings, ...source.notes];
  if (!kinds.profiled) {
    warnings.push(
      'the dataset has not been profiled: kinds of data were read from column names and a sample of values',
    );
  }
  // The whole dataset: its record count is known (counting would read every page once more).
  const total =
    input.filter === undefined && input.search === undefined ? summary.rows : source.count();
  const index = new RawIndex(total * Math.max(1, plan.columns.filter((c) => c.scanRaw).length) * 2);
  const verifier = new Verifier(plan, index, now, () => source.records(undefined, true));
  const progress = new Progress(hooks, total);
  const caseId =
    (
      db.prepare("SELECT value FROM case_meta WHERE key = 'case_id'").get() as
        { value: string } | undefined
    )?.value ?? null;

  const out = input.out;
  const partial = partialPath(out);
  const sidecar = input.format === 'csv' || input.format === 'ndjson' ? sidecarPath(out) : null;
  const sidecarPartial = sidecar ? partialPath(sidecar) : null;
  const sink = new FileSink(partial);
  let sidecarSink: FileSink | null = null;
  const header = headerNames(plan);
  const aggregatesMode = plan.policy.output === 'aggregates';

  // Where each scanned column's redacted value sits in the output row (for reduced forms).

  const manifestFor = (w: Written, file: { sha256: string; bytes: number } | null) =>
    buildManifest({
      createdAt: input.now,
      appVersion: input.appVersion,
      caseId,
      dataset: summary,
      selection: {
        filter: input.filter,
        search: input.search,
        sort: input.sort,
        session: input.session,
        description: source.description,
      },
      plan,
      format: input.format,
      out,
      rows: w.rows,
      rowsSha256: w.rowsSha256,
      file,
      sampleRows: w.sampleRows,
      csv: input.format === 'csv' ? input.csv : null,
      warnings: w.truncatedCells
        ? [
            ...warnings,
            `${w.truncatedCells} cells were longer than Excel's 32,767 characters and were cut`,
          ]
        : warnings,
    });

  try {
    // ---- 1. Write.
    const written = await writeOutput();
    sink.close();
    progress.report('export', written.rows, sink.position, true);

    // ---- 2. Verify.
    const readBack = await verifyOutput(written);
    if (verifier.needsConfirmation) {
      let n = 0;
      for (const rec of source.records(undefined, true)) {
        verifier.confirm(rec);
        if (++n % YIELD_EVERY === 0) {
          checkCancel(hooks.signal);
          progress.report('verify', n, 0);
          await tick();
        }
      }
    }
    verifier.finish();

    // ---- 3. Hash, manifest, publish (a cancel that arrived during verification still wins).
    checkCancel(hooks.signal);
    // CSV, NDJSON and HTML were hashed as verification read them back; XLSX is read by the
    // importer's reader (random access), so it is hashed here.
    const file = readBack ?? sha256File(partial);
    const manifest = manifestFor(written, sidecar ? file : null);
    if (sidecar && sidecarPartial) {
      const text = `${JSON.stringify(manifest, null, 2)}\n`;
      verifier.text(text, 'the manifest');
      verifier.finish();
      sidecarSink = new FileSink(sidecarPartial);
      sidecarSink.write(text);
      sidecarSink.close();
    }
    publish([
      { from: partial, to: out },
      ...(sidecar && sidecarPartial ? [{ from: sidecarPartial, to: sidecar }] : []),
    ]);
    progress.report('done', written.rows, file.bytes, true);
    return {
      out,
      format: input.format,
      rows: written.rows,
      bytes: file.bytes,
      sha256: file.sha256,
      manifestPath: sidecar,
      manifest,
      verified: true,
      description: source.description,
      warnings: manifest.warnings,
      seconds: (performance.now() - started) / 1000,
      datasetId: summary.id,
      datasetName: summary.name,
    };
  } catch (e) {
    sink.discard();
    sidecarSink?.discard();
    if (sidecarPartial) rmSync(sidecarPartial, { force: true });
    if (e instanceof VerificationFailed) {
      throw new LeakscopeError('E_FORBIDDEN', `export refused, nothing was written: ${e.message}`, {
        findings: e.findings.map((f) => f.reason),
      });
    }
    throw e;
  }

  // ------------------------------------------------------------------------------------------
  // Writing.

  /**
   * The write pass. With `keep` false (every format but the HTML report, whose sample keeps
   * output rows), the record and output row objects are reused from one record to the next.
   */
  async function eachRecord(
    fn: (rec: SourceRecord, outRow: (string | null)[], i: number) => void,
    keep = false,
  ): Promise<number> {
    let i = 0;
    const scratch = keep ? undefined : new Array<string | null>(plan.outputColumns.length);
    for (const rec of source.records(undefined, !keep)) {
      const outRow = transform(rec.values, scratch);
      verifier.indexRow(rec.values, outRow);
      fn(rec, outRow, i);
      i++;
      if (i % YIELD_EVERY === 0) {
        checkCancel(hooks.signal);
        progress.report('export', i, sink.position);
        await tick();
      }
    }
    return i;
  }

  async function writeOutput(): Promise<Written> {
    const rowsHash = new RowsHash();
    const hashRow = (cells: readonly (string | number | null)[]) => rowsHash.add(cells);
    if (input.format === 'html') return writeHtml(rowsHash, hashRow);
    if (aggregatesMode) {
      const agg = new Aggregator(plan);
      const rows = await eachRecord((rec, outRow) => agg.add(rec.values, outRow));
      const result = agg.result();
      const cells = result.rows.map(aggregateCells);
      cells.forEach(hashRow);
      if (input.format === 'csv') {
        const w = new CsvWriter(sink, input.csv);
        w.row([...AGGREGATE_HEADER]);
        for (const c of cells) w.row(c);
      } else if (input.format === 'ndjson') {
        const w = new NdjsonWriter(sink, AGGREGATE_HEADER);
        for (const c of cells) w.row(c);
      } else {
        const x = new XlsxWriter(sink, now);
        x.beginSheet('Aggregates', AGGREGATE_HEADER, [14, 30, 18, 40, 12]);
        for (const c of cells) x.row(c);
        const w: Written = {
          rows,
          rowsSha256: rowsHash.digest(),
          sampleRows: null,
          aggregates: result,
          truncatedCells: 0,
        };
        writeManifestSheet(x, w);
        x.finish();
        return w;
      }
      return {
        rows,
        rowsSha256: rowsHash.digest(),
        sampleRows: null,
        aggregates: result,
        truncatedCells: 0,
      };
    }
    // One row array for the whole file: the writers and the hash consume it synchronously.
    const cells = new Array<string | number | null>(header.length);
    const fill = (rec: SourceRecord, outRow: readonly (string | null)[]) => {
      cells[0] = rec.ordinal;
      cells[1] = rec.line;
      for (let k = 0; k < outRow.length; k++) cells[k + 2] = outRow[k]!;
      return cells;
    };
    if (input.format === 'csv') {
      const w = new CsvWriter(sink, input.csv);
      w.row(header);
      const rows = await eachRecord((rec, outRow) => {
        fill(rec, outRow);
        hashRow(cells);
        w.row(cells);
      });
      return {
        rows,
        rowsSha256: rowsHash.digest(),
        sampleRows: null,
        aggregates: null,
        truncatedCells: 0,
      };
    }
    if (input.format === 'ndjson') {
      const w = new NdjsonWriter(sink, header);
      const rows = await eachRecord((rec, outRow) => {
        fill(rec, outRow);
        hashRow(cells);
        w.row(cells);
      });
      return {
        rows,
        rowsSha256: rowsHash.digest(),
        sampleRows: null,
        aggregates: null,
        truncatedCells: 0,
      };
    }
    // XLSX: data sheets of at most 1,048,575 records under their header, then the manifest.
    const x = new XlsxWriter(sink, now);
    const widths = header.map((h, i) => (i < 2 ? 10 : Math.min(40, Math.max(12, h.length + 2))));
    let sheet = 1;
    x.beginSheet('Data', header, widths);
    const rows = await eachRecord((rec, outRow) => {
      if (x.rowsInSheet >= XLSX_MAX_ROWS) {
        sheet++;
        x.beginSheet(`Data ${sheet}`, header, widths);
      }
      fill(rec, outRow);
      hashRow(cells);
      x.row(cells);
    });
    const w: Written = {
      rows,
      rowsSha256: rowsHash.digest(),
      sampleRows: null,
      aggregates: null,
      truncatedCells: x.truncated,
    };
    writeManifestSheet(x, w);
    x.finish();
    return w;
  }

  function writeManifestSheet(x: XlsxWriter, w: Written): void {
    x.beginSheet('Manifest', ['field', 'value'], [28, 120]);
    for (const line of manifestLines(manifestFor(w, null))) x.row(line);
  }

  async function writeHtml(
    rowsHash: RowsHash,
    hashRow: (cells: readonly (string | number | null)[]) => void,
  ): Promise<Written> {
    const agg = aggregatesMode ? new Aggregator(plan) : null;
    const sampleMax = aggregatesMode ? 0 : input.sample;
    const sample: { ordinal: number; cells: (string | null)[] }[] = [];
    const rows = await eachRecord((rec, outRow) => {
      agg?.add(rec.values, outRow);
      if (sample.length < sampleMax) sample.push({ ordinal: rec.ordinal, cells: outRow });
    }, true);
    const aggregates = agg ? agg.result() : null;
    if (aggregates) aggregates.rows.map(aggregateCells).forEach(hashRow);
    for (const s of sample) hashRow([s.ordinal, ...s.cells]);
    const w: Written = {
      rows,
      rowsSha256: rowsHash.digest(),
      sampleRows: aggregatesMode ? null : sample.length,
      aggregates,
      truncatedCells: 0,
    };
    const profile = loadProfileSafe(db, summary.id);
    const data: ReportData = {
      createdAt: input.now,
      appVersion: input.appVersion,
      caseId,
      dataset: summary,
      profile,
      plan,
      policyText: describePolicy(plan.policy),
      selection: {
        description: source.description,
        notes: source.notes,
        rows,
        session: input.session,
      },
      linkage: linkageFigures(db, { id: summary.id, name: summary.name, rows: summary.rows }),
      aggregates,
      manifest: manifestFor(w, null),
      warnings,
    };
    const report = new ReportWriter(data, (s) => sink.write(s));
    const columns = sampleMax > 0 ? plan.outputColumns : null;
    report.head(columns);
    for (const s of sample) report.sampleRow(s.ordinal, s.cells);
    report.tail(columns, sample.length);
    return w;
  }

  // ------------------------------------------------------------------------------------------
  // Verification.

  /**
   * Reads the partial file back and verifies it; returns its SHA-256 and size when the bytes went
   * through this read (CSV, NDJSON, HTML), null otherwise.
   */
  async function verifyOutput(w: Written): Promise<{ sha256: string; bytes: number } | null> {
    const fileHash = new FileHash();
    if (input.format === 'html') {
      const bytes = readFileSync(partial);
      fileHash.update(bytes);
      const html = new TextDecoder('utf-8').decode(bytes);
      const content = readReportBack(html, plan.outputColumns.length);
      if (content.sample.length !== (w.sampleRows ?? 0)) {
        throw new LeakscopeError(
          'E_INTERNAL',
          'verification could not read the report sample back',
        );
      }
      const it = source.records(content.sample.length);
      content.sample.forEach((cells, i) => {
        const rec = it.next();
        if (rec.done)
          throw new LeakscopeError('E_INTERNAL', 'verification lost track of the records');
        verifier.record(
          cells.map((text, k) => ({ text, column: plan.outputColumns[k] ?? null })),
          rec.value,
          `sample row ${i + 1}`,
        );
      });
      it.return?.();
      for (const t of content.texts) verifier.text(t, 'the report text');
      for (const a of content.attributes) verifier.text(a, 'the report markup');
      // Aggregate categories are values of their column: searched as that column's.
      for (const r of w.aggregates?.rows ?? []) {
        if (r.plan) verifier.text(r.category, `the aggregates of column "${r.column}"`, r.plan);
      }
      return fileHash.digest();
    }
    if (aggregatesMode) {
      const agg = w.aggregates!;
      const check = (cells: readonly (string | number | null)[], i: number) => {
        const r = agg.rows[i];
        if (!r) throw new LeakscopeError('E_INTERNAL', 'the aggregates read back do not match');
        for (const v of cells) {
          if (typeof v === 'string' && v.length) {
            verifier.text(v, `aggregate line ${i + 1}`, v === r.category ? r.plan : null);
          }
        }
      };
      let i = 0;
      if (input.format === 'csv') {
        let first = true;
        for await (const rec of readCsvRecords(fileText(partial, fileHash), input.csv.delimiter)) {
          if (first) {
            first = false;
            continue;
          }
          check(rec, i++);
        }
      } else if (input.format === 'ndjson') {
        for await (const rec of readNdjsonRecords(fileText(partial, fileHash), AGGREGATE_HEADER))
          check(rec, i++);
      } else {
        const tables = await readXlsxBack(partial);
        for (const rec of tables.get('Aggregates') ?? []) check(rec, i++);
        for (const rec of tables.get('Manifest') ?? [])
          for (const v of rec) if (v) verifier.text(v, 'the manifest sheet');
      }
      if (i !== agg.rows.length)
        throw new LeakscopeError('E_INTERNAL', 'the aggregates read back do not match');
      return input.format === 'xlsx' ? null : fileHash.digest();
    }
    let i = 0;
    // The selection's ids and ordinals in lockstep with the file: each output record is checked
    // against its own source record, which is read (by id) only when one of its tokens hits.
    const it = source.keys();
    const lost = () =>
      new LeakscopeError(
        'E_INTERNAL',
        'verification lost track of the records (the file does not read back as written)',
      );
    const step = (values: readonly (string | number | null)[], where: Where): void => {
      const key = it.next();
      if (key.done || String(values[0]) !== String(key.value[1])) throw lost();
      const id = key.value[0];
      verifier.recordRow(values, PROVENANCE.length, () => source.get(id) ?? lostRecord(), where);
      i++;
    };
    const lostRecord = (): never => {
      throw lost();
    };
    const pause = async (): Promise<void> => {
      if (i % YIELD_EVERY === 0) {
        checkCancel(hooks.signal);
        progress.report('verify', i, 0);
        await tick();
      }
    };
    const isHeader = (values: readonly (string | null)[]) =>
      values.length === header.length && values.every((v, k) => v === header[k]);
    try {
      if (input.format === 'csv') {
        let first = true;
        for await (const rec of readCsvRecords(fileText(partial, fileHash), input.csv.delimiter)) {
          if (first) {
            first = false;
            if (!isHeader(rec)) {
              throw new LeakscopeError(
                'E_INTERNAL',
                'the CSV header does not read back as written',
              );
            }
            continue;
          }
          const line = i + 2;
          step(rec, () => `line ${line}`);
          await pause();
        }
      } else if (input.format === 'ndjson') {
        for await (const rec of readNdjsonRecords(fileText(partial, fileHash), header)) {
          const line = i + 1;
          step(rec, () => `line ${line}`);
          await pause();
        }
      } else {
        // The reader calls back synchronously and yields on its own reads (cancel gets through).
        const seen = new Map<string, number>();
        await readXlsxBack(partial, (table, values) => {
          if (table === 'Manifest') {
            for (const v of values) if (v) verifier.text(v, 'the manifest sheet');
            return;
          }
          const n = (seen.get(table) ?? 0) + 1;
          seen.set(table, n);
          // A header the reader took for data (names that look like numbers or dates).
          if (n === 1 && isHeader(values)) return;
          checkCancel(hooks.signal);
          step(values, () => `sheet "${table}", record ${n}`);
        });
      }
    } finally {
      it.return?.();
    }
    if (i !== w.rows) {
      throw new LeakscopeError(
        'E_INTERNAL',
        `verification read ${i} records back, ${w.rows} were written`,
      );
    }
    return input.format === 'xlsx' ? null : fileHash.digest();
  }
}

function loadProfileSafe(db: ReadableDB, datasetId: number) {
  try {
    return loadProfile(db, datasetId);
  } catch {
    return null;
  }
}

/**
 * Reads an XLSX we wrote with the project's own reader (the importer's), handing every record
 * (header rows skipped) to `onRow`, or collecting them by sheet when no callback is given.
 */
async function readXlsxBack(
  path: string,
  onRow?: (table: string, values: (string | null)[]) => void,
): Promise<Map<string, (string | null)[][]>> {
  const collected = new Map<string, (string | null)[][]>();
  const sink: RecordSink = {
    columns() {},
    row(table, values) {
      const v = [...values];
      if (onRow) onRow(table, v);
      else {
        const list = collected.get(table) ?? [];
        list.push(v);
        collected.set(table, list);
      }
    },
    reject(_table, info) {
      throw new LeakscopeError('E_INTERNAL', `the XLSX written does not read back: ${info.reason}`);
    },
    meta() {},
  };
  const result = await xlsxReader.readFile!(path, {}, sink);
  if (result.truncated) {
    throw new LeakscopeError(
      'E_INTERNAL',
      `the XLSX written does not read back: ${result.truncatedReason ?? 'truncated'}`,
    );
  }
  return collected;
}

export type { ColumnPlan };
