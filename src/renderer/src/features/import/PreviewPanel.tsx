/**
 * What `import.preview` found in the file, before anything is written: the detected format (with
 * every reader's score), encoding, delimiter and header, the first records of each table, and a
 * sample of the lines that would be rejected. The investigator can override the detection and
 * preview again; the same overrides then go to `import.run`.
 */
import { useId, type FormEvent, type ReactNode } from 'react';
import type { ImportPreview } from '../../../../shared/api';
import { formatShare } from '../../components/JobProgress';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes } from '../../lib/format';
import {
  DELIMITER_OPTIONS,
  ENCODING_OPTIONS,
  FORMAT_OPTIONS,
  delimitedFormat,
  delimiterInvalid,
  delimiterName,
  type Overrides,
} from './overrides';
import { RejectRows } from './RejectsTable';

export function formatLabel(id: string): string {
  return FORMAT_OPTIONS.find((f) => f.value === id)?.label ?? id;
}

export function PreviewPanel({
  preview,
  overrides,
  onOverrides,
  onRepreview,
  busy,
  stale,
}: {
  preview: ImportPreview;
  overrides: Overrides;
  onOverrides(o: Overrides): void;
  onRepreview(): void;
  busy: boolean;
  /** The overrides changed since this preview was made. */
  stale: boolean;
}) {
  const id = useId();
  const scores = Object.entries(preview.scores).sort((a, b) => b[1] - a[1]);
  const delimited = delimitedFormat(overrides.format, preview.format);
  const extraMeta = Object.entries(preview.meta).filter(
    ([k]) => !['encoding', 'delimiter', 'header'].includes(k),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!busy && !delimiterInvalid(overrides)) onRepreview();
  }

  return (
    <div className="import-preview" data-testid="import-preview">
      <div className="preview-grid">
        <section className="card" aria-labelledby={`${id}-detected`}>
          <h2 id={`${id}-detected`}>Detected</h2>
          <dl className="facts" data-testid="preview-facts">
            <Fact term="File" field="file">
              {preview.fileName} · {formatBytes(preview.bytes)}
            </Fact>
            {preview.compression ? (
              <Fact term="Compression" field="compression">
                {preview.compression}
                {preview.member ? ` · member ${preview.member}` : ''}
              </Fact>
            ) : null}
            <Fact term="Format" field="format">
              {formatLabel(preview.format)}{' '}
              <span className="muted">({formatShare(preview.likelihood)} likely)</span>
              {overrides.format !== 'auto' ? <span className="tag">set by you</span> : null}
            </Fact>
            <Fact term="Encoding" field="encoding">
              {preview.encoding ?? 'not applicable'}
              {overrides.encoding !== 'auto' ? <span className="tag">set by you</span> : null}
            </Fact>
            {preview.delimiter !== null || delimited ? (
              <Fact term="Delimiter" field="delimiter">
                {delimiterName(preview.delimiter)}
                {overrides.delimiter !== 'auto' ? <span className="tag">set by you</span> : null}
              </Fact>
            ) : null}
            {preview.header !== null ? (
              <Fact term="Header line" field="header">
                {preview.header ? 'yes: the first line names the columns' : 'no'}
                {overrides.header !== 'auto' ? <span className="tag">set by you</span> : null}
              </Fact>
            ) : null}
            {extraMeta.length > 0 ? (
              <Fact term="Details" field="meta">
                <span className="small">
                  {extraMeta.map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}
                </span>
              </Fact>
            ) : null}
          </dl>
          <h3 className="subhead">Reader scores</h3>
          <p className="help">
            How well each reader recognised the first bytes of the file; the best one is used unless
            you choose another format.
          </p>
          <table className="scores" data-testid="preview-scores">
            <caption className="visually-hidden">Reader scores</caption>
            <tbody>
              {scores.map(([format, score]) => (
                <tr key={format} className={format === preview.format ? 'chosen' : undefined}>
                  <th scope="row">{format}</th>
                  <td className="bar-cell">
                    <ProgressBar
                      role="meter"
                      value={score}
                      max={1}
                      label={`${format} score`}
                      valueText={formatShare(score)}
                      size="thin"
                      tone={format === preview.format ? 'accent' : 'muted'}
                    />
                  </td>
                  <td className="num">{formatShare(score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <form
          className="card"
          aria-labelledby={`${id}-override`}
          onSubmit={submit}
          data-testid="preview-overrides"
        >
          <h2 id={`${id}-override`}>Override the detection</h2>
          <p className="help">
            Leave “Detect” unless the preview below looks wrong (garbled accents, one column holding
            a whole line, the header taken as a record…).
          </p>
          <div className="field">
            <label htmlFor={`${id}-format`}>Format</label>
            <select
              id={`${id}-format`}
              value={overrides.format}
              onChange={(e) =>
                onOverrides({ ...overrides, format: e.target.value as Overrides['format'] })
              }
            >
              <option value="auto">Detect ({preview.format})</option>
              {FORMAT_OPTIONS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-encoding`}>Text encoding</label>
            <select
              id={`${id}-encoding`}
              value={overrides.encoding}
              onChange={(e) =>
                onOverrides({ ...overrides, encoding: e.target.value as Overrides['encoding'] })
              }
            >
              <option value="auto">Detect{preview.encoding ? ` (${preview.encoding})` : ''}</option>
              {ENCODING_OPTIONS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          {delimited ? (
            <>
              <div className="field">
                <label htmlFor={`${id}-delimiter`}>Delimiter</label>
                <div className="path-row">
                  <select
                    id={`${id}-delimiter`}
                    value={overrides.delimiter}
                    onChange={(e) => onOverrides({ ...overrides, delimiter: e.target.value })}
                  >
                    <option value="auto">Detect ({delimiterName(preview.delimiter)})</option>
                    {DELIMITER_OPTIONS.map((d) => (
                      <option key={d.label} value={d.value}>
                        {d.label}
                      </option>
                    ))}
                    <option value="other">Other…</option>
                  </select>
                  {overrides.delimiter === 'other' ? (
                    <input
                      type="text"
                      className="narrow"
                      aria-label="Other delimiter (one character)"
                      maxLength={1}
                      value={overrides.otherDelimiter}
                      aria-invalid={delimiterInvalid(overrides)}
                      onChange={(e) =>
                        onOverrides({ ...overrides, otherDelimiter: e.target.value })
                      }
                    />
                  ) : null}
                </div>
              </div>
              <div className="field">
                <label htmlFor={`${id}-header`}>First line</label>
                <select
                  id={`${id}-header`}
                  value={overrides.header}
                  onChange={(e) =>
                    onOverrides({ ...overrides, header: e.target.value as Overrides['header'] })
                  }
                >
                  <option value="auto">
                    Detect ({preview.header === false ? 'data' : 'column names'})
                  </option>
                  <option value="yes">Column names (a header)</option>
                  <option value="no">Data (no header)</option>
                </select>
              </div>
            </>
          ) : null}
          <div className="actions">
            <button
              type="submit"
              className={stale ? undefined : 'secondary'}
              disabled={busy || delimiterInvalid(overrides)}
            >
              {busy ? 'Previewing…' : 'Preview again'}
            </button>
            {stale ? (
              <span className="small warn-text" role="status">
                Settings changed: preview again to check them.
              </span>
            ) : null}
          </div>
        </form>
      </div>

      {preview.tables.map((t, i) => (
        <PreviewTable key={`${t.table}-${i}`} table={t} more={preview.more} />
      ))}
      {preview.tables.length === 0 ? (
        <p className="notice">No records were found in the first part of the file.</p>
      ) : null}

      {preview.rejects.length > 0 ? (
        <section className="card" aria-labelledby={`${id}-rejects`}>
          <h2 id={`${id}-rejects`}>Lines that would be rejected</h2>
          <p className="help">
            A sample from the previewed part. Rejected lines are kept in the case with their
            position and reason; they never stop the import.
          </p>
          <RejectRows
            rows={preview.rejects}
            caption="Lines that would be rejected"
            testId="preview-rejects"
          />
        </section>
      ) : null}
    </div>
  );
}

function Fact({ term, field, children }: { term: string; field: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd data-field={field}>{children}</dd>
    </div>
  );
}

function PreviewTable({ table, more }: { table: ImportPreview['tables'][number]; more: boolean }) {
  const id = useId();
  const title = table.table ? `Table ${table.table}` : 'First records';
  return (
    <section className="card preview-table" aria-labelledby={id}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        <span className="muted small">
          {table.columns.length} column{table.columns.length === 1 ? '' : 's'} · {table.rows.length}{' '}
          record{table.rows.length === 1 ? '' : 's'} shown
          {more ? ' · the file holds more' : ''}
        </span>
      </div>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">{title}, as read from the file</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              {table.columns.map((c, i) => (
                <th scope="col" key={i}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                <td className="num muted">{table.lines[r] ?? '—'}</td>
                {table.columns.map((_, c) => {
                  const v = row[c];
                  return (
                    <td key={c} className={v === null || v === undefined ? 'null' : undefined}>
                      {v === null || v === undefined ? 'null' : v}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
