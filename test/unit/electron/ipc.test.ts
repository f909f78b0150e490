/**
 * The main-side IPC handlers with Electron's ipcMain replaced by a recorder: sender check, path
 * grants, passthrough of the Result envelope, event sending.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../src/shared/errors';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc, sendEvent } = await import('../../../src/main/electron/ipc');
const { APP_ORIGIN, PathGrants } = await import('../../../src/main/electron/policy');
const { EVENT_CHANNEL, INVOKE_CHANNEL, PICK_FILE_CHANNEL } =
  await import('../../../src/main/preload/channels');

function ipcEvent(url: string | null, opts: { top?: boolean; id?: number } = {}) {
  const frame = url === null ? null : { url, parent: opts.top === false ? {} : null };
  return { senderFrame: frame, sender: { id: opts.id ?? 1 } };
}

const good = () => ipcEvent(`${APP_ORIGIN}/index.html`);

let calls: Array<[string, unknown]>;
let grants: InstanceType<typeof PathGrants>;
let picked: string[];

beforeEach(() => {
  handlers.clear();
  calls = [];
  picked = [];
  grants = new PathGrants();
  registerIpc({
    engine: {
      invoke: async (method: string, input: unknown): Promise<Result<unknown>> => {
        calls.push([method, input]);
        return { ok: true, value: { method } };
      },
    },
    grants,
    trusted: () => ({ origins: [APP_ORIGIN], webContentsIds: new Set([1]) }),
    pickFile: async (_sender, kind) => {
      picked.push(kind);
      grants.grant('/cases/picked.lscase');
      return '/cases/picked.lscase';
    },
  });
});

const invoke = (event: unknown, method: unknown, input: unknown) =>
  handlers.get(INVOKE_CHANNEL)!(event, method, input) as Promise<Result<unknown>>;

describe('invoke channel', () => {
  it('passes trusted calls to the engine and returns its Result untouched', async () => {
    expect(await invoke(good(), 'case.info', {})).toEqual({
      ok: true,
      value: { method: 'case.info' },
    });
    expect(calls).toEqual([['case.info', {}]]);
  });

  it.each([
    ['a subframe', ipcEvent(`${APP_ORIGIN}/index.html`, { top: false })],
    ['a foreign origin', ipcEvent('https://evil.example/')],
    ['a destroyed frame', ipcEvent(null)],
    ['another window', ipcEvent(`${APP_ORIGIN}/index.html`, { id: 2 })],
  ])('refuses %s with E_FORBIDDEN without calling the engine', async (_name, event) => {
    const r = await invoke(event, 'case.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    expect(calls).toEqual([]);
  });

  it('refuses paths that no dialog granted', async () => {
    const r = await invoke(good(), 'case.open', { path: '/etc/passwd', passphrase: 'x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    // The refusal names no path and never echoes the passphrase.
    expect(JSON.stringify(r)).not.toContain('/etc/passwd');
    expect(calls).toEqual([]);
  });

  it('accepts a path once the dialog returned it', async () => {
    const path = await handlers.get(PICK_FILE_CHANNEL)!(good(), 'case-open');
    expect(path).toBe('/cases/picked.lscase');
    const r = await invoke(good(), 'case.open', { path, passphrase: 'x' });
    expect(r.ok).toBe(true);
    expect(calls).toEqual([['case.open', { path, passphrase: 'x' }]]);
  });

  it('refuses a non-string method name', async () => {
    expect(await invoke(good(), 42, {})).toMatchObject({
      ok: false,
      error: { code: 'E_BAD_INPUT' },
    });
  });
});

describe('pick-file channel', () => {
  it('opens dialogs for known kinds from trusted senders only', async () => {
    const pick = handlers.get(PICK_FILE_CHANNEL)!;
    expect(await pick(ipcEvent('https://evil.example/'), 'case-open')).toBeNull();
    expect(await pick(good(), 'anything')).toBeNull();
    expect(picked).toEqual([]);
    expect(await pick(good(), 'case-new')).toBe('/cases/picked.lscase');
    expect(picked).toEqual(['case-new']);
  });
});

describe('sendEvent', () => {
  it('sends {event, data} on the event channel, and nothing to a destroyed window', () => {
    const sent: unknown[][] = [];
    const wc = { isDestroyed: () => false, send: (...args: unknown[]) => sent.push(args) };
    sendEvent(wc as never, 'case.locked', { reason: 'idle' });
    expect(sent).toEqual([[EVENT_CHANNEL, { event: 'case.locked', data: { reason: 'idle' } }]]);
    sendEvent({ isDestroyed: () => true, send: () => sent.push(['x']) } as never, 'case.locked', {
      reason: 'idle',
    });
    sendEvent(null, 'case.locked', { reason: 'idle' });
    expect(sent).toHaveLength(1);
  });
});
