/**
 * Build of the three Electron bundles (`npx electron-vite build` -> out/main, out/preload,
 * out/renderer):
 * - main: src/main/electron/index.ts, ESM (package.json "type": "module"); everything bundled
 *   except Electron, Node built-ins and the native SQLite module, which must load from
 *   node_modules with its .node binary.
 * - preload: src/main/preload/index.ts, CommonJS `index.cjs` with every dependency bundled: a
 *   sandboxed preload cannot `require` anything but a few Electron modules, and cannot be ESM.
 * - renderer: src/renderer (React); the CSP `<meta>` tag is injected at build time from the same
 *   source as the response headers (src/main/web/security-headers.ts), and only at build time,
 *   because the dev server needs an inline React-refresh preamble.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin, UserConfig } from 'vite';
import { contentSecurityPolicy } from './src/main/web/security-headers';

/** Repo root, whatever the working directory of the caller (electron-vite, vitest). */
const ROOT = dirname(fileURLToPath(import.meta.url));

/** Marker in src/renderer/index.html, right after `<meta charset>` and before any script. */
const CSP_MARKER = '<!-- csp-meta -->';

function cspMetaTag(): Plugin {
  return {
    name: 'leakscope:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        // A meta CSP governs only what follows it, so it must precede every script: fail the
        // build rather than ship a page without it.
        if (!html.includes(CSP_MARKER))
          throw new Error(`index.html lacks the ${CSP_MARKER} marker`);
        const content = contentSecurityPolicy({ meta: true }).replaceAll("'", '&#39;');
        return html.replace(
          CSP_MARKER,
          `<meta http-equiv="Content-Security-Policy" content="${content}" />`,
        );
      },
    },
  };
}

/**
 * The renderer build on its own: also used by the e2e global setup (test/e2e/global-setup.ts),
 * which builds the UI without main and preload. Self-sufficient (base, outDir, input), so it
 * gives the same output with or without electron-vite's presets.
 */
export const rendererConfig = {
  root: resolve(ROOT, 'src/renderer'),
  base: './',
  plugins: [react(), cspMetaTag()],
  build: {
    outDir: resolve(ROOT, 'out/renderer'),
    emptyOutDir: true,
    rolldownOptions: {
      input: resolve(ROOT, 'src/renderer/index.html'),
    },
  },
} satisfies UserConfig;

export default defineConfig({
  main: {
    build: {
      externalizeDeps: false,
      lib: {
        entry: {
          index: resolve(ROOT, 'src/main/electron/index.ts'),
          // The job thread (import, profile, linkage, export) and its WAL checkpointer.
          'job-worker': resolve(ROOT, 'src/main/engine/jobs/entry.ts'),
        },
      },
      rolldownOptions: {
        external: ['better-sqlite3-multiple-ciphers'],
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      lib: { entry: resolve(ROOT, 'src/main/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: {
        output: { entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
