/**
 * `leakscope profile DATASET`: the stored profile of a dataset (every import profiles its
 * datasets), or a fresh one with --refresh or when none is stored. `--json` prints DESIGN.md's
 * profile document; without it, one line per column and the sensitivity summary.
 */
import type { Command } from 'commander';
import type { DatasetProfile } from '../../../shared/api';
import { caseCommand, type CommonOptions, type Io } from '../runtime';

interface ProfileOpts extends CommonOptions {
  refresh?: boolean;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function profileText(p: DatasetProfile): string {
  const lines = [`${p.dataset}: ${p.rows.toLocaleString('en')} rows, ${p.columns.length} columns`];
  const width = Math.min(28, Math.max(6, ...p.columns.map((c) => c.name.length)));
  for (const c of p.columns) {
    const kinds = c.pii.length
      ? c.pii
          .map(
            (f) =>
              `${f.kind}${f.scheme ? ` (${f.scheme})` : ''} ${pct(f.confidence)} conf, ${pct(f.share)} of values`,
          )
          .join('; ')
      : 'no personal data found';
    const flags = [c.ambiguous ? 'AMBIGUOUS' : '', c.mixed ? 'MIXED' : '']
      .filter(Boolean)
      .join(' ');
    const type =
      c.type === 'date' || c.type === 'datetime' ? `${c.type} ${c.dateFormat ?? ''}` : c.type;
    lines.push(
      `  ${c.name.padEnd(width)}  ${type.padEnd(18)} ${String(c.nonEmpty).padStart(9)} filled ${String(c.distinct).padStart(9)}${c.distinctExact ? '' : '~'} distinct  ${kinds}${flags ? `  [${flags}]` : ''}`,
    );
  }
  const s = p.summary;
  lines.push(
    '',
    `sensitivity: ${s.sensitivity.level.toUpperCase()}${s.sensitivity.reasons.length ? ` (${s.sensitivity.reasons.join('; ')})` : ''}`,
  );
  for (const sc of s.sensitivity.specialCategories)
    lines.push(`  ${sc.category}: ${sc.evidence} [${sc.columns.join(', ')}]`);
  if (s.inventory.length) {
    lines.push('inventory:');
    for (const i of s.inventory)
      lines.push(
        `  ${i.kind.padEnd(18)} ${String(i.records).padStart(9)} records (${pct(i.share)})  ${i.columns.join(', ')}`,
      );
  }
  if (s.consistency) {
    const c = s.consistency;
    lines.push(`NIR consistency (${c.nirColumn}): ${c.verdict}, ${pct(c.share)} — ${c.note}`);
    for (const k of c.checks) {
      lines.push(
        `  ${k.field.padEnd(12)} vs ${k.column}: ${k.agree}/${k.checked} agree (${pct(k.share)}${k.chance !== null ? `, ${pct(k.chance)} by chance` : ''})`,
      );
    }
  }
  return lines.join('\n');
}

export function registerProfileCommand(program: Command, io: Io): void {
  caseCommand(
    program
      .command('profile')
      .description('column statistics, PII kinds and sensitivity of a dataset')
      .argument('<dataset>', 'dataset name or numeric id')
      .option('--refresh', 'profile again even when a stored profile exists'),
    io,
    (opts: ProfileOpts, dataset: string) => ({
      run: async ({ engine, onProgress }) => {
        const stored = opts.refresh ? null : await engine.call('profile.get', { dataset });
        return stored ?? (await engine.call('profile.run', { dataset }, { onProgress }));
      },
      text: profileText,
    }),
  );
}
