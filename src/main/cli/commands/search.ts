/**
 * `leakscope search rebuild DATASET --case FILE [--json]`: rebuilds the full-text search index of
 * a dataset (the `search.rebuild` method), with progress on stderr; Ctrl-C cancels between
 * transactions (searches then scan until a build completes). Runs in-process, like `query`.
 */
import type { Command } from 'commander';
import type { SearchRebuildResult } from '../../../shared/api';
import { runQueriesInProcess } from '../../engine/query';
import { caseCommand, type CommonOptions, type Io } from '../runtime';

export function registerSearchCommands(program: Command, io: Io): void {
  const search = program.command('search').description('the full-text search index of a dataset');
  caseCommand(
    search
      .command('rebuild')
      .description('rebuild the full-text search index of a dataset (cancellable with Ctrl-C)')
      .argument('<dataset>', 'dataset name or id'),
    io,
    (_opts: CommonOptions, dataset: string) => {
      runQueriesInProcess(true);
      return {
        run: ({ engine, signal, onProgress }) =>
          engine.call('search.rebuild', { dataset }, { signal, onProgress }),
        text: (r: SearchRebuildResult) =>
          `search index of ${JSON.stringify(r.dataset)} rebuilt: ${r.rows.toLocaleString('en')} records in ${r.seconds.toFixed(1)} s (${r.transactions} transactions, longest ${Math.round(r.longestTransactionMs)} ms)`,
        cancellable: {},
      };
    },
  );
}
