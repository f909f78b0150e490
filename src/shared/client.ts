/**
 * The typed API client the renderer (and tests) use, over any transport: Electron IPC through
 * the preload, or HTTP to the loopback bridge. A transport only moves `{method, input}` and
 * returns the `Result` envelope; this file gives it types.
 *
 * Pure: imports only src/shared.
 */
import type { MethodInput, MethodName, MethodOutput } from './api';
import { LeakscopeError, type Result } from './errors';

export interface Transport {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
}

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

/** Wraps a transport; a failed Result is rethrown as a LeakscopeError with its code. */
export function createClient(transport: Transport): ApiClient {
  return {
    async call(method, input) {
      const result = await transport.invoke(method, input);
      if (!result.ok)
        throw new LeakscopeError(result.error.code, result.error.message, result.error.details);
      // The receiving side validated the output against the contract before sending it.
      return result.value as MethodOutput<typeof method>;
    },
  };
}
