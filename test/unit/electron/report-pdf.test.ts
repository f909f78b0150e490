/**
 * The PDF report flow of the Electron adapter with Electron replaced by fakes: the printer's
 * hidden window and its shut-in session (only the report being printed is served, every other
 * request is cancelled), the request validation and the call handed to the engine, and the IPC
 * channel (sender check, path grant).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../src/shared/errors';
import type { ExportCallOptions } from '../../../src/main/engine/export/pdf';
import { scratchDir } from '../../helpers/tmp';

// ---------------------------------------------------------------------------------------------
// Electron fakes.

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const ipcHandlers = new Map<string, Handler>();

interface FakeSession {
  partition: string;
  options: unknown;
  beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null;
  protocolHandler: ((req: Request) => Promise<Response>) | null;
  scheme: string | null;
}
const sessions: FakeSession[] = [];

interface FakeWindow {
  options: { webPreferences: Record<string, unknown>; show: boolean };
  loaded: string[];
  destroyed: boolean;
  printOptions: unknown;
  servedHtml: string | null;
}
const windows: FakeWindow[] = [];
const behaviour = { hangLoad: false, pdf: Buffer.from('%PDF-1.7 fake') };

vi.mock('electron', () => {
  class BrowserWindow {
    readonly fake: FakeWindow;
    readonly webContents: { printToPDF(o: unknown): Promise<Buffer> };
    constructor(options: FakeWindow['options']) {
      this.fake = { options, loaded: [], destroyed: false, printOptions: null, servedHtml: null };
      windows.push(this.fake);
      this.webContents = {
        printToPDF: async (o: unknown) => {
          this.fake.printOptions = o;
          return behaviour.pdf;
        },
      };
    }
    async loadURL(url: string): Promise<void> {
      this.fake.loaded.push(url);
      if (behaviour.hangLoad) return new Promise(() => {});
      // What Chromium does: the request goes through the session's filter, then its handler.
      const ses = this.fake.options.webPreferences['session'] as FakeSession;
      let cancelled = true;
      ses.beforeRequest!({ url }, (r) => {
        cancelled = r.cancel;
      });
      if (cancelled) throw new Error('ERR_BLOCKED_BY_CLIENT');
      const res = await ses.protocolHandler!(new Request(url));
      this.fake.servedHtml = res.status === 200 ? await res.text() : null;
    }
    isDestroyed(): boolean {
      return this.fake.destroyed;
    }
    destroy(): void {
      this.fake.destroyed = true;
    }
  }
  const makeSession = (partition: string, options: unknown): FakeSession & object => {
    const s: FakeSession & Record<string, unknown> = {
      partition,
      options,
      beforeRequest: null,
      protocolHandler: null,
      scheme: null,
    };
    Object.assign(s, {
      webRequest: {
        onBeforeRequest: (fn: FakeSession['beforeRequest']) => {
          s.beforeRequest = fn;
        },
      },
      protocol: {
        handle: (scheme: string, fn: FakeSession['protocolHandler']) => {
          s.scheme = scheme;
          s.protocolHandler = fn;
        },
      },
      setPermissionRequestHandler: () => {},
      setPermissionCheckHandler: () => {},
      setDevicePermissionHandler: () => {},
      setDisplayMediaRequestHandler: () => {},
      setSpellCheckerEnabled: () => {},
      on: () => {},
    });
    sessions.push(s);
    return s;
  };
  return {
    BrowserWindow,
    session: { fromPartition: makeSession },
    ipcMain: {
      handle: (channel: string, fn: Handler) => ipcHandlers.set(channel, fn),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
  };
});

const { createReportPrinter, reportToken, REPORT_PARTITION } =
  await import('../../../src/main/electron/report-pdf');
const { runReportPdf } = await import('../../../src/main/electron/report-request');
const { registerIpc } = await import('../../../src/main/electron/ipc');
const { APP_ORIGIN, PathGrants } = await import('../../../src/main/electron/policy');
const { REPORT_PDF_CHANNEL } = await import('../../../src/main/preload/channels');
const { REPORT_CSP } = await import('../../../src/main/engine/export/html');

const dir = scratchDir('leakscope-report-pdf-');
const html = join(dir, 'report.html');
writeFileSync(html, '<!DOCTYPE html><title>Report</title><p>verified</p>');

const blocked: string[] = [];
const security = {
  allowedOrigins: [APP_ORIGIN],
  devServerOrigin: null,
  onBlocked: (_what: string, url: string) => blocked.push(url),
};

beforeEach(() => {
  behaviour.hangLoad = false;
  blocked.length = 0;
});

// ---------------------------------------------------------------------------------------------

describe('report printer', () => {
  const print = createReportPrinter({ security, timeoutMs: 200 });

  it('prints the report in a hidden, sandboxed window with JavaScript off, then destroys it', async () => {
    const bytes = await print(html);
    expect(Buffer.from(bytes).toString()).toBe('%PDF-1.7 fake');
    const w = windows[windows.length - 1]!;
    expect(w.options.show).toBe(false);
    expect(w.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      devTools: false,
    });
    expect(w.options.webPreferences['preload']).toBeUndefined();
    expect(w.loaded[0]).toMatch(/^app:\/\/leakscope\/report\/[0-9a-f]{32}\.html$/);
    expect(w.servedHtml).toContain('<p>verified</p>');
    expect(w.printOptions).toMatchObject({ printBackground: true, pageSize: 'A4' });
    expect(w.destroyed).toBe(true);
  });

  it('uses its own in-memory session, serving only the report being printed', async () => {
    await print(html);
    const ses = sessions.find((s) => s.partition === REPORT_PARTITION)!;
    expect(ses.partition.startsWith('persist:')).toBe(false);
    expect(ses.scheme).toBe('app');
    // Once printed, the token is gone: the same URL is refused and not served.
    const url = windows[windows.length - 1]!.loaded[0]!;
    for (const u of [
      url,
      'https://example.org/',
      `file://${html}`,
      'app://leakscope/index.html',
      'data:text/html,x',
    ]) {
      let cancel = false;
      ses.beforeRequest!({ url: u }, (r) => {
        cancel = r.cancel;
      });
      expect(cancel, u).toBe(true);
    }
    expect((await ses.protocolHandler!(new Request(url))).status).toBe(404);
    expect(blocked).toContain('https://example.org/');
  });

  it('sends the report CSP with the report', async () => {
    let headers: Headers | null = null;
    const ses = sessions.find((s) => s.partition === REPORT_PARTITION)!;
    const original = ses.protocolHandler!;
    ses.protocolHandler = async (req) => {
      const res = await original(req);
      headers = res.headers;
      return res;
    };
    await print(html);
    ses.protocolHandler = original;
    expect(headers!.get('Content-Security-Policy')).toBe(REPORT_CSP);
  });

  it('gives up after its timeout and still destroys the window', async () => {
    behaviour.hangLoad = true;
    await expect(print(html)).rejects.toThrow(/took longer than/);
    expect(windows[windows.length - 1]!.destroyed).toBe(true);
  });

  it('stops on cancel', async () => {
    behaviour.hangLoad = true;
    const ctl = new AbortController();
    const p = print(html, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(windows[windows.length - 1]!.destroyed).toBe(true);
  });

  it('recognises only its own report URLs', () => {
    const pending = new Map([['a'.repeat(32), html]]);
    expect(reportToken(`app://leakscope/report/${'a'.repeat(32)}.html`, pending)).toBe(
      'a'.repeat(32),
    );
    expect(reportToken(`app://leakscope/report/${'b'.repeat(32)}.html`, pending)).toBeNull();
    expect(reportToken(`app://other/report/${'a'.repeat(32)}.html`, pending)).toBeNull();
    expect(reportToken(`app://leakscope/report/${'a'.repeat(32)}.html?x`, pending)).toBeNull();
    expect(reportToken('not a url', pending)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe('runReportPdf', () => {
  function fakeEngine(result: 'ok' | 'refused' = 'ok') {
    const calls: { method: string; input: Record<string, unknown>; call?: ExportCallOptions }[] =
      [];
    return {
      calls,
      engine: {
        invoke: async (
          method: string,
          input: unknown,
          call?: ExportCallOptions,
        ): Promise<Result<unknown>> => {
          calls.push({
            method,
            input: input as Record<string, unknown>,
            ...(call ? { call } : {}),
          });
          if (result === 'refused') {
            return { ok: false, error: { code: 'E_FORBIDDEN', message: 'export refused' } };
          }
          call?.reportPdf?.onPublished?.({
            out: call.reportPdf.out,
            bytes: 1234,
            sha256: 'f'.repeat(64),
            htmlSha256: 'e'.repeat(64),
            html: null,
          });
          return {
            ok: true,
            value: {
              rows: 42,
              description: 'all records',
              warnings: [],
              seconds: 1.5,
              manifest: { policy: { name: 'share-with-authority' } },
            },
          };
        },
      },
    };
  }
  const print = async () => new Uint8Array();

  it('asks the engine for a verified HTML report with the printer in the call options', async () => {
    const { engine, calls } = fakeEngine();
    const ctl = new AbortController();
    const r = await runReportPdf(
      { engine, print, signal: ctl.signal },
      { dataset: 'people', out: '/exports/report.pdf', includeSample: 10, overwrite: true },
    );
    expect(r).toEqual({
      ok: true,
      value: {
        out: '/exports/report.pdf',
        bytes: 1234,
        sha256: 'f'.repeat(64),
        rows: 42,
        htmlSha256: 'e'.repeat(64),
        html: null,
        policy: 'share-with-authority',
        description: 'all records',
        warnings: [],
        seconds: 1.5,
      },
    });
    expect(calls).toHaveLength(1);
    const c = calls[0]!;
    expect(c.method).toBe('export.run');
    expect(c.input).toMatchObject({ dataset: 'people', format: 'html', includeSample: 10 });
    // The intermediate HTML: hidden, beside the PDF, never overwriting anything.
    expect(c.input['out']).toMatch(/^\/exports\/\.report\.[0-9a-f]{12}\.report\.html$/);
    expect(c.input['overwrite']).toBe(false);
    expect(c.call?.signal).toBe(ctl.signal);
    expect(c.call?.reportPdf).toMatchObject({
      out: '/exports/report.pdf',
      overwrite: true,
      keepHtml: false,
      print,
    });
  });

  it('keeps the HTML report under the PDF name when asked', async () => {
    const { engine, calls } = fakeEngine();
    await runReportPdf({ engine, print }, { session: 's', out: '/x/r.pdf', keepHtml: true });
    expect(calls[0]!.input).toMatchObject({ session: 's', out: '/x/r.html', format: 'html' });
  });

  it.each([
    ['a missing out', { dataset: 'people' }],
    ['a non-PDF name', { dataset: 'people', out: '/x/r.html' }],
    ['a format of its own', { dataset: 'people', out: '/x/r.pdf', format: 'csv' }],
    ['an unknown key', { dataset: 'people', out: '/x/r.pdf', shell: 'rm -rf /' }],
    ['a too large sample', { dataset: 'people', out: '/x/r.pdf', includeSample: 5000 }],
    ['not an object', 'report.pdf'],
  ])('refuses %s without calling the engine', async (_name, request) => {
    const { engine, calls } = fakeEngine();
    const r = await runReportPdf({ engine, print }, request);
    expect(r).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
    expect(calls).toEqual([]);
  });

  it('passes the engine refusal on', async () => {
    const { engine } = fakeEngine('refused');
    const r = await runReportPdf({ engine, print }, { dataset: 'people', out: '/x/r.pdf' });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
  });
});

// ---------------------------------------------------------------------------------------------

describe('report-pdf IPC channel', () => {
  const requests: unknown[] = [];
  const grants = new PathGrants();
  grants.grant('/exports/granted.pdf');
  registerIpc({
    engine: { invoke: async () => ({ ok: true, value: null }) },
    grants,
    trusted: () => ({ origins: [APP_ORIGIN], webContentsIds: new Set([1]) }),
    pickFile: async () => null,
    reportPdf: async (request) => {
      requests.push(request);
      return { ok: false, error: { code: 'E_INTERNAL', message: 'fake' } };
    },
  });
  const event = (url: string, id = 1) => ({
    senderFrame: { url, parent: null },
    sender: { id },
  });
  const send = (e: unknown, request: unknown) =>
    ipcHandlers.get(REPORT_PDF_CHANNEL)!(e, request) as Promise<Result<unknown>>;

  it('refuses untrusted senders, ungranted paths and non-objects before anything runs', async () => {
    const good = event(`${APP_ORIGIN}/index.html`);
    expect(
      await send(event('https://evil.example/'), { out: '/exports/granted.pdf' }),
    ).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    expect(
      await send(event(`${APP_ORIGIN}/index.html`, 2), { out: '/exports/granted.pdf' }),
    ).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    expect(await send(good, { out: '/home/x/.ssh/id_rsa.pdf' })).toMatchObject({
      ok: false,
      error: { code: 'E_FORBIDDEN' },
    });
    expect(await send(good, ['/exports/granted.pdf'])).toMatchObject({
      ok: false,
      error: { code: 'E_BAD_INPUT' },
    });
    expect(requests).toEqual([]);
    await send(good, { dataset: 'people', out: '/exports/granted.pdf' });
    expect(requests).toEqual([{ dataset: 'people', out: '/exports/granted.pdf' }]);
  });
});
