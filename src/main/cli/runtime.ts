/**
 * Shared plumbing of CLI commands: building the engine for this process, opening the case named
 * by --case with the passphrase from the environment or a prompt, printing results as JSON or
 * text, and turning errors into exit code 1 with `{"error": {...}}` under --json. Commands on a
 * case are declared through `caseCommand`, which does all of this around the command's body.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { JobProgress } from '../../shared/api';
import { toErrorInfo } from '../../shared/errors';
import { createEngine, type Engine } from '../engine';
import { resolveNativeBinding } from '../engine/store';
import { readPassphrase } from './passphrase';
import { progressPrinter } from './progress';

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
  // A case from an earlier version is upgraded as it opens: its progress goes to stderr.
  await engine.call(
    'case.open',
    { path: resolve(casePath), passphrase },
    { onProgress: progressPrinter(io.stderr) },
  );
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

/** What the body of a case command gets: the engine with the case open, and call options. */
export interface CaseRun {
  engine: Engine;
  /** Aborted by Ctrl-C when the command is `cancellable`; never aborted otherwise. */
  signal: AbortSignal;
  /** Progress lines on stderr. */
  onProgress: (p: JobProgress) => void;
}

export interface CaseCommandSpec<T> {
  run: (c: CaseRun) => Promise<T>;
  /** Text output (without --json). */
  text: (result: T) => string;
  /** Ctrl-C aborts `signal` (with this line on stderr, if given) instead of killing the process. */
  cancellable?: { message?: string };
  /** A result that is a failure by itself (exit code 1), e.g. a broken audit chain. */
  failed?: (result: T) => boolean;
}

/**
 * Completes a command that works on the case named by --case: declares --case and --json, and
 * runs the action: `prepare` (the command's own checks and conversions, before the passphrase is
 * asked, so a bad option fails at once), then opens the case and runs the body it returned,
 * printing the result or the error as `runCommand` does.
 */
export function caseCommand<O extends CommonOptions, A extends unknown[], T>(
  cmd: Command,
  io: Io,
  prepare: (opts: O, ...args: A) => CaseCommandSpec<T>,
): Command {
  return cmd
    .requiredOption('--case <file>', 'path of the case file')
    .option('--json', 'print the result as JSON')
    .action(async (...all: unknown[]) => {
      // Commander passes the arguments, then the options, then the command.
      const opts = all[all.length - 2] as O;
      const args = all.slice(0, -2) as A;
      let spec: CaseCommandSpec<T> | null = null;
      let failed = false;
      await runCommand(
        io,
        opts.json,
        async (engine) => {
          const s = (spec = prepare(opts, ...args));
          await openCaseFor(engine, io, opts.case);
          const result = await withInterrupt(io, s.cancellable, (signal) =>
            s.run({ engine, signal, onProgress: progressPrinter(io.stderr) }),
          );
          failed = s.failed?.(result) ?? false;
          return result;
        },
        (result) => spec?.text(result) ?? '',
      );
      if (failed) process.exitCode = 1;
    });
}

/** Runs `body`; for a cancellable command, Ctrl-C aborts its signal while it runs. */
async function withInterrupt<T>(
  io: Io,
  cancellable: { message?: string } | undefined,
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  if (!cancellable) return body(controller.signal);
  const onSignal = () => {
    if (cancellable.message) io.stderr.write(`\n${cancellable.message}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
  }
}
