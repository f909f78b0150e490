/**
 * The Records view and sessions together: the whole view (filter, search, sort, column layout,
 * redacted view and policy) is published as it changes, autosaved whatever view is open, kept
 * when the investigator leaves Records and comes back, and restored in the grid from a saved
 * session (Sessions view) or from the last-session offer on the case overview, down to the first
 * row it showed.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedSession, SessionInfo } from '../../src/shared/api';
import type { SessionView } from '../../src/shared/session';
import type { FilterNode } from '../../src/shared/filter';
import { ApiProvider } from '../../src/renderer/src/api/context';
import type { ViewId } from '../../src/renderer/src/components/Sidebar';
import { CaseOverview } from '../../src/renderer/src/features/case/CaseOverview';
import { RecordsView } from '../../src/renderer/src/features/records/RecordsView';
import {
  clearCurrentView,
  getCurrentState,
} from '../../src/renderer/src/features/sessions/current-view';
import { SessionsView } from '../../src/renderer/src/features/sessions/SessionsView';
import { WorkspaceProvider } from '../../src/renderer/src/workspace/context';
import { SAMPLE_INFO, type FakeApi } from './fake-api';
import { mountRecords, queries, recordsApi } from './records-fixtures';

afterEach(cleanup);
beforeEach(clearCurrentView);

const FILTER: FilterNode = { column: 'ville', op: 'equals', value: 'Paris' };
const caseId = SAMPLE_INFO.caseId;

const INFO: SessionInfo = {
  name: 'parisiens',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T11:00:00.000Z',
  storedVersion: 2,
  datasets: ['people'],
  views: 1,
  rows: 500,
  description: '"people": ville is "Paris"; search "dupont"',
};

/**
 * A saved session on `people`: filter, search, sort, three of four columns, redacted, scrolled to
 * row 500 (`view` replaces parts of that).
 */
function saved(name = INFO.name, view: Partial<SessionView> = {}): OpenedSession {
  const ds = {
    key: 'd1',
    id: 1,
    name: 'people',
    sha256: 'a'.repeat(64),
    member: null,
    table: null,
    fileName: 'people.csv',
    rows: 1000,
  };
  return {
    ...INFO,
    name,
    document: {
      format: 'leakscope.session',
      version: 2,
      savedAt: INFO.updatedAt,
      app: 'test',
      caseId,
      datasets: [ds],
      views: [
        {
          dataset: 'd1',
          filter: FILTER,
          search: 'dupont',
          sort: [{ column: 'prenom', desc: true }],
          columns: [
            { column: 'email', width: 240, pinned: 'left' },
            { column: 'nom', width: null, pinned: null },
            { column: 'prenom', width: 90, pinned: null },
          ],
          selected: null,
          scroll: { row: 500, left: 0 },
          fingerprint: null,
          ...view,
        },
      ],
      activeView: 0,
      redactionPolicy: 'share-with-authority',
      notes: '',
    },
    upgradedFrom: null,
    matches: [
      {
        key: 'd1',
        saved: ds,
        local: { id: 1, name: 'people', rows: 1000, complete: true },
        by: 'id',
        warning: null,
      },
    ],
    warnings: [],
  };
}

function sessionsApi(extra: Record<string, unknown> = {}, rows = 1000): FakeApi {
  return recordsApi(rows, {
    'session.list': { sessions: [INFO] },
    'session.last': { session: null },
    'session.get': saved(),
    'session.check': {
      name: INFO.name,
      status: 'identical',
      message: 'Same 500 records as when saved.',
      views: [],
    },
    'session.autosave': { savedAt: '2026-03-02T10:00:00.000Z' },
    'audit.list': { entries: [] },
    ...extra,
  });
}

