/** Messages between the import's writer thread and its profiling thread (pass-thread.ts). */
import type { DatasetProfile } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { SinkCall } from '../import/sink-calls';
import type { MirroredMember, ReadResult } from '../import/types';

/**
 * What the thread reads the forwarded bytes of a member for. bytes: the profile (the writer
 * parses them too); parse: the profile and the writer, to which it sends back the reader's
 * calls (the writer parses nothing).
 */
export type PassMode = 'bytes' | 'parse';

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
  /**
   * A member starts (member: a number per import): read its forwarded chunks with this reader.
   * `profile` false (parse mode): only for the writer, whose observers count the profile.
   */
  | {
      t: 'member';
      member: number;
      m: Omit<MirroredMember, 'sourceBytes'>;
      mode: PassMode;
      profile: boolean;
    }
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
  /** Bytes of chunks read (parse mode: and their calls sent), for backpressure. */
  | { t: 'ack'; bytes: number }
  /** null: the thread did not count that table as the writer stored it. */
  | { t: 'profile'; id: number; profile: DatasetProfile | null }
  | { t: 'error'; id: number; error: ErrorInfo }
  /** Parse mode: the reader's calls since the last message, in order (before the chunk's ack). */
  | { t: 'calls'; member: number; calls: SinkCall[] }
  /**
   * Parse mode: the member's reader is done, after its last calls: its result, or its error;
   * neither when it was cut short (the writer, which said so, throws its own error).
   */
  | { t: 'read'; member: number; result?: ReadResult; error?: ErrorInfo };
