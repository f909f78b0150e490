/**
 * export.run and export.history, and `exportRows`, the entry point other capabilities (saved
 * sessions, the UI) use to export a selection: it resolves the policy and the session in the main
 * connection, creates the pseudonym secret if the policy needs it (so the worker only reads the
 * case), runs the export in a job worker with progress and cancellation, then records it in the
 * export history. The router writes the audit entry of a finished export (AUDIT_SUMMARIES below).
 *
 * Two audit entries are written here, because the router only audits calls that succeed:
 * - `export.refused`: an export the policy refused (verification found a value the policy says
 *   must not appear, or the policy forbids what was asked); nothing was written, and the entry
 *   says why (column names, record ordinals, output positions: never the value found);
 * - `export.pdf`: a PDF of the report printed by the Electron adapter (pdf.ts).
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SECRET_KEYS, type MethodParsedInput } from '../../../shared/api';
import type {
  ExportHistoryEntry,
  ExportHistoryFormat,
  ExportResult,
} from '../../../shared/contract/redact';
import { LeakscopeError } from '../../../shared/errors';
import type { FilterNode } from '../../../shared/filter';
import { appendAudit } from '../audit';
import type { AuditSummaries, EngineContext, HandlerMap } from '../context';
import { findDataset } from '../import/repo';
import { jobAccess, runJob } from '../jobs/host';
import { ensureCaseSecret } from '../redact/keys';
import { resolvePolicy } from '../redact/policies';
import { resolveSessionQuery } from '../session';
import type { WritableDB } from '../store/types';
import { sidecarPath, type ExportJobInput, type ExportJobResult } from './run';
import {
  PDF_EXTENSION,
  publishReportPdf,
  type ExportCallOptions,
  type PublishedPdf,
  type ReportPdfOptions,
} from './pdf';
import { partialPath } from './sink';

export type ExportParams = MethodParsedInput<'export.run'>;

function checkTarget(out: string, casePath: string, overwrite: boolean, sidecar: boolean): void {
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new LeakscopeError('E_BAD_INPUT', `the folder ${dir} does not exist`);
  }
  const targets = sidecar ? [out, sidecarPath(out)] : [out];
  for (const t of targets) {
    if (resolve(t) === resolve(casePath) || t.startsWith(`${resolve(casePath)}-`)) {
      throw new LeakscopeError('E_BAD_INPUT', 'an export cannot be written over the case file');
    }
    if (existsSync(t)) {
      if (!overwrite) {
        throw new LeakscopeError(
          'E_BAD_INPUT',
          `${t} already exists; choose another name or allow overwriting`,
        );
      }
      if (!statSync(t).isFile()) throw new LeakscopeError('E_BAD_INPUT', `${t} is not a file`);
    }
  }
}

/** The file a history row lists: the export itself, or the PDF printed from its report. */
interface HistoryFile {
  format: ExportHistoryFormat;
  out: string;
  bytes: number;
  sha256: string;
}

