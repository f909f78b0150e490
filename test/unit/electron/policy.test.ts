/** The Electron adapter's security decisions, as pure functions under plain Node. */
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  devServerOriginFrom,
  idleLockDue,
  idleLockSeconds,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  originOf,
  PathGrants,
  ungrantedPaths,
  withCaseExtension,
} from '../../../src/main/electron/policy';

const trusted = { origins: [APP_ORIGIN], webContentsIds: new Set([7]) };

describe('isTrustedSender', () => {
  it('accepts the top frame of our window on app://leakscope', () => {
    expect(
      isTrustedSender(
        { frameUrl: 'app://leakscope/index.html', isTopFrame: true, webContentsId: 7 },
        trusted,
      ),
    ).toBe(true);
  });

  it.each([
    ['a subframe', { frameUrl: 'app://leakscope/index.html', isTopFrame: false, webContentsId: 7 }],
    ['a destroyed frame', { frameUrl: null, isTopFrame: true, webContentsId: 7 }],
    [
      'another webContents',
      { frameUrl: 'app://leakscope/index.html', isTopFrame: true, webContentsId: 8 },
    ],
    ['a remote page', { frameUrl: 'https://evil.example/', isTopFrame: true, webContentsId: 7 }],
    [
      'file://',
      {
        frameUrl: 'file:///opt/leakscope/out/renderer/index.html',
        isTopFrame: true,
        webContentsId: 7,
      },
    ],
    [
      'another app host',
      { frameUrl: 'app://other/index.html', isTopFrame: true, webContentsId: 7 },
    ],
    [
      'a look-alike host',
      { frameUrl: 'app://leakscope.evil/index.html', isTopFrame: true, webContentsId: 7 },
    ],
    ['garbage', { frameUrl: 'not a url', isTopFrame: true, webContentsId: 7 }],
  ])('refuses %s', (_name, sender) => {
    expect(isTrustedSender(sender, trusted)).toBe(false);
  });
});

describe('originOf', () => {
  it('rebuilds the origin of non-special schemes (Node says "null")', () => {
    expect(new URL('app://leakscope/x').origin).toBe('null');
    expect(originOf('app://leakscope/x?y#z')).toBe('app://leakscope');
    expect(originOf('http://127.0.0.1:5173/a')).toBe('http://127.0.0.1:5173');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('::')).toBeNull();
  });
});

describe('isAllowedRequest (everything but our protocol is cancelled)', () => {
  it('allows app://leakscope, data:, blob: and devtools', () => {
    expect(isAllowedRequest('app://leakscope/index.html')).toBe(true);
    expect(isAllowedRequest('app://leakscope/assets/index-abc.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequest('blob:app://leakscope/1234')).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/',
    'ws://127.0.0.1:5173/',
    'file:///etc/passwd',
    'ftp://example.com/x',
    'app://other/index.html',
    'chrome-extension://abc/x.js',
    'garbage',
  ])('cancels %s', (url) => {
    expect(isAllowedRequest(url)).toBe(false);
  });

  it('allows only the loopback dev server (http and its HMR websocket) in development', () => {
    const dev = 'http://localhost:5173';
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRequest('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedRequest('https://example.com/', dev)).toBe(false);
  });
});

describe('devServerOriginFrom', () => {
  it('accepts a loopback http URL in unpackaged builds only', () => {
    expect(devServerOriginFrom('http://localhost:5173/', false)).toBe('http://localhost:5173');
    expect(devServerOriginFrom('http://127.0.0.1:5173', false)).toBe('http://127.0.0.1:5173');
    expect(devServerOriginFrom('http://localhost:5173/', true)).toBeNull();
    expect(devServerOriginFrom('https://evil.example/', false)).toBeNull();
    expect(devServerOriginFrom('http://192.168.1.5:5173/', false)).toBeNull();
    expect(devServerOriginFrom(undefined, false)).toBeNull();
    expect(devServerOriginFrom('::', false)).toBeNull();
  });
});

describe('isAllowedNavigation', () => {
  it('allows our own origin only', () => {
    expect(isAllowedNavigation('app://leakscope/index.html', [APP_ORIGIN])).toBe(true);
    expect(isAllowedNavigation('https://example.com/', [APP_ORIGIN])).toBe(false);
    expect(isAllowedNavigation('file:///tmp/x.html', [APP_ORIGIN])).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', [APP_ORIGIN])).toBe(false);
  });
});

describe('path grants', () => {
  it('refuses paths no dialog returned, whatever the method', () => {
    const grants = new PathGrants();
    grants.grant('/cases/a.lscase');
    expect(ungrantedPaths({ path: '/cases/a.lscase', passphrase: 'x' }, grants)).toEqual([]);
    expect(ungrantedPaths({ path: '/etc/shadow', passphrase: 'x' }, grants)).toEqual([
      '/etc/shadow',
    ]);
    expect(ungrantedPaths({ file: '/tmp/dump.csv' }, grants)).toEqual(['/tmp/dump.csv']);
    expect(ungrantedPaths({ out: ['/cases/a.lscase', '/tmp/x'] }, grants)).toEqual(['/tmp/x']);
    // Inputs without a path key pass; non-strings are left to the contract's schema.
    expect(ungrantedPaths({}, grants)).toEqual([]);
    expect(ungrantedPaths({ newPassphrase: '/etc/shadow' }, grants)).toEqual([]);
    expect(ungrantedPaths({ path: 42 }, grants)).toEqual([]);
    expect(ungrantedPaths(null, grants)).toEqual([]);
  });

  it('adds the case extension to a save-dialog answer that lacks it', () => {
    expect(withCaseExtension('/cases/enquete')).toBe('/cases/enquete.lscase');
    expect(withCaseExtension('/cases/enquete.lscase')).toBe('/cases/enquete.lscase');
    expect(withCaseExtension('/cases/enquete.LSCASE')).toBe('/cases/enquete.LSCASE');
  });
});

describe('idle lock', () => {
  it('reads LEAKSCOPE_IDLE_LOCK_MINUTES (default 10, 0 disables)', () => {
    expect(idleLockSeconds(undefined)).toBe(600);
    expect(idleLockSeconds('')).toBe(600);
    expect(idleLockSeconds('2')).toBe(120);
    expect(idleLockSeconds('0.5')).toBe(30);
    expect(idleLockSeconds('0')).toBe(0);
    expect(idleLockSeconds('-3')).toBe(600);
    expect(idleLockSeconds('soon')).toBe(600);
  });

  it('is due once the system idle time reaches the delay, never when disabled', () => {
    expect(idleLockDue(599, 600)).toBe(false);
    expect(idleLockDue(600, 600)).toBe(true);
    expect(idleLockDue(100_000, 0)).toBe(false);
  });
});
