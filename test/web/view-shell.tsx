/**
 * Renders one view in a workspace over a fake API, as the app shell would; when the view sends
 * the user to Records, a probe stands in for the Records view and keeps what the navigation
 * carried, so a test can assert where a drill-down or a restored session leads.
 */
import { render } from '@testing-library/react';
import { useEffect, useState, type ReactNode } from 'react';
import { ApiProvider } from '../../src/renderer/src/api/context';
import type { ViewId } from '../../src/renderer/src/components/Sidebar';
import {
  useWorkspace,
  WorkspaceProvider,
  type NavRequest,
} from '../../src/renderer/src/workspace/context';
import { SAMPLE_INFO, type FakeApi } from './fake-api';

/** The last view the workspace was sent to and the request Records took. */
export interface Nav {
  view: ViewId | null;
  request: NavRequest | null;
}

export function mountWithRecordsProbe(
  api: FakeApi,
  first: ViewId,
  content: ReactNode,
  nav: Nav = { view: null, request: null },
): Nav {
  function RecordsProbe() {
    const ws = useWorkspace();
    useEffect(() => {
      const req = ws.takeRequest('records');
      if (req) nav.request = req;
    }, [ws]);
    return <p>records view</p>;
  }
  function Shell() {
    const [view, setView] = useState<ViewId>(first);
    return (
      <WorkspaceProvider
        caseInfo={SAMPLE_INFO}
        view={view}
        onView={(v) => {
          nav.view = v;
          setView(v);
        }}
      >
        {view === first ? content : <RecordsProbe />}
      </WorkspaceProvider>
    );
  }
  render(
    <ApiProvider api={api}>
      <Shell />
    </ApiProvider>,
  );
  return nav;
}
