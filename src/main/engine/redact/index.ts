/**
 * Redaction: public surface of the capability (issue 7). Policies (saved and built-in), the
 * per-case pseudonym secret, the operators, plans over a dataset's columns, and redacted reading
 * for other modules: `redactedReader(db, dataset, policy, now).record(row)` turns a `rows.query`
 * record into its redacted form (what the grid shows when a policy is chosen).
 */
export { redactAuditSummaries, redactHandlers } from './handlers';
export { planRedaction, rowTransformer, type ColumnPlan, type RedactionPlan } from './apply';
export { ensureCaseSecret, loadCaseSecret, RedactionKeys } from './keys';
export { columnKinds, type ColumnKind } from './kinds';
export { deletePolicy, getPolicy, listPolicies, resolvePolicy, savePolicy } from './policies';
export { previewRedaction, redactedReader, type RedactedReader } from './read';
