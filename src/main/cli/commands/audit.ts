/** `leakscope audit verify|list`. */
import type { Command } from 'commander';
import { caseCommand, type CommonOptions, type Io } from '../runtime';

export function registerAuditCommands(program: Command, io: Io): void {
  const cmd = program.command('audit').description('the hash-chained audit log of a case');

  caseCommand(
    cmd
      .command('verify')
      .description('recompute the audit hash chain and name the first broken entry'),
    io,
    () => ({
      run: ({ engine }) => engine.call('audit.verify', {}),
      text: (r) =>
        r.ok
          ? `audit log intact: ${r.entries} entries verified`
          : `AUDIT LOG BROKEN at entry ${r.firstBroken}: ${r.reason}`,
      failed: (r) => !r.ok,
    }),
  );

  caseCommand(
    cmd
      .command('list')
      .description('print audit entries in order')
      .option('--after <seq>', 'start after this entry', '0')
      .option('--limit <n>', 'at most this many entries', '100'),
    io,
    (opts: CommonOptions & { after: string; limit: string }) => ({
      run: ({ engine }) =>
        engine.call('audit.list', { afterSeq: Number(opts.after), limit: Number(opts.limit) }),
      text: (r) =>
        r.entries
          .map((e) => `${e.seq}\t${e.at}\t${e.action}\t${JSON.stringify(e.params)}`)
          .join('\n'),
    }),
  );
}
