/**
 * The Profile view (issue 9): for the dataset in focus, the stored profile (`profile.get`), or a
 * fresh one computed as a background job (`profile.run`) when there is none yet or on request.
 * Shows the dataset's sensitivity, data-class inventory and NIR consistency, then one card per
 * column. Kinds and columns lead to the Records view with the matching filter.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { DatasetProfile } from '../../../../shared/api';
import type { FilterNode } from '../../../../shared/filter';
import type { PiiKind } from '../../../../shared/pii';
import { useApi } from '../../api/context';
import { JobProgress, formatCount, formatDuration } from '../../components/JobProgress';
import { errorMessage } from '../../lib/errors';
import { formatTimestamp } from '../../lib/format';
import { useJob } from '../../lib/useJob';
import { useWorkspace } from '../../workspace/context';
import { ColumnCard } from './ColumnCard';
import { ProfileSummary } from './ProfileSummary';

type Loaded =
  | { state: 'loading'; dataset: string }
  | { state: 'ready'; dataset: string; profile: DatasetProfile | null }
  | { state: 'error'; dataset: string; message: string };

export function ProfileView() {
  const api = useApi();
  const ws = useWorkspace();
  const id = useId();
  const job = useJob('profile.run');
  const dataset = ws.dataset;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [query, setQuery] = useState('');
  const [piiOnly, setPiiOnly] = useState(false);
  /** The dataset a profile.run job was started for (auto-start once per dataset). */
  const started = useRef<string | null>(null);
  const { start: startJob, reset: resetJob } = job;

  // Consume a navigation request (its dataset is already focused by the workspace).
  const { takeRequest } = ws;
  useEffect(() => {
    takeRequest('profile');
  }, [takeRequest]);

  const run = useCallback(
    (name: string) => {
      started.current = name;
      void startJob({ dataset: name });
    },
    [startJob],
  );

  useEffect(() => {
    if (dataset === null) return;
    let live = true;
    resetJob();
    queueMicrotask(() => live && setLoaded({ state: 'loading', dataset }));
    api.client.call('profile.get', { dataset }).then(
      (profile) => {
        if (!live) return;
        setLoaded({ state: 'ready', dataset, profile });
        // No profile yet: compute one (imports normally profile; older datasets may not be).
        if (profile === null && started.current !== dataset) run(dataset);
      },
      (e: unknown) => live && setLoaded({ state: 'error', dataset, message: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, dataset, resetJob, run]);

  // A finished profile.run replaces what is shown.
  const fresh = job.result;
  const profile: DatasetProfile | null =
    fresh && fresh.dataset === dataset
      ? fresh
      : loaded?.state === 'ready' && loaded.dataset === dataset
        ? loaded.profile
        : null;

  const goRecords = useCallback(
    (filter: FilterNode) => {
      if (dataset !== null) ws.navigate('records', { dataset, filter });
    },
    [dataset, ws],
  );
  const onKind = useCallback((kind: PiiKind) => goRecords({ kind, op: 'notEmpty' }), [goRecords]);
  const onColumn = useCallback(
    (column: string) => goRecords({ column, op: 'notEmpty' }),
    [goRecords],
  );

  const columns = useMemo(() => {
    if (!profile) return [];
    const q = query.trim().toLowerCase();
    return profile.columns.filter(
      (c) =>
        (!piiOnly || c.kind !== 'none') &&
        (!q ||
          c.name.toLowerCase().includes(q) ||
          c.path.toLowerCase().includes(q) ||
          c.kind.includes(q)),
    );
  }, [profile, query, piiOnly]);

  const summary = ws.datasets.find((d) => d.name === dataset) ?? null;

  return (
    <section aria-labelledby="profile-title" className="profile-view">
      <div className="screen-head">
        <h1 id="profile-title">Profile</h1>
        <div className="head-controls">
          <label htmlFor={`${id}-dataset`} className="inline-label">
            Dataset
          </label>
          <select
            id={`${id}-dataset`}
            value={dataset ?? ''}
            onChange={(e) => ws.setDataset(e.target.value || null)}
            disabled={ws.datasets.length === 0}
          >
            {ws.datasets.length === 0 ? <option value="">No dataset yet</option> : null}
            {ws.datasets.map((d) => (
              <option key={d.id} value={d.name}>
                {d.name} ({formatCount(d.rows)} rows)
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            disabled={dataset === null || job.running}
            onClick={() => dataset !== null && run(dataset)}
          >
            {profile ? 'Re-run profile' : 'Profile now'}
          </button>
        </div>
      </div>

      {ws.datasets.length === 0 ? (
        <div className="notice">
          <p>The case has no dataset yet.</p>
          <button type="button" onClick={() => ws.navigate('import')}>
            Import a file
          </button>
        </div>
      ) : null}

      {job.running || (job.status && !job.result && job.status.state !== 'done') ? (
        <JobProgress
          status={job.status}
          title={`Profiling ${dataset ?? ''}`}
          onCancel={() => void job.cancel()}
        />
      ) : null}
      {job.error ? (
        <p role="alert" className="alert">
          Profiling failed: {job.error}
        </p>
      ) : null}
      {loaded?.state === 'error' && loaded.dataset === dataset ? (
        <p role="alert" className="alert">
          {loaded.message}
        </p>
      ) : null}
      {loaded?.state === 'loading' && !profile ? (
        <p className="muted" role="status">
          Loading the profile…
        </p>
      ) : null}

      {profile ? (
        <>
          <p className="small muted profile-meta" data-testid="profile-meta">
            {formatCount(profile.rows)} records · {profile.columns.length} columns · profiled{' '}
            {formatTimestamp(profile.profiledAt)} in {formatDuration(profile.seconds)} · value
            checks on {formatCount(profile.sampledRecords)} sampled records
            {summary && summary.rows !== profile.rows
              ? ` · the dataset now has ${formatCount(summary.rows)} rows: re-run the profile`
              : ''}
          </p>
          <ProfileSummary profile={profile} onKind={onKind} />

          <section aria-labelledby={`${id}-cols`} className="columns-section">
            <div className="screen-head">
              <h2 id={`${id}-cols`}>Columns</h2>
              <div className="head-controls">
                <input
                  type="search"
                  aria-label="Find a column"
                  placeholder="Find a column or kind…"
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                />
                <label className="check">
                  <input
                    type="checkbox"
                    checked={piiOnly}
                    onChange={(e) => setPiiOnly(e.target.checked)}
                  />{' '}
                  Only personal data
                </label>
                <span className="muted small" role="status">
                  {columns.length} of {profile.columns.length}
                </span>
              </div>
            </div>
            <div className="column-grid">
              {columns.map((c) => (
                <ColumnCard
                  key={c.index}
                  column={c}
                  rows={profile.rows}
                  onKind={onKind}
                  onColumn={onColumn}
                />
              ))}
            </div>
          </section>
        </>
      ) : loaded?.state === 'ready' && loaded.dataset === dataset && !job.running && !job.status ? (
        <p className="muted">This dataset has not been profiled yet.</p>
      ) : null}
    </section>
  );
}
