/**
 * The preview table: the first records of the subset as the export will write them, column by
 * column with the rule applied. Only redacted values are ever shown here; while a new preview is
 * on its way, columns the previous one showed in clear are blanked (see usePolicyPreview).
 */
import type { PreviewResult } from '../../../../shared/api';
import { PII_LABELS } from '../../../../shared/pii';
import { ErrorAlert } from '../../components/ErrorAlert';

export function PolicyPreview({
  preview,
  stale,
  loading,
  error,
}: {
  preview: PreviewResult | null;
  stale: boolean;
  loading: boolean;
  error: string | null;
}) {
  return (
    <section className="card preview-card" aria-labelledby="preview-title" aria-busy={loading}>
      <div className="card-head">
        <h2 id="preview-title">Live preview</h2>
        <span className="muted small" role="status">
          {loading ? 'Updating…' : preview ? `${preview.rows.length} records` : ''}
        </span>
      </div>
      <ErrorAlert message={error} />
      {preview ? (
        <>
          <p className="help">
            {preview.description} · policy “{preview.policy}”
            {preview.profiled ? '' : ' · dataset not profiled: kinds guessed from headers'}
          </p>
          {preview.warnings.map((w) => (
            <p key={w} className="notice small">
              {w}
            </p>
          ))}
          {preview.output === 'aggregates' ? (
            <p className="notice">
              This policy exports counts only (aggregates): no record is written.
            </p>
          ) : null}
          <PreviewTable preview={preview} stale={stale} />
        </>
      ) : loading ? (
        <p className="muted">Reading the first records through the policy…</p>
      ) : null}
    </section>
  );
}

function PreviewTable({ preview, stale }: { preview: PreviewResult; stale: boolean }) {
  const cols = preview.columns.filter((c) => c.output !== null);
  const dropped = preview.columns.filter((c) => c.output === null);
  if (preview.output === 'aggregates') return null;
  return (
    <>
      <div className="table-wrap preview-wrap">
        <table className="audit-table redact-preview-table" data-testid="preview-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              {cols.map((c) => (
                <th key={c.path} scope="col" title={c.description}>
                  <span className="col-name">{c.output}</span>
                  <span className={`rule-chip ${c.rule.op}`}>
                    {c.rule.op}
                    {c.kind !== 'none' ? ` · ${PII_LABELS[c.kind]}` : ''}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.id}>
                <td className="num">{r.ordinal + 1}</td>
                {cols.map((c) => {
                  // A column shown in clear by the last answer is blanked until the new one.
                  const hide = stale && c.rule.op === 'keep';
                  const v = r.values[c.output!] ?? null;
                  return (
                    <td key={c.path} className={hide ? 'pending' : undefined}>
                      {hide ? '…' : v === null ? <span className="muted">∅</span> : v}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dropped.length ? (
        <p className="help">Left out: {dropped.map((c) => c.name).join(', ')}.</p>
      ) : null}
    </>
  );
}
