/**
 * The `exportReportPdf` desktop method, main side, minus Electron: validate the renderer's request
 * (zod), then ask the engine for a verified HTML report of the selection with the printer in the
 * call options (engine/export/pdf.ts does the partial file, the check, the rename, the audit),
 * and answer with what was written.
 *
 * The IPC handler (ipc.ts) has already checked the sender frame and that `out` came from a save
 * dialog. Must not import 'electron' (unit-tested under plain Node with a fake engine and printer).
 */
import { z } from 'zod';
import type { ReportPdfRequest, ReportPdfResult } from '../../shared/desktop';
import type { ErrorInfo, Result } from '../../shared/errors';
import {
  reportHtmlPath,
  type ExportCallOptions,
  type PublishedPdf,
  type ReportPrinter,
} from '../engine/export/pdf';

/** What the renderer may send; the export fields are validated again by export.run's schema. */
export const ReportPdfRequestSchema = z
  .object({
    dataset: z.string().min(1).max(300).optional(),
    session: z.string().min(1).max(200).optional(),
    policy: z.unknown().optional(),
    filter: z.unknown().optional(),
    search: z.string().min(1).max(500).optional(),
    sort: z
      .array(z.object({ column: z.string().min(1).max(1000), desc: z.boolean().optional() }))
      .max(3)
      .optional(),
    includeSample: z.number().int().min(0).max(1000).optional(),
    out: z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => p.toLowerCase().endsWith('.pdf'), 'the PDF file name must end in .pdf'),
    overwrite: z.boolean().optional(),
    keepHtml: z.boolean().optional(),
  })
  .strict();

export interface ReportPdfDeps {
  engine: {
    invoke(method: string, input: unknown, call?: ExportCallOptions): Promise<Result<unknown>>;
  };
  print: ReportPrinter;
  /** Aborted when the case locks while printing. */
  signal?: AbortSignal;
}

export function badRequest(error: z.ZodError): ErrorInfo {
  const issues = error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
  return { code: 'E_BAD_INPUT', message: `exportReportPdf: ${issues}` };
}

export async function runReportPdf(
  deps: ReportPdfDeps,
  raw: unknown,
): Promise<Result<ReportPdfResult>> {
  const parsed = ReportPdfRequestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: badRequest(parsed.error) };
  const {
    out,
    keepHtml = false,
    overwrite = false,
    ...selection
  } = parsed.data as ReportPdfRequest;
  const html = reportHtmlPath(out, keepHtml);
  let published: PublishedPdf | null = null;
  const call: ExportCallOptions = {
    ...(deps.signal ? { signal: deps.signal } : {}),
    reportPdf: {
      out,
      overwrite,
      keepHtml,
      print: deps.print,
      onPublished: (p) => {
        published = p;
      },
    },
  };
  const result = await deps.engine.invoke(
    'export.run',
    // A kept HTML report may replace an older one only when the PDF may.
    { ...selection, format: 'html', out: html, overwrite: keepHtml ? overwrite : false },
    call,
  );
  if (!result.ok) return result;
  const pdf = published as PublishedPdf | null;
  if (!pdf) {
    return { ok: false, error: { code: 'E_INTERNAL', message: 'the PDF was not written' } };
  }
  const r = result.value as {
    rows: number;
    description: string;
    warnings: string[];
    seconds: number;
    manifest: { policy: { name: string } };
  };
  return {
    ok: true,
    value: {
      out: pdf.out,
      bytes: pdf.bytes,
      sha256: pdf.sha256,
      rows: r.rows,
      htmlSha256: pdf.htmlSha256,
      html: pdf.html,
      policy: r.manifest.policy.name,
      description: r.description,
      warnings: r.warnings,
      seconds: r.seconds,
    },
  };
}
