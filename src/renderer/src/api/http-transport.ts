/**
 * The HTTP transport to the loopback bridge: `POST /api/<method>` with a JSON body, same origin,
 * authenticated by the HttpOnly cookie the bridge set when the page was opened with its token
 * (this code never sees the token). Always resolves to a Result: transport failures become
 * E_IO / E_FORBIDDEN errors rather than exceptions.
 *
 * Browser code: no Node, no Electron, no src/main imports.
 */
import { z } from 'zod';
import type { Transport } from '../../../shared/client';
import { ErrorInfo, type Result } from '../../../shared/errors';

/** What the bridge answers for every call (also its transport-level refusals). */
const ResultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorInfo }),
]);

/** Transport metadata the bridge serves at /bridge/session (not a contract method). */
const BridgeSession = z.object({
  transport: z.literal('http'),
  fixedCase: z.string().nullable(),
});
export type BridgeSession = z.infer<typeof BridgeSession>;

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const UNREACHABLE = 'the Leakscope bridge does not answer (was `leakscope serve` stopped?)';

export function httpTransport(fetchFn: FetchLike, base = ''): Transport {
  return {
    async invoke(method, input): Promise<Result<unknown>> {
      let res: Response;
      try {
        res = await fetchFn(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch {
        return { ok: false, error: { code: 'E_IO', message: UNREACHABLE } };
      }
      const body: unknown = await res.json().catch(() => null);
      const parsed = ResultEnvelope.safeParse(body);
      if (parsed.success) {
        return parsed.data.ok
          ? { ok: true, value: parsed.data.value }
          : { ok: false, error: parsed.data.error };
      }
      const forbidden = res.status === 401 || res.status === 403;
      return {
        ok: false,
        error: {
          code: forbidden ? 'E_FORBIDDEN' : 'E_INTERNAL',
          message: forbidden
            ? 'the bridge refused this page: open the URL printed by `leakscope serve`'
            : `the bridge answered HTTP ${res.status}`,
        },
      };
    },
  };
}

/** Asks the bridge which mode it runs in; null when it cannot tell (then: free mode). */
export async function fetchBridgeSession(
  fetchFn: FetchLike,
  base = '',
): Promise<BridgeSession | null> {
  try {
    const res = await fetchFn(`${base}/bridge/session`, {
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!res.ok) return null;
    const parsed = BridgeSession.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
