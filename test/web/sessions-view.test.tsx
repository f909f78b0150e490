/**
 * The Sessions view over the fake API: save the current view, rename, duplicate, delete, open
 * (restore in Records after session.check), a missing dataset held with its message, export,
 * import with a dry run first, the last-session offer, and autosave of the current view.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedSession, SessionCheck, SessionInfo } from '../../src/shared/api';
import type { Result } from '../../src/shared/errors';
import {
  clearCurrentView,
  getCurrentState,
  makeView,
  publishCurrentView,
} from '../../src/renderer/src/features/sessions/current-view';
import { SessionsView } from '../../src/renderer/src/features/sessions/SessionsView';
import { fakeApi, SAMPLE_INFO, type FakeApi } from './fake-api';
import { mountWithRecordsProbe, type Nav } from './view-shell';

afterEach(cleanup);
beforeEach(clearCurrentView);

const FILTER = { column: 'email', op: 'endsWith', value: '@francetravail.fr' } as const;

const INFO: SessionInfo = {
  name: 'kairos-victims',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T11:00:00.000Z',
  storedVersion: 2,
  datasets: ['kairos'],
  views: 1,
  rows: 42,
  description: '"kairos": email ends with "@francetravail.fr"; 42 matching records when saved',
};

/** The dataset as the saved session names it. */
const SAVED_DATASET = {
  key: 'd1',
  id: 1,
  name: 'kairos',
  sha256: 'a'.repeat(64),
  member: null,
  table: null,
  fileName: 'kairos.ndjson',
  rows: 340,
};

function opened(local: boolean, caseId = SAMPLE_INFO.caseId): OpenedSession {
  return {
    ...INFO,
    document: {
      format: 'leakscope.session',
      version: 2,
      savedAt: INFO.updatedAt,
      app: 'test',
      caseId,
      datasets: [SAVED_DATASET],
      views: [
        {
          dataset: 'd1',
          filter: FILTER,
          search: 'dupont',
          sort: [{ column: 'nom', desc: true }],
          columns: [{ column: 'email', width: 240, pinned: 'left' }],
          selected: { ordinal: 17, rowId: 18 },
          scroll: { row: 10, left: 0 },
          fingerprint: null,
        },
      ],
      activeView: 0,
      redactionPolicy: 'share-with-authority',
      notes: 'contacted 3 people',
    },
    upgradedFrom: null,
    matches: [
      {
        key: 'd1',
        saved: SAVED_DATASET,
        local: local ? { id: 1, name: 'kairos', rows: 340, complete: true } : null,
        by: local ? 'id' : null,
        warning: local ? null : 'dataset "kairos" is missing: import kairos.ndjson (SHA-256 aaaa…)',
      },
    ],
    warnings: local ? [] : ['dataset "kairos" is missing: import kairos.ndjson (SHA-256 aaaa…)'],
  };
}

function check(status: SessionCheck['status']): SessionCheck {
  return {
    name: INFO.name,
    status,
    message:
      status === 'identical'
        ? 'Same 42 records as when saved.'
        : status === 'changed'
          ? '45 records now, 42 when saved: dataset kairos was re-imported.'
          : 'dataset "kairos" is missing',
    views: [
      {
        view: 0,
        dataset: 'kairos',
        local: status === 'missing' ? null : 'kairos',
        status,
        saved: { rows: 42, sha256: 'b'.repeat(64) },
        now:
          status === 'missing'
            ? null
            : { rows: status === 'changed' ? 45 : 42, sha256: 'c'.repeat(64) },
        delta: status === 'changed' ? 3 : status === 'identical' ? 0 : null,
        reasons: status === 'changed' ? ['dataset kairos was re-imported'] : [],
      },
    ],
  };
}

function harness(over: Record<string, unknown> = {}): FakeApi {
  return fakeApi({
    answers: {
      'datasets.list': { datasets: [] },
      'session.list': { sessions: [INFO] },
      'session.last': { session: null },
      'session.get': opened(true),
      'session.check': check('identical'),
      'session.rename': { ...INFO, name: 'victims' },
      'session.duplicate': { ...INFO, name: 'kairos-victims (copy)' },
      'session.delete': { name: INFO.name, deleted: true },
      'session.autosave': { savedAt: '2026-03-02T10:00:00.000Z' },
      ...over,
    },
  });
}

function mount(api: FakeApi): Nav {
  return mountWithRecordsProbe(api, 'sessions', <SessionsView />);
}

