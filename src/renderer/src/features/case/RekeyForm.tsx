/** Change the passphrase of the open case (case.rekey), behind a disclosure. */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { MIN_ACCEPTED_SCORE, passphraseStrength } from './passphrase-strength';
import { PassphraseMeter } from './PassphraseMeter';

export function RekeyForm({ onDone }: { onDone(): void }) {
  const api = useApi();
  const id = useId();
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const strength = useMemo(() => passphraseStrength(next), [next]);
  const ready = strength.score >= MIN_ACCEPTED_SCORE && confirm === next && !busy;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setMessage(null);
    try {
      await api.client.call('case.rekey', { newPassphrase: next });
      setNext('');
      setConfirm('');
      setMessage({ ok: true, text: 'The case now opens with the new passphrase only.' });
      onDone();
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="card">
      <summary>Change the passphrase</summary>
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-new`}>New passphrase</label>
          <input
            id={`${id}-new`}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <PassphraseMeter strength={strength} id={`${id}-strength`} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-confirm`}>Repeat it</label>
          <input
            id={`${id}-confirm`}
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </div>
        {message ? (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'alert'}>
            {message.text}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={!ready}>
            {busy ? 'Re-encrypting…' : 'Change passphrase'}
          </button>
        </div>
      </form>
    </details>
  );
}
