/**
 * The privileged `app://leakscope/` scheme that serves the built renderer (out/renderer) instead
 * of file://, which would give the page the whole file system as its origin. Paths are resolved
 * by the same traversal-guarded resolver as the bridge, and every response carries the CSP.
 *
 * Owns: scheme registration (before `ready`) and the handler. Never imports the engine.
 */
import { protocol, type Protocol } from 'electron';
import { contentSecurityPolicy, readStaticFile, SECURITY_HEADERS } from '../web';
import { APP_HOST, APP_SCHEME } from './policy';

/** Must run before app `ready` (Electron requirement for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: relative URLs and 'self' work; secure: a secure context like https;
      // corsEnabled: module scripts are fetched in CORS mode (same-origin here, so no CORS
      // headers are ever sent and other origins still cannot read anything).
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

function plain(status: number, text: string, headers: Record<string, string>): Response {
  return new Response(text, {
    status,
    headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/** Serves `rendererDir` on app://leakscope/ for one session's protocol registry. */
export function handleAppProtocol(sessionProtocol: Protocol, rendererDir: string): void {
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Content-Security-Policy': contentSecurityPolicy(),
  };
  sessionProtocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return plain(404, 'not found', headers);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'method not allowed', headers);
    }
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return plain(404, 'not found', headers);
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': file.contentType },
    });
  });
}
