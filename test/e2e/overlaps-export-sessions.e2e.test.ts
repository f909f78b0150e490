/**
 * Overlaps, redaction/export and sessions in Debian's Chromium through the loopback bridge: a
 * case with an earlier generated leak and a later leak derived from it (overlapping people,
 * typos, duplicates); the overlap matrix, UpSet chart and verdicts; drill-down from a cell to the
 * matched records; a policy edit seen in the live preview; a verified export of those records;
 * the drilled-down records searched, sorted and laid out with the keyboard and the columns panel;
 * a saved session checked and restored after locking and reopening the case, from the last-session
 * offer on the case overview and from the Sessions view, with its filter, search, sort and column
 * layout back in the grid. Screenshots go to test-results/e2e/screenshots/, and the page must
 * never reach outside the bridge origin (harness.ts).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/main/engine';
import type { FilterNode } from '../../src/shared/filter';
import { deriveFile, generateFile } from '../fixtures/gen';
import { TEST_PASSPHRASE } from '../helpers/case';
import { newEngine, startHarness, type Harness } from './harness';
/** What the matrix cell "later found in early" selects (drill.ts seenInFilter). */
const MATCHED_IN_EARLY: FilterNode = {
  or: ['nir', 'email', 'phone', 'france_travail_id', 'iban', 'national_id', 'name_dob'].map(
    (k) => ({ linkage: 'seenIn' as const, dataset: 'early', keyKind: k }),
  ),
};
const SEED = 4242;
/** Code run in the page, as a string (this file is type-checked without DOM types). */
const FOCUS_OUTLINE = `(() => {
  const el = document.activeElement;
  return { role: el.getAttribute('role'), outline: getComputedStyle(el).outlineStyle };
})()`;

let work: string;
let casePath: string;
let engine: Engine;
let h: Harness;
let page: Page;
/** The column of `later` profiled as email, and its first raw value. */
let emailColumn: string;
let rawEmail: string;
let matchedCount: number;
/** The grid as laid out before saving the session: what a restore must bring back. */
let laidOut: {
  search: string;
  sorted: string;
  headers: string[];
  pinned: string;
  hidden: string;
  rowCount: string | null;
  redacted: boolean;
  policy: string;
  /** Horizontal scroll of the grid, in pixels. */
  left: number;
};
const shot = (name: string) => h.shot(name);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'leakscope-e2e-oes-'));
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
  engine = newEngine();
  casePath = join(work, 'overlaps.lscase');
  await engine.call('case.create', { path: casePath, passphrase: TEST_PASSPHRASE });
  await engine.call('import.run', { path: early, name: 'early' });
  await engine.call('import.run', { path: later, name: 'later' });
  h = await startHarness(engine, join(work, 'profile'));
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const h1 = () => page.getByRole('heading', { level: 1 });
const grid = () => page.getByRole('grid', { name: 'Records of later' });
const headerNames = () => grid().locator('[role="columnheader"] .rg-th-name').allTextContents();

/** What the grid shows, to compare with `laidOut`. */
async function gridLayout() {
  const headers = await headerNames();
  const sortedHeader = grid().locator('[role="columnheader"][aria-sort="ascending"] .rg-th-name');
  return {
    search: await page.getByRole('searchbox').inputValue(),
    sorted: (await sortedHeader.count()) ? ((await sortedHeader.textContent()) ?? '') : '',
    headers,
    pinned:
      (await grid().locator('[role="columnheader"].pinned .rg-th-name').first().textContent()) ??
      '',
    hidden: laidOut.hidden,
    rowCount: await grid().getAttribute('aria-rowcount'),
    redacted: await page.getByLabel('Redacted view').isChecked(),
    policy: await page.getByLabel('Redaction policy').inputValue(),
    left: await grid().evaluate((el) => el.scrollLeft),
  };
}

/** Time from the click to the grid laid out as saved (bounded by the polling interval). */
function report(what: string, t0: number) {
  process.stdout.write(
    `sessions e2e: ${what} laid out in the grid ${Date.now() - t0} ms after the click\n`,
  );
}

/** The restored grid: the session's filter, search, sort and column layout, its row count. */
async function expectLaidOutAsSaved() {
  await expect.poll(() => h1().textContent()).toBe('Records');
  await grid().waitFor();
  await expect
    .poll(async () => JSON.stringify(await gridLayout()), { timeout: 15_000 })
    .toBe(JSON.stringify(laidOut));
  expect(await page.getByTestId('filter-chips').textContent()).toContain('seen in');
  expect(await headerNames()).not.toContain(laidOut.hidden);
}

