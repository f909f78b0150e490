/**
 * The security decisions of the Electron adapter as pure functions over plain values, so they
 * are unit-tested under plain Node (test/unit/electron): which IPC sender is trusted, which URL
 * the session may load, where navigation may go, which file paths the renderer may name, when
 * the idle lock fires.
 *
 * Must not import 'electron' (not even types): the test runtime has no Electron binary.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { ErrorInfo } from '../../shared/errors';

export const APP_SCHEME = 'app';
export const APP_HOST = 'leakscope';
/** Origin of the renderer: a privileged standard scheme, so 'self' and relative URLs work. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const CASE_EXTENSION = '.lscase';

/**
 * `scheme://host[:port]`, or null. Node's URL gives 'null' as the origin of non-special schemes
 * such as app:, so it is rebuilt from protocol and host.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (!u.host) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export interface SenderInfo {
  /** URL of the frame that sent the message (event.senderFrame.url); null when it is gone. */
  frameUrl: string | null;
  /** event.senderFrame.parent === null */
  isTopFrame: boolean;
  /** event.sender.id */
  webContentsId: number;
}

export interface TrustedSenders {
  origins: readonly string[];
  /** webContents ids of our own windows. */
  webContentsIds: ReadonlySet<number>;
}

/**
 * An IPC message is served only when it comes from the top frame of one of our windows showing
 * our own origin (Electron security checklist #17; VS Code's validateEvent).
 */
export function isTrustedSender(sender: SenderInfo, trusted: TrustedSenders): boolean {
  if (!sender.isTopFrame || sender.frameUrl === null) return false;
  if (!trusted.webContentsIds.has(sender.webContentsId)) return false;
  const origin = originOf(sender.frameUrl);
  return origin !== null && trusted.origins.includes(origin);
}

/**
 * Whether the session may issue a request at all. Only our own protocol (and, in development,
 * the electron-vite dev server on loopback) is allowed; everything else is cancelled, so the app
 * works, and must work, fully offline. data: and blob: never touch the network.
 */
export function isAllowedRequest(url: string, devServerOrigin: string | null = null): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  if (u.protocol === `${APP_SCHEME}:`) return u.host === APP_HOST;
  if (u.protocol === 'devtools:') return true;
  if (devServerOrigin !== null) {
    const origin = originOf(url);
    const wsOrigin = devServerOrigin.replace(/^http:/, 'ws:');
    return origin === devServerOrigin || origin === wsOrigin;
  }
  return false;
}

/** Navigation is refused except a reload of our own origin. */
export function isAllowedNavigation(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && allowedOrigins.includes(origin);
}

/**
 * The dev server URL electron-vite passes in development, accepted only when it is plain http on
 * loopback; anything else (a remote URL planted in the environment) is ignored.
 */
export function devServerOriginFrom(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !value) return null;
  try {
    const u = new URL(value);
    const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
    return u.protocol === 'http:' && loopback ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * Input keys that name a file on this machine. In the Electron transport their values must come
 * from a dialog main opened (PathGrants); add a key here when the contract grows one.
 */
export const PATH_INPUT_KEYS: ReadonlySet<string> = new Set(['path', 'file', 'out', 'source']);

/** Paths the user chose in main's dialogs during this run. */
export class PathGrants {
  readonly #paths = new Set<string>();

  grant(path: string): void {
    this.#paths.add(path);
  }

  has(path: string): boolean {
    return this.#paths.has(path);
  }
}

/** The path-valued inputs of a call that no dialog granted (empty when the call may proceed). */
export function ungrantedPaths(input: unknown, grants: PathGrants): string[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!PATH_INPUT_KEYS.has(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      // Non-strings are left to the contract's zod schema (E_BAD_INPUT).
      if (typeof v === 'string' && !grants.has(v)) out.push(v);
    }
  }
  return out;
}

/** The refusal sent back when a renderer names a path it was not given. */
export function ungrantedPathError(paths: readonly string[]): ErrorInfo {
  return {
    code: 'E_FORBIDDEN',
    message: `choose the file through the dialog (not granted: ${paths.length} path${paths.length === 1 ? '' : 's'})`,
  };
}

/** A save-dialog answer with the case extension added when the user typed none. */
export function withCaseExtension(path: string): string {
  return extname(path).toLowerCase() === CASE_EXTENSION ? path : `${path}${CASE_EXTENSION}`;
}

export const DEFAULT_IDLE_LOCK_MINUTES = 10;

/**
 * Idle lock delay from LEAKSCOPE_IDLE_LOCK_MINUTES: a number of minutes (fractions allowed),
 * 0 to disable; missing or unreadable values give the default. Returns seconds (0 = never).
 */
export function idleLockSeconds(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_IDLE_LOCK_MINUTES * 60;
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 0) return DEFAULT_IDLE_LOCK_MINUTES * 60;
  return Math.round(minutes * 60);
}

/** True when the machine has been idle (no keyboard or mouse) at least the lock delay. */
export function idleLockDue(systemIdleSeconds: number, lockSeconds: number): boolean {
  return lockSeconds > 0 && systemIdleSeconds >= lockSeconds;
}

/**
 * Chromium switches appended before `ready`, a second wall behind the session request filters:
 * no proxy resolution (no WPAD lookup on the LAN), and every host name resolves to nothing, so
 * even a request that slipped past every filter could not reach a host. In development the
 * electron-vite dev server on loopback stays reachable.
 */
export function chromiumSwitches(devServerOrigin: string | null): [string, string | null][] {
  const rules = devServerOrigin
    ? 'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
    : 'MAP * ~NOTFOUND';
  return [
    ['no-proxy-server', null],
    ['host-resolver-rules', rules],
    ['disable-background-networking', null],
  ];
}

/**
 * Where the SQLite binding for Electron is looked up (store/binding.ts resolves
 * `<root>/native/electron-<platform>-<arch>-abi<N>/better_sqlite3.node`). Packaged, the binding
 * is shipped inside the app archive and unpacked beside it (electron-builder.yml: files +
 * asarUnpack), so the root is `…/resources/app.asar.unpacked`: a real file, loaded without any
 * asar redirection. Unpackaged, it is the project folder.
 */
export function bindingRoot(appPath: string, isPackaged: boolean): string {
  if (!isPackaged) return appPath;
  return basename(appPath) === 'app.asar' ? join(dirname(appPath), 'app.asar.unpacked') : appPath;
}
