/**
 * Opening a saved session: read it (session.get) and recompute its result (session.check) side
 * by side; open the Records view on it at once when the result is identical or could not be
 * verified, and otherwise hold it with the verdict (what is missing, what changed) so the
 * investigator decides. The autosaved last session opens the same way, without the check.
 */
import { useCallback, useState } from 'react';
import type { OpenedSession, SessionCheck } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { useWorkspace } from '../../workspace/context';
import { publishActivePolicy, publishCurrentView } from './current-view';
import { restoreTarget, type RestoreTarget } from './restore';

export interface HeldSession {
  name: string;
  opened: OpenedSession;
  check: SessionCheck | null;
  target: RestoreTarget;
}

export function useRestore() {
  const api = useApi();
  const { caseInfo, navigate } = useWorkspace();
  const caseId = caseInfo.caseId;
  const [held, setHeld] = useState<HeldSession | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const go = useCallback(
    (name: string, target: Extract<RestoreTarget, { ok: true }>) => {
      publishCurrentView(caseId, target.view, name ? `session ${name}` : 'last session');
      publishActivePolicy(caseId, target.policy);
      navigate('records', target.request);
    },
    [caseId, navigate],
  );

  const open = useCallback(
    async (name: string) => {
      setBusy(name);
      setError(null);
      setHeld(null);
      try {
        const [opened, check] = await Promise.all([
          api.client.call('session.get', { name }),
          api.client.call('session.check', { name }),
        ]);
        const target = restoreTarget(opened, caseId);
        if (target.ok && (check.status === 'identical' || check.status === 'unverified')) {
          go(name, target);
        } else {
          setHeld({ name, opened, check, target });
        }
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setBusy(null);
      }
    },
    [api, caseId, go],
  );

  const openLast = useCallback(
    (opened: OpenedSession) => {
      const target = restoreTarget(opened, caseId);
      if (target.ok) go('', target);
      else setHeld({ name: '', opened, check: null, target });
    },
    [caseId, go],
  );

  const proceed = useCallback(() => {
    if (held?.target.ok) go(held.name, held.target);
  }, [held, go]);

  const dismiss = useCallback(() => setHeld(null), []);

  return { open, openLast, held, proceed, dismiss, busy, error };
}
