/**
 * The Profile view over the fake API: the stored profile's summary (sensitivity, inventory, NIR
 * consistency) and column cards (kind badges, fill and distinct bars, HLL error, top values),
 * navigation to Records with a kind filter, profile.run as a job when there is no profile yet or
 * on "Re-run", and the dataset picker.
 */
import { useEffect, useRef, useState } from 'react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ColumnProfile,
  DatasetProfile,
  DatasetSummary,
  JobStatus,
} from '../../src/shared/api';
import { ApiProvider } from '../../src/renderer/src/api/context';
import type { ViewId } from '../../src/renderer/src/components/Sidebar';
import { ProfileView } from '../../src/renderer/src/features/profile/ProfileView';
import { WorkspaceProvider, useWorkspace } from '../../src/renderer/src/workspace/context';
import { fakeApi, SAMPLE_INFO, sampleDataset, type FakeApi } from './fake-api';

afterEach(cleanup);

function column(over: Partial<ColumnProfile>): ColumnProfile {
  return {
    index: 1,
    name: 'col',
    path: 'col',
    type: 'text',
    dateFormat: null,
    kind: 'none',
    nonEmpty: 1000,
    empty: 0,
    nulls: 0,
    distinct: 10,
    distinctExact: true,
    distinctError: 0,
    top: [],
    topExact: true,
    topError: 0,
    length: { min: 1, max: 10, mean: 4.2 },
    shapes: [],
    samples: [],
    sampled: 1000,
    pii: [],
    ambiguous: false,
    mixed: false,
    headerHint: null,
    ...over,
  };
}

const NIR = column({
  index: 1,
  name: 'nir',
  path: 'nir',
  type: 'integer',
  kind: 'nir',
  nonEmpty: 973,
  empty: 27,
  distinct: 973,
  length: { min: 15, max: 15, mean: 15 },
  shapes: [{ shape: '999999999999999', count: 973 }],
  samples: ['163082505655912'],
  sampled: 973,
  pii: [
    {
      kind: 'nir',
      confidence: 0.913,
      share: 1,
      scheme: 'nir',
      evidence: {
        sampled: 973,
        matched: 973,
        validated: 973,
        chance: 0.01,
        header: 'supports',
        headerWord: 'nir',
        note: '973 of 973 values pass the NIR key check',
      },
      ambiguous: false,
      alternatives: [],
    },
  ],
  headerHint: { kind: 'nir', word: 'nir' },
});

const EMAIL = column({
  index: 2,
  name: 'courriel',
  path: 'contact.courriel',
  kind: 'email',
  nonEmpty: 2_500_000,
  distinct: 2_412_345,
  distinctExact: false,
  distinctError: 0.0081,
  topExact: false,
  topError: 40,
  top: [
    { value: 'contact@example.fr', count: 1200 },
    { value: 'jean.dupont@orange.fr', count: 80 },
  ],
  sampled: 65536,
  pii: [
    {
      kind: 'email',
      confidence: 0.62,
      share: 0.97,
      scheme: null,
      evidence: {
        sampled: 65536,
        matched: 64000,
        validated: 63600,
        chance: 1,
        header: 'supports',
        headerWord: 'courriel',
        note: 'most values are addresses',
      },
      ambiguous: true,
      alternatives: ['username'],
    },
  ],
  ambiguous: true,
});

const NOTE = column({
  index: 3,
  name: 'remarque',
  path: 'remarque',
  top: [
    { value: 'RAS', count: 1 },
    { value: 'voir dossier', count: 1 },
  ],
});

function profile(name = 'clients', rows = 1000): DatasetProfile {
  return {
    dataset: name,
    datasetId: 1,
    rows,
    columns: [NIR, EMAIL, NOTE],
    summary: {
      inventory: [
        { kind: 'nir', columns: ['nir'], records: 973, share: 0.973 },
        { kind: 'email', columns: ['courriel'], records: 970, share: 0.97 },
      ],
      sensitivity: {
        level: 'critical',
        specialCategories: [
          {
            category: 'social_security',
            columns: ['nir'],
            evidence: '973 records carry a French social-security number (NIR)',
          },
        ],
        highRiskKinds: ['nir'],
        reasons: ['special categories: social_security'],
      },
      consistency: {
        nirColumn: 'nir',
        checks: [
          { field: 'sex', column: 'sexe', checked: 973, agree: 960, share: 0.987, chance: 0.5 },
          {
            field: 'department',
            column: 'code_postal',
            checked: 900,
            agree: 300,
            share: 0.333,
            chance: 0.035,
          },
        ],
        records: 973,
        consistent: 944,
        share: 0.97,
        sampledRecords: 1000,
        verdict: 'mostly_consistent',
        note: '944 of 973 sampled records with a valid NIR agree on sex',
      },
      ambiguousColumns: ['courriel'],
      mixedColumns: [],
    },
    sampledRecords: 1000,
    profiledAt: '2026-03-01T10:03:00.000Z',
    seconds: 3.2,
    version: 3,
  };
}

