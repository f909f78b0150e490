/**
 * The PDF of a report with a real Chromium (issue 7, point 3). Electron cannot run here, so the
 * printer injected into the engine's PDF step (engine/export/pdf.ts, the same code the Electron
 * adapter drives) is Debian's Chromium through playwright-core: JavaScript off like the app's
 * report window, every request other than the report file refused and recorded.
 *
 * Checked: the PDF is produced from the verified report and put in place (no partial file, no
 * intermediate HTML), the export history lists it as `pdf` and the audit log has its `export.pdf`
 * entry, both with the SHA-256 of the bytes on disk; a policy that verification refuses leaves
 * nothing on disk and never reaches the printer; no network request was made.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/api';
import { BUILTIN_POLICIES } from '../../src/shared/redaction';
import type { Engine } from '../../src/main/engine';
import type {
  ExportCallOptions,
  PublishedPdf,
  ReportPrinter,
} from '../../src/main/engine/export/pdf';
import { generateFile } from '../fixtures/gen';
import { engineWithCase } from '../helpers/engine';
import { launchChromium } from '../helpers/chromium';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-export-pdf-');
const outDir = join(dir, 'out');
let a: { engine: Engine; path: string };
let browser: Browser;
/** Every request the printing pages made, report files included. */
const requests: string[] = [];
/** The report files the printer was given. */
const printed: string[] = [];

/** What report-pdf.ts does with Electron's printToPDF, with Chromium's page.pdf(). */
const chromiumPrinter: ReportPrinter = async (htmlPath) => {
  printed.push(htmlPath);
  const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
  try {
    const url = pathToFileURL(htmlPath).href;
    await context.route('**/*', (route) =>
      route.request().url() === url ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: true,
      outline: true,
    });
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    await context.close();
  }
};

const files = () => readdirSync(outDir).sort();
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function audit(): Promise<AuditEntry[]> {
  return (await a.engine.call('audit.list', { limit: 1000 })).entries;
}

async function exportPdf(name: string, policy?: unknown) {
  let published: PublishedPdf | null = null;
  const html = join(outDir, `.${name}.tmp.report.html`);
  const call: ExportCallOptions = {
    reportPdf: {
      out: join(outDir, `${name}.pdf`),
      overwrite: false,
      keepHtml: false,
      print: chromiumPrinter,
      onPublished: (p) => {
        published = p;
      },
    },
  };
  const result = await a.engine.invoke(
    'export.run',
    {
      dataset: 'people',
      format: 'html',
      out: html,
      includeSample: 20,
      ...(policy ? { policy } : {}),
    },
    call,
  );
  return { result, published: published as PublishedPdf | null, html };
}

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  const csv = join(dir, 'people.csv');
  await generateFile({ seed: 11, rows: 300, format: 'csv', out: csv });
  a = await engineWithCase(dir, 'pdf-case');
  await a.engine.call('import.run', { path: csv, name: 'people' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  a?.engine.close();
});

describe('PDF of the report printed by Chromium', () => {
  it('is produced from the verified report, put in place, listed and audited as pdf', async () => {
    const { result, published, html } = await exportPdf('report');
    expect(result.ok).toBe(true);
    const pdfPath = join(outDir, 'report.pdf');
    // Printed from the verified report, which is gone once printed: only the PDF is left.
    expect(printed).toEqual([html]);
    expect(files()).toEqual(['report.pdf']);
    const bytes = readFileSync(pdfPath);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.subarray(-1024).toString('latin1')).toContain('%%EOF');
    expect(bytes.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length).toBeGreaterThan(0);
    const digest = sha256(pdfPath);
    expect(published).toMatchObject({ out: pdfPath, bytes: bytes.length, sha256: digest });

    const history = await a.engine.call('export.history', {});
    expect(history.exports).toHaveLength(1);
    expect(history.exports[0]).toMatchObject({
      format: 'pdf',
      out: pdfPath,
      bytes: bytes.length,
      sha256: digest,
      rows: 300,
      policy: 'share-with-authority',
      dataset: 'people',
    });

    const entries = await audit();
    const pdfEntry = entries.find((e) => e.action === 'export.pdf');
    const runEntry = entries.find((e) => e.action === 'export.run');
    expect(pdfEntry?.result).toMatchObject({
      format: 'pdf',
      out: pdfPath,
      sha256: digest,
      bytes: bytes.length,
      html: { sha256: published!.htmlSha256, kept: false },
      rows: 300,
      policy: 'share-with-authority',
    });
    // The report it was printed from was verified before it was printed.
    expect(runEntry?.result).toMatchObject({
      format: 'html',
      verified: true,
      sha256: published!.htmlSha256,
    });
    expect(await a.engine.call('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('refused by verification, leaves nothing on disk and never prints', async () => {
    const before = files();
    const printedBefore = printed.length;
    const leaky = {
      ...BUILTIN_POLICIES['share-with-authority']!,
      name: 'leaky',
      columns: [{ column: 'email', rule: { op: 'keep' } }],
    };
    const { result } = await exportPdf('leaky', leaky);
    expect(result).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    expect(files()).toEqual(before);
    expect(printed).toHaveLength(printedBefore);
    const last = (await audit()).pop()!;
    expect(last).toMatchObject({
      action: 'export.refused',
      result: { pdf: join(outDir, 'leaky.pdf'), written: false, policy: 'leaky' },
    });
    const history = await a.engine.call('export.history', {});
    expect(history.exports.map((h) => h.out)).toEqual([join(outDir, 'report.pdf')]);
  });

  it('made no network request: the report file was the only thing loaded', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((u) => u.startsWith('file://') && u.endsWith('.report.html'))).toBe(true);
    expect(new Set(requests)).toEqual(new Set(printed.map((p) => pathToFileURL(p).href)));
  });
});
