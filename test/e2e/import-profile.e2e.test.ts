/**
 * Import and profile through the real UI in Debian's Chromium over the loopback bridge: create a
 * case, preview a generated Latin-1 CSV (accents decoded, delimiter detected), override the
 * encoding and see the preview change, import it while the progress shows, read the summary and
 * its rejects, open the profile and find the NIR and e-mail columns badged; then import a file of
 * the shared corpus (../shared/corpus), see both datasets with their SHA-256 and verdicts on the
 * Case view. Screenshots of each view go to test-results/e2e/screenshots/. Throughout, the page
 * must make no request outside the bridge origin.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../fixtures/gen';
import { REAL, hasCorpus } from '../helpers/corpus';
import { newEngine, startHarness, type Harness } from './harness';

const PASSPHRASE = 'correct horse battery staple';
const ROWS = 20_000;
/** Two lines with the wrong number of fields, so the import has rejects to show. */
const BAD_LINES = ['A;B;C;D;E;F;G;H;I;J;K;L;M;N;O;P;Q;R;S;T;U', 'seulement;deux'];
const CORPUS_FILE = join(REAL, 'randomuser', 'randomuser.json');

let work: string;
let csv: string;
let h: Harness;
let page: Page;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'leakscope-e2e-import-'));
  csv = join(work, 'demandeurs-2024.csv');
  await generateFile({
    format: 'csv',
    seed: 44,
    rows: ROWS,
    out: csv,
    encoding: 'latin1',
    delimiter: ';',
  });
  appendFileSync(csv, Buffer.from(BAD_LINES.map((l) => `${l}\n`).join(''), 'latin1'));
  h = await startHarness(newEngine(), join(work, 'profile'));
  page = h.page;
});

afterAll(async () => {
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

function nav(name: string) {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name });
}

function fact(field: string) {
  return page.getByTestId('preview-facts').locator(`[data-field="${field}"]`);
}

const shot = (name: string, fullPage = false) => h.shot(name, fullPage);

