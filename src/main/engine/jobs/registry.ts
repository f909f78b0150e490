/**
 * The long jobs a worker thread can run, by kind. Each takes the worker's own writable connection,
 * its validated input, and progress/cancellation hooks. Capabilities register their jobs here
 * (import, profile, linkage, export...); the handlers start them with `runJob`.
 */
import type { JobProgress } from '../../../shared/api';
import { runExport } from '../export/run';
import { runImportParallel } from '../import/parallel';
import { runImport } from '../import/pipeline';
import { linkageJob, type LinkageJobInput } from '../linkage/jobs';
import { profileJob } from '../profile';
import type { WritableDB } from '../store/types';
import { runPostImport } from './post-import';

export interface JobHooks {
  signal: AbortSignal;
  onProgress: (p: JobProgress) => void;
  /** The script of this job worker, when running in one: lets a job start helper threads. */
  workerUrl?: string;
}

export type JobFn = (db: WritableDB, input: never, hooks: JobHooks) => Promise<unknown>;

export const JOBS = {
  import: async (db: WritableDB, input: Parameters<typeof runImport>[1], hooks: JobHooks) => {
    // Opt-in: the reading side (parse, hash) in a thread of its own. Measured on 2 shared cores it
    // brings nothing (the WAL checkpointer already uses the second core) and costs ~250 MB more
    // peak RSS, so it is off unless LEAKSCOPE_IMPORT_READER_THREAD=1 (bench/RESULTS.md).
    const result =
      hooks.workerUrl && process.env.LEAKSCOPE_IMPORT_READER_THREAD === '1'
        ? await runImportParallel(db, input, { ...hooks, workerUrl: hooks.workerUrl })
        : await runImport(db, input, hooks);
    // Profiling, search index and identity keys follow the import in the same job, so a dataset
    // is ready to explore when the import returns.
    await runPostImport(db, result, hooks);
    return result;
  },
  profile: (db: WritableDB, input: { dataset: string }, hooks: JobHooks) =>
    profileJob(db, input, hooks),
  linkage: (db: WritableDB, input: LinkageJobInput, hooks: JobHooks) =>
    linkageJob(db, input, hooks),
  export: (db: WritableDB, input: Parameters<typeof runExport>[1], hooks: JobHooks) =>
    runExport(db, input, hooks),
} satisfies Record<string, (db: WritableDB, input: never, hooks: JobHooks) => Promise<unknown>>;

export type JobKind = keyof typeof JOBS;
export type JobInput<K extends JobKind> = Parameters<(typeof JOBS)[K]>[1];
export type JobResult<K extends JobKind> = Awaited<ReturnType<(typeof JOBS)[K]>>;
