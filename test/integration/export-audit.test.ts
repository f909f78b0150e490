/**
 * Audit of refused exports, and the PDF of a report (printed by a fake printer standing in for
 * Electron's printToPDF), through the engine's contract on a generated leak file:
 * - an export the policy refuses writes an `export.refused` entry (reason, findings, no value)
 *   and leaves nothing on disk; the chain still verifies;
 * - a PDF export makes and verifies the HTML report, prints it, checks the PDF, renames it into
 *   place, deletes the intermediate HTML (unless kept) and audits both (`export.pdf`, `export.run`);
 * - a PDF that fails its check (a link out) or a printer that fails leave nothing on disk, and
 *   the refusal is audited.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/api';
import type { Result } from '../../src/shared/errors';
import { BUILTIN_POLICIES } from '../../src/shared/redaction';
import type { Engine } from '../../src/main/engine';
import type { ExportCallOptions, PublishedPdf } from '../../src/main/engine/export/pdf';
import { generateFile } from '../fixtures/gen';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-export-audit-');
const outDir = join(dir, 'out');
let a: { engine: Engine; path: string };

/** A small valid PDF whose body says which HTML it was printed from. */
function fakePdf(extra = ''): Uint8Array {
  return Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n${extra}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

const printed: string[] = [];
const printer =
  (extra = '') =>
  async (html: string): Promise<Uint8Array> => {
    // The printer gets a verified report that is already in place under its name.
    expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    printed.push(html);
    return fakePdf(extra);
  };

async function audit(): Promise<AuditEntry[]> {
  return (await a.engine.call('audit.list', { limit: 1000 })).entries;
}

const files = () => readdirSync(outDir).sort();

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  const csv = join(dir, 'people.csv');
  await generateFile({ seed: 7, rows: 120, format: 'csv', out: csv });
  a = await engineWithCase(dir, 'audit-case');
  await a.engine.call('import.run', { path: csv, name: 'people' });
}, 120_000);

afterAll(() => a?.engine.close());