/** The shell's view switching around the views under test. */
function mountShell(api: FakeApi, first: ViewId) {
  const go: { view: (v: ViewId) => void } = { view: () => {} };
  function Shell() {
    const [view, setView] = useState<ViewId>(first);
    go.view = setView;
    return (
      <WorkspaceProvider caseInfo={SAMPLE_INFO} view={view} onView={setView}>
        {view === 'records' ? (
          <RecordsView />
        ) : view === 'sessions' ? (
          <SessionsView />
        ) : view === 'case' ? (
          <CaseOverview initial={SAMPLE_INFO} />
        ) : (
          <p>{view} view</p>
        )}
      </WorkspaceProvider>
    );
  }
  render(
    <ApiProvider api={api}>
      <Shell />
    </ApiProvider>,
  );
  return go;
}

const bodyRows = () =>
  [...screen.getByTestId('records-rows').querySelectorAll('[role="row"]')] as HTMLElement[];

/** The grid's first row on screen, once loaded (its position and its record's surname). */
async function expectFirstRow(row: number) {
  await waitFor(
    () => {
      expect(screen.getByRole('grid').getAttribute('data-top-row')).toBe(String(row));
      const first = bodyRows().find((r) => Number(r.dataset.index) === row);
      expect(first?.textContent).toContain(`NOM${row}`);
      // No row above it is drawn (a few below, the overscan, are).
      expect(bodyRows().every((r) => Number(r.dataset.index) >= row - 4)).toBe(true);
    },
    { timeout: 5000 },
  );
}

const headers = () =>
  screen.getAllByRole('columnheader').map((h) => h.querySelector('.rg-th-name')?.textContent);

/** The grid shows the session as saved: query, search box, columns, redacted view. */
async function expectRestored(api: FakeApi) {
  await screen.findByRole('grid', { name: 'Records of people' });
  await waitFor(() =>
    expect(queries(api).at(-1)).toMatchObject({
      dataset: 'people',
      filter: FILTER,
      search: 'dupont',
      sort: [{ column: 'prenom', desc: true }],
      policy: 'share-with-authority',
    }),
  );
  expect((screen.getByRole('searchbox') as HTMLInputElement).value).toBe('dupont');
  expect(headers()).toEqual(['email', 'nom', 'prenom']);
  const [email, , prenom] = screen.getAllByRole('columnheader');
  expect(email!.className).toContain('pinned');
  expect(email!.style.width).toBe('240px');
  expect(prenom!.style.width).toBe('90px');
  expect(prenom!.getAttribute('aria-sort')).toBe('descending');
  expect((screen.getByLabelText('Redacted view') as HTMLInputElement).checked).toBe(true);
  expect(screen.getByRole('grid').className).toContain('redacted');
  expect(screen.getByText('ville is "Paris"', { exact: false })).toBeTruthy();
  // At the first row it showed (the fake engine's positions are exact, filtered or not).
  await expectFirstRow(500);
}

