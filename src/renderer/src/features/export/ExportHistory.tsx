/** The exports made from this case (export.history), newest first. */
import { useCallback, useEffect, useState } from 'react';
import type { ExportHistoryEntry } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { ErrorAlert } from '../../components/ErrorAlert';

export function ExportHistory({ refreshKey }: { refreshKey: number }) {
  const api = useApi();
  const [entries, setEntries] = useState<ExportHistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () =>
      api.client
        .call('export.history', { limit: 50 })
        .then((r) => {
          setEntries(r.exports);
          setError(null);
        })
        .catch((e: unknown) => setError(errorMessage(e))),
    [api],
  );
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-head">
        <h2 id="history-title">Export history</h2>
        <button type="button" className="secondary small" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <ErrorAlert message={error} />
      {entries && entries.length === 0 ? <p className="muted">No export yet.</p> : null}
      {entries && entries.length ? (
        <div className="table-wrap">
          <table className="audit-table" data-testid="export-history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Dataset</th>
                <th scope="col">Format</th>
                <th scope="col">Policy</th>
                <th scope="col" className="num">
                  Records
                </th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">File and SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatTimestamp(e.at)}</td>
                  <td>{e.dataset}</td>
                  <td>{e.format.toUpperCase()}</td>
                  <td>{e.policy}</td>
                  <td className="num">{e.rows.toLocaleString('en')}</td>
                  <td className="num">{formatBytes(e.bytes)}</td>
                  <td className="params">
                    <div title={e.description}>{e.out}</div>
                    <code className="hash">{e.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
