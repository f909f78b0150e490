/**
 * Messages between the engine and a query worker thread. Unlike a job worker (one job, then
 * exit), a query worker stays up between requests with its connection open, so that a page costs
 * a query, not a thread start plus a key derivation (~0.1 s for PBKDF2 at 256,000 iterations).
 * Cancel = terminate the thread: better-sqlite3 cannot interrupt a running statement.
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
  { type: 'run'; id: number; op: QueryOp; input: unknown } | { type: 'close' };

export type QueryWorkerToHost =
  | { type: 'ready' }
  | { type: 'fatal'; error: ErrorInfo }
  | { type: 'progress'; id: number; progress: JobProgress }
  | { type: 'done'; id: number; output: unknown }
  | { type: 'error'; id: number; error: ErrorInfo };
