/** Runs the real CLI (`npm run -s cli` equivalent) in a child process. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './case';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  json: unknown;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  input?: string,
): CliResult {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/cli/main.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        LEAKSCOPE_PASSPHRASE: undefined,
        LEAKSCOPE_NEW_PASSPHRASE: undefined,
        ...env,
      },
      input: input ?? '',
      timeout: 120_000,
    },
  );
  let json: unknown = undefined;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // Not JSON output.
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}
