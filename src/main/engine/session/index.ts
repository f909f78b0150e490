/**
 * Saved query sessions, record tags and notes (issue 8): public surface of the capability.
 * `resolveSessionQuery` is what the export capability calls for `export --session NAME`;
 * `listFlags` gives the tags and note of given rows (for a "tags" column in exports).
 */
export { sessionAuditSummaries, sessionHandlers } from './handlers';
export { resolveSessionQuery, type SessionQuery } from './restore';
export { flagDependencies, hashOrdinals } from './fingerprint';
export { listFlags, type DatasetTable, type RecordFlags } from './flags';
