/**
 * rows.* handlers and their audit summaries.
 *
 * Pages, facets, counts and index builds run in a query worker thread (pool.ts), cancellable by
 * the call's AbortSignal; `rows.get` is a primary-key lookup and runs on the case connection.
 * The CLI, which runs one query and exits, may run everything in-process instead
 * (`runQueriesInProcess`), where cancellation is checked between chunks of scans.
 *
 * Audit: reading records is audited. The entry holds the call's input (filter, search, sort; the
 * cursor is encrypted) and these summaries of the result: descriptions and counts, never values.
 */
import type { AuditSummaries, CallOptions, EngineContext, HandlerMap } from '../context';
import { executeOp, type OpMap, type QueryOp } from './exec';
import { loadDataset } from './dataset';
import { getRow } from './get';
import { queryPoolFor } from './pool';
import { redactFacets, redactPage } from './redacted';
import { searchIndexStatus } from './search';
import { runSuperseding } from './supersede';

let inProcess = false;

/** Run query operations on the calling thread (the CLI: one query, then exit). */
export function runQueriesInProcess(on = true): void {
  inProcess = on;
}

/** Datasets from this size on make a case worth starting a query worker for as it opens. */
export const WARM_MIN_ROWS = 100_000;

/**
 * Called when a case opens: on a case with a large dataset, starts a query worker at once, so
 * the first page (the grid's first rows) does not wait for its start (thread, module load, key
 * derivation). Small cases and the CLI (in-process queries) start nothing.
 */
export function warmQueryPool(ctx: EngineContext): void {
  if (inProcess) return;
  const db = ctx.requireCase().db;
  const hasDatasets = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'datasets'")
    .get();
  if (!hasDatasets) return;
  const big = db.prepare('SELECT 1 FROM datasets WHERE rows >= ? LIMIT 1').get(WARM_MIN_ROWS);
  if (big) queryPoolFor(ctx).warm(1);
}

function execute<K extends QueryOp>(
  ctx: EngineContext,
  call: CallOptions,
  op: K,
  input: OpMap[K]['input'],
): Promise<OpMap[K]['output']> {
  if (inProcess) {
    return executeOp(ctx.requireCase().db, op, input, {
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.onProgress ? { onProgress: call.onProgress } : {}),
      now: ctx.now,
    });
  }
  return queryPoolFor(ctx).run(op, input, call);
}

export const queryHandlers: HandlerMap = {
  'rows.query': async (input, ctx, call) => {
    const page = await runSuperseding(ctx, input.supersede, call.signal, (signal) =>
      execute(ctx, { ...call, ...(signal ? { signal } : {}) }, 'query', input),
    );
    if (input.policy === undefined) return page;
    return redactPage(ctx.requireCase().db, page, input.policy, ctx.now());
  },
  'rows.facets': async (input, ctx, call) => {
    const facets = await execute(ctx, call, 'facets', input);
    if (input.policy === undefined) return facets;
    return redactFacets(ctx.requireCase().db, facets, input.policy, ctx.now());
  },
  'rows.count': (input, ctx, call) =>
    runSuperseding(ctx, input.supersede, call.signal, (signal) => {
      const c = { ...call, ...(signal ? { signal } : {}) };
      return inProcess ? execute(ctx, c, 'count', input) : queryPoolFor(ctx).count(input, c);
    }),
  'rows.index': (input, ctx, call) => execute(ctx, call, 'index', input),
  'rows.get': (input, ctx) => getRow(ctx.requireCase().db, input),
  'search.rebuild': (input, ctx, call) => execute(ctx, call, 'rebuildSearch', input),
  'search.status': (input, ctx) => {
    const db = ctx.requireCase().db;
    return searchIndexStatus(db, loadDataset(db, input.dataset));
  },
};

export const queryAuditSummaries: AuditSummaries = {
  'rows.query': (o) => ({
    dataset: o.dataset,
    description: o.description,
    rows: o.rows.length,
    ids: o.rows.length ? [o.rows[0]!.id, o.rows[o.rows.length - 1]!.id] : [],
    total: o.total,
    totalExact: o.totalExact,
    more: o.cursor !== null,
    ...(o.redaction ? { policy: o.redaction.policy } : {}),
  }),
  'rows.get': (o) => ({ dataset: o.provenance.dataset, id: o.row.id, ordinal: o.row.ordinal }),
  'rows.facets': (o) => ({
    dataset: o.dataset,
    column: o.column,
    description: o.description,
    values: o.values.length,
    partial: o.partial,
    scannedRows: o.scannedRows,
  }),
  'search.rebuild': (o) => ({
    dataset: o.dataset,
    rows: o.rows,
    seconds: o.seconds,
    transactions: o.transactions,
    longestTransactionMs: o.longestTransactionMs,
  }),
};
