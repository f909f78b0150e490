/**
 * One redaction rule: the operator and its operands (mask: characters kept; partial date of
 * birth: year or age band; pseudonym: length), with the rule in plain words below. With
 * `inherit`, an extra first choice leaves the decision to the kind or default rule.
 */
import { useId } from 'react';
import type { PiiKind } from '../../../../shared/pii';
import {
  describeRule,
  GENERALISE_KINDS,
  RedactionRule,
  RULE_OPS,
  type RedactionRuleInput,
  type RuleOp,
} from '../../../../shared/redaction';
import { RULE_LABELS, ruleOf } from './policy-doc';

const INHERIT = '';

export function RuleEditor({
  label,
  value,
  kind,
  inherit,
  onChange,
  hideLabel,
}: {
  label: string;
  value: RedactionRuleInput | null;
  /** The kind the rule applies to (partial/generalise/fpe forms depend on it). */
  kind: PiiKind | null;
  /** Label of the "no rule here" choice (e.g. "Default rule (mask)"); absent: a rule is required. */
  inherit?: string;
  onChange(rule: RedactionRuleInput | null): void;
  hideLabel?: boolean;
}) {
  const id = useId();
  const parsed = value ? RedactionRule.safeParse(value) : null;
  const text = parsed?.success ? describeRule(parsed.data, kind) : null;
  const canGeneralise = kind === null || GENERALISE_KINDS.has(kind);
  return (
    <div className="rule-editor">
      <label htmlFor={`${id}-op`} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <div className="rule-row">
        <select
          id={`${id}-op`}
          value={value?.op ?? INHERIT}
          onChange={(e) => {
            const op = e.target.value;
            onChange(op === INHERIT ? null : ruleOf(op as RuleOp));
          }}
        >
          {inherit !== undefined ? <option value={INHERIT}>{inherit}</option> : null}
          {RULE_OPS.map((op) => (
            <option
              key={op}
              value={op}
              disabled={op === 'generalise' && !canGeneralise && inherit === undefined}
            >
              {RULE_LABELS[op]}
            </option>
          ))}
        </select>
        {value?.op === 'mask' ? (
          <>
            <label className="inline-num">
              first
              <input
                type="number"
                min={0}
                max={64}
                value={value.keepFirst ?? 0}
                aria-label={`${label}: characters kept at the start`}
                onChange={(e) =>
                  onChange({ ...value, keepFirst: clamp(e.target.valueAsNumber, 0, 64) })
                }
              />
            </label>
            <label className="inline-num">
              last
              <input
                type="number"
                min={0}
                max={64}
                value={value.keepLast ?? 0}
                aria-label={`${label}: characters kept at the end`}
                onChange={(e) =>
                  onChange({ ...value, keepLast: clamp(e.target.valueAsNumber, 0, 64) })
                }
              />
            </label>
          </>
        ) : null}
        {value?.op === 'partial' && kind === 'date_of_birth' ? (
          <select
            aria-label={`${label}: what is kept of the date of birth`}
            value={value.dateOfBirth ?? 'year'}
            onChange={(e) =>
              onChange({ ...value, dateOfBirth: e.target.value as 'year' | 'age_band' })
            }
          >
            <option value="year">year</option>
            <option value="age_band">age band</option>
          </select>
        ) : null}
        {value?.op === 'pseudonym' ? (
          <label className="inline-num">
            hex
            <input
              type="number"
              min={8}
              max={64}
              value={value.hex ?? 12}
              aria-label={`${label}: pseudonym length in hex characters`}
              onChange={(e) => onChange({ ...value, hex: clamp(e.target.valueAsNumber, 8, 64) })}
            />
          </label>
        ) : null}
      </div>
      {text ? <p className="help rule-text">{text}</p> : null}
    </div>
  );
}

function clamp(n: number, lo: number, hi: number): number {
  if (!Number.isFinite(n)) return lo;
  return Math.min(hi, Math.max(lo, Math.round(n)));
}
