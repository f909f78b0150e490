/**
 * electron-builder `afterPack` hook (electron-builder.yml): refuses a package that lacks the
 * Electron SQLite binding for its own platform and architecture, which the app needs to open any
 * case. The binding is compiled by `node scripts/native-binding.mjs electron` (for the build
 * machine's platform and arch, which `npm run dist` runs first) and shipped unpacked beside the
 * app archive: `<resources>/app.asar.unpacked/native/electron-<platform>-<arch>-abi<N>/`.
 * Building for another arch (`--arm64` on an x64 machine) needs that arch's binding first.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** electron-builder's Arch enum (builder-util): the numbers afterPack receives. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** The resources folder of a packed app (macOS keeps it inside the .app bundle). */
export function resourcesDir(appOutDir, platform, productFilename) {
  return platform === 'darwin' || platform === 'mas'
    ? join(appOutDir, `${productFilename}.app`, 'Contents', 'Resources')
    : join(appOutDir, 'resources');
}

/** Paths of the packaged Electron bindings for `platform`/`arch` (empty when there is none). */
export function packagedBindings(resources, platform, arch) {
  const native = join(resources, 'app.asar.unpacked', 'native');
  if (!existsSync(native)) return [];
  const prefix = `electron-${platform === 'mas' ? 'darwin' : platform}-${arch}-abi`;
  return readdirSync(native)
    .filter((d) => d.startsWith(prefix))
    .map((d) => join(native, d, 'better_sqlite3.node'))
    .filter((f) => existsSync(f));
}

export async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  const resources = resourcesDir(
    context.appOutDir,
    platform,
    context.packager.appInfo.productFilename,
  );
  if (packagedBindings(resources, platform, arch).length === 0) {
    throw new Error(
      `no SQLite binding for electron-${platform}-${arch} in the package: run ` +
        '`node scripts/native-binding.mjs electron` on a machine of that platform and arch first',
    );
  }
}

export default afterPack;
