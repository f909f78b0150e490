/**
 * The progress of a background job (lib/useJob.ts): the step, a bytes bar, records, rejects,
 * rate, ETA and elapsed time, with a Cancel button. Shared by the views that run long methods
 * (import, profile, export, linkage). Figures come from the engine's JobProgress events; a step
 * that reports no byte total (profiling, index builds) shows an indeterminate bar.
 */
import { useEffect, useState } from 'react';
import type { JobStatus } from '../../../shared/api';
import { formatBytes } from '../lib/format';
import { ProgressBar } from './ProgressBar';

/** Whole numbers with the reader's grouping ("1 234 567"). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString();
}

/** A duration in words a person reads at a glance: "45 s", "3 min 20 s", "2 h 05 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A share in [0, 1] as a percentage with one decimal below 10 %. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '—';
  const pct = share * 100;
  if (pct > 0 && pct < 0.1) return '< 0.1%';
  return `${pct < 10 && pct !== 0 ? pct.toFixed(1) : Math.round(pct)}%`;
}

const STATE_TEXT: Record<JobStatus['state'], string> = {
  queued: 'Waiting for another job to finish…',
  running: 'Running',
  done: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Engine step names in plain words (unknown steps are shown as they come). */
const STEP_TEXT: Record<string, string> = {
  reading: 'Reading and parsing the file',
  profile: 'Profiling the columns',
  'identity keys': 'Extracting identity keys',
  'search index': 'Building the search index',
};

export function JobProgress({
  status,
  title,
  onCancel,
  cancelling = false,
}: {
  /** Null while the job is being started. */
  status: JobStatus | null;
  title: string;
  onCancel?: () => void;
  cancelling?: boolean;
}) {
  const elapsed = useElapsed(status?.startedAt ?? null, status?.finishedAt ?? null);
  const p = status?.progress ?? null;
  const state = status?.state ?? 'queued';
  const active = state === 'queued' || state === 'running';
  const step = p ? (STEP_TEXT[p.step] ?? p.step) : active ? 'Starting…' : '';
  const bytesKnown = p !== null && p.bytesTotal > 0;
  const bytesText = bytesKnown
    ? `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)} (${formatShare(p.bytesDone / p.bytesTotal)})`
    : 'size not reported for this step';

  return (
    <section className="card job-progress" aria-labelledby="job-progress-title" aria-busy={active}>
      <div className="card-head">
        <h2 id="job-progress-title">{title}</h2>
        {onCancel ? (
          <button
            type="button"
            className="secondary danger"
            onClick={onCancel}
            disabled={!active || cancelling}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : null}
      </div>
      <p className="job-step" role="status" aria-live="polite" data-testid="job-step">
        <strong>{STATE_TEXT[state]}</strong>
        {step && active ? <> · {step}</> : null}
      </p>
      <ProgressBar
        value={p?.bytesDone ?? 0}
        max={bytesKnown ? p.bytesTotal : 0}
        label="Bytes processed"
        valueText={bytesText}
        testId="job-bar"
      />
      <dl className="job-figures" data-testid="job-figures">
        <div>
          <dt>Bytes</dt>
          <dd data-field="bytes">{bytesKnown ? bytesText : '—'}</dd>
        </div>
        <div>
          <dt>Records</dt>
          <dd data-field="records">{p ? formatCount(p.records) : '—'}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-field="rejected" className={p && p.rejected > 0 ? 'warn-text' : undefined}>
            {p ? formatCount(p.rejected) : '—'}
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd data-field="rate">{p ? `${formatCount(p.rowsPerSecond)} records/s` : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-field="eta">
            {p && p.etaSeconds !== null && active ? formatDuration(p.etaSeconds) : '—'}
          </dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd data-field="elapsed">{elapsed === null ? '—' : formatDuration(elapsed)}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Seconds since `startedAt`, ticking once a second until `finishedAt`. */
function useElapsed(startedAt: string | null, finishedAt: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (startedAt === null || finishedAt !== null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [startedAt, finishedAt]);
  if (startedAt === null) return null;
  const start = Date.parse(startedAt);
  const end = finishedAt !== null ? Date.parse(finishedAt) : now;
  return Number.isNaN(start) ? null : Math.max(0, (end - start) / 1000);
}
