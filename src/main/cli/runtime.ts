/**
 * Shared plumbing of CLI commands: building the engine for this process, opening the case named
 * by --case with the passphrase from the environment or a prompt, printing results as JSON or
 * text, and turning errors into exit code 1 with `{"error": {...}}` under --json.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorInfo } from '../../shared/errors';
import { createEngine, type Engine } from '../engine';
import { resolveNativeBinding } from '../engine/store';
import { readPassphrase } from './passphrase';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const APP_VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export interface Io {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export const processIo: Io = {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
};

export function makeEngine(): Engine {
  const nativeBinding = resolveNativeBinding(REPO_ROOT);
  return createEngine({ appVersion: APP_VERSION, ...(nativeBinding ? { nativeBinding } : {}) });
}

export interface CommonOptions {
  case: string;
  json?: boolean;
}

/** Opens the case for a command; the engine is closed by `runCommand`. */
export async function openCaseFor(engine: Engine, io: Io, casePath: string): Promise<void> {
  const passphrase = await readPassphrase(io, 'LEAKSCOPE_PASSPHRASE', 'Case passphrase: ');
  await engine.call('case.open', { path: resolve(casePath), passphrase });
}

/**
 * Runs one command body: prints its result (JSON when asked, else the text renderer), or the
 * error; sets the exit code (0 ok, 1 handled error).
 */
export async function runCommand<T>(
  io: Io,
  json: boolean | undefined,
  body: (engine: Engine) => Promise<T>,
  text: (result: T) => string,
): Promise<void> {
  const engine = makeEngine();
  try {
    const result = await body(engine);
    io.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${text(result)}\n`);
    process.exitCode = 0;
  } catch (e) {
    const error = toErrorInfo(e);
    io.stderr.write(`leakscope: ${error.message}\n`);
    if (json)
      io.stdout.write(
        `${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`,
      );
    process.exitCode = 1;
  } finally {
    engine.close();
  }
}
