/**
 * What every handler receives: the engine's dependencies (injected, never read from globals or
 * process.env) and the currently open case, if any.
 */
import type { JobProgress, MethodName, MethodOutput, MethodParsedInput } from '../../shared/api';
import type { OpenOptions, WritableCase } from './store';
import type { JobRegistry } from './tasks/registry';

export interface EngineDeps {
  /** better_sqlite3.node for this runtime (store/binding.ts), or undefined for the default. */
  nativeBinding?: string;
  appVersion: string;
  clock?: () => Date;
  /** Page cache of each connection, MiB. */
  cacheMiB?: number;
  /** Script of the job worker thread (the bundled one in Electron); defaults to the TS source. */
  jobWorkerUrl?: URL;
}

/** Per-call options of long methods: progress events and cancellation. */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

export interface EngineContext {
  readonly deps: EngineDeps;
  now(): Date;
  openOptions(): OpenOptions;
  /** The open case, or throws E_NO_CASE. */
  requireCase(): WritableCase;
  currentCase(): WritableCase | null;
  /**
   * Remembers the open case and its derived key (store/case-key.ts): job workers open their own
   * connection with it, without deriving it again.
   */
  setCase(c: WritableCase | null, key?: string): void;
  /** The raw key of the open case, for job workers. As secret as the passphrase; never logged. */
  caseKey(): string;
  /** Background jobs of this engine (jobs.* methods). */
  jobs(): JobRegistry;
}

export type Handler<M extends MethodName> = (
  input: MethodParsedInput<M>,
  ctx: EngineContext,
  call: CallOptions,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** A capability's handlers; the engine merges them and refuses duplicate names. */
export type HandlerMap = { [M in MethodName]?: Handler<M> };

/**
 * Optional per-method summary of the result for the audit log, when the full output is too large
 * or holds record values (query pages). Defaults to the whole output.
 */
export type AuditSummaries = { [M in MethodName]?: (output: MethodOutput<M>) => unknown };
