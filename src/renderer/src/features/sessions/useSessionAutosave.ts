/**
 * Autosave (issue 8): the view on screen (sessions/current-view.ts) is remembered as the
 * unnamed "last session" a moment after it changes, and retried on an interval after a failure,
 * so reopening the case can offer to resume. `SessionsAutosave` is the same as a component that
 * renders nothing, for the shell or the Records view to mount once.
 */
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { toViewDraft, useCurrentState } from './current-view';

export const AUTOSAVE_DELAY_MS = 1500;
export const AUTOSAVE_RETRY_MS = 60_000;

export interface AutosaveStatus {
  savedAt: string | null;
  error: string | null;
}

export function useSessionAutosave(caseId: string): AutosaveStatus {
  const api = useApi();
  const state = useCurrentState(caseId);
  const [status, setStatus] = useState<AutosaveStatus>({ savedAt: null, error: null });
  const savedVersion = useRef<number | null>(null);
  const version = state?.version ?? null;
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });

  const flushRef = useRef<(() => void) | null>(null);
  const first = useRef(true);
  // Leaving (the view unmounts) saves what the debounce had not saved yet.
  useEffect(() => () => flushRef.current?.(), []);

  useEffect(() => {
    if (version === null || savedVersion.current === version) return;
    let live = true;
    const save = () => {
      const s = latest.current;
      if (!s || savedVersion.current === s.version) return;
      const v = s.version;
      api.client
        .call('session.autosave', {
          session: {
            views: s.view ? [toViewDraft(s.view)] : [],
            activeView: 0,
            redactionPolicy: s.policy,
            notes: '',
          },
        })
        .then((r) => {
          savedVersion.current = v;
          if (live) setStatus({ savedAt: r.savedAt, error: null });
        })
        .catch((e: unknown) => {
          if (live) setStatus((p) => ({ ...p, error: errorMessage(e) }));
        });
    };
    flushRef.current = save;
    // A state left unsaved before this mounted (changed in another view) is saved at once; later
    // changes wait for the investigator to pause.
    const delay = first.current ? 0 : AUTOSAVE_DELAY_MS;
    first.current = false;
    const timer = setTimeout(save, delay);
    const retry = setInterval(save, AUTOSAVE_RETRY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
      clearInterval(retry);
    };
  }, [api, version]);

  return status;
}

/** Mount once inside the WorkspaceProvider to autosave whatever view is open. */
export function SessionsAutosave({ caseId }: { caseId: string }) {
  useSessionAutosave(caseId);
  return null;
}
