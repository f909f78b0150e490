/** Entry point of `npm run -s cli -- <command>`. */
import { buildProgram } from './program';
import { processIo } from './runtime';

await buildProgram(processIo).parseAsync(process.argv);
