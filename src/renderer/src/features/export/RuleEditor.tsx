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
            <InlineNumber
              text="first"
              label={`${label}: characters kept at the start`}
              value={value.keepFirst ?? 0}
              max={64}
              onChange={(keepFirst) => onChange({ ...value, keepFirst })}
            />
            <InlineNumber
              text="last"
              label={`${label}: characters kept at the end`}
              value={value.keepLast ?? 0}
              max={64}
              onChange={(keepLast) => onChange({ ...value, keepLast })}
            />
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
          <InlineNumber
            text="hex"
            label={`${label}: pseudonym length in hex characters`}
            value={value.hex ?? 12}
            min={8}
            max={64}
            onChange={(hex) => onChange({ ...value, hex })}
          />
        ) : null}
      </div>
      {text ? <p className="help rule-text">{text}</p> : null}
    </div>
  );
}

/** A rule's whole-number operand, kept within its bounds as it is typed. */
function InlineNumber({
  text,
  label,
  value,
  min = 0,
  max,
  onChange,
}: {
  text: string;
  label: string;
  value: number;
  min?: number;
  max: number;
  onChange(n: number): void;
}) {
  return (
    <label className="inline-num">
      {text}
      <input
        type="number"
        min={min}
        max={max}
        value={value}
        aria-label={label}
        onChange={(e) => onChange(clamp(e.target.valueAsNumber, min, max))}
      />
    </label>
  );
}

function clamp(n: number, lo: number, hi: number): number {
  if (!Number.isFinite(n)) return lo;
  return Math.min(hi, Math.max(lo, Math.round(n)));
}
