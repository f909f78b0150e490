/**
 * The query layer (issue 6; STYLE.md rule 11, Datasette-style): filter AST → parameterised SQL,
 * full-text search, keyset pages, counts, facets, on-demand indexes, and the threads that run
 * them. Design decisions, each detailed in its module:
 *
 * - compile.ts / operators.ts: one compiler; identifiers only `c_<n>` via sqlId (user column
 *   names are looked up as values); values only as bound `@pN`; each operator's SQL sits next to
 *   its description in src/shared/filter.ts, typed one-to-one.
 * - functions.ts: case- and accent-insensitive folding; regexes limited to what V8's linear-time
 *   engine accepts and run with its excessive-backtracking fallback (no catastrophic patterns).
 * - search.ts: FTS5 trigram (remove_diacritics), contentless, detail=none, one document per
 *   record, exact re-check of candidates; built by a post-import step in the import's worker
 *   (or `search.rebuild`) in short transactions that leave the write lock free between them.
 * - fts-filter.ts: text filters of 3+ characters (contains, startsWith, endsWith, unindexed
 *   equals) are narrowed through the same index, the compiled filter re-checking candidates.
 * - redacted.ts: pages and facets read through a redaction policy (the redact capability's
 *   reader, applied on the case connection).
 * - keyset.ts: cursor = base64url(AES-256-GCM(last sort keys + id + query fingerprint)) with a
 *   per-case key; pages after a cursor run as index-seekable segments; never OFFSET.
 * - count.ts / scan.ts / facets.ts: exact totals when cheap, else estimates from rowid chunks
 *   spread over the dataset within a time budget (`totalExact: false`); facets time-bounded.
 * - pool.ts / worker.ts: queries run in worker threads with their own connection; cancel =
 *   terminate the worker (better-sqlite3 cannot interrupt a statement); exact counts split by id
 *   range across two workers.
 */
export { compileFilter } from './compile';
export { budgetedCount, exactCount } from './count';
export { loadDataset, resolveColumn, SqlParams, type QueryDataset } from './dataset';
export { executeOp, type QueryOp } from './exec';
export { runFacets } from './facets';
export { compileRegex, fold, registerQueryFunctions } from './functions';
export { getRow } from './get';
export { queryAuditSummaries, queryHandlers, runQueriesInProcess } from './handlers';
export { ensureColumnIndex, indexName } from './indexes';
export { decodeCursor, encodeCursor, queryFingerprint } from './keyset';
export { runRowsQuery } from './page';
export { planQuery } from './plan';
export { closeQueryWorkers, QueryPool } from './pool';
export { filterFtsMatch } from './fts-filter';
export { redactFacets, redactPage } from './redacted';
export { buildSearchIndex, searchIndexStatus, searchIndexStep, SEARCH_TOKENIZER } from './search';
