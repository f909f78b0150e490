/**
 * Serving the built renderer (out/renderer) safely, for the loopback bridge and for Electron's
 * `app://` protocol: URL path -> file inside the root, or nothing. Refuses traversal (`..`, encoded
 * or not), backslashes, NUL, dot-files and symlinks that lead outside the root.
 *
 * Plain Node (node:fs, node:path); never imports electron.
 */
import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names under `rootDir`, or null when the path is malformed or would leave
 * the root. `/` and `` name index.html. Pure string work: it does not touch the disk.
 */
export function resolveStaticPath(rootDir: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  // `.` and `..` are traversal; other dot-segments are hidden files we never ship.
  if (segments.some((s) => s.startsWith('.') || s.includes(':'))) return null;
  const root = resolve(rootDir);
  const file = segments.length === 0 ? join(root, 'index.html') : join(root, ...segments);
  return file.startsWith(root + sep) ? file : null;
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Reads the file a URL path names, or null (not found, a directory, malformed, or a symlink
 * whose target is outside the root).
 */
export async function readStaticFile(
  rootDir: string,
  urlPathname: string,
): Promise<StaticFile | null> {
  const file = resolveStaticPath(rootDir, urlPathname);
  if (!file) return null;
  try {
    const real = realpathSync(file);
    const realRoot = realpathSync(resolve(rootDir));
    if (!real.startsWith(realRoot + sep) || !statSync(real).isFile()) return null;
    return { body: await readFile(real), contentType: contentTypeFor(real) };
  } catch {
    return null;
  }
}
