/**
 * The Redaction and export view over the fake API: the live preview follows policy edits (a new
 * redact.preview with the edited policy inline) and never shows the raw value of a column just
 * redacted; saving a built-in's edits under a new name; the export job with progress, the
 * verification result and the history; the current view's filter as the export subset.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportResult, PreviewResult } from '../../src/shared/api';
import type { Result } from '../../src/shared/errors';
import { BUILTIN_POLICIES, describePolicy } from '../../src/shared/redaction';
import { ApiProvider } from '../../src/renderer/src/api/context';
import { ExportView } from '../../src/renderer/src/features/export/ExportView';
import {
  clearCurrentView,
  makeView,
  publishCurrentView,
} from '../../src/renderer/src/features/sessions/current-view';
import { WorkspaceProvider } from '../../src/renderer/src/workspace/context';
import { fakeApi, SAMPLE_INFO, sampleDataset, type FakeApi } from './fake-api';

afterEach(cleanup);
beforeEach(clearCurrentView);

const RAW_EMAIL = 'jean.dupont@example.fr';
const RAW_NAME = 'DUPONT';

const KAIROS = sampleDataset({
  id: 1,
  name: 'kairos',
  format: 'ndjson',
  rows: 340,
  columns: [
    { name: 'nom', path: 'nom' },
    { name: 'email', path: 'email' },
  ],
});

type Op = 'keep' | 'mask' | 'partial' | 'pseudonym';

/** What the fake engine does to the email column under the policy it is given. */
function emailOp(policy: unknown): Op {
  if (policy === 'internal') return 'keep';
  if (typeof policy === 'string') return 'partial';
  const doc = policy as {
    columns?: { column: string; rule?: { op: Op } }[];
    kinds?: Record<string, { op: Op }>;
  };
  return (
    doc.columns?.find((c) => c.column === 'email')?.rule?.op ?? doc.kinds?.['email']?.op ?? 'keep'
  );
}

function preview(policy: unknown): PreviewResult {
  const op = emailOp(policy);
  const email = {
    keep: RAW_EMAIL,
    mask: '•'.repeat(RAW_EMAIL.length),
    partial: 'j•••@example.fr',
    pseudonym: 'EMAIL-7f3a9c21aa00',
  }[op];
  const nameOp: Op = policy === 'internal' ? 'keep' : 'pseudonym';
  return {
    dataset: 'kairos',
    policy: typeof policy === 'string' ? policy : (policy as { name: string }).name,
    output: 'records',
    columns: [
      {
        name: 'nom',
        path: 'nom',
        output: 'nom',
        kind: 'last_name',
        kindSource: 'profile',
        confidence: 0.97,
        rule: nameOp === 'keep' ? { op: 'keep' } : { op: 'pseudonym', hex: 12 },
        ruleSource: 'kind',
        description: nameOp === 'keep' ? 'kept as is' : 'replaced by a keyed pseudonym',
        mustRedact: false,
      },
      {
        name: 'email',
        path: 'email',
        output: 'email',
        kind: 'email',
        kindSource: 'profile',
        confidence: 0.99,
        rule:
          op === 'mask'
            ? { op: 'mask', keepFirst: 0, keepLast: 0 }
            : op === 'partial'
              ? { op: 'partial', dateOfBirth: 'year' }
              : op === 'pseudonym'
                ? { op: 'pseudonym', hex: 12 }
                : { op: 'keep' },
        ruleSource: 'column',
        description: op,
        mustRedact: false,
      },
    ],
    rows: [
      {
        id: 1,
        ordinal: 0,
        line: 1,
        values: { nom: nameOp === 'keep' ? RAW_NAME : 'LASTNAME-0a1b2c3d4e5f', email },
      },
    ],
    description: 'all records',
    profiled: true,
    warnings: [],
  };
}

