/**
 * The report printer the engine's PDF export is given in Electron (engine/export/pdf.ts): the
 * verified HTML report, already on disk, rendered by Chromium in a hidden window and printed
 * with printToPDF.
 *
 * How the window is shut in:
 * - its own in-memory session (`leakscope-report`, hardened like every session: permissions,
 *   downloads, spellcheck off) whose only request handler serves the one report being printed
 *   at `app://leakscope/report/<random token>.html` from the file main chose; every other
 *   request (file:, http(s):, anything) is cancelled in onBeforeRequest;
 * - sandboxed, context-isolated, no Node, no preload, JavaScript off (the report has none);
 * - the report's own Content-Security-Policy (default-src 'none', its one style by hash) also
 *   sent as a header;
 * - never shown, destroyed as soon as the PDF bytes are back (or on timeout / cancel).
 * It never sees the renderer's session, IPC or the case: only the bytes of a file that export
 * verification has already read back and accepted.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  BrowserWindow,
  session,
  type BrowserWindowConstructorOptions,
  type PrintToPDFOptions,
  type Session,
} from 'electron';
import { LeakscopeError } from '../../shared/errors';
import type { ReportPrinter } from '../engine/export/pdf';
import { REPORT_CSP } from '../engine/export/html';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './policy';
import { hardenSession, type SecurityOptions } from './security';

/** No `persist:` prefix: the report session lives in memory only. */
export const REPORT_PARTITION = 'leakscope-report';
const REPORT_PATH = /^\/report\/([0-9a-f]{32})\.html$/;
const DEFAULT_TIMEOUT_MS = 120_000;

export const PRINT_OPTIONS: PrintToPDFOptions = {
  printBackground: true,
  pageSize: 'A4',
  preferCSSPageSize: true,
  generateTaggedPDF: true,
  generateDocumentOutline: true,
};

export function reportWindowOptions(ses: Session): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1024,
    height: 1400,
    paintWhenInitiallyHidden: true,
    webPreferences: {
      session: ses,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      javascript: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      devTools: false,
    },
  };
}

/** The token of a report URL this printer is serving right now, or null. */
export function reportToken(url: string, pending: ReadonlyMap<string, string>): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.search || u.hash) return null;
  const m = REPORT_PATH.exec(u.pathname);
  return m && pending.has(m[1]!) ? m[1]! : null;
}

function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
  signal: AbortSignal | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new LeakscopeError('E_INTERNAL', `${what} took longer than ${ms / 1000} s`)),
      ms,
    );
    const onAbort = () => reject(new LeakscopeError('E_CANCELLED', 'export cancelled'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

export interface ReportPrinterOptions {
  security: SecurityOptions;
  timeoutMs?: number;
}

/** Call after app `ready`. One session for the app's life; one window per print. */
export function createReportPrinter(opts: ReportPrinterOptions): ReportPrinter {
  const pending = new Map<string, string>();
  let ses: Session | null = null;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function reportSession(): Session {
    if (ses) return ses;
    const s = session.fromPartition(REPORT_PARTITION, { cache: false });
    hardenSession(s, opts.security);
    // Replaces the general filter with a stricter one: the report being printed, nothing else.
    s.webRequest.onBeforeRequest((details, callback) => {
      const allowed = reportToken(details.url, pending) !== null;
      if (!allowed) opts.security.onBlocked?.('report request', details.url);
      callback({ cancel: !allowed });
    });
    s.protocol.handle(APP_SCHEME, async (request) => {
      const token = reportToken(request.url, pending);
      const file = token ? pending.get(token) : undefined;
      if (!file || request.method !== 'GET') return new Response('not found', { status: 404 });
      return new Response(new Uint8Array(await readFile(file)), {
        status: 200,
        headers: {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': REPORT_CSP,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
        },
      });
    });
    ses = s;
    return s;
  }

  return async (htmlPath, signal) => {
    const token = randomBytes(16).toString('hex');
    const url = `${APP_ORIGIN}/report/${token}.html`;
    pending.set(token, htmlPath);
    const win = new BrowserWindow(reportWindowOptions(reportSession()));
    try {
      await withTimeout(win.loadURL(url), timeoutMs, 'loading the report', signal);
      const pdf = await withTimeout(
        win.webContents.printToPDF(PRINT_OPTIONS),
        timeoutMs,
        'printing the report',
        signal,
      );
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } finally {
      pending.delete(token);
      if (!win.isDestroyed()) win.destroy();
    }
  };
}
