/**
 * The Records view in Debian's Chromium through the loopback bridge, on a 1,000,000-record
 * dataset: search, filter chips, a record's detail with its match in another dataset, a tag, the
 * jump to the last record; screenshots of each step; and no request outside the bridge origin.
 *
 * The case (1M generated people + a 3,000-record "kairos" slice of them, so every kairos record
 * matches) is built once through the engine and kept in bench/out (gitignored): building it
 * takes minutes (import, profile, identity keys, full-text index), running the test seconds.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/case';
import { newEngine, startHarness, type Harness } from './harness';
import { RESULTS_DIR } from './paths';

const PASSPHRASE = 'records e2e passphrase';
const OUT = join(ROOT, 'bench', 'out');
const ROWS = 1_000_000;
const CASE = join(OUT, `ui-e2e-${ROWS}.lscase`);

/** The generated 1M-record CSV (shared with the benchmarks), generated when missing. */
async function peopleCsv(): Promise<string> {
  const file = join(OUT, `people-csv-${ROWS}.csv`);
  if (!existsSync(file)) {
    const { generated } = await import('../../bench/lib');
    return generated(ROWS, 'csv');
  }
  return file;
}

/** Built once; `.ready` marks a complete build (a case file keeps a WAL beside it: never moved). */
async function buildCase(): Promise<void> {
  const ready = `${CASE}.ready`;
  if (existsSync(ready) && existsSync(CASE)) return;
  mkdirSync(OUT, { recursive: true });
  const csv = await peopleCsv();
  const kairos = join(OUT, 'ui-e2e-kairos-3000.csv');
  const lines = readFileSync(csv, 'utf8').slice(0, 2_000_000).split('\n').slice(0, 3001);
  writeFileSync(kairos, `${lines.join('\n')}\n`);
  for (const s of ['', '-wal', '-shm', '.lock']) rmSync(CASE + s, { force: true });
  const engine = newEngine();
  try {
    await engine.call('case.create', { path: CASE, passphrase: PASSPHRASE });
    await engine.call('import.run', { path: csv, name: 'people', format: 'csv' });
    await engine.call('import.run', { path: kairos, name: 'kairos', format: 'csv' });
    await engine.call('case.close', {});
  } finally {
    engine.close();
  }
  writeFileSync(ready, new Date().toISOString());
}

let h: Harness;
let page: Page;

const shot = (name: string) => h.shot(`records-${name}`);

beforeAll(async () => {
  await buildCase();
  const engine = newEngine();
  await engine.call('case.open', { path: CASE, passphrase: PASSPHRASE });
  h = await startHarness(engine, join(RESULTS_DIR, 'records-profile'));
  page = h.page;
}, 1_800_000);

afterAll(async () => {
  await h?.close();
});

const grid = () => page.getByRole('grid', { name: 'Records of people' });
const firstCellOf = (text: string) => page.locator('[role="gridcell"]', { hasText: text }).first();