/** Renders the Profile view, and in place of Records a probe showing the request it received. */
function Harness() {
  const [view, setView] = useState<ViewId>('profile');
  return (
    <WorkspaceProvider caseInfo={SAMPLE_INFO} view={view} onView={setView}>
      {view === 'profile' ? <ProfileView /> : <RecordsProbe />}
    </WorkspaceProvider>
  );
}

function RecordsProbe() {
  const ws = useWorkspace();
  const [req, setReq] = useState('');
  const taken = useRef(false);
  const { takeRequest } = ws;
  useEffect(() => {
    if (taken.current) return;
    taken.current = true;
    const r = takeRequest('records');
    queueMicrotask(() => setReq(JSON.stringify(r)));
  }, [takeRequest]);
  return <pre data-testid="records-request">{req}</pre>;
}

function setup(api: FakeApi) {
  render(
    <ApiProvider api={api}>
      <Harness />
    </ApiProvider>,
  );
}

function dataset(id: number, name: string, rows: number): DatasetSummary {
  return sampleDataset(
    { id, name, rows, sha256: 'b'.repeat(64) },
    {
      mtime: '2026-01-02T10:00:00.000Z',
      finishedAt: '2026-03-01T10:02:00.000Z',
      message: 'complete',
    },
  );
}

const TWO = [dataset(1, 'clients', 1000), dataset(2, 'kairos', 340_000)];

