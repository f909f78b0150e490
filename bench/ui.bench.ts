/**
 * UI speed (issue 9, point 6), measured end to end in Debian's Chromium through the loopback
 * bridge on a 10M-record dataset: first rows shown after opening the Records view (cold: first
 * query of the engine, whose worker started when the case opened; warm: page reloaded), scroll
 * frame times and rendered row count while the wheel scrolls, Ctrl+End and a scrollbar drag to
 * the middle (unfiltered, filtered, sorted), input latency while typing in the search box (key
 * event to the next painted frame) and the time from the last keystroke to the search's rows.
 *
 * The case is the query benchmark's 10M case (bench/out/query-10000000.lscase, built by
 * query.bench.ts), copied once to bench/out/ui-10000000.lscase so sorts and marks made here never
 * change the query benchmark's figures (`npx tsx bench/query.bench.ts --build-only` builds it).
 * `--rows 1000000` runs on the records e2e test's 1M case when no 1M query case exists.
 * Run: `npm run bench -- ui`.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createEngine } from '../src/main/engine';
import { resolveNativeBinding } from '../src/main/engine/store';
import { startBridge } from '../src/main/web';
import setupRenderer from '../test/e2e/global-setup';
import { CHROMIUM, E2E_RENDERER_DIR } from '../test/e2e/paths';
import { benchArgs, machine, OUT, ROOT } from './lib';

const ROWS = benchArgs({ rows: 10_000_000 }).rows;
const QUERY_CASE = join(OUT, `query-${ROWS}.lscase`);
/** Without the query benchmark's case, the records e2e test's 1M case will do (`--rows 1000000`). */
const E2E_CASE = join(OUT, `ui-e2e-${ROWS}.lscase`);
const fromE2e = !existsSync(QUERY_CASE) && existsSync(`${E2E_CASE}.ready`);
const SOURCE = fromE2e ? E2E_CASE : QUERY_CASE;
const PASS = fromE2e ? 'records e2e passphrase' : 'bench passphrase';
const CASE = join(OUT, `ui-${ROWS}.lscase`);
const N = ROWS.toLocaleString('en');

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

/** Waits until the grid's row at position `row` (0-based) is loaded; returns its text. */
async function rowShown(page: Page, row: string | number, timeout = 180_000): Promise<string> {
  const expr = `(() => {
    const g = document.querySelector('[role="grid"]');
    const total = Number(g && g.getAttribute('data-total'));
    const top = Number(g && g.getAttribute('data-top-row'));
    const want = ${JSON.stringify(row)} === 'last' ? total - 1 : ${JSON.stringify(row)} === 'top' ? top : Number(${JSON.stringify(row)});
    const el = document.querySelector('[role="row"][aria-rowindex="' + (want + 2) + '"]');
    return total > 0 && el && !el.classList.contains('loading') ? el.textContent : null;
  })()`;
  // Polled with evaluate: the page's CSP refuses the string eval of waitForFunction.
  for (const end = Date.now() + timeout; Date.now() < end;) {
    const text = (await page.evaluate(expr)) as string | null;
    if (text !== null) return text;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`row ${row} not shown within ${timeout} ms`);
}

/** The thumb dragged to `fraction` of the scrollbar: one scroll event at that scrollTop. */
async function drag(page: Page, fraction: number): Promise<void> {
  await page.getByRole('grid').evaluate((el, f) => {
    el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
    el.dispatchEvent(new Event('scroll'));
  }, fraction);
}

async function addFilter(page: Page, field: string, condition: string, value: string) {
  const form = page.getByRole('form', { name: 'Add a filter condition' });
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'Filter…' }).click();
  await form.getByLabel('Field').selectOption(field);
  await form.getByLabel('Condition').selectOption(condition);
  await form.getByLabel('Value').fill(value);
  await form.getByRole('button', { name: 'Add filter' }).click();
  // Close the builder (it stays open for more conditions).
  await page.getByRole('button', { name: 'Filter…' }).click();
}

