/**
 * The main-side IPC handlers: one invoke channel for the whole contract, one for file dialogs,
 * one event channel out. Thin by design (DESIGN.md): check the sender, check that any path came
 * from a dialog, then hand the untrusted input to engine.invoke, which validates it with the
 * contract's zod schema and returns the Result envelope (only `message` survives an IPC throw,
 * so nothing is thrown across: STYLE.md rule 4). New contract methods need no change here.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Result } from '../../shared/errors';
import {
  isFileKind,
  type DesktopEventName,
  type DesktopEvents,
  type FileKind,
} from '../../shared/desktop';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  PICK_FILE_CHANNEL,
  type EventMessage,
} from '../preload/channels';
import {
  isTrustedSender,
  type PathGrants,
  type SenderInfo,
  type TrustedSenders,
  ungrantedPathError,
  ungrantedPaths,
} from './policy';

export interface IpcDeps {
  engine: { invoke(method: string, input: unknown): Promise<Result<unknown>> };
  grants: PathGrants;
  trusted: () => TrustedSenders;
  pickFile(sender: WebContents, kind: FileKind): Promise<string | null>;
  /** Called after each served call (the case may have been opened or closed). */
  onCall?(method: string, result: Result<unknown>): void;
  /** Told about refused calls: method and reason only, never inputs (they hold passphrases). */
  onRefused?(what: string, reason: string): void;
}

export function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    frameUrl: frame ? frame.url : null,
    isTopFrame: frame !== null && frame.parent === null,
    webContentsId: event.sender.id,
  };
}

const FORBIDDEN_SENDER: Result<never> = {
  ok: false,
  error: { code: 'E_FORBIDDEN', message: 'IPC from an untrusted frame' },
};

export function registerIpc(deps: IpcDeps): () => void {
  ipcMain.handle(
    INVOKE_CHANNEL,
    async (event, method: unknown, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(senderInfo(event), deps.trusted())) {
        deps.onRefused?.(String(method), 'untrusted sender');
        return FORBIDDEN_SENDER;
      }
      if (typeof method !== 'string') {
        return {
          ok: false,
          error: { code: 'E_BAD_INPUT', message: 'the method must be a string' },
        };
      }
      const notGranted = ungrantedPaths(input, deps.grants);
      if (notGranted.length > 0) {
        deps.onRefused?.(method, 'path not chosen through a dialog');
        return { ok: false, error: ungrantedPathError(notGranted) };
      }
      const result = await deps.engine.invoke(method, input);
      deps.onCall?.(method, result);
      return result;
    },
  );

  ipcMain.handle(PICK_FILE_CHANNEL, async (event, kind: unknown): Promise<string | null> => {
    if (!isTrustedSender(senderInfo(event), deps.trusted())) {
      deps.onRefused?.('pickFile', 'untrusted sender');
      return null;
    }
    if (!isFileKind(kind)) return null;
    return deps.pickFile(event.sender, kind);
  });

  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    ipcMain.removeHandler(PICK_FILE_CHANNEL);
  };
}

/** Sends a typed event to one renderer (no-op when it is gone). */
export function sendEvent<E extends DesktopEventName>(
  target: WebContents | null | undefined,
  event: E,
  data: DesktopEvents[E],
): void {
  if (!target || target.isDestroyed()) return;
  const message: EventMessage = { event, data };
  target.send(EVENT_CHANNEL, message);
}
