/**
 * The application shell: top bar (case status, lock), sidebar, and the current view. Holds the
 * one piece of global state, the open case, and reacts to main's events (lock, menu commands).
 */
import { useCallback, useEffect, useState } from 'react';
import type { CaseInfo } from '../../shared/api';
import { useApi } from './api/context';
import type { LockReason } from '../../shared/desktop';
import { Sidebar, type ViewId } from './components/Sidebar';
import { CaseOverview } from './features/case/CaseOverview';
import { CaseScreen } from './features/case/CaseScreen';
import { errorCode, errorMessage } from './lib/errors';

const LOCK_TEXT: Record<LockReason, string> = {
  idle: 'The case was locked after a period of inactivity.',
  suspend: 'The case was locked because the computer went to sleep.',
  'lock-screen': 'The case was locked because the screen was locked.',
  menu: 'The case is locked.',
};

type Preset = { mode: 'create' | 'open'; path: string } | null;

export function App() {
  const api = useApi();
  const [caseInfo, setCaseInfo] = useState<CaseInfo | null>(null);
  const [booting, setBooting] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const [view, setView] = useState<ViewId>('case');
  /** Non-null while choosing another case (menu command, or no case open). */
  const [switching, setSwitching] = useState<Preset>(null);

  useEffect(() => {
    let live = true;
    api.client
      .call('case.info', {})
      .then((info) => live && setCaseInfo(info))
      .catch((e: unknown) => {
        if (live && errorCode(e) !== 'E_NO_CASE') setNotice(errorMessage(e));
      })
      .finally(() => live && setBooting(false));
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    const offLocked = api.on('case.locked', ({ reason }) => {
      setCaseInfo(null);
      setSwitching(null);
      setView('case');
      setNotice(LOCK_TEXT[reason] ?? LOCK_TEXT.menu);
    });
    const offMenu = api.on('menu.command', ({ command, path }) => {
      if ((command === 'case.new' || command === 'case.open') && path !== null) {
        setView('case');
        setSwitching({ mode: command === 'case.new' ? 'create' : 'open', path });
      }
    });
    return () => {
      offLocked();
      offMenu();
    };
  }, [api]);

  const onReady = useCallback((info: CaseInfo) => {
    setCaseInfo(info);
    setSwitching(null);
    setNotice(null);
    setView('case');
  }, []);

  const lock = useCallback(async () => {
    try {
      await api.client.call('case.close', {});
      setCaseInfo(null);
      setSwitching(null);
      setNotice(LOCK_TEXT.menu);
    } catch (e) {
      setNotice(errorMessage(e));
    }
  }, [api]);

  // Keyboard: Ctrl/Cmd+L locks in the browser too (the desktop menu has its own accelerator).
  useEffect(() => {
    if (api.kind !== 'http' || caseInfo === null) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api, caseInfo, lock]);

  const showChooser = caseInfo === null || switching !== null;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          Leakscope
        </span>
        <span className="case-status" data-testid="case-status">
          {caseInfo ? (
            <>
              <span className="dot open" aria-hidden="true" /> Case open
            </>
          ) : (
            <>
              <span className="dot" aria-hidden="true" /> {booting ? 'Connecting…' : 'No case open'}
            </>
          )}
        </span>
        <span className="spacer" />
        {api.kind === 'http' ? <span className="badge">browser · loopback bridge</span> : null}
        {caseInfo ? (
          <>
            {api.fixedCasePath === null && switching === null ? (
              <button
                type="button"
                className="secondary"
                onClick={() => setSwitching({ mode: 'open', path: '' })}
              >
                Other case…
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => void lock()}
              aria-keyshortcuts={api.kind === 'http' ? 'Control+Shift+L' : 'Control+L'}
            >
              Lock case
            </button>
          </>
        ) : null}
      </header>
      <Sidebar current={view} onSelect={setView} />
      <main id="main" className="content" tabIndex={-1}>
        {booting ? (
          <p className="muted" role="status">
            Connecting…
          </p>
        ) : view !== 'case' ? null : showChooser ? (
          <CaseScreen
            onReady={onReady}
            preset={switching}
            notice={notice}
            {...(caseInfo ? { onCancel: () => setSwitching(null) } : {})}
          />
        ) : (
          <CaseOverview key={caseInfo.caseId + caseInfo.path} initial={caseInfo} />
        )}
      </main>
    </div>
  );
}
