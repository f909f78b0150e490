/**
 * An exported session file (session.export): the JSON a colleague holding the same evidence
 * imports (datasets are matched there by their source SHA-256). The engine returns the document
 * rather than writing it, so it is shown here to copy, and offered as a download in the browser
 * (the desktop app refuses downloads: there, copy it into a file).
 */
import { useEffect, useMemo, useRef } from 'react';
import { useApi } from '../../api/context';

export function SessionExportPanel({
  name,
  text,
  onClose,
}: {
  name: string;
  text: string;
  onClose(): void;
}) {
  const api = useApi();
  const area = useRef<HTMLTextAreaElement>(null);
  const canDownload = api.kind === 'http' && typeof URL.createObjectURL === 'function';
  const url = useMemo(
    () =>
      canDownload ? URL.createObjectURL(new Blob([text], { type: 'application/json' })) : null,
    [canDownload, text],
  );
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  useEffect(() => {
    area.current?.focus();
    area.current?.select();
  }, [text]);
  const fileName = `${name.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.session.json`;
  return (
    <section className="card" aria-labelledby="session-export-title" data-testid="session-export">
      <div className="card-head">
        <h2 id="session-export-title">Session file: {name}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="help">
        The session with its datasets’ source hashes and the tags and notes on its records. It holds
        the filter and search text, not the records themselves.
        {canDownload ? '' : ' Copy it (Ctrl+C) into a .json file.'}
      </p>
      <textarea
        ref={area}
        className="mono session-json"
        readOnly
        rows={10}
        value={text}
        aria-label={`Session file of ${name}`}
      />
      {url ? (
        <div className="actions">
          <a className="button-link" href={url} download={fileName}>
            Download {fileName}
          </a>
        </div>
      ) : null}
    </section>
  );
}
