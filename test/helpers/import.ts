/** Shared checks on imports run through the engine's public contract. */
import { expect } from 'vitest';
import type { Engine } from '../../src/main/engine';
import type { LeakscopeError } from '../../src/shared/errors';

/**
 * Imports `file` as dataset "cancelled" and aborts at the first progress event: the call fails
 * with E_CANCELLED, and the dataset is gone (cancelled before its first batch committed) or stays
 * marked cancelled, never complete.
 */
export async function expectImportCancels(engine: Engine, file: string): Promise<void> {
  const controller = new AbortController();
  const err = await engine
    .call(
      'import.run',
      { path: file, name: 'cancelled' },
      { signal: controller.signal, onProgress: () => controller.abort() },
    )
    .catch((e: unknown) => e);
  expect((err as LeakscopeError).code).toBe('E_CANCELLED');
  const { datasets } = await engine.call('datasets.list', {});
  const d = datasets.find((x) => x.name === 'cancelled');
  if (d) {
    expect(d.status).toBe('cancelled');
    expect(d.complete).toBe(false);
  }
}
