/**
 * The Case view's datasets panel over the fake API: provenance per dataset (source, member,
 * format, SHA-256 copyable, rows, rejects, import date, status and completeness), the rejects on
 * demand, the rehash verdict from linkage.overlap run as a job, and links to Profile / Records.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatasetSummary, OverlapResult, RehashVerdict } from '../../src/shared/api';
import { ApiProvider } from '../../src/renderer/src/api/context';
import { CaseOverview } from '../../src/renderer/src/features/case/CaseOverview';
import { WorkspaceProvider } from '../../src/renderer/src/workspace/context';
import { fakeApi, SAMPLE_INFO, sampleDataset, type FakeApi } from './fake-api';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const SHA = '36a0c532ec19ae9b6064303c4540aa961019e2bea0f4bdf65982af1cce4d19e7';

/** The panel's datasets share these figures unless a test says otherwise. */
function dataset(
  over: Parameters<typeof sampleDataset>[0],
  source: Partial<DatasetSummary['source']> = {},
): DatasetSummary {
  return sampleDataset(
    {
      encoding: 'iso-8859-1',
      sha256: SHA,
      bytes: 63_692,
      rows: 300,
      columns: [{ name: 'nom', path: 'nom' }],
      ...over,
    },
    {
      mtime: '2026-01-02T10:00:00.000Z',
      finishedAt: '2026-03-01T10:00:05.000Z',
      message: 'complete',
      ...source,
    },
  );
}

const PEOPLE = dataset({ id: 1, name: 'people' });
const KAIROS = dataset(
  {
    id: 2,
    name: 'kairos.users',
    table: 'users',
    format: 'sql',
    encoding: 'utf-8',
    sha256: 'f'.repeat(64),
    rows: 340_000,
    rejected: 12,
    complete: false,
    status: 'incomplete',
  },
  {
    fileName: 'kairos.zip',
    path: '/evidence/kairos.zip',
    member: 'dump/kairos.sql',
    compression: 'zip',
    startedAt: '2026-03-02T09:00:00.000Z',
    finishedAt: '2026-03-02T09:04:00.000Z',
    message: 'truncated: unexpected end of the archive member',
  },
);

function verdict(name: string, v: RehashVerdict['verdict'], text: string): RehashVerdict {
  return {
    dataset: name,
    verdict: v,
    text,
    rule: 'rule',
    figures: {
      claimedRecords: 340_000,
      uniquePeople: 300,
      matchShare: 0.98,
      bestMatch: v === 'new' ? null : { dataset: 'people', share: 0.98, byKey: { nir: 290 } },
      identicalShare: 1,
      identicalSample: 300,
      consistencyShare: 1,
    },
  };
}

function overlap(name: string, v: RehashVerdict): OverlapResult {
  return {
    dataset: name,
    rows: 300,
    against: [],
    records: 0,
    pairs: [],
    verdicts: [v],
    upset: null,
    keysUsed: [],
    seconds: 0.1,
  };
}

