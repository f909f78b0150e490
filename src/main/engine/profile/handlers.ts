/** profile.run (a job in a worker thread, like import.run) and profile.get. */
import type { HandlerMap } from '../context';
import { findDataset } from '../import/repo';
import { jobAccess, runJob } from '../jobs/host';
import { loadProfile } from './store';

export const profileHandlers: HandlerMap = {
  'profile.run': (input, ctx, call) => {
    const c = ctx.requireCase();
    // Resolve the name here so an unknown dataset fails fast, without starting a worker.
    const d = findDataset(c.db, input.dataset);
    const { jobWorkerUrl } = ctx.deps;
    return runJob(
      jobAccess(ctx.deps, c.path, ctx.caseKey()),
      { kind: 'profile', input: { dataset: String(d.id) } },
      {
        ...(call.signal ? { signal: call.signal } : {}),
        ...(call.onProgress ? { onProgress: call.onProgress } : {}),
        ...(jobWorkerUrl ? { workerUrl: jobWorkerUrl } : {}),
      },
    );
  },
  'profile.get': ({ dataset }, ctx) => {
    const { db } = ctx.requireCase();
    return loadProfile(db, findDataset(db, dataset).id);
  },
};
