/**
 * Benchmarks that run "as the app runs": the benchmark itself and the job threads' script are
 * bundled with esbuild like electron.vite.config.ts's main build (ESM, dynamic imports kept lazy,
 * the SQLite binding external), and each subject runs from the bundle in plain Node, with no tsx
 * in any thread. Used by import.bench.ts and profile.bench.ts.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, ROOT, type Figure } from './lib';

export interface Bundle {
  subject: string;
  worker: string;
}

/** A value option of the bundled subjects (`--root DIR`, `--worker FILE`). */
export function benchOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** In a bundle, `ROOT` (from import.meta.url) is the bundle's folder: the runner passes the repo. */
export const benchRoot = (): string => benchOption('root') ?? ROOT;

/** Bundles the benchmark at `self` (as `<name>.js`) and the job worker script into bench/out. */
export async function bundleBench(name: string, self: string): Promise<Bundle> {
  const dir = join(OUT, `${name}-bundle`);
  rmSync(dir, { recursive: true, force: true });
  // Loaded here only: the measured subjects do not hold the bundler.
  const { build } = await import('esbuild');
  await build({
    entryPoints: {
      [`${name}-bench`]: self,
      'job-worker': join(ROOT, 'src/main/engine/jobs/entry.ts'),
    },
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dynamic imports stay lazy (their own chunks), as in the Electron build.
    splitting: true,
    external: ['better-sqlite3-multiple-ciphers', 'esbuild'],
    // Bundled CommonJS dependencies call require(): give the ESM output one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return { subject: join(dir, `${name}-bench.js`), worker: join(dir, 'job-worker.js') };
}

/** `runSubject` for a bundle: the subject prints its Figure as the last line of its output. */
export function runBundled(files: Bundle, name: string, args: string[]): Figure {
  const r = spawnSync(
    process.execPath,
    [files.subject, '--subject', name, '--root', ROOT, '--worker', files.worker, ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`subject ${name} failed (${r.status}): ${r.stdout}`);
  return JSON.parse(line) as Figure;
}
