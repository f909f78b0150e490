/**
 * Superseded queries (rows.query `supersede`): a grid tags its requests with a channel and the
 * generation of its current query; when a newer generation arrives on the channel, the requests
 * of older ones still waiting for a query worker or running in one are cancelled (the pool then
 * drops or terminates them), so a search typed letter by letter never leaves the workers busy
 * with the searches it replaced. A request older than the newest seen is refused at once.
 *
 * Channels are per engine context and keep their newest generation (a late older request must
 * still be refused).
 */
import type { Supersede } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';

interface Channel {
  generation: number;
  running: Map<AbortController, number>;
}

const MAX_CHANNELS = 256;
const channels = new WeakMap<object, Map<string, Channel>>();

const superseded = () =>
  new LeakscopeError('E_CANCELLED', 'query superseded by a newer one on the same view');

/**
 * Runs `fn` with a signal that aborts when `outer` does or when a newer generation arrives on the
 * channel. `scope` is the owner of the channels (the engine context).
 */
export async function runSuperseding<T>(
  scope: object,
  tag: Supersede | undefined,
  outer: AbortSignal | undefined,
  fn: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!tag) return fn(outer);
  let byName = channels.get(scope);
  if (!byName) {
    byName = new Map();
    channels.set(scope, byName);
  }
  let ch = byName.get(tag.channel);
  if (!ch) {
    // Channels are a few per window; forget idle ones if they ever pile up.
    if (byName.size >= MAX_CHANNELS)
      for (const [name, c] of byName) if (c.running.size === 0) byName.delete(name);
    ch = { generation: tag.generation, running: new Map() };
    byName.set(tag.channel, ch);
  }
  if (tag.generation < ch.generation) throw superseded();
  if (tag.generation > ch.generation) {
    ch.generation = tag.generation;
    for (const [ac, gen] of ch.running) if (gen < tag.generation) ac.abort();
  }
  const ac = new AbortController();
  const onOuter = () => ac.abort();
  if (outer?.aborted) ac.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  ch.running.set(ac, tag.generation);
  try {
    return await fn(ac.signal);
  } catch (e) {
    if (ac.signal.aborted && !outer?.aborted) throw superseded();
    throw e;
  } finally {
    outer?.removeEventListener('abort', onOuter);
    ch.running.delete(ac);
  }
}
