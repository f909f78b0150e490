#!/usr/bin/env node
/**
 * Makes sure a better-sqlite3-multiple-ciphers binding exists for one runtime, without touching
 * the binding of the other: `node scripts/native-binding.mjs node|electron`.
 *
 * Bindings live in native/<runtime>-<platform>-<arch>-abi<N>/better_sqlite3.node and the engine
 * passes that path to better-sqlite3's `nativeBinding` option (src/main/engine/store/binding.ts).
 * - node: copy the build made by `npm install` when it loads in this Node; otherwise (e.g. after
 *   switching from Node 20 to 22) compile a fresh one from the package sources.
 * - electron: compile against the Electron headers of the installed electron package (needs the
 *   headers once, from the network or node-gyp's cache; then never again).
 * Neither path ever overwrites node_modules/.../build/Release, so `npm test` and `npm start` work
 * in either order on one checkout.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
const runtime = process.argv[2];

function log(msg) {
  process.stderr.write(`[native-binding] ${msg}\n`);
}

function nodeGyp() {
  // npm puts its bundled node-gyp on npm_config_node_gyp inside `npm run`; otherwise look beside
  // the npm on PATH (a Node from a tarball may have no npm of its own), then in node_modules.
  const candidates = [process.env.npm_config_node_gyp];
  try {
    const npmBin = realpathSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim());
    candidates.push(join(dirname(npmBin), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } catch {
    // No npm on PATH.
  }
  try {
    const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
    candidates.push(join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } catch {
    // No global npm.
  }
  candidates.push(join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error('node-gyp not found (install npm, or run through `npm run`)');
  return [process.execPath, found];
}

/** Compiles the package sources in a scratch copy and moves the result to `outFile`. */
function compile(outFile, extraArgs, env = {}) {
  const work = join(root, 'native', '.build');
  rmSync(work, { recursive: true, force: true });
  cpSync(pkgDir, work, {
    recursive: true,
    filter: (src) => !src.startsWith(join(pkgDir, 'build')),
  });
  const [node, gyp] = nodeGyp();
  log(`compiling in ${work} (${extraArgs.join(' ') || 'node'}), about two minutes...`);
  execFileSync(node, [gyp, 'rebuild', '--release', ...extraArgs], {
    cwd: work,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  mkdirSync(dirname(outFile), { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), outFile);
  rmSync(work, { recursive: true, force: true });
}

function loadsInNode(file) {
  try {
    const Database = require('better-sqlite3-multiple-ciphers');
    new Database(':memory:', { nativeBinding: file }).close();
    return true;
  } catch {
    return false;
  }
}

function ensureNode() {
  const dir = join(
    root,
    'native',
    `node-${process.platform}-${process.arch}-abi${process.versions.modules}`,
  );
  const out = join(dir, 'better_sqlite3.node');
  if (existsSync(out) && loadsInNode(out)) return;
  const installed = join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(installed) && loadsInNode(installed)) {
    mkdirSync(dir, { recursive: true });
    cpSync(installed, out);
    log(`node binding ready: ${out}`);
    return;
  }
  // Build against the running Node's own headers when it ships them (distribution packages and
  // the official tarballs do), whatever nodedir the user's npmrc names.
  const prefix = dirname(dirname(process.execPath));
  const ownHeaders = existsSync(join(prefix, 'include', 'node', 'node_version.h'));
  compile(out, [], ownHeaders ? { npm_config_nodedir: prefix } : {});
  if (!loadsInNode(out))
    throw new Error(`the compiled binding ${out} does not load in Node ${process.version}`);
  log(`node binding compiled: ${out}`);
}

function ensureElectron() {
  const electronDir = dirname(require.resolve('electron/package.json'));
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  const abi = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
  const out = join(
    root,
    'native',
    `electron-${process.platform}-${process.arch}-abi${abi}`,
    'better_sqlite3.node',
  );
  if (existsSync(out)) return;
  compile(
    out,
    [
      `--target=${version}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
      '--runtime=electron',
    ],
    { npm_config_nodedir: '', npm_config_runtime: 'electron' },
  );
  log(`electron ${version} binding compiled: ${out}`);
}

/**
 * The bulk-insert SQLite extension (src/main/engine/import/bulk-insert.c): plain C against
 * SQLite's extension header, no Node API, so one build serves both runtimes. Optional: without
 * a C compiler (or on Windows, where none is assumed) imports bind record by record instead,
 * about a fifth slower to write. The library's name and folder are also computed by
 * src/main/engine/store/binding.ts (bulkExtensionPath), which loads it: keep the two in step.
 */
function ensureBulkExtension() {
  const source = join(root, 'src', 'main', 'engine', 'import', 'bulk-insert.c');
  const suffix = { win32: 'dll', darwin: 'dylib' }[process.platform] ?? 'so';
  const out = join(
    root,
    'native',
    `sqlite-ext-${process.platform}-${process.arch}`,
    `leakscope_bulk.${suffix}`,
  );
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) return;
  if (process.platform === 'win32') {
    log('bulk-insert extension: not built on Windows (imports bind record by record)');
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  const cc = process.env.CC || 'cc';
  const include = join(pkgDir, 'deps', 'sqlite3');
  try {
    execFileSync(
      cc,
      ['-O2', '-fPIC', '-shared', '-I', include, source, '-o', `${out}.tmp`, '-lm'],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    renameSync(`${out}.tmp`, out);
    log(`bulk-insert extension compiled: ${out}`);
  } catch (e) {
    rmSync(`${out}.tmp`, { force: true });
    log(
      `bulk-insert extension not built (${e instanceof Error ? e.message : String(e)}): imports bind record by record`,
    );
  }
}

try {
  ensureBulkExtension();
  if (runtime === 'node') ensureNode();
  else if (runtime === 'electron') ensureElectron();
  else {
    log('usage: node scripts/native-binding.mjs node|electron');
    process.exit(2);
  }
} catch (e) {
  log(`failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
