/** `leakscope audit verify|list`. */
import type { Command } from 'commander';
import { openCaseFor, runCommand, type CommonOptions, type Io } from '../runtime';

export function registerAuditCommands(program: Command, io: Io): void {
  const cmd = program.command('audit').description('the hash-chained audit log of a case');

  cmd
    .command('verify')
    .description('recompute the audit hash chain and name the first broken entry')
    .requiredOption('--case <file>', 'path of the case file')
    .option('--json', 'print the result as JSON')
    .action(async (opts: CommonOptions) => {
      await runCommand(
        io,
        opts.json,
        async (engine) => {
          await openCaseFor(engine, io, opts.case);
          const result = await engine.call('audit.verify', {});
          if (!result.ok) process.exitCode = 1;
          return result;
        },
        (r) =>
          r.ok
            ? `audit log intact: ${r.entries} entries verified`
            : `AUDIT LOG BROKEN at entry ${r.firstBroken}: ${r.reason}`,
      );
    });

  cmd
    .command('list')
    .description('print audit entries in order')
    .requiredOption('--case <file>', 'path of the case file')
    .option('--after <seq>', 'start after this entry', '0')
    .option('--limit <n>', 'at most this many entries', '100')
    .option('--json', 'print the result as JSON')
    .action(async (opts: CommonOptions & { after: string; limit: string }) => {
      await runCommand(
        io,
        opts.json,
        async (engine) => {
          await openCaseFor(engine, io, opts.case);
          return engine.call('audit.list', {
            afterSeq: Number(opts.after),
            limit: Number(opts.limit),
          });
        },
        (r) =>
          r.entries
            .map((e) => `${e.seq}\t${e.at}\t${e.action}\t${JSON.stringify(e.params)}`)
            .join('\n'),
      );
    });
}
