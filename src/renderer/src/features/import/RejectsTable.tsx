/**
 * The rejected (malformed) records of a dataset, paged from `datasets.rejects` by id (keyset,
 * 100 at a time): where each one sits in the source (line, byte offset), why it was rejected,
 * and its raw text. Reading rejects is audited by the engine, so pages load on demand only.
 * Used by the import summary and the Case view's datasets panel; `RejectRows` (the table
 * itself) also shows the import preview's sample of lines that would be rejected.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RejectRow } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { formatCount } from '../../components/JobProgress';
import { errorMessage } from '../../lib/errors';
import { ErrorAlert } from '../../components/ErrorAlert';

const PAGE = 100;
/** Raw text shown per reject before "show all" (a reject can be a whole broken megabyte). */
const RAW_SHOWN = 300;

export function RejectsTable({ dataset, pageSize = PAGE }: { dataset: string; pageSize?: number }) {
  const api = useApi();
  const [rows, setRows] = useState<RejectRow[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (afterId: number) => {
      const page = await api.client.call('datasets.rejects', {
        dataset,
        afterId,
        limit: pageSize,
      });
      setRows((prev) => (afterId === 0 ? page.rejects : [...prev, ...page.rejects]));
      setTotal(page.total);
    },
    [api, dataset, pageSize],
  );

  useEffect(() => {
    let live = true;
    api.client.call('datasets.rejects', { dataset, afterId: 0, limit: pageSize }).then(
      (page) => {
        if (!live) return;
        setRows(page.rejects);
        setTotal(page.total);
        setBusy(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(errorMessage(e));
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [api, dataset, pageSize]);

  function more() {
    const last = rows[rows.length - 1];
    setBusy(true);
    load(last ? last.id : 0)
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  }

  const caption = `Rejected records of ${dataset}`;
  return (
    <div className="rejects" data-testid={`rejects-${dataset}`}>
      <p className="small muted" role="status" aria-live="polite">
        {total === null
          ? busy
            ? 'Loading rejected records…'
            : ''
          : total === 0
            ? 'No rejected records: every record of the source was parsed.'
            : `Showing ${formatCount(rows.length)} of ${formatCount(total)} rejected record${total === 1 ? '' : 's'}.`}
      </p>
      <ErrorAlert message={error} />
      {rows.length > 0 ? <RejectRows rows={rows} caption={caption} /> : null}
      {total !== null && rows.length < total ? (
        <div className="actions">
          <button type="button" className="secondary" onClick={more} disabled={busy}>
            {busy
              ? 'Loading…'
              : `Load ${formatCount(Math.min(pageSize, total - rows.length))} more`}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** One rejected line: where it sits in the source and why (a stored reject or a preview's). */
export interface RejectLine {
  line: number | null;
  offset: number;
  reason: string;
  raw: string;
}

/** The table of rejected lines: line, byte offset, reason, raw text. */
export function RejectRows({
  rows,
  caption,
  testId,
}: {
  rows: readonly (RejectLine & { id?: number })[];
  caption: string;
  testId?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table rejects-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col" className="num">
              Byte offset
            </th>
            <th scope="col">Reason</th>
            <th scope="col">Raw text</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.id ?? i}>
              <td className="num">{r.line ?? '—'}</td>
              <td className="num">{formatCount(r.offset)}</td>
              <td>{r.reason}</td>
              <td className="raw">
                <RawText text={r.raw} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Raw source text, control characters made visible, long text cut with a toggle. */
export function RawText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  const visible = text.replace(/\r/g, '␍').replace(/\n/g, '␊').replace(/\t/g, '␉');
  const cut = !all && visible.length > RAW_SHOWN;
  return (
    <>
      <code>{cut ? `${visible.slice(0, RAW_SHOWN)}…` : visible}</code>
      {visible.length > RAW_SHOWN ? (
        <button type="button" className="link-button" onClick={() => setAll((v) => !v)}>
          {all ? 'show less' : `show all ${formatCount(visible.length)} characters`}
        </button>
      ) : null}
    </>
  );
}
