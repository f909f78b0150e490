/**
 * An AppApi over a fake transport for component tests: records every call and answers from a
 * per-method table (a value, an error, or a function of the input). The desktop kind also has
 * main's file dialog and PDF report (answered from `answers.exportReportPdf`). `sampleDataset`
 * builds the dataset summaries the views list.
 */
import { createClient } from '../../src/shared/client';
import type { CaseInfo, DatasetSummary } from '../../src/shared/api';
import type {
  DesktopEventName,
  DesktopEvents,
  FileKind,
  ReportPdfRequest,
  ReportPdfResult,
} from '../../src/shared/desktop';
import type { ErrorInfo, Result } from '../../src/shared/errors';
import type { AppApi } from '../../src/renderer/src/api/client';

export type Answer = unknown | { error: ErrorInfo } | ((input: unknown) => Result<unknown>);

export interface FakeApi extends AppApi {
  calls: Array<{ method: string; input: unknown }>;
  answers: Record<string, Answer>;
  emit<E extends DesktopEventName>(event: E, data: DesktopEvents[E]): void;
  picks: FileKind[];
  pdfRequests: ReportPdfRequest[];
}

export const SAMPLE_INFO: CaseInfo = {
  path: '/cases/enquete.lscase',
  caseId: '3f1c0d7e-0000-4000-8000-000000000001',
  createdAt: '2026-03-01T10:00:00.000Z',
  schemaVersion: 20,
  appVersion: '0.1.0',
  cipher: { name: 'sqlcipher', legacy: 4, kdfIter: 256000 },
  bytes: 24728,
  datasets: 0,
  auditEntries: 1,
};

/**
 * A dataset as `datasets.list` reports it: one file (`/evidence/<name>.<format>`), read completely
 * on 1 March 2026. Each test overrides what its view shows; `source` is merged field by field.
 */
export function sampleDataset(
  over: Partial<Omit<DatasetSummary, 'source'>> & { id: number; name: string },
  source: Partial<DatasetSummary['source']> = {},
): DatasetSummary {
  const fileName = `${over.name}.${over.format ?? 'csv'}`;
  return {
    table: null,
    format: 'csv',
    encoding: 'utf-8',
    sha256: 'a'.repeat(64),
    bytes: 1000,
    rows: 1000,
    rejected: 0,
    complete: true,
    status: 'ready',
    columns: [],
    ...over,
    source: {
      id: over.id,
      fileName,
      path: `/evidence/${fileName}`,
      member: null,
      compression: null,
      mtime: '2026-03-01T10:00:00.000Z',
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-01T10:01:00.000Z',
      details: {},
      message: null,
      ...source,
    },
  };
}

export function fakeApi(
  opts: {
    kind?: 'desktop' | 'http';
    answers?: Record<string, Answer>;
    fixedCasePath?: string | null;
  } = {},
): FakeApi {
  const calls: FakeApi['calls'] = [];
  const answers: Record<string, Answer> = {
    'case.info': { error: { code: 'E_NO_CASE', message: 'no case is open' } },
    ...opts.answers,
  };
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const picks: FileKind[] = [];
  const pdfRequests: ReportPdfRequest[] = [];
  const kind = opts.kind ?? 'http';
  const answer = (method: string, input: unknown): Result<unknown> => {
    const a = answers[method];
    if (typeof a === 'function') return (a as (i: unknown) => Result<unknown>)(input);
    if (a && typeof a === 'object' && 'error' in a)
      return { ok: false, error: (a as { error: ErrorInfo }).error };
    if (a === undefined) return { ok: false, error: { code: 'E_UNKNOWN_METHOD', message: method } };
    return { ok: true, value: a };
  };
  const api: FakeApi = {
    kind,
    calls,
    answers,
    picks,
    pdfRequests,
    fixedCasePath: opts.fixedCasePath ?? null,
    client: createClient({
      async invoke(method, input): Promise<Result<unknown>> {
        calls.push({ method, input });
        return answer(method, input);
      },
    }),
    pickFile:
      kind === 'desktop'
        ? async (k) => {
            picks.push(k);
            if (k === 'export-pdf') return '/exports/report.pdf';
            return k === 'case-new' ? '/cases/nouvelle.lscase' : '/cases/enquete.lscase';
          }
        : null,
    exportReportPdf:
      kind === 'desktop'
        ? async (request) => {
            pdfRequests.push(request);
            return answer('exportReportPdf', request) as Result<ReportPdfResult>;
          }
        : null,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (data: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (data: unknown) => void);
    },
    emit(event, data) {
      for (const l of listeners.get(event) ?? []) l(data);
    },
  };
  return api;
}
