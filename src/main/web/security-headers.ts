/**
 * The Content-Security-Policy and the other response headers of every page Leakscope serves:
 * the Electron `app://` protocol, the loopback bridge, and (as a `<meta>` tag) the built
 * index.html. Defined once here so the three can never drift apart.
 *
 * Pure: no Node, no Electron, no DOM imports (electron.vite.config.ts imports it at build time).
 */

/**
 * Everything from our own origin only: no remote scripts, styles, fonts, images or connections,
 * no eval, no inline script, no plugins, no frames, no form posts. Trusted Types are required
 * with no policy allowed, so no string can ever reach an HTML or script sink (React never needs
 * one; `dangerouslySetInnerHTML` is banned in this codebase).
 */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self'"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['media-src', "'none'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['require-trusted-types-for', "'script'"],
  ['trusted-types', "'none'"],
];

/** Directives a `<meta>` CSP ignores (and warns about), so they are sent as headers only. */
const HEADER_ONLY: ReadonlyArray<readonly [string, string]> = [['frame-ancestors', "'none'"]];

/**
 * CSP `sandbox` for the bridge's pages in an ordinary browser: without `allow-popups`, window.open
 * and target=_blank are refused, which a page cannot otherwise enforce in a browser (Electron
 * denies them in main instead). `allow-forms` keeps React's submit events firing; `form-action
 * 'none'` still stops any actual submission.
 */
const BROWSER_SANDBOX = 'sandbox allow-scripts allow-same-origin allow-forms';

export interface CspOptions {
  /** For the `<meta http-equiv>` tag: leaves out the header-only directives. */
  meta?: boolean;
  /** Adds the CSP sandbox (bridge only; see BROWSER_SANDBOX). */
  browserSandbox?: boolean;
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const parts = [...DIRECTIVES, ...(opts.meta ? [] : HEADER_ONLY)].map(([k, v]) => `${k} ${v}`);
  if (opts.browserSandbox && !opts.meta) parts.push(BROWSER_SANDBOX);
  return parts.join('; ');
}

/** Headers for every response, besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy':
    'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=(), clipboard-read=()',
  // Pages show personal data: nothing is kept in any HTTP cache.
  'Cache-Control': 'no-store',
};
