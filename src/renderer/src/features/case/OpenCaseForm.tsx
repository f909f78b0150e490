/** Open an existing case with its passphrase (or re-open the case of a fixed-case bridge). */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { CaseInfo } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PathField } from './PathField';

/**
 * After this long an open is most likely upgrading a case written by an earlier version (the
 * engine does that in a job worker as the case opens): the form says so instead of only waiting.
 */
export const SLOW_OPEN_MS = 2000;

export function OpenCaseForm({
  initialPath = '',
  autoFocusPassphrase = false,
  onOpened,
}: {
  initialPath?: string;
  autoFocusPassphrase?: boolean;
  onOpened(info: CaseInfo): void;
}) {
  const api = useApi();
  const id = useId();
  const fixed = api.fixedCasePath;
  const [path, setPath] = useState(fixed ?? initialPath);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [slow, setSlow] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (autoFocusPassphrase) passRef.current?.focus();
  }, [autoFocusPassphrase]);

  useEffect(() => {
    if (!busy) return;
    const timer = setTimeout(() => setSlow(true), SLOW_OPEN_MS);
    return () => clearTimeout(timer);
  }, [busy]);

  const ready = path.trim() !== '' && passphrase !== '' && !busy;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const info = await api.client.call('case.open', { path: path.trim(), passphrase });
      setPassphrase('');
      onOpened(info);
    } catch (err) {
      setError(errorMessage(err));
      passRef.current?.select();
    } finally {
      setBusy(false);
      setSlow(false);
    }
  }

  return (
    <form className="card" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`}>{fixed ? 'Unlock the case' : 'Open a case'}</h2>
      <PathField
        id={`${id}-path`}
        label="Case file"
        kind="case-open"
        value={path}
        onChange={setPath}
        placeholder="e.g. /cases/enquete.lscase"
        fixed={fixed !== null}
      />
      <div className="field">
        <label htmlFor={`${id}-pass`}>Passphrase</label>
        <input
          id={`${id}-pass`}
          ref={passRef}
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </div>
      <ErrorAlert message={error} />
      {busy && slow ? (
        <p role="status" className="muted">
          Still opening. A case written by an earlier version of Leakscope is upgraded once as it
          opens; with millions of identity keys this takes a minute or more.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={!ready}>
          {busy ? 'Opening…' : 'Open case'}
        </button>
      </div>
    </form>
  );
}
