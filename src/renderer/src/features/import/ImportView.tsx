/**
 * The Import view (issue 9): choose a file (main's native dialog in Electron; a path on the
 * bridge's machine in a browser), preview what the engine detects and override it, import it as
 * a background job with progress and cancel, then read the summary and the rejects.
 *
 * Nothing is written to the case before "Import": `import.preview` only reads the file's head.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ImportPreview } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { JobProgress } from '../../components/JobProgress';
import { errorMessage } from '../../lib/errors';
import { useJob } from '../../lib/useJob';
import { useWorkspace } from '../../workspace/context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ImportSummary } from './ImportSummary';
import { AUTO, previewRequest, runRequest, type Overrides } from './overrides';
import { PreviewPanel } from './PreviewPanel';

export function ImportView() {
  const api = useApi();
  const ws = useWorkspace();
  const id = useId();
  const job = useJob('import.run');
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [schema, setSchema] = useState('');
  const [overrides, setOverrides] = useState<Overrides>(AUTO);
  /** The overrides the shown preview was made with. */
  const [previewedWith, setPreviewedWith] = useState<Overrides>(AUTO);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const refreshed = useRef<string | null>(null);
  const { refreshDatasets } = ws;
  const { reset: resetJob } = job;

  const runPreview = useCallback(
    async (file: string, o: Overrides) => {
      const target = file.trim();
      if (!target) return;
      setPreviewing(true);
      setError(null);
      try {
        const p = await api.client.call('import.preview', previewRequest(target, o));
        setPreview(p);
        setPreviewedWith(o);
      } catch (e) {
        setPreview(null);
        setError(errorMessage(e));
      } finally {
        setPreviewing(false);
      }
    },
    [api],
  );

  /** A new file: forget the previous one's settings and preview it as detected. */
  const chooseFile = useCallback(
    (file: string) => {
      resetJob();
      setPath(file);
      setName('');
      setSchema('');
      setOverrides(AUTO);
      setPreview(null);
      void runPreview(file, AUTO);
    },
    [resetJob, runPreview],
  );

  // Desktop menu "Import file…": the path chosen in main's dialog comes as a navigation request
  // (workspace/context.tsx), whether this view was open or not.
  const { takeRequest } = ws;
  useEffect(() => {
    const path = takeRequest('import')?.path;
    // A one-shot request from the workspace.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (path) chooseFile(path);
  }, [takeRequest, chooseFile]);

  // Once the job ends (done, failed or cancelled), the case's dataset list changed.
  const finished = job.status && !job.running ? job.status.jobId : null;
  useEffect(() => {
    if (finished !== null && refreshed.current !== finished) {
      refreshed.current = finished;
      void refreshDatasets();
    }
  }, [finished, refreshDatasets]);

  async function pick() {
    if (!api.pickFile) return;
    const chosen = await api.pickFile('import-file');
    if (chosen !== null) chooseFile(chosen);
  }

  function submitPath(e: FormEvent) {
    e.preventDefault();
    if (path.trim() && !previewing) chooseFile(path.trim());
  }

  async function startImport() {
    if (!preview) return;
    setCancelling(false);
    await job.start(runRequest(preview.path, overrides, { name, schema }));
  }

  async function cancel() {
    setCancelling(true);
    await job.cancel();
  }

  const state = job.status?.state ?? null;
  const phase: 'choose' | 'running' | 'done' | 'ended' =
    state === null ? 'choose' : job.running ? 'running' : job.result ? 'done' : 'ended';
  const stale = preview !== null && JSON.stringify(overrides) !== JSON.stringify(previewedWith);
  const isSql = (overrides.format === 'auto' ? preview?.format : overrides.format) === 'sql';

  return (
    <section aria-labelledby="import-title" className="import-view">
      <div className="screen-head">
        <h1 id="import-title">Import</h1>
        {phase === 'choose' && preview ? (
          <span className="muted small">Nothing is written to the case until you import.</span>
        ) : null}
      </div>

      {phase === 'choose' ? (
        <>
          <form
            className="card import-choose"
            aria-label="Choose the file"
            onSubmit={submitPath}
            data-testid="import-choose"
          >
            <div className="field">
              <label htmlFor={`${id}-path`}>File to import</label>
              <div className="path-row">
                <input
                  id={`${id}-path`}
                  type="text"
                  value={path}
                  readOnly={api.pickFile !== null}
                  placeholder={
                    api.pickFile ? 'Choose a file…' : 'e.g. /evidence/leak-2024/clients.csv'
                  }
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => setPath(e.target.value)}
                />
                {api.pickFile ? (
                  <button type="button" onClick={() => void pick()} disabled={previewing}>
                    Choose file…
                  </button>
                ) : (
                  <button type="submit" disabled={!path.trim() || previewing}>
                    {previewing ? 'Reading…' : 'Preview'}
                  </button>
                )}
              </div>
              <p className="help">
                {api.pickFile
                  ? 'CSV/TSV, JSON, NDJSON, SQL dumps, combolists or Excel, also zipped or gzipped. The file is read, never modified or copied.'
                  : 'A path on the machine running the bridge. CSV/TSV, JSON, NDJSON, SQL dumps, combolists or Excel, also zipped or gzipped. The file is read, never modified or copied.'}
              </p>
            </div>
          </form>

          <ErrorAlert message={error} />
          {previewing && !preview ? (
            <p className="muted" role="status">
              Reading the start of the file…
            </p>
          ) : null}

          {preview ? (
            <>
              <PreviewPanel
                preview={preview}
                overrides={overrides}
                onOverrides={setOverrides}
                onRepreview={() => void runPreview(preview.path, overrides)}
                busy={previewing}
                stale={stale}
              />
              <form
                className="card import-go"
                aria-label="Import"
                onSubmit={(e) => {
                  e.preventDefault();
                  void startImport();
                }}
              >
                <h2>Import into the case</h2>
                <div className="import-go-fields">
                  <div className="field">
                    <label htmlFor={`${id}-name`}>Dataset name (optional)</label>
                    <input
                      id={`${id}-name`}
                      type="text"
                      value={name}
                      maxLength={200}
                      placeholder={`default: from “${preview.fileName}”`}
                      onChange={(e) => setName(e.target.value)}
                    />
                  </div>
                  {isSql ? (
                    <div className="field">
                      <label htmlFor={`${id}-schema`}>Schema file (optional)</label>
                      <input
                        id={`${id}-schema`}
                        type="text"
                        value={schema}
                        placeholder="for data-only dumps without CREATE TABLE"
                        spellCheck={false}
                        onChange={(e) => setSchema(e.target.value)}
                      />
                    </div>
                  ) : null}
                </div>
                <div className="actions">
                  <button type="submit" disabled={previewing || job.running}>
                    Start import
                  </button>
                  {stale ? (
                    <span className="small warn-text">
                      The import uses the settings above, not those of the preview shown.
                    </span>
                  ) : null}
                </div>
              </form>
            </>
          ) : null}
          {job.error && state === null ? (
            <p role="alert" className="alert">
              {job.error}
            </p>
          ) : null}
        </>
      ) : null}

      {phase === 'running' || phase === 'ended' ? (
        <JobProgress
          status={job.status}
          title={`Importing ${preview?.fileName ?? path}`}
          onCancel={() => void cancel()}
          cancelling={cancelling}
        />
      ) : null}

      {phase === 'ended' ? (
        <div className="card ended" data-testid="import-ended">
          {state === 'cancelled' ? (
            <p className="verdict warn" role="status">
              Import cancelled. Records read so far are kept in a dataset marked “cancelled” (not
              complete); the case’s dataset list shows it.
            </p>
          ) : (
            <p className="alert" role="alert">
              The import failed: {job.error ?? 'unknown error'}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => job.reset()}>
              Back to the preview
            </button>
            <button type="button" className="secondary" onClick={() => ws.navigate('case')}>
              Case datasets
            </button>
          </div>
        </div>
      ) : null}

      {phase === 'done' && job.result ? (
        <ImportSummary
          result={job.result}
          onAgain={() => {
            job.reset();
            setPath('');
            setPreview(null);
            setOverrides(AUTO);
            setName('');
            setSchema('');
          }}
        />
      ) : null}
    </section>
  );
}
