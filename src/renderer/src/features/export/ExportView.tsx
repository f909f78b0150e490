/**
 * The Redaction and export view (issues 7 and 9): the redaction policy editor with a live
 * preview on real records of the selection, the export dialog (format, selection, output file)
 * run as a background job ending with the verification result, and the export history.
 *
 * The selection is a dataset with all its records, the view open in Records (its filter and
 * search: sessions/current-view.ts), or a saved session. Ctrl+E and the desktop menu's
 * "Export…" open this view; the menu's "PDF report…" opens it with a `report: 'pdf'` request,
 * which makes the PDF of the selection at once (ExportForm `startPdf`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PolicySummary, PreviewResult, SessionInfo } from '../../../../shared/api';
import { describeQuery, type FilterNode } from '../../../../shared/filter';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { useWorkspace } from '../../workspace/context';
import {
  makeView,
  publishActivePolicy,
  publishCurrentView,
  useCurrentState,
} from '../sessions/current-view';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportForm, type ExportSelection, type OutFormat } from './ExportForm';
import { ExportHistory } from './ExportHistory';
import { checkPolicy, emptyPolicy, redactionSignature, type PolicyDoc } from './policy-doc';
import { PolicyEditor, type EditorColumn } from './PolicyEditor';
import { PolicyPreview } from './PolicyPreview';
import { PolicyToolbar } from './PolicyToolbar';
import { usePolicyPreview } from './usePolicyPreview';

const DEFAULT_POLICY = 'share-with-authority';

type SubsetMode = 'all' | 'current' | 'session';

interface Loaded {
  name: string;
  builtIn: boolean;
  /** JSON of the document as loaded: edits are compared with it. */
  json: string;
}

