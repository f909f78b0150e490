/**
 * Superseded queries: a newer generation on a channel aborts the older requests still running,
 * a late older request is refused, other channels and scopes are left alone, and the caller's own
 * signal still cancels.
 */
import { describe, expect, it } from 'vitest';
import { runSuperseding } from '../../../src/main/engine/query/supersede';

/** A request that runs until its signal aborts (then rejects) or `finish` is called. */
function pending() {
  let finish: (v: string) => void = () => {};
  let seen: AbortSignal | undefined;
  const fn = (signal: AbortSignal | undefined) =>
    new Promise<string>((resolve, reject) => {
      seen = signal;
      finish = resolve;
      signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  return { fn, finish: (v: string) => finish(v), signal: () => seen };
}

describe('runSuperseding', () => {
  it('cancels older generations of a channel when a newer one arrives', async () => {
    const scope = {};
    const a = pending();
    const b = pending();
    const first = runSuperseding(scope, { channel: 'grid', generation: 1 }, undefined, a.fn);
    const sibling = runSuperseding(scope, { channel: 'grid', generation: 1 }, undefined, b.fn);
    const c = pending();
    const newer = runSuperseding(scope, { channel: 'grid', generation: 2 }, undefined, c.fn);
    await expect(first).rejects.toMatchObject({ code: 'E_CANCELLED' });
    await expect(sibling).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(c.signal()?.aborted).toBe(false);
    c.finish('page');
    await expect(newer).resolves.toBe('page');
    // A late request of the replaced query is refused without running.
    let ran = false;
    await expect(
      runSuperseding(scope, { channel: 'grid', generation: 1 }, undefined, async () => {
        ran = true;
        return 'x';
      }),
    ).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(ran).toBe(false);
  });

  it('leaves other channels, other scopes and untagged requests alone', async () => {
    const scope = {};
    const other = pending();
    const elsewhere = pending();
    const a = runSuperseding(scope, { channel: 'other', generation: 1 }, undefined, other.fn);
    const b = runSuperseding({}, { channel: 'grid', generation: 1 }, undefined, elsewhere.fn);
    await runSuperseding(scope, { channel: 'grid', generation: 5 }, undefined, async () => 'ok');
    expect(other.signal()?.aborted).toBe(false);
    expect(elsewhere.signal()?.aborted).toBe(false);
    other.finish('a');
    elsewhere.finish('b');
    await expect(a).resolves.toBe('a');
    await expect(b).resolves.toBe('b');
    const outer = new AbortController();
    await expect(
      runSuperseding(scope, undefined, outer.signal, async (s) => s === outer.signal),
    ).resolves.toBe(true);
  });

  it("still cancels with the caller's own signal", async () => {
    const outer = new AbortController();
    const p = pending();
    const run = runSuperseding({}, { channel: 'grid', generation: 1 }, outer.signal, p.fn);
    outer.abort();
    await expect(run).rejects.toThrow('aborted');
  });
});
