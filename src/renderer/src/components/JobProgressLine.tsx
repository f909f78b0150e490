/**
 * One background job's progress (jobs.status): step, a progress bar when the total is known
 * (indeterminate otherwise), records and rate, ETA, and a Cancel button. Generic: used by the
 * Overlaps and Export views.
 */
import type { JobStatus } from '../../../shared/api';

function eta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds)) return null;
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  return `${Math.round(seconds / 60)} min left`;
}

export function JobProgressLine({
  label,
  status,
  onCancel,
}: {
  /** What runs, e.g. "Comparing kairos (2 of 3)". */
  label: string;
  status: JobStatus | null;
  onCancel?: () => void;
}) {
  const p = status?.progress ?? null;
  const total = p?.bytesTotal ?? 0;
  const value = p && total > 0 ? Math.min(1, p.bytesDone / total) : null;
  const details = [
    status?.state === 'queued' ? 'waiting for another job to finish' : null,
    p?.step ?? null,
    p && p.records > 0 ? `${p.records.toLocaleString('en')} records` : null,
    p && p.rowsPerSecond > 0 ? `${Math.round(p.rowsPerSecond).toLocaleString('en')}/s` : null,
    eta(p?.etaSeconds ?? null),
  ].filter((s): s is string => s !== null);
  return (
    <div className="job-line" role="status" aria-live="polite">
      <div className="job-line-head">
        <span className="job-line-label">{label}</span>
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      <progress
        max={1}
        {...(value !== null ? { value } : {})}
        aria-label={label}
        className="job-line-bar"
      />
      {details.length ? <p className="help">{details.join(' · ')}</p> : null}
    </div>
  );
}
