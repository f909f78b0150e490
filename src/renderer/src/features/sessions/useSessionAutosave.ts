/**
 * Autosave (issue 8): the view on screen (sessions/current-view.ts) is remembered as the
 * unnamed "last session" a moment after it changes, and retried on an interval after a failure,
 * so reopening the case can offer to resume. The WorkspaceProvider runs it once per open case
 * (whatever view is shown) and shares its status as `useWorkspace().autosave`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { getCurrentState, toViewDraft, useCurrentState } from './current-view';

export const AUTOSAVE_DELAY_MS = 1500;
export const AUTOSAVE_RETRY_MS = 60_000;

export interface AutosaveStatus {
  savedAt: string | null;
  error: string | null;
}

/** The mounted autosave's "save now" (one workspace is open at a time). */
let saveNow: (() => Promise<void>) | null = null;

/** Saves at once what the autosave has not saved yet (the shell calls it before locking). */
export function flushAutosave(): Promise<void> {
  return saveNow ? saveNow() : Promise.resolve();
}

export function useSessionAutosave(caseId: string): AutosaveStatus {
  const api = useApi();
  const state = useCurrentState(caseId);
  const [status, setStatus] = useState<AutosaveStatus>({ savedAt: null, error: null });
  const savedVersion = useRef<number | null>(null);
  const version = state?.version ?? null;
  const live = useRef(true);

  // Reads the store itself, not the last render: a flush may follow a publish at once.
  const save = useCallback(async () => {
    const s = getCurrentState(caseId);
    if (!s || savedVersion.current === s.version) return;
    const v = s.version;
    try {
      const r = await api.client.call('session.autosave', {
        session: {
          views: s.view ? [toViewDraft(s.view)] : [],
          activeView: 0,
          redactionPolicy: s.policy,
          notes: '',
        },
      });
      savedVersion.current = v;
      if (live.current) setStatus({ savedAt: r.savedAt, error: null });
    } catch (e) {
      if (live.current) setStatus((p) => ({ ...p, error: errorMessage(e) }));
    }
  }, [api, caseId]);

  useEffect(() => {
    live.current = true;
    saveNow = save;
    return () => {
      live.current = false;
      if (saveNow === save) saveNow = null;
      // Closing the workspace saves what the debounce had not saved yet.
      void save();
    };
  }, [save]);

  const first = useRef(true);
  useEffect(() => {
    if (version === null || savedVersion.current === version) return;
    // A state left unsaved before this mounted (changed in another view) is saved at once; later
    // changes wait for the investigator to pause, and a failure is retried.
    const delay = first.current ? 0 : AUTOSAVE_DELAY_MS;
    first.current = false;
    const timer = setTimeout(() => void save(), delay);
    const retry = setInterval(() => void save(), AUTOSAVE_RETRY_MS);
    return () => {
      clearTimeout(timer);
      clearInterval(retry);
    };
  }, [save, version]);

  return status;
}
