/** The PDF step of a report export: container check, partial file, rename, clean-up. */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPdf,
  publishReportPdf,
  reportHtmlPath,
  type ReportPdfOptions,
} from '../../../src/main/engine/export/pdf';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir('leakscope-pdf-');

function pdf(body = ''): Buffer {
  return Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n${body}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

let n = 0;
function file(content: Buffer | string): string {
  const p = join(dir, `f${++n}.bin`);
  writeFileSync(p, content);
  return p;
}

describe('checkPdf', () => {
  it('accepts a complete PDF without active content', () => {
    expect(() => checkPdf(file(pdf()))).not.toThrow();
  });

  it.each([
    ['not a PDF', '<html>'.padEnd(200, ' '), /not a PDF/],
    ['empty', '', /empty or truncated/],
    ['truncated', pdf().subarray(0, 80), /truncated/],
    ['a link', pdf('<< /S /URI /URI (https://x.example/) >>'), /a link to a URL/],
    ['JavaScript', pdf('<< /S /JavaScript /JS (app.alert(1)) >>'), /JavaScript/],
    ['a launch action', pdf('<< /S /Launch /F (calc.exe) >>'), /a launch action/],
    ['a form submission', pdf('<< /S /SubmitForm >>'), /form submission/],
    ['an embedded file', pdf('<< /Type /EmbeddedFile >>'), /embedded file/],
  ])('refuses %s', (_name, content, reason) => {
    expect(() => checkPdf(file(content as Buffer | string))).toThrow(reason);
  });

  it('sees a name split across two read chunks', () => {
    // '/URI' starts 2 bytes before the 1 MiB chunk boundary.
    const padding = 'x'.repeat((1 << 20) - 43);
    const content = Buffer.concat([pdf().subarray(0, 40), Buffer.from(padding + ' /URI (u)')]);
    expect(() => checkPdf(file(Buffer.concat([content, pdf().subarray(40)])))).toThrow(/link/);
  });
});

describe('reportHtmlPath', () => {
  it('puts a kept report beside the PDF, an intermediate one hidden and unique', () => {
    expect(reportHtmlPath('/exports/report.pdf', true)).toBe('/exports/report.html');
    const a = reportHtmlPath('/exports/report.pdf', false);
    const b = reportHtmlPath('/exports/report.pdf', false);
    expect(dirname(a)).toBe('/exports');
    expect(basename(a)).toMatch(/^\.report\.[0-9a-f]{12}\.report\.html$/);
    expect(a).not.toBe(b);
  });
});

describe('publishReportPdf', () => {
  function setup(name: string, keepHtml: boolean, print: ReportPdfOptions['print']) {
    const d = join(dir, name);
    mkdirSync(d);
    const html = join(d, 'report.html');
    writeFileSync(html, '<!DOCTYPE html><title>r</title>');
    const opts: ReportPdfOptions = {
      out: join(d, 'report.pdf'),
      overwrite: false,
      keepHtml,
      print,
    };
    return { d, html, opts };
  }

  it('writes the PDF through a partial file and deletes the intermediate HTML', async () => {
    const seen: string[] = [];
    const { d, html, opts } = setup('ok', false, async (h) => {
      seen.push(h);
      return pdf();
    });
    const r = await publishReportPdf(html, opts);
    expect(seen).toEqual([html]);
    expect(r).toMatchObject({ out: opts.out, bytes: pdf().length, html: null });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.htmlSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(d)).toEqual(['report.pdf']);
    expect(readFileSync(opts.out)).toEqual(pdf());
  });

  it('keeps the HTML when asked', async () => {
    const { d, html, opts } = setup('keep', true, async () => pdf());
    const r = await publishReportPdf(html, opts);
    expect(r.html).toBe(html);
    expect(readdirSync(d).sort()).toEqual(['report.html', 'report.pdf']);
  });

  it.each([
    ['a refused PDF', async () => pdf('/URI (x)'), 'E_FORBIDDEN'],
    ['a failed print', () => Promise.reject(new Error('boom')), 'E_INTERNAL'],
  ] as const)('leaves nothing on disk after %s', async (name, print, code) => {
    const { d, html, opts } = setup(name.replace(/\s/g, '-'), false, print);
    await expect(publishReportPdf(html, opts)).rejects.toMatchObject({ code });
    expect(readdirSync(d)).toEqual([]);
    expect(existsSync(`${opts.out}.partial`)).toBe(false);
  });

  it('stops when cancelled while printing', async () => {
    const ctl = new AbortController();
    const { d, html, opts } = setup('cancel', true, async () => {
      ctl.abort();
      return pdf();
    });
    await expect(publishReportPdf(html, opts, ctl.signal)).rejects.toMatchObject({
      code: 'E_CANCELLED',
    });
    expect(readdirSync(d)).toEqual(['report.html']);
  });
});