describe('Overlaps, export and sessions through the bridge', () => {
  it('shows the overlap matrix, the UpSet chart and the verdicts of two overlapping leaks', async () => {
    await page.goto(h.bridge.url);
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

  it('searches (Ctrl+F), sorts and lays out the columns of the drilled-down records', async () => {
    await page.keyboard.press('Alt+4');
    await expect.poll(() => h1().textContent()).toBe('Records');
    // Back in Records: the drill-down left open, not a fresh view.
    await grid().waitFor();
    expect(await page.getByTestId('filter-chips').textContent()).toContain('seen in');
    const rowCount = async () => Number(await grid().getAttribute('aria-rowcount'));
    // aria-rowcount: the header row plus the records, once counted.
    await expect.poll(rowCount, { timeout: 15_000 }).toBeGreaterThan(1);
    const before = await rowCount();
    // A word of the first matched record: the search keeps at least that record.
    const first = await engine.call('rows.query', {
      dataset: 'later',
      filter: MATCHED_IN_EARLY,
      limit: 20,
    });
    const word = first.rows
      .flatMap((r) => Object.values(r.values))
      .find((v): v is string => typeof v === 'string' && /^\p{L}{5,}$/u.test(v));
    if (!word) throw new Error('no plain word in the first matched records');

    await page.keyboard.press('Control+f');
    expect(await page.evaluate('document.activeElement.getAttribute("type")')).toBe('search');
    await page.keyboard.type(word);
    // Fewer records, and at least the one the word came from (1 while the count is pending).
    await expect
      .poll(async () => ((n) => n > 1 && n < before)(await rowCount()), { timeout: 15_000 })
      .toBe(true);
    // Down from the search box into the grid: a visible focus ring.
    await page.keyboard.press('ArrowDown');
    const focus = (await page.evaluate(FOCUS_OUTLINE)) as { role: string; outline: string };
    expect(focus.role).toBe('grid');
    expect(focus.outline).not.toBe('none');

    const names = await headerNames();
    const [, sortBy, hide, pin] = names;
    if (!sortBy || !hide || !pin) throw new Error(`too few columns: ${names.join(', ')}`);
    await grid().getByTitle(`Sort by ${sortBy}`, { exact: false }).click();
    await page.locator('summary', { hasText: 'Columns' }).click();
    const panel = page.getByRole('list', { name: 'Columns' });
    await panel.getByLabel(hide, { exact: true }).uncheck();
    await panel.getByRole('button', { name: `Pin ${pin}`, exact: true }).click();
    await page.locator('summary', { hasText: 'Columns' }).click();
    await expect.poll(() => headerNames().then((n) => n[0])).toBe(pin);
    laidOut = {
      search: word,
      sorted: sortBy,
      headers: await headerNames(),
      pinned: pin,
      hidden: hide,
      rowCount: null,
      redacted: await page.getByLabel('Redacted view').isChecked(),
      policy: await page.getByLabel('Redaction policy').inputValue(),
      left: 0,
    };
    expect(laidOut.headers).not.toContain(hide);
    // Scrolled sideways: a restore brings the same columns into view.
    laidOut.left = await grid().evaluate((el) => {
      el.scrollLeft = Math.min(150, el.scrollWidth - el.clientWidth);
      return el.scrollLeft;
    });
    expect(laidOut.left).toBeGreaterThan(0);
    await expect
      .poll(() => grid().locator('[role="columnheader"][aria-sort="ascending"]').count())
      .toBe(1);
    laidOut.rowCount = await grid().getAttribute('aria-rowcount');
    await shot('records-laid-out');
  });

  it('saves the view as a session, locks, reopens the case, checks and restores it', async () => {
    await page.keyboard.press('Alt+7');
    await expect.poll(() => h1().textContent()).toBe('Sessions');
    const currentView = await page.getByTestId('current-view').textContent();
    expect(currentView).toMatch(/^later: .*also seen in dataset "early"/);
    expect(currentView).toContain(laidOut.search);
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

    // The autosaved last session is offered on the case overview after reopening.
    const offer = page.getByRole('region', { name: 'Last session' });
    await offer.waitFor();
    expect(await offer.textContent()).toContain(laidOut.search);
    await shot('case-last-session-offer');
    let t0 = Date.now();
    await offer.getByRole('button', { name: 'Restore last session' }).click();
    await expectLaidOutAsSaved();
    report('last session', t0);
    await shot('sessions-last-restored-records');

    await page.keyboard.press('Alt+7');
    await expect.poll(() => h1().textContent()).toBe('Sessions');
    const item = page.getByTestId('session-matched in early');
    await item.getByRole('button', { name: 'Check matched in early' }).click();
    await expect
      .poll(() => item.getByTestId('session-check').getAttribute('data-status'))
      .toBe('identical');
    await shot('sessions-check');
    // Clear the search first, so that the session (not the view left open) fills the grid.
    await page.keyboard.press('Alt+4');
    await grid().waitFor();
    await page.keyboard.press('Control+f');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('searchbox').inputValue()).toBe('');
    await page.keyboard.press('Alt+7');
    await expect.poll(() => h1().textContent()).toBe('Sessions');
    t0 = Date.now();
    await item.getByRole('button', { name: 'Open matched in early' }).click();
    await expectLaidOutAsSaved();
    report('saved session (check included)', t0);
    await shot('sessions-restored-records');
  });

  it('never asked for anything outside the bridge origin', () => {
    h.expectStayedInside();
  });
});
