/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (each in its own process) and prints their
 * figures. Options are passed through: `npm run bench -- --rows 100000 store-write import`
 * (positional names filter which benchmarks run).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a));
const passThrough = args.filter((a) => !filters.includes(a));
const benches = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const b of benches) {
  process.stdout.write(`\n# ${b}\n`);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', b), ...passThrough],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`(${b} failed with exit code ${r.status})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
