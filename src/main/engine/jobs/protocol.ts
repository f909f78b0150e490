/**
 * Typed messages between the engine (host) and a job worker thread (Signal's sql worker
 * protocol, reduced): the host starts one job per worker; the worker streams progress and ends
 * with `done` or `error`. Cancellation is cooperative first (`cancel` → AbortSignal checked
 * between chunks), then `worker.terminate()` as the hard stop.
 */
import type { JobProgress } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { JobInput, JobKind } from './registry';

export interface JobCaseAccess {
  casePath: string;
  /** The case key as the engine derived it (store/case-key.ts), never the passphrase's KDF again. */
  key: string;
  nativeBinding?: string;
  cacheMiB?: number;
}

export interface JobRequest<K extends JobKind = JobKind> {
  kind: K;
  input: JobInput<K>;
}

export type HostToWorker =
  | {
      type: 'start';
      access: JobCaseAccess;
      job: JobRequest;
      /** The script this worker runs, so it can start helper threads (the checkpointer) from it. */
      workerUrl: string;
    }
  | { type: 'cancel' };

export type WorkerToHost =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; output: unknown }
  | { type: 'error'; error: ErrorInfo };