describe('Records view through the bridge', () => {
  it('opens a 1M-record dataset and shows its first rows', async () => {
    await page.goto(h.bridge.url);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: /^Records/ })
      .click();
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(ROWS + 1));
    await firstCellOf('PICARD').waitFor();
    const rendered = await page.locator('[data-testid="records-rows"] [role="row"]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(await page.getByTestId('records-status').textContent()).toContain('1,000,000 records');
    await shot('grid');
  });

  it('searches all columns without blocking typing', async () => {
    const box = page.getByRole('searchbox', { name: 'Search all columns' });
    await page.keyboard.press('Control+f');
    expect(await page.evaluate<string>('document.activeElement?.getAttribute("type") ?? ""')).toBe(
      'search',
    );
    await box.pressSequentially('nathalie.picard@orange', { delay: 15 });
    await expect
      .poll(() => page.getByTestId('records-status').textContent())
      .toMatch(/containing "nathalie.picard@orange"/);
    await firstCellOf('nathalie.picard@orange.fr').waitFor();
    await shot('search');
  });

  it('opens a record: provenance, its match in kairos, and a tag', async () => {
    await firstCellOf('nathalie.picard@orange.fr').dblclick();
    const detail = page.getByTestId('record-detail');
    await detail.getByTestId('provenance').waitFor();
    expect(await detail.locator('[data-field="file"]').textContent()).toBe(
      `people-csv-${ROWS}.csv`,
    );
    expect(await detail.locator('[data-field="line"]').textContent()).toMatch(/^\d+$/);
    expect(await detail.locator('[data-field="sha256"]').textContent()).toMatch(/^[0-9a-f]{64}$/);
    const match = detail.getByRole('button', { name: /^kairos #\d+/ }).first();
    await match.waitFor();
    await detail.getByLabel('New tag').fill('e2e checked');
    await detail.getByRole('button', { name: 'Add tag' }).click();
    await detail.getByRole('button', { name: 'Remove tag e2e checked' }).waitFor();
    await shot('detail');
    await match.click();
    await page.getByRole('grid', { name: 'Records of kairos' }).waitFor();
    await page.getByTestId('record-detail').getByText('kairos').first().waitFor();
    await firstCellOf('nathalie.picard@orange.fr').waitFor();
    await shot('match');
    await page.getByRole('button', { name: '← Back to people' }).click();
    await grid().waitFor();
  });

  it('filters with the builder, shown as a plain-language chip', async () => {
    await page.getByRole('searchbox').fill('');
    await page.getByRole('button', { name: 'Close' }).first().click();
    await page.getByRole('button', { name: 'Filter…' }).click();
    const form = page.getByRole('form', { name: 'Add a filter condition' });
    await form.getByLabel('Field').selectOption('col:email');
    await form.getByLabel('Condition').selectOption('endsWith');
    await form.getByLabel('Value').fill('@laposte.net');
    await form.getByRole('button', { name: 'Add filter' }).click();
    const chips = page.getByRole('list', { name: 'Filters' });
    await expect.poll(() => chips.textContent()).toContain('email ends with "@laposte.net"');
    await firstCellOf('@laposte.net').waitFor();
    const emails = await page
      .locator('[data-testid="records-rows"] [role="row"]:not(.loading)')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent)),
      );
    const emailCol = emails[0]!.findIndex((v) => v?.includes('@'));
    expect(emails.length).toBeGreaterThan(5);
    for (const r of emails) expect(r[emailCol]).toMatch(/@laposte\.net$/);
    await shot('filter');
    await page.getByRole('button', { name: /^Remove filter/ }).click();
    await expect
      .poll(() => page.getByTestId('records-status').textContent())
      .toContain('1,000,000 records');
  });

  it('reaches the last of the 1,000,000 records with Ctrl+End', async () => {
    await grid().focus();
    const t0 = Date.now();
    await page.keyboard.press('Control+End');
    const last = page.locator(`[role="row"][aria-rowindex="${ROWS + 1}"]:not(.loading)`);
    await last.waitFor({ timeout: 60_000 });
    const ms = Date.now() - t0;
    process.stdout.write(`records e2e: last row of ${ROWS} shown ${ms} ms after Ctrl+End\n`);
    const active = await grid().getAttribute('aria-activedescendant');
    expect(active).toContain(`-r${ROWS - 1}-`);
    expect(await page.getByTestId('records-status').textContent()).toContain(
      `Row 1,000,000 of 1,000,000`,
    );
    const rendered = await page.locator('[data-testid="records-rows"] [role="row"]').count();
    expect(rendered).toBeLessThan(60);
    await shot('last-row');
  }, 120_000);

  it('drags the scrollbar to the bottom of a filtered view: its last match, read from the end', async () => {
    const filter = { column: 'email', op: 'endsWith', value: '@laposte.net' } as const;
    const form = page.getByRole('form', { name: 'Add a filter condition' });
    // The builder may still be open from the filter test (the button toggles it).
    if (!(await form.isVisible())) await page.getByRole('button', { name: 'Filter…' }).click();
    await form.getByLabel('Field').selectOption('col:email');
    await form.getByLabel('Condition').selectOption('endsWith');
    await form.getByLabel('Value').fill(filter.value);
    await form.getByRole('button', { name: 'Add filter' }).click();
    await firstCellOf(filter.value).waitFor();
    const t0 = Date.now();
    // The thumb dragged to the bottom: a scroll event at the largest scrollTop.
    await grid().evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
    });
    // The row at aria-rowindex total + 1 (the total may be refined meanwhile), loaded.
    const lastLoaded = `(() => {
      const g = document.querySelector('[role="grid"]');
      const total = Number(g && g.getAttribute('data-total'));
      const row = document.querySelector('[role="row"][aria-rowindex="' + (total + 1) + '"]');
      return total > 0 && row && !row.classList.contains('loading') ? row.textContent : null;
    })()`;
    // Polled with evaluate: the page's CSP refuses the string eval of waitForFunction.
    let shown: string | null = null;
    for (const end = Date.now() + 60_000; !shown && Date.now() < end;) {
      shown = (await page.evaluate(lastLoaded)) as string | null;
      if (!shown) await new Promise((r) => setTimeout(r, 20));
    }
    if (!shown) throw new Error('the last match was not shown within 60 s');
    process.stdout.write(
      `records e2e: last match of a filtered view shown ${Date.now() - t0} ms after the drag\n`,
    );
    const truth = await h.engine.call('rows.query', {
      dataset: 'people',
      filter,
      from: 'end',
      limit: 1,
      countMode: 'none',
    });
    expect(shown).toContain(truth.rows[0]!.values.email!);
    expect(await page.locator('[data-testid="records-rows"] [role="row"]').count()).toBeLessThan(
      60,
    );
    await shot('filtered-last-row');
    await page.getByRole('button', { name: /^Remove filter/ }).click();
  }, 120_000);

  it('made no request outside the bridge origin, and no page error', () => {
    h.expectStayedInside();
  });
});
