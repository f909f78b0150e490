/** Messages between the import's writer thread and its profiling thread (pass-thread.ts). */
import type { DatasetProfile } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { MirroredMember } from '../import/types';

export interface PassWorkerData {
  entry: 'profile-pass';
  /** Overrides SAMPLE_RECORDS (tests). */
  sampleRecords?: number;
  /** Columns followed at once (MAX_PASS_COLUMNS; tests). */
  maxColumns?: number;
  /** Tests only: a thread that exits when asked for a profile, or after its first chunk. */
  test?: { exitOnProfile?: boolean; exitOnChunk?: boolean };
}

export type PassToWorker =
  /** A member starts: read it with this reader and options (member: a number per import). */
  | { t: 'member'; member: number; m: Omit<MirroredMember, 'sourceBytes'> }
  | { t: 'chunk'; member: number; bytes: Uint8Array }
  /** `cutShort`: the source stream ended early, as TruncatedSourceError told the writer. */
  | { t: 'end'; member: number; cutShort: boolean }
  /** The profile of one table, if the thread counted exactly `rows` rows of `width` columns. */
  | {
      t: 'profile';
      id: number;
      member: number;
      table: string;
      rows: number;
      width: number;
      dataset: { id: number; name: string };
      now: string;
    };

export type PassToMain =
  /** Bytes of chunks read, for backpressure. */
  | { t: 'ack'; bytes: number }
  /** null: the thread did not count that table as the writer stored it. */
  | { t: 'profile'; id: number; profile: DatasetProfile | null }
  | { t: 'error'; id: number; error: ErrorInfo };
