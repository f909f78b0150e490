/**
 * `leakscope search rebuild DATASET --case FILE [--json]`: rebuilds the full-text search index of
 * a dataset (the `search.rebuild` method), with progress on stderr; Ctrl-C cancels between
 * transactions (searches then scan until a build completes). Runs in-process, like `query`.
 */
import type { Command } from 'commander';
import type { SearchRebuildResult } from '../../../shared/api';
import { runQueriesInProcess } from '../../engine/query';
import { progressPrinter } from '../progress';
import { openCaseFor, runCommand, type CommonOptions, type Io } from '../runtime';

export function registerSearchCommands(program: Command, io: Io): void {
  const search = program.command('search').description('the full-text search index of a dataset');
  search
    .command('rebuild')
    .description('rebuild the full-text search index of a dataset (cancellable with Ctrl-C)')
    .argument('<dataset>', 'dataset name or id')
    .requiredOption('--case <file>', 'path of the case file')
    .option('--json', 'print the result as JSON')
    .action(async (dataset: string, opts: CommonOptions) => {
      await runCommand(
        io,
        opts.json,
        async (engine) => {
          runQueriesInProcess(true);
          await openCaseFor(engine, io, opts.case);
          const controller = new AbortController();
          const onSignal = () => controller.abort();
          process.once('SIGINT', onSignal);
          try {
            return await engine.call(
              'search.rebuild',
              { dataset },
              { signal: controller.signal, onProgress: progressPrinter(io.stderr) },
            );
          } finally {
            process.off('SIGINT', onSignal);
          }
        },
        (r: SearchRebuildResult) =>
          `search index of ${JSON.stringify(r.dataset)} rebuilt: ${r.rows.toLocaleString('en')} records in ${r.seconds.toFixed(1)} s (${r.transactions} transactions, longest ${Math.round(r.longestTransactionMs)} ms)`,
      );
    });
}
