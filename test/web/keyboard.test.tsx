/**
 * Keyboard use: the shell's shortcuts (Ctrl+E export, Ctrl+O open another case, Alt+digit views)
 * and the records grid's navigation (arrows, PageUp/PageDown, Home/End, Ctrl+Home).
 * Ctrl+F (search), Ctrl+End (last record) and Enter/Escape (detail) are tested in
 * records-filter-detail and records-grid.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { ApiProvider } from '../../src/renderer/src/api/context';
import { fakeApi, SAMPLE_INFO, type FakeApi } from './fake-api';
import { mountRecords, recordsApi } from './records-fixtures';

afterEach(cleanup);

function openCase(fixedCasePath: string | null = null, kind: 'http' | 'desktop' = 'http'): FakeApi {
  const api = fakeApi({
    kind,
    fixedCasePath,
    answers: {
      'case.info': SAMPLE_INFO,
      'datasets.list': { datasets: [] },
      'audit.list': { entries: [] },
      'session.last': { session: null },
      'session.list': { sessions: [] },
      'policy.list': { policies: [] },
      'export.history': { exports: [] },
    },
  });
  render(
    <ApiProvider api={api}>
      <App />
    </ApiProvider>,
  );
  return api;
}

const h1 = () => screen.getByRole('heading', { level: 1 });

describe('shell shortcuts', () => {
  it('Ctrl+E opens the export view, Alt+7 the sessions, Alt+1 the case', async () => {
    openCase();
    await screen.findByTestId('case-info');
    fireEvent.keyDown(window, { key: 'e', ctrlKey: true });
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe(
      'Redaction and export',
    );
    fireEvent.keyDown(window, { key: '7', altKey: true });
    expect(await screen.findByRole('heading', { level: 1, name: 'Sessions' })).toBeTruthy();
    fireEvent.keyDown(window, { key: '1', altKey: true });
    await screen.findByTestId('case-info');
  });

  it('Ctrl+O asks for another case, unless the bridge serves only one', async () => {
    openCase();
    await screen.findByTestId('case-info');
    fireEvent.keyDown(window, { key: 'o', ctrlKey: true });
    expect(await screen.findByRole('form', { name: 'Open a case' })).toBeTruthy();
    cleanup();

    openCase('/cases/enquete.lscase');
    await screen.findByTestId('case-info');
    const event = fireEvent.keyDown(window, { key: 'o', ctrlKey: true });
    // Not handled: the browser keeps the key, the case stays on screen.
    expect(event).toBe(true);
    expect(screen.queryByRole('form', { name: 'Open a case' })).toBeNull();
    expect(h1().textContent).toBe('enquete.lscase');
  });

  it('leaves Ctrl+O and Ctrl+E to the menu accelerators in the desktop app', async () => {
    const api = openCase(null, 'desktop');
    await screen.findByTestId('case-info');
    expect(fireEvent.keyDown(window, { key: 'e', ctrlKey: true })).toBe(true);
    expect(fireEvent.keyDown(window, { key: 'o', ctrlKey: true })).toBe(true);
    expect(h1().textContent).toBe('enquete.lscase');
    // The menu's Ctrl+E arrives as its command, and opens the export view.
    act(() => api.emit('menu.command', { command: 'export.open', path: null }));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe(
      'Redaction and export',
    );
  });
});

describe('records grid keys', () => {
  const activeText = (grid: HTMLElement) =>
    document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')?.textContent;

  it('moves by a screen with PageDown/PageUp, to the row ends with Home/End', async () => {
    mountRecords(recordsApi(1_000_000));
    await screen.findByText('NOM0', {}, { timeout: 5000 });
    const grid = screen.getByRole('grid');
    grid.focus();
    expect(activeText(grid)).toBe('NOM0');
    fireEvent.keyDown(grid, { key: 'PageDown' });
    const page = Number(/NOM(\d+)/.exec(activeText(grid) ?? '')?.[1]);
    // A screen of rows less one (the last row stays in view), whatever the viewport.
    expect(page).toBeGreaterThan(5);
    fireEvent.keyDown(grid, { key: 'PageDown' });
    expect(activeText(grid)).toBe(`NOM${2 * page}`);
    fireEvent.keyDown(grid, { key: 'PageUp' });
    expect(activeText(grid)).toBe(`NOM${page}`);
    fireEvent.keyDown(grid, { key: 'End' });
    expect(activeText(grid)).toBe(page % 2 ? 'Paris' : '');
    fireEvent.keyDown(grid, { key: 'Home' });
    expect(activeText(grid)).toBe(`NOM${page}`);
    fireEvent.keyDown(grid, { key: 'Home', ctrlKey: true });
    expect(await screen.findByText('NOM0')).toBeTruthy();
    expect(activeText(grid)).toBe('NOM0');
    // Nothing above the first row.
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    fireEvent.keyDown(grid, { key: 'PageUp' });
    expect(activeText(grid)).toBe('NOM0');
  });

  it('is one tab stop that shows where the focus is', async () => {
    mountRecords(recordsApi(100));
    await screen.findByText('NOM0', {}, { timeout: 5000 });
    const grid = screen.getByRole('grid');
    expect(grid.tabIndex).toBe(0);
    // Cells are reached with the arrows, not Tab (aria-activedescendant).
    expect(grid.querySelectorAll('[role="gridcell"][tabindex]').length).toBe(0);
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(grid);
    const cell = document.getElementById(grid.getAttribute('aria-activedescendant')!)!;
    expect(cell.className).toContain('active-cell');
  });
});
