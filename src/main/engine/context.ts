/**
 * What every handler receives: the engine's dependencies (injected, never read from globals or
 * process.env) and the currently open case, if any.
 */
import type { MethodName, MethodOutput, MethodParsedInput } from '../../shared/api';
import type { OpenOptions, WritableCase } from './store';

export interface EngineDeps {
  /** better_sqlite3.node for this runtime (store/binding.ts), or undefined for the default. */
  nativeBinding?: string;
  appVersion: string;
  clock?: () => Date;
  /** Page cache of each connection, MiB. */
  cacheMiB?: number;
}

export interface EngineContext {
  readonly deps: EngineDeps;
  now(): Date;
  openOptions(): OpenOptions;
  /** The open case, or throws E_NO_CASE. */
  requireCase(): WritableCase;
  currentCase(): WritableCase | null;
  setCase(c: WritableCase | null): void;
}

export type Handler<M extends MethodName> = (
  input: MethodParsedInput<M>,
  ctx: EngineContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** A capability's handlers; the engine merges them and refuses duplicate names. */
export type HandlerMap = { [M in MethodName]?: Handler<M> };

/**
 * Optional per-method summary of the result for the audit log, when the full output is too large
 * or holds record values (query pages). Defaults to the whole output.
 */
export type AuditSummaries = { [M in MethodName]?: (output: MethodOutput<M>) => unknown };
