/**
 * The `leakscope` command line: one commander program whose commands are thin adapters over the
 * engine (DESIGN.md "Command line contract"). Built by a function so tests can run it in-process.
 */
import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerCaseCommands } from './commands/case';
import { registerExportCommands } from './commands/export';
import { registerImportCommands } from './commands/import';
import { registerLinkageCommands } from './commands/linkage';
import { registerProfileCommand } from './commands/profile';
import { registerQueryCommand } from './commands/query';
import { registerSearchCommands } from './commands/search';
import { registerServeCommand } from './commands/serve';
import { registerSessionCommands } from './commands/session';
import { APP_VERSION, type Io } from './runtime';

export function buildProgram(io: Io): Command {
  const program = new Command()
    .name('leakscope')
    .description(
      'Forensic explorer for leaked personal-data sets: encrypted cases, import, profile, linkage, redacted export.\n' +
        'The passphrase comes from LEAKSCOPE_PASSPHRASE, or a hidden prompt on a terminal.',
    )
    .version(APP_VERSION)
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  registerCaseCommands(program, io);
  registerImportCommands(program, io);
  registerProfileCommand(program, io);
  registerQueryCommand(program, io);
  registerSearchCommands(program, io);
  registerLinkageCommands(program, io);
  registerAuditCommands(program, io);
  registerSessionCommands(program, io);
  registerExportCommands(program, io);
  registerServeCommand(program, io);
  return program;
}
