/**
 * The renderer's API: the typed client of src/shared/client.ts over whichever transport this
 * page has, picked at runtime. Inside Electron the sandboxed preload exposes
 * `window.leakscope` (IPC); in a browser the page talks HTTP to the loopback bridge that served
 * it. Every contract method is available through `client.call` on both, with no per-method code.
 *
 * Browser code: no Node, no Electron, no src/main imports.
 */
import { createClient, type ApiClient } from '../../../shared/client';
import type {
  DesktopBridge,
  DesktopEventName,
  DesktopEvents,
  FileKind,
} from '../../../shared/desktop';
import { fetchBridgeSession, httpTransport, type FetchLike } from './http-transport';

declare global {
  interface Window {
    /** Present only inside the Electron app (src/main/preload). */
    leakscope?: DesktopBridge;
  }
}

export interface AppApi {
  kind: 'desktop' | 'http';
  client: ApiClient;
  /**
   * Native file dialog run by main (desktop). Null over HTTP: there the investigator types a
   * path on the machine running `leakscope serve`.
   */
  pickFile: ((kind: FileKind) => Promise<string | null>) | null;
  /**
   * The report of a selection as a PDF, printed by main (desktop only: src/shared/desktop.ts
   * `exportReportPdf`). Null over HTTP, where the HTML report is the offer.
   */
  exportReportPdf: DesktopBridge['exportReportPdf'] | null;
  /** Main -> renderer events (desktop); over HTTP nothing is pushed and this is a no-op. */
  on<E extends DesktopEventName>(event: E, listener: (data: DesktopEvents[E]) => void): () => void;
  /** The only case this page may open (`serve --case FILE`), or null. */
  fixedCasePath: string | null;
}

export function desktopApi(bridge: DesktopBridge): AppApi {
  return {
    kind: 'desktop',
    client: createClient({ invoke: (method, input) => bridge.invoke(method, input) }),
    pickFile: (kind) => bridge.pickFile(kind),
    exportReportPdf: (request) => bridge.exportReportPdf(request),
    on: (event, listener) => bridge.on(event, listener),
    fixedCasePath: null,
  };
}

export async function httpApi(fetchFn: FetchLike, base = ''): Promise<AppApi> {
  const session = await fetchBridgeSession(fetchFn, base);
  return {
    kind: 'http',
    client: createClient(httpTransport(fetchFn, base)),
    pickFile: null,
    exportReportPdf: null,
    on: () => () => {},
    fixedCasePath: session?.fixedCase ?? null,
  };
}

function isDesktopBridge(value: unknown): value is DesktopBridge {
  const v = value as Partial<DesktopBridge> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.invoke === 'function' &&
    typeof v.on === 'function' &&
    typeof v.pickFile === 'function' &&
    typeof v.exportReportPdf === 'function'
  );
}

/** The API of this page: Electron's preload bridge if present, else HTTP to our origin. */
export async function detectApi(win: Window = window): Promise<AppApi> {
  if (isDesktopBridge(win.leakscope)) return desktopApi(win.leakscope);
  return httpApi((input, init) => win.fetch(input, init));
}
