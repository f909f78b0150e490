/**
 * What the views share while a case is open: the case, its datasets (refreshed after imports),
 * the dataset in focus, navigation between views with an optional request (open a dataset's
 * records with a filter, restore a whole view, show one record, import a file), the desktop
 * menu's commands turned into such requests, and the autosave of the view on screen (it runs
 * whichever view is open). One provider under the App; views read it with `useWorkspace()`.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { CaseInfo, DatasetSummary } from '../../../shared/api';
import type { FilterNode } from '../../../shared/filter';
import { useApi } from '../api/context';
import type { ViewId } from '../components/Sidebar';
import type { CurrentView } from '../features/sessions/current-view';
import { useSessionAutosave, type AutosaveStatus } from '../features/sessions/useSessionAutosave';
import { errorMessage } from '../lib/errors';

/** A request carried with navigation: what the target view should show first. */
export interface NavRequest {
  /** Dataset name to focus. */
  dataset?: string;
  /** Records view: a filter to apply. */
  filter?: FilterNode;
  /** Records view: a record (ordinal) whose detail pane opens. */
  record?: number;
  /** Sessions view or records view: a session to restore. */
  session?: string;
  /**
   * Records view: a whole view to show (a session being restored): its filter, search, sort,
   * column layout and selection. Takes precedence over `filter`.
   */
  view?: CurrentView;
  /** Records view, with `view`: the redaction policy it shows (null: raw values). */
  policy?: string | null;
  /** Import view: a file chosen in main's dialog (desktop menu "Import file…"), to preview. */
  path?: string;
  /** Export view: make this report of the selection at once (desktop menu "PDF report…"). */
  report?: 'pdf';
}

export interface Workspace {
  caseInfo: CaseInfo;
  datasets: DatasetSummary[];
  datasetsError: string | null;
  refreshDatasets(): Promise<void>;
  /** Dataset in focus (name), shared by Profile, Records and Export. */
  dataset: string | null;
  setDataset(name: string | null): void;
  view: ViewId;
  /** Switches view; `request` is consumed once by the target view (`takeRequest`). */
  navigate(view: ViewId, request?: NavRequest): void;
  /** The pending request for `view`, cleared once read. */
  takeRequest(view: ViewId): NavRequest | null;
  /** The pending request for `view`, left pending (a view's first render reads it). */
  peekRequest(view: ViewId): NavRequest | null;
  /** The autosave of the view on screen (sessions/useSessionAutosave.ts). */
  autosave: AutosaveStatus;
}

const WorkspaceContext = createContext<Workspace | null>(null);

export function WorkspaceProvider({
  caseInfo,
  view,
  onView,
  children,
}: {
  caseInfo: CaseInfo;
  view: ViewId;
  onView(view: ViewId): void;
  children: ReactNode;
}) {
  const api = useApi();
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  const [datasetsError, setDatasetsError] = useState<string | null>(null);
  const [dataset, setDataset] = useState<string | null>(null);
  const [pending, setPending] = useState<{ view: ViewId; request: NavRequest } | null>(null);

  const apply = useCallback((list: DatasetSummary[]) => {
    setDatasets(list);
    setDatasetsError(null);
    setDataset((cur) =>
      cur !== null && list.some((d) => d.name === cur) ? cur : (list[0]?.name ?? null),
    );
  }, []);

  const refreshDatasets = useCallback(async () => {
    try {
      apply((await api.client.call('datasets.list', {})).datasets);
    } catch (e) {
      setDatasetsError(errorMessage(e));
    }
  }, [api, apply]);

  useEffect(() => {
    let live = true;
    api.client
      .call('datasets.list', {})
      .then((r) => live && apply(r.datasets))
      .catch((e: unknown) => live && setDatasetsError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [api, apply, caseInfo.caseId]);

  const navigate = useCallback(
    (target: ViewId, request?: NavRequest) => {
      if (request?.dataset) setDataset(request.dataset);
      setPending(request ? { view: target, request } : null);
      onView(target);
    },
    [onView],
  );

  const takeRequest = useCallback(
    (target: ViewId) => {
      if (!pending || pending.view !== target) return null;
      setPending(null);
      return pending.request;
    },
    [pending],
  );
  const peekRequest = useCallback(
    (target: ViewId) => (pending && pending.view === target ? pending.request : null),
    [pending],
  );

  // The desktop menu's commands for an open case are navigation requests (main ran the dialog).
  useEffect(
    () =>
      api.on('menu.command', ({ command, path }) => {
        if (command === 'import.file' && path !== null) navigate('import', { path });
        else if (command === 'export.open') navigate('export');
        else if (command === 'report.pdf') navigate('export', { report: 'pdf' });
      }),
    [api, navigate],
  );

  const autosave = useSessionAutosave(caseInfo.caseId);

  const value = useMemo<Workspace>(
    () => ({
      caseInfo,
      datasets,
      datasetsError,
      refreshDatasets,
      dataset,
      setDataset,
      view,
      navigate,
      takeRequest,
      peekRequest,
      autosave,
    }),
    [
      caseInfo,
      datasets,
      datasetsError,
      refreshDatasets,
      dataset,
      view,
      navigate,
      takeRequest,
      peekRequest,
      autosave,
    ],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace() outside <WorkspaceProvider>');
  return ws;
}
