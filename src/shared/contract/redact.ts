/**
 * policy.*, redact.* and export.* methods (issue 7): redaction policies saved in the case,
 * redacted previews of records, and verified exports (CSV, NDJSON, XLSX, HTML report) with their
 * manifest and history.
 *
 * Every export is audited with its policy, filter description, row count and the SHA-256 of the
 * file (the engine's AUDIT_SUMMARIES for export.run); previews are audited without their values.
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import { FilterNodeSchema } from '../filter';
import { PiiKind } from '../pii';
import { PolicyName, RedactionPolicy, RedactionRule } from '../redaction';
import type { MethodSpec } from './method-spec';

const DatasetRef = z.string().min(1).max(300).describe('dataset name or numeric id');
const FilePath = z.string().min(1).max(4096);

/** A policy by name (built-in or saved), or a whole policy document inline. */
export const PolicyRef = z
  .union([z.string().min(1).max(100), z.unknown()])
  .describe('a policy name, or a policy document');

export const PolicySummary = z.object({
  name: z.string(),
  builtIn: z.boolean(),
  description: z.string(),
  output: z.enum(['records', 'aggregates']),
  updatedAt: z.string().nullable(),
});
export type PolicySummary = z.infer<typeof PolicySummary>;

export const ExportFormat = z.enum(['csv', 'ndjson', 'xlsx', 'html']);
export type ExportFormat = z.infer<typeof ExportFormat>;
/** What the export history lists: the engine's formats, and PDFs of the report (the app). */
export const ExportHistoryFormat = z.enum(['csv', 'ndjson', 'xlsx', 'html', 'pdf']);
export type ExportHistoryFormat = z.infer<typeof ExportHistoryFormat>;

export const CsvDelimiter = z.enum([',', ';', '\t', '|']);

/** What one column becomes under a policy (preview, manifest, report). */
export const ColumnRedaction = z.object({
  name: z.string(),
  path: z.string(),
  /** Output name, null when the column is dropped. */
  output: z.string().nullable(),
  kind: PiiKind,
  kindSource: z.enum(['profile', 'header', 'values', 'none', 'policy']),
  confidence: z.number().nullable(),
  rule: RedactionRule,
  ruleSource: z.enum(['column', 'kind', 'default']),
  description: z.string(),
  mustRedact: z.boolean(),
});
export type ColumnRedaction = z.infer<typeof ColumnRedaction>;

export const ExportManifest = z.object({
  format: z.literal('leakscope.export-manifest'),
  version: z.literal(1),
  generator: z.object({ app: z.literal('Leakscope'), version: z.string() }),
  createdAt: z.string(),
  case: z.object({ id: z.string().nullable() }),
  dataset: z.object({
    id: z.number().int(),
    name: z.string(),
    table: z.string().nullable(),
    format: z.string(),
    encoding: z.string().nullable(),
    rows: z.number().int(),
    rejected: z.number().int(),
    complete: z.boolean(),
    source: z.object({
      fileName: z.string(),
      member: z.string().nullable(),
      sha256: z.string().nullable(),
      bytes: z.number().int(),
      mtime: z.string(),
      importedAt: z.string(),
      importFinishedAt: z.string().nullable(),
    }),
  }),
  selection: z.object({
    filter: z.unknown().nullable(),
    search: z.string().nullable(),
    sort: z.array(z.object({ column: z.string(), desc: z.boolean() })),
    session: z.string().nullable(),
    description: z.string(),
  }),
  policy: z.object({
    name: z.string(),
    builtIn: z.boolean(),
    description: z.string(),
    document: z.unknown(),
  }),
  columns: z.array(ColumnRedaction),
  output: z.object({
    format: ExportFormat,
    file: z.string(),
    content: z.enum(['records', 'aggregates']),
    /** Records written (aggregates: records counted). */
    rows: z.number().int(),
    /** SHA-256 of the canonical JSON lines of the rows written (the data, whatever the container). */
    rowsSha256: z.string(),
    /** SHA-256 of the file: in the sidecar of CSV/NDJSON; null inside HTML/XLSX (a file cannot hold its own hash: see the audit log and export history). */
    sha256: z.string().nullable(),
    bytes: z.number().int().nullable(),
    sampleRows: z.number().int().nullable(),
    csv: z.object({ delimiter: z.string(), bom: z.boolean() }).nullable(),
  }),
  verification: z.object({
    method: z.string(),
    redactedColumns: z.array(z.string()),
    tokenKinds: z.array(PiiKind),
  }),
  warnings: z.array(z.string()),
});
export type ExportManifest = z.infer<typeof ExportManifest>;

