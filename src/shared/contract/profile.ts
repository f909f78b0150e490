/**
 * profile.* methods: column statistics, PII detection and the dataset-level sensitivity summary
 * (DESIGN.md "profile" JSON shape; fields are only ever added to it, never renamed).
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import { PiiKind } from '../pii';
import type { MethodSpec } from './method-spec';

export const ColumnType = z.enum([
  'empty',
  'integer',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'text',
]);
export type ColumnType = z.infer<typeof ColumnType>;

/** Why a kind was reported: counts over the sampled non-empty values, and the header's say. */
export const PiiEvidence = z.object({
  /** Non-empty values examined (a systematic sample spread over the whole table). */
  sampled: z.number().int(),
  /** Values with the kind's shape (15 digits for a NIR, `x@y.z` for an e-mail...). */
  matched: z.number().int(),
  /** Values that pass the full check (key, checksum, reference list); = matched without one. */
  validated: z.number().int(),
  /** Chance that a random value of the right shape passes the check (0.01 for a NIR key). */
  chance: z.number(),
  /** What the column name said: it names this kind, another kind, or nothing we know. */
  header: z.enum(['supports', 'contradicts', 'neutral']),
  /** The header word that made the hint, if any. */
  headerWord: z.string().nullable(),
  /** One line in plain words: the reasoning a reviewer can check. */
  note: z.string(),
});
export type PiiEvidence = z.infer<typeof PiiEvidence>;

export const PiiFinding = z.object({
  kind: PiiKind,
  /** 0..1: how sure we are the column holds this kind (not how much of it: that is `share`). */
  confidence: z.number(),
  /** Share of the sampled non-empty values that validate as this kind. */
  share: z.number(),
  /** Sub-form or algorithm: 'nir', 'nir-keyless', 'bcrypt', 'national', 'fr-mobile'... */
  scheme: z.string().nullable(),
  evidence: PiiEvidence,
  /** True when another kind explains the same values about as well (see `alternatives`). */
  ambiguous: z.boolean(),
  alternatives: z.array(PiiKind),
});
export type PiiFinding = z.infer<typeof PiiFinding>;

export const TopValue = z.object({ value: z.string(), count: z.number().int() });
export type TopValue = z.infer<typeof TopValue>;

export const ColumnProfile = z.object({
  /** 1-based position in the dataset (dataset_columns.idx). */
  index: z.number().int(),
  name: z.string(),
  path: z.string(),
  type: ColumnType,
  /** Format of a date column: 'DD/MM/YYYY', 'YYYY-MM-DD', 'YYYY-MM-DDThh:mm:ss'... */
  dateFormat: z.string().nullable(),
  /** Best PII kind ('none' when nothing material was found). */
  kind: PiiKind,
  nonEmpty: z.number().int(),
  /** Empty strings and whitespace-only values. */
  empty: z.number().int(),
  /** Absent values (SQL NULL, JSON null, missing key or trailing field). */
  nulls: z.number().int(),
  distinct: z.number().int(),
  /** False once the column had more distinct values than the exact bound (HyperLogLog). */
  distinctExact: z.boolean(),
  /** Relative standard error of `distinct` (0 when exact; 1.04/√m for HyperLogLog). */
  distinctError: z.number(),
  top: z.array(TopValue),
  /**
   * False when counts are estimated from the record sample (high-cardinality columns): each is
   * a sampled count times the stride `topError`, off by about topError·√(count/topError).
   */
  topExact: z.boolean(),
  topError: z.number().int(),
  length: z.object({ min: z.number().int(), max: z.number().int(), mean: z.number() }),
  /** Shapes of the sampled values (counts are over the `sampled` values). */
  shapes: z.array(z.object({ shape: z.string(), count: z.number().int() })),
  samples: z.array(z.string()),
  /** Non-empty values the detectors, shapes and type inference looked at. */
  sampled: z.number().int(),
  /** Every material kind, best first (DESIGN.md: sorted by confidence; [] if none). */
  pii: z.array(PiiFinding),
  /** The best two kinds are within the ambiguity margin on the same values. */
  ambiguous: z.boolean(),
  /** Several kinds each hold a material share of different values ("contact": mail + phone). */
  mixed: z.boolean(),
  /** What the column name suggests, before looking at the values. */
  headerHint: z.object({ kind: PiiKind, word: z.string() }).nullable(),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

export const InventoryEntry = z.object({
  kind: PiiKind,
  columns: z.array(z.string()),
  /** Records with a non-empty value in at least one column of this kind. */
  records: z.number().int(),
  share: z.number(),
});
export type InventoryEntry = z.infer<typeof InventoryEntry>;

export const SpecialCategory = z.object({
  category: z.enum(['health', 'social_security', 'credentials', 'financial', 'identity_document']),
  columns: z.array(z.string()),
  evidence: z.string(),
});
export type SpecialCategory = z.infer<typeof SpecialCategory>;

export const ConsistencyCheck = z.object({
  field: z.enum(['sex', 'birth_year', 'birth_month', 'department']),
  column: z.string(),
  /** Records where both sides could be read (month: only NIRs with a calendar month). */
  checked: z.number().int(),
  agree: z.number().int(),
  share: z.number(),
  /** Agreement expected if the two columns were unrelated (from their marginal distributions). */
  chance: z.number().nullable(),
});
export type ConsistencyCheck = z.infer<typeof ConsistencyCheck>;

export const Consistency = z.object({
  nirColumn: z.string(),
  checks: z.array(ConsistencyCheck),
  /** Records with a valid NIR and at least one checkable field among sex / year / month. */
  records: z.number().int(),
  /** ...of which every checkable field agrees. */
  consistent: z.number().int(),
  share: z.number(),
  /** Sampled records the checks ran on (the profiler's systematic record sample). */
  sampledRecords: z.number().int(),
  verdict: z.enum(['consistent', 'mostly_consistent', 'inconsistent', 'not_enough_data']),
  note: z.string(),
});
export type Consistency = z.infer<typeof Consistency>;

export const ProfileSummary = z.object({
  /** Data-class inventory: which kinds are present and in how many records. */
  inventory: z.array(InventoryEntry),
  sensitivity: z.object({
    level: z.enum(['low', 'moderate', 'high', 'critical']),
    specialCategories: z.array(SpecialCategory),
    highRiskKinds: z.array(PiiKind),
    reasons: z.array(z.string()),
  }),
  consistency: Consistency.nullable(),
  ambiguousColumns: z.array(z.string()),
  mixedColumns: z.array(z.string()),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;

export const DatasetProfile = z.object({
  dataset: z.string(),
  datasetId: z.number().int(),
  rows: z.number().int(),
  columns: z.array(ColumnProfile),
  summary: ProfileSummary,
  /** Records examined by the value-level detectors (every record for the counts). */
  sampledRecords: z.number().int(),
  profiledAt: z.string(),
  seconds: z.number(),
  /** Profiler version: a stored profile from an older version can be re-run. */
  version: z.number().int(),
});
export type DatasetProfile = z.infer<typeof DatasetProfile>;

const DatasetRef = z.string().min(1).max(300).describe('dataset name or numeric id');

export const profileContract = {
  'profile.run': {
    input: z.object({ dataset: DatasetRef }).strict(),
    output: DatasetProfile,
    description:
      'Profile every column of a dataset (statistics, PII kinds, sensitivity, NIR consistency) and store the result',
    audit: true,
    needsCase: true,
  },
  'profile.get': {
    input: z.object({ dataset: DatasetRef }).strict(),
    output: DatasetProfile.nullable(),
    description: 'The stored profile of a dataset, or null when it has not been profiled yet',
    audit: false,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;
