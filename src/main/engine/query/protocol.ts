/**
 * Messages between the engine and a query worker thread. Unlike a job worker (one job, then
 * exit), a query worker stays up between requests with its connection open, so that a page costs
 * a query, not a thread start plus a key derivation (~0.1 s for PBKDF2 at 256,000 iterations).
 * Cancel = ask the thread to abort the request at its next check (scans check between chunks),
 * and terminate it if it has not answered within a grace period: better-sqlite3 cannot interrupt
 * a running statement, but restarting a thread costs its start and key derivation again.
 */
import type { JobProgress } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { JobCaseAccess } from '../jobs/protocol';
import type { QueryOp } from './exec';

/** workerData of a query thread. */
export interface QueryWorkerData {
  entry: 'query';
  access: JobCaseAccess;
}

export type HostToQueryWorker =
  | { type: 'run'; id: number; op: QueryOp; input: unknown }
  /** Abort request `id` at its next check (scans check between chunks); the thread lives on. */
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type QueryWorkerToHost =
  | { type: 'ready' }
  | { type: 'fatal'; error: ErrorInfo }
  | { type: 'progress'; id: number; progress: JobProgress }
  | { type: 'done'; id: number; output: unknown }
  | { type: 'error'; id: number; error: ErrorInfo };
