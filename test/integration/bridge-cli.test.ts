/**
 * `leakscope serve` as a real child process: prints the token URL on stdout, serves the case it
 * opened, refuses without the token, and closes the case (releasing its lock) on SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-serve-');
const rendererDir = join(dir, 'renderer');
mkdirSync(rendererDir, { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Leakscope</title>');
const PASS = 'Une phrase de passe pour le pont';

function serve(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/cli/main.ts'), 'serve', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, LEAKSCOPE_PASSPHRASE: '', ...env },
      stdio: 'pipe',
    },
  );
}

/** The first stdout line (the URL), or the exit if the process dies first. */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

describe('leakscope serve', () => {
  it('serves the case it opened until SIGTERM, then closes it', async () => {
    const file = join(dir, 'enquete.lscase');
    expect(
      runCli(['case', 'create', '--case', file, '--json'], { LEAKSCOPE_PASSPHRASE: PASS }).status,
    ).toBe(0);

    const child = serve(['--case', file, '--port', '0'], {
      LEAKSCOPE_PASSPHRASE: PASS,
      LEAKSCOPE_RENDERER_DIR: rendererDir,
    });
    try {
      const url = await firstLine(child);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
      const { origin, searchParams } = new URL(url);
      const token = searchParams.get('token')!;
      expect(existsSync(`${file}.lock`)).toBe(true);

      const call = (headers: Record<string, string>) =>
        fetch(`${origin}/api/case.info`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: '{}',
        });
      expect((await call({})).status).toBe(401);
      const ok = await call({ Authorization: `Bearer ${token}` });
      expect(await ok.json()).toMatchObject({ ok: true, value: { path: file, datasets: 0 } });

      const session = await fetch(`${origin}/bridge/session`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(await session.json()).toEqual({ transport: 'http', fixedCase: file });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited(child)).toBe(0);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('fails clearly when the interface is not built', () => {
    const r = runCli(['serve'], { LEAKSCOPE_RENDERER_DIR: join(dir, 'missing') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not built.*npm run build/);
    expect(r.stdout).toBe('');
  });

  it('refuses a bad port', () => {
    const r = runCli(['serve', '--port', '99999'], { LEAKSCOPE_RENDERER_DIR: rendererDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--port/);
  });
});
