/**
 * `leakscope export` end to end (DESIGN.md command line contract), and the HTML report it writes
 * opened in Debian's Chromium: the report loads with no request other than the file itself, no
 * CSP violation, its charts and redacted sample render (screenshot under test-results/), and its
 * embedded manifest parses. A leaky policy file makes the command fail with the reason and leaves
 * nothing on disk.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_POLICIES } from '../../src/shared/redaction';
import { generateFile } from '../fixtures/gen';
import { ROOT, TEST_PASSPHRASE } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { engineWithCase } from '../helpers/engine';
import { launchChromium } from '../helpers/chromium';
import { scratchDir } from '../helpers/tmp';

/** The screenshot stays here (gitignored) for a human to look at. */
const RESULTS = join(ROOT, 'test-results', 'export');

const dir = scratchDir('leakscope-export-cli-');
const outDir = join(dir, 'out');
let casePath = '';
const env = { LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE };

beforeAll(async () => {
  mkdirSync(outDir);
  mkdirSync(RESULTS, { recursive: true });
  const file = join(dir, 'kairos.csv');
  await generateFile({ seed: 5, rows: 120, format: 'csv', out: file });
  const { engine, path } = await engineWithCase(dir, 'cli');
  await engine.call('import.run', { path: file });
  engine.close();
  casePath = path;
}, 60_000);

describe('leakscope export', () => {
  let report = '';
  let json: Record<string, unknown> = {};

  it('writes a verified HTML report and prints DESIGN.md’s JSON', () => {
    report = join(outDir, 'kairos.html');
    const r = runCli(
      [
        'export',
        'kairos',
        '--case',
        casePath,
        '--format',
        'html',
        '--out',
        report,
        '--sample',
        '12',
        '--json',
      ],
      env,
    );
    expect(r.stderr).not.toMatch(/leakscope:/);
    expect(r.status).toBe(0);
    json = r.json as Record<string, unknown>;
    expect(json).toMatchObject({
      out: report,
      format: 'html',
      rows: 120,
      verified: true,
      policy: 'share-with-authority',
    });
    expect(json['sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('opens in Chromium with no request but the file itself', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.addInitScript(
        `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP-VIOLATION ' + e.violatedDirective));`,
      );
      const url = pathToFileURL(report).href;
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForTimeout(200);
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
      expect(await page.title()).toBe('Leakscope report: kairos');
      const facts = (await page.evaluate(`(() => ({
        svgs: document.querySelectorAll('svg').length,
        bars: document.querySelectorAll('svg rect').length,
        sampleRows: document.querySelectorAll('table.sample tbody tr').length,
        scripts: document.querySelectorAll('script').length,
        external: [...document.querySelectorAll('[src],[href],link,iframe,object,embed,img')].length,
        csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]').content,
        headings: [...document.querySelectorAll('h2')].map((h) => h.textContent),
        manifest: JSON.parse(document.getElementById('manifest').textContent),
        styled: getComputedStyle(document.querySelector('h2')).borderBottomStyle,
      }))()`)) as {
        svgs: number;
        bars: number;
        sampleRows: number;
        scripts: number;
        external: number;
        csp: string;
        headings: string[];
        manifest: { policy: { name: string }; output: { sampleRows: number; rows: number } };
        styled: string;
      };
      expect(facts.svgs).toBeGreaterThanOrEqual(2);
      expect(facts.bars).toBeGreaterThan(10);
      expect(facts.sampleRows).toBe(12);
      expect(facts.scripts).toBe(0);
      expect(facts.external).toBe(0);
      expect(facts.csp).toMatch(/^default-src 'none'; style-src 'sha256-/);
      // The inline style applied: allowed by its hash, not by 'unsafe-inline'.
      expect(facts.styled).toBe('solid');
      expect(facts.headings).toEqual([
        'Provenance',
        'Selection',
        'Redaction policy',
        'Profile and personal data',
        'Duplicates and overlaps',
        'Sample of records (redacted)',
        'Manifest',
      ]);
      expect(facts.manifest.policy.name).toBe('share-with-authority');
      expect(facts.manifest.output).toMatchObject({ rows: 120, sampleRows: 12 });
      await page.screenshot({ path: join(RESULTS, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('refuses a leaky policy file with the reason, leaving nothing on disk', () => {
    const policyFile = join(dir, 'leaky.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        ...BUILTIN_POLICIES['share-with-authority'],
        name: 'leaky',
        columns: [{ column: 'nir', rule: { op: 'keep' } }],
      }),
    );
    const before = readdirSync(outDir).sort();
    const r = runCli(
      [
        'export',
        'kairos',
        '--case',
        casePath,
        '--format',
        'csv',
        '--out',
        join(outDir, 'leaky.csv'),
        '--policy',
        policyFile,
        '--json',
      ],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'E_FORBIDDEN' } });
    expect((r.json as { error: { message: string } }).error.message).toMatch(
      /^export refused, nothing was written: column "nir" \(French social security number \(NIR\)\) is kept/,
    );
    expect(readdirSync(outDir).sort()).toEqual(before);
    expect(readFileSync(report, 'utf8').length).toBeGreaterThan(1000);
  });
});
