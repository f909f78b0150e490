/** Messages between the import's writer thread and its profiling thread (pass-thread.ts). */
import type { DatasetProfile } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { RowBatch } from '../import/row-batch';
import type { MirroredMember } from '../import/types';

export interface PassWorkerData {
  entry: 'profile-pass';
  /** Overrides SAMPLE_RECORDS (tests). */
  sampleRecords?: number;
  /** Columns followed at once (MAX_PASS_COLUMNS; tests). */
  maxColumns?: number;
  /** Tests only: a thread that exits when asked for a profile, or after its first chunk/rows. */
  test?: { exitOnProfile?: boolean; exitOnChunk?: boolean };
}

export type PassToWorker =
  /**
   * A member starts (member: a number per import). Bytes mode: read its forwarded chunks with
   * this reader and options. `values`: its stored rows come as the writer's batches instead.
   */
  | { t: 'member'; member: number; m: Omit<MirroredMember, 'sourceBytes'>; values: boolean }
  | { t: 'chunk'; member: number; bytes: Uint8Array }
  /** Values mode: columns a table declared, numbered on from its earlier ones. */
  | { t: 'columns'; member: number; table: string; columns: { name: string; path: string }[] }
  /** Values mode: rows a table stored; `weight` comes back in the ack. */
  | { t: 'rows'; member: number; table: string; batch: RowBatch; weight: number }
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
  /** Bytes of chunks (values mode: the weight of batches) read, for backpressure. */
  | { t: 'ack'; bytes: number }
  /** null: the thread did not count that table as the writer stored it. */
  | { t: 'profile'; id: number; profile: DatasetProfile | null }
  | { t: 'error'; id: number; error: ErrorInfo };
