/**
 * Typed messages between the engine (host) and a job worker thread (Signal's sql worker
 * protocol, reduced): the host starts one job per worker; the worker streams progress and ends
 * with `done` or `error`. Cancellation is cooperative first (`cancel` → AbortSignal checked
 * between chunks), then `worker.terminate()` as the hard stop.
 */
import type { ImportRequest, ImportResult, JobProgress } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';

export interface JobCaseAccess {
  casePath: string;
  passphrase: string;
  nativeBinding?: string;
  cacheMiB?: number;
}

export type JobRequest = { kind: 'import'; input: ImportRequest };
export type JobOutput = ImportResult;

export type HostToWorker =
  | { type: 'start'; access: JobCaseAccess; job: JobRequest }
  | { type: 'cancel' };

export type WorkerToHost =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; output: JobOutput }
  | { type: 'error'; error: ErrorInfo };
