/** An engine with a fresh case, for integration tests through the public contract. */
import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/main/engine';
import { NATIVE_BINDING, TEST_PASSPHRASE } from './case';

let n = 0;

export async function engineWithCase(
  dir: string,
  name = `case-${process.pid}-${++n}`,
): Promise<{ engine: Engine; path: string }> {
  const engine = createEngine({
    appVersion: 'test',
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  const path = join(dir, `${name}.lscase`);
  await engine.call('case.create', { path, passphrase: TEST_PASSPHRASE });
  return { engine, path };
}
