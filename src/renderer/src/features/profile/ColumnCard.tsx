/**
 * One column of a profile: its PII kinds (confidence, ambiguity, evidence), how full and how
 * distinct it is, its most frequent values, value shapes, inferred type, lengths and samples.
 * A kind badge opens the Records view filtered to records holding that kind.
 */
import { useId } from 'react';
import type { ColumnProfile, PiiFinding } from '../../../../shared/api';
import type { PiiKind } from '../../../../shared/pii';
import { formatCount, formatShare } from '../../components/JobProgress';
import { ProgressBar } from '../../components/ProgressBar';
import { kindLabel, kindTone } from './profile-text';

/** Findings below this confidence are listed in the evidence only, not as badges. */
const BADGE_MIN = 0.3;
const TOP_SHOWN = 8;

export function ColumnCard({
  column,
  rows,
  onKind,
  onColumn,
}: {
  column: ColumnProfile;
  /** Records in the dataset (the fill bar's whole). */
  rows: number;
  onKind(kind: PiiKind): void;
  onColumn(column: string): void;
}) {
  const id = useId();
  const c = column;
  const badges = c.pii.filter((f) => f.kind !== 'none' && f.confidence >= BADGE_MIN);
  const present = c.nonEmpty;
  const fill = rows > 0 ? present / rows : 0;
  const distinctShare = present > 0 ? Math.min(1, c.distinct / present) : 0;
  // Near-unique columns: every "top" value was seen about once (or twice in the sample), which
  // says nothing; a placeholder repeated many times still shows.
  const notable = Math.max(c.topExact ? 1 : 2 * c.topError, present * 0.0002);
  const repeats = c.top.some((t) => t.count > notable);

  return (
    <article
      className={`card column-card${badges.length > 0 ? ' has-pii' : ''}`}
      aria-labelledby={`${id}-name`}
      data-testid={`column-${c.name}`}
    >
      <header className="column-head">
        <h3 id={`${id}-name`} title={c.path !== c.name ? c.path : undefined}>
          <span className="muted column-index">{c.index}.</span> {c.name}
        </h3>
        <span className="type-pill" title="Inferred type">
          {c.type}
          {c.dateFormat ? ` · ${c.dateFormat}` : ''}
        </span>
      </header>
      {c.path !== c.name ? <p className="small muted column-path">{c.path}</p> : null}

      <div className="kind-badges" data-testid="kind-badges">
        {badges.length === 0 ? (
          <span className="small muted">No personal data recognised</span>
        ) : (
          badges.map((f) => <KindBadge key={f.kind} finding={f} onKind={onKind} />)
        )}
        {c.mixed ? (
          <span className="tag" title="Several kinds each hold a material share of the values">
            mixed column
          </span>
        ) : null}
      </div>
      {c.ambiguous && badges[0] ? (
        <p className="small warn-text" data-testid="ambiguous">
          Ambiguous: the values fit{' '}
          {badges[0].alternatives.length > 0
            ? badges[0].alternatives.map(kindLabel).join(' or ')
            : 'another kind'}{' '}
          about as well as {kindLabel(badges[0].kind)}.
        </p>
      ) : null}

      <div className="column-stats">
        <div className="stat">
          <div className="stat-label">Filled</div>
          <div className="stat-figure" data-field="fill">
            {formatShare(fill)}
          </div>
          <ProgressBar
            role="meter"
            value={present}
            max={Math.max(rows, 1)}
            label={`${c.name}: filled`}
            valueText={`${formatShare(fill)} of records have a value`}
            size="thin"
            tone="ok"
          />
          <p className="small muted" data-field="fill-note">
            {formatCount(present)} of {formatCount(rows)}
            {c.empty + c.nulls > 0
              ? ` · ${formatCount(c.empty)} empty, ${formatCount(c.nulls)} absent`
              : ''}
          </p>
        </div>
        <div className="stat">
          <div className="stat-label">Distinct</div>
          <div className="stat-figure" data-field="distinct">
            {c.distinctExact ? '' : '≈ '}
            {formatCount(c.distinct)}
          </div>
          <ProgressBar
            role="meter"
            value={distinctShare}
            max={1}
            label={`${c.name}: distinct values`}
            valueText={`${formatShare(distinctShare)} of filled values are distinct`}
            size="thin"
          />
          <p className="small muted" data-field="distinct-note">
            {distinctShare >= 0.999 ? 'all unique' : `${formatShare(distinctShare)} of filled`}
            {c.distinctExact ? '' : ` · estimated (HyperLogLog ±${formatShare(c.distinctError)})`}
          </p>
        </div>
      </div>

      <dl className="column-facts">
        <div>
          <dt>Length</dt>
          <dd>
            {c.length.min === c.length.max
              ? `${c.length.min} characters`
              : `${c.length.min}–${c.length.max} characters, mean ${c.length.mean.toFixed(1)}`}
          </dd>
        </div>
        {c.shapes.length > 0 ? (
          <div>
            <dt>Shapes</dt>
            <dd className="shapes">
              {c.shapes.slice(0, 4).map((s) => (
                <span key={s.shape} className="shape">
                  <code>{s.shape}</code>{' '}
                  <span className="muted">{formatShare(c.sampled ? s.count / c.sampled : 0)}</span>
                </span>
              ))}
            </dd>
          </div>
        ) : null}
        {c.samples.length > 0 ? (
          <div>
            <dt>Samples</dt>
            <dd className="samples">
              {c.samples.slice(0, 5).map((s, i) => (
                <code key={i}>{s}</code>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>

      {c.top.length > 0 ? (
        repeats ? (
          <div className="top-values">
            <h4>
              Most frequent values
              {c.topExact ? null : (
                <span className="muted small">
                  {' '}
                  · counts estimated from a sample (×{c.topError})
                </span>
              )}
            </h4>
            <TopTable column={c} />
          </div>
        ) : (
          <details className="top-values">
            <summary className="small">No value repeats notably (identifier-like column)</summary>
            <TopTable column={c} />
          </details>
        )
      ) : null}

      {c.pii.length > 0 || c.headerHint ? (
        <details className="evidence">
          <summary>Why these kinds?</summary>
          {c.headerHint ? (
            <p className="small">
              The column name (“{c.headerHint.word}”) suggests {kindLabel(c.headerHint.kind)}.
            </p>
          ) : null}
          <ul className="small">
            {c.pii.map((f) => (
              <li key={f.kind}>
                <strong>{kindLabel(f.kind)}</strong> ({formatShare(f.confidence)} confidence):{' '}
                {f.evidence.note}
              </li>
            ))}
          </ul>
        </details>
      ) : null}

      <div className="actions">
        <button
          type="button"
          className="secondary small-button"
          onClick={() => onColumn(c.name)}
          aria-label={`Show the records where ${c.name} has a value`}
        >
          Records with a value
        </button>
      </div>
    </article>
  );
}

function KindBadge({ finding, onKind }: { finding: PiiFinding; onKind(kind: PiiKind): void }) {
  const f = finding;
  const conf = formatShare(f.confidence);
  const title =
    `${kindLabel(f.kind)}${f.scheme ? ` (${f.scheme})` : ''}: ${conf} confidence, ` +
    `${formatShare(f.share)} of sampled values validate` +
    (f.ambiguous && f.alternatives.length > 0
      ? `; ambiguous with ${f.alternatives.map(kindLabel).join(', ')}`
      : '') +
    '. Click to see the records holding it.';
  return (
    <button
      type="button"
      className={`kind-badge tone-${kindTone(f.kind)}${f.ambiguous ? ' ambiguous' : ''}`}
      title={title}
      aria-label={`${kindLabel(f.kind)}, ${conf} confidence${f.ambiguous ? ', ambiguous' : ''}: show records`}
      data-kind={f.kind}
      onClick={() => onKind(f.kind)}
    >
      <span className="kind-name">{f.kind}</span>
      <span className="kind-conf">{conf}</span>
      {f.ambiguous ? (
        <span className="kind-amb" aria-hidden="true">
          ?
        </span>
      ) : null}
    </button>
  );
}

function TopTable({ column: c }: { column: ColumnProfile }) {
  const topMax = c.top.reduce((m, t) => Math.max(m, t.count), 0);
  return (
    <table className="top-table">
      <caption className="visually-hidden">Most frequent values of {c.name}</caption>
      <tbody>
        {c.top.slice(0, TOP_SHOWN).map((t, i) => (
          <tr key={i}>
            <td className="top-value">
              <code title={t.value}>{t.value === '' ? '(empty)' : t.value}</code>
            </td>
            <td className="top-bar">
              <span
                className="mini-bar"
                style={{ width: `${topMax > 0 ? (t.count / topMax) * 100 : 0}%` }}
              />
            </td>
            <td className="num">
              {c.topExact ? '' : '≈'}
              {formatCount(t.count)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
