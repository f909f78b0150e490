/**
 * rows.* methods: the query layer over one dataset (STYLE.md rule 11, Datasette-style): a filter
 * AST, a full-text search, a sort, keyset pages with opaque cursors, counts that say whether they
 * are exact, time-bounded facets, one record with its provenance, and on-demand column indexes.
 *
 * Reading records is an audited action; the audit entry holds the filter's description and
 * counts, never record values (the engine's AUDIT_SUMMARIES for rows.*).
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import { FilterNodeSchema } from '../filter';
import type { MethodSpec } from './method-spec';
import { ColumnRedaction, PolicyRef } from './redact';

const DatasetRef = z.string().min(1).max(300).describe('dataset name or numeric id');
const ColumnRef = z.string().min(1).max(1000).describe('column name or dotted path');

export const SearchText = z
  .string()
  .max(500)
  .describe('words to find anywhere in a record ("quoted phrase" kept whole), any case or accents');

export const SortKey = z.object({ column: ColumnRef, desc: z.boolean().default(false) }).strict();
export type SortKey = z.infer<typeof SortKey>;

export const CountMode = z
  .enum(['auto', 'exact', 'none'])
  .describe('auto: exact when cheap, else an estimate (totalExact false); exact: always count');
export type CountMode = z.infer<typeof CountMode>;

/** One record: its row id in the dataset, provenance locators and values by column name. */
export const RowRecord = z.object({
  id: z.number().int(),
  ordinal: z.number().int(),
  line: z.number().int().nullable(),
  offset: z.number().int(),
  values: z.record(z.string(), z.string().nullable()),
});
export type RowRecord = z.infer<typeof RowRecord>;

export const SearchMode = z
  .enum(['none', 'index', 'scan', 'mixed'])
  .describe('how the search ran: the full-text index, a scan (short words, no index) or both');

export const ReadFrom = z
  .enum(['start', 'end'])
  .describe(
    'end: read the result backwards from its last record (rows come last first; the cursor continues backwards)',
  );
export type ReadFrom = z.infer<typeof ReadFrom>;

/**
 * Lets a newer request cancel older ones: requests on the same channel with a lower generation
 * still waiting or running are cancelled (E_CANCELLED) when a higher generation arrives, and a
 * request older than one already seen is refused at once (a grid's superseded query).
 */
export const Supersede = z
  .object({
    channel: z.string().min(1).max(100),
    generation: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type Supersede = z.infer<typeof Supersede>;

export const RowsQueryInput = z
  .object({
    dataset: DatasetRef,
    filter: FilterNodeSchema.optional(),
    search: SearchText.optional(),
    sort: z.array(SortKey).max(3).default([]),
    limit: z.number().int().min(1).max(1000).default(100),
    cursor: z.string().min(1).max(8192).optional().describe('the cursor of the previous page'),
    from: ReadFrom.default('start'),
    at: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe(
        'start at this position of the result (0-based, counted from `from`; not with a cursor): exact for a whole dataset in import order, else estimated (the result says which)',
      ),
    countMode: CountMode.default('auto'),
    policy: PolicyRef.optional().describe(
      'read the records through this redaction policy (name or document): values come back redacted, dropped columns left out',
    ),
    supersede: Supersede.optional(),
  })
  .strict()
  .refine((i) => i.at === undefined || i.cursor === undefined, {
    message: '`at` starts a new page chain: it cannot be combined with a cursor',
    path: ['at'],
  });
export type RowsQueryInput = z.input<typeof RowsQueryInput>;
export type RowsQueryRequest = z.output<typeof RowsQueryInput>;

export const RowsQueryResult = z.object({
  dataset: z.string(),
  rows: z.array(RowRecord),
  /** Matching records (an estimate when totalExact is false; -1 with countMode none). */
  total: z.number().int(),
  totalExact: z.boolean(),
  /** Opaque; pass it back as `cursor` for the next page. null on the last page. */
  cursor: z.string().nullable(),
  /** The filter and search in plain language (UI chips, audit, export manifests). */
  description: z.string(),
  searchMode: SearchMode,
  /** Plain-language remarks: scans instead of indexes, estimates, indexes built. */
  notes: z.array(z.string()),
  /**
   * Set when the page was read through a policy (`policy` in the input): its name and what each
   * column became (rows' values are keyed by the output names; dropped columns are absent).
   */
  redaction: z.object({ policy: z.string(), columns: z.array(ColumnRedaction) }).optional(),
  /**
   * Set when the input had `at`: the position (counted from `from`) of the page's first row, and
   * whether it is exact (else estimated from a sample of the result: a far jump on a filtered or
   * sorted view). Pages after its cursor follow it exactly.
   */
  position: z.object({ at: z.number().int(), exact: z.boolean() }).optional(),
});
export type RowsQueryResult = z.infer<typeof RowsQueryResult>;

export const RowProvenance = z.object({
  dataset: z.string(),
  datasetId: z.number().int(),
  /** File the record was read from (evidence: never modified) and its identity. */
  file: z.string(),
  path: z.string(),
  member: z.string().nullable(),
  sha256: z.string().nullable(),
  bytes: z.number().int(),
  format: z.string(),
  encoding: z.string().nullable(),
  importedAt: z.string(),
  ordinal: z.number().int(),
  line: z.number().int().nullable(),
  offset: z.number().int(),
});
export type RowProvenance = z.infer<typeof RowProvenance>;

export const FacetsInput = z
  .object({
    dataset: DatasetRef,
    column: ColumnRef,
    filter: FilterNodeSchema.optional(),
    search: SearchText.optional(),
    limit: z.number().int().min(1).max(500).default(20),
    timeoutMs: z.number().int().min(10).max(60_000).default(1000),
    policy: PolicyRef.optional().describe(
      'read the values through this redaction policy (values that redact alike are merged)',
    ),
  })
  .strict();

export const FacetsResult = z.object({
  dataset: z.string(),
  column: z.string(),
  /** Top values, most frequent first; null stands for a missing value. */
  values: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })),
  /** True when the scan stopped early: counts then come from the records scanned so far. */
  partial: z.boolean(),
  reason: z.enum(['timeout', 'distinct']).nullable(),
  scannedRows: z.number().int(),
  totalRows: z.number().int(),
  description: z.string(),
});
export type FacetsResult = z.infer<typeof FacetsResult>;

