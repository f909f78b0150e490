/**
 * The sandboxed preload: exposes `window.leakscope = { invoke, on, pickFile, exportReportPdf }` through
 * contextBridge and nothing else. No raw ipcRenderer, no Node, no IpcRendererEvent reaches the
 * page; channel and event names are checked against the allowlists before anything is sent or
 * subscribed. Main validates everything again (it never trusts this file).
 *
 * Runs with sandbox: true, so it may import only 'electron' (contextBridge, ipcRenderer) and
 * code bundled into it (electron.vite.config.ts: externalizeDeps false). Never imports the engine.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from '../../shared/errors';
import {
  isDesktopEventName,
  isFileKind,
  type DesktopBridge,
  type DesktopEventName,
  type DesktopEvents,
  type FileKind,
  type ReportPdfRequest,
  type ReportPdfResult,
} from '../../shared/desktop';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  PICK_FILE_CHANNEL,
  REPORT_PDF_CHANNEL,
  type EventMessage,
} from './channels';

const bridge: DesktopBridge = {
  invoke(method: string, input: unknown): Promise<Result<unknown>> {
    if (typeof method !== 'string') {
      return Promise.resolve({
        ok: false,
        error: { code: 'E_BAD_INPUT', message: 'the method name must be a string' },
      });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, input) as Promise<Result<unknown>>;
  },

  on<E extends DesktopEventName>(event: E, listener: (data: DesktopEvents[E]) => void) {
    if (!isDesktopEventName(event)) throw new Error(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('the listener must be a function');
    // The IpcRendererEvent (with its sender) is dropped here: the page gets the data only.
    const wrapped = (_e: IpcRendererEvent, message: EventMessage) => {
      if (message && message.event === event) listener(message.data as DesktopEvents[E]);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },

  pickFile(kind: FileKind): Promise<string | null> {
    if (!isFileKind(kind)) return Promise.reject(new Error(`unknown file kind ${String(kind)}`));
    return ipcRenderer.invoke(PICK_FILE_CHANNEL, kind) as Promise<string | null>;
  },

  exportReportPdf(request: ReportPdfRequest): Promise<Result<ReportPdfResult>> {
    if (request === null || typeof request !== 'object') {
      return Promise.resolve({
        ok: false,
        error: { code: 'E_BAD_INPUT', message: 'the request must be an object' },
      });
    }
    return ipcRenderer.invoke(REPORT_PDF_CHANNEL, request) as Promise<Result<ReportPdfResult>>;
  },
};

contextBridge.exposeInMainWorld('leakscope', bridge);
