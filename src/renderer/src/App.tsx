/**
 * The application shell: top bar (case status, lock), sidebar, and the current view. Holds the
 * one piece of global state, the open case, and reacts to main's events (lock, menu commands).
 */
import { useCallback, useEffect, useState, type ComponentType } from 'react';
import type { CaseInfo } from '../../shared/api';
import { useApi } from './api/context';
import type { LockReason } from '../../shared/desktop';
import { Sidebar, VIEWS, type ViewId } from './components/Sidebar';
import { CaseOverview } from './features/case/CaseOverview';
import { CaseScreen } from './features/case/CaseScreen';
import { ExportView } from './features/export/ExportView';
import { ImportView } from './features/import/ImportView';
import { OverlapsView } from './features/overlaps/OverlapsView';
import { ProfileView } from './features/profile/ProfileView';
import { RecordsView } from './features/records/RecordsView';
import { clearCurrentView } from './features/sessions/current-view';
import { flushAutosave } from './features/sessions/useSessionAutosave';
import { SessionsView } from './features/sessions/SessionsView';
import { WorkspaceProvider } from './workspace/context';
import { errorCode, errorMessage } from './lib/errors';

const LOCK_TEXT: Record<LockReason, string> = {
  idle: 'The case was locked after a period of inactivity.',
  suspend: 'The case was locked because the computer went to sleep.',
  'lock-screen': 'The case was locked because the screen was locked.',
  menu: 'The case is locked.',
};

type Preset = { mode: 'create' | 'open'; path: string } | null;

/** The views that need an open case; each reads the workspace (src/renderer/src/workspace). */
const CASE_VIEWS: Record<Exclude<ViewId, 'case'>, ComponentType> = {
  import: ImportView,
  profile: ProfileView,
  records: RecordsView,
  overlaps: OverlapsView,
  export: ExportView,
  sessions: SessionsView,
};

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
      clearCurrentView();
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
      // The others (import.file, export.open, report.pdf) need an open case: the workspace
      // turns them into navigation requests (workspace/context.tsx).
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
      // The last changes of the view, before the case closes (the autosave waits for a pause).
      await flushAutosave();
      await api.client.call('case.close', {});
      clearCurrentView();
      setCaseInfo(null);
      setSwitching(null);
      setNotice(LOCK_TEXT.menu);
    } catch (e) {
      setNotice(errorMessage(e));
    }
  }, [api]);

  // Keyboard: Alt+1..7 switch views. In the browser, Ctrl/Cmd+Shift+L locks, Ctrl+O opens another
  // case and Ctrl+E the export view; the desktop app's menu has these accelerators (Ctrl+L,
  // Ctrl+O with main's dialog, Ctrl+E), so the page leaves them to it rather than act twice.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (caseInfo === null) return;
      const browser = api.kind === 'http';
      if (browser && mod && e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void lock();
      } else if (e.altKey && !mod && /^[1-7]$/.test(e.key)) {
        const target = VIEWS[Number(e.key) - 1];
        if (target) {
          e.preventDefault();
          setView(target.id);
        }
      } else if (
        browser &&
        mod &&
        !e.shiftKey &&
        e.key.toLowerCase() === 'o' &&
        !api.fixedCasePath
      ) {
        e.preventDefault();
        setView('case');
        setSwitching({ mode: 'open', path: '' });
      } else if (browser && mod && !e.shiftKey && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        setView('export');
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
      <Sidebar current={view} onSelect={setView} caseOpen={caseInfo !== null} />
      <main id="main" className="content" tabIndex={-1}>
        {booting ? (
          <p className="muted" role="status">
            Connecting…
          </p>
        ) : showChooser ? (
          <CaseScreen
            onReady={onReady}
            preset={switching}
            notice={notice}
            {...(caseInfo ? { onCancel: () => setSwitching(null) } : {})}
          />
        ) : (
          <WorkspaceProvider
            key={caseInfo.caseId + caseInfo.path}
            caseInfo={caseInfo}
            view={view}
            onView={setView}
          >
            {view === 'case' ? <CaseOverview initial={caseInfo} /> : <CaseView view={view} />}
          </WorkspaceProvider>
        )}
      </main>
    </div>
  );
}

function CaseView({ view }: { view: Exclude<ViewId, 'case'> }) {
  const View = CASE_VIEWS[view];
  return <View />;
}
