/**
 * Which compiled SQLite binding to load for the running runtime.
 *
 * Node (tests, CLI, bridge) and Electron (the app) need the same native module built for two
 * different ABIs. We keep one binary per runtime under `native/<runtime>-<platform>-<arch>-abi<N>/`
 * (built by scripts/native-binding.mjs) and hand its path to better-sqlite3's `nativeBinding`
 * option, so `npm test` and `npm start` never overwrite each other's build.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RuntimeVersions {
  modules: string;
  electron?: string;
}

export function bindingDirName(
  versions: RuntimeVersions = process.versions,
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  const runtime = versions.electron ? 'electron' : 'node';
  return `${runtime}-${platform}-${arch}-abi${versions.modules}`;
}

/**
 * Path of the binding for this runtime under `root/native`, or undefined when none was built,
 * in which case better-sqlite3 falls back to its own build (the Node one made by npm install).
 */
export function resolveNativeBinding(root: string): string | undefined {
  const path = join(root, 'native', bindingDirName(), 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}

/** File name suffix of a loadable library on this platform. */
function librarySuffix(platform: string): string {
  return platform === 'win32' ? 'dll' : platform === 'darwin' ? 'dylib' : 'so';
}

/**
 * The bulk-insert SQLite extension (import/bulk-insert.c) beside a runtime's binding:
 * `<native>/sqlite-ext-<platform>-<arch>/leakscope_bulk.<so|dylib|dll>`, built by
 * scripts/native-binding.mjs for both runtimes at once (it uses no Node API). Undefined when it
 * was not built: imports then bind record by record.
 */
export function bulkExtensionPath(
  nativeBinding: string | undefined,
  platform: string = process.platform,
  arch: string = process.arch,
): string | undefined {
  if (!nativeBinding) return undefined;
  const path = join(
    dirname(dirname(nativeBinding)),
    `sqlite-ext-${platform}-${arch}`,
    `leakscope_bulk.${librarySuffix(platform)}`,
  );
  return existsSync(path) ? path : undefined;
}
