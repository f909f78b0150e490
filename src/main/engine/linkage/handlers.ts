/**
 * linkage.* handlers: the long ones start a `linkage` job in a worker thread (own connection,
 * progress, cancellation); recordMatches answers from the main connection (point lookups).
 */
import type { JobProgress } from '../../../shared/api';
import type { CallOptions, EngineContext, HandlerMap } from '../context';
import { findDataset } from '../import/repo';
import { jobAccess, runJob } from '../jobs/host';
import type { LinkageJobInput } from './jobs';
import { recordMatches } from './record-matches';

function startJob(ctx: EngineContext, call: CallOptions, job: LinkageJobInput): Promise<unknown> {
  const c = ctx.requireCase();
  const { jobWorkerUrl } = ctx.deps;
  return runJob(
    jobAccess(ctx.deps, c.path, ctx.caseKey()),
    { kind: 'linkage', input: job },
    {
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.onProgress ? { onProgress: (p: JobProgress) => call.onProgress!(p) } : {}),
      ...(jobWorkerUrl ? { workerUrl: jobWorkerUrl } : {}),
    },
  );
}

export const linkageHandlers: HandlerMap = {
  'linkage.duplicates': async (input, ctx, call) =>
    (await startJob(ctx, call, { op: 'duplicates', input })) as never,
  'linkage.overlap': async (input, ctx, call) =>
    (await startJob(ctx, call, { op: 'overlap', input })) as never,
  'linkage.matches': async (input, ctx, call) =>
    (await startJob(ctx, call, { op: 'matches', input })) as never,
  'linkage.clusters': async (input, ctx, call) =>
    (await startJob(ctx, call, { op: 'clusters', input })) as never,
  'linkage.recordMatches': ({ dataset, rowId, limit }, ctx) => {
    const { db } = ctx.requireCase();
    return recordMatches(db, findDataset(db, dataset), rowId, limit);
  },
};
