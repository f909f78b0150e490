/**
 * The Overlaps view over the fake API: overlap jobs for every dataset, the matrix with counts in
 * both directions, drill-down from a cell, an UpSet bar and a duplicate group to the Records view
 * with the right filter, and the rehash verdicts.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetSummary, OverlapResult } from '../../src/shared/api';
import type { Result } from '../../src/shared/errors';
import { OverlapsView } from '../../src/renderer/src/features/overlaps/OverlapsView';
import { forgetOverlapRuns } from '../../src/renderer/src/features/overlaps/useOverlapRun';
import {
  clearCurrentView,
  getCurrentState,
} from '../../src/renderer/src/features/sessions/current-view';
import { fakeApi, SAMPLE_INFO, sampleDataset, type FakeApi } from './fake-api';
import { mountWithRecordsProbe, type Nav } from './view-shell';

afterEach(cleanup);
beforeEach(() => {
  forgetOverlapRuns();
  clearCurrentView();
});

function dataset(id: number, name: string, rows: number): DatasetSummary {
  return sampleDataset({
    id,
    name,
    rows,
    sha256: String(id).repeat(64).slice(0, 64),
    bytes: rows * 100,
    columns: [
      { name: 'nom', path: 'nom' },
      { name: 'email', path: 'email' },
    ],
  });
}

const KEYS = ['nir', 'email', 'phone', 'france_travail_id', 'iban', 'national_id', 'name_dob'];

const EARLY: OverlapResult = {
  dataset: 'early',
  rows: 3000,
  against: [],
  records: 0,
  pairs: [],
  verdicts: [
    {
      dataset: 'early',
      verdict: 'new',
      text: 'no earlier dataset to compare with: nothing of it was seen before in this case',
      rule: 'nothing to compare with',
      figures: {
        claimedRecords: 3000,
        uniquePeople: 3000,
        matchShare: 0,
        bestMatch: null,
        identicalShare: null,
        identicalSample: 0,
        consistencyShare: null,
      },
    },
  ],
  upset: null,
  keysUsed: KEYS,
  seconds: 0.1,
};

const LATER: OverlapResult = {
  dataset: 'later',
  rows: 2500,
  against: ['early'],
  records: 1000,
  pairs: [
    {
      a: 'later',
      b: 'early',
      records: 1000,
      bRecords: 980,
      share: 0.4,
      byKey: { nir: 900, email: 700 },
    },
  ],
  verdicts: [
    {
      dataset: 'later',
      verdict: 'partial_overlap',
      text: '40% of records match dataset early on nir and email: partial overlap, mostly new data',
      rule: '20% to 90% of records already known',
      figures: {
        claimedRecords: 2500,
        uniquePeople: 2420,
        matchShare: 0.4,
        bestMatch: { dataset: 'early', share: 0.4, byKey: { nir: 900, email: 700 } },
        identicalShare: 0.12,
        identicalSample: 500,
        consistencyShare: 0.99,
      },
    },
  ],
  upset: [
    { datasets: ['early'], people: 2020 },
    { datasets: ['later'], people: 1440 },
    { datasets: ['early', 'later'], people: 980 },
  ],
  keysUsed: KEYS,
  seconds: 0.2,
};

const DUPLICATES = {
  dataset: 'later',
  rows: 2500,
  exactDuplicateRecords: 30,
  uniquePeople: 2420,
  recordsSharingKeys: 50,
  headline: '2,500 records, 2,420 unique people',
  byKey: { email: 40, nir: 20 },
  sharedValues: {},
  groupsTotal: 1,
  groups: [
    { key: 'email:jean.dupont@example.fr', kind: 'email', count: 3, ordinals: [12, 13, 40] },
  ],
};

interface Harness {
  api: FakeApi;
  jobs: Array<{ method: string; input: Record<string, unknown> }>;
  nav: Nav;
}

function harness(): Harness {
  const jobs: Harness['jobs'] = [];
  const api = fakeApi({
    answers: {
      'datasets.list': { datasets: [dataset(1, 'early', 3000), dataset(2, 'later', 2500)] },
      'jobs.start': (input: unknown): Result<unknown> => {
        const i = input as { method: string; input: Record<string, unknown> };
        jobs.push(i);
        return { ok: true, value: { jobId: `job-${jobs.length}` } };
      },
      'jobs.status': (input: unknown): Result<unknown> => {
        const n = Number((input as { jobId: string }).jobId.slice(4));
        const job = jobs[n - 1]!;
        const result =
          job.method === 'linkage.duplicates'
            ? DUPLICATES
            : job.input['dataset'] === 'early'
              ? EARLY
              : LATER;
        return {
          ok: true,
          value: {
            jobId: `job-${n}`,
            method: job.method,
            state: 'done',
            progress: null,
            startedAt: '2026-03-01T10:00:00.000Z',
            finishedAt: '2026-03-01T10:00:01.000Z',
            result,
          },
        };
      },
      'jobs.cancel': { cancelled: true },
    },
  });
  return { api, jobs, nav: { view: null, request: null } };
}

/** Renders the view in a workspace; navigation to Records records the request it carries. */
function mount(h: Harness) {
  mountWithRecordsProbe(h.api, 'overlaps', <OverlapsView />, h.nav);
}

