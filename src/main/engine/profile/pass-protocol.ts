/** Messages between the import's writer thread and its profiling thread (pass-thread.ts). */
import type { DatasetProfile } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { ProfileSnapshot } from './profiler';

export interface PassWorkerData {
  entry: 'profile-pass';
  /** Tests only: a thread that exits when asked for decisions, or fails its warm-up. */
  test?: { exitOnDecide?: boolean; failWarmUp?: boolean };
}

export type PassToWorker =
  /** Decisions on an early snapshot, thrown away: builds the reference Sets, compiles. */
  | { t: 'warm'; snapshot: ProfileSnapshot }
  | {
      t: 'decide';
      id: number;
      snapshot: ProfileSnapshot;
      dataset: { id: number; name: string };
      now: string;
    };

export type PassToMain =
  | { t: 'profile'; id: number; profile: DatasetProfile }
  | { t: 'error'; id: number | null; error: ErrorInfo };
