/**
 * The query operations by name, as one dispatcher: the query worker thread runs them on its own
 * connection, and in-process execution (CLI, tests) runs them on the case's connection. Inputs
 * are already validated by the router.
 */
import type {
  CountResult,
  FacetsResult,
  JobProgress,
  MethodOutput,
  MethodParsedInput,
  RowsQueryResult,
} from '../../../shared/api';
import type { WritableDB } from '../store/types';
import { exactCount } from './count';
import { loadDataset, resolveColumn } from './dataset';
import { runFacets } from './facets';
import { registerQueryFunctions } from './functions';
import { ensureColumnIndex } from './indexes';
import { runRowsQuery } from './page';
import { planQuery } from './plan';
import { buildSearchIndex, SEARCH_TOKENIZER } from './search';

export interface OpMap {
  query: { input: MethodParsedInput<'rows.query'>; output: RowsQueryResult };
  facets: { input: MethodParsedInput<'rows.facets'>; output: FacetsResult };
  count: { input: MethodParsedInput<'rows.count'>; output: CountResult };
  /** One slice of an exact count split across query workers (pool.ts `count`). */
  countPart: {
    input: MethodParsedInput<'rows.count'> & { part: number; parts: number };
    output: CountResult;
  };
  index: { input: MethodParsedInput<'rows.index'>; output: MethodOutput<'rows.index'> };
  rebuildSearch: {
    input: MethodParsedInput<'search.rebuild'>;
    output: MethodOutput<'search.rebuild'>;
  };
}
export type QueryOp = keyof OpMap;

export interface OpHooks {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  now?: () => Date;
}

const OPS: {
  [K in QueryOp]: (
    db: WritableDB,
    input: OpMap[K]['input'],
    hooks: OpHooks,
  ) => Promise<OpMap[K]['output']>;
} = {
  query: (db, input, hooks) =>
    runRowsQuery(db, input, {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.now ? { now: hooks.now } : {}),
    }),
  facets: (db, input, hooks) => runFacets(db, input, hooks.signal),
  count: (db, input, hooks) => countOp(db, input, hooks),
  countPart: (db, input, hooks) =>
    countOp(db, input, hooks, { index: input.part, parts: input.parts }),
  rebuildSearch: async (db, input, hooks) => {
    const ds = loadDataset(db, input.dataset);
    const r = await buildSearchIndex(
      db,
      ds.id,
      {
        signal: hooks.signal ?? new AbortController().signal,
        onProgress: hooks.onProgress ?? (() => {}),
      },
      hooks.now,
    );
    return { dataset: ds.name, tokenizer: SEARCH_TOKENIZER, ...r };
  },
  index: async (db, input, hooks) => {
    const ds = loadDataset(db, input.dataset);
    const col = resolveColumn(ds, input.column);
    const r = ensureColumnIndex(db, ds, col, hooks.now);
    return { dataset: ds.name, column: col.name, ...r };
  },
};

async function countOp(
  db: WritableDB,
  input: MethodParsedInput<'rows.count'>,
  hooks: OpHooks,
  part?: { index: number; parts: number },
): Promise<CountResult> {
  const started = performance.now();
  const ds = loadDataset(db, input.dataset);
  const plan = planQuery(db, ds, input.filter, input.search);
  const total = await exactCount(db, plan, { ...hooks, ...(part ? { part } : {}) });
  return {
    dataset: ds.name,
    total,
    totalExact: true as const,
    seconds: (performance.now() - started) / 1000,
    description: plan.description,
  };
}

export function executeOp<K extends QueryOp>(
  db: WritableDB,
  op: K,
  input: OpMap[K]['input'],
  hooks: OpHooks = {},
): Promise<OpMap[K]['output']> {
  registerQueryFunctions(db);
  return (
    OPS[op] as (db: WritableDB, i: OpMap[K]['input'], h: OpHooks) => Promise<OpMap[K]['output']>
  )(db, input, hooks);
}