export function ExportView() {
  const api = useApi();
  const ws = useWorkspace();
  const { caseInfo, datasets } = ws;
  const caseId = caseInfo.caseId;
  const current = useCurrentState(caseId);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // ---- Selection -------------------------------------------------------------------------
  // Null until the investigator chooses: follows the view open in Records, else the focus.
  const [datasetChoice, setDataset] = useState<string | null>(null);
  const [modeChoice, setMode] = useState<SubsetMode | null>(null);
  const [sessions, setSessions] = useState<SessionInfo[]>([]);
  const [sessionName, setSessionName] = useState('');
  const [sessionView, setSessionView] = useState<{
    name: string;
    dataset: string;
    filter: FilterNode | null;
    search: string | null;
  } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [initialFormat, setInitialFormat] = useState<OutFormat | undefined>(undefined);
  const [startPdf, setStartPdf] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  // A navigation request (e.g. "Export these records" from Records) brings its selection: it
  // becomes the current view, which the selection below follows until the investigator chooses.
  // The menu's "PDF report…" (even while this view is open): a new form, preset and started.
  const { takeRequest } = ws;
  useEffect(() => {
    const req = takeRequest('export');
    if (req?.dataset) {
      publishCurrentView(caseId, makeView(req.dataset, req.filter ?? null), 'records');
    }
    if (req?.report === 'pdf') {
      // A one-shot request from the workspace.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setInitialFormat('pdf');
      setStartPdf(true);
      setFormKey((k) => k + 1);
    }
  }, [takeRequest, caseId]);

  // The dataset list arrives after the first render.
  const preferred = datasetChoice ?? current?.view?.dataset ?? ws.dataset;
  const effectiveDataset =
    preferred !== null && datasets.some((d) => d.name === preferred)
      ? preferred
      : (datasets[0]?.name ?? '');
  const dsInfo = datasets.find((d) => d.name === effectiveDataset) ?? null;

  useEffect(() => {
    let live = true;
    api.client
      .call('session.list', {})
      .then((r) => live && setSessions(r.sessions))
      .catch(() => {
        /* sessions are optional here: the selection simply offers none */
      });
    return () => {
      live = false;
    };
  }, [api]);

  const currentView =
    current?.view && current.view.dataset === effectiveDataset ? current.view : null;
  const mode: SubsetMode =
    modeChoice === 'current' && !currentView
      ? 'all'
      : (modeChoice ??
        (currentView && (currentView.filter || currentView.search) ? 'current' : 'all'));
  useEffect(() => {
    if (mode !== 'session' || !sessionName) return;
    let live = true;
    api.client
      .call('session.get', { name: sessionName })
      .then((s) => {
        if (!live) return;
        const v = s.document.views[s.document.activeView];
        const local = v ? s.matches.find((m) => m.key === v.dataset)?.local : null;
        setSessionView(
          v && local
            ? { name: s.name, dataset: local.name, filter: v.filter, search: v.search }
            : null,
        );
      })
      .catch(() => live && setSessionView(null));
    return () => {
      live = false;
    };
  }, [api, mode, sessionName]);

  const selection: ExportSelection | null = useMemo(() => {
    if (mode === 'session') {
      if (!sessionName) return null;
      const sv = sessionView?.name === sessionName ? sessionView : null;
      return {
        dataset: sv?.dataset ?? effectiveDataset,
        filter: sv?.filter ?? null,
        search: sv?.search ?? null,
        session: sessionName,
      };
    }
    if (!effectiveDataset) return null;
    if (mode === 'current' && currentView) {
      return {
        dataset: effectiveDataset,
        filter: currentView.filter,
        search: currentView.search,
        session: null,
      };
    }
    return { dataset: effectiveDataset, filter: null, search: null, session: null };
  }, [mode, sessionName, sessionView, effectiveDataset, currentView]);

  // ---- Policy ----------------------------------------------------------------------------
  const [policies, setPolicies] = useState<PolicySummary[]>([]);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [doc, setDoc] = useState<PolicyDoc | null>(null);
  const [saveName, setSaveName] = useState('');
  const [busy, setBusy] = useState(false);
  const [policyError, setPolicyError] = useState<string | null>(null);
  const [policyNotice, setPolicyNotice] = useState<string | null>(null);

  const refreshPolicies = useCallback(
    () =>
      api.client
        .call('policy.list', {})
        .then((r) => setPolicies(r.policies))
        .catch((e: unknown) => setPolicyError(errorMessage(e))),
    [api],
  );

  /** Loads a policy into the editor; `publish`: chosen here, it becomes the policy in use. */
  const load = useCallback(
    async (name: string, publish = true) => {
      try {
        const r = await api.client.call('policy.get', { name });
        const json = JSON.stringify(r.policy);
        setLoaded({ name: r.policy.name, builtIn: r.builtIn, json });
        setDoc(JSON.parse(json) as PolicyDoc);
        setSaveName(r.builtIn ? `${r.policy.name}-custom` : r.policy.name);
        setPolicyError(null);
        if (publish) publishActivePolicy(caseId, r.policy.name);
      } catch (e) {
        setPolicyError(errorMessage(e));
      }
    },
    [api, caseId],
  );

  // Opening the view shows the policy in use without changing it (the grid's redacted view
  // follows only a policy chosen here).
  const initialPolicy = useRef(current?.policy ?? DEFAULT_POLICY);
  useEffect(() => {
    void refreshPolicies();
    void load(initialPolicy.current, false);
  }, [refreshPolicies, load]);

  const dirty = doc !== null && loaded !== null && JSON.stringify(doc) !== loaded.json;
  const check = useMemo(() => (doc ? checkPolicy(doc) : null), [doc]);
  const policyRef: unknown =
    doc && check?.ok && (dirty || !loaded) ? check.policy : (loaded?.name ?? DEFAULT_POLICY);
  const policyLabel = loaded
    ? `“${loaded.name}”${dirty ? ' with your unsaved edits' : ''}`
    : DEFAULT_POLICY;

  const save = async () => {
    if (!doc) return;
    const name = saveName.trim();
    setBusy(true);
    setPolicyNotice(null);
    try {
      const r = await api.client.call('policy.save', {
        policy: { ...doc, name },
        overwrite: loaded !== null && !loaded.builtIn && loaded.name === name,
      });
      await refreshPolicies();
      await load(r.name);
      setPolicyNotice(`Policy “${r.name}” ${r.created ? 'saved' : 'updated'}.`);
    } catch (e) {
      setPolicyError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!loaded) return;
    setBusy(true);
    try {
      await api.client.call('policy.delete', { name: loaded.name });
      setPolicyNotice(`Policy “${loaded.name}” deleted.`);
      await refreshPolicies();
      await load(DEFAULT_POLICY);
    } catch (e) {
      setPolicyError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const importPolicy = async (path: string) => {
    setBusy(true);
    try {
      const r = await api.client.call('policy.import', { path, overwrite: false });
      await refreshPolicies();
      await load(r.name);
      setPolicyNotice(`Policy “${r.name}” imported.`);
    } catch (e) {
      setPolicyError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const exportPolicy = async (path: string) => {
    if (!loaded) return;
    setBusy(true);
    try {
      const r = await api.client.call('policy.export', { name: loaded.name, path });
      setPolicyNotice(`Policy “${loaded.name}” written to ${r.path}.`);
    } catch (e) {
      setPolicyError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const newPolicy = () => {
    const base = emptyPolicy('new-policy');
    setLoaded(null);
    setDoc(base);
    setSaveName('new-policy');
    setPolicyNotice(null);
  };

  // ---- Preview ---------------------------------------------------------------------------
  const previewRequest =
    selection && doc && check?.ok
      ? {
          dataset: selection.dataset,
          policy: policyRef,
          filter: selection.filter,
          search: selection.search,
          key: JSON.stringify([
            redactionSignature(doc),
            selection.dataset,
            selection.filter,
            selection.search,
          ]),
        }
      : null;
  const preview = usePolicyPreview(previewRequest);
  const [lastPreview, setLastPreview] = useState<PreviewResult | null>(null);
  if (preview.preview && preview.preview !== lastPreview) setLastPreview(preview.preview);

  const editorColumns: EditorColumn[] = useMemo(() => {
    const cols = dsInfo?.columns ?? [];
    const detected = lastPreview?.dataset === dsInfo?.name ? lastPreview?.columns : undefined;
    return cols.map((c) => ({
      name: c.name,
      path: c.path,
      detected: detected?.find((d) => d.path === c.path || d.name === c.name) ?? null,
    }));
  }, [dsInfo, lastPreview]);

  const onExported = useCallback(() => setHistoryKey((k) => k + 1), []);

  const currentText = currentView
    ? describeQuery(
        currentView.filter ?? undefined,
        currentView.search ?? undefined,
        dsInfo?.columns,
      )
    : null;

  return (
    <section aria-labelledby="export-title" className="export-view">
      <div className="screen-head">
        <h1 id="export-title" tabIndex={-1} ref={headingRef}>
          Redaction and export
        </h1>
      </div>
      {datasets.length === 0 ? (
        <p className="notice">Import a dataset first: exports read the datasets of the case.</p>
      ) : null}

      <section className="card" aria-labelledby="selection-title">
        <h2 id="selection-title">What to export</h2>
        <div className="inline-form">
          <div className="field">
            <label htmlFor="export-dataset">Dataset</label>
            <select
              id="export-dataset"
              value={effectiveDataset}
              disabled={mode === 'session'}
              onChange={(e) => setDataset(e.target.value)}
            >
              {datasets.map((d) => (
                <option key={d.id} value={d.name}>
                  {d.name} ({d.rows.toLocaleString('en')} records)
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field subset">
            <legend>Records</legend>
            <label className="check">
              <input
                type="radio"
                name="export-subset"
                checked={mode === 'all'}
                onChange={() => setMode('all')}
              />
              All records
            </label>
            <label className="check">
              <input
                type="radio"
                name="export-subset"
                checked={mode === 'current'}
                disabled={!currentView}
                onChange={() => setMode('current')}
              />
              Current view{currentText ? `: ${currentText}` : ' (none open on this dataset)'}
            </label>
            <label className="check">
              <input
                type="radio"
                name="export-subset"
                checked={mode === 'session'}
                disabled={sessions.length === 0}
                onChange={() => {
                  setMode('session');
                  if (!sessionName && sessions[0]) setSessionName(sessions[0].name);
                }}
              />
              Saved session
            </label>
            {mode === 'session' ? (
              <select
                aria-label="Session to export"
                value={sessionName}
                onChange={(e) => setSessionName(e.target.value)}
              >
                {sessions.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </select>
            ) : null}
          </fieldset>
        </div>
      </section>

      <div className="export-grid">
        <section className="card" aria-labelledby="policy-title">
          <h2 id="policy-title">Redaction policy</h2>
          <ErrorAlert message={policyError} />
          {policyNotice ? (
            <p role="status" className="verdict ok">
              {policyNotice}
            </p>
          ) : null}
          <PolicyToolbar
            policies={policies}
            selected={loaded?.name ?? saveName}
            builtIn={loaded?.builtIn ?? false}
            dirty={dirty || loaded === null}
            saveName={saveName}
            busy={busy}
            onSelect={(n) => {
              setPolicyNotice(null);
              void load(n);
            }}
            onNew={newPolicy}
            onSaveName={setSaveName}
            onSave={() => void save()}
            onDelete={() => void remove()}
            onImport={(p) => void importPolicy(p)}
            onExport={(p) => void exportPolicy(p)}
          />
          {check && !check.ok ? (
            <div role="alert" className="alert">
              This policy is not valid yet:
              <ul>
                {check.issues.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {doc ? (
            <PolicyEditor
              doc={doc}
              onChange={setDoc}
              columns={editorColumns}
              readOnlyName={loaded?.builtIn ?? false}
            />
          ) : null}
        </section>
        <PolicyPreview
          preview={preview.preview}
          stale={preview.stale}
          loading={preview.loading}
          error={preview.error}
        />
      </div>

      <ExportForm
        key={formKey}
        selection={selection}
        policy={policyRef}
        policyLabel={policyLabel}
        policyProblem={check && !check.ok ? 'Fix the policy first.' : null}
        {...(initialFormat ? { initialFormat } : {})}
        startPdf={startPdf && loaded !== null}
        onExported={onExported}
      />
      <ExportHistory refreshKey={historyKey} />
    </section>
  );
}
