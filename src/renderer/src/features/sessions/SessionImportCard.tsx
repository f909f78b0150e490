/**
 * Importing a session file a colleague exported: read the JSON (a file chosen here, or pasted),
 * check it first (session.import with dryRun: which datasets match by source SHA-256, what is
 * missing), then import it, optionally under another name and with its tags and notes.
 */
import { useState } from 'react';
import type { SessionImportResult } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { Check } from '../../components/Check';
import { errorMessage } from '../../lib/errors';
import { ErrorAlert } from '../../components/ErrorAlert';

export function SessionImportCard({ onImported }: { onImported(message: string): void }) {
  const api = useApi();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [flags, setFlags] = useState(true);
  const [overwrite, setOverwrite] = useState(false);
  const [dry, setDry] = useState<SessionImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const parse = (): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error(`This is not JSON: ${(e as Error).message}`, { cause: e });
    }
  };

  const run = async (dryRun: boolean) => {
    setError(null);
    setBusy(true);
    try {
      const r = await api.client.call('session.import', {
        file: parse(),
        ...(name.trim() ? { name: name.trim() } : {}),
        overwrite,
        flags,
        dryRun,
      });
      if (dryRun) setDry(r);
      else {
        setDry(null);
        setText('');
        setFileName(null);
        setName('');
        onImported(r.message);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="import-session-title">
      <h2 id="import-session-title">Import a session file</h2>
      <div className="field">
        <label htmlFor="session-file">Session file (.json)</label>
        <input
          id="session-file"
          type="file"
          accept=".json,application/json"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setDry(null);
            setError(null);
            void f.text().then((t) => {
              setText(t);
              setFileName(f.name);
            });
          }}
        />
        {fileName ? <p className="help">Read {fileName}.</p> : null}
      </div>
      <details>
        <summary>Or paste its content</summary>
        <textarea
          aria-label="Session file content"
          className="mono"
          rows={5}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setFileName(null);
            setDry(null);
          }}
        />
      </details>
      <div className="field">
        <label htmlFor="import-session-name">Save as (optional)</label>
        <input
          id="import-session-name"
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <Check checked={flags} onChange={setFlags}>
        Apply the tags and notes it carries
      </Check>
      <Check checked={overwrite} onChange={setOverwrite}>
        Replace a session of the same name
      </Check>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={busy || !text.trim()}
          onClick={() => void run(true)}
        >
          Check file
        </button>
        <button type="button" disabled={busy || !text.trim()} onClick={() => void run(false)}>
          Import
        </button>
      </div>
      <ErrorAlert message={error} />
      {dry ? (
        <div className="notice" data-testid="import-check">
          <p>{dry.message}</p>
          <ul className="small">
            {dry.matches.map((m) => (
              <li key={m.key}>
                {m.saved.name}:{' '}
                {m.local
                  ? `found here as ${m.local.name}${m.by ? ` (by ${m.by === 'sha256' ? 'source SHA-256' : m.by})` : ''}`
                  : 'missing'}
                {m.warning ? ` — ${m.warning}` : ''}
              </li>
            ))}
          </ul>
          {dry.warnings.map((w) => (
            <p key={w} className="small">
              {w}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}
