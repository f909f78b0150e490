/**
 * `leakscope session save|list|show|delete|rename|duplicate|check|export|import` (DESIGN.md
 * "Command line contract"; issue 8). Thin: options become a session draft or a file's JSON, the
 * engine does the rest. Exported files are written here (the engine returns the document).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import type {
  MethodInput,
  MethodOutput,
  OpenedSession,
  SessionCheck,
  SessionInfo,
} from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { parseFilterJson } from '../../../shared/filter';
import { parseSortText, SESSION_FILE_FORMAT } from '../../../shared/session';
import { caseCommand, type CommonOptions, type Io } from '../runtime';

interface SaveOpts extends CommonOptions {
  dataset: string;
  filter?: string;
  search?: string;
  sort?: string;
  policy?: string;
  notes?: string;
  overwrite?: boolean;
}

interface ExportOpts extends CommonOptions {
  out: string;
  flags: boolean;
}

interface ImportOpts extends CommonOptions {
  name?: string;
  overwrite?: boolean;
  flags: boolean;
  dryRun?: boolean;
}

function infoLine(s: SessionInfo): string {
  const rows = s.rows === null ? '-' : `${s.rows} rows`;
  return `${s.name}\t${s.updatedAt}\t${s.views} view${s.views === 1 ? '' : 's'}\t${rows}\t${s.datasets.join(', ')}`;
}

function openedText(s: OpenedSession): string {
  const lines = [
    `session   ${s.name}`,
    `saved     ${s.document.savedAt}${s.document.app ? ` (Leakscope ${s.document.app})` : ''}`,
    `updated   ${s.updatedAt}`,
    ...(s.upgradedFrom !== null ? [`format    upgraded from version ${s.upgradedFrom}`] : []),
    ...s.matches.map(
      (m) => `dataset   ${m.saved.name} -> ${m.local ? `${m.local.name} (by ${m.by})` : 'MISSING'}`,
    ),
    s.description,
    ...s.warnings.map((w) => `warning: ${w}`),
  ];
  return lines.join('\n');
}

function checkText(c: SessionCheck): string {
  return c.message;
}

type ByNameMethod = 'session.get' | 'session.delete' | 'session.check';

/** A subcommand that takes one session name and prints the engine's answer for it. */
function byName<M extends ByNameMethod>(
  cmd: Command,
  io: Io,
  method: M,
  verb: string,
  description: string,
  text: (r: MethodOutput<M>) => string,
): void {
  caseCommand(
    cmd.command(verb).description(description).argument('<name>', 'session name'),
    io,
    (_opts: CommonOptions, name: string) => ({
      run: ({ engine }) => engine.call(method, { name } as MethodInput<M>),
      text,
    }),
  );
}