const CountInput = z
  .object({
    dataset: DatasetRef,
    filter: FilterNodeSchema.optional(),
    search: SearchText.optional(),
    supersede: Supersede.optional(),
  })
  .strict();

export const CountResult = z.object({
  dataset: z.string(),
  total: z.number().int(),
  totalExact: z.literal(true),
  seconds: z.number(),
  description: z.string(),
});
export type CountResult = z.infer<typeof CountResult>;

export const SearchIndexStatus = z.object({
  dataset: z.string(),
  /** missing: never built (searches scan); building: a build is running or was cancelled. */
  status: z.enum(['missing', 'building', 'ready']),
  rows: z.number().int(),
  tokenizer: z.string().nullable(),
  startedAt: z.string().nullable(),
  seconds: z.number().nullable(),
});
export type SearchIndexStatus = z.infer<typeof SearchIndexStatus>;

export const SearchRebuildResult = z.object({
  dataset: z.string(),
  /** Records indexed. */
  rows: z.number().int(),
  seconds: z.number(),
  tokenizer: z.string(),
  /** Write transactions of the build and the longest (the longest the case's write lock was held). */
  transactions: z.number().int(),
  longestTransactionMs: z.number(),
});
export type SearchRebuildResult = z.infer<typeof SearchRebuildResult>;

export const queryContract = {
  'rows.query': {
    input: RowsQueryInput,
    output: RowsQueryResult,
    description:
      'One page of records of a dataset under a filter, search and sort (keyset cursor, counts)',
    audit: true,
    needsCase: true,
  },
  'rows.get': {
    input: z.object({ dataset: DatasetRef, id: z.number().int().min(1) }).strict(),
    output: z.object({ row: RowRecord, provenance: RowProvenance }),
    description: 'One record with its provenance: source file, hash, line, byte offset',
    audit: true,
    needsCase: true,
  },
  'rows.facets': {
    input: FacetsInput,
    output: FacetsResult,
    description: 'Most frequent values of a column under a filter (time-bounded, maybe partial)',
    audit: true,
    needsCase: true,
  },
  'rows.count': {
    input: CountInput,
    output: CountResult,
    description: 'Exact number of records matching a filter and search (long: run it aside)',
    audit: true,
    needsCase: true,
  },
  'rows.index': {
    input: z.object({ dataset: DatasetRef, column: ColumnRef }).strict(),
    output: z.object({
      dataset: z.string(),
      column: z.string(),
      index: z.string(),
      created: z.boolean(),
      seconds: z.number(),
    }),
    description: 'Build (once, kept) the index of a column for fast equality filters and sorts',
    audit: true,
    needsCase: true,
  },
  'search.rebuild': {
    input: z.object({ dataset: DatasetRef }).strict(),
    output: SearchRebuildResult,
    description:
      'Rebuild the full-text search index of a dataset (long: progress events, cancellable; searches scan until it is ready)',
    audit: true,
    needsCase: true,
  },
  'search.status': {
    input: z.object({ dataset: DatasetRef }).strict(),
    output: SearchIndexStatus,
    description: 'Whether the full-text search index of a dataset is ready, building or missing',
    audit: false,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;