const EXPORT_RESULT: ExportResult = {
  out: '/exports/kairos.csv',
  format: 'csv',
  rows: 12,
  bytes: 2048,
  sha256: 'c0ffee'.padEnd(64, '0'),
  manifestPath: '/exports/kairos.csv.manifest.json',
  verified: true,
  description: 'nom is "DUPONT"',
  warnings: [],
  seconds: 0.4,
  manifest: {
    format: 'leakscope.export-manifest',
    version: 1,
    generator: { app: 'Leakscope', version: 'test' },
    createdAt: '2026-03-02T10:00:00.000Z',
    case: { id: SAMPLE_INFO.caseId },
    dataset: {
      id: 1,
      name: 'kairos',
      table: null,
      format: 'ndjson',
      encoding: 'utf-8',
      rows: 340,
      rejected: 0,
      complete: true,
      source: {
        fileName: 'kairos.ndjson',
        member: null,
        sha256: 'a'.repeat(64),
        bytes: 1000,
        mtime: '2026-03-01T10:00:00.000Z',
        importedAt: '2026-03-01T10:00:00.000Z',
        importFinishedAt: '2026-03-01T10:01:00.000Z',
      },
    },
    selection: {
      filter: null,
      search: null,
      sort: [],
      session: null,
      description: 'nom is "DUPONT"',
    },
    policy: { name: 'share-with-authority', builtIn: true, description: '', document: {} },
    columns: preview('share-with-authority').columns,
    output: {
      format: 'csv',
      file: 'kairos.csv',
      content: 'records',
      rows: 12,
      rowsSha256: 'beef'.padEnd(64, '0'),
      sha256: 'c0ffee'.padEnd(64, '0'),
      bytes: 2048,
      sampleRows: null,
      csv: { delimiter: ',', bom: false },
    },
    verification: {
      method: 'raw-values-rescan-v1',
      redactedColumns: ['nom', 'email'],
      tokenKinds: ['nir'],
    },
    warnings: [],
  },
};

function harness(kind: 'http' | 'desktop' = 'http', extra: Record<string, unknown> = {}): FakeApi {
  let polls = 0;
  return fakeApi({
    kind,
    answers: {
      ...extra,
      'datasets.list': { datasets: [KAIROS] },
      'session.list': { sessions: [] },
      'policy.list': {
        policies: Object.values(BUILTIN_POLICIES).map((p) => ({
          name: p.name,
          builtIn: true,
          description: p.description,
          output: p.output,
          updatedAt: null,
        })),
      },
      'policy.get': (input: unknown): Result<unknown> => {
        const p = BUILTIN_POLICIES[(input as { name: string }).name]!;
        return { ok: true, value: { policy: p, builtIn: true, text: describePolicy(p) } };
      },
      'policy.save': (input: unknown): Result<unknown> => ({
        ok: true,
        value: { name: (input as { policy: { name: string } }).policy.name, created: true },
      }),
      'redact.preview': (input: unknown): Result<unknown> => ({
        ok: true,
        value: preview((input as { policy: unknown }).policy),
      }),
      'export.history': { exports: [] },
      'jobs.start': { jobId: 'job-7' },
      'jobs.status': (): Result<unknown> => {
        polls++;
        const base = {
          jobId: 'job-7',
          method: 'export.run',
          startedAt: '2026-03-02T10:00:00.000Z',
        };
        return polls === 1
          ? {
              ok: true,
              value: {
                ...base,
                state: 'running',
                finishedAt: null,
                progress: {
                  step: 'writing',
                  bytesDone: 6,
                  bytesTotal: 12,
                  records: 6,
                  rejected: 0,
                  rowsPerSecond: 1200,
                  etaSeconds: 1,
                },
              },
            }
          : {
              ok: true,
              value: {
                ...base,
                state: 'done',
                finishedAt: '2026-03-02T10:00:01.000Z',
                progress: null,
                result: EXPORT_RESULT,
              },
            };
      },
    },
  });
}

function mount(api: FakeApi) {
  render(
    <ApiProvider api={api}>
      <WorkspaceProvider caseInfo={SAMPLE_INFO} view="export" onView={() => {}}>
        <ExportView />
      </WorkspaceProvider>
    </ApiProvider>,
  );
}