function setup(api: FakeApi, onView = vi.fn()) {
  render(
    <ApiProvider api={api}>
      <WorkspaceProvider caseInfo={SAMPLE_INFO} view="case" onView={onView}>
        <CaseOverview initial={SAMPLE_INFO} />
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return onView;
}

function answers(extra: Record<string, unknown> = {}) {
  return {
    'case.info': { ...SAMPLE_INFO, datasets: 2 },
    'audit.list': { entries: [] },
    'datasets.list': { datasets: [PEOPLE, KAIROS] },
    ...extra,
  };
}

/** jobs.start numbers jobs; jobs.status answers each with its dataset's verdict. */
function overlapJobs() {
  const started: string[] = [];
  return {
    started,
    answers: {
      'jobs.start': (input: unknown) => {
        const i = input as { input: { dataset: string } };
        started.push(i.input.dataset);
        return { ok: true as const, value: { jobId: `job-${started.length}` } };
      },
      'jobs.status': (input: unknown) => {
        const n = Number((input as { jobId: string }).jobId.slice(4));
        const name = started[n - 1]!;
        const v =
          name === 'people'
            ? verdict(name, 'new', 'no earlier dataset to compare with')
            : verdict(name, 'repackaged', '98% of its records match people, written identically');
        return {
          ok: true as const,
          value: {
            jobId: `job-${n}`,
            method: 'linkage.overlap',
            state: 'done',
            progress: null,
            startedAt: new Date().toISOString(),
            finishedAt: new Date().toISOString(),
            result: overlap(name, v),
          },
        };
      },
    },
  };
}

describe('DatasetsPanel', () => {
  it('lists each dataset with its provenance, counts, date and status', async () => {
    const api = fakeApi({ answers: answers() });
    setup(api);
    const row = await screen.findByTestId('dataset-kairos.users');
    expect(row.textContent).toContain('kairos.zip › dump/kairos.sql › table users');
    expect(row.textContent).toContain('sql · utf-8 · zip');
    expect(row.querySelector('[data-field="sha256"]')!.getAttribute('title')).toBe('f'.repeat(64));
    expect(row.querySelector('[data-field="rows"]')!.textContent).toBe('340,000');
    expect(row.querySelector('[data-field="rejected"]')!.textContent).toBe('12');
    expect(row.querySelector('[data-field="status"]')!.textContent).toBe('incomplete');
    const complete = row.querySelector('[data-field="complete"]')!;
    expect(complete.textContent).toBe('✗ not complete');
    expect(complete.getAttribute('title')).toBe('truncated: unexpected end of the archive member');
    expect(row.querySelector('time')!.getAttribute('dateTime')).toBe('2026-03-02T09:04:00.000Z');

    const people = screen.getByTestId('dataset-people');
    expect(people.querySelector('[data-field="sha256"]')!.textContent).toBe(`${SHA.slice(0, 12)}…`);
    expect(people.querySelector('[data-field="complete"]')!.textContent).toBe('✓ complete');
    expect(people.querySelector('[data-field="rejected"]')!.textContent).toBe('0');
    // The case description is refreshed (counts may have changed since the case was opened).
    await waitFor(() =>
      expect(
        screen.getByTestId('case-info').querySelector('[data-field="datasets"]')!.textContent,
      ).toBe('2'),
    );
  });

  it('copies the full SHA-256', async () => {
    const write = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: write },
      configurable: true,
    });
    const api = fakeApi({ answers: answers() });
    setup(api);
    const row = await screen.findByTestId('dataset-people');
    fireEvent.click(within(row).getByRole('button', { name: 'Copy the SHA-256 of people' }));
    await waitFor(() => expect(write).toHaveBeenCalledWith(SHA));
    expect(
      within(row).getByRole('button', { name: 'Copy the SHA-256 of people' }).textContent,
    ).toBe('Copied');
  });

  it('shows the rejects of a dataset on demand', async () => {
    const api = fakeApi({
      answers: answers({
        'datasets.rejects': {
          rejects: [
            {
              id: 1,
              dataset: 'kairos.users',
              ordinal: null,
              line: 4711,
              offset: 90_000,
              reason: 'INSERT value count differs from the column count',
              raw: "(1,'x')",
            },
          ],
          total: 12,
        },
      }),
    });
    setup(api);
    const row = await screen.findByTestId('dataset-kairos.users');
    expect(api.calls.some((c) => c.method === 'datasets.rejects')).toBe(false);
    fireEvent.click(
      within(row).getByRole('button', { name: 'Show the 12 rejected records of kairos.users' }),
    );
    const rejects = await screen.findByTestId('rejects-kairos.users');
    await waitFor(() => expect(rejects.textContent).toContain('4711'));
    expect(rejects.textContent).toContain('INSERT value count differs from the column count');
    expect(rejects.textContent).toContain('Showing 1 of 12 rejected records.');
    expect(api.calls.find((c) => c.method === 'datasets.rejects')?.input).toEqual({
      dataset: 'kairos.users',
      afterId: 0,
      limit: 100,
    });
  });

  it('assesses the rehash verdict of one dataset, then of all', async () => {
    const jobs = overlapJobs();
    const api = fakeApi({ answers: answers(jobs.answers) });
    setup(api);
    const row = await screen.findByTestId('dataset-kairos.users');
    fireEvent.click(
      within(row).getByRole('button', { name: 'Assess the rehash verdict of kairos.users' }),
    );
    await waitFor(() =>
      expect(row.querySelector('[data-field="verdict"]')!.textContent).toContain('Repackaged'),
    );
    expect(api.calls.find((c) => c.method === 'jobs.start')?.input).toEqual({
      method: 'linkage.overlap',
      input: { dataset: 'kairos.users', upset: false },
    });
    expect(row.querySelector('[data-field="verdict"]')!.textContent).toContain(
      '98% of its records match people, written identically',
    );
    expect(row.querySelector('[data-field="verdict"]')!.textContent).toContain(
      'best match people: 98%',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Assess all verdicts' }));
    const people = screen.getByTestId('dataset-people');
    await waitFor(() =>
      expect(people.querySelector('[data-field="verdict"]')!.textContent).toContain('New'),
    );
    expect(jobs.started).toEqual(['kairos.users', 'people', 'kairos.users']);
  });

  it('links to the profile, the records and the import view', async () => {
    const api = fakeApi({ answers: answers() });
    const onView = setup(api);
    const row = await screen.findByTestId('dataset-people');
    fireEvent.click(within(row).getByRole('button', { name: 'Profile of people' }));
    expect(onView).toHaveBeenLastCalledWith('profile');
    fireEvent.click(within(row).getByRole('button', { name: 'Records of people' }));
    expect(onView).toHaveBeenLastCalledWith('records');
    fireEvent.click(screen.getByRole('button', { name: 'Import a file…' }));
    expect(onView).toHaveBeenLastCalledWith('import');
  });

  it('invites an import when the case is empty', async () => {
    const api = fakeApi({ answers: answers({ 'datasets.list': { datasets: [] } }) });
    setup(api);
    expect(await screen.findByText('No dataset yet: import a dump to start.')).toBeTruthy();
    expect(
      screen.getByRole('button', { name: 'Assess all verdicts' }).hasAttribute('disabled'),
    ).toBe(true);
  });
});
