/** `leakscope import FILE` and `leakscope datasets`. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DatasetSummary, ImportRequest } from '../../../shared/api';
import { EncodingName, FormatId } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { progressPrinter } from '../progress';
import { openCaseFor, runCommand, type CommonOptions, type Io } from '../runtime';

function datasetLine(d: DatasetSummary): string {
  const state = d.complete ? 'complete' : d.status;
  return `${d.name}\t${d.rows} rows\t${d.rejected} rejected\t${d.format}${d.encoding ? `/${d.encoding}` : ''}\t${state}\tsha256 ${d.sha256 ?? '-'}\t${d.columns.length} columns`;
}

interface ImportOpts extends CommonOptions {
  name?: string;
  schema?: string;
  format: string;
  encoding: string;
}

export function registerImportCommands(program: Command, io: Io): void {
  program
    .command('import')
    .description(
      'import a dump file (CSV/TSV, NDJSON, JSON, SQL dump, combolist, XLSX; .gz/.zip) into the case',
    )
    .argument('<file>', 'the file to import (read only, never modified)')
    .requiredOption('--case <file>', 'path of the case file')
    .option('--name <name>', 'dataset name (default: the file name without extensions)')
    .option('--format <format>', 'auto|csv|ndjson|json|sql|combo|xlsx', 'auto')
    .option('--encoding <name>', 'auto|utf-8|utf-16le|utf-16be|iso-8859-1|windows-1252', 'auto')
    .option('--schema <file>', 'SQL schema file giving the column names of a data-only SQL dump')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: ImportOpts) => {
      await runCommand(
        io,
        opts.json,
        async (engine) => {
          const format = opts.format === 'auto' ? 'auto' : FormatId.safeParse(opts.format);
          const encoding =
            opts.encoding === 'auto'
              ? 'auto'
              : EncodingName.safeParse(normaliseEncoding(opts.encoding));
          if (format !== 'auto' && !format.success)
            throw new LeakscopeError('E_BAD_INPUT', `unknown format ${opts.format}`);
          if (encoding !== 'auto' && !encoding.success)
            throw new LeakscopeError('E_BAD_INPUT', `unknown encoding ${opts.encoding}`);
          await openCaseFor(engine, io, opts.case);
          const controller = new AbortController();
          const onSignal = () => {
            io.stderr.write('\ncancelling the import...\n');
            controller.abort();
          };
          process.once('SIGINT', onSignal);
          try {
            const input: ImportRequest = {
              path: file,
              format: format === 'auto' ? 'auto' : format.data,
              encoding: encoding === 'auto' ? 'auto' : encoding.data,
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.schema ? { schema: resolve(opts.schema) } : {}),
            };
            return await engine.call('import.run', input, {
              signal: controller.signal,
              onProgress: progressPrinter(io.stderr),
            });
          } finally {
            process.off('SIGINT', onSignal);
          }
        },
        (r) => [r.message, ...r.datasets.map(datasetLine)].join('\n'),
      );
    });

  program
    .command('datasets')
    .description('list the datasets of a case with their provenance')
    .requiredOption('--case <file>', 'path of the case file')
    .option('--json', 'print the result as JSON')
    .action(async (opts: CommonOptions) => {
      await runCommand(
        io,
        opts.json,
        async (engine) => {
          await openCaseFor(engine, io, opts.case);
          return engine.call('datasets.list', {});
        },
        (r) => (r.datasets.length ? r.datasets.map(datasetLine).join('\n') : 'no datasets yet'),
      );
    });
}

/** Accepts the usual spellings: latin1, iso8859-1, cp1252, utf8, utf16le... */
export function normaliseEncoding(name: string): string {
  const n = name.toLowerCase().replace(/[_\s]/g, '-');
  const aliases: Record<string, string> = {
    utf8: 'utf-8',
    latin1: 'iso-8859-1',
    'latin-1': 'iso-8859-1',
    'iso8859-1': 'iso-8859-1',
    cp1252: 'windows-1252',
    'win-1252': 'windows-1252',
    utf16le: 'utf-16le',
    utf16be: 'utf-16be',
  };
  return aliases[n] ?? n;
}
