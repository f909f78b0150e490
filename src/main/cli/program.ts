/**
 * The `leakscope` command line: one commander program whose commands are thin adapters over the
 * engine (DESIGN.md "Command line contract"). Built by a function so tests can run it in-process.
 */
import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit';
import { registerCaseCommands } from './commands/case';
import { registerImportCommands } from './commands/import';
import { registerServeCommand } from './commands/serve';
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
  registerAuditCommands(program, io);
  registerServeCommand(program, io);
  return program;
}