async function main(): Promise<void> {
  if (!existsSync(CASE)) {
    if (!existsSync(SOURCE)) throw new Error(`run the query benchmark first: ${SOURCE} is missing`);
    log(`copying ${SOURCE} -> ${CASE}`);
    // A case's WAL holds committed pages too: copy it with the file.
    if (existsSync(`${SOURCE}-wal`)) copyFileSync(`${SOURCE}-wal`, `${CASE}-wal`);
    copyFileSync(SOURCE, CASE);
  }
  log('building the renderer...');
  await setupRenderer();
  const nativeBinding = resolveNativeBinding(ROOT);
  const engine = createEngine({ appVersion: 'bench', ...(nativeBinding ? { nativeBinding } : {}) });
  const opened = Date.now();
  await engine.call('case.open', { path: CASE, passphrase: PASS });
  const openMs = Date.now() - opened;
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
  const sec = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms} ms`);
  try {
    const cold = await firstRows(page, bridge.url);
    const sinceOpen = Date.now() - opened;
    const warm = [];
    for (let i = 0; i < 3; i++) warm.push(await firstRows(page, bridge.origin + '/'));
    out.push(
      `| first rows shown after clicking Records (${N} records), cold: first query of the engine | ${cold} ms | < 1 s |`,
      `| same, from case.open (open ${openMs} ms, page load, click) | ${sec(sinceOpen)} | |`,
      `| same, warm (page reloaded), median of 3 | ${median(warm)} ms | < 1 s |`,
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
      `| rows in the DOM while scrolling (max) | ${scroll.maxRows} of ${N} | visible only |`,
    );

    // Unfiltered, import order: the end is one page read from the end; the middle one seek.
    await grid.focus();
    let t0 = Date.now();
    await page.keyboard.press('Control+End');
    await rowShown(page, ROWS - 1);
    out.push(
      `| Ctrl+End: last record shown (unfiltered, import order) | ${sec(Date.now() - t0)} | < 1 s |`,
    );
    t0 = Date.now();
    await drag(page, 0.5);
    await rowShown(page, 'top');
    out.push(
      `| scrollbar dragged to the middle: rows shown (unfiltered, exact position) | ${sec(Date.now() - t0)} | < 1 s |`,
    );

    // Filtered, unsorted (a scan filter: no index narrows "ss").
    await drag(page, 0);
    await addFilter(page, 'col:adresse', 'contains', 'ss');
    await rowShown(page, 0);
    const total = await grid.getAttribute('data-total');
    await grid.focus();
    t0 = Date.now();
    await page.keyboard.press('Control+End');
    await rowShown(page, 'last');
    out.push(
      `| Ctrl+End: last record shown, filtered adresse contains "ss" (${Number(total).toLocaleString('en')} matches, est.) | ${sec(Date.now() - t0)} | < 1 s |`,
    );
    t0 = Date.now();
    await drag(page, 0.5);
    await rowShown(page, 'top');
    const approx = await page.getByTestId('records-status').textContent();
    out.push(
      `| scrollbar dragged to the middle, same filter: rows shown | ${sec(Date.now() - t0)} | ${approx?.includes('estimate') ? 'position estimated (said in the status line)' : ''} |`,
    );
    await page.getByRole('button', { name: /^Remove filter/ }).click();
    await rowShown(page, 0);

    // Sorted view (nom is indexed): the end is the first page read from the end.
    await page.getByTitle('Sort by nom (Shift: add to the sort)').click();
    const offer = page.getByRole('button', { name: 'Index this column and sort' });
    if (await offer.isVisible().catch(() => false)) await offer.click();
    // The sort applies once the index is built: wait for it, then for its first rows.
    await page
      .locator('[role="columnheader"][aria-sort="ascending"]')
      .waitFor({ timeout: 600_000 });
    await rowShown(page, 0);
    await grid.focus();
    t0 = Date.now();
    await page.keyboard.press('Control+End');
    await rowShown(page, 'last');
    out.push(`| Ctrl+End: last record shown, sorted by nom | ${sec(Date.now() - t0)} | < 1 s |`);
    t0 = Date.now();
    await drag(page, 0.5);
    await rowShown(page, 'top');
    out.push(
      `| scrollbar dragged to the middle, sorted by nom: rows shown (estimated position) | ${sec(Date.now() - t0)} | < 1 s |`,
    );
    await page.getByTitle('Sort by nom (Shift: add to the sort)').click();

    // Typing in the search box while the grid holds millions of rows.
    // A word to search for that this dataset holds: the middle record's e-mail, up to its domain.
    const mid = await engine.call('rows.query', {
      dataset: 'people',
      at: Math.floor(ROWS / 2),
      limit: 1,
      countMode: 'none',
    });
    const probe = (mid.rows[0]?.values.email ?? 'marie.guerin').replace(/\.[a-z]+$/, '');
    await page.evaluate(IN_PAGE.startKeys);
    const box = page.getByRole('searchbox');
    await box.click();
    await box.pressSequentially(probe, { delay: 60 });
    const typed = Date.now();
    await page
      .getByTestId('records-status')
      .getByText(/containing/)
      .waitFor({ timeout: 60_000 });
    await rowShown(page, 0);
    const painted = Date.now() - typed;
    const lat = (await page.evaluate(IN_PAGE.keys)) as number[];
    out.push(
      `| search box input latency (key to next frame), median / max over ${lat.length} keys | ${median(lat).toFixed(1)} / ${Math.max(...lat).toFixed(1)} ms | never blocks |`,
      `| last keystroke to the search's first rows painted (300 ms debounce included) | ${sec(painted)} | |`,
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
      `machine: ${machine()}; date: ${new Date().toISOString().slice(0, 10)}; load: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
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
