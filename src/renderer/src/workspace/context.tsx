/**
 * What the views share while a case is open: the case, its datasets (refreshed after imports),
 * the dataset in focus, and navigation between views with an optional request (open a dataset's
 * records with a filter, show one record). One provider under the App; views read it with
 * `useWorkspace()`.
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
    }),
    [caseInfo, datasets, datasetsError, refreshDatasets, dataset, view, navigate, takeRequest],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace() outside <WorkspaceProvider>');
  return ws;
}
