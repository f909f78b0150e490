/**
 * The Electron build's job thread (out/main/job-worker.js, built by `npm run build`) runs the same
 * import under plain Node: the bundle is complete (no missing chunk, no TypeScript left) and the
 * engine finds it through `jobWorkerUrl`, as the Electron main process does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { NATIVE_BINDING, ROOT, TEST_PASSPHRASE } from '../helpers/case';
import { generateFile } from '../fixtures/gen';
import { scratchDir } from '../helpers/tmp';

const bundle = join(ROOT, 'out', 'main', 'job-worker.js');
const dir = scratchDir();

describe.skipIf(!existsSync(bundle))('the bundled job worker (Electron build)', () => {
  it('imports a file through out/main/job-worker.js', async () => {
    const engine = createEngine({
      appVersion: 'test',
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
      jobWorkerUrl: pathToFileURL(bundle),
    });
    const file = join(dir, 'people.csv');
    await generateFile({ format: 'csv', seed: 3, rows: 500, out: file });
    await engine.call('case.create', {
      path: join(dir, 'bundle.lscase'),
      passphrase: TEST_PASSPHRASE,
    });
    const r = await engine.call('import.run', { path: file });
    expect(r.rows).toBe(500);
    expect(r.datasets[0]!.complete).toBe(true);
    engine.close();
  });
});
