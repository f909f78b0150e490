/**
 * `leakscope duplicates|overlap|matches|clusters`: thin adapters over linkage.* (DESIGN.md
 * "Command line contract"). `--json` prints the result document; without it, a readable summary
 * led by the headline or verdict.
 */
import type { Command } from 'commander';
import type {
  ClustersResult,
  DuplicatesResult,
  MatchesResult,
  OverlapResult,
} from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { caseCommand, type CommonOptions, type Io } from '../runtime';

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function kinds(byKey: Record<string, number>): string {
  const e = Object.entries(byKey).sort((a, b) => b[1] - a[1]);
  return e.length ? e.map(([k, n]) => `${k} ${n.toLocaleString('en')}`).join(', ') : 'none';
}

export function duplicatesText(r: DuplicatesResult): string {
  const lines = [`${r.dataset}: ${r.headline}`, `records in shared-key groups: ${kinds(r.byKey)}`];
  if (Object.keys(r.sharedValues).length)
    lines.push(`values shared by too many records to be one person: ${kinds(r.sharedValues)}`);
  if (r.groups.length) {
    lines.push(`groups (${r.groups.length} of ${r.groupsTotal}, largest first):`);
    for (const g of r.groups) {
      const more = g.count > g.ordinals.length ? ', …' : '';
      lines.push(
        `  ${String(g.count).padStart(5)} × ${g.key}  ordinals ${g.ordinals.join(', ')}${more}`,
      );
    }
  }
  return lines.join('\n');
}

export function overlapText(r: OverlapResult): string {
  const lines = r.verdicts.map(
    (v) => `${v.dataset}: ${v.verdict.toUpperCase().replace('_', ' ')} — ${v.text}`,
  );
  lines.push(
    `${r.records.toLocaleString('en')} of ${r.rows.toLocaleString('en')} records (${pct(r.rows ? r.records / r.rows : 0)}) match ${r.against.length ? r.against.join(', ') : 'no other dataset'}`,
  );
  for (const p of r.pairs) {
    lines.push(
      `  vs ${p.b}: ${p.records.toLocaleString('en')} records (${pct(p.share)}), ${p.bRecords.toLocaleString('en')} of its records hit; by key: ${kinds(p.byKey)}`,
    );
  }
  for (const v of r.verdicts) {
    const f = v.figures;
    lines.push(
      `  claimed ${f.claimedRecords.toLocaleString('en')} records, ${f.uniquePeople.toLocaleString('en')} unique people; identical values ${f.identicalShare === null ? 'n/a' : pct(f.identicalShare)} (sample ${f.identicalSample}); NIR consistency ${f.consistencyShare === null ? 'n/a' : pct(f.consistencyShare)}`,
      `  rule: ${v.rule}`,
    );
  }
  if (r.upset) {
    lines.push('people by combination of datasets:');
    for (const u of r.upset.slice(0, 20))
      lines.push(`  ${String(u.people).padStart(9)}  ${u.datasets.join(' + ')}`);
  }
  return lines.join('\n');
}

export function matchesText(r: MatchesResult): string {
  const lines = [`${r.a} vs ${r.b}: ${r.headline}`];
  if (r.blocking) {
    lines.push(
      `blocking rules (${r.blocking.candidatePairs.toLocaleString('en')} candidate pairs, blocks over ${r.blocking.blockCap.toLocaleString('en')} pairs split by refining keys):`,
    );
    for (const b of r.blocking.rules)
      lines.push(
        `  ${b.name.padEnd(28)} ${b.pairs.toLocaleString('en').padStart(12)} pairs  ${b.splitBlocks} split, ${b.skippedBlocks} skipped blocks  (${b.description})`,
      );
  }
  if (r.model)
    lines.push(
      `model: λ = ${r.model.lambda.toFixed(4)}, EM ${r.model.iterations} iterations${r.model.converged ? '' : ' (not converged)'}, term frequency on ${r.model.termFrequency.join(', ')}`,
    );
  if (r.tradeoff.length) {
    lines.push('threshold trade-off (estimated from the model):');
    for (const t of r.tradeoff)
      lines.push(
        `  p ≥ ${t.threshold.toFixed(2)}: ${t.pairs.toLocaleString('en').padStart(10)} pairs, precision ≈ ${pct(t.precision)}, recall ≈ ${pct(t.recall)}${t.threshold === r.threshold ? '  ← used' : ''}`,
      );
  }
  for (const p of r.pairs)
    lines.push(
      `  ${p.a.dataset}#${p.a.ordinal}${p.a.line !== null ? ` (line ${p.a.line})` : ''} ↔ ${p.b.dataset}#${p.b.ordinal}${p.b.line !== null ? ` (line ${p.b.line})` : ''}  ${p.score.toFixed(3)}  ${p.keys.join(' ')}`,
    );
  if (r.pairsTotal > r.pairs.length)
    lines.push(`  … ${r.pairsTotal - r.pairs.length} more (--limit)`);
  return lines.join('\n');
}

