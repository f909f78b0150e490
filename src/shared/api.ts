/**
 * THE API contract: every method that crosses a process boundary (Electron IPC, the loopback
 * bridge, the CLI's calls into the engine) is declared here once, with zod schemas for its input
 * and output, a one-line description, and whether the engine writes an audit entry for it.
 *
 * The engine's router, the Electron IPC handlers, the bridge and the renderer's typed client are
 * all derived from this object (STYLE.md rule 3). Receivers validate every input with `input`.
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Domain schemas
// ---------------------------------------------------------------------------------------------

const Passphrase = z
  .string()
  .min(1, 'the passphrase must not be empty')
  .max(1024)
  .describe('case passphrase (never logged, never audited)');

const CasePath = z.string().min(1).max(4096).describe('path of the case file');

export const CaseInfo = z.object({
  path: z.string(),
  caseId: z.string(),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  appVersion: z.string(),
  cipher: z.object({
    name: z.literal('sqlcipher'),
    legacy: z.number().int(),
    kdfIter: z.number().int(),
  }),
  bytes: z.number().int(),
  datasets: z.number().int(),
  auditEntries: z.number().int(),
});
export type CaseInfo = z.infer<typeof CaseInfo>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  params: z.unknown(),
  result: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  /** seq of the first entry whose hash or link does not verify; null when the chain is intact. */
  firstBroken: z.number().int().nullable(),
  /** Plain-language reason for the first break. */
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

export const FormatId = z.enum(['csv', 'ndjson', 'json', 'sql', 'combo', 'xlsx']);
export type FormatId = z.infer<typeof FormatId>;

export const EncodingName = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'iso-8859-1', 'windows-1252']);
export type EncodingName = z.infer<typeof EncodingName>;

export const DatasetStatus = z.enum(['importing', 'ready', 'incomplete', 'failed', 'cancelled', 'interrupted']);
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
  })
  .strict();
export type ImportRequest = z.infer<typeof ImportRequest>;

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

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

export interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
  description: string;
  /** The engine appends a hash-chained audit entry after every successful call when true. */
  audit: boolean;
  /** Needs an open case (the router refuses with E_NO_CASE otherwise). */
  needsCase: boolean;
}

export const contract = {
  'case.create': {
    input: z.object({ path: CasePath, passphrase: Passphrase }).strict(),
    output: CaseInfo,
    description: 'Create a new encrypted case file and open it',
    audit: true,
    needsCase: false,
  },
  'case.open': {
    input: z.object({ path: CasePath, passphrase: Passphrase }).strict(),
    output: CaseInfo,
    description: 'Open an existing case file with its passphrase',
    audit: true,
    needsCase: false,
  },
  'case.info': {
    input: z.object({}).strict(),
    output: CaseInfo,
    description: 'Describe the open case: identity, schema version, cipher, size, contents',
    audit: false,
    needsCase: true,
  },
  'case.rekey': {
    input: z.object({ newPassphrase: Passphrase }).strict(),
    output: z.object({ rekeyed: z.literal(true) }),
    description: 'Re-encrypt the open case under a new passphrase',
    audit: true,
    needsCase: true,
  },
  'case.close': {
    input: z.object({}).strict(),
    output: z.object({ closed: z.boolean() }),
    description: 'Close (lock) the open case',
    audit: false,
    needsCase: false,
  },
  'audit.verify': {
    input: z.object({}).strict(),
    output: AuditVerifyResult,
    description: 'Recompute the audit hash chain and name the first broken entry',
    audit: true,
    needsCase: true,
  },
  'audit.list': {
    input: z
      .object({
        afterSeq: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ entries: z.array(AuditEntry) }),
    description: 'List audit entries in order',
    audit: false,
    needsCase: true,
  },
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
  'import.run': {
    input: ImportRequest,
    output: ImportResult,
    description: 'Import a dump file into the case (streamed, in a worker, with progress)',
    audit: true,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller passes (defaults optional). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (defaults applied). */
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Input keys that are never written to the audit log or any log. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['passphrase', 'newPassphrase']);
