/**
 * Overlaps, redaction/export and sessions in Debian's Chromium through the loopback bridge: a
 * case with an earlier generated leak and a later leak derived from it (overlapping people,
 * typos, duplicates); the overlap matrix, UpSet chart and verdicts; drill-down from a cell to the
 * matched records; a policy edit seen in the live preview; a verified export of those records;
 * a saved session checked and restored after locking and reopening the case. Screenshots go to
 * test-results/e2e/screenshots/, and the page must never reach outside the bridge origin.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/main/engine';
import { startBridge, type Bridge } from '../../src/main/web';
import type { FilterNode } from '../../src/shared/filter';
import { deriveFile, generateFile } from '../fixtures/gen';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { CHROMIUM, E2E_RENDERER_DIR, RESULTS_DIR } from './paths';

const SHOTS = join(RESULTS_DIR, 'screenshots');
/** What the matrix cell "later found in early" selects (drill.ts seenInFilter). */
const MATCHED_IN_EARLY: FilterNode = {
  or: ['nir', 'email', 'phone', 'france_travail_id', 'iban', 'national_id', 'name_dob'].map(
    (k) => ({ linkage: 'seenIn' as const, dataset: 'early', keyKind: k }),
  ),
};
const SEED = 4242;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let work: string;
let casePath: string;
let engine: Engine;
let bridge: Bridge;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];
const blocked: string[] = [];
const pageErrors: string[] = [];
/** The column of `later` profiled as email, and its first raw value. */
let emailColumn: string;
let rawEmail: string;
let matchedCount: number;
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'leakscope-e2e-oes-'));
  mkdirSync(SHOTS, { recursive: true });
  const early = join(work, 'early.csv');
  const later = join(work, 'later.csv');
  await generateFile({ seed: SEED, rows: 600, format: 'csv', out: early });
  await deriveFile({
    seed: SEED,
    fromRows: 600,
    rows: 500,
    overlap: 0.5,
    duplicates: 0.03,
    format: 'csv',
    out: later,
    truth: join(work, 'truth.csv'),
  });
  engine = createEngine({
    appVersion: 'e2e',
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  casePath = join(work, 'overlaps.lscase');
  await engine.call('case.create', { path: casePath, passphrase: TEST_PASSPHRASE });
  await engine.call('import.run', { path: early, name: 'early' });
  await engine.call('import.run', { path: later, name: 'later' });
  bridge = await startBridge({ engine, rendererDir: E2E_RENDERER_DIR });
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 768 },
    colorScheme: 'light',
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${bridge.origin}/`)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => requested.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await context?.close();
  await bridge?.close();
  engine?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const h1 = () => page.getByRole('heading', { level: 1 });

describe('Overlaps, export and sessions through the bridge', () => {
  it('shows the overlap matrix, the UpSet chart and the verdicts of two overlapping leaks', async () => {
    await page.goto(bridge.url);
    await page.getByTestId('case-info').waitFor();
    await page.keyboard.press('Alt+5');
    await expect.poll(() => h1().textContent()).toBe('Overlaps');
    const cell = page.getByTestId('cell-later-early');
    await cell.waitFor({ timeout: 45_000 });
    const text = (await cell.locator('.cell-count').textContent()) ?? '';
    matchedCount = Number(text.replace(/,/g, ''));
    // About half of the later leak's people were in the earlier one.
    expect(matchedCount).toBeGreaterThan(150);
    expect(matchedCount).toBeLessThan(500);
    expect(await page.getByTestId('cell-early-later').textContent()).toMatch(/^[\d,]+\d+%$/);
    await page.getByTestId('upset-early+later').waitFor();
    expect(await page.getByTestId('verdict-later').getAttribute('data-verdict')).toBe(
      'partial_overlap',
    );
    expect(await page.getByTestId('verdict-early').getAttribute('data-verdict')).toBe('new');
    await shot('overlaps-matrix');
    await page
      .getByRole('heading', { name: 'People by combination of datasets' })
      .scrollIntoViewIfNeeded();
    await shot('overlaps-upset');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('overlaps-upset-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('drills down from a matrix cell to the matched records', async () => {
    await page.getByTestId('cell-later-early').getByRole('button').click();
    await expect.poll(() => h1().textContent()).toBe('Records');
    // The filter the cell carried selects exactly the records it counted.
    const r = await engine.call('rows.query', {
      dataset: 'later',
      filter: MATCHED_IN_EARLY,
      limit: 1,
      countMode: 'exact',
    });
    expect(r.total).toBeGreaterThan(0);
    expect(Math.abs(r.total - matchedCount)).toBeLessThanOrEqual(Math.ceil(matchedCount * 0.02));
    await page.waitForTimeout(500);
    await shot('overlaps-drilldown-records');
    // The first records of the drill-down below (the preview reads the same selection).
    const probe = await engine.call('redact.preview', {
      dataset: 'later',
      policy: 'internal',
      filter: MATCHED_IN_EARLY,
      limit: 20,
    });
    const col = probe.columns.find((c) => c.kind === 'email');
    if (!col) throw new Error('the generated later leak has no column profiled as email');
    emailColumn = col.name;
    rawEmail = probe.rows.map((r) => r.values[col.output!]).find((v): v is string => !!v)!;
  });

  it('edits a redaction policy and sees the live preview follow, never showing the raw value', async () => {
    await page.keyboard.press('Control+e');
    await expect.poll(() => h1().textContent()).toBe('Redaction and export');
    const table = page.getByTestId('preview-table');
    await table.waitFor();
    // share-with-authority: the email is partly hidden.
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain('•');
    expect(await table.textContent()).not.toContain(rawEmail);
    await page.getByLabel('Policy', { exact: true }).selectOption('internal');
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain(rawEmail);
    await page.getByLabel(`Rule for column ${emailColumn}`, { exact: true }).selectOption('mask');
    expect(await table.textContent()).not.toContain(rawEmail);
    await expect
      .poll(
        async () =>
          (await table.textContent())?.includes(rawEmail) === false &&
          (await page.getByText('Updating…').count()) === 0,
        {
          timeout: 15_000,
        },
      )
      .toBe(true);
    expect(await table.textContent()).toContain('•'.repeat(rawEmail.length));
    expect(await page.getByText('Unsaved changes').count()).toBe(1);
    await shot('export-policy-preview');
  });

  it('exports the drilled-down records with the edited policy and shows the verification', async () => {
    const out = join(work, 'later-matched.csv');
    await page.getByLabel('Output file').fill(out);
    await page
      .getByRole('form', { name: 'Export' })
      .getByRole('button', { name: 'Export', exact: true })
      .click();
    const result = page.getByTestId('export-result');
    await result.waitFor({ timeout: 45_000 });
    expect(await result.getByTestId('export-verified').textContent()).toContain('Verified');
    const sha = await result.locator('[data-field="sha256"]').textContent();
    const bytes = readFileSync(out);
    expect(sha).toBe(createHash('sha256').update(bytes).digest('hex'));
    const rows = Number(
      (await result.locator('[data-field="rows"]').textContent())!.replace(/,/g, ''),
    );
    expect(rows).toBeGreaterThan(0);
    expect(bytes.toString('utf8')).not.toContain(rawEmail);
    await page.getByTestId('export-history').getByText(out).waitFor();
    await result.scrollIntoViewIfNeeded();
    await shot('export-verified');
  });

  it('saves the view as a session, locks, reopens the case, checks and restores it', async () => {
    await page.keyboard.press('Alt+7');
    await expect.poll(() => h1().textContent()).toBe('Sessions');
    expect(await page.getByTestId('current-view').textContent()).toContain(
      'later: also seen in dataset "early"',
    );
    await page.getByLabel('Name', { exact: true }).fill('matched in early');
    await page.getByLabel('Notes', { exact: true }).fill('later leak: people already out in early');
    await page.getByRole('button', { name: 'Save session' }).click();
    await page.getByText(/Session “matched in early” saved/).waitFor();
    await page.getByTestId('session-matched in early').waitFor();
    await page.getByText(/Current view autosaved/).waitFor();
    await shot('sessions-saved');

    await page.getByRole('button', { name: 'Lock case' }).click();
    await expect.poll(() => h1().textContent()).toBe('Choose a case');
    const open = page.getByRole('form', { name: 'Open a case' });
    await open.getByLabel('Case file').fill(casePath);
    await open.getByLabel('Passphrase').fill(TEST_PASSPHRASE);
    await open.getByRole('button', { name: 'Open case' }).click();
    await page.getByTestId('case-info').waitFor();

    await page.keyboard.press('Alt+7');
    await expect.poll(() => h1().textContent()).toBe('Sessions');
    // The autosaved last session is offered after reopening.
    await page.getByRole('region', { name: 'Last session' }).waitFor();
    const item = page.getByTestId('session-matched in early');
    await item.getByRole('button', { name: 'Check matched in early' }).click();
    await expect
      .poll(() => item.getByTestId('session-check').getAttribute('data-status'))
      .toBe('identical');
    await shot('sessions-check');
    await item.getByRole('button', { name: 'Open matched in early' }).click();
    await expect.poll(() => h1().textContent()).toBe('Records');
    await page.waitForTimeout(500);
    await shot('sessions-restored-records');
  });

  it('never asked for anything outside the bridge origin', () => {
    expect(blocked).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((u) => !u.startsWith(`${bridge.origin}/`))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
