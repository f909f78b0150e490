/** The shell: boot state, case overview with info and audit, lock, and main's lock event. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { ApiProvider } from '../../src/renderer/src/api/context';
import {
  getCurrentState,
  makeView,
  publishCurrentView,
} from '../../src/renderer/src/features/sessions/current-view';
import { fakeApi, SAMPLE_INFO, type FakeApi } from './fake-api';

afterEach(cleanup);

const ENTRY = {
  seq: 1,
  at: '2026-03-01T10:00:00.000Z',
  action: 'case.create',
  params: { path: '/cases/enquete.lscase' },
  result: {},
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};

function openCaseApi(kind: 'http' | 'desktop' = 'http'): FakeApi {
  return fakeApi({
    kind,
    answers: {
      'case.info': SAMPLE_INFO,
      'audit.list': { entries: [ENTRY] },
      'audit.verify': { ok: true, entries: 1, firstBroken: null, reason: null },
      'case.close': { closed: true },
    },
  });
}

function mount(api: FakeApi) {
  render(
    <ApiProvider api={api}>
      <App />
    </ApiProvider>,
  );
}

describe('App', () => {
  it('shows the case chooser when no case is open, with the case views disabled', async () => {
    mount(fakeApi());
    expect(await screen.findByRole('heading', { level: 1, name: 'Choose a case' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Views' });
    const buttons = [...nav.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual([
      'Case1',
      'Import2',
      'Profile3',
      'Records4',
      'Overlaps5',
      'Export6',
      'Sessions7',
    ]);
    expect(buttons.filter((b) => !b.disabled).map((b) => b.textContent)).toEqual(['Case1']);
    expect(buttons[0]!.getAttribute('aria-current')).toBe('page');
  });

  it('shows the open case: info panel and audit entries; verify reports an intact chain', async () => {
    const api = openCaseApi();
    mount(api);
    const info = await screen.findByTestId('case-info');
    expect(info.querySelector('[data-field="case-id"]')!.textContent).toBe(SAMPLE_INFO.caseId);
    expect(info.querySelector('[data-field="cipher"]')!.textContent).toMatch(
      /sqlcipher v4, PBKDF2 256.000 rounds/,
    );
    expect(info.querySelector('[data-field="audit-entries"]')!.textContent).toBe('1');
    expect(await screen.findByText('case.create')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect((await screen.findByText(/Intact: 1 entry verified/)).className).toContain('ok');
    expect(api.calls.map((c) => c.method)).toContain('audit.verify');
  });

  it('names the first broken entry', async () => {
    const api = openCaseApi();
    api.answers['audit.verify'] = {
      ok: false,
      entries: 3,
      firstBroken: 2,
      reason: 'hash mismatch',
    };
    mount(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Verify chain' }));
    expect((await screen.findByText(/Broken at entry #2: hash mismatch/)).className).toContain(
      'broken',
    );
  });

  it('locks with case.close and returns to the chooser', async () => {
    const api = openCaseApi();
    mount(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Lock case' }));
    await screen.findByRole('heading', { level: 1, name: 'Choose a case' });
    expect(api.calls.some((c) => c.method === 'case.close')).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('The case is locked.');
  });

  it('autosaves the last change of the view before locking, then forgets the view', async () => {
    const api = openCaseApi();
    api.answers['session.autosave'] = { savedAt: '2026-03-02T10:00:00.000Z' };
    mount(api);
    const lock = await screen.findByRole('button', { name: 'Lock case' });
    await waitFor(() => expect(api.calls.some((c) => c.method === 'audit.list')).toBe(true));
    // Changed just now: the autosave's pause has not passed yet.
    publishCurrentView(SAMPLE_INFO.caseId, makeView('kairos', null, { search: 'dupont' }));
    fireEvent.click(lock);
    await screen.findByRole('heading', { level: 1, name: 'Choose a case' });
    const methods = api.calls.map((c) => c.method);
    const saved = methods.lastIndexOf('session.autosave');
    expect(saved).toBeGreaterThan(-1);
    expect(saved).toBeLessThan(methods.indexOf('case.close'));
    const input = api.calls[saved]!.input as { session: { views: { search: string }[] } };
    expect(input.session.views[0]!.search).toBe('dupont');
    // The filter and search text an investigator typed do not outlive the open case.
    expect(getCurrentState(SAMPLE_INFO.caseId)).toBeNull();
  });

  it('follows main’s lock event (idle) and menu commands in the desktop app', async () => {
    const api = openCaseApi('desktop');
    mount(api);
    await screen.findByTestId('case-info');
    api.emit('case.locked', { reason: 'idle' });
    expect(await screen.findByText(/locked after a period of inactivity/)).toBeTruthy();
    api.emit('menu.command', { command: 'case.open', path: '/cases/other.lscase' });
    await waitFor(() => {
      const form = screen.getByRole('form', { name: 'Open a case' });
      expect((form.querySelector('input[type="text"]') as HTMLInputElement).value).toBe(
        '/cases/other.lscase',
      );
    });
  });
});
