/**
 * The reproducibility verdict of a session (session.check): identical, changed (and how: rows
 * then and now, why), unverified, or missing (which dataset, which file to import).
 */
import type { SessionCheck } from '../../../../shared/api';

const STATUS_TEXT: Record<SessionCheck['status'], string> = {
  identical: 'Identical result',
  changed: 'Result changed',
  unverified: 'Not verifiable',
  missing: 'Dataset missing',
};

export function SessionCheckPanel({ check }: { check: SessionCheck }) {
  return (
    <div
      className={`session-check ${check.status}`}
      data-testid="session-check"
      data-status={check.status}
    >
      <p className="session-check-head">
        <span className={`status-badge ${check.status}`}>{STATUS_TEXT[check.status]}</span>{' '}
        {check.message}
      </p>
      {check.views.length > 1 || check.views.some((v) => v.reasons.length || v.delta) ? (
        <ul className="small">
          {check.views.map((v) => (
            <li key={v.view}>
              {v.dataset}
              {v.local && v.local !== v.dataset ? ` (here: ${v.local})` : ''}:{' '}
              {STATUS_TEXT[v.status].toLowerCase()}
              {v.saved && v.now
                ? ` — ${v.saved.rows.toLocaleString('en')} records when saved, ${v.now.rows.toLocaleString('en')} now`
                : ''}
              {v.delta ? ` (${v.delta > 0 ? '+' : ''}${v.delta.toLocaleString('en')})` : ''}
              {v.reasons.length ? `: ${v.reasons.join('; ')}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
