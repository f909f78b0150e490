/**
 * What every e2e file sets up the same way: an engine, the loopback bridge serving the renderer
 * built by global-setup.ts, Debian's Chromium (1366×768, light) with every request outside the
 * bridge origin aborted and recorded, page errors and CSP violations collected, screenshots saved
 * under test-results/e2e/screenshots/, and the closing assertion that the page never reached
 * anything but the bridge.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createEngine, type Engine } from '../../src/main/engine';
import { startBridge, type Bridge } from '../../src/main/web';
import { NATIVE_BINDING } from '../helpers/case';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium';
import { E2E_RENDERER_DIR, RESULTS_DIR } from './paths';

export const SHOTS = join(RESULTS_DIR, 'screenshots');

/** Run in every page before its scripts: CSP violations are logged where the test sees them. */
const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));`;

export function newEngine(): Engine {
  return createEngine({
    appVersion: 'e2e',
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
}

export interface Harness {
  engine: Engine;
  bridge: Bridge;
  context: BrowserContext;
  page: Page;
  /** Every URL the browser asked for. */
  requested: string[];
  /** Requests outside the bridge origin that the route handler aborted. */
  blocked: string[];
  /** Requests Chromium refused itself (CSP, sandbox) before any network access. */
  refusedByBrowser: string[];
  cspViolations: string[];
  pageErrors: string[];
  /** Saves `<name>.png` of the viewport (or the whole page) as a test artefact. */
  shot(name: string, fullPage?: boolean): Promise<void>;
  /** The page asked for nothing outside the bridge, raised no error, broke no CSP rule. */
  expectStayedInside(minRequests?: number): void;
  close(): Promise<void>;
}

/**
 * Starts the bridge over `engine` (the harness closes it) and a browser with its profile in
 * `profileDir` (removed on close).
 */
export async function startHarness(engine: Engine, profileDir: string): Promise<Harness> {
  mkdirSync(SHOTS, { recursive: true });
  const bridge = await startBridge({ engine, rendererDir: E2E_RENDERER_DIR });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 768 },
    colorScheme: 'light',
  });
  const requested: string[] = [];
  const blocked: string[] = [];
  const refusedByBrowser: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${bridge.origin}/`)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => requested.push(r.url()));
  context.on('requestfailed', (r) => {
    if (/^csp$|BLOCKED_BY_CSP/i.test(r.failure()?.errorText ?? '')) refusedByBrowser.push(r.url());
  });
  await context.addInitScript({ content: REPORT_CSP_VIOLATIONS });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.text().startsWith('CSP-VIOLATION')) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    engine,
    bridge,
    context,
    page,
    requested,
    blocked,
    refusedByBrowser,
    cspViolations,
    pageErrors,
    async shot(name, fullPage = false) {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
    },
    expectStayedInside(minRequests = 1) {
      expect(blocked).toEqual([]);
      expect(requested.length).toBeGreaterThanOrEqual(minRequests);
      expect(requested.filter((u) => !u.startsWith(`${bridge.origin}/`))).toEqual([]);
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    async close() {
      await context.close();
      await bridge.close();
      engine.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
