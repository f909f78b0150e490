/**
 * Progress on stderr for long commands: a single rewritten line on a terminal, a plain line every
 * few seconds otherwise (logs, CI). Never prints record values.
 */
import type { JobProgress } from '../../shared/api';

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatProgress(p: JobProgress): string {
  const pct = p.bytesTotal > 0 ? ` ${((100 * p.bytesDone) / p.bytesTotal).toFixed(1)}%` : '';
  const eta =
    p.etaSeconds !== null && p.step !== 'done' ? `, ETA ${Math.ceil(p.etaSeconds)} s` : '';
  // Work that reads no file (a case upgrade) has no bytes to show.
  const bytes = p.bytesTotal > 0 ? `${mb(p.bytesDone)} of ${mb(p.bytesTotal)}, ` : '';
  const rejected = p.bytesTotal > 0 || p.rejected > 0 ? ` (${p.rejected} rejected)` : '';
  return `${p.step}${pct}: ${bytes}${p.records.toLocaleString('en')} records${rejected}, ${p.rowsPerSecond.toLocaleString('en')} rows/s${eta}`;
}

export function progressPrinter(stderr: NodeJS.WriteStream): (p: JobProgress) => void {
  const tty = stderr.isTTY === true;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (tty) {
      stderr.write(`\r\x1b[2K${formatProgress(p)}${p.step === 'done' ? '\n' : ''}`);
    } else if (now - last >= 2000 || p.step === 'done') {
      last = now;
      stderr.write(`${formatProgress(p)}\n`);
    }
  };
}
