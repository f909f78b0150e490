/**
 * The case's datasets with their provenance: source file (and archive member), format and
 * encoding, the source's SHA-256 (copyable, for the evidence log), rows, rejects (viewable),
 * import date, status and whether every record was accounted for, and the rehash verdict.
 *
 * The verdict ("is this leak new, or a repackaging of one already in the case?") comes from
 * `linkage.overlap`, which computes it against the earlier datasets each time (the engine stores
 * no verdict to read back), so it runs on request, as a background job, per dataset or for all.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { DatasetSummary, RehashVerdict } from '../../../../shared/api';
import { CopyButton } from '../../components/CopyButton';
import { formatCount, formatShare } from '../../components/JobProgress';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { useJob } from '../../lib/useJob';
import { useWorkspace } from '../../workspace/context';
import { RejectsTable } from '../import/RejectsTable';
import { ErrorAlert } from '../../components/ErrorAlert';

export const VERDICT_LABELS: Record<RehashVerdict['verdict'], { label: string; meaning: string }> =
  {
    new: {
      label: 'New',
      meaning: 'Its people were not seen in the earlier datasets of the case.',
    },
    repackaged: {
      label: 'Repackaged',
      meaning: 'Mostly the same people, written the same way, as an earlier dataset.',
    },
    partial_overlap: {
      label: 'Partial overlap',
      meaning: 'Some of its people also appear in earlier datasets.',
    },
    likely_fabricated: {
      label: 'Likely fabricated',
      meaning: 'The figures do not hold together (inconsistent identifiers, duplicated people).',
    },
  };

const STATUS_TEXT: Record<DatasetSummary['status'], string> = {
  importing: 'importing',
  ready: 'ready',
  incomplete: 'incomplete',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** The views a dataset's row opens on that dataset, with their button text. */
const DATASET_VIEWS = [
  ['profile', 'Profile'],
  ['records', 'Records'],
] as const;

