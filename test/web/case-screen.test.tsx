/** The case screen: strength meter, create/open calls with the right input, desktop dialogs. */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../src/renderer/src/api/context';
import { CaseScreen } from '../../src/renderer/src/features/case/CaseScreen';
import { SLOW_OPEN_MS } from '../../src/renderer/src/features/case/OpenCaseForm';
import type { Result } from '../../src/shared/errors';
import { fakeApi, SAMPLE_INFO, type Answer, type FakeApi } from './fake-api';

afterEach(cleanup);

const STRONG = 'correct horse battery staple';

function setup(api: FakeApi, onReady = vi.fn()) {
  render(
    <ApiProvider api={api}>
      <CaseScreen onReady={onReady} />
    </ApiProvider>,
  );
  return onReady;
}

function createForm() {
  return screen.getByRole('form', { name: 'New case' });
}

function within(form: HTMLElement, label: string): HTMLInputElement {
  const el = form.querySelector(
    `#${CSS.escape(
      [...form.querySelectorAll('label')].find((l) => l.textContent === label)!.htmlFor,
    )}`,
  );
  return el as HTMLInputElement;
}

describe('CaseScreen', () => {
  it('renders open and create forms', () => {
    setup(fakeApi());
    expect(screen.getByRole('heading', { level: 1, name: 'Choose a case' })).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Open a case' })).toBeTruthy();
    expect(createForm()).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create case' }).hasAttribute('disabled')).toBe(true);
  });

  it('updates the strength meter as the passphrase changes', () => {
    setup(fakeApi());
    const form = createForm();
    const meter = form.querySelector('[role="meter"]')!;
    const label = () => form.querySelector('[data-testid="strength-label"]')!.textContent;
    expect(label()).toBe('too weak');
    fireEvent.change(within(form, 'Passphrase'), { target: { value: 'azerty1' } });
    expect(label()).toBe('too weak');
    expect(meter.getAttribute('aria-valuenow')).toBe('0');
    fireEvent.change(within(form, 'Passphrase'), { target: { value: 'Summer2024!' } });
    expect(label()).toBe('strong');
    fireEvent.change(within(form, 'Passphrase'), { target: { value: STRONG } });
    expect(label()).toBe('very strong');
    expect(meter.getAttribute('aria-valuenow')).toBe('4');
    expect(form.querySelectorAll('.strength-bar .on')).toHaveLength(4);
  });

  it('calls case.create with the typed path and passphrase, then reports the case', async () => {
    const api = fakeApi({ answers: { 'case.create': SAMPLE_INFO } });
    const onReady = setup(api);
    const form = createForm();
    fireEvent.change(within(form, 'Case file'), { target: { value: ' /cases/enquete.lscase ' } });
    fireEvent.change(within(form, 'Passphrase'), { target: { value: STRONG } });
    fireEvent.change(within(form, 'Repeat the passphrase'), { target: { value: STRONG } });
    const button = screen.getByRole('button', { name: 'Create case' });
    expect(button.hasAttribute('disabled')).toBe(false);
    fireEvent.click(button);
    await waitFor(() => expect(onReady).toHaveBeenCalledWith(SAMPLE_INFO));
    expect(api.calls).toEqual([
      { method: 'case.create', input: { path: '/cases/enquete.lscase', passphrase: STRONG } },
    ]);
  });

  it('will not create with mismatched or weak passphrases', () => {
    const api = fakeApi();
    setup(api);
    const form = createForm();
    fireEvent.change(within(form, 'Case file'), { target: { value: '/cases/x.lscase' } });
    fireEvent.change(within(form, 'Passphrase'), { target: { value: STRONG } });
    fireEvent.change(within(form, 'Repeat the passphrase'), { target: { value: `${STRONG}!` } });
    expect(screen.getByText('The passphrases differ.')).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Create case' });
    expect(button.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(form, 'Passphrase'), { target: { value: 'abc' } });
    fireEvent.change(within(form, 'Repeat the passphrase'), { target: { value: 'abc' } });
    expect(button.hasAttribute('disabled')).toBe(true);
    fireEvent.submit(form);
    expect(api.calls).toEqual([]);
  });

  it('shows the engine error and stays on the form', async () => {
    const api = fakeApi({
      answers: {
        'case.create': { error: { code: 'E_CASE_EXISTS', message: 'a file already exists' } },
      },
    });
    const onReady = setup(api);
    const form = createForm();
    fireEvent.change(within(form, 'Case file'), { target: { value: '/cases/x.lscase' } });
    fireEvent.change(within(form, 'Passphrase'), { target: { value: STRONG } });
    fireEvent.change(within(form, 'Repeat the passphrase'), { target: { value: STRONG } });
    fireEvent.click(screen.getByRole('button', { name: 'Create case' }));
    expect((await screen.findByRole('alert')).textContent).toBe('a file already exists');
    expect(onReady).not.toHaveBeenCalled();
  });

  it('opens a case with case.open', async () => {
    const api = fakeApi({ answers: { 'case.open': SAMPLE_INFO } });
    const onReady = setup(api);
    const form = screen.getByRole('form', { name: 'Open a case' });
    fireEvent.change(within(form, 'Case file'), { target: { value: '/cases/enquete.lscase' } });
    fireEvent.change(within(form, 'Passphrase'), { target: { value: 'secret words' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open case' }));
    await waitFor(() => expect(onReady).toHaveBeenCalledWith(SAMPLE_INFO));
    expect(api.calls).toEqual([
      { method: 'case.open', input: { path: '/cases/enquete.lscase', passphrase: 'secret words' } },
    ]);
  });

  it('says why an open takes long (an upgrade) while it waits', async () => {
    let finish: (r: Result<unknown>) => void = () => undefined;
    const slowOpen = () => new Promise<Result<unknown>>((r) => (finish = r));
    const api = fakeApi({ answers: { 'case.open': slowOpen as unknown as Answer } });
    const onReady = setup(api);
    const form = screen.getByRole('form', { name: 'Open a case' });
    fireEvent.change(within(form, 'Case file'), { target: { value: '/cases/ancienne.lscase' } });
    fireEvent.change(within(form, 'Passphrase'), { target: { value: 'secret words' } });
    vi.useFakeTimers();
    try {
      fireEvent.click(screen.getByRole('button', { name: 'Open case' }));
      expect(screen.queryByRole('status')).toBeNull();
      await act(() => vi.advanceTimersByTimeAsync(SLOW_OPEN_MS));
      expect(screen.getByRole('status').textContent).toMatch(/upgraded once as it opens/);
      await act(async () => finish({ ok: true, value: SAMPLE_INFO }));
    } finally {
      vi.useRealTimers();
    }
    await waitFor(() => expect(onReady).toHaveBeenCalledWith(SAMPLE_INFO));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('in the desktop app, takes paths from main’s dialog only', async () => {
    const api = fakeApi({ kind: 'desktop', answers: { 'case.create': SAMPLE_INFO } });
    setup(api);
    const form = createForm();
    const path = within(form, 'Case file');
    expect(path.readOnly).toBe(true);
    fireEvent.click(form.querySelector('button[type="button"]')!);
    await waitFor(() => expect(path.value).toBe('/cases/nouvelle.lscase'));
    expect(api.picks).toEqual(['case-new']);
  });

  it('offers only to unlock the case of a fixed-case bridge', () => {
    setup(fakeApi({ fixedCasePath: '/srv/cases/enquete.lscase' }));
    expect(screen.queryByRole('form', { name: 'New case' })).toBeNull();
    const form = screen.getByRole('form', { name: 'Unlock the case' });
    const path = within(form, 'Case file');
    expect(path.value).toBe('/srv/cases/enquete.lscase');
    expect(path.readOnly).toBe(true);
  });
});
