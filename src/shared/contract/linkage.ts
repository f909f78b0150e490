/**
 * linkage.* methods: duplicates inside a dataset, overlap across datasets with the rehash
 * verdict, record-level matches (exact keys or fuzzy Fellegi-Sunter), the person view (clusters)
 * and one record's matches for the detail pane. Shapes follow DESIGN.md's `duplicates`, `overlap`
 * and `matches` JSON; fields are only ever added.
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import type { MethodSpec } from './method-spec';

const DatasetRef = z.string().min(1).max(300).describe('dataset name or numeric id');

export const IDENTITY_KEY_KINDS = [
  'email',
  'phone',
  'nir',
  'france_travail_id',
  'iban',
  'national_id',
  'name_dob',
  'name_postal',
] as const;
export const IdentityKeyKind = z.enum(IDENTITY_KEY_KINDS);
export type IdentityKeyKind = z.infer<typeof IdentityKeyKind>;

const KindCounts = z.record(z.string(), z.number().int());

export const DuplicateGroup = z.object({
  /** `<kind>:<normalised value>`, or `record:<fingerprint>` for exact duplicate records. */
  key: z.string(),
  kind: z.string(),
  count: z.number().int(),
  /** Ordinals (0-based record positions in the source), smallest first, capped. */
  ordinals: z.array(z.number().int()),
});

export const DuplicatesResult = z.object({
  dataset: z.string(),
  rows: z.number().int(),
  /** Records that are an exact copy of an earlier record (after trivial normalisation). */
  exactDuplicateRecords: z.number().int(),
  uniquePeople: z.number().int(),
  /** Records merged into another person by a shared strong key (beyond exact copies). */
  recordsSharingKeys: z.number().int(),
  headline: z.string(),
  /** Records in a shared-key group, per key kind. */
  byKey: KindCounts,
  /** Key values carried by too many records to be one person (placeholders), per kind. */
  sharedValues: KindCounts,
  groupsTotal: z.number().int(),
  groups: z.array(DuplicateGroup),
});
export type DuplicatesResult = z.infer<typeof DuplicatesResult>;

export const VERDICTS = ['new', 'repackaged', 'partial_overlap', 'likely_fabricated'] as const;

export const RehashVerdict = z.object({
  dataset: z.string(),
  verdict: z.enum(VERDICTS),
  /** One sentence in the investigators' vocabulary, with the figures. */
  text: z.string(),
  /** Which rule decided, in plain words. */
  rule: z.string(),
  figures: z.object({
    claimedRecords: z.number().int(),
    uniquePeople: z.number().int(),
    /** Share of records matching any compared dataset by a strong key. */
    matchShare: z.number(),
    bestMatch: z
      .object({
        dataset: z.string(),
        share: z.number(),
        byKey: KindCounts,
      })
      .nullable(),
    /** Of the sampled matched records, the share whose identity values are written identically. */
    identicalShare: z.number().nullable(),
    identicalSample: z.number().int(),
    /** The profile's NIR cross-field consistency share, when profiled. */
    consistencyShare: z.number().nullable(),
  }),
});
export type RehashVerdict = z.infer<typeof RehashVerdict>;

export const OverlapPair = z.object({
  a: z.string(),
  b: z.string(),
  /** Records of a matching at least one record of b by a strong key. */
  records: z.number().int(),
  /** Records of b matched. */
  bRecords: z.number().int(),
  /** records / rows of a. */
  share: z.number(),
  /** Records of a matching b, by key kind (a record may count under several kinds). */
  byKey: KindCounts,
});

export const UpsetEntry = z.object({ datasets: z.array(z.string()), people: z.number().int() });

export const OverlapResult = z.object({
  dataset: z.string(),
  rows: z.number().int(),
  against: z.array(z.string()),
  /** Records of the dataset matching any compared dataset. */
  records: z.number().int(),
  pairs: z.array(OverlapPair),
  verdicts: z.array(RehashVerdict),
  /** People by combination of datasets across the case (null when not asked). */
  upset: z.array(UpsetEntry).nullable(),
  keysUsed: z.array(z.string()),
  seconds: z.number(),
});
export type OverlapResult = z.infer<typeof OverlapResult>;

export const RecordRef = z.object({
  dataset: z.string(),
  ordinal: z.number().int(),
  line: z.number().int().nullable(),
  rowId: z.number().int(),
});

export const MatchPair = z.object({
  a: RecordRef,
  b: RecordRef,
  /** Match probability in [0, 1] (1 for pairs sharing a strong key without --fuzzy). */
  score: z.number(),
  /** Fellegi-Sunter match weight (log2 Bayes factor), fuzzy runs only. */
  weight: z.number().nullable(),
  /** Fields that agree: key kinds, or fuzzy fields ("last_name", "first_name~" for close). */
  keys: z.array(z.string()),
});

export const BlockingRuleReport = z.object({
  name: z.string(),
  description: z.string(),
  /** Candidate pairs this rule produced (before removing pairs found by an earlier rule). */
  pairs: z.number().int(),
  /** Blocks over the per-block cap that no refining key could split under it (skipped). */
  skippedBlocks: z.number().int(),
  /** Blocks over the per-block cap split by the rule's refining keys. */
  splitBlocks: z.number().int(),
});