describe('Overlaps view', () => {
  it('compares every dataset as a job (UpSet once, with the last) and fills the matrix both ways', async () => {
    const h = harness();
    mount(h);
    const cell = await screen.findByTestId('cell-later-early');
    expect(h.jobs).toEqual([
      { method: 'linkage.overlap', input: { dataset: 'early', upset: false } },
      { method: 'linkage.overlap', input: { dataset: 'later', upset: true } },
    ]);
    expect(cell.textContent).toBe('1,00040%');
    // The reverse direction comes from bRecords: 980 of early's 3,000 records are in later.
    expect(screen.getByTestId('cell-early-later').textContent).toBe('98033%');
    expect(within(cell).getByRole('button').getAttribute('aria-label')).toBe(
      '1,000 records of later found in early (40%). Open these records',
    );
  });

  it('drills down from a cell to the records of the row dataset seen in the column dataset', async () => {
    const h = harness();
    mount(h);
    fireEvent.click(within(await screen.findByTestId('cell-later-early')).getByRole('button'));
    await screen.findByText('records view');
    expect(h.nav.view).toBe('records');
    expect(h.nav.request).toEqual({
      dataset: 'later',
      filter: {
        or: [
          { linkage: 'seenIn', dataset: 'early', keyKind: 'nir' },
          { linkage: 'seenIn', dataset: 'early', keyKind: 'email' },
        ],
      },
    });
    // The drill-down becomes the current view (Export's "current filter", autosave).
    expect(getCurrentState(SAMPLE_INFO.caseId)?.view?.dataset).toBe('later');
    expect(getCurrentState(SAMPLE_INFO.caseId)?.source).toBe('overlaps');
  });

  it('draws the UpSet columns and opens the records of one combination', async () => {
    const h = harness();
    mount(h);
    const only = await screen.findByTestId('upset-later');
    expect(only.getAttribute('aria-label')).toBe('1,440 people only in later. Open these records');
    expect(screen.getByTestId('upset-early+later').querySelectorAll('.upset-dot.on')).toHaveLength(
      2,
    );
    fireEvent.keyDown(only, { key: 'Enter' });
    await screen.findByText('records view');
    const seenInEarly = {
      or: KEYS.map((k) => ({ linkage: 'seenIn', dataset: 'early', keyKind: k })),
    };
    expect(h.nav.request).toEqual({ dataset: 'later', filter: { not: seenInEarly } });
  });

  it('shows the rehash verdicts with their figures', async () => {
    const h = harness();
    mount(h);
    const later = await screen.findByTestId('verdict-later');
    expect(later.textContent).toContain('Partial overlap');
    expect(later.textContent).toContain('40% of records match dataset early on nir and email');
    expect(later.textContent).toContain('early: 40% by NIR, email');
    expect(screen.getByTestId('verdict-early').textContent).toContain('New data');
  });

  it('finds duplicates inside a dataset and opens one group by its record positions', async () => {
    const h = harness();
    mount(h);
    await screen.findByTestId('cell-later-early');
    fireEvent.change(screen.getByLabelText('Dataset'), { target: { value: 'later' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find duplicates' }));
    const result = await screen.findByTestId('duplicates-result');
    expect(result.textContent).toContain('2,500 records, 2,420 unique people');
    expect(h.jobs[2]).toEqual({
      method: 'linkage.duplicates',
      input: { dataset: 'later', limit: 50 },
    });
    fireEvent.click(within(result).getByRole('button', { name: 'Open records' }));
    await screen.findByText('records view');
    expect(h.nav.request).toEqual({
      dataset: 'later',
      filter: {
        or: [
          { provenance: 'ordinal', min: 12, max: 13 },
          { provenance: 'ordinal', min: 40, max: 40 },
        ],
      },
    });
  });

  it('says what failed when an overlap job fails', async () => {
    const h = harness();
    h.api.answers['jobs.status'] = (input: unknown): Result<unknown> => ({
      ok: true,
      value: {
        jobId: (input as { jobId: string }).jobId,
        method: 'linkage.overlap',
        state: 'failed',
        progress: null,
        startedAt: '2026-03-01T10:00:00.000Z',
        finishedAt: '2026-03-01T10:00:01.000Z',
        error: {
          code: 'E_BAD_INPUT',
          message: 'dataset early is importing, not ready for linkage',
        },
      },
    });
    mount(h);
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'dataset early is importing, not ready for linkage',
      ),
    );
  });
});
