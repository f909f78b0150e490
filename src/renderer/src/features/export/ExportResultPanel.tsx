/**
 * What a finished export says: verified (re-read for raw values of the redacted columns before
 * it was kept), the file, rows, size and SHA-256, where the manifest is, the selection and policy
 * in plain words, what happened to each column, and any warning.
 */
import type { ExportResult } from '../../../../shared/api';
import type { ReportPdfResult } from '../../../../shared/desktop';
import { formatBytes } from '../../lib/format';

export function ExportResultPanel({ result }: { result: ExportResult }) {
  const m = result.manifest;
  return (
    <section
      className="card export-result"
      aria-labelledby="export-result-title"
      data-testid="export-result"
    >
      <div className="card-head">
        <h2 id="export-result-title">Export written</h2>
        <span className="verdict ok verified-badge" data-testid="export-verified">
          ✓ Verified
        </span>
      </div>
      <p className="help">
        Re-read before it was kept: no original value of a redacted column (
        {m.verification.redactedColumns.length ? m.verification.redactedColumns.join(', ') : 'none'}
        ){m.verification.tokenKinds.length ? ', nor any value validating as ' : ''}
        {m.verification.tokenKinds.join(', ')} was found in it. Method: {m.verification.method}.
      </p>
      <dl className="facts">
        <Fact term="File" value={result.out} field="out" />
        <Fact term="Format" value={result.format.toUpperCase()} field="format" />
        <Fact
          term={m.output.content === 'aggregates' ? 'Records counted' : 'Records'}
          value={result.rows.toLocaleString('en')}
          field="rows"
        />
        <Fact term="Size" value={formatBytes(result.bytes)} field="bytes" />
        <Fact term="SHA-256" value={result.sha256} field="sha256" mono />
        <Fact term="Rows SHA-256" value={m.output.rowsSha256} field="rows-sha256" mono />
        <Fact term="Manifest" value={result.manifestPath ?? 'inside the file'} field="manifest" />
        <Fact term="Selection" value={result.description} field="selection" />
        <Fact
          term="Policy"
          value={`${m.policy.name}${m.policy.builtIn ? ' (built-in)' : ''}`}
          field="policy"
        />
        <Fact
          term="Dataset"
          value={`${m.dataset.name} · source SHA-256 ${m.dataset.source.sha256 ?? 'unknown'}`}
          field="dataset"
        />
      </dl>
      {result.warnings.length ? (
        <ul className="warnings">
          {result.warnings.map((w) => (
            <li key={w} className="notice small">
              {w}
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>Columns in the manifest ({m.columns.length})</summary>
        <table className="audit-table">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Written as</th>
              <th scope="col">Rule</th>
            </tr>
          </thead>
          <tbody>
            {m.columns.map((c) => (
              <tr key={c.path}>
                <td>{c.name}</td>
                <td>{c.output ?? <span className="muted">left out</span>}</td>
                <td>{c.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

export function PdfResultPanel({ result }: { result: ReportPdfResult }) {
  return (
    <section
      className="card export-result"
      aria-labelledby="pdf-result-title"
      data-testid="export-result"
    >
      <div className="card-head">
        <h2 id="pdf-result-title">PDF report written</h2>
        <span className="verdict ok verified-badge">✓ Verified</span>
      </div>
      <p className="help">Printed from the verified HTML report (SHA-256 {result.htmlSha256}).</p>
      <dl className="facts">
        <Fact term="File" value={result.out} field="out" />
        <Fact term="Records" value={result.rows.toLocaleString('en')} field="rows" />
        <Fact term="Size" value={formatBytes(result.bytes)} field="bytes" />
        <Fact term="SHA-256" value={result.sha256} field="sha256" mono />
        <Fact term="Selection" value={result.description} field="selection" />
        <Fact term="Policy" value={result.policy} field="policy" />
        {result.html ? <Fact term="HTML kept" value={result.html} field="html" /> : null}
      </dl>
      {result.warnings.map((w) => (
        <p key={w} className="notice small">
          {w}
        </p>
      ))}
    </section>
  );
}

function Fact({
  term,
  value,
  field,
  mono,
}: {
  term: string;
  value: string;
  field: string;
  mono?: boolean;
}) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd data-field={field} className={mono ? 'mono' : undefined} title={value}>
        {value}
      </dd>
    </div>
  );
}
