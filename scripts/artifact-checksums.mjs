/**
 * electron-builder `afterAllArtifactBuild` hook (electron-builder.yml): writes `<artefact>.sha256`
 * beside every artefact it built (AppImage, .deb, NSIS .exe, .dmg), in the format of
 * `sha256sum` / `shasum -a 256` ("<64 hex>  <file name>\n", name relative to the file's folder),
 * so that after the installer has crossed the air gap, on the workstation:
 *
 *   sha256sum -c Leakscope-0.1.0-x86_64.AppImage.sha256        (Linux)
 *   shasum -a 256 -c Leakscope-0.1.0-arm64.dmg.sha256           (macOS)
 *   Get-FileHash Leakscope-Setup-0.1.0-x64.exe                  (Windows; compare by eye)
 *
 * Returns the checksum files it wrote (electron-builder adds them to the build's artefacts).
 * Also usable by hand: `node scripts/artifact-checksums.mjs FILE...`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUFFIX = '.sha256';

/** SHA-256 of a file, streamed (installers are hundreds of MB). */
export function sha256OfFile(path) {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}

/** The line `sha256sum -c` expects: hash, two spaces (text mode), file name, newline. */
export function checksumLine(hex, path) {
  return `${hex}  ${basename(path)}\n`;
}

/** Writes `<file>.sha256` for each file (not for checksum files themselves); returns them. */
export async function writeChecksums(paths) {
  const written = [];
  for (const p of paths) {
    if (p.endsWith(SUFFIX)) continue;
    const file = `${p}${SUFFIX}`;
    writeFileSync(file, checksumLine(await sha256OfFile(p), p));
    written.push(file);
  }
  return written;
}

/** The hook: `buildResult.artifactPaths` are the artefacts of this build. */
export async function afterAllArtifactBuild(buildResult) {
  const written = await writeChecksums(buildResult.artifactPaths ?? []);
  for (const f of written) process.stderr.write(`  • checksum  ${f}\n`);
  return written;
}

export default afterAllArtifactBuild;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: node scripts/artifact-checksums.mjs FILE...\n');
    process.exit(2);
  }
  for (const f of await writeChecksums(files)) process.stdout.write(`${f}\n`);
}
