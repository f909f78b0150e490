import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../../src/shared/api';
import { auditParams, createEngine, HANDLERS, mergeHandlers } from '../../../src/main/engine';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../../helpers/case';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir();
const engine = () =>
  createEngine({
    appVersion: 'test',
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });

describe('the contract', () => {
  it('has a handler and a description for every method', () => {
    for (const name of METHOD_NAMES) {
      expect(HANDLERS[name], `handler for ${name}`).toBeTypeOf('function');
      expect(contract[name].description.length, `description of ${name}`).toBeGreaterThan(10);
      expect(name).toMatch(/^[a-z]+\.[a-z][a-zA-Z]*$/);
    }
  });

  it('refuses a method defined by two capabilities', () => {
    const h = () => ({ closed: true });
    expect(() => mergeHandlers([{ 'case.close': h }, { 'case.close': h }])).toThrow(
      /two capabilities/,
    );
  });

  it('strips passphrases from audit parameters', () => {
    expect(auditParams({ path: '/x', passphrase: 's3cret', newPassphrase: 'n3w' })).toEqual({
      path: '/x',
    });
  });
});

describe('the engine router', () => {
  it('validates input and answers with typed errors, never throwing', async () => {
    const e = engine();
    expect(await e.invoke('case.nope', {})).toEqual({
      ok: false,
      error: { code: 'E_UNKNOWN_METHOD', message: 'unknown method case.nope' },
    });
    const bad = await e.invoke('case.create', { path: 42 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('E_BAD_INPUT');
      expect(bad.error.message).toMatch(
        /^case\.create \(Create a new encrypted case file and open it\): path:/,
      );
    }
    const extra = await e.invoke('case.info', { sneaky: 1 });
    expect(extra.ok).toBe(false);
    const noCase = await e.invoke('case.info', {});
    expect(noCase).toMatchObject({ ok: false, error: { code: 'E_NO_CASE' } });
  });

  it('writes one audit entry per audited call, without the passphrase', async () => {
    const e = engine();
    const path = join(dir, 'router.lscase');
    await e.call('case.create', { path, passphrase: TEST_PASSPHRASE });
    await e.call('case.info', {});
    await e.call('audit.verify', {});
    await e.call('audit.list', {});
    const { entries } = await e.call('audit.list', {});
    expect(entries.map((x) => x.action)).toEqual(['case.create', 'audit.verify']);
    expect(JSON.stringify(entries)).not.toContain(TEST_PASSPHRASE);
    expect(entries[0]!.params).toEqual({ path });
    e.close();
    // Reopen and rekey: audited too, and the new passphrase never lands in the log.
    const e2 = engine();
    await e2.call('case.open', { path, passphrase: TEST_PASSPHRASE });
    await e2.call('case.rekey', { newPassphrase: 'another one entirely' });
    const after = await e2.call('audit.list', {});
    expect(after.entries.map((x) => x.action)).toEqual([
      'case.create',
      'audit.verify',
      'case.open',
      'case.rekey',
    ]);
    expect(JSON.stringify(after.entries)).not.toContain('another one entirely');
    const info = await e2.call('case.info', {});
    expect(info.auditEntries).toBe(4);
    expect(info.schemaVersion).toBeGreaterThanOrEqual(20);
    e2.close();
  });
});