describe('ProfileView', () => {
  it('shows the sensitivity, inventory and NIR consistency in plain language', async () => {
    const api = fakeApi({
      answers: { 'datasets.list': { datasets: TWO }, 'profile.get': profile() },
    });
    setup(api);
    const sens = await screen.findByTestId('sensitivity');
    expect(api.calls.find((c) => c.method === 'profile.get')?.input).toEqual({
      dataset: 'clients',
    });
    expect(sens.querySelector('[data-field="level"]')!.textContent).toBe('Critical');
    const cat = within(sens).getByTestId('special-categories');
    expect(cat.textContent).toContain('Social security number');
    expect(cat.textContent).toContain('973 records carry a French social-security number (NIR)');

    const inv = screen.getByTestId('inventory');
    const nirRow = inv.querySelector('tr[data-kind="nir"]')!;
    expect(nirRow.textContent).toContain('French social security number (NIR)');
    expect(nirRow.textContent).toContain('973');
    expect(nirRow.textContent).toContain('97%');

    const cons = screen.getByTestId('consistency');
    expect(cons.querySelector('[data-field="consistency-share"]')!.textContent).toBe('97%');
    expect(cons.querySelector('[data-field="verdict"]')!.textContent).toMatch(/^Mostly consistent/);
    expect(cons.textContent).toContain('Sex (NIR digit 1)');
    expect(cons.textContent).toContain('does not count in the headline share');
    expect(screen.getByTestId('profile-meta').textContent).toContain('3 columns');
    // A stored profile is shown as is: no job started.
    expect(api.calls.some((c) => c.method === 'jobs.start')).toBe(false);
  });

  it('renders one card per column with badges, bars, estimates and top values', async () => {
    const api = fakeApi({
      answers: { 'datasets.list': { datasets: TWO }, 'profile.get': profile() },
    });
    setup(api);
    const nir = await screen.findByTestId('column-nir');
    const badge = within(nir).getByRole('button', {
      name: 'French social security number (NIR), 91% confidence: show records',
    });
    expect(badge.getAttribute('data-kind')).toBe('nir');
    expect(badge.className).toContain('tone-risk');
    expect(nir.querySelector('[data-field="fill"]')!.textContent).toBe('97%');
    expect(nir.querySelector('[data-field="fill-note"]')!.textContent).toBe(
      '973 of 1,000 · 27 empty, 0 absent',
    );
    const fill = within(nir).getByRole('meter', { name: 'nir: filled' });
    expect(fill.getAttribute('aria-valuenow')).toBe('97.3');
    expect(nir.querySelector('[data-field="distinct-note"]')!.textContent).toBe('all unique');
    expect(nir.textContent).toContain('15 characters');
    expect(nir.textContent).toContain('999999999999999');

    const email = screen.getByTestId('column-courriel');
    expect(email.textContent).toContain('contact.courriel');
    expect(email.querySelector('[data-field="distinct"]')!.textContent).toBe('≈ 2,412,345');
    expect(email.querySelector('[data-field="distinct-note"]')!.textContent).toBe(
      '96% of filled · estimated (HyperLogLog ±0.8%)',
    );
    expect(within(email).getByTestId('ambiguous').textContent).toContain('username');
    expect(
      within(email).getByRole('button', {
        name: 'email address, 62% confidence, ambiguous: show records',
      }),
    ).toBeTruthy();
    expect(email.textContent).toContain('counts estimated from a sample (×40)');
    expect(email.textContent).toContain('≈1,200');
    expect(email.textContent).toContain('jean.dupont@orange.fr');

    const note = screen.getByTestId('column-remarque');
    expect(note.textContent).toContain('No personal data recognised');
    // Values seen once each are not "frequent": the list is folded away.
    expect(note.querySelector('details.top-values summary')!.textContent).toBe(
      'No value repeats notably (identifier-like column)',
    );
    expect(email.querySelector('details.top-values')).toBeNull();
    fireEvent.click(screen.getByLabelText('Only personal data'));
    expect(screen.queryByTestId('column-remarque')).toBeNull();
    fireEvent.change(screen.getByLabelText('Find a column'), { target: { value: 'cour' } });
    expect(screen.queryByTestId('column-nir')).toBeNull();
    expect(screen.getByTestId('column-courriel')).toBeTruthy();
  });

  it('opens Records filtered by a kind', async () => {
    const api = fakeApi({
      answers: { 'datasets.list': { datasets: TWO }, 'profile.get': profile() },
    });
    setup(api);
    const nir = await screen.findByTestId('column-nir');
    fireEvent.click(within(nir).getByRole('button', { name: /NIR\), 91% confidence/ }));
    await waitFor(() =>
      expect(JSON.parse(screen.getByTestId('records-request').textContent!)).toEqual({
        dataset: 'clients',
        filter: { kind: 'nir', op: 'notEmpty' },
      }),
    );
  });

  it('opens Records filtered by a column from its card', async () => {
    const api = fakeApi({
      answers: { 'datasets.list': { datasets: TWO }, 'profile.get': profile() },
    });
    setup(api);
    await screen.findByTestId('column-nir');
    fireEvent.click(
      screen.getByRole('button', { name: 'Show the records where courriel has a value' }),
    );
    await waitFor(() =>
      expect(JSON.parse(screen.getByTestId('records-request').textContent!)).toEqual({
        dataset: 'clients',
        filter: { column: 'courriel', op: 'notEmpty' },
      }),
    );
  });

  it('profiles a dataset that has no profile yet as a job, then shows it', async () => {
    let state: JobStatus['state'] = 'running';
    const api = fakeApi({
      answers: {
        'datasets.list': { datasets: TWO },
        'profile.get': null,
        'jobs.start': { jobId: 'job-3' },
        'jobs.status': () => ({
          ok: true as const,
          value: {
            jobId: 'job-3',
            method: 'profile.run',
            state,
            progress: {
              step: 'profile',
              bytesDone: 0,
              bytesTotal: 0,
              records: 300,
              rejected: 0,
              rowsPerSecond: 1500,
              etaSeconds: 2,
            },
            startedAt: new Date().toISOString(),
            finishedAt: state === 'done' ? new Date().toISOString() : null,
            ...(state === 'done' ? { result: profile() } : {}),
          },
        }),
      },
    });
    setup(api);
    await waitFor(() =>
      expect(api.calls.find((c) => c.method === 'jobs.start')?.input).toEqual({
        method: 'profile.run',
        input: { dataset: 'clients' },
      }),
    );
    const step = await screen.findByTestId('job-step');
    expect(step.textContent).toContain('Profiling the columns');
    // Profiling reports no byte total: the bar is indeterminate.
    expect(screen.getByTestId('job-bar').hasAttribute('aria-valuenow')).toBe(false);
    state = 'done';
    await screen.findByTestId('sensitivity', {}, { timeout: 3000 });
    expect(screen.queryByTestId('job-step')).toBeNull();
    expect(screen.getByRole('button', { name: 'Re-run profile' })).toBeTruthy();
  });

  it('re-runs on request and follows the dataset picker', async () => {
    const api = fakeApi({
      answers: {
        'datasets.list': { datasets: TWO },
        'profile.get': (input: unknown) => ({
          ok: true as const,
          value: profile((input as { dataset: string }).dataset),
        }),
        'jobs.start': { jobId: 'job-4' },
        'jobs.status': {
          jobId: 'job-4',
          method: 'profile.run',
          state: 'running',
          progress: null,
          startedAt: new Date().toISOString(),
          finishedAt: null,
        },
      },
    });
    setup(api);
    await screen.findByTestId('sensitivity');
    fireEvent.change(screen.getByLabelText('Dataset'), { target: { value: 'kairos' } });
    await waitFor(() =>
      expect(api.calls.filter((c) => c.method === 'profile.get').map((c) => c.input)).toEqual([
        { dataset: 'clients' },
        { dataset: 'kairos' },
      ]),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Re-run profile' }));
    await waitFor(() =>
      expect(api.calls.find((c) => c.method === 'jobs.start')?.input).toEqual({
        method: 'profile.run',
        input: { dataset: 'kairos' },
      }),
    );
    expect((await screen.findByTestId('job-step')).textContent).toContain('Starting…');
  });
});
