/**
 * Where the CLI gets passphrases: the environment (LEAKSCOPE_PASSPHRASE, and
 * LEAKSCOPE_NEW_PASSPHRASE for rekey) or a hidden prompt on the terminal. Never from an argument,
 * which would end up in shell history and `ps`.
 */
import { LeakscopeError } from '../../shared/errors';

export interface PassphraseSource {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

export async function readPassphrase(
  src: PassphraseSource,
  envName: 'LEAKSCOPE_PASSPHRASE' | 'LEAKSCOPE_NEW_PASSPHRASE',
  prompt: string,
  confirm = false,
): Promise<string> {
  const fromEnv = src.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!src.stdin.isTTY) {
    throw new LeakscopeError('E_BAD_INPUT', `no passphrase: set ${envName} or run in a terminal`);
  }
  const first = await promptHidden(src, prompt);
  if (confirm) {
    const second = await promptHidden(src, 'Repeat the passphrase: ');
    if (first !== second) throw new LeakscopeError('E_BAD_INPUT', 'the passphrases do not match');
  }
  if (first === '') throw new LeakscopeError('E_BAD_INPUT', 'the passphrase must not be empty');
  return first;
}

/** Reads one line from the TTY without echoing it. */
function promptHidden(src: PassphraseSource, prompt: string): Promise<string> {
  const { stdin, stderr } = src;
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new LeakscopeError('E_CANCELLED', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
