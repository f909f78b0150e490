/**
 * A checkbox inside its label, the form control every view uses for an option ("Replace the file
 * if it exists", "Redacted view", "exclude these (NOT)"): the whole text is the click target and
 * the accessible name.
 */
import type { ReactNode } from 'react';

export function Check({
  checked,
  onChange,
  disabled,
  className = 'check',
  children,
}: {
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
  /** `check` in forms, `fb-check` in toolbars and the filter builder. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={className}>
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      {children}
    </label>
  );
}
