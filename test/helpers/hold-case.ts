/**
 * Child-process fixture: opens a case read-write (taking its lock) and keeps it open until stdin
 * closes. Prints "open" once the case is held. Used to test cross-process locking for real.
 */
import { openCase, resolveNativeBinding } from '../../src/main/engine/store';
import { ROOT } from './case';

const [path, passphrase] = process.argv.slice(2);
const nativeBinding = resolveNativeBinding(ROOT);
const c = openCase(path!, passphrase!, nativeBinding ? { nativeBinding } : {});
process.stdout.write('open\n');
process.stdin.resume();
process.stdin.on('end', () => {
  c.close();
  process.exit(0);
});
