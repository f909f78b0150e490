/**
 * Editing a redaction policy document (src/shared/redaction.ts) without mutating it: each helper
 * returns a new document. Pure; no React, no DOM.
 */
import type { PiiKind } from '../../../../shared/pii';
import {
  POLICY_FORMAT,
  RedactionPolicy,
  type RedactionPolicyInput,
  type RedactionRuleInput,
  type RuleOp,
} from '../../../../shared/redaction';

export type PolicyDoc = RedactionPolicyInput;
export type ColumnOverrideInput = NonNullable<PolicyDoc['columns']>[number];

export function emptyPolicy(name: string): PolicyDoc {
  return {
    format: POLICY_FORMAT,
    version: 1,
    name,
    description: '',
    output: 'records',
    kinds: {},
    columns: [],
    defaultRule: { op: 'mask' },
    mustRedact: [],
  };
}

/** A rule with the default operands of its operator. */
export function ruleOf(op: RuleOp): RedactionRuleInput {
  switch (op) {
    case 'mask':
      return { op, keepFirst: 0, keepLast: 0 };
    case 'partial':
      return { op, dateOfBirth: 'year' };
    case 'pseudonym':
      return { op, hex: 12 };
    default:
      return { op } as RedactionRuleInput;
  }
}

/** Sets (or, with null, removes) the rule of a kind: without one the default rule applies. */
export function setKindRule(doc: PolicyDoc, kind: PiiKind, rule: RedactionRuleInput | null) {
  const kinds = { ...(doc.kinds ?? {}) };
  if (rule) kinds[kind] = rule;
  else delete kinds[kind];
  return { ...doc, kinds };
}

export function setDefaultRule(doc: PolicyDoc, rule: RedactionRuleInput): PolicyDoc {
  return { ...doc, defaultRule: rule };
}

export function columnOverride(doc: PolicyDoc, column: string): ColumnOverrideInput | undefined {
  return (doc.columns ?? []).find((c) => c.column === column);
}

/**
 * Changes a column's override: `rule` / `kind` undefined leaves that part as it is, null removes
 * it; an override left with neither is removed.
 */
export function setColumnOverride(
  doc: PolicyDoc,
  column: string,
  change: { rule?: RedactionRuleInput | null; kind?: PiiKind | null },
): PolicyDoc {
  const list = [...(doc.columns ?? [])];
  const i = list.findIndex((c) => c.column === column);
  const cur: ColumnOverrideInput = i >= 0 ? { ...list[i]! } : { column };
  if (change.rule === null) delete cur.rule;
  else if (change.rule !== undefined) cur.rule = change.rule;
  if (change.kind === null) delete cur.kind;
  else if (change.kind !== undefined) cur.kind = change.kind;
  const keep = cur.rule !== undefined || cur.kind !== undefined;
  if (i >= 0) {
    if (keep) list[i] = cur;
    else list.splice(i, 1);
  } else if (keep) list.push(cur);
  return { ...doc, columns: list };
}

export function toggleMustRedact(doc: PolicyDoc, kind: PiiKind, on: boolean): PolicyDoc {
  const set = new Set(doc.mustRedact ?? []);
  if (on) set.add(kind);
  else set.delete(kind);
  return { ...doc, mustRedact: [...set] };
}

/** What changes the redacted output (not the name or the description): previews key on it. */
export function redactionSignature(doc: PolicyDoc): string {
  return JSON.stringify([
    doc.output ?? 'records',
    doc.kinds ?? {},
    doc.columns ?? [],
    doc.defaultRule ?? null,
    [...(doc.mustRedact ?? [])].sort(),
    doc.aggregates ?? null,
  ]);
}

/** The document validated as the engine will read it, or the issues in plain words. */
export function checkPolicy(
  doc: PolicyDoc,
): { ok: true; policy: RedactionPolicy } | { ok: false; issues: string[] } {
  const r = RedactionPolicy.safeParse(doc);
  if (r.success) return { ok: true, policy: r.data };
  return {
    ok: false,
    issues: r.error.issues.map(
      (i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`,
    ),
  };
}

export const RULE_LABELS: Record<RuleOp, string> = {
  keep: 'Keep as is',
  drop: 'Drop the column',
  mask: 'Mask',
  partial: 'Partial form',
  generalise: 'Generalise',
  pseudonym: 'Keyed pseudonym',
  fpe: 'Format-preserving pseudonym',
};