function recordHistory(
  db: WritableDB,
  at: Date,
  job: ExportJobResult,
  input: ExportJobInput,
  file: HistoryFile = job,
): void {
  db.prepare(
    `INSERT INTO export_history (at, dataset_id, dataset_name, format, out_path, policy_name, policy, filter, description, rows, bytes, sha256, manifest)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    at.toISOString(),
    job.datasetId,
    job.datasetName,
    file.format,
    file.out,
    input.policy.name,
    JSON.stringify(input.policy),
    input.filter ? JSON.stringify(input.filter) : null,
    job.description,
    job.rows,
    file.bytes,
    file.sha256,
    JSON.stringify(job.manifest),
  );
}

/** The request as the audit log keeps it (no secret ever sits in an export request anyway). */
function requestForAudit(params: ExportParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!SECRET_KEYS.has(k)) out[k] = v;
  return out;
}

/**
 * Appends the `export.refused` entry of an export the policy refused. Verification reasons name
 * columns, record ordinals and positions, never the value found, so they are safe to keep.
 */
function auditRefusal(
  ctx: EngineContext,
  params: ExportParams,
  e: LeakscopeError,
  target: { dataset: string | undefined; policy: string | null; pdf: string | null },
): void {
  const c = ctx.currentCase();
  if (!c) return;
  const details = e.details ?? {};
  appendAudit(c.db, {
    at: ctx.now(),
    action: 'export.refused',
    params: requestForAudit(params),
    result: {
      refused: true,
      code: e.code,
      reason: e.message,
      findings: Array.isArray(details['findings']) ? details['findings'] : [],
      dataset: target.dataset ?? null,
      format: params.format,
      out: resolve(params.out),
      pdf: target.pdf,
      policy: target.policy,
      written: false,
    },
  });
}

/** Runs `fn`; an E_FORBIDDEN refusal is audited before it is passed on to the caller. */
async function auditingRefusals<T>(
  ctx: EngineContext,
  params: ExportParams,
  target: { dataset: string | undefined; policy: string | null; pdf: string | null },
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof LeakscopeError && e.code === 'E_FORBIDDEN') {
      try {
        auditRefusal(ctx, params, e, target);
      } catch {
        // The refusal still stands; a failing audit append must not turn it into a success.
      }
    }
    throw e;
  }
}

/**
 * Exports a dataset (or a saved session's view) through a policy. What `export.run` does, and
 * what the sessions capability calls for `export --session NAME`. With `call.reportPdf` (the
 * Electron adapter), the HTML report is then printed to PDF (pdf.ts).
 */
export async function exportRows(
  ctx: EngineContext,
  params: ExportParams,
  call: ExportCallOptions = {},
): Promise<ExportResult> {
  const c = ctx.requireCase();
  const db = c.db;
  let dataset = params.dataset;
  let filter: FilterNode | undefined = params.filter;
  let search = params.search;
  let sort = params.sort;
  let visible: string[] | null = null;
  let policyRef: unknown = params.policy;
  const pdf: ReportPdfOptions | null = call.reportPdf ?? null;
  if (params.session !== undefined) {
    const s = resolveSessionQuery(db, params.session);
    if (dataset !== undefined && findDataset(db, dataset).id !== s.datasetId) {
      throw new LeakscopeError(
        'E_BAD_INPUT',
        `session ${JSON.stringify(params.session)} views dataset ${JSON.stringify(s.dataset)}, not ${JSON.stringify(dataset)}`,
      );
    }
    dataset = s.dataset;
    filter = s.filter;
    search = s.search;
    sort = s.sort.length ? s.sort : sort;
    visible = s.columns ? s.columns.map((v) => v.column) : null;
    policyRef ??= s.redactionPolicy ?? undefined;
  }
  if (dataset === undefined) throw new LeakscopeError('E_BAD_INPUT', 'give a dataset or a session');
  findDataset(db, dataset);
  const policy = resolvePolicy(db, policyRef ?? 'share-with-authority');
  const out = resolve(params.out);
  checkTarget(out, c.path, params.overwrite, params.format === 'csv' || params.format === 'ndjson');
  if (existsSync(partialPath(out)) && !statSync(partialPath(out)).isFile()) {
    throw new LeakscopeError('E_BAD_INPUT', `${partialPath(out)} exists and is not a file`);
  }
  if (pdf) {
    if (params.format !== 'html') {
      throw new LeakscopeError('E_BAD_INPUT', 'a PDF is printed from the HTML report only');
    }
    if (!pdf.out.toLowerCase().endsWith(PDF_EXTENSION)) {
      throw new LeakscopeError('E_BAD_INPUT', 'the PDF file name must end in .pdf');
    }
    checkTarget(resolve(pdf.out), c.path, pdf.overwrite, false);
    if (resolve(pdf.out) === out) {
      throw new LeakscopeError('E_BAD_INPUT', 'the PDF and its HTML report need two file names');
    }
  }
  const target = { dataset, policy: policy.name, pdf: pdf ? resolve(pdf.out) : null };
  return auditingRefusals(ctx, params, target, async () => {
    // The worker only reads: the secret is created here, in the owning connection.
    ensureCaseSecret(db, ctx.now());
    const input: ExportJobInput = {
      dataset: dataset!,
      filter,
      search,
      sort,
      session: params.session ?? null,
      visible,
      format: params.format,
      out,
      policy,
      csv: params.csv,
      sample: params.includeSample,
      appVersion: ctx.deps.appVersion,
      now: ctx.now().toISOString(),
    };
    const { jobWorkerUrl } = ctx.deps;
    const partials = [partialPath(out), partialPath(sidecarPath(out))];
    const job = await runJob(
      jobAccess(ctx.deps, c.path, ctx.caseKey()),
      { kind: 'export', input },
      {
        ...(call.signal ? { signal: call.signal } : {}),
        ...(call.onProgress ? { onProgress: call.onProgress } : {}),
        ...(jobWorkerUrl ? { workerUrl: jobWorkerUrl } : {}),
      },
    ).catch((e: unknown) => {
      // The worker deletes its partial files on any failure it sees; a worker stopped hard (a
      // cancel it did not answer in time, a crash) cannot, so the owner makes sure here.
      for (const p of partials) rmSync(p, { force: true });
      if (pdf && !pdf.keepHtml) rmSync(out, { force: true });
      throw e;
    });
    let printed: PublishedPdf | null = null;
    if (pdf) {
      printed = await publishReportPdf(job.out, { ...pdf, out: resolve(pdf.out) }, call.signal);
      appendAudit(db, {
        at: ctx.now(),
        action: 'export.pdf',
        params: requestForAudit(params),
        result: {
          format: 'pdf',
          out: printed.out,
          bytes: printed.bytes,
          sha256: printed.sha256,
          html: { out: printed.html, sha256: printed.htmlSha256, kept: printed.html !== null },
          rows: job.rows,
          policy: job.manifest.policy.name,
          filter: job.description,
          dataset: job.manifest.dataset.name,
          sourceSha256: job.manifest.dataset.source.sha256,
        },
      });
    }
    // The history lists files that exist: an intermediate HTML report deleted once printed is
    // in the audit log (export.run and export.pdf), not here. The PDF is listed with the
    // manifest of the verified report it was printed from.
    if (!printed || printed.html !== null) recordHistory(db, ctx.now(), job, input);
    if (printed) {
      recordHistory(db, ctx.now(), job, input, {
        format: 'pdf',
        out: printed.out,
        bytes: printed.bytes,
        sha256: printed.sha256,
      });
    }
    if (printed) pdf!.onPublished?.(printed);
    return {
      out: job.out,
      format: job.format,
      rows: job.rows,
      bytes: job.bytes,
      sha256: job.sha256,
      manifestPath: job.manifestPath,
      manifest: job.manifest,
      verified: true as const,
      description: job.description,
      warnings: job.warnings,
      seconds: job.seconds,
    };
  });
}

export function exportHistory(db: WritableDB, limit: number): ExportHistoryEntry[] {
  return (
    db
      .prepare(
        'SELECT id, at, dataset_name, format, out_path, policy_name, description, rows, bytes, sha256 FROM export_history ORDER BY id DESC LIMIT ?',
      )
      .all(limit) as {
      id: number;
      at: string;
      dataset_name: string;
      format: ExportHistoryEntry['format'];
      out_path: string;
      policy_name: string;
      description: string;
      rows: number;
      bytes: number;
      sha256: string;
    }[]
  ).map((r) => ({
    id: r.id,
    at: r.at,
    dataset: r.dataset_name,
    format: r.format,
    out: r.out_path,
    policy: r.policy_name,
    description: r.description,
    rows: r.rows,
    bytes: r.bytes,
    sha256: r.sha256,
  }));
}

export const exportHandlers: HandlerMap = {
  'export.run': (input, ctx, call) => exportRows(ctx, input, call),
  'export.history': ({ limit }, ctx) => ({ exports: exportHistory(ctx.requireCase().db, limit) }),
};

/** The audit entry of an export: what, where, under which policy and filter, how many, which hash. */
export const exportAuditSummaries: AuditSummaries = {
  'export.run': (r) => ({
    out: r.out,
    format: r.format,
    rows: r.rows,
    bytes: r.bytes,
    sha256: r.sha256,
    verified: r.verified,
    policy: r.manifest.policy.name,
    policyDescription: r.manifest.policy.description,
    filter: r.description,
    dataset: r.manifest.dataset.name,
    sourceSha256: r.manifest.dataset.source.sha256,
  }),
};
