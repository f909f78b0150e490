/**
 * The main-side IPC handlers: one invoke channel for the whole contract, one for file dialogs,
 * one for the PDF of a report, one event channel out. Thin by design (DESIGN.md): check the
 * sender frame, validate the input with zod, check that any path came from a dialog, then hand
 * the input on (engine.invoke validates contract inputs again with the contract's schema) and
 * return a Result envelope (only `message` survives an IPC throw, so nothing is thrown across:
 * STYLE.md rule 4). New contract methods need no change here.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import type { Result } from '../../shared/errors';
import {
  FILE_KINDS,
  type DesktopEventName,
  type DesktopEvents,
  type FileKind,
  type ReportPdfResult,
} from '../../shared/desktop';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  PICK_FILE_CHANNEL,
  REPORT_PDF_CHANNEL,
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
  /** The PDF of a report (report-request.ts): input is unvalidated apart from the path grant. */
  reportPdf?(request: unknown): Promise<Result<ReportPdfResult>>;
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

const MethodName = z.string().min(1).max(100);
const FileKindSchema = z.enum(FILE_KINDS);
const RequestObject = z.record(z.string(), z.unknown());

export function registerIpc(deps: IpcDeps): () => void {
  ipcMain.handle(
    INVOKE_CHANNEL,
    async (event, method: unknown, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(senderInfo(event), deps.trusted())) {
        deps.onRefused?.(String(method), 'untrusted sender');
        return FORBIDDEN_SENDER;
      }
      const name = MethodName.safeParse(method);
      if (!name.success) {
        return {
          ok: false,
          error: { code: 'E_BAD_INPUT', message: 'the method must be a string' },
        };
      }
      const notGranted = ungrantedPaths(input, deps.grants);
      if (notGranted.length > 0) {
        deps.onRefused?.(name.data, 'path not chosen through a dialog');
        return { ok: false, error: ungrantedPathError(notGranted) };
      }
      // The engine validates `input` with the method's contract schema.
      const result = await deps.engine.invoke(name.data, input);
      deps.onCall?.(name.data, result);
      return result;
    },
  );

  ipcMain.handle(PICK_FILE_CHANNEL, async (event, kind: unknown): Promise<string | null> => {
    if (!isTrustedSender(senderInfo(event), deps.trusted())) {
      deps.onRefused?.('pickFile', 'untrusted sender');
      return null;
    }
    const k = FileKindSchema.safeParse(kind);
    if (!k.success) return null;
    return deps.pickFile(event.sender, k.data);
  });

  ipcMain.handle(
    REPORT_PDF_CHANNEL,
    async (event, request: unknown): Promise<Result<ReportPdfResult>> => {
      if (!isTrustedSender(senderInfo(event), deps.trusted())) {
        deps.onRefused?.('exportReportPdf', 'untrusted sender');
        return FORBIDDEN_SENDER;
      }
      if (!deps.reportPdf) {
        return {
          ok: false,
          error: { code: 'E_UNKNOWN_METHOD', message: 'PDF reports are not available' },
        };
      }
      const obj = RequestObject.safeParse(request);
      if (!obj.success) {
        return {
          ok: false,
          error: { code: 'E_BAD_INPUT', message: 'exportReportPdf: the request must be an object' },
        };
      }
      const notGranted = ungrantedPaths(obj.data, deps.grants);
      if (notGranted.length > 0) {
        deps.onRefused?.('exportReportPdf', 'path not chosen through a dialog');
        return { ok: false, error: ungrantedPathError(notGranted) };
      }
      // report-request.ts validates the whole request with its zod schema.
      return deps.reportPdf(obj.data);
    },
  );

  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    ipcMain.removeHandler(PICK_FILE_CHANNEL);
    ipcMain.removeHandler(REPORT_PDF_CHANNEL);
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