describe('Records view and sessions', () => {
  it('publishes every part of the view as it changes, and nothing before a change', async () => {
    const api = recordsApi(1000);
    mountRecords(api);
    await screen.findByText('NOM0', {}, { timeout: 5000 });
    // Merely opening Records does not replace the autosaved last session.
    expect(getCurrentState(caseId)).toBeNull();

    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'dupont' } });
    await waitFor(() => expect(getCurrentState(caseId)?.view?.search).toBe('dupont'));
    fireEvent.click(screen.getByTitle(/^Sort by prenom/));
    fireEvent.click(screen.getByLabelText('ville', { selector: 'input' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pin email' }));
    fireEvent.click(screen.getByLabelText('Redacted view'));
    await waitFor(() => expect(getCurrentState(caseId)?.policy).toBe('share-with-authority'));
    const state = getCurrentState(caseId)!;
    expect(state.source).toBe('records');
    expect(state.view).toEqual({
      dataset: 'people',
      filter: null,
      search: 'dupont',
      sort: [{ column: 'prenom', desc: false }],
      // The redacted layout starts from the dataset's: ville is visible again there.
      columns: null,
      selected: null,
      scroll: { row: 0, left: 0 },
    });
    // Back to raw values: the layout made for them is the one published.
    fireEvent.click(screen.getByLabelText('Redacted view'));
    await waitFor(() => expect(getCurrentState(caseId)?.policy).toBeNull());
    expect(getCurrentState(caseId)!.view!.columns).toEqual([
      { column: 'email', width: null, pinned: 'left' },
      { column: 'nom', width: null, pinned: null },
      { column: 'prenom', width: null, pinned: null },
    ]);
  });

  it('autosaves the view while Records is open, without the Sessions view', async () => {
    const api = sessionsApi();
    mountShell(api, 'records');
    await screen.findByText('NOM0', {}, { timeout: 5000 });
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'martin' } });
    await waitFor(() => expect(api.calls.some((c) => c.method === 'session.autosave')).toBe(true), {
      timeout: 5000,
    });
    const input = api.calls.filter((c) => c.method === 'session.autosave').at(-1)!.input as {
      session: { views: { dataset: string; search: string | null }[] };
    };
    expect(input.session.views).toMatchObject([{ dataset: 'people', search: 'martin' }]);
  });

  it('keeps the view when the investigator leaves Records and comes back', async () => {
    const api = sessionsApi();
    const go = mountShell(api, 'records');
    await screen.findByText('NOM0', {}, { timeout: 5000 });
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'martin' } });
    fireEvent.click(screen.getByTitle(/^Sort by email/));
    await waitFor(() => expect(getCurrentState(caseId)?.view?.search).toBe('martin'));
    act(() => go.view('profile'));
    await screen.findByText('profile view');
    act(() => go.view('records'));
    await screen.findByRole('grid');
    expect((screen.getByRole('searchbox') as HTMLInputElement).value).toBe('martin');
    await waitFor(() =>
      expect(queries(api).at(-1)).toMatchObject({
        search: 'martin',
        sort: [{ column: 'email', desc: false }],
      }),
    );
  });

  it('opens a saved session in the grid as it was saved, from the Sessions view', async () => {
    const api = sessionsApi();
    mountShell(api, 'sessions');
    fireEvent.click(await screen.findByRole('button', { name: 'Open parisiens' }));
    await expectRestored(api);
    // The restored view is the current view (autosave, "Save session") as restored.
    const state = getCurrentState(caseId)!;
    expect(state.policy).toBe('share-with-authority');
    expect(state.view!.columns).toEqual(saved().document.views[0]!.columns);
    // Nothing was queried on another dataset or without the restored filter first.
    expect(queries(api).every((q) => q.dataset === 'people' && q.search === 'dupont')).toBe(true);
  });

  it('offers the last session on the case overview after reopening, and restores it', async () => {
    const api = sessionsApi({ 'session.last': { session: { ...saved(''), name: '' } } });
    mountShell(api, 'case');
    const banner = await screen.findByRole('region', { name: 'Last session' });
    fireEvent.click(within(banner).getByRole('button', { name: 'Restore last session' }));
    await expectRestored(api);
  });
  it('opens a saved session at its first row shown, with one positional jump', async () => {
    const view: Partial<SessionView> = {
      filter: null,
      search: null,
      sort: [],
      columns: null,
      scroll: { row: 654_321, left: 0 },
    };
    const api = sessionsApi({ 'session.get': saved(INFO.name, view) }, 1_000_000);
    mountShell(api, 'sessions');
    fireEvent.click(await screen.findByRole('button', { name: 'Open parisiens' }));
    await expectFirstRow(654_321);
    // Import order: the window on screen by position (exact), never paged from the top.
    expect(queries(api).some((q) => q.at === 654_200)).toBe(true);
    expect(queries(api).every((q) => q.at !== undefined || q.cursor || q.from === 'end')).toBe(
      true,
    );
    expect(screen.getByTestId('records-status').textContent).toContain('Row 654,322 of 1,000,000');
    expect(getCurrentState(caseId)!.view!.scroll).toEqual({ row: 654_321, left: 0 });

    // Another query starts at its top, and that is the first row shown now.
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'martin' } });
    await waitFor(() => expect(queries(api).at(-1)?.search).toBe('martin'));
    await expectFirstRow(0);
    await waitFor(() => expect(getCurrentState(caseId)!.view!.scroll.row).toBe(0), {
      timeout: 5000,
    });
  });

  it('restores the horizontal scroll of a saved session and publishes the new one', async () => {
    const view: Partial<SessionView> = {
      filter: null,
      search: null,
      sort: [],
      columns: null,
      scroll: { row: 654_321, left: 240 },
    };
    const api = sessionsApi({ 'session.get': saved(INFO.name, view) }, 1_000_000);
    const go = mountShell(api, 'sessions');
    fireEvent.click(await screen.findByRole('button', { name: 'Open parisiens' }));
    await expectFirstRow(654_321);
    const grid = screen.getByRole('grid');
    expect(grid.scrollLeft).toBe(240);
    expect(getCurrentState(caseId)!.view!.scroll).toEqual({ row: 654_321, left: 240 });

    // Scrolled sideways: published with the first row once scrolling pauses.
    grid.scrollLeft = 80;
    fireEvent.scroll(grid);
    await waitFor(
      () => expect(getCurrentState(caseId)!.view!.scroll).toEqual({ row: 654_321, left: 80 }),
      { timeout: 5000 },
    );

    // Leaving Records before scrolling paused still publishes where the grid was.
    grid.scrollLeft = 120;
    fireEvent.scroll(grid);
    act(() => go.view('profile'));
    await screen.findByText('profile view');
    expect(getCurrentState(caseId)!.view!.scroll).toEqual({ row: 654_321, left: 120 });
  });

  it('shows the same first row when the investigator leaves Records and comes back', async () => {
    const api = sessionsApi({}, 1_000_000);
    const go = mountShell(api, 'records');
    await screen.findByText('NOM0', {}, { timeout: 5000 });
    const grid = screen.getByRole('grid');
    grid.focus();
    fireEvent.keyDown(grid, { key: 'End', ctrlKey: true });
    await screen.findByText('NOM999999', {}, { timeout: 5000 });
    // Published once scrolling pauses; the last screenful starts 20 rows before the end.
    await waitFor(() => expect(getCurrentState(caseId)?.view?.scroll.row).toBe(999_980), {
      timeout: 5000,
    });
    act(() => go.view('profile'));
    await screen.findByText('profile view');
    act(() => go.view('records'));
    await expectFirstRow(999_980);
  });

  it('keeps where the grid was left when the query changes before scrolling paused', async () => {
    const api = sessionsApi({}, 1_000_000);
    mountShell(api, 'records');
    await screen.findByText('NOM0', {}, { timeout: 5000 });
    const grid = screen.getByRole('grid');
    grid.focus();
    fireEvent.keyDown(grid, { key: 'End', ctrlKey: true });
    await waitFor(() => expect(getCurrentState(caseId)?.view?.scroll.row).toBe(999_980), {
      timeout: 5000,
    });
    // Back to the top, then at once a search, then the search cleared: the whole dataset opens
    // where it was left (the top), not at the older published position.
    fireEvent.keyDown(grid, { key: 'Home', ctrlKey: true });
    await expectFirstRow(0);
    const box = screen.getByRole('searchbox');
    fireEvent.change(box, { target: { value: 'martin' } });
    await waitFor(() => expect(queries(api).at(-1)?.search).toBe('martin'));
    fireEvent.change(box, { target: { value: '' } });
    await waitFor(() => expect(queries(api).at(-1)?.search).toBeUndefined());
    await expectFirstRow(0);
    expect(queries(api).some((q) => q.search === undefined && q.from === 'end')).toBe(true);
    expect(
      queries(api)
        .filter((q) => q.search === undefined)
        .at(-1)?.at,
    ).toBeUndefined();
  });
});
