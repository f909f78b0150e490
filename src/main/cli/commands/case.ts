/** `leakscope case create|info|rekey`. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CaseInfo } from '../../../shared/api';
import { readPassphrase } from '../passphrase';
import { caseCommand, runCommand, type CommonOptions, type Io } from '../runtime';

export function describeCaseText(info: CaseInfo): string {
  return [
    `case      ${info.path}`,
    `id        ${info.caseId}`,
    `created   ${info.createdAt}`,
    `schema    ${info.schemaVersion} (Leakscope ${info.appVersion})`,
    `cipher    ${info.cipher.name} legacy=${info.cipher.legacy}, kdf_iter=${info.cipher.kdfIter}`,
    `size      ${info.bytes} bytes`,
    `datasets  ${info.datasets}`,
    `audit     ${info.auditEntries} entries`,
  ].join('\n');
}

export function registerCaseCommands(program: Command, io: Io): void {
  const cmd = program.command('case').description('create, inspect and rekey encrypted case files');

  cmd
    .command('create')
    .description(
      'create a new encrypted case file (passphrase from LEAKSCOPE_PASSPHRASE or a prompt)',
    )
    .requiredOption('--case <file>', 'path of the new case file')
    .option('--json', 'print the result as JSON')
    .action(async (opts: CommonOptions) => {
      await runCommand(
        io,
        opts.json,
        async (engine) => {
          const passphrase = await readPassphrase(
            io,
            'LEAKSCOPE_PASSPHRASE',
            'New case passphrase: ',
            true,
          );
          return engine.call('case.create', { path: resolve(opts.case), passphrase });
        },
        (info) => `created\n${describeCaseText(info)}`,
      );
    });

  caseCommand(
    cmd
      .command('info')
      .description('describe a case: identity, schema, cipher, size, datasets, audit entries'),
    io,
    () => ({ run: ({ engine }) => engine.call('case.info', {}), text: describeCaseText }),
  );

  caseCommand(
    cmd
      .command('rekey')
      .description(
        're-encrypt a case under a new passphrase (from LEAKSCOPE_NEW_PASSPHRASE or a prompt)',
      ),
    io,
    () => ({
      run: async ({ engine }) => {
        const newPassphrase = await readPassphrase(
          io,
          'LEAKSCOPE_NEW_PASSPHRASE',
          'New passphrase: ',
          true,
        );
        return engine.call('case.rekey', { newPassphrase });
      },
      text: () => 'rekeyed: the case now opens with the new passphrase only',
    }),
  );
}