export function DatasetsPanel() {
  const ws = useWorkspace();
  const id = useId();
  const [openRejects, setOpenRejects] = useState<string | null>(null);
  /** Each row's "assess" action, so "Assess all" can start them (the engine queues jobs). */
  const starters = useRef(new Map<string, () => void>());
  const register = useCallback((name: string, start: (() => void) | null) => {
    if (start) starters.current.set(name, start);
    else starters.current.delete(name);
  }, []);

  const { datasets, datasetsError } = ws;
  return (
    <section className="card datasets-panel" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>
          Datasets <span className="muted">({datasets.length})</span>
        </h2>
        <div className="actions tight">
          <button
            type="button"
            className="secondary"
            disabled={datasets.length === 0}
            onClick={() => {
              for (const start of starters.current.values()) start();
            }}
            title="Compare every dataset with the ones imported before it"
          >
            Assess all verdicts
          </button>
          <button type="button" onClick={() => ws.navigate('import')}>
            Import a file…
          </button>
        </div>
      </div>
      <ErrorAlert message={datasetsError} />
      {datasets.length === 0 ? (
        <p className="muted">No dataset yet: import a dump to start.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table datasets-table" data-testid="datasets-table">
            <caption className="visually-hidden">Datasets of the case, in import order</caption>
            <thead>
              <tr>
                <th scope="col">Dataset and source</th>
                <th scope="col">Source SHA-256</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col" className="num">
                  Rejects
                </th>
                <th scope="col">Imported</th>
                <th scope="col">Status</th>
                <th scope="col">Rehash verdict</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((d) => (
                <DatasetRow
                  key={d.id}
                  dataset={d}
                  rejectsOpen={openRejects === d.name}
                  onRejects={() => setOpenRejects((cur) => (cur === d.name ? null : d.name))}
                  register={register}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DatasetRow({
  dataset: d,
  rejectsOpen,
  onRejects,
  register,
}: {
  dataset: DatasetSummary;
  rejectsOpen: boolean;
  onRejects(): void;
  register(name: string, start: (() => void) | null): void;
}) {
  const ws = useWorkspace();
  const job = useJob('linkage.overlap');
  const { start } = job;
  const assess = useCallback(() => {
    void start({ dataset: d.name, upset: false });
  }, [start, d.name]);
  useEffect(() => {
    register(d.name, assess);
    return () => register(d.name, null);
  }, [register, d.name, assess]);

  const verdict =
    job.result?.verdicts.find((v) => v.dataset === d.name) ?? job.result?.verdicts[0] ?? null;
  const imported = d.source.finishedAt ?? d.source.startedAt;
  const where = [d.source.fileName, d.source.member, d.table ? `table ${d.table}` : null]
    .filter(Boolean)
    .join(' › ');

  return (
    <>
      <tr data-testid={`dataset-${d.name}`} data-dataset={d.name}>
        <td className="dataset-cell">
          <strong>{d.name}</strong>
          <span className="small muted" title={d.source.path}>
            {where}
          </span>
          <span className="small muted">
            {d.format}
            {d.encoding ? ` · ${d.encoding}` : ''}
            {d.source.compression ? ` · ${d.source.compression}` : ''} · {formatBytes(d.bytes)} ·{' '}
            {d.columns.length} columns
          </span>
        </td>
        <td className="hash-cell">
          {d.sha256 ? (
            <>
              <code title={d.sha256} data-field="sha256">
                {d.sha256.slice(0, 12)}…
              </code>
              <CopyButton value={d.sha256} label={`Copy the SHA-256 of ${d.name}`} />
            </>
          ) : (
            <span className="muted">not recorded</span>
          )}
        </td>
        <td className="num" data-field="rows">
          {formatCount(d.rows)}
        </td>
        <td className="num" data-field="rejected">
          {d.rejected > 0 ? (
            <button
              type="button"
              className="link-button warn-text"
              aria-expanded={rejectsOpen}
              aria-label={`${rejectsOpen ? 'Hide' : 'Show'} the ${d.rejected} rejected records of ${d.name}`}
              onClick={onRejects}
            >
              {formatCount(d.rejected)}
            </button>
          ) : (
            '0'
          )}
        </td>
        <td>
          <time dateTime={imported} className="small">
            {formatTimestamp(imported)}
          </time>
        </td>
        <td>
          <span className={`status-pill status-${d.status}`} data-field="status">
            {STATUS_TEXT[d.status] ?? d.status}
          </span>
          <span
            className={`small ${d.complete ? 'ok-text' : 'warn-text'}`}
            data-field="complete"
            title={
              d.complete
                ? 'Every record of the source was read and accounted for'
                : (d.source.message ?? 'The source was not read to its end')
            }
          >
            {d.complete ? '✓ complete' : '✗ not complete'}
          </span>
        </td>
        <td className="verdict-cell" data-field="verdict" aria-live="polite">
          {verdict ? (
            <VerdictView verdict={verdict} />
          ) : job.running ? (
            <span className="small muted">
              Comparing…
              {job.status?.progress && job.status.progress.bytesTotal > 0 ? (
                <ProgressBar
                  value={job.status.progress.bytesDone}
                  max={job.status.progress.bytesTotal}
                  label={`Comparing ${d.name}`}
                  size="thin"
                />
              ) : null}
            </span>
          ) : (
            <>
              <button
                type="button"
                className="secondary small-button"
                onClick={assess}
                disabled={d.status === 'importing'}
                aria-label={`Assess the rehash verdict of ${d.name}`}
              >
                Assess
              </button>
              {job.error ? <span className="small bad-text">{job.error}</span> : null}
            </>
          )}
        </td>
        <td className="row-actions">
          {DATASET_VIEWS.map(([view, label]) => (
            <button
              key={view}
              type="button"
              className="secondary small-button"
              onClick={() => ws.navigate(view, { dataset: d.name })}
              aria-label={`${label} of ${d.name}`}
            >
              {label}
            </button>
          ))}
        </td>
      </tr>
      {rejectsOpen ? (
        <tr className="detail-row">
          <td colSpan={8}>
            <RejectsTable dataset={d.name} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function VerdictView({ verdict }: { verdict: RehashVerdict }) {
  const label = VERDICT_LABELS[verdict.verdict];
  const best = verdict.figures.bestMatch;
  return (
    <div className="verdict-view">
      <span className={`verdict-pill verdict-${verdict.verdict}`} title={label.meaning}>
        {label.label}
      </span>
      <span className="small">{verdict.text}</span>
      {best ? (
        <span className="small muted">
          best match {best.dataset}: {formatShare(best.share)}
        </span>
      ) : null}
    </div>
  );
}
