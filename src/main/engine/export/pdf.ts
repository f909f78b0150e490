/**
 * PDF of an export's HTML report (issue 7, point 3: "in the Electron app also a PDF of that
 * report"). The engine never imports Electron, so the printing itself is injected: the Electron
 * adapter passes a `ReportPdfOptions` (with Chromium's printToPDF behind `print`) in the call
 * options of an `export.run` in HTML format (see `ExportCallOptions`), and `exportRows` then:
 *
 *   1. makes and verifies the HTML report exactly as for any HTML export (job worker, partial
 *      file, read-back verification, rename),
 *   2. prints that verified file (`print`: a hidden sandboxed window, JavaScript off, every
 *      request refused), writes the bytes to `<out>.partial` (0600, never followed through a
 *      symlink), checks the PDF (`checkPdf`), hashes it and only then renames it to `<out>`;
 *   3. deletes the intermediate HTML unless it was asked for, appends an `export.pdf` audit
 *      entry (format `pdf`, the PDF's SHA-256; the router then appends the usual `export.run`
 *      entry of the HTML it was made from) and an `export_history` row of format `pdf`.
 *
 * Any failure deletes the partial PDF (and the intermediate HTML): a refused or failed PDF leaves
 * nothing on disk, like every other export.
 *
 * Why the PDF needs no second value scan: it is a rendering of the verified HTML and nothing
 * else (no script ran, no request was allowed, so no byte came from anywhere but that file).
 * What `checkPdf` does check is the container: a complete PDF, and none of the PDF features that
 * would reach outside the document when opened (links, launch or submit actions, JavaScript,
 * embedded files).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { LeakscopeError } from '../../../shared/errors';
import type { CallOptions } from '../context';
import { FileSink, partialPath, publish, sha256File } from './sink';

/** Prints the verified HTML report at `htmlPath`; resolves to the PDF bytes. */
export type ReportPrinter = (htmlPath: string, signal?: AbortSignal) => Promise<Uint8Array>;

export interface ReportPdfOptions {
  /** Absolute path of the PDF to write. */
  out: string;
  overwrite: boolean;
  /** Keep the verified HTML report (the `out` of the export call) beside the PDF. */
  keepHtml: boolean;
  print: ReportPrinter;
  /** Told once the PDF is in place (the adapter's answer to the renderer). */
  onPublished?: (pdf: PublishedPdf) => void;
}

/** Call options of `export.run` when the caller can print (the Electron adapter only). */
export interface ExportCallOptions extends CallOptions {
  reportPdf?: ReportPdfOptions;
}

export interface PublishedPdf {
  out: string;
  bytes: number;
  sha256: string;
  /** SHA-256 of the verified HTML report it was printed from. */
  htmlSha256: string;
  /** The HTML report when kept, else null (it was deleted once printed). */
  html: string | null;
}

export const PDF_EXTENSION = '.pdf';

/**
 * Where the HTML report of a PDF export goes: beside the PDF under the same name when it is
 * kept (`report.pdf` → `report.html`), otherwise a hidden, randomly named sibling deleted once
 * printed (same folder: same disk, same permissions as the export the user chose).
 */
export function reportHtmlPath(pdfOut: string, keepHtml: boolean): string {
  const dir = dirname(pdfOut);
  const ext = extname(pdfOut);
  const stem = basename(pdfOut, ext);
  if (keepHtml) return join(dir, `${stem}.html`);
  return join(dir, `.${stem}.${randomBytes(6).toString('hex')}.report.html`);
}

/** PDF names (`/Name`) that make a viewer reach outside the document or run something. */
const ACTIVE_FEATURES: readonly [RegExp, string][] = [
  [/\/JavaScript\b|\/JS\b/, 'JavaScript'],
  [/\/Launch\b/, 'a launch action'],
  [/\/URI\b/, 'a link to a URL'],
  [/\/SubmitForm\b/, 'a form submission'],
  [/\/GoToR\b|\/GoToE\b/, 'a link to another file'],
  [/\/EmbeddedFile\b|\/RichMedia\b/, 'an embedded file'],
  [/\/ImportData\b/, 'a data import action'],
];

const CHUNK = 1 << 20;

/**
 * Checks a printed PDF before it is kept: a PDF header, an end-of-file marker near the end,
 * and none of the active features above (searched in the whole file, chunk by chunk with an
 * overlap, so a name across a chunk boundary is still seen). Throws E_FORBIDDEN with the reason.
 */
export function checkPdf(path: string): void {
  const size = statSync(path).size;
  if (size < 64) throw new LeakscopeError('E_FORBIDDEN', 'the printed PDF is empty or truncated');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let position = 0;
    let carry = '';
    let first = true;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, position);
      if (n === 0) break;
      const text = carry + buf.toString('latin1', 0, n);
      if (first) {
        if (!text.startsWith('%PDF-')) {
          throw new LeakscopeError('E_FORBIDDEN', 'the printed file is not a PDF');
        }
        first = false;
      }
      for (const [re, what] of ACTIVE_FEATURES) {
        if (re.test(text)) {
          throw new LeakscopeError('E_FORBIDDEN', `the printed PDF contains ${what}`);
        }
      }
      carry = text.slice(-32);
      position += n;
    }
    const tailSize = Math.min(1024, size);
    const tail = Buffer.allocUnsafe(tailSize);
    readSync(fd, tail, 0, tailSize, size - tailSize);
    if (!tail.toString('latin1').includes('%%EOF')) {
      throw new LeakscopeError('E_FORBIDDEN', 'the printed PDF is truncated (no end marker)');
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Steps 2–3 above for an HTML report already verified and in place at `html`: print, write to
 * the partial file, check, hash, rename. Deletes the partial file on any failure, and the HTML
 * too when it is not kept (whatever happens).
 */
export async function publishReportPdf(
  html: string,
  opts: ReportPdfOptions,
  signal?: AbortSignal,
): Promise<PublishedPdf> {
  const partial = partialPath(opts.out);
  let sink: FileSink | null = null;
  try {
    const htmlSha256 = sha256File(html).sha256;
    const bytes = await opts.print(html, signal);
    if (signal?.aborted) throw new LeakscopeError('E_CANCELLED', 'export cancelled');
    sink = new FileSink(partial);
    sink.writeBytes(bytes);
    sink.close();
    checkPdf(partial);
    const file = sha256File(partial);
    publish([{ from: partial, to: opts.out }]);
    sink = null;
    return {
      out: opts.out,
      bytes: file.bytes,
      sha256: file.sha256,
      htmlSha256,
      html: opts.keepHtml ? html : null,
    };
  } catch (e) {
    sink?.discard();
    rmSync(partial, { force: true });
    if (e instanceof LeakscopeError) throw e;
    throw new LeakscopeError(
      'E_INTERNAL',
      `the report could not be printed to PDF: ${e instanceof Error ? e.message : String(e)}`,
    );
  } finally {
    if (!opts.keepHtml) rmSync(html, { force: true });
  }
}