export const FieldLevelReport = z.object({
  label: z.string(),
  m: z.number(),
  u: z.number(),
  weight: z.number(),
});

export const TradeoffRow = z.object({
  threshold: z.number(),
  pairs: z.number().int(),
  /** Estimated from the model's posterior probabilities (no ground truth involved). */
  precision: z.number(),
  recall: z.number(),
});

export const MatchesResult = z.object({
  a: z.string(),
  b: z.string(),
  fuzzy: z.boolean(),
  threshold: z.number(),
  pairsTotal: z.number().int(),
  pairs: z.array(MatchPair),
  headline: z.string(),
  byKey: KindCounts,
  blocking: z
    .object({
      rules: z.array(BlockingRuleReport),
      candidatePairs: z.number().int(),
      blockCap: z.number().int(),
    })
    .nullable(),
  model: z
    .object({
      lambda: z.number(),
      iterations: z.number().int(),
      converged: z.boolean(),
      fields: z.array(z.object({ field: z.string(), levels: z.array(FieldLevelReport) })),
      termFrequency: z.array(z.string()),
    })
    .nullable(),
  tradeoff: z.array(TradeoffRow),
  runId: z.number().int(),
  seconds: z.number(),
});
export type MatchesResult = z.infer<typeof MatchesResult>;

export const ClustersResult = z.object({
  datasets: z.array(z.string()),
  records: z.number().int(),
  people: z.number().int(),
  upset: z.array(UpsetEntry),
  sizes: z.array(z.object({ size: z.number().int(), clusters: z.number().int() })),
  largest: z.array(
    z.object({
      clusterId: z.number().int(),
      size: z.number().int(),
      datasets: z.array(z.string()),
    }),
  ),
  /** Records written to `clusters` (members of clusters of two or more). */
  stored: z.number().int(),
  links: z.object({ keys: z.number().int(), fuzzy: z.number().int() }),
  sharedValues: KindCounts,
  seconds: z.number(),
});
export type ClustersResult = z.infer<typeof ClustersResult>;

export const RecordMatch = RecordRef.extend({
  score: z.number(),
  /** `key`: shares an identity key; `fuzzy`: accepted by a fuzzy matches run. */
  source: z.enum(['key', 'fuzzy']),
  keys: z.array(z.string()),
});

export const RecordMatchesResult = z.object({
  record: RecordRef,
  keys: z.array(z.object({ kind: z.string(), key: z.string() })),
  matches: z.array(RecordMatch),
  cluster: z
    .object({ clusterId: z.number().int(), size: z.number().int(), datasets: z.number().int() })
    .nullable(),
});
export type RecordMatchesResult = z.infer<typeof RecordMatchesResult>;

export const linkageContract = {
  'linkage.duplicates': {
    input: z
      .object({
        dataset: DatasetRef,
        limit: z.number().int().min(0).max(100_000).default(100),
      })
      .strict(),
    output: DuplicatesResult,
    description:
      'Duplicates inside a dataset: exact duplicate records and groups sharing a strong identity key',
    audit: true,
    needsCase: true,
  },
  'linkage.overlap': {
    input: z
      .object({
        dataset: DatasetRef,
        /** Datasets to compare with; default: every earlier dataset of the case. */
        against: z.array(DatasetRef).max(1000).optional(),
        /** Also count people by combination of datasets across the case (union-find). */
        upset: z.boolean().default(true),
      })
      .strict(),
    output: OverlapResult,
    description:
      'Overlap of a dataset with earlier (or chosen) datasets by strong identity keys, with the rehash verdict',
    audit: true,
    needsCase: true,
  },
  'linkage.matches': {
    input: z
      .object({
        dataset: DatasetRef,
        against: DatasetRef,
        fuzzy: z.boolean().default(false),
        /** Minimum match probability of a fuzzy pair (default: the model's suggested threshold). */
        threshold: z.number().min(0).max(1).optional(),
        limit: z.number().int().min(0).max(1_000_000).default(1000),
      })
      .strict(),
    output: MatchesResult,
    description:
      'Record pairs between two datasets (or inside one): shared identity keys, or fuzzy person matching',
    audit: true,
    needsCase: true,
  },
  'linkage.clusters': {
    input: z
      .object({
        datasets: z.array(DatasetRef).max(1000).optional(),
      })
      .strict(),
    output: ClustersResult,
    description:
      'Build the person view: union-find of records across datasets by shared keys and accepted fuzzy matches',
    audit: true,
    needsCase: true,
  },
  'linkage.recordMatches': {
    input: z
      .object({
        dataset: DatasetRef,
        rowId: z.number().int().min(1),
        limit: z.number().int().min(1).max(10_000).default(200),
      })
      .strict(),
    output: RecordMatchesResult,
    description: "One record's identity keys and its matches in other datasets (detail pane)",
    audit: true,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;