function parseFilterOption(text: string | undefined) {
  if (text === undefined) return null;
  const parsed = parseFilterJson(text);
  if (!parsed.ok) throw new LeakscopeError('E_BAD_INPUT', parsed.message);
  return parsed.filter;
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new LeakscopeError('E_IO', `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `${path} is not a session file: not valid JSON (${(e as Error).message})`,
    );
  }
}

export function registerSessionCommands(program: Command, io: Io): void {
  const cmd = program
    .command('session')
    .description('saved query sessions: save, list, show, check, export to and import from files');

  caseCommand(
    cmd
      .command('save')
      .description(
        'save a view of a dataset (filter, search, sort) under a name, with its fingerprint',
      )
      .argument('<name>', 'session name')
      .requiredOption('--dataset <dataset>', 'dataset name or id')
      .option('--filter <json>', 'filter AST as JSON (see DESIGN.md "Filters")')
      .option('--search <text>', 'full-text search')
      .option('--sort <col[:desc]>', 'sort column(s), e.g. nom:desc or nom,prenom')
      .option('--policy <name>', 'redaction policy applied to exports of this session')
      .option('--notes <text>', 'free-text notes')
      .option('--overwrite', 'replace a session of the same name'),
    io,
    (opts: SaveOpts, name: string) => {
      const filter = parseFilterOption(opts.filter);
      const sort = parseSortText(opts.sort);
      return {
        run: ({ engine }) =>
          engine.call('session.save', {
            name,
            overwrite: opts.overwrite ?? false,
            session: {
              views: [{ dataset: opts.dataset, filter, search: opts.search ?? null, sort }],
              redactionPolicy: opts.policy ?? null,
              notes: opts.notes ?? '',
            },
          }),
        text: (s) => `${s.created ? 'saved' : 'replaced'}\n${openedText(s)}`,
      };
    },
  );

  caseCommand(
    cmd.command('list').description('list the saved sessions, most recently updated first'),
    io,
    () => ({
      run: ({ engine }) => engine.call('session.list', {}),
      text: (r) => (r.sessions.length ? r.sessions.map(infoLine).join('\n') : 'no sessions yet'),
    }),
  );

  byName(
    cmd,
    io,
    'session.get',
    'show',
    'show a saved session and where its datasets are in this case',
    openedText,
  );
  byName(
    cmd,
    io,
    'session.delete',
    'delete',
    'delete a saved session (records, tags and notes are kept)',
    (r) => `deleted ${r.name}`,
  );

  for (const verb of ['rename', 'duplicate'] as const) {
    caseCommand(
      cmd
        .command(verb)
        .description(verb === 'rename' ? 'rename a saved session' : 'copy a saved session')
        .argument('<name>', 'session name')
        .argument('<to>', 'new name'),
      io,
      (_opts: CommonOptions, name: string, to: string) => ({
        run: ({ engine }) => engine.call(`session.${verb}`, { name, to }),
        text: infoLine,
      }),
    );
  }

  byName(
    cmd,
    io,
    'session.check',
    'check',
    'recompute the result of a session and say whether it changed since it was saved',
    checkText,
  );

  caseCommand(
    cmd
      .command('export')
      .description('write a session to a JSON file a colleague can import (with tags and notes)')
      .argument('<name>', 'session name')
      .requiredOption('--out <file>', 'JSON file to write')
      .option('--no-flags', 'leave out the tags and notes on records'),
    io,
    (opts: ExportOpts, name: string) => ({
      run: async ({ engine }) => {
        const file = await engine.call('session.export', { name, flags: opts.flags });
        const out = resolve(opts.out);
        try {
          writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
        } catch (e) {
          throw new LeakscopeError('E_IO', `cannot write ${out}: ${(e as Error).message}`);
        }
        return {
          out,
          name: file.name,
          datasets: file.session.datasets.map((d) => ({ name: d.name, sha256: d.sha256 })),
          flaggedRecords: file.flags.reduce((n, f) => n + f.records.length, 0),
        };
      },
      text: (r) => `wrote session ${r.name} to ${r.out} (${r.flaggedRecords} marked records)`,
    }),
  );

  caseCommand(
    cmd
      .command('import')
      .description('import a session file; datasets are found by their source SHA-256')
      .argument('<file>', 'session JSON file')
      .option('--name <name>', 'save under this name (default: the name in the file)')
      .option('--overwrite', 'replace a session of the same name')
      .option('--no-flags', 'do not apply the tags and notes the file carries')
      .option('--dry-run', 'only say which datasets are found and which are missing'),
    io,
    (opts: ImportOpts, path: string) => {
      const file = readJsonFile(path);
      // A bare session document has no name of its own: use the file's.
      const named =
        file !== null &&
        typeof file === 'object' &&
        (file as { format?: unknown }).format === SESSION_FILE_FORMAT;
      const name = opts.name ?? (named ? undefined : basename(path, extname(path)));
      return {
        run: ({ engine }) =>
          engine.call('session.import', {
            file,
            ...(name ? { name } : {}),
            overwrite: opts.overwrite ?? false,
            flags: opts.flags,
            dryRun: opts.dryRun ?? false,
          }),
        text: (r) => r.message,
      };
    },
  );
}
