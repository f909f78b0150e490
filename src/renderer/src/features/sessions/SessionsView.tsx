/**
 * The Sessions view (issues 8 and 9): save the view on screen under a name, list the saved
 * sessions, open one (restored in Records after a reproducibility check), rename, duplicate,
 * delete, export one as a JSON file for a colleague and import one; the autosaved last session
 * is offered at the top.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionCheck, SessionInfo } from '../../../../shared/api';
import { describeQuery } from '../../../../shared/filter';
import { useApi } from '../../api/context';
import { Check } from '../../components/Check';
import { SessionsLastBanner } from '../../components/SessionsLastBanner';
import { errorMessage } from '../../lib/errors';
import { formatTimestamp } from '../../lib/format';
import { useWorkspace } from '../../workspace/context';
import { toViewDraft, useCurrentState } from './current-view';
import { SessionCheckPanel } from './SessionCheckPanel';
import { SessionExportPanel } from './SessionExportPanel';
import { SessionImportCard } from './SessionImportCard';
import { useRestore } from './useRestore';

type RowEdit = { name: string; action: 'rename' | 'duplicate'; value: string } | null;

export function SessionsView() {
  const api = useApi();
  const ws = useWorkspace();
  const caseId = ws.caseInfo.caseId;
  const current = useCurrentState(caseId);
  const autosave = ws.autosave;
  const restore = useRestore();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [edit, setEdit] = useState<RowEdit>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [checks, setChecks] = useState<Record<string, SessionCheck>>({});
  const [exported, setExported] = useState<{ name: string; text: string } | null>(null);
  const [name, setName] = useState('');
  const [notes, setNotes] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const refresh = useCallback(
    () =>
      api.client
        .call('session.list', {})
        .then((r) => {
          setSessions(r.sessions);
          setError(null);
        })
        .catch((e: unknown) => setError(errorMessage(e))),
    [api],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const act = async (what: () => Promise<string | null>) => {
    setError(null);
    setNotice(null);
    try {
      const message = await what();
      if (message) setNotice(message);
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const view = current?.view ?? null;
  const dsColumns = ws.datasets.find((d) => d.name === view?.dataset)?.columns;
  const viewText = view
    ? `${view.dataset}: ${describeQuery(view.filter ?? undefined, view.search ?? undefined, dsColumns)}`
    : null;

  const save = () =>
    act(async () => {
      if (!view) return null;
      const r = await api.client.call('session.save', {
        name: name.trim(),
        overwrite,
        session: {
          views: [toViewDraft(view)],
          activeView: 0,
          redactionPolicy: current?.policy ?? null,
          notes,
        },
      });
      setName('');
      setNotes('');
      const rows = r.rows === null ? '' : ` (${r.rows.toLocaleString('en')} matching records)`;
      return `Session “${r.name}” ${r.created ? 'saved' : 'replaced'}${rows}.`;
    });

  const check = (n: string) =>
    act(async () => {
      const c = await api.client.call('session.check', { name: n });
      setChecks((m) => ({ ...m, [n]: c }));
      return null;
    });

  const applyEdit = () =>
    act(async () => {
      if (!edit) return null;
      const to = edit.value.trim();
      if (edit.action === 'rename') {
        await api.client.call('session.rename', { name: edit.name, to });
        setEdit(null);
        return `Session “${edit.name}” renamed to “${to}”.`;
      }
      await api.client.call('session.duplicate', { name: edit.name, to });
      setEdit(null);
      return `Session “${edit.name}” copied as “${to}”.`;
    });

  const remove = (n: string) =>
    act(async () => {
      await api.client.call('session.delete', { name: n });
      setConfirmDelete(null);
      return `Session “${n}” deleted.`;
    });

  const exportSession = (n: string) =>
    act(async () => {
      const file = await api.client.call('session.export', { name: n, flags: true });
      setExported({ name: n, text: JSON.stringify(file, null, 2) });
      return null;
    });

  /** The secondary buttons of a saved session's row, each labelled with the session's name. */
  const rowActions = (n: string): [verb: string, run: () => void][] => [
    ['Check', () => void check(n)],
    ['Rename', () => setEdit({ name: n, action: 'rename', value: n })],
    ['Duplicate', () => setEdit({ name: n, action: 'duplicate', value: `${n} (copy)` })],
    ['Export', () => void exportSession(n)],
    ['Delete', () => setConfirmDelete(n)],
  ];

  const held = restore.held;

  return (
    <section aria-labelledby="sessions-title" className="sessions-view">
      <div className="screen-head">
        <h1 id="sessions-title" tabIndex={-1} ref={headingRef}>
          Sessions
        </h1>
        <span className="muted small" role="status">
          {autosave.error
            ? `Autosave failed: ${autosave.error}`
            : autosave.savedAt
              ? `Current view autosaved ${formatTimestamp(autosave.savedAt)}`
              : ''}
        </span>
      </div>
      <SessionsLastBanner />
      {error || restore.error ? (
        <p role="alert" className="alert">
          {error ?? restore.error}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="verdict ok">
          {notice}
        </p>
      ) : null}
      {held ? (
        <div className="card held-session" role="alert" data-testid="held-session">
          <h2>Opening “{held.name || 'last session'}”</h2>
          {held.check ? <SessionCheckPanel check={held.check} /> : null}
          {!held.target.ok ? <p className="alert">{held.target.message}</p> : null}
          {held.opened.warnings.map((w) => (
            <p key={w} className="notice small">
              {w}
            </p>
          ))}
          <div className="actions">
            {held.target.ok ? (
              <button type="button" onClick={restore.proceed}>
                Open anyway
              </button>
            ) : null}
            <button type="button" className="secondary" onClick={restore.dismiss}>
              Close
            </button>
          </div>
        </div>
      ) : null}

      <div className="forms sessions-forms">
        <section className="card" aria-labelledby="save-title">
          <h2 id="save-title">Save the current view</h2>
          {viewText ? (
            <p className="help" data-testid="current-view">
              {viewText}
              {current?.policy ? ` · policy “${current.policy}”` : ''}
            </p>
          ) : (
            <p className="muted">
              No view open yet: open records (from Records, an overlap or a session) first.
            </p>
          )}
          <form
            aria-label="Save session"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <div className="field">
              <label htmlFor="session-name">Name</label>
              <input
                id="session-name"
                type="text"
                value={name}
                maxLength={200}
                onChange={(e) => setName(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="session-notes">Notes</label>
              <textarea
                id="session-notes"
                rows={3}
                value={notes}
                onChange={(e) => setNotes(e.target.value)}
              />
            </div>
            <Check checked={overwrite} onChange={setOverwrite}>
              Replace a session of the same name
            </Check>
            <div className="actions">
              <button type="submit" disabled={!view || !name.trim()}>
                Save session
              </button>
            </div>
          </form>
        </section>
        <SessionImportCard
          onImported={(message) => {
            setNotice(message);
            void refresh();
          }}
        />
      </div>

      <section className="card" aria-labelledby="saved-title">
        <h2 id="saved-title">Saved sessions</h2>
        {sessions && sessions.length === 0 ? <p className="muted">No saved session yet.</p> : null}
        {sessions && sessions.length ? (
          <ul className="session-list">
            {sessions.map((s) => (
              <li key={s.name} className="session-item" data-testid={`session-${s.name}`}>
                <div className="session-main">
                  <h3>{s.name}</h3>
                  <p className="session-desc">{s.description}</p>
                  <p className="help">
                    Updated {formatTimestamp(s.updatedAt)} · {s.datasets.join(', ')}
                    {s.rows !== null ? ` · ${s.rows.toLocaleString('en')} records when saved` : ''}
                    {s.storedVersion < 2 ? ` · stored as version ${s.storedVersion}` : ''}
                  </p>
                  {checks[s.name] ? <SessionCheckPanel check={checks[s.name]!} /> : null}
                  {edit?.name === s.name ? (
                    <form
                      className="inline-form"
                      aria-label={edit.action === 'rename' ? 'Rename session' : 'Duplicate session'}
                      onSubmit={(e) => {
                        e.preventDefault();
                        void applyEdit();
                      }}
                    >
                      <div className="field">
                        <label htmlFor={`edit-${s.name}`}>
                          {edit.action === 'rename' ? 'New name' : 'Name of the copy'}
                        </label>
                        <input
                          id={`edit-${s.name}`}
                          type="text"
                          value={edit.value}
                          autoFocus
                          onChange={(e) => setEdit({ ...edit, value: e.target.value })}
                          onKeyDown={(e) => {
                            if (e.key === 'Escape') setEdit(null);
                          }}
                        />
                      </div>
                      <button
                        type="submit"
                        disabled={!edit.value.trim() || edit.value.trim() === s.name}
                      >
                        {edit.action === 'rename' ? 'Rename' : 'Duplicate'}
                      </button>
                      <button type="button" className="secondary" onClick={() => setEdit(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : null}
                  {confirmDelete === s.name ? (
                    <div className="actions" role="group" aria-label="Confirm deletion">
                      <span>Delete “{s.name}”? Records and their tags stay.</span>
                      <button type="button" className="danger" onClick={() => void remove(s.name)}>
                        Delete
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => setConfirmDelete(null)}
                      >
                        Keep
                      </button>
                    </div>
                  ) : null}
                </div>
                <div className="session-actions" role="group" aria-label={`Actions on ${s.name}`}>
                  <button
                    type="button"
                    disabled={restore.busy !== null}
                    onClick={() => void restore.open(s.name)}
                    aria-label={`Open ${s.name}`}
                  >
                    {restore.busy === s.name ? 'Opening…' : 'Open'}
                  </button>
                  {rowActions(s.name).map(([verb, run]) => (
                    <button
                      key={verb}
                      type="button"
                      className="secondary"
                      onClick={run}
                      aria-label={`${verb} ${s.name}`}
                    >
                      {verb}
                    </button>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {exported ? (
        <SessionExportPanel
          name={exported.name}
          text={exported.text}
          onClose={() => setExported(null)}
        />
      ) : null}
    </section>
  );
}
