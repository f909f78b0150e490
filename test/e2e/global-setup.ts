/**
 * Builds the renderer once per e2e run, fresh from the sources, with the same Vite config as
 * `electron-vite build` (electron.vite.config.ts `rendererConfig`) but into test-results/, so the
 * browser always tests the current code and a developer's out/ is never overwritten. Only the
 * renderer is built: the e2e run does not depend on main or preload compiling.
 */
import { existsSync } from 'node:fs';
import { build } from 'vite';
import { rendererConfig } from '../../electron.vite.config';
import { CHROMIUM, E2E_RENDERER_DIR } from './paths';

export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it or set LEAKSCOPE_CHROMIUM`);
  }
  // Vitest sets NODE_ENV=test, which Vite would bake in (React's development build).
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({
      ...rendererConfig,
      configFile: false,
      mode: 'production',
      logLevel: 'warn',
      build: { ...rendererConfig.build, outDir: E2E_RENDERER_DIR, emptyOutDir: true },
    });
  } finally {
    process.env['NODE_ENV'] = nodeEnv;
  }
}
