/**
 * The loopback bridge in-process, over real HTTP, with a real engine and encrypted case: the
 * token, Host and Origin guards, the API roundtrip against the contract's schemas, errors, body
 * limits and static-file traversal.
 */
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/api';
import { createEngine, type Engine } from '../../src/main/engine';
import { startBridge, type Bridge, type BridgeOptions } from '../../src/main/web';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-bridge-');
const rendererDir = join(dir, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Leakscope</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET outside the renderer');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** Raw HTTP (fetch would normalise paths and forbid setting Host). */
function http(
  bridge: Bridge,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        method,
        path,
        headers: { Host: `127.0.0.1:${bridge.port}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function api(bridge: Bridge, method: string, input: unknown, headers: Record<string, string> = {}) {
  return http(
    bridge,
    'POST',
    `/api/${method}`,
    { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json', ...headers },
    JSON.stringify(input),
  );
}

let engine: Engine;
let bridge: Bridge;

beforeAll(async () => {
  engine = createEngine({
    appVersion: 'test',
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  bridge = await startBridge({ engine, port: 0, rendererDir, maxBodyBytes: 64 * 1024 });
});

afterAll(async () => {
  await bridge.close();
  engine.close();
});

describe('binding', () => {
  it('listens on 127.0.0.1 only, on a random port, with a 256-bit token', () => {
    expect(bridge.origin).toBe(`http://127.0.0.1:${bridge.port}`);
    expect(bridge.port).toBeGreaterThan(0);
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/);
    expect(bridge.url).toBe(`${bridge.origin}/?token=${bridge.token}`);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'localhost'])('refuses to bind %s', async (host) => {
    const opts = { engine, rendererDir, host } as unknown as BridgeOptions;
    await expect(startBridge(opts)).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('draws a new token per launch', async () => {
    const other = await startBridge({ engine, rendererDir });
    try {
      expect(other.token).not.toBe(bridge.token);
      expect(other.port).not.toBe(bridge.port);
    } finally {
      await other.close();
    }
  });
});

