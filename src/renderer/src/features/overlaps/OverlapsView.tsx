/**
 * The Overlaps view (issues 5 and 9): how much of each dataset was already out. The overlap
 * matrix, the UpSet chart of people by combination of datasets, the rehash verdicts and the
 * duplicates inside a dataset; every figure opens the records behind it in the Records view.
 *
 * Figures come from `linkage.overlap` run as background jobs (useOverlapRun); the view starts
 * the comparison by itself the first time it opens on a case with two datasets or more.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { FilterNode } from '../../../../shared/filter';
import { JobProgressLine } from '../../components/JobProgressLine';
import { formatTimestamp } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';
import { makeView, publishCurrentView } from '../sessions/current-view';
import { ErrorAlert } from '../../components/ErrorAlert';
import { combinationFilter } from './drill';
import { DuplicatesPanel } from './DuplicatesPanel';
import { buildModel, count } from './model';
import { OverlapMatrix } from './OverlapMatrix';
import { UpsetChart, UPSET_MAX_COLUMNS, type UpsetEntry } from './UpsetChart';
import { signatureOf, usableDatasets, useOverlapRun } from './useOverlapRun';
import { VerdictList } from './VerdictList';

export function OverlapsView() {
  const ws = useWorkspace();
  const { caseInfo, datasets, navigate } = ws;
  const usable = useMemo(() => usableDatasets(datasets), [datasets]);
  const overlap = useOverlapRun(caseInfo.caseId, datasets);
  const { run, progress, error, running, start, cancel } = overlap;
  const stale = run !== null && run.signature !== signatureOf(usable);
  const model = useMemo(() => (run ? buildModel(run.datasets, run.results) : null), [run]);

  // First visit on a case with something to compare: start at once (a background job).
  const autoStarted = useRef(false);
  useEffect(() => {
    if (autoStarted.current || run !== null || usable.length < 2) return;
    autoStarted.current = true;
    void start();
  }, [run, usable.length, start]);

  const drill = useCallback(
    (dataset: string, filter: FilterNode | null) => {
      publishCurrentView(caseInfo.caseId, makeView(dataset, filter), 'overlaps');
      navigate('records', filter ? { dataset, filter } : { dataset });
    },
    [caseInfo.caseId, navigate],
  );

  const openCombination = useCallback(
    (entry: UpsetEntry, from: string) => {
      if (!model) return;
      drill(
        from,
        combinationFilter(
          from,
          entry.datasets,
          model.datasets.map((d) => d.name),
          model.keysUsed,
        ),
      );
    },
    [drill, model],
  );

  return (
    <section aria-labelledby="overlaps-title" className="overlaps">
      <div className="screen-head">
        <h1 id="overlaps-title">Overlaps</h1>
        <div className="actions">
          {run ? (
            <span className="muted small">Compared {formatTimestamp(run.finishedAt)}</span>
          ) : null}
          <button
            type="button"
            onClick={() => void start()}
            disabled={running || usable.length === 0}
          >
            {run ? 'Compare again' : 'Compare datasets'}
          </button>
        </div>
      </div>

      <ErrorAlert message={ws.datasetsError} />
      {usable.length === 0 ? (
        <p className="notice">Import a dataset first: overlaps compare the datasets of the case.</p>
      ) : usable.length === 1 && !run ? (
        <p className="notice">
          Only one dataset in the case: its duplicates are below; import another leak to compare
          them.
        </p>
      ) : null}
      {stale ? (
        <p className="notice" role="status">
          The datasets changed since this comparison (an import or a removal): compare again for
          current figures.
        </p>
      ) : null}
      {progress ? (
        <JobProgressLine
          label={`Comparing ${progress.dataset} (${progress.index + 1} of ${progress.total})`}
          status={progress.status}
          onCancel={() => void cancel()}
        />
      ) : null}
      <ErrorAlert message={error} />

      {model && model.datasets.length > 1 ? (
        <>
          <section className="card" aria-labelledby="matrix-title">
            <div className="card-head">
              <h2 id="matrix-title">Overlap matrix</h2>
            </div>
            <OverlapMatrix model={model} onDrill={(d, f) => drill(d, f)} />
          </section>

          {model.upset && model.upset.length ? (
            <section className="card" aria-labelledby="upset-title">
              <div className="card-head">
                <h2 id="upset-title">People by combination of datasets</h2>
              </div>
              <p className="help">
                People linked across datasets by shared strong keys; each column is one combination
                (the largest {UPSET_MAX_COLUMNS}). Choose a column to open its records.
              </p>
              <div className="upset-wrap">
                <UpsetChart
                  entries={model.upset}
                  sets={model.datasets.map((d) => d.name)}
                  onOpen={openCombination}
                />
              </div>
              <details className="upset-table">
                <summary>Table view</summary>
                <table className="audit-table">
                  <thead>
                    <tr>
                      <th scope="col">Only in</th>
                      <th scope="col" className="num">
                        People
                      </th>
                      <th scope="col">Open records of</th>
                    </tr>
                  </thead>
                  <tbody>
                    {model.upset.map((e) => (
                      <tr key={e.datasets.join('\u0000')}>
                        <td>{e.datasets.join(' + ')}</td>
                        <td className="num">{count(e.people)}</td>
                        <td>
                          <div className="button-row">
                            {e.datasets.map((d) => (
                              <button
                                key={d}
                                type="button"
                                className="secondary small"
                                onClick={() => openCombination(e, d)}
                              >
                                {d}
                              </button>
                            ))}
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </section>
          ) : null}
        </>
      ) : null}

      {model && model.verdicts.length ? (
        <section aria-labelledby="verdicts-title" className="verdicts">
          <h2 id="verdicts-title">Rehash verdicts</h2>
          <p className="help">
            Each dataset compared with the datasets imported before it: new data, a repackaging of
            an earlier leak, a partial overlap, or likely fabricated.
          </p>
          <VerdictList verdicts={model.verdicts} onDrill={(d, f) => drill(d, f)} />
        </section>
      ) : null}

      {usable.length ? (
        <DuplicatesPanel datasets={usable} initial={ws.dataset} onDrill={(d, f) => drill(d, f)} />
      ) : null}
    </section>
  );
}