describe('refused exports', () => {
  it('are audited with the reason, never the value, and leave nothing on disk', async () => {
    const before = files();
    const leaky = {
      ...BUILTIN_POLICIES['share-with-authority']!,
      name: 'leaky',
      columns: [{ column: 'email', rule: { op: 'keep' } }],
    };
    const out = join(outDir, 'leaky.csv');
    const r = await a.engine.invoke('export.run', {
      dataset: 'people',
      format: 'csv',
      out,
      policy: leaky,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    expect(files()).toEqual(before);
    const entries = await audit();
    const last = entries[entries.length - 1]!;
    expect(last.action).toBe('export.refused');
    expect(last.result).toMatchObject({
      refused: true,
      code: 'E_FORBIDDEN',
      dataset: 'people',
      format: 'csv',
      out,
      policy: 'leaky',
      written: false,
    });
    const result = last.result as { reason: string; findings: string[] };
    expect(result.reason).toMatch(/column "email" \(email address\) is kept/);
    expect(result.findings.length).toBeGreaterThan(0);
    // No e-mail address in the entry: reasons name columns and record ordinals only.
    expect(JSON.stringify(last.result)).not.toMatch(/[a-z0-9]@[a-z]/i);
    expect(
      entries.some((e) => e.action === 'export.run' && (e.result as { out: string }).out === out),
    ).toBe(false);
    expect(await a.engine.call('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('are not audited as refusals when the request itself is wrong', async () => {
    const n = (await audit()).length;
    const r = await a.engine.invoke('export.run', {
      dataset: 'people',
      format: 'csv',
      out: join(dir, 'no-such-folder', 'x.csv'),
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
    expect((await audit()).length).toBe(n);
  });
});

describe('PDF of the report', () => {
  async function exportPdf(
    name: string,
    opts: { keepHtml?: boolean; print?: (html: string) => Promise<Uint8Array> } = {},
  ): Promise<{ result: Result<unknown>; published: PublishedPdf | null; html: string }> {
    let published: PublishedPdf | null = null;
    const html = join(outDir, opts.keepHtml ? `${name}.html` : `.${name}.tmp.report.html`);
    const call: ExportCallOptions = {
      reportPdf: {
        out: join(outDir, `${name}.pdf`),
        overwrite: false,
        keepHtml: opts.keepHtml ?? false,
        print: opts.print ?? printer(),
        onPublished: (p) => {
          published = p;
        },
      },
    };
    const result = await a.engine.invoke(
      'export.run',
      { dataset: 'people', format: 'html', out: html, includeSample: 5 },
      call,
    );
    return { result, published, html };
  }

  it('prints the verified report, keeps only the PDF, and audits both steps', async () => {
    const before = files();
    const { result, published, html } = await exportPdf('report');
    expect(result.ok).toBe(true);
    expect(printed[printed.length - 1]).toBe(html);
    expect(published).toMatchObject({ out: join(outDir, 'report.pdf'), html: null });
    expect(readFileSync(join(outDir, 'report.pdf'), 'latin1')).toMatch(/^%PDF-1\.7/);
    // Only the PDF is new: no HTML, no partial file.
    expect(files()).toEqual([...before, 'report.pdf'].sort());
    const entries = await audit();
    const pdfEntry = entries.filter((e) => e.action === 'export.pdf').pop()!;
    const runEntry = entries.filter((e) => e.action === 'export.run').pop()!;
    expect(pdfEntry.result).toMatchObject({
      out: join(outDir, 'report.pdf'),
      sha256: published!.sha256,
      bytes: published!.bytes,
      html: { sha256: published!.htmlSha256, kept: false },
      rows: 120,
      policy: 'share-with-authority',
      dataset: 'people',
    });
    expect(runEntry.result).toMatchObject({ format: 'html', sha256: published!.htmlSha256 });
    expect(runEntry.seq).toBeGreaterThan(pdfEntry.seq);
    // The history lists files that exist: the PDF, not the deleted intermediate HTML.
    const history = await a.engine.call('export.history', {});
    expect(history.exports.some((h) => h.out === html)).toBe(false);
    expect(history.exports[0]).toMatchObject({
      format: 'pdf',
      out: join(outDir, 'report.pdf'),
      sha256: published!.sha256,
    });
    expect(pdfEntry.result).toMatchObject({ format: 'pdf' });
    expect(await a.engine.call('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('keeps the HTML report beside the PDF when asked', async () => {
    const { result, published, html } = await exportPdf('kept', { keepHtml: true });
    expect(result.ok).toBe(true);
    expect(published?.html).toBe(html);
    expect(existsSync(html)).toBe(true);
    expect(existsSync(join(outDir, 'kept.pdf'))).toBe(true);
    // Both files exist, so both are listed: the PDF (newest first) and the report it came from.
    const history = await a.engine.call('export.history', {});
    expect(history.exports.slice(0, 2)).toMatchObject([
      { out: join(outDir, 'kept.pdf'), format: 'pdf', sha256: published!.sha256 },
      { out: html, format: 'html', sha256: published!.htmlSha256 },
    ]);
  });

  it('refuses a PDF that links out, leaves nothing on disk, and audits the refusal', async () => {
    const before = files();
    const { result } = await exportPdf('linked', {
      print: printer('2 0 obj\n<< /S /URI /URI (https://example.org/) >>\nendobj'),
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'E_FORBIDDEN', message: 'the printed PDF contains a link to a URL' },
    });
    expect(files()).toEqual(before);
    const last = (await audit()).pop()!;
    expect(last).toMatchObject({
      action: 'export.refused',
      result: { pdf: join(outDir, 'linked.pdf'), format: 'html', written: false },
    });
  });

  it('leaves nothing on disk when printing fails', async () => {
    const before = files();
    const { result } = await exportPdf('broken', {
      print: () => Promise.reject(new Error('the GPU process crashed')),
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'E_INTERNAL', message: expect.stringMatching(/could not be printed/) },
    });
    expect(files()).toEqual(before);
  });

  it('refuses a PDF request for another format or a name without .pdf', async () => {
    const call = (out: string): ExportCallOptions => ({
      reportPdf: { out, overwrite: false, keepHtml: false, print: printer() },
    });
    const csv = await a.engine.invoke(
      'export.run',
      { dataset: 'people', format: 'csv', out: join(outDir, 'x.csv') },
      call(join(outDir, 'x.pdf')),
    );
    expect(csv).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
    const noExt = await a.engine.invoke(
      'export.run',
      { dataset: 'people', format: 'html', out: join(outDir, 'y.html') },
      call(join(outDir, 'y.txt')),
    );
    expect(noExt).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
  });
});
