/**
 * Session and web-contents hardening (Electron security checklist; Actual's security.ts):
 * every network request except our own protocol is cancelled, permissions are denied, and
 * navigation, window.open, redirects and <webview> are refused. Applied to every session and
 * every webContents the app ever creates, not only the main window's.
 *
 * The decisions themselves are pure functions in policy.ts (unit-tested); this file only wires
 * them to Electron's hooks.
 */
import type { App, Session, WebContents } from 'electron';
import { isAllowedNavigation, isAllowedRequest } from './policy';

export interface SecurityOptions {
  /** Origins the app's pages may live on (app://leakscope, plus the dev server in dev). */
  allowedOrigins: readonly string[];
  devServerOrigin: string | null;
  /** Told about each refused request/navigation (never with record data: URLs only). */
  onBlocked?: (what: string, url: string) => void;
}

const hardened = new WeakSet<Session>();

export function hardenSession(ses: Session, opts: SecurityOptions): void {
  if (hardened.has(ses)) return;
  hardened.add(ses);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, opts.devServerOrigin);
    if (!allowed) opts.onBlocked?.('request', details.url);
    callback({ cancel: !allowed });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  // The spellchecker downloads dictionaries from a Google CDN: off.
  ses.setSpellCheckerEnabled(false);
  ses.on('will-download', (event) => event.preventDefault());
}

export function hardenWebContents(contents: WebContents, opts: SecurityOptions): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, opts.allowedOrigins)) {
      opts.onBlocked?.('navigation', url);
      event.preventDefault();
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, opts.allowedOrigins)) {
      opts.onBlocked?.('frame navigation', event.url);
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, opts.allowedOrigins)) {
      opts.onBlocked?.('redirect', url);
      event.preventDefault();
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    opts.onBlocked?.('window.open', url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Hooks every future session and webContents of the app. Call before `ready`. */
export function hardenApp(app: App, opts: SecurityOptions): void {
  app.on('session-created', (ses) => hardenSession(ses, opts));
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, opts));
}
