/**
 * The loopback HTTP bridge: serves the built renderer and `POST /api/<method>` -> engine.invoke,
 * so the same UI runs in an ordinary browser (the headless analysis box; the e2e tests).
 *
 * Trust model: whoever holds the per-launch token is the investigator who started `leakscope
 * serve` on this machine; they get exactly the contract's methods, nothing more. Everyone else is
 * refused before any method runs:
 *   - the socket is bound to 127.0.0.1 only (no option can widen it);
 *   - Host must be 127.0.0.1:<port> or localhost:<port> (DNS rebinding: a hostile page whose name
 *     resolves to 127.0.0.1 still sends its own Host), else 421;
 *   - Origin, when sent, must be this bridge's own origin (cross-site pages), else 403;
 *   - every request needs the token: `Authorization: Bearer <token>`, or the HttpOnly
 *     SameSite=Strict cookie set when the page is first opened with `?token=` (then redirected to
 *     a clean URL so the token leaves the address bar and history); none -> 401, wrong -> 403.
 * Bodies are capped, API calls must be JSON, static paths cannot leave the renderer directory.
 *
 * Plain Node; never imports electron (lint-enforced). Business logic stays in the engine.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorCode, ErrorInfo, Result } from '../../shared/errors';
import { contentSecurityPolicy, SECURITY_HEADERS } from './security-headers';
import { readStaticFile } from './static-files';

/** The only address the bridge ever listens on. */
export const LOOPBACK_HOST = '127.0.0.1';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Transport metadata for the renderer (not a contract method): which mode the bridge is in. */
export const SESSION_PATH = '/bridge/session';

export interface BridgeEngine {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
}

/** Extra refusal rule applied before the engine sees a call (e.g. the fixed case of `serve`). */
export type BridgePolicy = (method: string, input: unknown) => ErrorInfo | null;

export interface BridgeOptions {
  engine: BridgeEngine;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer, normally out/renderer. */
  rendererDir: string;
  /** Accepted for explicitness only; anything but 127.0.0.1 is refused. */
  host?: typeof LOOPBACK_HOST;
  /** When set, the only case this bridge may open (create is refused). */
  fixedCasePath?: string;
  policy?: BridgePolicy;
  maxBodyBytes?: number;
}

export interface Bridge {
  /** Page URL carrying the token: what `serve` prints. */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  token: string;
  /** Name of the auth cookie (per port: cookies are shared by all ports of a host). */
  cookieName: string;
  close(): Promise<void>;
}

