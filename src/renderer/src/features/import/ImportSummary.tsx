/**
 * After `import.run`: what was created (one dataset per table), how many records were read, kept
 * and rejected, whether the source was read to its end, each dataset's SHA-256, and the rejects
 * themselves on demand. Links lead to the new dataset's profile and records.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ImportResult } from '../../../../shared/api';
import { CopyButton } from '../../components/CopyButton';
import { formatCount, formatDuration } from '../../components/JobProgress';
import { useWorkspace } from '../../workspace/context';
import { RejectsTable } from './RejectsTable';

export function ImportSummary({ result, onAgain }: { result: ImportResult; onAgain(): void }) {
  const id = useId();
  const ws = useWorkspace();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [openRejects, setOpenRejects] = useState<string | null>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const incomplete = result.truncated || result.datasets.some((d) => !d.complete);
  return (
    <section
      className="card import-summary"
      aria-labelledby={`${id}-title`}
      data-testid="import-summary"
    >
      <div className="card-head">
        <h2 id={`${id}-title`} tabIndex={-1} ref={headingRef}>
          Import finished
        </h2>
        <button type="button" className="secondary" onClick={onAgain}>
          Import another file
        </button>
      </div>
      <p
        className={`verdict ${incomplete ? 'warn' : 'ok'}`}
        data-testid="import-message"
        role="status"
      >
        {incomplete ? 'Incomplete: ' : 'Complete: '}
        {result.message}
      </p>
      <dl className="summary-figures" data-testid="import-figures">
        <div>
          <dt>Datasets created</dt>
          <dd data-field="datasets">{result.datasets.length}</dd>
        </div>
        <div>
          <dt>Records read</dt>
          <dd data-field="read">{formatCount(result.recordsRead)}</dd>
        </div>
        <div>
          <dt>Rows kept</dt>
          <dd data-field="rows">{formatCount(result.rows)}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-field="rejected" className={result.rejected > 0 ? 'warn-text' : undefined}>
            {formatCount(result.rejected)}
          </dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd data-field="seconds">{formatDuration(result.seconds)}</dd>
        </div>
      </dl>
      {result.truncated ? (
        <p className="alert" role="alert">
          The source was not read to its end (truncated): the datasets hold only the records read
          before the problem. The message above says where it stopped.
        </p>
      ) : null}

      <ul className="dataset-results">
        {result.datasets.map((d) => (
          <li key={d.id} className="dataset-result" data-testid={`imported-${d.name}`}>
            <div className="dataset-result-head">
              <h3>{d.name}</h3>
              <span className={`status-pill status-${d.status}`}>{d.status}</span>
              {d.complete ? null : (
                <span className="status-pill status-incomplete">incomplete</span>
              )}
            </div>
            <p className="small">
              {formatCount(d.rows)} rows · {formatCount(d.rejected)} rejected · {d.columns.length}{' '}
              columns · {d.format}
              {d.encoding ? ` · ${d.encoding}` : ''}
              {d.table ? ` · table ${d.table}` : ''}
            </p>
            {d.sha256 ? (
              <p className="small hash-line">
                <span className="muted">Source SHA-256</span> <code>{d.sha256}</code>{' '}
                <CopyButton value={d.sha256} label={`Copy the SHA-256 of ${d.name}`} />
              </p>
            ) : null}
            <div className="actions">
              <button
                type="button"
                onClick={() => ws.navigate('profile', { dataset: d.name })}
                aria-label={`Open the profile of ${d.name}`}
              >
                Profile
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => ws.navigate('records', { dataset: d.name })}
                aria-label={`Open the records of ${d.name}`}
              >
                Records
              </button>
              {d.rejected > 0 ? (
                <button
                  type="button"
                  className="secondary"
                  aria-expanded={openRejects === d.name}
                  onClick={() => setOpenRejects((cur) => (cur === d.name ? null : d.name))}
                >
                  {openRejects === d.name
                    ? 'Hide rejects'
                    : `View ${formatCount(d.rejected)} rejects`}
                </button>
              ) : null}
            </div>
            {openRejects === d.name ? <RejectsTable dataset={d.name} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
