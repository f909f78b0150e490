/**
 * A horizontal bar for work in progress (a job's bytes) or a share (a column's fill). Accessible
 * as a `progressbar` (or `meter` for shares) with its figures in words; indeterminate when the
 * total is unknown (`max <= 0`), as the engine reports `bytesTotal = 0` for steps without bytes.
 * Shared: import, profile and export use it. Styles: `.progress*` in styles.css.
 */
export interface ProgressBarProps {
  value: number;
  max: number;
  /** Accessible name, e.g. "Bytes read". */
  label: string;
  /** Accessible value text, e.g. "12.0 MiB of 40.0 MiB (30%)"; default: the percentage. */
  valueText?: string;
  /** `meter`: a static share (fill, distinct), not work in progress. */
  role?: 'progressbar' | 'meter';
  /** Colour variant: `accent` (default), `ok`, `warn`, `bad`, `muted`. */
  tone?: 'accent' | 'ok' | 'warn' | 'bad' | 'muted';
  size?: 'normal' | 'thin';
  testId?: string;
}

export function ProgressBar({
  value,
  max,
  label,
  valueText,
  role = 'progressbar',
  tone = 'accent',
  size = 'normal',
  testId,
}: ProgressBarProps) {
  const known = max > 0 && Number.isFinite(value);
  const ratio = known ? Math.min(1, Math.max(0, value / max)) : 0;
  const pct = Math.round(ratio * 1000) / 10;
  return (
    <div
      className={`progress progress-${tone}${size === 'thin' ? ' progress-thin' : ''}${known ? '' : ' progress-indeterminate'}`}
      role={role}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(known ? { 'aria-valuenow': pct } : {})}
      aria-valuetext={valueText ?? (known ? `${pct}%` : 'in progress')}
      data-testid={testId}
    >
      <span className="progress-fill" style={known ? { width: `${ratio * 100}%` } : undefined} />
    </div>
  );
}
