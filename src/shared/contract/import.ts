/**
 * import.* and datasets.* methods: streaming import of dump files with provenance and rejects.
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import type { MethodSpec } from './method-spec';

export const FormatId = z.enum(['csv', 'ndjson', 'json', 'sql', 'combo', 'xlsx']);
export type FormatId = z.infer<typeof FormatId>;

export const EncodingName = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'iso-8859-1', 'windows-1252']);
export type EncodingName = z.infer<typeof EncodingName>;

export const DatasetStatus = z.enum([
  'importing',
  'ready',
  'incomplete',
  'failed',
  'cancelled',
  'interrupted',
]);
export type DatasetStatus = z.infer<typeof DatasetStatus>;

export const DatasetColumn = z.object({ name: z.string(), path: z.string() });
export type DatasetColumn = z.infer<typeof DatasetColumn>;

/** DESIGN.md's dataset shape (fields may be added, never renamed). */
export const DatasetSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The table inside the source (SQL table, JSON array key), or null for single-table files. */
  table: z.string().nullable(),
  format: z.string(),
  encoding: z.string().nullable(),
  sha256: z.string().nullable(),
  bytes: z.number().int(),
  rows: z.number().int(),
  rejected: z.number().int(),
  /** True only when every record of the source was read and accounted for. */
  complete: z.boolean(),
  status: DatasetStatus,
  source: z.object({
    id: z.number().int(),
    fileName: z.string(),
    path: z.string(),
    /** Member inside an archive (zip), if any. */
    member: z.string().nullable(),
    compression: z.string().nullable(),
    mtime: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    message: z.string().nullable(),
  }),
  columns: z.array(DatasetColumn),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const ImportRequest = z
  .object({
    path: z.string().min(1).max(4096).describe('file to import (read, never modified)'),
    name: z.string().min(1).max(200).optional(),
    format: z.union([z.literal('auto'), FormatId]).default('auto'),
    encoding: z.union([z.literal('auto'), EncodingName]).default('auto'),
    /** SQL data dumps shipped without CREATE TABLE (Sakila): the companion schema file. */
    schema: z.string().min(1).max(4096).optional(),
    /** Delimited text: override the detected delimiter (one character). */
    delimiter: z.string().length(1).optional(),
    /** Delimited text: override whether the first line is a header. */
    header: z.boolean().optional(),
  })
  .strict();
export type ImportRequest = z.infer<typeof ImportRequest>;

export const ImportPreviewRequest = ImportRequest.omit({ name: true, schema: true })
  .extend({ limit: z.number().int().min(1).max(200).default(20) })
  .strict();
export type ImportPreviewRequest = z.infer<typeof ImportPreviewRequest>;

export const ImportPreview = z.object({
  path: z.string(),
  fileName: z.string(),
  bytes: z.number().int(),
  compression: z.string().nullable(),
  /** The archive member previewed (the first one), if any. */
  member: z.string().nullable(),
  format: FormatId,
  likelihood: z.number(),
  /** Every reader's score for the file's first bytes. */
  scores: z.record(z.string(), z.number()),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  header: z.boolean().nullable(),
  /** Everything else the reader detected (dialect, skipped title lines...). */
  meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  tables: z.array(
    z.object({
      table: z.string(),
      columns: z.array(z.string()),
      rows: z.array(z.array(z.string().nullable())),
      lines: z.array(z.number().int().nullable()),
    }),
  ),
  rejects: z.array(
    z.object({
      line: z.number().int().nullable(),
      offset: z.number(),
      reason: z.string(),
      raw: z.string(),
    }),
  ),
  /** True when the file holds more records than shown. */
  more: z.boolean(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportResult = z.object({
  datasets: z.array(DatasetSummary),
  recordsRead: z.number().int(),
  rows: z.number().int(),
  rejected: z.number().int(),
  truncated: z.boolean(),
  message: z.string(),
  seconds: z.number(),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const RejectRow = z.object({
  id: z.number().int(),
  dataset: z.string().nullable(),
  ordinal: z.number().int().nullable(),
  line: z.number().int().nullable(),
  offset: z.number().int(),
  reason: z.string(),
  raw: z.string(),
});
export type RejectRow = z.infer<typeof RejectRow>;

/** Progress of long work, throttled to a few events a second. */
export const JobProgress = z.object({
  step: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  records: z.number().int(),
  rejected: z.number().int(),
  rowsPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

const DatasetRef = z.string().min(1).max(300).describe('dataset name or numeric id');

export const importContract = {
  'datasets.list': {
    input: z.object({}).strict(),
    output: z.object({ datasets: z.array(DatasetSummary) }),
    description: 'List the datasets of the case with their provenance and columns',
    audit: false,
    needsCase: true,
  },
  'datasets.rejects': {
    input: z
      .object({
        dataset: DatasetRef,
        afterId: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ rejects: z.array(RejectRow), total: z.number().int() }),
    description: 'List the rejected (malformed) records of a dataset with line, offset and reason',
    audit: true,
    needsCase: true,
  },
  'import.preview': {
    input: ImportPreviewRequest,
    output: ImportPreview,
    description: 'Detect the format of a file and show its first records, writing nothing',
    audit: false,
    needsCase: false,
  },
  'import.run': {
    input: ImportRequest,
    output: ImportResult,
    description: 'Import a dump file into the case (streamed, in a worker, with progress)',
    audit: true,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;
