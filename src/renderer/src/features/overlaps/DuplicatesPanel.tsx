/**
 * Duplicates inside one dataset (linkage.duplicates, a background job): the headline "N records,
 * M unique people", exact copies, records sharing a strong key by kind, and the largest groups,
 * each opening its records.
 */
import { useState } from 'react';
import type { DatasetSummary } from '../../../../shared/api';
import type { FilterNode } from '../../../../shared/filter';
import { JobProgressLine } from '../../components/JobProgressLine';
import { useJob } from '../../lib/useJob';
import { ErrorAlert } from '../../components/ErrorAlert';
import { duplicateFilter, ordinalsFilter } from './drill';
import { count, keyLabel } from './model';

/** Groups listed (the engine caps the ordinals it returns per group). */
const GROUPS = 50;

export function DuplicatesPanel({
  datasets,
  initial,
  onDrill,
}: {
  datasets: readonly DatasetSummary[];
  initial: string | null;
  onDrill(dataset: string, filter: FilterNode, label: string): void;
}) {
  const [dataset, setDataset] = useState<string>(initial ?? datasets[0]?.name ?? '');
  const job = useJob('linkage.duplicates');
  const r = job.result;
  const shown = r && r.dataset === dataset ? r : null;

  return (
    <section className="card" aria-labelledby="dup-title">
      <div className="card-head">
        <h2 id="dup-title">Duplicates inside a dataset</h2>
      </div>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (dataset) void job.start({ dataset, limit: GROUPS });
        }}
      >
        <div className="field">
          <label htmlFor="dup-dataset">Dataset</label>
          <select id="dup-dataset" value={dataset} onChange={(e) => setDataset(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.id} value={d.name}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={!dataset || job.running}>
          Find duplicates
        </button>
      </form>
      {job.running ? (
        <JobProgressLine
          label={`Finding duplicates in ${dataset}`}
          status={job.status}
          onCancel={() => void job.cancel()}
        />
      ) : null}
      <ErrorAlert message={job.error} />
      {shown ? (
        <div data-testid="duplicates-result">
          <p className="headline">{shown.headline}</p>
          <dl className="facts compact">
            <div className="fact">
              <dt>Records</dt>
              <dd>{count(shown.rows)}</dd>
            </div>
            <div className="fact">
              <dt>Unique people</dt>
              <dd>{count(shown.uniquePeople)}</dd>
            </div>
            <div className="fact">
              <dt>Exact copies</dt>
              <dd>{count(shown.exactDuplicateRecords)}</dd>
            </div>
            <div className="fact">
              <dt>Sharing a key</dt>
              <dd>{count(shown.recordsSharingKeys)}</dd>
            </div>
          </dl>
          {Object.keys(shown.byKey).length ? (
            <div className="actions">
              {Object.entries(shown.byKey).map(([kind, n]) => (
                <button
                  key={kind}
                  type="button"
                  className="secondary"
                  onClick={() =>
                    onDrill(
                      shown.dataset,
                      duplicateFilter(kind),
                      `records of ${shown.dataset} sharing a ${keyLabel(kind)}`,
                    )
                  }
                >
                  {count(n)} sharing a {keyLabel(kind)}
                </button>
              ))}
            </div>
          ) : null}
          {Object.keys(shown.sharedValues).length ? (
            <p className="help">
              Left out as shared values (placeholders carried by too many records):{' '}
              {Object.entries(shown.sharedValues)
                .map(([k, n]) => `${count(n)} ${keyLabel(k)}`)
                .join(', ')}
              .
            </p>
          ) : null}
          {shown.groups.length ? (
            <div className="table-wrap">
              <table className="audit-table">
                <caption className="visually-hidden">Largest duplicate groups</caption>
                <thead>
                  <tr>
                    <th scope="col">Shared</th>
                    <th scope="col">Value</th>
                    <th scope="col" className="num">
                      Records
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Open</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.groups.map((g) => {
                    const filter = ordinalsFilter(g.ordinals);
                    const value = g.key.slice(g.key.indexOf(':') + 1);
                    return (
                      <tr key={g.key}>
                        <td>{keyLabel(g.kind)}</td>
                        <td className="mono">{g.kind === 'record' ? '(whole record)' : value}</td>
                        <td className="num">{count(g.count)}</td>
                        <td>
                          {filter ? (
                            <button
                              type="button"
                              className="secondary small"
                              onClick={() =>
                                onDrill(
                                  shown.dataset,
                                  filter,
                                  `a duplicate group of ${shown.dataset}`,
                                )
                              }
                            >
                              Open {g.ordinals.length < g.count ? `first ${g.ordinals.length}` : ''}
                              {g.ordinals.length < g.count ? ' ' : ''}records
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {shown.groupsTotal > shown.groups.length ? (
                <p className="help">
                  The {shown.groups.length} largest of {count(shown.groupsTotal)} groups.
                </p>
              ) : null}
            </div>
          ) : (
            <p className="muted">No duplicate group.</p>
          )}
        </div>
      ) : null}
    </section>
  );
}
