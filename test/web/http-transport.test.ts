/** The renderer's HTTP transport and transport detection, against a fake fetch. */
import { describe, expect, it } from 'vitest';
import { detectApi } from '../../src/renderer/src/api/client';
import {
  fetchBridgeSession,
  httpTransport,
  type FetchLike,
} from '../../src/renderer/src/api/http-transport';

function fakeFetch(reply: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const seen: Array<{ url: string; init?: RequestInit }> = [];
  const fn: FetchLike = async (url, init) => {
    seen.push({ url, ...(init ? { init } : {}) });
    return reply(url, init);
  };
  return { fn, seen };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('httpTransport', () => {
  it('POSTs JSON to /api/<method> on the same origin and returns the envelope', async () => {
    const f = fakeFetch(() => json({ ok: true, value: { closed: false } }));
    const r = await httpTransport(f.fn).invoke('case.close', {});
    expect(r).toEqual({ ok: true, value: { closed: false } });
    expect(f.seen[0]!.url).toBe('/api/case.close');
    expect(f.seen[0]!.init).toMatchObject({
      method: 'POST',
      body: '{}',
      credentials: 'same-origin',
    });
  });

  it('passes engine errors through', async () => {
    const f = fakeFetch(() => json({ ok: false, error: { code: 'E_BAD_INPUT', message: 'bad' } }));
    expect(await httpTransport(f.fn).invoke('case.info', { x: 1 })).toEqual({
      ok: false,
      error: { code: 'E_BAD_INPUT', message: 'bad' },
    });
  });

  it('turns refusals, garbage and network failures into typed errors', async () => {
    const refused = fakeFetch(() => new Response('nope', { status: 401 }));
    expect(await httpTransport(refused.fn).invoke('case.info', {})).toMatchObject({
      ok: false,
      error: { code: 'E_FORBIDDEN' },
    });
    const garbage = fakeFetch(() => json({ hello: 1 }, 500));
    expect(await httpTransport(garbage.fn).invoke('case.info', {})).toMatchObject({
      ok: false,
      error: { code: 'E_INTERNAL', message: 'the bridge answered HTTP 500' },
    });
    const down: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await httpTransport(down).invoke('case.info', {})).toMatchObject({
      ok: false,
      error: { code: 'E_IO' },
    });
  });

  it('reads the bridge session, or null when absent', async () => {
    const f = fakeFetch(() => json({ transport: 'http', fixedCase: '/srv/a.lscase' }));
    expect(await fetchBridgeSession(f.fn)).toEqual({
      transport: 'http',
      fixedCase: '/srv/a.lscase',
    });
    expect(f.seen[0]!.url).toBe('/bridge/session');
    expect(
      await fetchBridgeSession(fakeFetch(() => new Response('', { status: 404 })).fn),
    ).toBeNull();
  });
});

describe('detectApi', () => {
  it('uses window.leakscope when the preload exposed it', async () => {
    const invoked: unknown[] = [];
    const win = {
      leakscope: {
        invoke: async (m: string, i: unknown) => {
          invoked.push([m, i]);
          return { ok: true as const, value: { closed: true } };
        },
        on: () => () => {},
        pickFile: async () => null,
        exportReportPdf: async (request: unknown) => {
          invoked.push(['exportReportPdf', request]);
          return { ok: false as const, error: { code: 'E_CANCELLED', message: 'test' } };
        },
      },
      fetch: () => Promise.reject(new Error('no HTTP in the desktop app')),
    } as unknown as Window;
    const api = await detectApi(win);
    expect(api.kind).toBe('desktop');
    expect(await api.client.call('case.close', {})).toEqual({ closed: true });
    expect(api.pickFile).not.toBeNull();
    // The PDF report is part of the typed desktop API, forwarded as is.
    await api.exportReportPdf!({ dataset: 'people', out: '/tmp/r.pdf' });
    expect(invoked).toEqual([
      ['case.close', {}],
      ['exportReportPdf', { dataset: 'people', out: '/tmp/r.pdf' }],
    ]);
  });

  it('falls back to HTTP to the bridge otherwise', async () => {
    const urls: string[] = [];
    const win = {
      fetch: async (url: string) => {
        urls.push(url);
        return url === '/bridge/session'
          ? json({ transport: 'http', fixedCase: null })
          : json({ ok: true, value: { closed: false } });
      },
    } as unknown as Window;
    const api = await detectApi(win);
    expect(api.kind).toBe('http');
    expect(api.pickFile).toBeNull();
    expect(api.exportReportPdf).toBeNull();
    expect(await api.client.call('case.close', {})).toEqual({ closed: false });
    expect(urls).toEqual(['/bridge/session', '/api/case.close']);
  });
});
