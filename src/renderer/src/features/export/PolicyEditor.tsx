/**
 * The policy editor: one rule per kind of personal data (with "never in clear" marks), the rule
 * for kinds not listed, and per-column overrides (another rule, or another reading of the
 * column's kind). Edits go to the parent at once; the live preview follows them.
 */
import { useState } from 'react';
import type { ColumnRedaction } from '../../../../shared/api';
import { PII_KINDS, PII_LABELS, type PiiKind } from '../../../../shared/pii';
import { RuleEditor } from './RuleEditor';
import {
  columnOverride,
  setColumnOverride,
  setDefaultRule,
  setKindRule,
  toggleMustRedact,
  type PolicyDoc,
} from './policy-doc';

export interface EditorColumn {
  name: string;
  path: string;
  /** As the last preview resolved it (profile, header, values...), when known. */
  detected: ColumnRedaction | null;
}

export function PolicyEditor({
  doc,
  onChange,
  columns,
  readOnlyName,
}: {
  doc: PolicyDoc;
  onChange(doc: PolicyDoc): void;
  columns: readonly EditorColumn[];
  /** Built-in policies keep their name: edits are saved under a new one. */
  readOnlyName?: boolean;
}) {
  const [allKinds, setAllKinds] = useState(false);
  const kinds = doc.kinds ?? {};
  const must = new Set(doc.mustRedact ?? []);
  const present = new Set<PiiKind>(
    columns.map((c) => c.detected?.kind).filter((k): k is PiiKind => !!k && k !== 'none'),
  );
  const listed = PII_KINDS.filter(
    (k) => allKinds || present.has(k) || kinds[k] !== undefined || must.has(k),
  );
  const defaultText = `Default rule (${doc.defaultRule?.op ?? 'keep'})`;

  return (
    <div className="policy-editor">
      <div className="field">
        <label htmlFor="policy-description">Description</label>
        <textarea
          id="policy-description"
          rows={2}
          value={doc.description ?? ''}
          onChange={(e) => onChange({ ...doc, description: e.target.value })}
        />
      </div>
      <fieldset className="field">
        <legend>Output</legend>
        <label className="check">
          <input
            type="radio"
            name="policy-output"
            checked={(doc.output ?? 'records') === 'records'}
            onChange={() => onChange({ ...doc, output: 'records' })}
          />
          Records, redacted
        </label>
        <label className="check">
          <input
            type="radio"
            name="policy-output"
            checked={doc.output === 'aggregates'}
            onChange={() => onChange({ ...doc, output: 'aggregates' })}
          />
          Counts only (aggregates, no record)
        </label>
      </fieldset>

      <h3>By kind of personal data</h3>
      <div className="table-wrap">
        <table className="audit-table rules-table" aria-label="Rules by kind">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Rule</th>
              <th scope="col" title="Verification refuses an export holding such a value in clear">
                Never in clear
              </th>
            </tr>
          </thead>
          <tbody>
            {listed.map((k) => (
              <tr key={k} data-kind={k}>
                <th scope="row">
                  {PII_LABELS[k]}
                  {present.has(k) ? <span className="muted small"> · in this dataset</span> : null}
                </th>
                <td>
                  <RuleEditor
                    label={`Rule for ${PII_LABELS[k]}`}
                    hideLabel
                    kind={k}
                    value={kinds[k] ?? null}
                    inherit={defaultText}
                    onChange={(rule) => onChange(setKindRule(doc, k, rule))}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Never export ${PII_LABELS[k]} in clear`}
                    checked={must.has(k)}
                    onChange={(e) => onChange(toggleMustRedact(doc, k, e.target.checked))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="button" className="secondary small" onClick={() => setAllKinds((v) => !v)}>
          {allKinds ? 'Show only the kinds in use' : `Show all ${PII_KINDS.length} kinds`}
        </button>
      </div>
      <div className="field">
        <RuleEditor
          label="Any other kind"
          kind={null}
          value={doc.defaultRule ?? { op: 'keep' }}
          onChange={(rule) => onChange(setDefaultRule(doc, rule ?? { op: 'keep' }))}
        />
      </div>

      <h3>By column</h3>
      {columns.length === 0 ? (
        <p className="muted">Choose a dataset to set rules on its columns.</p>
      ) : (
        <div className="table-wrap">
          <table className="audit-table rules-table" aria-label="Rules by column">
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Read as</th>
                <th scope="col">Rule</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((c) => {
                const o = columnOverride(doc, c.name);
                const detected = c.detected;
                const kind = o?.kind ?? detected?.kind ?? null;
                return (
                  <tr key={c.path} data-column={c.name}>
                    <th scope="row">
                      {c.name}
                      {detected ? (
                        <span className="muted small">
                          {' '}
                          · {PII_LABELS[detected.kind]}
                          {detected.confidence !== null
                            ? ` (${Math.round(detected.confidence * 100)}%)`
                            : ''}
                        </span>
                      ) : null}
                    </th>
                    <td>
                      <select
                        aria-label={`Kind of column ${c.name}`}
                        value={o?.kind ?? ''}
                        onChange={(e) =>
                          onChange(
                            setColumnOverride(doc, c.name, {
                              kind: e.target.value ? (e.target.value as PiiKind) : null,
                            }),
                          )
                        }
                      >
                        <option value="">as detected</option>
                        {PII_KINDS.map((k) => (
                          <option key={k} value={k}>
                            {PII_LABELS[k]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <RuleEditor
                        label={`Rule for column ${c.name}`}
                        hideLabel
                        kind={kind}
                        value={o?.rule ?? null}
                        inherit="Rule of its kind"
                        onChange={(rule) => onChange(setColumnOverride(doc, c.name, { rule }))}
                      />
                      {detected && !o?.rule ? (
                        <p className="help">Now: {detected.description}</p>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {readOnlyName ? (
        <p className="help">
          Built-in policies cannot be changed: save your edits under a new name.
        </p>
      ) : null}
    </div>
  );
}
