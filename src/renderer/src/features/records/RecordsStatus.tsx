/**
 * The grid's status line (a polite live region): how many records match (and whether the count
 * is an estimate), the query in plain language, the engine's notes (scans, indexes), long walks
 * to a far position, errors, and the active cell's position.
 */
import { useSyncExternalStore } from 'react';
import type { ActiveCell } from './RecordsGrid';
import type { RowSource } from './row-source';

const n = (v: number) => v.toLocaleString('en-US');

export function RecordsStatus({
  source,
  policy,
  active,
}: {
  source: RowSource;
  policy: string | null;
  active: ActiveCell;
}) {
  useSyncExternalStore(source.subscribe, source.getVersion);
  const s = source.status;
  const total =
    s.total === null
      ? 'Counting…'
      : `${s.totalExact ? '' : '≈ '}${n(s.total)} record${s.total === 1 ? '' : 's'}${
          s.totalExact ? '' : ' (estimate, counting exactly…)'
        }`;
  return (
    <div className="rv-status" data-testid="records-status">
      <span role="status" aria-live="polite" data-field="total">
        {total}
      </span>
      {s.description ? (
        <span data-field="description" title={s.description}>
          {s.description}
        </span>
      ) : null}
      {policy ? <span className="badge">redacted: {policy}</span> : null}
      {s.searchMode === 'scan' || s.searchMode === 'mixed' ? (
        <span className="muted">search scanned records (no full-text index for it)</span>
      ) : null}
      {s.notes.map((note) => (
        <span key={note} className="muted" title={note}>
          {note}
        </span>
      ))}
      {s.walking ? (
        <span role="status" data-field="walking">
          Reaching record {n(s.walking.to + 1)}…
        </span>
      ) : null}
      {s.approximate ? (
        <span className="muted" data-field="approximate">
          positions here are estimates (a jump into a filtered or sorted result)
        </span>
      ) : null}
      {s.error ? (
        <span className="alert" role="alert">
          {s.error}
        </span>
      ) : null}
      <span className="spacer" />
      {s.total ? (
        <span className="muted" data-field="position">
          Row {s.approximate ? '≈ ' : ''}
          {n(Math.min(active.row + 1, s.total))} of {n(s.total)}
          {s.loading ? ' · loading…' : ''}
        </span>
      ) : null}
    </div>
  );
}
