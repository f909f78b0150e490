/**
 * The long jobs a worker thread can run, by kind. Each takes the worker's own writable connection,
 * its validated input, and progress/cancellation hooks. Capabilities register their jobs here
 * (import, profile, linkage, export...); the handlers start them with `runJob`. Each job loads
 * its code when it runs: a job thread holds only the modules of its own job.
 */
import type { JobProgress } from '../../../shared/api';
import type { runExport } from '../export/run';
import type { runImport } from '../import/pipeline';
import type { LinkageJobInput } from '../linkage/jobs';
import type { WritableDB } from '../store/types';
import type { JobCaseAccess } from './protocol';

export interface JobHooks {
  signal: AbortSignal;
  onProgress: (p: JobProgress) => void;
  /** The script of this job worker, when running in one: lets a job start helper threads. */
  workerUrl?: string;
  /** How this job's worker opened the case: helper threads open their own connections with it. */
  access?: JobCaseAccess;
}

export type JobFn = (db: WritableDB, input: never, hooks: JobHooks) => Promise<unknown>;

export const JOBS = {
  import: async (db: WritableDB, input: Parameters<typeof runImport>[1], hooks: JobHooks) => {
    // Profiles are counted in the import's own pass (profile/import-pass.ts): when this job runs
    // in a worker on a machine with a second core, on a profiling thread (profile/pass-thread.ts)
    // that also parses for the writer when it writes through the bulk-insert extension (the
    // writer then only reads the bytes and writes the thread's batches), or else parses the bytes
    // again for the profile alone; without a second core, in the writer's thread.
    const { ImportProfiles } = await import('../profile/import-pass');
    const { profileThreadWanted } = await import('../profile/pass-thread');
    const { writesBatches } = await import('../import/writer');
    const pass = new ImportProfiles(
      hooks.workerUrl && profileThreadWanted()
        ? { thread: new URL(hooks.workerUrl), mode: writesBatches(db) ? 'parse' : 'bytes' }
        : {},
    );
    try {
      const { runImport } = await import('../import/pipeline');
      const result = await runImport(db, input, { ...hooks, ...pass.importOptions });
      // Profiling, search index and identity keys follow the import in the same job, so a dataset
      // is ready to explore when the import returns. Loaded only now: the import itself runs
      // without the search and linkage code (and its memory) in the thread.
      await (await import('./post-import')).runPostImport(db, result, hooks, pass);
      return result;
    } finally {
      pass.close();
    }
  },
  // The schema upgrade of a case opened by an older version: the worker's open ran it (with its
  // progress, worker.ts), before the engine opens the case itself (store/handlers.ts).
  upgrade: async (db: WritableDB, _input: Record<string, never>) => ({
    version: (await import('../store/migrations')).schemaVersion(db),
  }),
  profile: async (db: WritableDB, input: { dataset: string }, hooks: JobHooks) =>
    (await import('../profile')).profileJob(db, input, hooks),
  linkage: async (db: WritableDB, input: LinkageJobInput, hooks: JobHooks) =>
    (await import('../linkage/jobs')).linkageJob(db, input, hooks),
  export: async (db: WritableDB, input: Parameters<typeof runExport>[1], hooks: JobHooks) =>
    (await import('../export/run')).runExport(db, input, hooks),
} satisfies Record<string, (db: WritableDB, input: never, hooks: JobHooks) => Promise<unknown>>;

export type JobKind = keyof typeof JOBS;
export type JobInput<K extends JobKind> = Parameters<(typeof JOBS)[K]>[1];
export type JobResult<K extends JobKind> = Awaited<ReturnType<(typeof JOBS)[K]>>;