describe('Import and profile in a browser through the bridge', () => {
  it('creates a case through the form', async () => {
    await page.goto(h.bridge.url);
    const form = page.getByRole('form', { name: 'New case' });
    await form.getByLabel('Case file').fill(join(work, 'import-e2e.lscase'));
    await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await form.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Create case' }).click();
    await page.getByTestId('case-info').waitFor();
    await page.getByText('No dataset yet: import a dump to start.').waitFor();
  });

  it('previews the Latin-1 CSV, decoding its accents, and re-previews with an override', async () => {
    await nav('Import').click();
    await page.getByLabel('File to import').fill(csv);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByTestId('import-preview').waitFor();
    expect(await fact('format').textContent()).toContain('CSV / TSV');
    expect(await fact('encoding').textContent()).toMatch(/iso-8859-1|windows-1252/);
    expect(await fact('delimiter').textContent()).toBe('Semicolon ( ; )');
    expect(await fact('header').textContent()).toContain('yes');
    const table = page.locator('.preview-table table');
    expect(await table.locator('thead th').allTextContents()).toEqual(
      expect.arrayContaining(['Line', 'nom', 'prenom', 'nir', 'email']),
    );
    // Decoded as Latin-1, the accents are letters, not replacement characters.
    const text = await page.locator('.preview-table').textContent();
    expect(text).toMatch(/[éèêàçôÉ]/);
    expect(text).not.toContain('\uFFFD');
    await shot('import-preview');

    // Wrong on purpose: read as UTF-8, the lines with Latin-1 accents would be rejected.
    const overrides = page.getByTestId('preview-overrides');
    await overrides.getByLabel('Text encoding').selectOption('utf-8');
    await overrides.getByRole('button', { name: 'Preview again' }).click();
    await expect.poll(() => fact('encoding').textContent()).toContain('utf-8');
    await expect
      .poll(() => page.getByTestId('preview-rejects').textContent())
      .toContain('invalid UTF-8');
    await shot('import-preview-override');
    // Back to detection before importing.
    await overrides.getByLabel('Text encoding').selectOption('auto');
    await overrides.getByRole('button', { name: 'Preview again' }).click();
    await expect.poll(() => fact('encoding').textContent()).toMatch(/iso-8859-1|windows-1252/);
  });

  it('imports it with progress, then shows the summary and the rejects', async () => {
    await page.getByLabel('Dataset name (optional)').fill('demandeurs');
    await page.getByRole('button', { name: 'Start import' }).click();
    const figures = page.getByTestId('job-figures');
    await figures.waitFor();
    // Catch the job with figures if it is still running (a small file may finish first).
    const summary = page.getByTestId('import-summary');
    const records = figures.locator('[data-field="records"]');
    await expect
      .poll(async () => (await summary.isVisible()) || (await records.textContent()) !== '—', {
        timeout: 60_000,
        interval: 100,
      })
      .toBe(true);
    if (!(await summary.isVisible())) await shot('import-progress');

    await summary.waitFor({ timeout: 60_000 });
    const fig = (f: string) =>
      summary.locator(`[data-testid="import-figures"] [data-field="${f}"]`);
    expect(await fig('datasets').textContent()).toBe('1');
    expect((await fig('rows').textContent())?.replace(/\D/g, '')).toBe(String(ROWS));
    expect(await fig('rejected').textContent()).toBe(String(BAD_LINES.length));
    expect(await summary.getByTestId('import-message').textContent()).toMatch(/^Complete: /);
    expect(await summary.locator('.hash-line code').textContent()).toMatch(/^[0-9a-f]{64}$/);

    await summary.getByRole('button', { name: `View ${BAD_LINES.length} rejects` }).click();
    const rejects = page.getByTestId('rejects-demandeurs');
    await expect.poll(() => rejects.locator('tbody tr').count()).toBe(BAD_LINES.length);
    expect(await rejects.textContent()).toContain('expected 16 fields, found 21');
    expect(await rejects.textContent()).toContain('seulement;deux');
    await shot('import-summary', true);
  });

  it('opens the profile and finds the NIR and e-mail columns badged', async () => {
    await page.getByRole('button', { name: 'Open the profile of demandeurs' }).click();
    await page.getByTestId('sensitivity').waitFor({ timeout: 60_000 });
    expect(await page.getByLabel('Dataset').inputValue()).toBe('demandeurs');
    const nir = page.getByTestId('column-nir');
    await nir.locator('.kind-badge[data-kind="nir"]').waitFor();
    expect(await nir.locator('.kind-badge').first().getAttribute('data-kind')).toBe('nir');
    const email = page.getByTestId('column-email');
    expect(await email.locator('.kind-badge').first().getAttribute('data-kind')).toBe('email');
    expect(
      await page.getByTestId('sensitivity').locator('[data-field="level"]').textContent(),
    ).toMatch(/High|Critical/);
    expect(await page.getByTestId('inventory').locator('tr[data-kind="nir"]').count()).toBe(1);
    const share = await page
      .getByTestId('consistency')
      .locator('[data-field="consistency-share"]')
      .textContent();
    expect(share).toMatch(/^\d+(\.\d)?%$/);
    await shot('profile');
    await nir.scrollIntoViewIfNeeded();
    await shot('profile-columns');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('profile-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it.skipIf(!hasCorpus)('imports a file of the shared corpus', async () => {
    await nav('Import').click();
    const again = page.getByRole('button', { name: 'Import another file' });
    if (await again.isVisible()) await again.click();
    await page.getByLabel('File to import').fill(CORPUS_FILE);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByTestId('import-preview').waitFor();
    expect(await fact('format').textContent()).toContain('JSON');
    await page.getByRole('button', { name: 'Start import' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toContain('randomuser');
    await shot('import-corpus-summary');
  });

  it('lists the datasets on the Case view with their SHA-256 and rehash verdicts', async () => {
    await nav('Case').click();
    const table = page.getByTestId('datasets-table');
    await table.waitFor();
    const row = page.getByTestId('dataset-demandeurs');
    expect(await row.locator('[data-field="sha256"]').getAttribute('title')).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect((await row.locator('[data-field="rows"]').textContent())?.replace(/\D/g, '')).toBe(
      String(ROWS),
    );
    expect(await row.locator('[data-field="complete"]').textContent()).toBe('✓ complete');
    expect(await table.locator('tbody tr[data-dataset]').count()).toBe(hasCorpus ? 2 : 1);
    await page.getByRole('button', { name: 'Assess all verdicts' }).click();
    await expect
      .poll(() => row.locator('[data-field="verdict"] .verdict-pill').textContent(), {
        timeout: 60_000,
      })
      .toBe('New');
    await expect
      .poll(() => table.locator('[data-field="verdict"] .verdict-pill').count(), {
        timeout: 60_000,
      })
      .toBe(hasCorpus ? 2 : 1);
    await shot('case-datasets');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('case-datasets-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('made no request outside the bridge origin and raised no page error', () => {
    h.expectStayedInside(11);
  });
});
