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
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/main/web/security-headers';

function cspMetaTag(): Plugin {
  return {
    name: 'leakscope:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: contentSecurityPolicy({ meta: true }),
          },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

export default defineConfig({
  main: {
    build: {
      externalizeDeps: false,
      lib: { entry: resolve('src/main/electron/index.ts') },
      rolldownOptions: {
        external: ['better-sqlite3-multiple-ciphers'],
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      lib: { entry: resolve('src/main/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: {
        output: { entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), cspMetaTag()],
    build: {
      outDir: resolve('out/renderer'),
      rolldownOptions: {
        input: resolve('src/renderer/index.html'),
      },
    },
  },
});
