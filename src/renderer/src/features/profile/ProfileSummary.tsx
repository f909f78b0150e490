/**
 * The dataset-level part of a profile: how sensitive it is and why (special categories, high-risk
 * kinds), which classes of personal data it holds and in how many records (the data-class
 * inventory), and whether its NIRs agree with the other fields of their records (cross-field
 * consistency), each explained in plain language.
 */
import { useId } from 'react';
import type { DatasetProfile } from '../../../../shared/api';
import type { PiiKind } from '../../../../shared/pii';
import { formatCount, formatShare } from '../../components/JobProgress';
import { ProgressBar } from '../../components/ProgressBar';
import {
  CATEGORY_TEXT,
  CHECK_TEXT,
  LEVEL_TEXT,
  VERDICT_TEXT,
  kindLabel,
  kindTone,
} from './profile-text';

export function ProfileSummary({
  profile,
  onKind,
}: {
  profile: DatasetProfile;
  onKind(kind: PiiKind): void;
}) {
  const id = useId();
  const { sensitivity, inventory, consistency } = profile.summary;
  const level = LEVEL_TEXT[sensitivity.level];
  const kinds = inventory.filter((e) => e.kind !== 'none');

  return (
    <div className="profile-summary">
      <section
        className={`card sensitivity sens-${sensitivity.level}`}
        aria-labelledby={`${id}-sens`}
        data-testid="sensitivity"
      >
        <div className="card-head">
          <h2 id={`${id}-sens`}>Sensitivity</h2>
          <span className={`level-pill level-${sensitivity.level}`} data-field="level">
            {level.label}
          </span>
        </div>
        <p>{level.meaning}</p>
        {sensitivity.specialCategories.length > 0 ? (
          <ul className="categories" data-testid="special-categories">
            {sensitivity.specialCategories.map((c) => (
              <li key={c.category} data-category={c.category}>
                <strong>{CATEGORY_TEXT[c.category].label}</strong>
                <span className="muted small"> · columns {c.columns.join(', ')}</span>
                <p className="small">{CATEGORY_TEXT[c.category].meaning}</p>
                <p className="small muted">Found: {c.evidence}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="small muted">No special category of personal data was found.</p>
        )}
        {sensitivity.highRiskKinds.length > 0 ? (
          <p className="small">
            High-risk kinds:{' '}
            {sensitivity.highRiskKinds.map((k) => (
              <span key={k} className={`tag tone-${kindTone(k)}`}>
                {kindLabel(k)}
              </span>
            ))}
          </p>
        ) : null}
        {sensitivity.reasons.length > 0 ? (
          <details>
            <summary className="small">Why this level</summary>
            <ul className="small">
              {sensitivity.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section className="card" aria-labelledby={`${id}-inv`} data-testid="inventory">
        <h2 id={`${id}-inv`}>Data classes present</h2>
        <p className="help">
          Each kind of personal data found, the columns holding it, and how many of the{' '}
          {formatCount(profile.rows)} records carry at least one value of it. Choose a kind to see
          those records.
        </p>
        {kinds.length === 0 ? (
          <p className="muted">No personal data was recognised in this dataset.</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table inventory-table">
              <caption className="visually-hidden">Data-class inventory</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Columns</th>
                  <th scope="col" className="num">
                    Records
                  </th>
                  <th scope="col">Share</th>
                </tr>
              </thead>
              <tbody>
                {kinds.map((e) => (
                  <tr key={e.kind} data-kind={e.kind}>
                    <td>
                      <button
                        type="button"
                        className={`link-button tone-${kindTone(e.kind)}`}
                        onClick={() => onKind(e.kind)}
                        title={`Show the records holding a ${kindLabel(e.kind)}`}
                      >
                        {kindLabel(e.kind)}
                      </button>
                    </td>
                    <td className="small">{e.columns.join(', ')}</td>
                    <td className="num">{formatCount(e.records)}</td>
                    <td className="bar-cell">
                      <span className="bar-with-text">
                        <ProgressBar
                          role="meter"
                          value={e.share}
                          max={1}
                          size="thin"
                          label={`${kindLabel(e.kind)}: share of records`}
                          valueText={formatShare(e.share)}
                        />
                        <span className="num small">{formatShare(e.share)}</span>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby={`${id}-cons`} data-testid="consistency">
        <h2 id={`${id}-cons`}>NIR cross-field consistency</h2>
        {consistency === null ? (
          <p className="muted">
            No column holds French social-security numbers (NIR), so this check does not apply.
          </p>
        ) : (
          <>
            <p className="help">
              A NIR encodes the person’s sex, birth year and month and département of birth. Genuine
              records agree with their own NIR; fabricated, shuffled or badly merged data does not.
              Checked on column <code>{consistency.nirColumn}</code>.
            </p>
            <p className="consistency-headline">
              <span className="big-figure" data-field="consistency-share">
                {formatShare(consistency.share)}
              </span>{' '}
              of {formatCount(consistency.records)} checkable records agree on every field.
            </p>
            <p className={`verdict ${consistencyTone(consistency.verdict)}`} data-field="verdict">
              {VERDICT_TEXT[consistency.verdict]}
            </p>
            <p className="small muted">{consistency.note}</p>
            <table className="data-table checks-table">
              <caption className="visually-hidden">Checks</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Compared with</th>
                  <th scope="col" className="num">
                    Checked
                  </th>
                  <th scope="col" className="num">
                    Agree
                  </th>
                  <th scope="col" className="num">
                    By chance
                  </th>
                </tr>
              </thead>
              <tbody>
                {consistency.checks.map((c) => (
                  <tr key={c.field}>
                    <td>{CHECK_TEXT[c.field]}</td>
                    <td>
                      <code>{c.column}</code>
                    </td>
                    <td className="num">{formatCount(c.checked)}</td>
                    <td className="num">{formatShare(c.share)}</td>
                    <td className="num muted">{c.chance === null ? '—' : formatShare(c.chance)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {consistency.checks.some((c) => c.field === 'department') ? (
              <p className="small muted">
                The département of birth is compared with the postal code of residence; people move,
                so a low share is normal. It is shown for information and does not count in the
                headline share. “By chance” is the agreement expected if the columns were unrelated.
              </p>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}

function consistencyTone(v: string): string {
  if (v === 'consistent') return 'ok';
  if (v === 'inconsistent') return 'broken';
  return 'warn';
}