describe('authentication', () => {
  it('answers 401 without a token, 403 with a wrong one', async () => {
    const none = await http(bridge, 'GET', '/');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    expect(none.text).not.toContain('<title>');
    expect((await http(bridge, 'GET', '/', { Authorization: 'Bearer nope' })).status).toBe(403);
    expect((await http(bridge, 'GET', '/', { Cookie: `${bridge.cookieName}=nope` })).status).toBe(
      403,
    );
    expect((await http(bridge, 'GET', '/?token=nope')).status).toBe(403);
    const apiNone = await http(
      bridge,
      'POST',
      '/api/case.info',
      { 'Content-Type': 'application/json' },
      '{}',
    );
    expect(apiNone.status).toBe(401);
    expect(apiNone.json).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    const apiWrong = await api(
      bridge,
      'case.info',
      {},
      { Authorization: `Bearer ${'0'.repeat(64)}` },
    );
    expect(apiWrong.status).toBe(403);
  });

  it('trades the URL token for an HttpOnly SameSite=Strict cookie and a clean URL', async () => {
    const first = await http(bridge, 'GET', `/?token=${bridge.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain(`${bridge.cookieName}=${bridge.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);

    const page = await http(bridge, 'GET', '/', { Cookie: `${bridge.cookieName}=${bridge.token}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<title>Leakscope</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('keeps other query parameters when dropping the token', async () => {
    const r = await http(bridge, 'GET', `/index.html?view=case&token=${bridge.token}`);
    expect(r.headers.location).toBe('/index.html?view=case');
  });

  it('accepts the cookie on API calls too', async () => {
    const r = await http(
      bridge,
      'POST',
      '/api/case.info',
      {
        Cookie: `other=1; ${bridge.cookieName}=${bridge.token}`,
        'Content-Type': 'application/json',
      },
      '{}',
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'E_NO_CASE' } });
  });
});

describe('Host and Origin guards', () => {
  const auth = () => ({ Authorization: `Bearer ${bridge.token}` });

  it.each([
    ['a rebinding name', (p: number) => `evil.example:${p}`],
    ['another port', (p: number) => `127.0.0.1:${p + 1}`],
    ['no port', () => '127.0.0.1'],
    ['a LAN address', (p: number) => `192.168.1.10:${p}`],
  ])('answers 421 to %s in Host, even with the token', async (_name, host) => {
    const r = await http(bridge, 'GET', '/', { ...auth(), Host: host(bridge.port) });
    expect(r.status).toBe(421);
    const a = await api(bridge, 'case.info', {}, { Host: host(bridge.port) });
    expect(a.status).toBe(421);
  });

  it('accepts localhost:<port>', async () => {
    const r = await http(bridge, 'GET', '/', { ...auth(), Host: `localhost:${bridge.port}` });
    expect(r.status).toBe(200);
  });

  it('refuses a foreign Origin and cross-site fetches with 403', async () => {
    const foreign = await api(bridge, 'case.info', {}, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    const otherPort = await api(
      bridge,
      'case.info',
      {},
      { Origin: `http://127.0.0.1:${bridge.port + 1}` },
    );
    expect(otherPort.status).toBe(403);
    const nullOrigin = await api(bridge, 'case.info', {}, { Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    const site = await http(bridge, 'GET', '/', { ...auth(), 'Sec-Fetch-Site': 'cross-site' });
    expect(site.status).toBe(403);
    const own = await api(bridge, 'case.info', {}, { Origin: bridge.origin });
    expect(own.status).toBe(200);
  });
});

describe('API', () => {
  const casePath = join(dir, 'enquete.lscase');

  it('creates a case, describes it and verifies its audit log, in the contract shapes', async () => {
    const created = await api(bridge, 'case.create', {
      path: casePath,
      passphrase: TEST_PASSPHRASE,
    });
    expect(created.status).toBe(200);
    const createdBody = created.json as { ok: true; value: unknown };
    expect(createdBody.ok).toBe(true);
    const info = contract['case.create'].output.parse(createdBody.value);
    expect(info).toMatchObject({
      path: casePath,
      datasets: 0,
      cipher: { name: 'sqlcipher', legacy: 4 },
    });

    const described = (await api(bridge, 'case.info', {})).json as { ok: true; value: unknown };
    expect(contract['case.info'].output.parse(described.value)).toMatchObject({
      caseId: info.caseId,
      auditEntries: 1,
    });

    const verified = (await api(bridge, 'audit.verify', {})).json as { ok: true; value: unknown };
    expect(contract['audit.verify'].output.parse(verified.value)).toEqual({
      ok: true,
      entries: 1,
      firstBroken: null,
      reason: null,
    });

    const listed = (await api(bridge, 'audit.list', {})).json as { ok: true; value: unknown };
    const entries = contract['audit.list'].output.parse(listed.value).entries;
    expect(entries.map((e) => e.action)).toEqual(['case.create', 'audit.verify']);
    // The passphrase never reaches the audit log.
    expect(JSON.stringify(entries)).not.toContain(TEST_PASSPHRASE);
  });

  it('answers bad input with E_BAD_INPUT', async () => {
    const r = await api(bridge, 'case.create', { path: 5, passphrase: '' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
    const extra = await api(bridge, 'case.info', { sneaky: true });
    expect(extra.json).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
    const notJson = await http(
      bridge,
      'POST',
      '/api/case.info',
      { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
      '{nope',
    );
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
  });

  it('answers unknown methods with E_UNKNOWN_METHOD', async () => {
    for (const m of ['case.explode', 'constructor', '__proto__.x', 'toString', '..%2Fcase.info']) {
      const r = await api(bridge, m, {});
      expect(r.json, m).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_METHOD' } });
    }
  });

  it('takes POST with a JSON content type only', async () => {
    const get = await http(bridge, 'GET', '/api/case.info', {
      Authorization: `Bearer ${bridge.token}`,
    });
    expect(get.status).toBe(405);
    // A form post (what a cross-site <form> can send without preflight) is refused.
    const form = await api(bridge, 'case.info', {}, { 'Content-Type': 'text/plain' });
    expect(form.status).toBe(415);
  });

  it('caps the body size', async () => {
    const big = JSON.stringify({ path: 'x'.repeat(100 * 1024), passphrase: 'p' });
    const r = await http(
      bridge,
      'POST',
      '/api/case.open',
      { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
      big,
    );
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'E_LIMIT' } });
  });
});

describe('static files', () => {
  const cookie = () => ({ Cookie: `${bridge.cookieName}=${bridge.token}` });

  it('serves the renderer with content types', async () => {
    const js = await http(bridge, 'GET', '/assets/app.js', cookie());
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
    const head = await http(bridge, 'HEAD', '/assets/app.js', cookie());
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%5csecret.txt',
    '//../secret.txt',
    '//evil.example/../secret.txt',
  ])('refuses traversal %s', async (path) => {
    const r = await http(bridge, 'GET', path, cookie());
    expect([400, 404]).toContain(r.status);
    expect(r.text).not.toContain('TOP SECRET');
  });

  it('refuses other HTTP methods', async () => {
    expect((await http(bridge, 'DELETE', '/index.html', cookie())).status).toBe(405);
  });
});

describe('fixed-case mode (serve --case)', () => {
  it('may re-open its case but create or open no other', async () => {
    const fixedCasePath = join(dir, 'fixed.lscase');
    const eng = createEngine({
      appVersion: 'test',
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    await eng.call('case.create', { path: fixedCasePath, passphrase: TEST_PASSPHRASE });
    eng.close();
    const fixed = await startBridge({ engine: eng, rendererDir, fixedCasePath });
    try {
      const session = await http(fixed, 'GET', '/bridge/session', {
        Authorization: `Bearer ${fixed.token}`,
      });
      expect(session.json).toEqual({ transport: 'http', fixedCase: fixedCasePath });
      const create = await api(fixed, 'case.create', {
        path: join(dir, 'new.lscase'),
        passphrase: 'p',
      });
      expect(create.json).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
      const other = await api(fixed, 'case.open', {
        path: join(dir, 'enquete.lscase'),
        passphrase: 'p',
      });
      expect(other.json).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
      const own = await api(fixed, 'case.open', {
        path: fixedCasePath,
        passphrase: TEST_PASSPHRASE,
      });
      expect(own.json).toMatchObject({ ok: true, value: { path: fixedCasePath } });
    } finally {
      await fixed.close();
      eng.close();
    }
  });
});

describe('close', () => {
  it('stops listening', async () => {
    const b = await startBridge({ engine, rendererDir });
    await b.close();
    await expect(http(b, 'GET', '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
