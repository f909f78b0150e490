/**
 * The Case view while a case is open: the offer to resume the autosaved last session, its
 * datasets (provenance, verdicts), its description, the audit log, passphrase change.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseInfo } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { SessionsLastBanner } from '../../components/SessionsLastBanner';
import { AuditPanel } from '../audit/AuditPanel';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CaseInfoPanel } from './CaseInfoPanel';
import { DatasetsPanel } from './DatasetsPanel';
import { RekeyForm } from './RekeyForm';

export function CaseOverview({ initial }: { initial: CaseInfo }) {
  const api = useApi();
  const [info, setInfo] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen-reader users land on the heading of the case they just opened.
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const refresh = useCallback(() => {
    api.client
      .call('case.info', {})
      .then(setInfo)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [api]);

  // The counts in `initial` date from when the case was opened (imports may have run since).
  useEffect(() => {
    refresh();
  }, [refresh]);

  return (
    <section className="overview" aria-labelledby="overview-title">
      <div className="screen-head">
        <h1 id="overview-title" tabIndex={-1} ref={headingRef}>
          {fileName(info.path)}
        </h1>
      </div>
      <ErrorAlert message={error} />
      <SessionsLastBanner />
      <DatasetsPanel />
      <div className="overview-grid">
        <div className="stack">
          <CaseInfoPanel info={info} />
          <RekeyForm onDone={refresh} />
        </div>
        <AuditPanel onChanged={refresh} />
      </div>
    </section>
  );
}

function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
