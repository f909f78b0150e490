/**
 * The case-file field. Desktop: read-only, filled by main's native dialog (the renderer never
 * invents a path there). Browser over the bridge: a text field for a path on the machine running
 * `leakscope serve` (the operator's own machine: see src/main/web/server.ts for the trust model).
 * Fixed-case bridge: shown, not editable.
 */
import type { FileKind } from '../../../../shared/desktop';
import { useApi } from '../../api/context';

interface PathFieldProps {
  id: string;
  label: string;
  kind: FileKind;
  value: string;
  onChange(path: string): void;
  placeholder: string;
  fixed?: boolean;
}

export function PathField({
  id,
  label,
  kind,
  value,
  onChange,
  placeholder,
  fixed,
}: PathFieldProps) {
  const api = useApi();
  const pick = api.pickFile;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="path-row">
        <input
          id={id}
          name={id}
          type="text"
          value={value}
          placeholder={pick ? 'Choose a file…' : placeholder}
          readOnly={pick !== null || fixed === true}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
        />
        {pick && !fixed ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              void pick(kind).then((path) => {
                if (path !== null) onChange(path);
              });
            }}
          >
            Choose…
          </button>
        ) : null}
      </div>
      {pick === null && !fixed ? (
        <p className="help">A path on the machine running the bridge.</p>
      ) : null}
    </div>
  );
}
