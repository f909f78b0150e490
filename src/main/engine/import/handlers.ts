/** import.run, datasets.list, datasets.rejects. */
import { resolve } from 'node:path';
import type { HandlerMap } from '../context';
import { jobAccess, runJob } from '../jobs/host';
import { previewImport } from './preview';
import { findDataset, listDatasets, listRejects } from './repo';

export const importHandlers: HandlerMap = {
  'import.run': (input, ctx, call) => {
    const c = ctx.requireCase();
    const { jobWorkerUrl } = ctx.deps;
    return runJob(
      jobAccess(ctx.deps, c.path, ctx.caseKey()),
      {
        kind: 'import',
        input: {
          ...input,
          path: resolve(input.path),
          ...(input.schema ? { schema: resolve(input.schema) } : {}),
        },
      },
      {
        ...(call.signal ? { signal: call.signal } : {}),
        ...(call.onProgress ? { onProgress: call.onProgress } : {}),
        ...(jobWorkerUrl ? { workerUrl: jobWorkerUrl } : {}),
      },
    );
  },
  'import.preview': (input, _ctx, call) =>
    previewImport({ ...input, path: resolve(input.path) }, call.signal),
  'datasets.list': (_input, ctx) => ({ datasets: listDatasets(ctx.requireCase().db) }),
  'datasets.rejects': ({ dataset, afterId, limit }, ctx) => {
    const { db } = ctx.requireCase();
    return listRejects(db, findDataset(db, dataset).id, afterId, limit);
  },
};
