/**
 * The import as the built app runs it: the job worker (and its WAL checkpointer, started from the
 * same script) loaded from a JavaScript bundle of src/main/engine/jobs/entry.ts, built like the
 * Electron main build (ESM, code splitting, the native SQLite module external), with no tsx in
 * the worker threads. The benchmark measures memory this way (bench/import.bench.ts).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/main/engine';
import { openCase } from '../../src/main/engine/store';
import { generateFile } from '../fixtures/gen';
import { NATIVE_BINDING, ROOT, TEST_PASSPHRASE } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-import-bundled-');
// Inside the repository so the bundle resolves better-sqlite3-multiple-ciphers from node_modules.
const out = join(ROOT, 'node_modules', '.cache', `leakscope-job-worker-${process.pid}`);
let engine: Engine;
let casePath: string;

beforeAll(async () => {
  await build({
    entryPoints: { 'job-worker': join(ROOT, 'src/main/engine/jobs/entry.ts') },
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    external: ['better-sqlite3-multiple-ciphers'],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  engine = createEngine({
    appVersion: 'test',
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    jobWorkerUrl: pathToFileURL(join(out, 'job-worker.js')),
  });
  casePath = join(dir, 'bundled.lscase');
  await engine.call('case.create', { path: casePath, passphrase: TEST_PASSPHRASE });
}, 120_000);

afterAll(() => {
  engine.close();
  rmSync(out, { recursive: true, force: true });
});

describe('the bundled job worker', () => {
  it('imports every record and runs the post-import steps', async () => {
    const file = join(dir, 'people.csv');
    await generateFile({ format: 'csv', seed: 5, rows: 3000, out: file });
    const steps = new Set<string>();
    const r = await engine.call(
      'import.run',
      { path: file },
      { onProgress: (p) => steps.add(p.step) },
    );
    expect(r.recordsRead).toBe(3000);
    expect(r.rows + r.rejected).toBe(r.recordsRead);
    expect(r.datasets[0]!.status).toBe('ready');
    // The post-import steps are loaded by the job only after the import: they still run.
    expect(steps).toContain('done');
    const profile = await engine.call('profile.get', { dataset: r.datasets[0]!.name });
    expect(profile?.rows).toBe(3000);
    engine.close();

    // Read back through a fresh connection: the rows are in the case.
    const c = openCase(casePath, TEST_PASSPHRASE, {
      readOnly: true,
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    const physical = c.db
      .prepare('SELECT physical FROM datasets WHERE id = ?')
      .pluck()
      .get(r.datasets[0]!.id) as string;
    expect(c.db.prepare(`SELECT count(*) FROM "${physical}"`).pluck().get()).toBe(3000);
    c.close();
  }, 300_000);
});
