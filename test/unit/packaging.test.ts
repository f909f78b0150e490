/**
 * The electron-builder configuration for air-gapped workstations (issue 9, point 5), checked
 * offline: electron-builder's own loader and schema validation, the targets, no publishing or
 * updater, the Electron SQLite binding shipped unpacked (and only that runtime's), tests, bench
 * and sources left out, and the two hooks: per-artefact SHA-256 files (`sha256sum -c` accepts
 * them) and the refusal of a package without its binding.
 *
 * Electron's binaries cannot be downloaded here, so electron-builder itself is never run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  [key: string]: unknown;
  publish: unknown;
  /** The loader turns the list of patterns into file sets: `[{ filter: [...] }]`. */
  files: (string | { from?: string; filter?: string[] })[];
  asarUnpack: string[];
  afterAllArtifactBuild: string;
  afterPack: string;
  linux: { target: string[] };
  win: { target: { target: string; arch: string[] }[] };
  mac: { target: string[] };
  electronFuses: Record<string, boolean>;
}

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(dir: string, file: string | null, extra: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown };
const { FileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  FileMatcher: new (
    from: string,
    to: string,
    expand: (p: string) => string,
    patterns: string[],
  ) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
};

/** The config as electron-builder reads it (file found by name, like `npm run dist`). */
const config = await getConfig(ROOT, null, null);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  build?: unknown;
};

/** The patterns applied to the app folder (file sets from `.` included). */
const filePatterns = config.files.flatMap((f) =>
  typeof f === 'string' ? [f] : f.from === undefined || f.from === '.' ? (f.filter ?? []) : [],
);

/** What electron-builder would do with a file of the app folder, for linux/x64. */
function packaged(patterns: string[], file: string): boolean {
  const expand = (p: string) => p.replaceAll('${platform}', 'linux').replaceAll('${arch}', 'x64');
  const filter = new FileMatcher('/app', '/out', expand, patterns).createFilter();
  return filter(`/app/${file}`, { isDirectory: () => false });
}
/** node_modules go through the exclusions only (electron-builder's node-module matcher). */
const packagedModule = (file: string) =>
  packaged(['**/*', ...filePatterns.filter((p) => p.startsWith('!'))], file);

const LINUX_BINDING = 'native/electron-linux-x64-abi140/better_sqlite3.node';
const LINUX_BULK = 'native/sqlite-ext-linux-x64/leakscope_bulk.so';

describe('electron-builder configuration', () => {
  it('is one file, loads and passes electron-builder’s schema validation', async () => {
    expect(pkg.build).toBeUndefined();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validation is real: a misspelt option fails.
    const wrong = await getConfig(ROOT, null, { nsis: { oneClik: false } });
    await expect(validateConfiguration(wrong, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object/,
    );
  });

  it('builds an AppImage and a .deb, an NSIS installer and a dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('publishes nothing and ships no updater', () => {
    expect(config.publish).toBeNull();
    expect(config['detectUpdateChannel']).toBe(false);
    expect(config['generateUpdatesFilesForAllChannels']).toBe(false);
    expect((config['nsis'] as Record<string, unknown>)['differentialPackage']).toBe(false);
    expect((config['dmg'] as Record<string, unknown>)['writeUpdateInfo']).toBe(false);
    expect(Object.keys(pkg.dependencies).some((d) => d.includes('updater'))).toBe(false);
    expect(pkg.scripts['dist']).toMatch(/electron-builder .*--publish never/);
  });

  it('builds the Electron SQLite binding first and ships it unpacked, not rebuilt in place', () => {
    expect(pkg.scripts['dist']).toMatch(
      /^node scripts\/native-binding\.mjs electron && electron-vite build && electron-builder/,
    );
    expect(config['npmRebuild']).toBe(false);
    expect(packaged(filePatterns, LINUX_BINDING)).toBe(true);
    expect(packaged(config.asarUnpack, LINUX_BINDING)).toBe(true);
    // The bulk-insert extension beside it, for this platform only.
    expect(packaged(filePatterns, LINUX_BULK)).toBe(true);
    expect(packaged(config.asarUnpack, LINUX_BULK)).toBe(true);
    expect(packaged(filePatterns, 'native/sqlite-ext-darwin-arm64/leakscope_bulk.dylib')).toBe(
      false,
    );
  });

  it('ships the built app, and no tests, benchmarks, sources or bindings of other runtimes', () => {
    for (const f of [
      'package.json',
      'out/main/index.js',
      'out/main/job-worker.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'resources/icon.png',
    ]) {
      expect(packaged(filePatterns, f), f).toBe(true);
    }
    for (const f of [
      'native/node-linux-x64-abi115/better_sqlite3.node',
      'native/node-linux-x64-abi127/better_sqlite3.node',
      'native/electron-darwin-arm64-abi140/better_sqlite3.node',
      'native/electron-linux-arm64-abi140/better_sqlite3.node',
      'native/.build/build/Release/better_sqlite3.node',
      'test/unit/packaging.test.ts',
      'test/fixtures/gen/cli.ts',
      'bench/export.bench.ts',
      'bench/out/export-case-1000000.lscase',
      'src/main/electron/index.ts',
      'src/main/engine/import/bulk-insert.c',
      'scripts/native-binding.mjs',
      'out/main/index.js.map',
      'evidence.lscase',
      'dist/Leakscope-0.1.0-x86_64.AppImage',
    ]) {
      expect(packaged(filePatterns, f), f).toBe(false);
    }
    // The package's own Node-ABI build and its C sources stay out; its JavaScript goes in.
    expect(
      packagedModule(
        'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      ),
    ).toBe(false);
    expect(packagedModule('node_modules/better-sqlite3-multiple-ciphers/deps/sqlite3.c')).toBe(
      false,
    );
    expect(packagedModule('node_modules/better-sqlite3-multiple-ciphers/lib/index.js')).toBe(true);
  });

  it('flips the Electron fuses that would let the binary run other code', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names hook modules that exist and export the hooks', async () => {
    expect(config.afterAllArtifactBuild).toBe('./scripts/artifact-checksums.mjs');
    expect(config.afterPack).toBe('./scripts/check-packaged-binding.mjs');
    const sums = (await import(join(ROOT, config.afterAllArtifactBuild))) as Record<
      string,
      unknown
    >;
    const check = (await import(join(ROOT, config.afterPack))) as Record<string, unknown>;
    expect(typeof sums['afterAllArtifactBuild']).toBe('function');
    expect(typeof check['afterPack']).toBe('function');
  });
});

