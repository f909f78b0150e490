/**
 * THE API contract: every method that crosses a process boundary (Electron IPC, the loopback
 * bridge, the CLI's calls into the engine) is declared here once, with zod schemas for its input
 * and output, a one-line description, and whether the engine writes an audit entry for it.
 *
 * The engine's router, the Electron IPC handlers, the bridge and the renderer's typed client are
 * all derived from this object (STYLE.md rule 3). Receivers validate every input with `input`.
 *
 * Pure: imports only zod and src/shared.
 */
import type { z } from 'zod';
import { caseContract } from './contract/case';
import { importContract } from './contract/import';
import { jobsContract } from './contract/jobs';
import { linkageContract } from './contract/linkage';
import { mergeContracts } from './contract/method-spec';
import { profileContract } from './contract/profile';
import { queryContract } from './contract/query';
import { redactContract } from './contract/redact';
import { sessionContract } from './contract/session';

export * from './contract/case';
export * from './contract/import';
export * from './contract/jobs';
export * from './contract/linkage';
export * from './contract/profile';
export * from './contract/query';
export * from './contract/redact';
export * from './contract/session';
export { mergeContracts, type MethodSpec } from './contract/method-spec';

/**
 * Every capability declares its methods in src/shared/contract/<capability>.ts; they are merged
 * here (a duplicate name throws at load time).
 */
export const contract = mergeContracts(
  caseContract,
  importContract,
  profileContract,
  queryContract,
  sessionContract,
  redactContract,
  linkageContract,
  jobsContract,
);

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller passes (defaults optional). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (defaults applied). */
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Input keys that are never written to the audit log or any log. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['passphrase', 'newPassphrase']);
