/** The strength meter under a new-passphrase field: four segments, a label and a hint. */
import type { Strength } from './passphrase-strength';

export function PassphraseMeter({ strength, id }: { strength: Strength; id: string }) {
  return (
    <div className="strength" data-score={strength.score}>
      <div
        className="strength-bar"
        role="meter"
        aria-labelledby={`${id}-label`}
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={strength.score}
        aria-valuetext={strength.label}
      >
        {[1, 2, 3, 4].map((n) => (
          <span key={n} className={n <= strength.score ? 'on' : undefined} />
        ))}
      </div>
      <p id={`${id}-label`} className="strength-text" aria-live="polite">
        Strength: <strong data-testid="strength-label">{strength.label}</strong>
        {strength.hint ? <span className="muted"> — {strength.hint}</span> : null}
      </p>
    </div>
  );
}
