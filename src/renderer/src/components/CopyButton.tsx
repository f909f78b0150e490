/**
 * Copies a value (a SHA-256, a path) to the clipboard, and says so. The clipboard API needs a
 * secure context: the Electron app and the loopback bridge (127.0.0.1) both are. When it is
 * refused, the value is selected in a read-only field instead so Ctrl+C still works.
 */
import { useEffect, useRef, useState } from 'react';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state === 'copied') {
      const t = setTimeout(() => setState('idle'), 2000);
      return () => clearTimeout(t);
    }
    if (state === 'manual') field.current?.select();
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('manual');
    }
  }

  return (
    <span className="copy">
      <button
        type="button"
        className="secondary small-button"
        aria-label={label}
        title={label}
        onClick={() => void copy()}
      >
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {state === 'manual' ? (
        <input
          ref={field}
          className="copy-field"
          type="text"
          readOnly
          value={value}
          aria-label={`${label}: press Ctrl+C`}
          onBlur={() => setState('idle')}
        />
      ) : null}
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
    </span>
  );
}
