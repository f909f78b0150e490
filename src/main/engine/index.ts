/**
 * The engine: one object implementing every method of the shared contract, used unchanged by the
 * Electron IPC handlers, the loopback bridge and the CLI (they are thin adapters over `invoke`).
 *
 * `invoke` is the single router (STYLE.md rule 4 and 13): validate the input with the contract's
 * zod schema, check a case is open where needed, run the handler, validate the output, append the
 * audit entry for methods marked `audit` (never by hand in handlers), and wrap everything in a
 * Result so callers never see a raw exception.
 *
 * Pure Node: never imports electron (lint-enforced).
 */
import {
  contract,
  isMethodName,
  SECRET_KEYS,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../shared/api';
import { LeakscopeError, toErrorInfo, type Result } from '../../shared/errors';
import { appendAudit } from './audit';
import { auditHandlers } from './audit/handlers';
import type {
  AuditSummaries,
  CallOptions,
  EngineContext,
  EngineDeps,
  Handler,
  HandlerMap,
} from './context';
import { exportAuditSummaries, exportHandlers } from './export';
import { importHandlers } from './import/handlers';
import { linkageAuditSummaries, linkageHandlers } from './linkage';
import { queryAuditSummaries, queryHandlers } from './query';
import { auditSummary as profileAuditSummary } from './profile';
import { profileHandlers } from './profile/handlers';
import { redactAuditSummaries, redactHandlers } from './redact';
import { sessionAuditSummaries, sessionHandlers } from './session';
import { caseHandlers } from './store/handlers';
import { jobsHandlers } from './tasks/handlers';
import { JobRegistry } from './tasks/registry';
import type { WritableCase } from './store';

export type { CallOptions, EngineDeps } from './context';

export interface Engine {
  /** Untrusted input in, Result out: what every transport calls. */
  invoke(method: string, input: unknown, call?: CallOptions): Promise<Result<unknown>>;
  /** Typed convenience for in-process callers (CLI, tests); throws LeakscopeError on failure. */
  call<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
    call?: CallOptions,
  ): Promise<MethodOutput<M>>;
  /** Closes the open case, if any. */
  close(): void;
}

const CAPABILITIES: readonly HandlerMap[] = [
  caseHandlers,
  auditHandlers,
  importHandlers,
  profileHandlers,
  sessionHandlers,
  queryHandlers,
  redactHandlers,
  exportHandlers,
  linkageHandlers,
  jobsHandlers,
];
const AUDIT_SUMMARIES: AuditSummaries = {
  'profile.run': profileAuditSummary,
  ...sessionAuditSummaries,
  ...queryAuditSummaries,
  ...redactAuditSummaries,
  ...exportAuditSummaries,
  ...linkageAuditSummaries,
};

/** Merges capability handler maps, refusing a method defined twice (Actual's app.combine). */
export function mergeHandlers(maps: readonly HandlerMap[]): HandlerMap {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [name, handler] of Object.entries(map)) {
      if (name in merged) throw new Error(`method ${name} is defined by two capabilities`);
      merged[name] = handler;
    }
  }
  return merged as HandlerMap;
}

export const HANDLERS = mergeHandlers(CAPABILITIES);

/** Input as written to the audit log: passphrases and other secrets removed. */
export function auditParams(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (!SECRET_KEYS.has(k)) out[k] = v;
  }
  return out;
}

/** Methods that close or replace the open case: background jobs are cancelled first. */
const CASE_SWITCHES: ReadonlySet<string> = new Set([
  'case.close',
  'case.open',
  'case.create',
  'case.rekey',
]);

export function createEngine(deps: EngineDeps): Engine {
  let current: WritableCase | null = null;
  let key = '';
  // Assigned below: the registry calls back into this engine's invoke.
  let jobs: JobRegistry | null = null;
  const ctx: EngineContext = {
    deps,
    now: () => (deps.clock ? deps.clock() : new Date()),
    openOptions: () => ({
      ...(deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {}),
      cacheMiB: deps.cacheMiB ?? 64,
      now: () => (deps.clock ? deps.clock() : new Date()),
    }),
    requireCase() {
      if (!current) throw new LeakscopeError('E_NO_CASE', 'no case is open');
      return current;
    },
    currentCase: () => current,
    setCase(c, k) {
      current = c;
      key = c ? (k ?? key) : '';
    },
    caseKey: () => key,
    jobs: () => {
      if (!jobs) throw new Error('engine not initialised');
      return jobs;
    },
  };

  async function run(method: MethodName, rawInput: unknown, call: CallOptions): Promise<unknown> {
    const spec = contract[method];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
        .join('; ');
      throw new LeakscopeError('E_BAD_INPUT', `${method} (${spec.description}): ${issues}`);
    }
    if (spec.needsCase) ctx.requireCase();
    // A job must never outlive the case it writes to.
    if (CASE_SWITCHES.has(method)) await ctx.jobs().cancelAll();
    const handler = HANDLERS[method] as Handler<MethodName> | undefined;
    if (!handler) throw new LeakscopeError('E_UNKNOWN_METHOD', `${method} is not implemented`);
    const output = await handler(parsed.data as never, ctx, call);
    const checked = spec.output.parse(output) as MethodOutput<MethodName>;
    if (spec.audit && current) {
      const summarize = AUDIT_SUMMARIES[method] as ((o: unknown) => unknown) | undefined;
      appendAudit(current.db, {
        at: ctx.now(),
        action: method,
        params: auditParams(parsed.data),
        result: summarize ? summarize(checked) : checked,
      });
    }
    return checked;
  }

  const engine: Engine = {
    async invoke(method, input, call = {}) {
      if (!isMethodName(method)) {
        return {
          ok: false,
          error: { code: 'E_UNKNOWN_METHOD', message: `unknown method ${method}` },
        };
      }
      try {
        return { ok: true, value: await run(method, input, call) };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    },
    async call(method, input, call) {
      const result = await this.invoke(method, input, call);
      if (!result.ok) {
        throw new LeakscopeError(result.error.code, result.error.message, result.error.details);
      }
      return result.value as MethodOutput<typeof method>;
    },
    close() {
      void jobs?.cancelAll();
      current?.close();
      current = null;
      key = '';
    },
  };
  jobs = new JobRegistry((m, i, c) => engine.invoke(m, i, c), ctx.now);
  return engine;
}
