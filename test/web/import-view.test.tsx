/**
 * The Import view over the fake API: preview and overrides (each override re-calls
 * import.preview with it), the import job's progress figures, cancel, the summary with paged
 * rejects, the dataset refresh, navigation, and the desktop's file dialog and menu command.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  DatasetSummary,
  ImportPreview,
  ImportResult,
  JobStatus,
  RejectRow,
} from '../../src/shared/api';
import { ApiProvider } from '../../src/renderer/src/api/context';
import type { ViewId } from '../../src/renderer/src/components/Sidebar';
import { ImportView } from '../../src/renderer/src/features/import/ImportView';
import { WorkspaceProvider } from '../../src/renderer/src/workspace/context';
import { fakeApi, SAMPLE_INFO, sampleDataset, type FakeApi } from './fake-api';

afterEach(cleanup);

const PATH = '/evidence/clients.csv';

function preview(over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    path: PATH,
    fileName: 'clients.csv',
    bytes: 41_943_040,
    compression: null,
    member: null,
    format: 'csv',
    likelihood: 0.95,
    scores: { csv: 0.95, combo: 0.2, json: 0, ndjson: 0, sql: 0, xlsx: 0 },
    encoding: 'iso-8859-1',
    delimiter: ';',
    header: true,
    meta: { skipLines: 0 },
    tables: [
      {
        table: '',
        columns: ['nom', 'prenom', 'email'],
        rows: [
          ['HÉBERT', 'Hélène', 'helene.hebert@orange.fr'],
          ['LEGER', 'Jean', null],
        ],
        lines: [2, 3],
      },
    ],
    rejects: [{ line: 7, offset: 512, reason: 'expected 3 fields, found 5', raw: 'a;b;c;d;e' }],
    more: true,
    ...over,
  };
}

function dataset(): DatasetSummary {
  return sampleDataset(
    {
      id: 1,
      name: 'clients',
      encoding: 'iso-8859-1',
      bytes: 41_943_040,
      rows: 299_000,
      rejected: 150,
      columns: [
        { name: 'nom', path: 'nom' },
        { name: 'prenom', path: 'prenom' },
        { name: 'email', path: 'email' },
      ],
    },
    {
      path: PATH,
      mtime: '2026-01-02T10:00:00.000Z',
      finishedAt: '2026-03-01T10:02:00.000Z',
      message: 'complete',
    },
  );
}

const RESULT: ImportResult = {
  datasets: [dataset()],
  recordsRead: 299_150,
  rows: 299_000,
  rejected: 150,
  truncated: false,
  message: '299150 records read: 299000 stored, 150 rejected',
  seconds: 125,
};

function status(over: Partial<JobStatus>): JobStatus {
  return {
    jobId: 'job-7',
    method: 'import.run',
    state: 'running',
    progress: {
      step: 'reading',
      bytesDone: 12_582_912,
      bytesTotal: 41_943_040,
      records: 12_345,
      rejected: 6,
      rowsPerSecond: 54_321,
      etaSeconds: 200,
    },
    startedAt: new Date(Date.now() - 5000).toISOString(),
    finishedAt: null,
    ...over,
  };
}

function rejectRows(from: number, n: number): RejectRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: from + i,
    dataset: 'clients',
    ordinal: null,
    line: 100 + from + i,
    offset: 4096 * (from + i),
    reason: 'unterminated quote',
    raw: `"broken;${from + i}`,
  }));
}

/** A job that runs until `finish` is set, then ends in the given way. */
function jobAnswers(end: { current: 'running' | 'done' | 'cancelled' }) {
  return {
    'jobs.start': { jobId: 'job-7' },
    'jobs.status': () => ({
      ok: true as const,
      value:
        end.current === 'running'
          ? status({})
          : end.current === 'done'
            ? status({
                state: 'done',
                finishedAt: new Date().toISOString(),
                result: RESULT,
              })
            : status({
                state: 'cancelled',
                finishedAt: new Date().toISOString(),
                error: { code: 'E_CANCELLED', message: 'import cancelled' },
              }),
    }),
    'jobs.cancel': () => {
      end.current = 'cancelled';
      return { ok: true as const, value: { cancelled: true } };
    },
  };
}

