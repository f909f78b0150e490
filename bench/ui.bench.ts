/**
 * UI speed (issue 9, point 6), measured end to end in Debian's Chromium through the loopback
 * bridge on a 10M-record dataset: first rows shown after opening the Records view (cold: first
 * query of the engine; warm: page reloaded), scroll frame times and rendered row count while the
 * wheel scrolls, the jump to the last record, and input latency while typing in the search box
 * (key event to the next painted frame).
 *
 * The case is the query benchmark's 10M case (bench/out/query-10000000.lscase, built by
 * query.bench.ts), copied once to bench/out/ui-10000000.lscase so sorts and marks made here never
 * change the query benchmark's figures. Run: `npm run bench -- ui`.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createEngine } from '../src/main/engine';
import { resolveNativeBinding } from '../src/main/engine/store';
import { startBridge } from '../src/main/web';
import setupRenderer from '../test/e2e/global-setup';
import { CHROMIUM, E2E_RENDERER_DIR } from '../test/e2e/paths';
import { machine, OUT, ROOT } from './lib';

const ROWS = 10_000_000;
const PASS = 'bench passphrase';
const SOURCE = join(OUT, `query-${ROWS}.lscase`);
const CASE = join(OUT, `ui-${ROWS}.lscase`);

const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]! : NaN;
};

/** In-page recorders, as strings (this file has no DOM types). */
const IN_PAGE = {
  startFrames: `(() => {
    const w = window; w.__frames = []; w.__maxRows = 0; w.__stop = false;
    let last = performance.now();
    const tick = (t) => {
      w.__frames.push(t - last); last = t;
      const n = document.querySelectorAll('[data-testid="records-rows"] [role="row"]').length;
      if (n > w.__maxRows) w.__maxRows = n;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`,
  stopFrames: `(() => { window.__stop = true; return { frames: window.__frames.slice(1), maxRows: window.__maxRows }; })()`,
  startKeys: `(() => {
    const w = window; w.__lat = [];
    document.addEventListener('keydown', (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => setTimeout(() => w.__lat.push(performance.now() - t0), 0));
    }, true);
  })()`,
  keys: 'window.__lat',
};

async function firstRows(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: /^Records/ })
    .waitFor();
  const t0 = Date.now();
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: /^Records/ })
    .click();
  await page
    .locator('[data-testid="records-rows"] [role="row"]:not(.loading) [role="gridcell"]')
    .first()
    .waitFor({ timeout: 60_000 });
  return Date.now() - t0;
}

async function main(): Promise<void> {
  if (!existsSync(CASE)) {
    if (!existsSync(SOURCE)) throw new Error(`run the query benchmark first: ${SOURCE} is missing`);
    log(`copying ${SOURCE} -> ${CASE}`);
    copyFileSync(SOURCE, CASE);
  }
  log('building the renderer...');
  await setupRenderer();
  const nativeBinding = resolveNativeBinding(ROOT);
  const engine = createEngine({ appVersion: 'bench', ...(nativeBinding ? { nativeBinding } : {}) });
  await engine.call('case.open', { path: CASE, passphrase: PASS });
  const bridge = await startBridge({ engine, rendererDir: E2E_RENDERER_DIR });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const outside: string[] = [];
  await context.route('**/*', (r) => {
    if (r.request().url().startsWith(`${bridge.origin}/`)) return r.continue();
    outside.push(r.request().url());
    return r.abort();
  });
  const page = await context.newPage();
  const out: string[] = [];
  const push = out.push.bind(out);
  out.push = (...lines: string[]) => {
    for (const l of lines) log(l);
    return push(...lines);
  };
  try {
    const cold = await firstRows(page, bridge.url);
    const warm = [];
    for (let i = 0; i < 3; i++) warm.push(await firstRows(page, bridge.origin + '/'));
    out.push(
      `| first rows shown after opening Records (10M records), cold / warm median | ${cold} ms / ${median(warm)} ms | < 1 s |`,
    );

    // Wheel scrolling: 3 s of wheel notches, frame intervals and rendered rows.
    const grid = page.getByRole('grid');
    await grid.hover();
    await page.evaluate(IN_PAGE.startFrames);
    const end = Date.now() + 3000;
    while (Date.now() < end) await page.mouse.wheel(0, 120);
    const scroll = (await page.evaluate(IN_PAGE.stopFrames)) as {
      frames: number[];
      maxRows: number;
    };
    const topRow = await grid.getAttribute('data-top-row');
    out.push(
      `| wheel scrolling 3 s: frame interval median / p95 / max | ${median(scroll.frames).toFixed(1)} / ${pct(scroll.frames, 95).toFixed(1)} / ${Math.max(...scroll.frames).toFixed(1)} ms (${scroll.frames.length} frames, reached row ${topRow}) | 16.7 ms |`,
      `| rows in the DOM while scrolling (max) | ${scroll.maxRows} of 10,000,000 | visible only |`,
    );

    // Dragging the thumb half-way: an unfiltered view jumps through the ordinal filter (scan).
    await grid.focus();
    let t0 = Date.now();
    await page.keyboard.press('Control+End');
    await page
      .locator(`[role="row"][aria-rowindex="${ROWS + 1}"]:not(.loading)`)
      .waitFor({ timeout: 180_000 });
    out.push(
      `| Ctrl+End: last record shown (unfiltered, import order) | ${((Date.now() - t0) / 1000).toFixed(1)} s | engine gap: no positional access |`,
    );

    // Sorted view (nom is indexed): the end is the first page of the reversed sort.
    await page.getByTitle('Sort by nom (Shift: add to the sort)').click();
    const offer = page.getByRole('button', { name: 'Index this column and sort' });
    if (await offer.isVisible().catch(() => false)) await offer.click();
    await page
      .locator('[role="row"][aria-rowindex="2"]:not(.loading)')
      .waitFor({ timeout: 180_000 });
    await grid.focus();
    t0 = Date.now();
    await page.keyboard.press('Control+End');
    await page
      .locator(`[role="row"][aria-rowindex="${ROWS + 1}"]:not(.loading)`)
      .waitFor({ timeout: 180_000 });
    out.push(
      `| Ctrl+End: last record shown, sorted by nom (reversed-sort page) | ${Date.now() - t0} ms | |`,
    );

    // Typing in the search box while the grid holds 10M rows.
    await page.evaluate(IN_PAGE.startKeys);
    const box = page.getByRole('searchbox');
    await box.click();
    await box.pressSequentially('marie.guerin57@hotmail', { delay: 60 });
    await page
      .getByTestId('records-status')
      .getByText(/containing/)
      .waitFor({ timeout: 60_000 });
    const lat = (await page.evaluate(IN_PAGE.keys)) as number[];
    out.push(
      `| search box input latency (key to next frame), median / max over ${lat.length} keys | ${median(lat).toFixed(1)} / ${Math.max(...lat).toFixed(1)} ms | never blocks |`,
    );
    if (outside.length) out.push(`| requests outside the bridge | ${outside.length} | 0 |`);
  } finally {
    await browser.close();
    await bridge.close();
    engine.close();
  }
  process.stdout.write(
    [
      `\n## UI (Records view, Chromium through the bridge, 1366×768)`,
      `machine: ${machine()}; date: ${new Date().toISOString().slice(0, 10)}`,
      '',
      '| measurement | figure | target |',
      '|---|---|---|',
      ...out,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
