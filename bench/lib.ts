/**
 * Shared plumbing of the benchmarks: arguments, generated inputs (cached under bench/out/),
 * measuring a subject in its own child process (so peak RSS is that subject's alone), and
 * printing figures with the ratio against a named peer.
 *
 * Benchmarks are not tests: they print figures; bench/RESULTS.md records them with date and
 * machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'bench', 'out');

export interface Figure {
  subject: string;
  rows: number;
  bytes: number;
  seconds: number;
  peakRssMB: number;
  note?: string;
}

export function benchArgs(defaults: { rows: number }) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      subject: { type: 'string' },
      input: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: false,
  });
  const envRows = process.env.BENCH_ROWS ? Number(process.env.BENCH_ROWS) : undefined;
  return {
    rows: values.rows ? Number(values.rows) : (envRows ?? defaults.rows),
    subject: typeof values.subject === 'string' ? values.subject : undefined,
    input: typeof values.input === 'string' ? values.input : undefined,
    quick: values.quick === true,
  };
}

export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length}× ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
}

/** Generates (once) a fake leak with the project's generator; returns its path. */
export function generated(rows: number, format: string, extra: string[] = []): string {
  mkdirSync(OUT, { recursive: true });
  const tag = [format, rows, ...extra].join('-').replace(/[^a-zA-Z0-9.-]/g, '_');
  const ext = format === 'mysql' || format === 'pgsql' ? 'sql' : format;
  const file = join(OUT, `people-${tag}.${ext}`);
  if (existsSync(file) && statSync(file).size > 0) return file;
  process.stderr.write(`generating ${rows} rows as ${format} → ${file}\n`);
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'test/fixtures/gen/cli.ts'),
      '--rows',
      String(rows),
      '--format',
      format,
      '--seed',
      '42',
      '--out',
      file,
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`generator failed for ${file}`);
  return file;
}

/** Runs `file --subject name ...args` in a child and reads the Figure it prints last. */
export function runSubject(file: string, subject: string, args: string[] = []): Figure {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', file, '--subject', subject, ...args],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`subject ${subject} failed (${r.status}): ${r.stdout}`);
  return JSON.parse(line) as Figure;
}

/** Inside a subject child: print the figure as the last stdout line. */
export function report(f: Omit<Figure, 'peakRssMB'>): void {
  process.stdout.write(`${JSON.stringify({ ...f, peakRssMB: peakRssMB() })}\n`);
}

/**
 * `peer`: the subject the ratios are against (its first figure); `pairOf`: for a figure, the
 * peer's run to set it against instead (the one just before it, when the peer runs again before
 * every subject).
 */
export function printFigures(
  title: string,
  figures: Figure[],
  peer?: string,
  pairOf?: (f: Figure) => Figure | undefined,
): void {
  const peerFig = peer ? figures.find((f) => f.subject === peer) : undefined;
  const lines = [
    `\n## ${title}`,
    `machine: ${machine()}; date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    `| subject | rows | seconds | rows/s | MB/s | peak RSS MB |${peerFig ? ` vs ${peer} |` : ''}`,
    `|---|---:|---:|---:|---:|---:|${peerFig ? '---:|' : ''}`,
  ];
  for (const f of figures) {
    const rps = f.rows / f.seconds;
    const p = pairOf?.(f) ?? peerFig;
    const ratio = p ? ` ${(rps / (p.rows / p.seconds)).toFixed(2)}× |` : '';
    lines.push(
      `| ${f.subject}${f.note ? ` (${f.note})` : ''} | ${f.rows.toLocaleString('en')} | ${f.seconds.toFixed(2)} | ${Math.round(rps).toLocaleString('en')} | ${(f.bytes / 1024 / 1024 / f.seconds).toFixed(1)} | ${f.peakRssMB} |${ratio}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
