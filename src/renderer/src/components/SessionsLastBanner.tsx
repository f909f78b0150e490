/**
 * "Resume where you left off": offers the autosaved last session (session.last) once per case
 * opening, with what it shows and when it was saved; Restore opens it in Records, Dismiss hides
 * the offer until the case is opened again. Mounted inside the WorkspaceProvider by the case
 * overview (the first view after opening a case) and the Sessions view.
 */
import { useEffect, useState } from 'react';
import type { OpenedSession } from '../../../shared/api';
import { useApi } from '../api/context';
import { formatTimestamp } from '../lib/format';
import { useWorkspace } from '../workspace/context';
import { useRestore } from '../features/sessions/useRestore';

/** Case openings (the CaseInfo each opening brings) whose offer was answered. */
const answered = new WeakSet<object>();

export function SessionsLastBanner() {
  const api = useApi();
  const { caseInfo } = useWorkspace();
  const key = caseInfo;
  const [last, setLast] = useState<OpenedSession | null>(null);
  const [hidden, setHidden] = useState(() => answered.has(key));
  const restore = useRestore();

  useEffect(() => {
    if (answered.has(key)) return;
    let live = true;
    api.client
      .call('session.last', {})
      .then((r) => live && setLast(r.session))
      .catch(() => {
        /* no last session to offer */
      });
    return () => {
      live = false;
    };
  }, [api, key]);

  if (hidden || !last || last.document.views.length === 0) {
    return restore.held && !restore.held.target.ok ? (
      <p role="alert" className="alert">
        {restore.held.target.message}
      </p>
    ) : null;
  }
  const description = last.description.split('\n')[0];
  return (
    <div className="notice last-session" role="region" aria-label="Last session">
      <p>
        <strong>Resume where you left off?</strong> {description}
        <span className="muted small"> · autosaved {formatTimestamp(last.updatedAt)}</span>
      </p>
      {last.warnings.map((w) => (
        <p key={w} className="small">
          {w}
        </p>
      ))}
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            answered.add(key);
            setHidden(true);
            restore.openLast(last);
          }}
        >
          Restore last session
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            answered.add(key);
            setHidden(true);
          }}
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}