/** The first preview waits out the debounce (slower on a loaded machine). */
const findPreview = () => screen.findByTestId('preview-table', {}, { timeout: 5000 });

const previews = (api: FakeApi) =>
  api.calls.filter((c) => c.method === 'redact.preview').map((c) => c.input as { policy: unknown });

describe('Export view', () => {
  it('previews real records through the default policy', async () => {
    const api = harness();
    mount(api);
    const table = await findPreview();
    expect(table.textContent).toContain('j•••@example.fr');
    expect(table.textContent).not.toContain(RAW_EMAIL);
    expect(previews(api)[0]).toMatchObject({
      dataset: 'kairos',
      policy: 'share-with-authority',
      limit: 20,
    });
  });

  it('asks a new preview when the policy changes, and never shows a just-redacted raw value', async () => {
    const api = harness();
    mount(api);
    await findPreview();
    // The internal policy keeps everything: the email shows in clear, as it should there.
    fireEvent.change(screen.getByLabelText('Policy'), { target: { value: 'internal' } });
    await waitFor(() =>
      expect(screen.getByTestId('preview-table').textContent).toContain(RAW_EMAIL),
    );

    // Hold the next preview to look at the table while it is on its way.
    let release: () => void = () => {};
    api.answers['redact.preview'] = (input: unknown) =>
      new Promise<Result<unknown>>((resolve) => {
        release = () =>
          resolve({ ok: true, value: preview((input as { policy: unknown }).policy) });
      }) as unknown as Result<unknown>;
    const before = previews(api).length;
    fireEvent.change(screen.getByLabelText('Rule for column email'), { target: { value: 'mask' } });
    expect(screen.getByTestId('preview-table').textContent).not.toContain(RAW_EMAIL);
    await waitFor(() => expect(previews(api).length).toBe(before + 1));
    const sent = previews(api).at(-1)!.policy as { name: string; columns: unknown[] };
    expect(sent.name).toBe('internal');
    expect(sent.columns).toEqual([
      { column: 'email', rule: { op: 'mask', keepFirst: 0, keepLast: 0 } },
    ]);
    expect(screen.getByTestId('preview-table').textContent).not.toContain(RAW_EMAIL);
    await act(async () => release());
    await waitFor(() =>
      expect(screen.getByTestId('preview-table').textContent).toContain(
        '•'.repeat(RAW_EMAIL.length),
      ),
    );
    expect(screen.getByTestId('preview-table').textContent).not.toContain(RAW_EMAIL);
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
  });

  it('saves the edits of a built-in policy under a new name', async () => {
    const api = harness();
    mount(api);
    await findPreview();
    fireEvent.change(screen.getByLabelText('Rule for column email'), {
      target: { value: 'pseudonym' },
    });
    expect((screen.getByLabelText('Save as') as HTMLInputElement).value).toBe(
      'share-with-authority-custom',
    );
    fireEvent.change(screen.getByLabelText('Save as'), { target: { value: 'cnil' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() => expect(api.calls.some((c) => c.method === 'policy.save')).toBe(true));
    const saved = api.calls.find((c) => c.method === 'policy.save')!.input as {
      policy: { name: string; columns: unknown[] };
      overwrite: boolean;
    };
    expect(saved.policy.name).toBe('cnil');
    expect(saved.overwrite).toBe(false);
    expect(saved.policy.columns).toEqual([{ column: 'email', rule: { op: 'pseudonym', hex: 12 } }]);
  });

  it('refuses a built-in name for saved edits', async () => {
    const api = harness();
    mount(api);
    await findPreview();
    fireEvent.change(screen.getByLabelText('Save as'), { target: { value: 'internal' } });
    expect(screen.getByText(/Built-in policies cannot be replaced/)).toBeTruthy();
    expect(
      (screen.getByRole('button', { name: 'Save policy' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it('exports the current view as a job, shows progress, then the verification result', async () => {
    publishCurrentView(
      SAMPLE_INFO.caseId,
      makeView('kairos', { column: 'nom', op: 'equals', value: 'DUPONT' }),
    );
    const api = harness();
    mount(api);
    await findPreview();
    expect(
      (screen.getByRole('radio', { name: /Current view: nom is "DUPONT"/ }) as HTMLInputElement)
        .checked,
    ).toBe(true);
    fireEvent.change(screen.getByLabelText('Output file'), {
      target: { value: '/exports/kairos.csv' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByText(/6 records · 1,200\/s · 1 s left/);
    const result = await screen.findByTestId('export-result');
    expect(within(result).getByTestId('export-verified').textContent).toContain('Verified');
    expect(result.querySelector('[data-field="sha256"]')!.textContent).toBe(EXPORT_RESULT.sha256);
    expect(result.querySelector('[data-field="manifest"]')!.textContent).toBe(
      '/exports/kairos.csv.manifest.json',
    );
    expect(result.textContent).toContain('no original value of a redacted column (nom, email)');
    const start = api.calls.find((c) => c.method === 'jobs.start')!.input;
    expect(start).toEqual({
      method: 'export.run',
      input: {
        dataset: 'kairos',
        filter: { column: 'nom', op: 'equals', value: 'DUPONT' },
        format: 'csv',
        out: '/exports/kairos.csv',
        policy: 'share-with-authority',
        overwrite: false,
        csv: { delimiter: ',', bom: false },
      },
    });
    // The history is read again once the export is done.
    await waitFor(() =>
      expect(api.calls.filter((c) => c.method === 'export.history').length).toBeGreaterThan(1),
    );
  });

  it('says why an export was refused', async () => {
    const api = harness();
    api.answers['jobs.status'] = {
      jobId: 'job-7',
      method: 'export.run',
      state: 'failed',
      progress: null,
      startedAt: '2026-03-02T10:00:00.000Z',
      finishedAt: '2026-03-02T10:00:01.000Z',
      error: { code: 'E_EXPORT_LEAK', message: 'column email holds 12 raw values: export refused' },
    };
    mount(api);
    await findPreview();
    fireEvent.change(screen.getByLabelText('Output file'), { target: { value: '/exports/k.csv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    const alert = await screen.findByTestId('export-error');
    expect(alert.textContent).toContain('column email holds 12 raw values: export refused');
    expect(alert.textContent).toContain('Nothing was kept on disk.');
  });

  it('makes the PDF report at once on the desktop menu command, through the typed bridge', async () => {
    const api = harness('desktop', {
      exportReportPdf: {
        out: '/exports/report.pdf',
        bytes: 4096,
        sha256: 'd'.repeat(64),
        rows: 12,
        htmlSha256: 'e'.repeat(64),
        html: null,
        policy: 'share-with-authority',
        description: 'all records of kairos',
        warnings: [],
        seconds: 1,
      },
    });
    mount(api);
    await screen.findByRole('heading', { level: 1, name: 'Redaction and export' });
    act(() => api.emit('menu.command', { command: 'report.pdf', path: null }));
    const result = await screen.findByTestId('export-result', {}, { timeout: 5000 });
    expect(api.picks).toEqual(['export-pdf']);
    expect(api.pdfRequests).toEqual([
      {
        dataset: 'kairos',
        policy: 'share-with-authority',
        includeSample: 0,
        out: '/exports/report.pdf',
        overwrite: false,
        keepHtml: false,
      },
    ]);
    expect(result.querySelector('[data-field="sha256"]')!.textContent).toBe('d'.repeat(64));
    expect((screen.getByRole('radio', { name: /PDF report/ }) as HTMLInputElement).checked).toBe(
      true,
    );
  });

  it('offers the PDF report only where main can print it', async () => {
    mount(harness('http'));
    await screen.findByRole('radio', { name: /HTML report/ });
    expect(screen.queryByRole('radio', { name: /PDF report/ })).toBeNull();
  });
});
