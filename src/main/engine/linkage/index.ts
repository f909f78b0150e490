/**
 * Linkage (issue 5): identity keys, duplicates, overlap with the rehash verdict, record matches
 * (exact keys or fuzzy Fellegi-Sunter), the person view. Public surface of the module.
 */
import type { AuditSummaries } from '../context';

export { identityKeysStep, extractKeys, ensureKeys, hasKeys, PHONE_REGION_META } from './keys';
export { linkageJob, type LinkageJobInput } from './jobs';
export { linkageHandlers } from './handlers';
export { datasetRoles, headerRole, type DatasetRoles, type Role } from './columns';
export * from './normalize';
export { soundex2 } from './phonetic';
export { jaroWinkler } from './similarity';

/**
 * What the audit log keeps of linkage results: counts, kinds and verdicts, never record values
 * (duplicate group keys, matched records and upset names of people are left out).
 */
export const linkageAuditSummaries: AuditSummaries = {
  'linkage.duplicates': (o) => ({
    dataset: o.dataset,
    rows: o.rows,
    exactDuplicateRecords: o.exactDuplicateRecords,
    uniquePeople: o.uniquePeople,
    groupsTotal: o.groupsTotal,
    byKey: o.byKey,
  }),
  'linkage.overlap': (o) => ({
    dataset: o.dataset,
    against: o.against,
    records: o.records,
    pairs: o.pairs.map((p) => ({ b: p.b, records: p.records, byKey: p.byKey })),
    verdicts: o.verdicts.map((v) => ({ dataset: v.dataset, verdict: v.verdict, text: v.text })),
  }),
  'linkage.matches': (o) => ({
    a: o.a,
    b: o.b,
    fuzzy: o.fuzzy,
    threshold: o.threshold,
    pairsTotal: o.pairsTotal,
    byKey: o.byKey,
    runId: o.runId,
  }),
  'linkage.clusters': (o) => ({
    datasets: o.datasets,
    records: o.records,
    people: o.people,
    stored: o.stored,
  }),
  'linkage.recordMatches': (o) => ({
    dataset: o.record.dataset,
    rowId: o.record.rowId,
    keyKinds: o.keys.map((k) => k.kind),
    matches: o.matches.length,
  }),
};