export function clustersText(r: ClustersResult): string {
  const lines = [
    `${r.records.toLocaleString('en')} records, ${r.people.toLocaleString('en')} people across ${r.datasets.join(', ')}`,
    'people by combination of datasets:',
    ...r.upset
      .slice(0, 20)
      .map((u) => `  ${String(u.people).padStart(9)}  ${u.datasets.join(' + ')}`),
    `cluster sizes: ${r.sizes.map((s) => `${s.size}: ${s.clusters}`).join(', ')}`,
  ];
  return lines.join('\n');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface DuplicatesOpts extends CommonOptions {
  limit: string;
}
interface OverlapOpts extends CommonOptions {
  against?: string[];
  upset: boolean;
}
interface MatchesOpts extends CommonOptions {
  against: string;
  fuzzy?: boolean;
  threshold?: string;
  limit: string;
}
interface ClustersOpts extends CommonOptions {
  dataset?: string[];
}

function intOption(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new LeakscopeError('E_BAD_INPUT', `--${name} must be a non-negative integer`);
  return n;
}

/** Ctrl-C cancels a linkage job between its steps. */
const CANCELLABLE = { message: 'cancelling...' };

export function registerLinkageCommands(program: Command, io: Io): void {
  caseCommand(
    program
      .command('duplicates')
      .description(
        'exact duplicate records and records sharing a strong identity key, inside one dataset',
      )
      .argument('<dataset>', 'dataset name or numeric id')
      .option('--limit <n>', 'groups to list', '100'),
    io,
    (opts: DuplicatesOpts, dataset: string) => {
      const limit = intOption('limit', opts.limit);
      return {
        run: ({ engine, signal, onProgress }) =>
          engine.call('linkage.duplicates', { dataset, limit }, { signal, onProgress }),
        text: duplicatesText,
        cancellable: CANCELLABLE,
      };
    },
  );

  caseCommand(
    program
      .command('overlap')
      .description(
        'records of a dataset already seen in earlier (or chosen) datasets, by strong identity keys, with the rehash verdict',
      )
      .argument('<dataset>', 'dataset name or numeric id')
      .option(
        '--against <dataset>',
        'compare with this dataset (repeatable; default: every earlier one)',
        collect,
      )
      .option('--no-upset', 'skip the people-by-combination counts across the case'),
    io,
    (opts: OverlapOpts, dataset: string) => ({
      run: ({ engine, signal, onProgress }) =>
        engine.call(
          'linkage.overlap',
          { dataset, upset: opts.upset, ...(opts.against ? { against: opts.against } : {}) },
          { signal, onProgress },
        ),
      text: overlapText,
      cancellable: CANCELLABLE,
    }),
  );

  caseCommand(
    program
      .command('matches')
      .description(
        'record pairs between two datasets (the same one twice to deduplicate): shared keys, or fuzzy person matching',
      )
      .argument('<dataset>', 'dataset name or numeric id')
      .requiredOption('--against <dataset>', 'the other dataset')
      .option('--fuzzy', 'Fellegi-Sunter person matching with blocking, EM and term frequencies')
      .option('--threshold <p>', 'minimum match probability of a fuzzy pair (0–1)')
      .option('--limit <n>', 'pairs to list', '1000'),
    io,
    (opts: MatchesOpts, dataset: string) => {
      const limit = intOption('limit', opts.limit);
      const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
      if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
        throw new LeakscopeError('E_BAD_INPUT', '--threshold must be between 0 and 1');
      return {
        run: ({ engine, signal, onProgress }) =>
          engine.call(
            'linkage.matches',
            {
              dataset,
              against: opts.against,
              fuzzy: opts.fuzzy === true,
              limit,
              ...(threshold !== undefined ? { threshold } : {}),
            },
            { signal, onProgress },
          ),
        text: matchesText,
        cancellable: CANCELLABLE,
      };
    },
  );

  caseCommand(
    program
      .command('clusters')
      .description(
        'build the person view across datasets (union-find of shared keys and fuzzy matches)',
      )
      .option(
        '--dataset <dataset>',
        'restrict to this dataset (repeatable; default: all)',
        collect,
      ),
    io,
    (opts: ClustersOpts) => ({
      run: ({ engine, signal, onProgress }) =>
        engine.call('linkage.clusters', opts.dataset ? { datasets: opts.dataset } : {}, {
          signal,
          onProgress,
        }),
      text: clustersText,
      cancellable: CANCELLABLE,
    }),
  );
}
