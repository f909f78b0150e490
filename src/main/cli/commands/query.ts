/**
 * `leakscope query DATASET`: one page of records under a filter (JSON filter AST), a full-text
 * search and a sort; `--after CURSOR` gives the next page. With --json, DESIGN.md's shape
 * {"rows":[{"id","ordinal","line","values"}],"total","totalExact","cursor"} (plus description,
 * searchMode, notes); otherwise a table sized to the terminal.
 *
 * The CLI runs one query and exits, so it runs it in-process (no worker thread to start).
 */
import type { Command } from 'commander';
import type { RowsQueryInput, RowsQueryResult, SortKey } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { parseFilterJson } from '../../../shared/filter';
import { runQueriesInProcess } from '../../engine/query';
import { caseCommand, type CommonOptions, type Io } from '../runtime';

interface QueryOpts extends CommonOptions {
  filter?: string;
  search?: string;
  sort: string[];
  limit: string;
  after?: string;
  count: string;
}

/** `COL`, `COL:desc` or `COL:asc` (the suffix is optional; a column name may hold colons). */
export function parseSort(spec: string): SortKey {
  const m = /^(.*):(asc|desc)$/i.exec(spec);
  const column = m ? m[1]! : spec;
  if (!column) throw new LeakscopeError('E_BAD_INPUT', `--sort needs a column name: ${spec}`);
  return { column, desc: m ? m[2]!.toLowerCase() === 'desc' : false };
}

function cell(v: string | number | null, width: number): string {
  const s = v === null ? '' : String(v).replace(/[\r\n\t]+/g, ' ');
  return s.length > width ? `${s.slice(0, Math.max(1, width - 1))}…` : s.padEnd(width);
}

/** A plain-text table: id, line, then as many columns as fit the terminal. */
export function renderTable(r: RowsQueryResult, width = 160): string {
  const lines = [r.description];
  const names = r.rows.length ? Object.keys(r.rows[0]!.values) : [];
  if (r.rows.length === 0) lines.push('no records');
  else {
    type Row = RowsQueryResult['rows'][number];
    const fixed = [
      { name: 'id', get: (x: Row): string | number | null => x.id },
      { name: 'line', get: (x: Row): string | number | null => x.line },
    ];
    const cols = [
      ...fixed.map((f) => ({
        name: f.name,
        get: f.get,
        width: Math.max(f.name.length, ...r.rows.map((x) => String(f.get(x) ?? '').length)),
      })),
    ];
    let used = cols.reduce((n, c) => n + c.width + 2, 0);
    let hidden = 0;
    for (const name of names) {
      const natural = Math.max(name.length, ...r.rows.map((x) => (x.values[name] ?? '').length));
      const w = Math.min(natural, 28);
      if (used + w + 2 > width) {
        hidden++;
        continue;
      }
      used += w + 2;
      cols.push({ name, get: (x) => x.values[name] ?? null, width: w });
    }
    lines.push(
      cols
        .map((c) => cell(c.name, c.width))
        .join('  ')
        .trimEnd(),
    );
    lines.push(cols.map((c) => '-'.repeat(c.width)).join('  '));
    for (const row of r.rows)
      lines.push(
        cols
          .map((c) => cell(c.get(row), c.width))
          .join('  ')
          .trimEnd(),
      );
    if (hidden)
      lines.push(`(${hidden} more column${hidden === 1 ? '' : 's'} not shown: use --json)`);
  }
  const total =
    r.total < 0 ? '' : ` of ${r.total.toLocaleString('en')}${r.totalExact ? '' : ' (estimate)'}`;
  lines.push(`${r.rows.length} record${r.rows.length === 1 ? '' : 's'}${total}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.cursor) lines.push(`next page: --after ${r.cursor}`);
  return lines.join('\n');
}

export function registerQueryCommand(program: Command, io: Io): void {
  caseCommand(
    program
      .command('query')
      .description(
        'show records of a dataset under a filter, a full-text search and a sort, a page at a time',
      )
      .argument('<dataset>', 'dataset name or id')
      .option(
        '--filter <json>',
        'filter AST as JSON, e.g. {"column":"email","op":"endsWith","value":"@orange.fr"}',
      )
      .option('--search <text>', 'words to find anywhere in a record (any case or accents)')
      .option(
        '--sort <col[:desc]>',
        'sort column, repeatable',
        (v: string, prev: string[]) => [...prev, v],
        [],
      )
      .option('--limit <n>', 'records per page (1-1000)', '100')
      .option('--after <cursor>', 'cursor printed by the previous page')
      .option('--count <mode>', 'auto|exact|none: how to compute the total', 'auto'),
    io,
    (opts: QueryOpts, dataset: string) => {
      const input: RowsQueryInput = {
        dataset,
        sort: opts.sort.map(parseSort),
        limit: Number(opts.limit),
        countMode: opts.count as RowsQueryInput['countMode'],
      };
      if (opts.filter !== undefined) {
        const f = parseFilterJson(opts.filter);
        if (!f.ok) throw new LeakscopeError('E_BAD_INPUT', f.message);
        input.filter = f.filter;
      }
      if (opts.search !== undefined) input.search = opts.search;
      if (opts.after !== undefined) input.cursor = opts.after;
      runQueriesInProcess(true);
      return {
        run: ({ engine, signal }) => engine.call('rows.query', input, { signal }),
        text: (r) => renderTable(r, io.stdout.columns ?? 160),
        cancellable: {},
      };
    },
  );
}