export const ExportRequest = z
  .object({
    dataset: DatasetRef.optional().describe('dataset (from the session when --session is given)'),
    format: ExportFormat,
    out: FilePath.describe('file to write (the parent folder must exist)'),
    /** Default: the session's policy with --session, else share-with-authority. */
    policy: PolicyRef.optional(),
    filter: FilterNodeSchema.optional(),
    search: z.string().min(1).max(500).optional(),
    sort: z
      .array(z.object({ column: z.string().min(1).max(1000), desc: z.boolean().default(false) }))
      .max(3)
      .default([]),
    session: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('a saved session: its dataset, filter, search and sort'),
    csv: z
      .object({ delimiter: CsvDelimiter.default(','), bom: z.boolean().default(false) })
      .default({ delimiter: ',', bom: false }),
    /** HTML: records shown in the report (redacted); 0 for none. */
    includeSample: z.number().int().min(0).max(1000).default(0),
    overwrite: z.boolean().default(false),
  })
  .strict()
  .refine((r) => r.dataset !== undefined || r.session !== undefined, 'give a dataset or a session')
  .refine(
    (r) => r.session === undefined || (r.filter === undefined && r.search === undefined),
    'a session brings its own filter and search: give one or the other',
  );
export type ExportRequest = z.input<typeof ExportRequest>;

export const ExportResult = z.object({
  out: z.string(),
  format: ExportFormat,
  rows: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  /** The sidecar manifest (CSV/NDJSON), or null when the manifest is inside the file. */
  manifestPath: z.string().nullable(),
  manifest: ExportManifest,
  verified: z.literal(true),
  description: z.string(),
  warnings: z.array(z.string()),
  seconds: z.number(),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const ExportHistoryEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  dataset: z.string(),
  format: ExportHistoryFormat,
  out: z.string(),
  policy: z.string(),
  description: z.string(),
  rows: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
});
export type ExportHistoryEntry = z.infer<typeof ExportHistoryEntry>;

export const PreviewRow = z.object({
  id: z.number().int(),
  ordinal: z.number().int(),
  line: z.number().int().nullable(),
  values: z.record(z.string(), z.string().nullable()),
});

export const PreviewResult = z.object({
  dataset: z.string(),
  policy: z.string(),
  output: z.enum(['records', 'aggregates']),
  columns: z.array(ColumnRedaction),
  rows: z.array(PreviewRow),
  /** The selection in plain language. */
  description: z.string(),
  profiled: z.boolean(),
  warnings: z.array(z.string()),
});
export type PreviewResult = z.infer<typeof PreviewResult>;

export const redactContract = {
  'policy.list': {
    input: z.object({}).strict(),
    output: z.object({ policies: z.array(PolicySummary) }),
    description: 'List the redaction policies: built-in ones and those saved in the case',
    audit: false,
    needsCase: true,
  },
  'policy.get': {
    input: z.object({ name: z.string().min(1).max(100) }).strict(),
    output: z.object({ policy: RedactionPolicy, builtIn: z.boolean(), text: z.string() }),
    description: 'One redaction policy with its plain-language description',
    audit: false,
    needsCase: true,
  },
  'policy.save': {
    input: z.object({ policy: z.unknown(), overwrite: z.boolean().default(true) }).strict(),
    output: z.object({ name: PolicyName, created: z.boolean() }),
    description: 'Save (or replace) a redaction policy in the case',
    audit: true,
    needsCase: true,
  },
  'policy.delete': {
    input: z.object({ name: z.string().min(1).max(100) }).strict(),
    output: z.object({ deleted: z.boolean() }),
    description: 'Delete a saved redaction policy (built-in ones cannot be deleted)',
    audit: true,
    needsCase: true,
  },
  'policy.import': {
    input: z.object({ path: FilePath, overwrite: z.boolean().default(false) }).strict(),
    output: z.object({ name: PolicyName, created: z.boolean() }),
    description: 'Import a redaction policy from a JSON file and save it in the case',
    audit: true,
    needsCase: true,
  },
  'policy.export': {
    input: z
      .object({
        name: z.string().min(1).max(100),
        path: FilePath,
        overwrite: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ path: z.string(), bytes: z.number().int() }),
    description:
      'Write a redaction policy to a JSON file (policies hold no record value and no key)',
    audit: true,
    needsCase: true,
  },
  'redact.preview': {
    input: z
      .object({
        dataset: DatasetRef,
        policy: PolicyRef.default('share-with-authority'),
        filter: FilterNodeSchema.optional(),
        search: z.string().min(1).max(500).optional(),
        limit: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
    output: PreviewResult,
    description:
      'The first records of a dataset read through a redaction policy (the policy editor)',
    audit: true,
    needsCase: true,
  },
  'export.run': {
    input: ExportRequest,
    output: ExportResult,
    description:
      'Export a dataset, a filtered subset or a saved session through a redaction policy (CSV, NDJSON, XLSX, HTML report), verified before it is kept',
    audit: true,
    needsCase: true,
  },
  'export.history': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: z.object({ exports: z.array(ExportHistoryEntry) }),
    description: 'The exports made from this case, newest first',
    audit: false,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;