function setup(api: FakeApi, onView = vi.fn()) {
  render(
    <ApiProvider api={api}>
      <WorkspaceProvider caseInfo={SAMPLE_INFO} view="import" onView={onView}>
        <ImportView />
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return onView;
}

function baseAnswers() {
  return {
    'datasets.list': { datasets: [] },
    'import.preview': (input: unknown) => {
      const i = input as { encoding?: string; delimiter?: string; header?: boolean };
      return {
        ok: true as const,
        value: preview({
          ...(i.encoding ? { encoding: i.encoding } : {}),
          ...(i.delimiter ? { delimiter: i.delimiter } : {}),
          ...(i.header !== undefined ? { header: i.header } : {}),
        }),
      };
    },
  };
}

async function previewFile(path = PATH) {
  fireEvent.change(screen.getByLabelText('File to import'), { target: { value: path } });
  fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
  return screen.findByTestId('import-preview');
}

function lastCall(api: FakeApi, method: string) {
  return [...api.calls].reverse().find((c) => c.method === method);
}

describe('ImportView', () => {
  it('previews a typed path: detection, scores, first records and sample rejects', async () => {
    const api = fakeApi({ answers: baseAnswers() });
    setup(api);
    const panel = await previewFile();
    expect(lastCall(api, 'import.preview')?.input).toEqual({ path: PATH, limit: 20 });
    const facts = within(panel).getByTestId('preview-facts');
    expect(facts.querySelector('[data-field="format"]')!.textContent).toContain('CSV / TSV');
    expect(facts.querySelector('[data-field="format"]')!.textContent).toContain('95% likely');
    expect(facts.querySelector('[data-field="encoding"]')!.textContent).toBe('iso-8859-1');
    expect(facts.querySelector('[data-field="delimiter"]')!.textContent).toBe('Semicolon ( ; )');
    expect(within(panel).getByTestId('preview-scores').querySelectorAll('tr')).toHaveLength(6);
    expect(screen.getByText('HÉBERT')).toBeTruthy();
    expect(screen.getByText('helene.hebert@orange.fr')).toBeTruthy();
    // A null cell is shown as such, not as an empty string.
    expect(screen.getByText('null').className).toBe('null');
    const rejects = within(panel).getByTestId('preview-rejects');
    expect(rejects.textContent).toContain('expected 3 fields, found 5');
    expect(rejects.textContent).toContain('a;b;c;d;e');
    expect(api.calls.some((c) => c.method === 'import.run' || c.method === 'jobs.start')).toBe(
      false,
    );
  });

  it('re-previews with each override and imports with the same overrides', async () => {
    const api = fakeApi({ answers: { ...baseAnswers(), ...jobAnswers({ current: 'running' }) } });
    setup(api);
    const panel = await previewFile();
    const form = within(panel).getByTestId('preview-overrides');
    fireEvent.change(within(form).getByLabelText('Text encoding'), {
      target: { value: 'windows-1252' },
    });
    // Changing a setting marks the preview stale until previewed again.
    expect(screen.getAllByText(/Settings changed/).length).toBe(1);
    fireEvent.click(within(form).getByRole('button', { name: 'Preview again' }));
    await waitFor(() =>
      expect(lastCall(api, 'import.preview')?.input).toEqual({
        path: PATH,
        limit: 20,
        encoding: 'windows-1252',
      }),
    );
    await waitFor(() =>
      expect(
        screen.getByTestId('preview-facts').querySelector('[data-field="encoding"]')!.textContent,
      ).toContain('windows-1252'),
    );
    expect(screen.queryByText(/Settings changed/)).toBeNull();

    fireEvent.change(within(form).getByLabelText('Delimiter'), { target: { value: 'other' } });
    const other = within(form).getByLabelText('Other delimiter (one character)');
    expect(
      within(form).getByRole('button', { name: 'Preview again' }).hasAttribute('disabled'),
    ).toBe(true);
    fireEvent.change(other, { target: { value: '#' } });
    fireEvent.change(within(form).getByLabelText('First line'), { target: { value: 'no' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Preview again' }));
    await waitFor(() =>
      expect(lastCall(api, 'import.preview')?.input).toEqual({
        path: PATH,
        limit: 20,
        encoding: 'windows-1252',
        delimiter: '#',
        header: false,
      }),
    );

    fireEvent.change(screen.getByLabelText('Dataset name (optional)'), {
      target: { value: 'clients-2024' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    await waitFor(() =>
      expect(lastCall(api, 'jobs.start')?.input).toEqual({
        method: 'import.run',
        input: {
          path: PATH,
          encoding: 'windows-1252',
          delimiter: '#',
          header: false,
          name: 'clients-2024',
        },
      }),
    );
  });

  it('shows the progress figures and cancels the job', async () => {
    const end = { current: 'running' as 'running' | 'done' | 'cancelled' };
    const api = fakeApi({ answers: { ...baseAnswers(), ...jobAnswers(end) } });
    setup(api);
    await previewFile();
    fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    const figures = await screen.findByTestId('job-figures');
    const field = (f: string) => figures.querySelector(`[data-field="${f}"]`)!.textContent;
    await waitFor(() => expect(field('records')).toMatch(/^12.345$/));
    expect(field('bytes')).toBe('12 MiB of 40 MiB (30%)');
    expect(field('rejected')).toBe('6');
    expect(field('rate')).toMatch(/^54.321 records\/s$/);
    expect(field('eta')).toBe('3 min 20 s');
    expect(field('elapsed')).toMatch(/^\d+ s$/);
    const bar = screen.getByTestId('job-bar');
    expect(bar.getAttribute('aria-valuenow')).toBe('30');
    expect(screen.getByTestId('job-step').textContent).toContain('Reading and parsing the file');

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(api.calls.find((c) => c.method === 'jobs.cancel')?.input).toEqual({
        jobId: 'job-7',
      }),
    );
    const ended = await screen.findByTestId('import-ended', {}, { timeout: 3000 });
    expect(ended.textContent).toContain('Import cancelled');
    // The case's dataset list is refreshed after the job ends.
    await waitFor(() =>
      expect(api.calls.filter((c) => c.method === 'datasets.list').length).toBe(2),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Back to the preview' }));
    expect(screen.getByTestId('import-preview')).toBeTruthy();
  });

  it('summarises the import, pages through the rejects and links to the profile', async () => {
    const end = { current: 'done' as 'running' | 'done' | 'cancelled' };
    const api = fakeApi({
      answers: {
        ...baseAnswers(),
        ...jobAnswers(end),
        'datasets.rejects': (input: unknown) => {
          const { afterId } = input as { afterId: number };
          const rows = afterId === 0 ? rejectRows(1, 100) : rejectRows(afterId + 1, 50);
          return { ok: true as const, value: { rejects: rows, total: 150 } };
        },
      },
    });
    const onView = setup(api);
    await previewFile();
    fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    const summary = await screen.findByTestId('import-summary');
    const fig = (f: string) =>
      summary.querySelector(`[data-testid="import-figures"] [data-field="${f}"]`)!.textContent;
    expect(fig('datasets')).toBe('1');
    expect(fig('rows')).toMatch(/^299.000$/);
    expect(fig('rejected')).toBe('150');
    expect(fig('seconds')).toBe('2 min 05 s');
    expect(within(summary).getByTestId('import-message').textContent).toBe(
      'Complete: 299150 records read: 299000 stored, 150 rejected',
    );
    expect(summary.textContent).toContain('a'.repeat(64));
    await waitFor(() =>
      expect(api.calls.filter((c) => c.method === 'datasets.list').length).toBe(2),
    );

    fireEvent.click(within(summary).getByRole('button', { name: 'View 150 rejects' }));
    const rejects = await screen.findByTestId('rejects-clients');
    await waitFor(() => expect(rejects.querySelectorAll('tbody tr')).toHaveLength(100));
    expect(lastCall(api, 'datasets.rejects')?.input).toEqual({
      dataset: 'clients',
      afterId: 0,
      limit: 100,
    });
    expect(rejects.textContent).toContain('Showing 100 of 150 rejected records.');
    expect(rejects.textContent).toContain('unterminated quote');
    fireEvent.click(within(rejects).getByRole('button', { name: 'Load 50 more' }));
    await waitFor(() => expect(rejects.querySelectorAll('tbody tr')).toHaveLength(150));
    expect(lastCall(api, 'datasets.rejects')?.input).toEqual({
      dataset: 'clients',
      afterId: 100,
      limit: 100,
    });
    expect(within(rejects).queryByRole('button', { name: /more/ })).toBeNull();

    fireEvent.click(within(summary).getByRole('button', { name: 'Open the profile of clients' }));
    expect(onView).toHaveBeenCalledWith('profile');
  });

  it('reports an unreadable file', async () => {
    const api = fakeApi({
      answers: {
        'datasets.list': { datasets: [] },
        'import.preview': { error: { code: 'E_NOT_FOUND', message: 'no such file: /nope.csv' } },
      },
    });
    setup(api);
    fireEvent.change(screen.getByLabelText('File to import'), { target: { value: '/nope.csv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toBe('no such file: /nope.csv');
    expect(screen.queryByRole('button', { name: 'Start import' })).toBeNull();
  });

  it('uses the native dialog on the desktop, and previews a file sent by the menu', async () => {
    const api = fakeApi({ kind: 'desktop', answers: baseAnswers() });
    setup(api);
    const field = screen.getByLabelText('File to import') as HTMLInputElement;
    expect(field.readOnly).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await screen.findByTestId('import-preview');
    expect(api.picks).toEqual(['import-file']);
    expect(lastCall(api, 'import.preview')?.input).toEqual({
      path: '/cases/enquete.lscase',
      limit: 20,
    });

    act(() => api.emit('menu.command', { command: 'import.file', path: '/evidence/kairos.json' }));
    await waitFor(() =>
      expect(lastCall(api, 'import.preview')?.input).toEqual({
        path: '/evidence/kairos.json',
        limit: 20,
      }),
    );
    expect(field.value).toBe('/evidence/kairos.json');
  });

  it('opens from another view with the path the menu sent (a navigation request)', async () => {
    const api = fakeApi({ kind: 'desktop', answers: baseAnswers() });
    function Shell() {
      const [view, setView] = useState<ViewId>('case');
      return (
        <WorkspaceProvider caseInfo={SAMPLE_INFO} view={view} onView={setView}>
          {view === 'import' ? <ImportView /> : <p>case overview</p>}
        </WorkspaceProvider>
      );
    }
    render(
      <ApiProvider api={api}>
        <Shell />
      </ApiProvider>,
    );
    await screen.findByText('case overview');
    act(() => api.emit('menu.command', { command: 'import.file', path: '/evidence/early.csv' }));
    await waitFor(() =>
      expect(lastCall(api, 'import.preview')?.input).toEqual({
        path: '/evidence/early.csv',
        limit: 20,
      }),
    );
    expect((screen.getByLabelText('File to import') as HTMLInputElement).value).toBe(
      '/evidence/early.csv',
    );
    // A cancelled dialog sends no path: nothing happens.
    const previews = api.calls.filter((c) => c.method === 'import.preview').length;
    act(() => api.emit('menu.command', { command: 'import.file', path: null }));
    expect(api.calls.filter((c) => c.method === 'import.preview').length).toBe(previews);
  });
});