/** The view as the Sessions view sends it to session.save and session.autosave. */
const draftOfView = (search: string | null) => ({
  dataset: 'kairos',
  filter: FILTER,
  search,
  sort: [],
  columns: null,
  selected: null,
  scroll: { row: 0, left: 0 },
});

const inputOf = (api: FakeApi, method: string) => api.calls.find((c) => c.method === method)?.input;

describe('Sessions view', () => {
  it('lists the saved sessions with what they show', async () => {
    mount(harness());
    const item = await screen.findByTestId('session-kairos-victims');
    expect(item.textContent).toContain('email ends with "@francetravail.fr"');
    expect(item.textContent).toContain('42 records when saved');
  });

  it('saves the current view under a name, with notes and the policy in use', async () => {
    publishCurrentView(SAMPLE_INFO.caseId, makeView('kairos', FILTER, { search: 'dupont' }));
    const api = harness({
      'session.save': (input: unknown): Result<unknown> => ({
        ok: true,
        value: { ...opened(true), name: (input as { name: string }).name, rows: 42, created: true },
      }),
    });
    mount(api);
    expect((await screen.findByTestId('current-view')).textContent).toContain(
      'kairos: email ends with "@francetravail.fr" AND containing "dupont"',
    );
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'suspects' } });
    fireEvent.change(screen.getByLabelText('Notes'), { target: { value: 'for the CNIL' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save session' }));
    expect(
      (await screen.findByText(/Session “suspects” saved \(42 matching records\)/)).textContent,
    ).toBeTruthy();
    expect(inputOf(api, 'session.save')).toEqual({
      name: 'suspects',
      overwrite: false,
      session: {
        views: [draftOfView('dupont')],
        activeView: 0,
        redactionPolicy: null,
        notes: 'for the CNIL',
      },
    });
  });

  it('renames, duplicates and deletes (after confirmation)', async () => {
    const api = harness();
    mount(api);
    await screen.findByTestId('session-kairos-victims');
    fireEvent.click(screen.getByRole('button', { name: 'Rename kairos-victims' }));
    fireEvent.change(screen.getByLabelText('New name'), { target: { value: 'victims' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rename' }));
    await screen.findByText('Session “kairos-victims” renamed to “victims”.');
    expect(inputOf(api, 'session.rename')).toEqual({ name: 'kairos-victims', to: 'victims' });

    fireEvent.click(screen.getByRole('button', { name: 'Duplicate kairos-victims' }));
    expect((screen.getByLabelText('Name of the copy') as HTMLInputElement).value).toBe(
      'kairos-victims (copy)',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Duplicate' }));
    await screen.findByText('Session “kairos-victims” copied as “kairos-victims (copy)”.');
    expect(inputOf(api, 'session.duplicate')).toEqual({
      name: 'kairos-victims',
      to: 'kairos-victims (copy)',
    });

    fireEvent.click(screen.getByRole('button', { name: 'Delete kairos-victims' }));
    expect(api.calls.some((c) => c.method === 'session.delete')).toBe(false);
    const confirm = screen.getByRole('group', { name: 'Confirm deletion' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await screen.findByText('Session “kairos-victims” deleted.');
    expect(inputOf(api, 'session.delete')).toEqual({ name: 'kairos-victims' });
  });

  it('opens a session: checks it, restores its view and opens Records on its dataset and filter', async () => {
    const api = harness();
    const nav = mount(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Open kairos-victims' }));
    await screen.findByText('records view');
    expect(inputOf(api, 'session.get')).toEqual({ name: 'kairos-victims' });
    expect(inputOf(api, 'session.check')).toEqual({ name: 'kairos-victims' });
    const view = {
      dataset: 'kairos',
      filter: FILTER,
      search: 'dupont',
      sort: [{ column: 'nom', desc: true }],
      columns: [{ column: 'email', width: 240, pinned: 'left' }],
      selected: { rowId: 18 },
      scroll: { row: 10, left: 0 },
    };
    // The whole view travels with the request, for Records to open as saved.
    expect(nav.request).toEqual({
      dataset: 'kairos',
      filter: FILTER,
      record: 17,
      session: 'kairos-victims',
      view,
      policy: 'share-with-authority',
    });
    const state = getCurrentState(SAMPLE_INFO.caseId)!;
    expect(state.view).toEqual(view);
    expect(state.policy).toBe('share-with-authority');
  });

  it('holds a changed session with the verdict, and opens it on request', async () => {
    const api = harness({ 'session.check': check('changed') });
    const nav = mount(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Open kairos-victims' }));
    const held = await screen.findByTestId('held-session');
    expect(within(held).getByTestId('session-check').getAttribute('data-status')).toBe('changed');
    expect(held.textContent).toContain('45 records now, 42 when saved');
    expect(held.textContent).toContain('42 records when saved, 45 now (+3)');
    expect(nav.view).toBeNull();
    fireEvent.click(within(held).getByRole('button', { name: 'Open anyway' }));
    await screen.findByText('records view');
    expect(nav.request?.dataset).toBe('kairos');
  });

  it('says which dataset is missing and does not open Records', async () => {
    const api = harness({ 'session.get': opened(false), 'session.check': check('missing') });
    const nav = mount(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Open kairos-victims' }));
    const held = await screen.findByTestId('held-session');
    expect(held.textContent).toContain('Dataset missing');
    expect(held.textContent).toContain('import kairos.ndjson');
    expect(within(held).queryByRole('button', { name: 'Open anyway' })).toBeNull();
    expect(nav.view).toBeNull();
  });

  it('exports a session as JSON and imports a file after a dry run', async () => {
    const file = {
      format: 'leakscope.session-file',
      name: 'kairos-victims',
      session: opened(true).document,
    };
    const api = harness({
      'session.export': file,
      'session.import': (input: unknown): Result<unknown> => {
        const dry = (input as { dryRun: boolean }).dryRun;
        return {
          ok: true,
          value: {
            name: 'kairos-victims',
            saved: !dry,
            upgradedFrom: null,
            matches: opened(true).matches,
            flags: { tagsAdded: 0, notesAdded: 0, unmatched: 0, skipped: 0 },
            warnings: [],
            message: dry
              ? 'All 1 dataset found by source SHA-256.'
              : 'Session “kairos-victims” imported.',
          },
        };
      },
    });
    mount(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Export kairos-victims' }));
    const panel = await screen.findByTestId('session-export');
    const text = (
      within(panel).getByLabelText('Session file of kairos-victims') as HTMLTextAreaElement
    ).value;
    expect(JSON.parse(text)).toEqual(file);
    expect(inputOf(api, 'session.export')).toEqual({ name: 'kairos-victims', flags: true });

    fireEvent.change(screen.getByLabelText('Session file content'), { target: { value: text } });
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    const checked = await screen.findByTestId('import-check');
    expect(checked.textContent).toContain('kairos: found here as kairos (by id)');
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await screen.findByText('Session “kairos-victims” imported.');
    const calls = api.calls.filter((c) => c.method === 'session.import').map((c) => c.input);
    expect(calls).toEqual([
      { file, overwrite: false, flags: true, dryRun: true },
      { file, overwrite: false, flags: true, dryRun: false },
    ]);
  });

  it('rejects a file that is not JSON before calling the engine', async () => {
    const api = harness();
    mount(api);
    fireEvent.change(await screen.findByLabelText('Session file content'), {
      target: { value: '{not json' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Check file' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^This is not JSON/);
    expect(api.calls.some((c) => c.method === 'session.import')).toBe(false);
  });

  it('offers the autosaved last session and restores it', async () => {
    const api = harness({ 'session.last': { session: { ...opened(true), name: '' } } });
    const nav = mount(api);
    const banner = await screen.findByRole('region', { name: 'Last session' });
    expect(banner.textContent).toContain('email ends with "@francetravail.fr"');
    fireEvent.click(within(banner).getByRole('button', { name: 'Restore last session' }));
    await screen.findByText('records view');
    expect(nav.request).toMatchObject({ dataset: 'kairos', filter: FILTER, record: 17 });
    expect(nav.request?.view?.search).toBe('dupont');
    expect(nav.request?.policy).toBe('share-with-authority');
  });

  it('autosaves the current view a moment after it changes', async () => {
    const api = harness();
    mount(api);
    await screen.findByTestId('session-kairos-victims');
    publishCurrentView(SAMPLE_INFO.caseId, makeView('kairos', FILTER));
    await waitFor(() => expect(inputOf(api, 'session.autosave')).toBeTruthy(), { timeout: 4000 });
    expect(inputOf(api, 'session.autosave')).toEqual({
      session: {
        views: [draftOfView(null)],
        activeView: 0,
        redactionPolicy: null,
        notes: '',
      },
    });
    expect(await screen.findByText(/Current view autosaved/)).toBeTruthy();
  });
});