describe('artefact checksum hook', () => {
  const dir = scratchDir('leakscope-dist-');

  it('writes a sha256sum-compatible file per artefact, which sha256sum -c accepts', async () => {
    const { afterAllArtifactBuild } = (await import(
      join(ROOT, 'scripts/artifact-checksums.mjs')
    )) as { afterAllArtifactBuild(r: { artifactPaths: string[] }): Promise<string[]> };
    const appImage = join(dir, 'Leakscope-0.1.0-x86_64.AppImage');
    const deb = join(dir, 'leakscope_0.1.0_amd64.deb');
    writeFileSync(appImage, Buffer.alloc(3 * 1024 * 1024 + 7, 0x41));
    writeFileSync(deb, 'not really a deb');
    const written = await afterAllArtifactBuild({ artifactPaths: [appImage, deb] });
    expect(written).toEqual([`${appImage}.sha256`, `${deb}.sha256`]);
    const expected = createHash('sha256').update(readFileSync(appImage)).digest('hex');
    expect(readFileSync(`${appImage}.sha256`, 'utf8')).toBe(`${expected}  ${basename(appImage)}\n`);
    const ok = execFileSync('sha256sum', ['-c', basename(`${appImage}.sha256`)], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(ok).toBe(`${basename(appImage)}: OK\n`);
    // A file changed on the way is caught.
    writeFileSync(deb, 'tampered');
    expect(() =>
      execFileSync('sha256sum', ['-c', basename(`${deb}.sha256`)], { cwd: dir, stdio: 'pipe' }),
    ).toThrow();
    // Checksum files are not themselves checksummed on a second run.
    expect(await afterAllArtifactBuild({ artifactPaths: [`${deb}.sha256`] })).toEqual([]);
  });
});

describe('packaged binding check', () => {
  const dir = scratchDir('leakscope-pack-');

  it('passes a package holding its binding, refuses one without it', async () => {
    const { afterPack } = (await import(join(ROOT, 'scripts/check-packaged-binding.mjs'))) as {
      afterPack(context: unknown): Promise<void>;
    };
    const context = (appOutDir: string, arch: number, platform = 'linux') => ({
      appOutDir,
      arch,
      electronPlatformName: platform,
      packager: { appInfo: { productFilename: 'Leakscope' } },
    });
    const good = join(dir, 'linux-unpacked');
    const native = join(good, 'resources', 'app.asar.unpacked', 'native');
    mkdirSync(join(native, 'electron-linux-x64-abi140'), { recursive: true });
    writeFileSync(join(native, 'electron-linux-x64-abi140', 'better_sqlite3.node'), 'elf');
    await expect(afterPack(context(good, 1))).resolves.toBeUndefined();
    // arm64 package built on an x64 machine: no binding of its own.
    await expect(afterPack(context(good, 3))).rejects.toThrow(/electron-linux-arm64/);
    await expect(afterPack(context(join(dir, 'empty'), 1))).rejects.toThrow(/no SQLite binding/);
    const mac = join(dir, 'mac-arm64');
    const macNative = join(mac, 'Leakscope.app', 'Contents', 'Resources', 'app.asar.unpacked');
    mkdirSync(join(macNative, 'native', 'electron-darwin-arm64-abi140'), { recursive: true });
    writeFileSync(
      join(macNative, 'native', 'electron-darwin-arm64-abi140', 'better_sqlite3.node'),
      'macho',
    );
    await expect(afterPack(context(mac, 3, 'darwin'))).resolves.toBeUndefined();
  });
});
