/**
 * The case's hash-chained audit log: verify the chain (ok, or the first broken entry and why)
 * and page through the entries in order (keyset on seq, 100 at a time).
 */
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditVerifyResult } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { compactJson, formatTimestamp } from '../../lib/format';
import { ErrorAlert } from '../../components/ErrorAlert';

const PAGE = 100;

export function AuditPanel({ onChanged }: { onChanged?: () => void }) {
  const api = useApi();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (afterSeq: number, append: boolean) => {
      const page = await api.client.call('audit.list', { afterSeq, limit: PAGE });
      setEntries((prev) => (append ? [...prev, ...page.entries] : page.entries));
      setMore(page.entries.length === PAGE);
    },
    [api],
  );

  useEffect(() => {
    let live = true;
    api.client.call('audit.list', { afterSeq: 0, limit: PAGE }).then(
      (page) => {
        if (!live) return;
        setEntries(page.entries);
        setMore(page.entries.length === PAGE);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  async function runVerify() {
    setBusy(true);
    setError(null);
    try {
      setVerify(await api.client.call('audit.verify', {}));
      // Verification is itself audited: show the new entry and the new count.
      await load(0, false);
      onChanged?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="audit-title">
      <div className="card-head">
        <h2 id="audit-title">Audit log</h2>
        <button type="button" onClick={() => void runVerify()} disabled={busy}>
          {busy ? 'Verifying…' : 'Verify chain'}
        </button>
      </div>
      <div role="status" aria-live="polite" data-testid="audit-status">
        {verify ? (
          verify.ok ? (
            <p className="verdict ok">
              Intact: {verify.entries} {verify.entries === 1 ? 'entry' : 'entries'} verified.
            </p>
          ) : (
            <p className="verdict broken">
              Broken at entry #{verify.firstBroken}: {verify.reason ?? 'hash mismatch'}.
            </p>
          )
        ) : null}
      </div>
      <ErrorAlert message={error} />
      <div className="table-wrap">
        <table className="audit-table">
          <caption className="visually-hidden">Audit entries, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Action</th>
              <th scope="col">Parameters</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td className="num">{e.seq}</td>
                <td>
                  <time dateTime={e.at}>{formatTimestamp(e.at)}</time>
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="params">
                  <code>{compactJson(e.params)}</code>
                </td>
              </tr>
            ))}
            {entries.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No entries yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {more ? (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const last = entries[entries.length - 1];
              load(last ? last.seq : 0, true).catch((e: unknown) => setError(errorMessage(e)));
            }}
          >
            Load more
          </button>
        </div>
      ) : null}
    </section>
  );
}
