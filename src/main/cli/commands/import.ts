/** `leakscope import FILE` and `leakscope datasets`. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { DatasetSummary, ImportRequest } from '../../../shared/api';
import { EncodingName, FormatId } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { caseCommand, type CommonOptions, type Io } from '../runtime';

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
  caseCommand(
    program
      .command('import')
      .description(
        'import a dump file (CSV/TSV, NDJSON, JSON, SQL dump, combolist, XLSX; .gz/.zip) into the case',
      )
      .argument('<file>', 'the file to import (read only, never modified)')
      .option('--name <name>', 'dataset name (default: the file name without extensions)')
      .option('--format <format>', 'auto|csv|ndjson|json|sql|combo|xlsx', 'auto')
      .option('--encoding <name>', 'auto|utf-8|utf-16le|utf-16be|iso-8859-1|windows-1252', 'auto')
      .option('--schema <file>', 'SQL schema file giving the column names of a data-only SQL dump'),
    io,
    (opts: ImportOpts, file: string) => {
      const input: ImportRequest = {
        path: file,
        format: optionValue(FormatId, 'format', opts.format, opts.format),
        encoding: optionValue(
          EncodingName,
          'encoding',
          normaliseEncoding(opts.encoding),
          opts.encoding,
        ),
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.schema ? { schema: resolve(opts.schema) } : {}),
      };
      return {
        run: ({ engine, signal, onProgress }) =>
          engine.call('import.run', input, { signal, onProgress }),
        text: (r) => [r.message, ...r.datasets.map(datasetLine)].join('\n'),
        cancellable: { message: 'cancelling the import...' },
      };
    },
  );

  caseCommand(
    program.command('datasets').description('list the datasets of a case with their provenance'),
    io,
    () => ({
      run: ({ engine }) => engine.call('datasets.list', {}),
      text: (r) => (r.datasets.length ? r.datasets.map(datasetLine).join('\n') : 'no datasets yet'),
    }),
  );
}

/** `auto`, or a value of the option's schema; anything else is a bad input. */
function optionValue<T extends string>(
  schema: z.ZodType<T>,
  option: string,
  value: string,
  given: string,
): T | 'auto' {
  if (value === 'auto') return 'auto';
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new LeakscopeError('E_BAD_INPUT', `unknown ${option} ${given}`);
  return parsed.data;
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
