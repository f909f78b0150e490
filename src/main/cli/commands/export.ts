/**
 * `leakscope export DATASET` (DESIGN.md: → {"out","format","rows","sha256"}, plus bytes,
 * manifest path, description, warnings) and `leakscope policy list|show|import|export`.
 *
 * `--policy` takes a policy name (built-in or saved in the case) or a policy JSON file; the file
 * is read here and passed inline, so it is validated by the same schema as a saved one. A refused
 * export (verification found a value the policy forbids) exits 1 with the reason; nothing is
 * left on disk.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { ExportRequest, ExportResult } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { parseFilterJson } from '../../../shared/filter';
import { caseCommand, type CommonOptions, type Io } from '../runtime';
import { parseSort } from './query';

interface ExportOpts extends CommonOptions {
  format: string;
  out: string;
  policy?: string;
  filter?: string;
  search?: string;
  session?: string;
  sort: string[];
  delimiter?: string;
  bom?: boolean;
  sample?: string;
  overwrite?: boolean;
}

const FORMATS = ['csv', 'ndjson', 'xlsx', 'html'] as const;

function delimiterOf(v: string | undefined): ',' | ';' | '\t' | '|' {
  if (v === undefined) return ',';
  if (v === 'tab' || v === '\\t' || v === '\t') return '\t';
  if (v === ',' || v === ';' || v === '|') return v;
  throw new LeakscopeError('E_BAD_INPUT', '--delimiter must be , ; | or tab');
}

/** A policy name, or the parsed content of a policy file when the argument names a file. */
export function policyArgument(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  if (existsSync(v) && statSync(v).isFile()) {
    try {
      return JSON.parse(readFileSync(v, 'utf8')) as unknown;
    } catch (e) {
      throw new LeakscopeError('E_BAD_INPUT', `${v} is not a JSON policy: ${(e as Error).message}`);
    }
  }
  return v;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerExportCommands(program: Command, io: Io): void {
  caseCommand(
    program
      .command('export')
      .description(
        'export a dataset, a filtered subset or a saved session through a redaction policy; the file is verified before it is kept',
      )
      .argument('[dataset]', 'dataset name or id (optional with --session)')
      .requiredOption('--format <format>', 'csv|ndjson|xlsx|html')
      .requiredOption('--out <file>', 'file to write')
      .option('--policy <name|file>', 'policy name or policy JSON file', 'share-with-authority')
      .option('--filter <json>', 'filter (JSON filter AST)')
      .option('--search <text>', 'full-text search')
      .option('--session <name>', 'a saved session: its dataset, filter, search and sort')
      .option('--sort <col[:desc]>', 'sort key (repeatable, up to 3)', collect, [])
      .option('--delimiter <char>', 'CSV delimiter: , ; | or tab', ',')
      .option('--bom', 'CSV: start with a UTF-8 byte-order mark (Excel)')
      .option('--sample <n>', 'HTML report: number of redacted records to show', '0')
      .option('--overwrite', 'replace an existing file'),
    io,
    (opts: ExportOpts, dataset: string | undefined) => {
      const request = exportRequest(opts, dataset);
      return {
        run: async ({ engine, signal, onProgress }) => {
          const r: ExportResult = await engine.call('export.run', request, { signal, onProgress });
          return {
            out: r.out,
            format: r.format,
            rows: r.rows,
            sha256: r.sha256,
            bytes: r.bytes,
            manifest: r.manifestPath,
            verified: r.verified,
            policy: r.manifest.policy.name,
            description: r.description,
            warnings: r.warnings,
            seconds: Math.round(r.seconds * 100) / 100,
          };
        },
        text: (r) =>
          [
            `${r.out}: ${r.rows.toLocaleString('en')} records (${r.description}), ${r.format}, policy ${r.policy}, verified`,
            `sha256 ${r.sha256}`,
            ...(r.manifest ? [`manifest ${r.manifest}`] : []),
            ...r.warnings.map((w) => `warning: ${w}`),
          ].join('\n'),
        cancellable: { message: 'cancelling the export...' },
      };
    },
  );

  const policy = program
    .command('policy')
    .description('redaction policies: list, show, import, export');
  caseCommand(policy.command('list'), io, () => ({
    run: ({ engine }) => engine.call('policy.list', {}),
    text: (r) =>
      r.policies
        .map((p) => `${p.name}${p.builtIn ? ' (built-in)' : ''}\t${p.output}\t${p.description}`)
        .join('\n'),
  }));
  caseCommand(
    policy.command('show').argument('<name>', 'policy name'),
    io,
    (_opts: CommonOptions, name: string) => ({
      run: ({ engine }) => engine.call('policy.get', { name }),
      text: (r) => r.text,
    }),
  );
  caseCommand(
    policy
      .command('import')
      .argument('<file>', 'policy JSON file')
      .option('--overwrite', 'replace a saved policy of the same name'),
    io,
    (opts: CommonOptions & { overwrite?: boolean }, file: string) => ({
      run: ({ engine }) =>
        engine.call('policy.import', { path: file, overwrite: opts.overwrite === true }),
      text: (r) => `${r.created ? 'saved' : 'replaced'} policy ${r.name}`,
    }),
  );
  caseCommand(
    policy
      .command('export')
      .argument('<name>', 'policy name')
      .requiredOption('--out <file>', 'JSON file to write')
      .option('--overwrite', 'replace an existing file'),
    io,
    (opts: CommonOptions & { out: string; overwrite?: boolean }, name: string) => ({
      run: ({ engine }) =>
        engine.call('policy.export', { name, path: opts.out, overwrite: opts.overwrite === true }),
      text: (r) => `wrote ${r.path} (${r.bytes} bytes)`,
    }),
  );
}

/** The export request the options describe; checked before the passphrase is asked. */
function exportRequest(opts: ExportOpts, dataset: string | undefined): ExportRequest {
  if (!(FORMATS as readonly string[]).includes(opts.format)) {
    throw new LeakscopeError('E_BAD_INPUT', `--format must be one of ${FORMATS.join(', ')}`);
  }
  if (opts.filter !== undefined && opts.session !== undefined) {
    throw new LeakscopeError('E_BAD_INPUT', 'give --filter or --session, not both');
  }
  let filter;
  if (opts.filter !== undefined) {
    const parsed = parseFilterJson(opts.filter);
    if (!parsed.ok) throw new LeakscopeError('E_BAD_INPUT', `--filter: ${parsed.message}`);
    filter = parsed.filter;
  }
  const sample = Number(opts.sample ?? '0');
  if (!Number.isInteger(sample) || sample < 0 || sample > 1000) {
    throw new LeakscopeError('E_BAD_INPUT', '--sample must be an integer from 0 to 1000');
  }
  return {
    format: opts.format as (typeof FORMATS)[number],
    out: opts.out,
    // An explicit --policy wins; with --session and the default, the session's policy.
    policy:
      opts.session !== undefined && opts.policy === 'share-with-authority'
        ? undefined
        : policyArgument(opts.policy),
    csv: { delimiter: delimiterOf(opts.delimiter), bom: opts.bom === true },
    includeSample: sample,
    overwrite: opts.overwrite === true,
    sort: opts.sort.map(parseSort),
    ...(dataset !== undefined ? { dataset } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(opts.search !== undefined ? { search: opts.search } : {}),
    ...(opts.session !== undefined ? { session: opts.session } : {}),
  };
}