/** What GET /bridge/session answers. */
export interface BridgeSession {
  transport: 'http';
  fixedCase: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function isLoopbackAddress(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::ffff:127.0.0.1' || address === '::1';
}

/** A method name as the contract spells them (`capability.verb`); anything else never routes. */
const METHOD_RE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  // Refuse at runtime too: callers from JS or `as` casts can pass anything.
  const requestedHost: unknown = (opts as { host?: unknown }).host;
  if (requestedHost !== undefined && requestedHost !== LOOPBACK_HOST) {
    throw new Error(`the bridge listens on ${LOOPBACK_HOST} only, not ${String(requestedHost)}`);
  }
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${String(port)}`);
  }
  const token = randomBytes(32).toString('hex');
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const csp = contentSecurityPolicy({ browserSandbox: true });
  const policies: BridgePolicy[] = [];
  if (opts.fixedCasePath) policies.push(fixedCasePolicy(opts.fixedCasePath));
  if (opts.policy) policies.push(opts.policy);

  let boundPort = 0;
  let cookieName = '';

  function baseHeaders(res: ServerResponse): void {
    res.setHeader('Content-Security-Policy', csp);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, e: HttpError): void {
    if (e.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="leakscope"');
    // The rest of an oversized body is not read: drop the connection rather than reuse it.
    if (e.status === 413) res.setHeader('Connection', 'close');
    const body: Result<never> = { ok: false, error: { code: e.code, message: e.message } };
    sendJson(res, e.status, body);
  }

  function checkHostAndOrigin(req: IncomingMessage): void {
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      throw new HttpError(403, 'E_FORBIDDEN', 'only local connections are accepted');
    }
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${boundPort}` && host !== `localhost:${boundPort}`) {
      throw new HttpError(421, 'E_FORBIDDEN', 'wrong Host header for this bridge');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      throw new HttpError(403, 'E_FORBIDDEN', 'cross-origin requests are refused');
    }
    // Browsers send this even where Origin is absent (e.g. a cross-site image or navigation).
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      throw new HttpError(403, 'E_FORBIDDEN', 'cross-site requests are refused');
    }
  }

  function checkToken(req: IncomingMessage): void {
    const auth = req.headers.authorization;
    let presented: string | undefined;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      presented = m ? m[1] : '';
    } else {
      presented = parseCookies(req.headers.cookie).get(cookieName);
    }
    if (presented === undefined || presented === '') {
      throw new HttpError(
        401,
        'E_FORBIDDEN',
        'missing token: open the URL printed by `leakscope serve`, which carries it',
      );
    }
    if (!sameSecret(presented, token)) throw new HttpError(403, 'E_FORBIDDEN', 'wrong token');
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) throw new HttpError(413, 'E_LIMIT', `body over ${maxBody} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) throw new HttpError(413, 'E_LIMIT', `body over ${maxBody} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpError(405, 'E_BAD_INPUT', 'API calls are POST requests');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new HttpError(415, 'E_BAD_INPUT', 'API calls take a JSON body (application/json)');
    }
    let method: string;
    try {
      method = decodeURIComponent(path.slice('/api/'.length));
    } catch {
      throw new HttpError(400, 'E_BAD_INPUT', 'malformed method name');
    }
    const text = await readBody(req);
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'E_BAD_INPUT', 'the body is not valid JSON');
      }
    }
    if (!METHOD_RE.test(method)) {
      sendJson(res, 200, {
        ok: false,
        error: { code: 'E_UNKNOWN_METHOD', message: `unknown method ${method.slice(0, 80)}` },
      });
      return;
    }
    for (const policy of policies) {
      const refusal = policy(method, input);
      if (refusal) {
        sendJson(res, 200, { ok: false, error: refusal });
        return;
      }
    }
    // Application outcomes, good or bad, are 200 with the Result envelope (as over IPC);
    // HTTP error statuses are kept for transport-level refusals.
    sendJson(res, 200, await opts.engine.invoke(method, input));
  }

  async function handleGet(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, 'E_BAD_INPUT', 'method not allowed');
    }
    // First visit: trade the token in the URL for the cookie, then drop it from the URL.
    const fromUrl = url.searchParams.get('token');
    if (fromUrl !== null) {
      if (!sameSecret(fromUrl, token)) throw new HttpError(403, 'E_FORBIDDEN', 'wrong token');
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`);
      res.writeHead(303, { Location: `${url.pathname}${url.search}` });
      res.end();
      return;
    }
    checkToken(req);
    if (url.pathname === SESSION_PATH) {
      const session: BridgeSession = { transport: 'http', fixedCase: opts.fixedCasePath ?? null };
      sendJson(res, 200, session);
      return;
    }
    const file = await readStaticFile(opts.rendererDir, url.pathname);
    if (!file) throw new HttpError(404, 'E_NOT_FOUND', 'not found');
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  const server = createServer((req, res) => {
    baseHeaders(res);
    void (async () => {
      try {
        checkHostAndOrigin(req);
        const raw = req.url ?? '/';
        // `//host/x` would parse as another authority: only plain absolute paths are served.
        if (!raw.startsWith('/') || raw.startsWith('//')) {
          throw new HttpError(400, 'E_BAD_INPUT', 'malformed request path');
        }
        const url = new URL(raw, `http://${LOOPBACK_HOST}:${boundPort}`);
        if (url.pathname.startsWith('/api/')) {
          checkToken(req);
          await handleApi(req, res, url.pathname);
        } else {
          await handleGet(req, res, url);
        }
      } catch (e) {
        if (res.headersSent) {
          res.destroy();
        } else if (e instanceof HttpError) {
          sendError(res, e);
        } else {
          sendError(res, new HttpError(500, 'E_INTERNAL', 'internal error'));
        }
      }
    })();
  });
  // Slow or idle clients cannot hold sockets forever.
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen({ port, host: LOOPBACK_HOST, exclusive: true }, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  if (address.address !== LOOPBACK_HOST) {
    server.close();
    throw new Error(`the bridge bound to ${address.address}, refusing to serve`);
  }
  boundPort = address.port;
  cookieName = `leakscope_${boundPort}`;
  const origin = `http://${LOOPBACK_HOST}:${boundPort}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port: boundPort,
    token,
    cookieName,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/**
 * `serve --case FILE`: the bridge may re-open that case (after a lock) but create no case and
 * open no other file; the browser never names server paths in that mode.
 */
export function fixedCasePolicy(casePath: string): BridgePolicy {
  return (method, input) => {
    if (method === 'case.create') {
      return {
        code: 'E_FORBIDDEN',
        message: 'this bridge serves one case; it cannot create another',
      };
    }
    if (method === 'case.open') {
      const path = (input as { path?: unknown } | null)?.path;
      if (path !== casePath) {
        return {
          code: 'E_FORBIDDEN',
          message: 'this bridge serves one case; it cannot open another',
        };
      }
    }
    return null;
  };
}
