/**
 * The desktop half of the contract: what the Electron preload exposes as `window.leakscope`, the
 * main -> renderer events, and the file kinds main's dialogs pick. The preload, main and the
 * renderer all import it, so it lives in src/shared (the renderer may not import src/main, and
 * main's tsconfig project does not include src/renderer).
 *
 * Pure: imports only src/shared.
 */
import type { Result } from './errors';

/** Why the case was locked behind the user's back. */
export const LOCK_REASONS = ['idle', 'suspend', 'lock-screen', 'menu'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

/** Native menu commands main forwards to the renderer (main already ran any dialog). */
export const MENU_COMMANDS = ['case.new', 'case.open', 'import.file', 'export.open'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface DesktopEvents {
  /** main closed the case (idle timer, suspend, screen lock, menu). */
  'case.locked': { reason: LockReason };
  /** A native menu item; `path` is the file the user picked in main's dialog, if any. */
  'menu.command': { command: MenuCommand; path: string | null };
  /** Reserved for background jobs (import, profile, export); shape set by the jobs module. */
  'job.progress': unknown;
}
export type DesktopEventName = keyof DesktopEvents;
export const DESKTOP_EVENTS: readonly DesktopEventName[] = [
  'case.locked',
  'menu.command',
  'job.progress',
];

/**
 * Files the renderer may ask main to pick through a native dialog. The renderer never sends a
 * path main did not hand out this way (main refuses it).
 */
export const FILE_KINDS = ['case-open', 'case-new'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface DesktopBridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to a main -> renderer event; returns the unsubscribe function. */
  on<E extends DesktopEventName>(event: E, listener: (data: DesktopEvents[E]) => void): () => void;
  /** Opens main's native dialog; resolves to the chosen path, or null when cancelled. */
  pickFile(kind: FileKind): Promise<string | null>;
}

export function isDesktopEventName(name: unknown): name is DesktopEventName {
  return typeof name === 'string' && (DESKTOP_EVENTS as readonly string[]).includes(name);
}

export function isFileKind(kind: unknown): kind is FileKind {
  return typeof kind === 'string' && (FILE_KINDS as readonly string[]).includes(kind);
}
