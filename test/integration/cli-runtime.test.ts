/**
 * The CLI's shared case-command plumbing (`caseCommand` in src/main/cli/runtime.ts), run
 * in-process: a command's own checks run before the passphrase is asked, and a result that is a
 * failure by itself (a broken audit chain) exits 1 while still printing the result.
 */
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/main/cli/program';
import type { Io } from '../../src/main/cli/runtime';
import { createEngine } from '../../src/main/engine';
import { openCase } from '../../src/main/engine/store';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-cli-runtime-');

function output(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = {
    isTTY: false,
    columns: 160,
    write: (s: string) => {
      text += s;
      return true;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = output();
  const stderr = output();
  const stdin = Readable.from([]) as unknown as NodeJS.ReadStream;
  const io: Io = { env, stdin, stdout: stdout.stream, stderr: stderr.stream };
  process.exitCode = undefined;
  await buildProgram(io).parseAsync(['node', 'leakscope', ...args]);
  return {
    status: process.exitCode,
    json: JSON.parse(stdout.text()) as unknown,
    stderr: stderr.text(),
  };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('caseCommand', () => {
  it("checks a command's options before asking for the passphrase", async () => {
    // No passphrase in the environment and no terminal: asking for one would fail differently.
    const missing = join(dir, 'nowhere.lscase');
    const bad = await run(['import', 'x.csv', '--case', missing, '--format', 'bogus', '--json']);
    expect(bad.status).toBe(1);
    expect(bad.json).toEqual({ error: { code: 'E_BAD_INPUT', message: 'unknown format bogus' } });

    const filter = await run(['query', 'people', '--case', missing, '--filter', '{', '--json']);
    expect(filter.status).toBe(1);
    expect(filter.json).toMatchObject({ error: { code: 'E_BAD_INPUT' } });
    expect(filter.stderr).not.toMatch(/passphrase/);

    const good = await run(['import', 'x.csv', '--case', missing, '--format', 'csv', '--json']);
    expect(good.json).toMatchObject({ error: { code: 'E_BAD_INPUT' } });
    expect(good.stderr).toMatch(/no passphrase: set LEAKSCOPE_PASSPHRASE/);
  });

  it('prints a broken audit chain and exits 1', async () => {
    const casePath = join(dir, 'audited.lscase');
    const engine = createEngine({
      appVersion: 'test',
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    await engine.call('case.create', { path: casePath, passphrase: TEST_PASSPHRASE });
    await engine.call('case.info', {});
    engine.close();
    const env = { LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE };

    const intact = await run(['audit', 'verify', '--case', casePath, '--json'], env);
    expect(intact.status).toBe(0);
    expect(intact.json).toMatchObject({ ok: true, firstBroken: null });

    const c = openCase(casePath, TEST_PASSPHRASE, {
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    c.db.prepare(`UPDATE audit_log SET params = '{"edited":true}' WHERE seq = 1`).run();
    c.close();
    const broken = await run(['audit', 'verify', '--case', casePath, '--json'], env);
    expect(broken.status).toBe(1);
    expect(broken.json).toMatchObject({ ok: false, firstBroken: 1 });
  });
});
