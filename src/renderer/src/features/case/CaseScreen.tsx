/**
 * The screen shown when no case is open (or the user asked for another one): open and create side
 * by side. A fixed-case bridge offers only to unlock its case.
 */
import type { CaseInfo } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { CreateCaseForm } from './CreateCaseForm';
import { OpenCaseForm } from './OpenCaseForm';

export interface CaseScreenProps {
  onReady(info: CaseInfo): void;
  /** Prefilled by a native menu command (desktop), after main's dialog. */
  preset?: { mode: 'create' | 'open'; path: string } | null;
  /** Shown when a case is already open and this screen was asked for to switch cases. */
  onCancel?: () => void;
  notice?: string | null;
}

export function CaseScreen({ onReady, preset, onCancel, notice }: CaseScreenProps) {
  const api = useApi();
  const fixed = api.fixedCasePath !== null;
  const key = preset ? `${preset.mode}:${preset.path}` : 'none';
  return (
    <section className="case-screen" aria-labelledby="case-screen-title">
      <div className="screen-head">
        <h1 id="case-screen-title" tabIndex={-1}>
          {fixed ? 'Case locked' : 'Choose a case'}
        </h1>
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Back to the open case
          </button>
        ) : null}
      </div>
      {notice ? (
        <p role="status" className="notice">
          {notice}
        </p>
      ) : null}
      <div className={fixed ? 'forms single' : 'forms'}>
        <OpenCaseForm
          key={`open-${key}`}
          initialPath={preset?.mode === 'open' ? preset.path : ''}
          autoFocusPassphrase={preset?.mode === 'open' || fixed}
          onOpened={onReady}
        />
        {fixed ? null : (
          <CreateCaseForm
            key={`create-${key}`}
            initialPath={preset?.mode === 'create' ? preset.path : ''}
            onCreated={onReady}
          />
        )}
      </div>
    </section>
  );
}
