/**
 * New case: where (dialog or typed path), a passphrase with confirmation and a strength meter.
 * The passphrase is held only in this form's state and sent once to case.create.
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { CaseInfo } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MIN_ACCEPTED_SCORE, passphraseStrength } from './passphrase-strength';
import { PassphraseMeter } from './PassphraseMeter';
import { PathField } from './PathField';

export function CreateCaseForm({
  initialPath = '',
  onCreated,
}: {
  initialPath?: string;
  onCreated(info: CaseInfo): void;
}) {
  const api = useApi();
  const id = useId();
  const [path, setPath] = useState(initialPath);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const strength = useMemo(() => passphraseStrength(passphrase), [passphrase]);

  const problems: string[] = [];
  if (path.trim() === '') problems.push('choose where to save the case');
  if (strength.score < MIN_ACCEPTED_SCORE) problems.push('use a stronger passphrase');
  if (confirm !== passphrase || passphrase === '') problems.push('repeat the same passphrase');
  const mismatch = confirm !== '' && confirm !== passphrase;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (problems.length > 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      const info = await api.client.call('case.create', { path: path.trim(), passphrase });
      setPassphrase('');
      setConfirm('');
      onCreated(info);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`}>New case</h2>
      <p className="muted">
        One encrypted file holds everything about the case. Without the passphrase nobody, including
        you, can open it again.
      </p>
      <PathField
        id={`${id}-path`}
        label="Case file"
        kind="case-new"
        value={path}
        onChange={setPath}
        placeholder="e.g. /cases/enquete.lscase"
      />
      <div className="field">
        <label htmlFor={`${id}-pass`}>Passphrase</label>
        <input
          id={`${id}-pass`}
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <PassphraseMeter strength={strength} id={`${id}-strength`} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-confirm`}>Repeat the passphrase</label>
        <input
          id={`${id}-confirm`}
          type="password"
          autoComplete="new-password"
          value={confirm}
          aria-invalid={mismatch}
          aria-describedby={mismatch ? `${id}-mismatch` : undefined}
          onChange={(e) => setConfirm(e.target.value)}
        />
        {mismatch ? (
          <p id={`${id}-mismatch`} className="field-error">
            The passphrases differ.
          </p>
        ) : null}
      </div>
      <ErrorAlert message={error} />
      <div className="actions">
        <button type="submit" disabled={problems.length > 0 || busy}>
          {busy ? 'Creating…' : 'Create case'}
        </button>
        {problems.length > 0 ? (
          <span className="muted small">To continue: {problems.join('; ')}.</span>
        ) : null}
      </div>
    </form>
  );
}
