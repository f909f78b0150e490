/**
 * `leakscope serve [--case FILE] [--port N]`: the loopback bridge for a browser (the headless
 * analysis box). Prints the page URL, token included, as the only line on stdout; runs until
 * SIGINT/SIGTERM, then closes the case.
 *
 * - With --case the case is opened here (passphrase from LEAKSCOPE_PASSPHRASE or a prompt) and
 *   the page can only use (and, after a lock, re-open) that case.
 * - Without --case the page offers to create or open a case by typing a path on THIS machine.
 *   Trust model: the token holder is the operator who started `serve` on this machine, so the
 *   page may name any file this process can read or write, exactly as the CLI could. The token
 *   is the secret: it is printed only on this process's stdout, never logged.
 *
 * The bridge serves the built renderer: out/renderer, or LEAKSCOPE_RENDERER_DIR when set (a
 * packaged layout, tests). It is not built on the fly (that would need the whole Vite toolchain
 * at run time): a missing build is a clear error naming `npm run build`. Plain Node; never
 * imports electron.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { LeakscopeError, toErrorInfo } from '../../../shared/errors';
import { startBridge } from '../../web';
import { makeEngine, openCaseFor, REPO_ROOT, type Io } from '../runtime';

export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');

interface ServeOptions {
  case?: string;
  port: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `--port must be an integer from 0 to 65535, not ${value}`,
    );
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveSignal(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function registerServeCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description(
      'serve the user interface to a browser on 127.0.0.1 (prints the URL with its access token)',
    )
    .option('--case <file>', 'open this case and serve only it')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', '0')
    .action(async (opts: ServeOptions) => {
      const engine = makeEngine();
      try {
        const port = parsePort(opts.port);
        const rendererDir = io.env['LEAKSCOPE_RENDERER_DIR']
          ? resolve(io.env['LEAKSCOPE_RENDERER_DIR'])
          : RENDERER_DIR;
        if (!existsSync(join(rendererDir, 'index.html'))) {
          throw new LeakscopeError(
            'E_NOT_FOUND',
            `the user interface is not built (no ${rendererDir}): run \`npm run build\` first`,
          );
        }
        const fixedCasePath = opts.case ? resolve(opts.case) : undefined;
        if (fixedCasePath) await openCaseFor(engine, io, fixedCasePath);
        const bridge = await startBridge({
          engine,
          port,
          rendererDir,
          ...(fixedCasePath ? { fixedCasePath } : {}),
        });
        io.stdout.write(`${bridge.url}\n`);
        io.stderr.write(
          `leakscope: serving ${fixedCasePath ?? 'without a case'} on ${bridge.origin} ` +
            '(loopback only); open the URL above. Ctrl+C stops and closes the case.\n',
        );
        const signal = await untilSignal();
        io.stderr.write(`leakscope: ${signal}, closing the case\n`);
        await bridge.close();
        process.exitCode = 0;
      } catch (e) {
        io.stderr.write(`leakscope: ${toErrorInfo(e).message}\n`);
        process.exitCode = 1;
      } finally {
        engine.close();
      }
    });
}
